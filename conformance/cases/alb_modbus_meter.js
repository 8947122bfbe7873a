'use strict';
// Active load balancing from a Modbus TCP meter (docs/balancing.md), set up
// through OCPP keys alone: the offered current follows what the grid
// connection has left within two poll periods; the meter going away gives
// Safe-MaxCurrent (logged "Enter ActiveLB safeMode: 8.0A"), its return the
// live budget again.  The meter is modbus-serial's server on loopback.
const { bootAccepted } = require('../lib/steps');
const { startSession, expectConnector, probingOver } = require('../lib/lb');
const { freePort } = require('../lib/util');
const { ModbusMeter } = require('../lib/modbus_meter');
const { changeKeys } = require('../lib/keys');

const SCALE = 10;
const POLL_S = 1; // the meter is polled once per second of station time

module.exports = {
    title: 'ALB with a Modbus TCP meter: the offer follows the grid budget, Safe-MaxCurrent when the meter is lost, recovery',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 90000,
    async run(t) {
        const port = await freePort();
        const meter = new ModbusMeter({ port, unit: 5 });
        meter.set([10, 10, 10]);
        await meter.start();
        try {
            await bootAccepted(t);
            const keys = {
                'SmartMeter-MaxCurrent': '25.0',
                'Safe-MaxCurrent': '8.0',
                'SmartMeterIncludesCharger': 'False',
                'ALB-ProtocolSelection': 'Modbus TCP/IP',
                'MBTCPSmart-IPAddress': '127.0.0.1',
                'MBTCPSmart-Port': String(port),
                'MBTCPSmart-SlaveUnitID': '5',
                'MBTCPSmart-SlaveMeterModel': 'Socomec',
                'MBTCPSmart-IsEnabled': 'True',
                'Active-LoadBalancing': 'On',
            };
            await changeKeys(t, keys);
            await startSession(t, { connector: 1, idTag: 'TAGALB', ev: { phases: 3, max_current: 32 } });
            await probingOver(t, [1], t.scaled(90) + 5000);

            // 25 A connection, 10 A other load: 15 A for the EV.
            let c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 15) < 0.05, t.scaled(5 * POLL_S) + 3000,
                'with 10 A of other load on a 25 A connection the EV is offered 15 A (docs/balancing.md)');
            t.equal(c.binding, 'alb', 'the control socket names the meter budget as what binds');
            let st = await t.cp.status();
            t.equal([st.grid.source, st.grid.mode], ['modbus', 'live'], 'status.grid: a live Modbus meter');
            t.equal(st.grid.reading_a, [10, 10, 10], 'status.grid shows the meter reading per phase');

            // The building takes 7 A more on L2: 8 A for the EV, within two polls.
            meter.set([10, 17, 10]);
            const t0 = Date.now();
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(2 * POLL_S) + 400,
                'a reading of 17 A on L2 lowers the offer to 8 A within two poll periods (docs/balancing.md)');
            t.figure('meter change → new offer (real ms, one poll = 100 ms real)', Date.now() - t0);

            // Export on every phase (PV) raises the budget: capped by the EV's 32 A socket.
            meter.set([-5, -5, -5]);
            await expectConnector(t, 1, (x) => x.offered_a > 15, t.scaled(10 * POLL_S) + 1000,
                'export (negative readings) raises the budget above the connection limit (docs/balancing.md)');

            // The meter goes away: Safe-MaxCurrent within three polls and a control cycle.
            await meter.stop();
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(6 * POLL_S) + 1000,
                'without meter data the station falls to Safe-MaxCurrent 8 A (docs/balancing.md)');
            t.equal(c.binding, 'safe', 'the control socket names safe mode as what binds');
            st = await t.cp.status();
            t.equal(st.grid.mode, 'safe', 'status.grid: safe mode');
            t.ok(st.grid.timeouts + st.grid.polls_failed > 0, 'the lost polls are counted', st.grid);
            t.ok(/Enter ActiveLB safeMode: 8\.0A/.test(t.cp.readLog()), 'the log says "Enter ActiveLB safeMode: 8.0A"', t.cp.logTail(20));
            t.ok(/Modbus TCP\/IP lost, in safe mode max 8\.0A/.test(t.cp.readLog()), 'and "Modbus TCP/IP lost, in safe mode max 8.0A"', t.cp.logTail(20));

            // It comes back: the live budget again (reconnect back-off is at most 30 s).
            meter.set([12, 12, 12]);
            await meter.start();
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 13) < 0.05, t.scaled(40) + 3000,
                'with the meter back the live budget applies again: 25 - 12 = 13 A (docs/balancing.md)');
            st = await t.cp.status();
            t.equal(st.grid.mode, 'live', 'status.grid: live again');
        } finally {
            await meter.stop();
        }
    },
};
