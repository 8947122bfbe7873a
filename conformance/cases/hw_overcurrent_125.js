'use strict';
// conformance, docs/mode3.md overcurrent (docs/mode3.md): an EV drawing 125 %
// of its 16 A offer (20 A, the ≥ 120 % band) trips after 2 s of station time:
// StatusNotification Faulted, errorCode OverCurrentFailure, info exactly
// "Overcurrent detected allowed 16A actual 20A", vendorErrorCode "302".  The
// bound is tight on the daemon's clock: no earlier than 2 s after the command,
// no later than 2 s + the EV's ramp (0.1 s at 32 A/s) + one driver tick for
// the EV to see the command + one tick for the check (300 ms each at
// --time-scale 30).  During the 5 minute pause the transaction stays, nothing
// is offered (Current.Offered 0); after 5 minutes it charges again.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { SAMPLED, startSession, expectConnector, expectMeterOffered, daemonNow } = require('../lib/lb');

const SCALE = 30;
const TICK = 0.3;           // s of station time: driver tick at this scale (10 ms real)
const RAMP = 0.1;           // s: 16 → 19.2 A (120 %) at the simulator's 32 A/s
const SAMPLE = 30;

module.exports = {
    title: 'overdraw 125 % → Faulted OverCurrentFailure / exact info / 302 within 2 s (+ramp, ticks); 5 min pause, Current.Offered 0; resumes',
    timeScale: SCALE,
    connectors: 2,
    // The station limits the socket to 16 A itself: the EV's own maximum is
    // not something a station can know (it sees only what the EV draws).
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: SAMPLED, 'Connector1-MaxCurrent': '16.0' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const s = await startSession(t, { connector: 1, idTag: 'TAGOC125', ev: { phases: 3, min_current: 6, max_current: 16 } });
        await expectConnector(t, 1, (c) => c.offered_a === 16 && c.import_a.every((a) => Math.abs(a - 16) <= 0.1), t.scaled(120) + 3000,
            'test setup: offered 16 A (Connector1-MaxCurrent) and the EV draws 16 A');
        const m = t.csms.mark();
        const before = await daemonNow(t);
        await t.cp.ev(1, { draw_factor: 1.25 });
        const after = await daemonNow(t);
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: t.scaled(2 + 3) + 2000,
            rule: 'an EV drawing 125 % of its offer trips: StatusNotification Faulted (docs/mode3.md overcurrent)' });
        const p = f.payload;
        t.equal(p.errorCode, 'OverCurrentFailure', 'errorCode OverCurrentFailure (docs/balancing.md, OCPP 1.6 §7.6)');
        t.equal(p.info, 'Overcurrent detected allowed 16A actual 20A', 'info "Overcurrent detected allowed xxA actual xxA" with the offer and the highest phase current (docs/balancing.md, docs/mode3.md)');
        t.equal(p.vendorErrorCode, '302', 'vendorErrorCode 302 (docs/balancing.md, docs/mode3.md)');
        const ts = Date.parse(p.timestamp);
        t.atLeast((ts - after) / 1000, 2 - 0.05, 'the ≥ 120 % band does not trip before its 2 s (docs/balancing.md bands)');
        t.atMost((ts - before) / 1000, 2 + RAMP + 2 * TICK, 'the ≥ 120 % band trips 2 s after the current crossed 120 % (+ EV ramp, + a driver tick each for the EV and the check) (docs/balancing.md)');
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'a tripped socket offers nothing and the EV stops drawing (docs/balancing.md pause)');
        t.equal(c.pilot, 'F', 'the trip pauses in state F (docs/mode3.md "C → F")');
        t.equal(c.fault, 'overcurrent', 'the control socket names the fault: overcurrent (control socket status)');
        t.equal(c.transaction_id, s.txId, 'the transaction keeps running through the overcurrent pause (docs/balancing.md)');
        await expectMeterOffered(t, s.txId, 0, { since: f.index, timeoutMs: t.scaled(SAMPLE) * 2 + 2000,
            rule: 'Current.Offered is 0 in MeterValues during the overcurrent pause (docs/limits.md fault → 0)' });

        await t.cp.ev(1, { draw_factor: 1.0 });
        const r = await waitStatus(t, 1, 'Charging', { since: f.index + 1, timeoutMs: t.scaled(300 + 30) + 3000,
            rule: 'after the 5 minute pause the session charges again (docs/balancing.md "resume after 5 min")' });
        const back = t.csms.calls('StatusNotification', f.index + 1).find((e) => e.payload.connectorId === 1 && e.payload.status !== 'Faulted');
        t.between((Date.parse(back.payload.timestamp) - ts) / 1000, 300 - TICK, 300 + 2 * TICK,
            'the overcurrent pause lasts 5 minutes of station time (docs/balancing.md, docs/mode3.md)');
        t.ok(r.index > f.index, 'resumed after the trip', r.index);
        const ok = await expectConnector(t, 1, (x) => x.offered_a === 16 && x.import_a.every((a) => Math.abs(a - 16) <= 0.5), 3000,
            'resumed: the full 16 A again, no new probing (docs/balancing.md "no new probing after a pause")');
        t.equal(ok.transaction_id, s.txId, 'the same transaction continues after the pause (docs/balancing.md)');
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'the overcurrent pause stops no transaction (docs/balancing.md)');
    },
};
