'use strict';
// Active load balancing from a DSMR P1 meter through a real serial path
// (a pseudo-terminal behind ALB-P1Device), set up through OCPP keys alone:
// the offer follows the telegrams (sent in pieces, once per second of
// station time); a telegram with a wrong CRC is dropped and counted, never
// applied; each phase's sign comes from delivered vs returned power; the
// cable pulled gives Safe-MaxCurrent (logged) and the reopen with back-off
// brings the live budget back.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { startSession, expectConnector, probingOver } = require('../lib/lb');
const { P1Meter, telegram } = require('../lib/p1_meter');
const { changeKeys } = require('../lib/keys');

const SCALE = 10;

module.exports = {
    title: 'ALB with a DSMR P1 meter on a serial device: offer follows, CRC errors dropped, export, cable pulled → Safe-MaxCurrent, reopened',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 90000,
    async run(t) {
        const link = path.join(t.cp.o.dir, 'p1');
        const meter = new P1Meter(link);
        await meter.start();
        let amps = [10, 10, 10];
        let corrupt = false;
        let sending = true;
        // One telegram per second of station time, in 37-byte pieces.
        const pump = (async () => {
            while (sending) {
                await meter.send(telegram(amps, { corrupt }), 37).catch(() => {});
                await t.sleep(1000 / SCALE);
            }
        })();
        try {
            await bootAccepted(t);
            const keys = {
                'SmartMeter-MaxCurrent': '25.0',
                'Safe-MaxCurrent': '8.0',
                'SmartMeterIncludesCharger': 'False',
                'ALB-P1Device': link,
                'ALB-ProtocolSelection': 'DSMR4.x/SMR5.0 (P1)',
                'Active-LoadBalancing': 'On',
            };
            await changeKeys(t, keys);
            const rj = await t.csms.call('ChangeConfiguration', { key: 'DirectExternalSuspendSignal', value: 'SuspendOnClose' });
            t.equal(rj.status, 'Rejected', 'the RJ11 port reads the P1 meter: a suspend contact on it at the same time is Rejected');

            await startSession(t, { connector: 1, idTag: 'TAGP1', ev: { phases: 3, max_current: 32 } });
            await probingOver(t, [1], t.scaled(90) + 5000);
            let c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 15) < 0.05, t.scaled(5) + 3000,
                'with 10 A of other load on a 25 A connection the EV is offered 15 A (docs/balancing.md)');
            t.equal(c.binding, 'alb', 'the control socket names the meter budget as what binds');
            let st = await t.cp.status();
            t.equal([st.grid.source, st.grid.mode, st.grid.reading_a], ['p1', 'live', [10, 10, 10]], 'status.grid: a live P1 meter and its reading');
            t.ok(st.grid.telegrams_ok > 0, 'telegrams are counted', st.grid);

            // Corrupt telegrams saying 2 A: dropped, counted, never applied.
            corrupt = true;
            amps = [2, 2, 2];
            await t.sleep(t.scaled(3));
            st = await t.cp.status();
            t.ok(st.grid.crc_errors >= 2, 'telegrams with a wrong CRC are counted (DSMR 5.0 P1: CRC-16)', st.grid);
            c = await t.cp.connector(1);
            t.equal(c.offered_a, 15, 'and never applied: the offer stays 15 A');

            // Valid again; 17 A on L2 lowers the offer to 8 A.
            corrupt = false;
            amps = [10, 17, 10];
            await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(3) + 1000,
                'a reading of 17 A on L2 lowers the offer to 8 A');
            // Export on every phase: returned power > delivered gives negative currents.
            amps = [-5, -5, -5];
            await expectConnector(t, 1, (x) => x.offered_a > 15, t.scaled(10) + 1000,
                'export (returned power) raises the budget above the connection limit');
            st = await t.cp.status();
            t.equal(st.grid.reading_a, [-5, -5, -5], 'the P1 currents are signed from delivered vs returned power');

            // The cable is pulled.
            sending = false;
            await pump;
            await meter.unplug();
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(8) + 1000,
                'without telegrams for 5 s the station falls to Safe-MaxCurrent 8 A');
            t.equal(c.binding, 'safe', 'the control socket names safe mode');
            t.ok(/Enter ActiveLB safeMode: 8\.0A/.test(t.cp.readLog()), 'the log says "Enter ActiveLB safeMode: 8.0A"', t.cp.logTail(20));
            t.ok(/P1 Device failure/.test(t.cp.readLog()), 'and "P1 Device failure: ..."', t.cp.logTail(20));

            // Plugged back in: reopened with back-off, the live budget again.
            await meter.plug();
            amps = [12, 12, 12];
            sending = true;
            const pump2 = (async () => {
                while (sending) {
                    await meter.send(telegram(amps), 37).catch(() => {});
                    await t.sleep(1000 / SCALE);
                }
            })();
            await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 13) < 0.05, t.scaled(40) + 3000,
                'the device reopened: 25 - 12 = 13 A again');
            st = await t.cp.status();
            t.ok(st.grid.reopens >= 1 && st.grid.mode === 'live', 'status.grid counts the reopen and is live', st.grid);
            sending = false;
            await pump2;
        } finally {
            sending = false;
            await meter.stop();
            try { fs.unlinkSync(link); } catch (e) { /* gone */ }
        }
    },
};
