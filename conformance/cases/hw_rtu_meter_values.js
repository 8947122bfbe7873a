'use strict';
// `--hw linux` with an Eastron SDM630 on the socket's Modbus RTU bus (a
// pseudo-terminal behind Meter-Device, answered by lib/rtu_pty.py): the
// transaction's meterStart / meterStop and its MeterValues
// (Energy.Active.Import.Register, Current.Import, Voltage) are the meter's
// registers; a meter that stops answering faults the connector
// (StatusNotification Faulted / PowerMeterFailure, OCPP 1.6 §7.6), logged
// once, the offer withdrawn; when it answers again the connector recovers
// by itself and charging resumes.  The Meter-* keys apply without a
// restart (the unit id moved to an address nobody answers at, then one
// that does).
const { bootAccepted, waitStatus, measurand, pollConnector } = require('../lib/steps');
const { startLinuxWithMeters } = require('../lib/rtu_meter');
const { pollUntil } = require('../lib/util');

const SCALE = 10;

module.exports = {
    title: 'Socket meter on Modbus RTU (--hw linux): meterStart/Stop and MeterValues from the SDM630, a silent meter → Faulted/PowerMeterFailure, recovers',
    timeScale: SCALE,
    connectors: 1,
    autoStart: false,
    timeoutMs: 90000,
    async run(t) {
        let rig = null;
        try {
            rig = await startLinuxWithMeters(t, {
                config: {
                    MeterValuesSampledData: 'Energy.Active.Import.Register,Current.Import,Voltage,Power.Active.Import',
                    MeterValueSampleInterval: 10,
                },
                image: { volts: 230.5, amps: 0, kwh: 1000.0 },
            });
            const { meter, ev } = rig;
            await bootAccepted(t, { connectors: 1 });

            const ok = await pollConnector(t, 1, (c) => c.meter && c.meter.ok, 5000);
            t.ok(ok, 'status: the socket meter is read', ok && ok.meter);
            t.equal([ok.meter.source, ok.meter.unit, ok.meter.model], ['rtu', 1, 'SDM630'], 'status.meter names the RTU meter, its unit and model');
            t.ok(ok.meter.age_ms >= 0 && ok.meter.age_ms < 2500, 'status.meter: the last reading is at most one poll old', ok.meter);
            t.equal(ok.energy_wh, 1000000, 'the socket\'s energy register is the meter\'s (1000.0 kWh)');

            // Plug in and start.
            let m = t.csms.mark();
            ev.plug(1);
            await waitStatus(t, 1, 'Preparing', { since: m });
            await t.cp.tag(1, 'RTU0001');
            const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'RTU0001', 10000,
                { since: m, rule: 'an authorized tag on a plugged connector starts a transaction (OCPP 1.6 §4.8)' });
            t.equal(start.payload.meterStart, 1000000, 'meterStart is the meter\'s import register in Wh (OCPP 1.6 §6.46)');

            // The EV draws 10 A per phase (below the offer); the register climbs.
            t.ok(await pollUntil(async () => ev.contactor(1), 10000, 50), 'the EV asks (state C) and the contactor closes');
            // 6500 W at 10 A on ~230 V: a power factor of 0.94 the meter measures.
            await meter.sdm630(1, { volts: [230.5, 231.0, 229.5], amps: 10, kwh: 1000.2, watts: 6500 });
            m = t.csms.mark();
            const mv = await t.csms.waitFor('MeterValues', (p) => measurand(p, 'Energy.Active.Import.Register') === 1000200 &&
                measurand(p, 'Current.Import', 'L1') === 10, 10000,
            { since: m, rule: 'MeterValues carry the meter\'s readings (OCPP 1.6 §4.7)' });
            t.equal([measurand(mv.payload, 'Current.Import', 'L2'), measurand(mv.payload, 'Current.Import', 'L3')], [10, 10],
                'Current.Import of every phase from the meter');
            t.equal([measurand(mv.payload, 'Voltage', 'L1'), measurand(mv.payload, 'Voltage', 'L2'), measurand(mv.payload, 'Voltage', 'L3')],
                [230.5, 231, 229.5], 'Voltage of every phase from the meter');
            t.equal(measurand(mv.payload, 'Power.Active.Import'), 6500,
                'Power.Active.Import is the meter\'s own total power (not current x voltage, 6910 W)');
            await waitStatus(t, 1, 'Charging', { since: start.index });

            // The meter goes quiet.
            m = t.csms.mark();
            const quiet = Date.now();
            await meter.silent(1, true);
            const fault = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Faulted', 10000,
                { since: m, rule: 'a meter that stops answering faults its connector' });
            const took = Date.now() - quiet;
            t.equal([fault.payload.errorCode, fault.payload.info], ['PowerMeterFailure', 'meter unit 1 not answering'],
                'errorCode PowerMeterFailure (OCPP 1.6 §7.6) and an info naming the meter');
            t.ok(took >= 1800, 'one unanswered poll is not a failure: three in a row (about 3 s) are', { ms: took });
            let c = await pollConnector(t, 1, (x) => x.offered_a === 0, 3000);
            t.ok(c, 'no current is offered without a meter (the overcurrent protection needs its readings)');
            t.equal([c.fault, c.meter.ok, c.meter.error], ['meter', false, 'not answering'], 'status: the fault and the meter that causes it');
            t.ok(c.transaction_active, 'the transaction goes on (only the offer is withdrawn)');
            await t.sleep(2500);
            const warned = (t.cp.readLog().match(/meter unit 1 on .*not answering, 3 polls in a row failed/g) || []).length;
            t.equal(warned, 1, 'the failure is logged once, however long it lasts');
            t.equal(t.csms.calls('StatusNotification', m).filter((e) => e.payload.status === 'Faulted').length, 1,
                'and reported once');

            // It answers again.
            await meter.sdm630(1, { volts: 230.5, amps: 10, kwh: 1000.3 });
            m = t.csms.mark();
            await meter.silent(1, false);
            const back = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'Faulted', 10000,
                { since: m, rule: 'the connector recovers by itself when the meter answers again' });
            t.equal(back.payload.errorCode, 'NoError', 'the recovered status has no error');
            await waitStatus(t, 1, 'Charging', { since: m, rule: 'charging resumes' });
            c = await pollConnector(t, 1, (x) => x.offered_a > 0 && x.meter.ok && x.energy_wh === 1000300, 5000);
            t.ok(c, 'the offer and the readings are back', c);
            t.ok(/meter unit 1 on .*readings again/.test(t.cp.readLog()), 'the recovery is logged');

            // Stop: meterStop is the register.
            m = t.csms.mark();
            await t.cp.tag(1, 'RTU0001');
            const stop = await t.csms.waitForAnswered('StopTransaction', null, 10000, { since: m });
            t.equal(stop.payload.meterStop, 1000300, 'meterStop is the meter\'s register');
            // Every poll of an SDM630 is three reads (voltages and currents,
            // power, energy): what the meter answered matches the polls.
            const before = (await t.cp.connector(1)).meter.polls_ok;
            const answered = (await meter.stats())['1'];
            const after = (await t.cp.connector(1)).meter.polls_ok;
            t.ok(before >= 2 && answered >= 3 * before && answered <= 3 * after + 2,
                'the meter was polled over the RTU bus, three reads a poll', { before, answered, after });

            // The keys apply at once: socket 1's meter moved to address 5,
            // where nobody answers yet, then a meter there does.
            m = t.csms.mark();
            const cc = await t.csms.call('ChangeConfiguration', { key: 'Meter-UnitID-1', value: '5' });
            t.equal(cc.status, 'Accepted', 'Meter-UnitID-1 applies without a restart');
            const f5 = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status === 'Faulted', 10000,
                { since: m, rule: 'a unit id nobody answers at faults the connector' });
            t.equal([f5.payload.errorCode, f5.payload.info], ['PowerMeterFailure', 'meter unit 5 not answering'], 'naming the new address');
            m = t.csms.mark();
            await meter.sdm630(5, { volts: 230, amps: 0, kwh: 1000.3 });
            const ok5 = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'Faulted', 10000,
                { since: m, rule: 'the meter at the new address clears the fault' });
            t.equal([ok5.payload.status, ok5.payload.errorCode], ['Finishing', 'NoError'],
                'back to where the connector was: the stopped transaction\'s EV is still plugged in');
        } finally {
            if (rig) {
                rig.ev.stop();
                await rig.meter.stop();
            }
        }
    },
};
