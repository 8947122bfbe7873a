'use strict';
// A station that boots with a wrong clock takes the central system's time:
// BootNotification.conf currentTime (OCPP 1.6 §4.2) and Heartbeat.conf
// currentTime (§4.6) step the wall clock, so every timestamp the station
// sends afterwards (StatusNotification, StartTransaction, MeterValues) is in
// the central system's time.  Here the central system's clock is one hour
// ahead of the host's at boot, then two hours behind at the heartbeats; each
// step is logged once.
const { bootAccepted, startLocalTransaction, parseTime } = require('../lib/steps');

const HOUR = 3600 * 1000;
const SAMPLE = 2; // s: MeterValueSampleInterval
const TOL = 3000; // ms: the station's clock vs ours, after the step (ST_CLOCK_STEP_MIN_MS + slack)

const iso = (ms) => new Date(ms).toISOString();

module.exports = {
    title: 'the wall clock follows currentTime of BootNotification.conf and Heartbeat.conf; timestamps sent are in the central system time',
    timeScale: 1,
    connectors: 1,
    config: { MeterValueSampleInterval: SAMPLE, ClockAlignedDataInterval: 0 },
    timeoutMs: 40000,
    setup(t) {
        t.csms.reply('BootNotification', () => ({ status: 'Accepted', currentTime: iso(Date.now() + HOUR), interval: 3600 }));
    },
    async run(t) {
        const boot = await bootAccepted(t, { connectors: 1 });
        const st = t.csms.calls('StatusNotification', boot.index).filter((e) => e.payload.timestamp);
        t.ok(st.length > 0, 'test setup: StatusNotification after boot carries a timestamp (OCPP 1.6 §7.40 timestamp)', st.map((e) => e.payload));
        for (const e of st) {
            t.near(parseTime(e.payload.timestamp) - e.t, HOUR, TOL,
                'after BootNotification.conf the station timestamps in the central system time, one hour ahead of the host (OCPP 1.6 §4.2 currentTime)');
        }
        t.ok(/clock stepped by \+3600 s to the central system's time/.test(t.cp.readLog()),
            'the step is logged once with its size', t.cp.logTail(40));

        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGTIME1', ev: { phases: 3, max_current: 16 } });
        t.near(parseTime(start.payload.timestamp) - start.t, HOUR, TOL,
            'StartTransaction.timestamp is in the central system time (OCPP 1.6 §4.2, §6.46)');
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, SAMPLE * 1000 * 2 + 3000,
            { since: start.index, rule: 'transaction MeterValues every MeterValueSampleInterval (OCPP 1.6 §9.1)' });
        t.near(parseTime(mv.payload.meterValue[0].timestamp) - mv.t, HOUR, TOL,
            'MeterValues timestamps are in the central system time (OCPP 1.6 §4.2)');

        // Heartbeat.conf with another offset: two hours behind the host.
        t.csms.reply('Heartbeat', () => ({ currentTime: iso(Date.now() - 2 * HOUR) }));
        const ch = await t.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' });
        t.equal(ch.status, 'Accepted', 'test setup: HeartbeatInterval is writable (OCPP 1.6 §9.1)');
        const hb = await t.csms.waitForAnswered('Heartbeat', null, 5000,
            { since: mv.index, rule: 'Heartbeat at the changed HeartbeatInterval (OCPP 1.6 §4.6)' });
        const after = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, SAMPLE * 1000 * 2 + 3000,
            { since: hb.index + 1, rule: 'transaction MeterValues keep coming after the step (OCPP 1.6 §9.1)' });
        t.near(parseTime(after.payload.meterValue[0].timestamp) - after.t, -2 * HOUR, TOL,
            'after Heartbeat.conf the station timestamps in its currentTime, two hours behind the host (OCPP 1.6 §4.6)');
        const steps = t.cp.readLog().match(/clock stepped by [+-]\d+ s/g) || [];
        t.equal(steps, ['clock stepped by +3600 s', 'clock stepped by -10800 s'],
            'each step is logged once, none for the heartbeats that agree');
    },
};
