'use strict';
// docs/balancing.md /: a tripped socket resumes after 5 scaled minutes; while
// the overdraw persists it trips again; once the EV behaves it stays charging.
const { bootAccepted, startLocalTransaction, pollConnector, waitStatus } = require('../lib/steps');

const SCALE = 60; // 5 min = 5 s real
const EV_MAX = 16;  // A: also Connector1-MaxCurrent, so that the station offers it

module.exports = {
    title: 'overcurrent trip resumes after 5 scaled minutes, trips again while it persists, then stays',
    timeScale: SCALE,
    connectors: 2,
    // A station cannot know the EV's maximum (it sees only what the EV
    // draws): its own connector limit makes the offer 16 A.
    config: { 'Connector1-MaxCurrent': String(EV_MAX) },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGRESUME', ev: { phases: 3, max_current: EV_MAX } });
        await pollConnector(t, 1, (c) => c.offered_a === EV_MAX, t.scaled(120) + 5000);
        const m = t.csms.mark();
        await t.cp.ev(1, { draw_factor: 1.25 });
        const f1 = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: 5000, rule: 'overdraw 125 % trips (docs/balancing.md)' });
        const notFaulted = (since) => t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'Faulted',
            t.scaled(300) * 1.5 + 3000, { since, rule: 'a tripped socket resumes after 5 minutes (docs/balancing.md, docs/mode3.md)' });
        const r1 = await notFaulted(f1.index + 1);
        const d1 = (Date.parse(r1.payload.timestamp) - Date.parse(f1.payload.timestamp)) / 1000;
        t.near(d1, 300, 30, 'the socket resumes 5 minutes after the trip on the daemon clock (docs/balancing.md)');
        const f2 = await waitStatus(t, 1, 'Faulted', { since: r1.index + 1, timeoutMs: 5000,
            rule: 'while the overdraw persists the socket trips again after resuming (docs/balancing.md "repeat while it persists")' });
        t.ok(f2.index > r1.index, 'second trip after the resume', { r1: r1.index, f2: f2.index });
        await t.cp.ev(1, { draw_factor: 1.0 });
        const r2 = await notFaulted(f2.index + 1);
        const d2 = (Date.parse(r2.payload.timestamp) - Date.parse(f2.payload.timestamp)) / 1000;
        t.near(d2, 300, 30, 'the second trip also resumes after 5 minutes (docs/balancing.md)');
        const back = await pollConnector(t, 1, (c) => c.offered_a >= 6 && c.ocpp_status === 'Charging', 5000);
        t.ok(back, 'after resuming the socket offers current again and charges (docs/balancing.md)', await t.cp.connector(1));
        await t.sleep(t.scaled(60));
        const later = t.csms.calls('StatusNotification', r2.index + 1).filter((e) => e.payload.connectorId === 1 && e.payload.status === 'Faulted');
        t.equal(later.length, 0, 'an EV that no longer overdraws does not trip (docs/balancing.md bands)');
    },
};
