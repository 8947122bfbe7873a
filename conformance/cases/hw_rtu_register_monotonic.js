'use strict';
// The energy register of a socket with a Modbus RTU meter (--hw linux) is
// the meter's: each transaction's meterStart is at least the meterStop of
// the one before, across plug-ins and a restart (OCPP 1.6 §6.46 / §6.49:
// register readings).  A restarted station whose meter has not answered
// yet reports the register it stored at shutdown, never 0.
const { bootAccepted, waitStatus, pollConnector } = require('../lib/steps');
const { startLinuxWithMeters } = require('../lib/rtu_meter');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'Modbus RTU socket meter: meterStart never below the previous meterStop, across plug-ins and a restart (stored register until the meter answers)',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 90000,
    async run(t) {
        let rig = null;
        try {
            rig = await startLinuxWithMeters(t, { image: { volts: 230, amps: 0, kwh: 500.0 } });
            const { meter, ev } = rig;
            await bootAccepted(t, { connectors: 1 });
            t.ok(await pollConnector(t, 1, (c) => c.meter.ok, 5000), 'the meter is read');

            let kwh = 500.0;
            const stops = [];
            const session = async (n) => {
                let m = t.csms.mark();
                ev.plug(1);
                await waitStatus(t, 1, 'Preparing', { since: m });
                await t.cp.tag(1, `MONO${n}`);
                const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === `MONO${n}`, 10000, { since: m });
                t.equal(start.payload.meterStart, Math.round(kwh * 1000), `transaction ${n}: meterStart is the meter's register`);
                if (stops.length) {
                    t.atLeast(start.payload.meterStart, stops[stops.length - 1],
                        `transaction ${n}: meterStart is not below the previous meterStop`);
                }
                t.ok(await pollUntil(async () => ev.contactor(1), 10000, 50), `transaction ${n}: the contactor closes`);
                kwh += 0.4;
                await meter.sdm630(1, { amps: 10, kwh });
                t.ok(await pollConnector(t, 1, (c) => c.energy_wh === Math.round(kwh * 1000), 5000),
                    `transaction ${n}: the register climbs with the meter`);
                m = t.csms.mark();
                await t.cp.tag(1, `MONO${n}`);
                const stop = await t.csms.waitForAnswered('StopTransaction', null, 10000, { since: m });
                t.equal(stop.payload.meterStop, Math.round(kwh * 1000), `transaction ${n}: meterStop is the meter's register`);
                stops.push(stop.payload.meterStop);
                await meter.sdm630(1, { amps: 0, kwh });
                ev.unplug(1);
                await waitStatus(t, 1, 'Available', { since: m });
            };
            await session(1);
            await session(2);

            // A restart while the meter is silent: the stored register, not 0.
            await meter.silent(1, true);
            await t.cp.stop();
            const m = t.csms.mark();
            await t.start();
            await bootAccepted(t, { since: m, connectors: 1 });
            const c = await t.cp.connector(1);
            t.equal([c.energy_wh, c.meter.age_ms], [stops[1], null],
                'before its meter answers, the restarted station reports the register stored at shutdown');

            // The meter counted on while the station was off.
            kwh += 0.1;
            await meter.sdm630(1, { amps: 0, kwh });
            await meter.silent(1, false);
            t.ok(await pollConnector(t, 1, (x) => x.meter.ok && x.energy_wh === Math.round(kwh * 1000), 6000),
                'then the meter\'s register');
            await session(3);
        } finally {
            if (rig) {
                rig.ev.stop();
                await rig.meter.stop();
            }
        }
    },
};
