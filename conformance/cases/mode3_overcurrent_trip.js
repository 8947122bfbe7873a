'use strict';
// docs/mode3.md overcurrent protection (docs/mode3.md): an EV drawing 125 %
// of the offered current trips the socket within the scaled 2 s of the
// ≥ 120 % band: StatusNotification Faulted with errorCode OverCurrentFailure,
// info "Overcurrent detected allowed xxA actual xxA", vendorErrorCode 302,
// and the socket stops offering current.
const { bootAccepted, startLocalTransaction, pollConnector, waitStatus } = require('../lib/steps');

const EV_MAX = 16;  // A: also Connector1-MaxCurrent, so that the station offers it

module.exports = {
    title: 'overdraw 125 % → Faulted (OverCurrentFailure, 302, info) within the scaled 2 s; offer stops',
    timeScale: 10, // one 100 ms control cycle is 1 s on the daemon clock
    connectors: 2,
    // A station cannot know the EV's maximum (it sees only what the EV
    // draws): its own connector limit makes the offer 16 A.
    config: { 'Connector1-MaxCurrent': String(EV_MAX) },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGOVER', ev: { phases: 3, max_current: EV_MAX } });
        const steady = await pollConnector(t, 1, (c) => c.offered_a === EV_MAX && c.import_a.every((a) => Math.abs(a - EV_MAX) <= 0.5), t.scaled(120) + 5000);
        t.ok(steady, 'test setup: the EV draws its 16 A at a 16 A offer', await t.cp.connector(1));
        const m = t.csms.mark();
        const t0 = Date.parse((await t.cp.status()).now);
        await t.cp.ev(1, { draw_factor: 1.25 });
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: t.scaled(10) + 3000,
            rule: 'an EV drawing 125 % of the offer (≥ 120 % band) trips the socket: StatusNotification Faulted (docs/mode3.md overcurrent)' });
        const p = f.payload;
        t.equal(p.errorCode, 'OverCurrentFailure', 'the trip reports errorCode OverCurrentFailure (docs/balancing.md, OCPP 1.6 §7.6)');
        t.equal(p.vendorErrorCode, '302', 'the trip reports vendorErrorCode 302 (docs/balancing.md, docs/mode3.md)');
        const mm = /^Overcurrent detected allowed (\d+(?:\.\d+)?)A actual (\d+(?:\.\d+)?)A$/.exec(p.info || '');
        t.ok(mm, 'info reads "Overcurrent detected allowed xxA actual xxA" (docs/balancing.md, docs/mode3.md)', p.info);
        t.near(Number(mm[1]), EV_MAX, 0.5, 'info names the allowed (offered) current (docs/balancing.md)');
        t.near(Number(mm[2]), EV_MAX * 1.25, 1, 'info names the actual (highest phase) current (docs/balancing.md)');
        const dt = (Date.parse(p.timestamp) - t0) / 1000;
        t.between(dt, 1.5, 2 + 2 + 2, 'the ≥ 120 % band trips after 2 s on the daemon clock (+ the EV ramp and a control cycle) (docs/balancing.md bands)');
        const after = await pollConnector(t, 1, (c) => c.offered_a === 0, 3000);
        t.ok(after, 'a tripped socket offers nothing (pause, C → F) (docs/mode3.md)', await t.cp.connector(1));
        const idle = await pollConnector(t, 1, (c) => c.import_a.every((a) => a === 0), 5000);
        t.ok(idle, 'the EV stops drawing once nothing is offered (README control socket obeys the pilot)', await t.cp.connector(1));
        const c2 = await t.cp.connector(2);
        t.equal(c2.ocpp_status, 'Available', 'the other socket is not affected by the trip (docs/balancing.md per socket)');
    },
};
