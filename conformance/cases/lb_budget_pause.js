'use strict';
// docs/balancing.md, docs/balancing.md: alternating is taking turns in a budget too small for
// every socket's minimum.  A single EV under a budget below 6 A (here a
// ChargePointMaxProfile of 4 A with load balancing on) has no turn to wait
// for: it is paused with the balancing reason `budget`, not `alternating`,
// its transaction stays (SuspendedEVSE, OCPP 1.6 §4.9), and it charges
// again as soon as the budget allows.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { startSession, expectConnector, probingOver } = require('../lib/lb');
const { daemonNow, iso, profile, setProfileOk, clearProfiles } = require('../lib/sc_sched');

const SCALE = 30;

module.exports = {
    title: 'one EV under a 4 A budget: paused for "budget" (not "alternating"), SuspendedEVSE, resumes when the budget returns',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const s = await startSession(t, { connector: 1, idTag: 'TAGBUDGET', ev: { phases: 3, max_current: 32 } });
        await expectConnector(t, 1, (c) => c.offered_a > 0, t.scaled(10) + 3000, 'test setup: the EV is offered current');
        await probingOver(t, [1], t.scaled(90) + 3000);

        const m = t.csms.mark();
        const t0 = await daemonNow(t);
        await setProfileOk(t, 0, profile({ id: 910, purpose: 'ChargePointMaxProfile', startSchedule: iso(t0 - 60e3), periods: [[0, 4]] }),
            'a 4 A ChargePointMaxProfile on connector 0 is Accepted (OCPP 1.6 §3.13.1)');
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0, t.scaled(5) + 3000,
            'under a 4 A station budget nothing is offered: below the 6 A minimum (IEC 61851-1, docs/limits.md)');
        t.equal(c.balancing, 'budget', 'the control socket names the reason: budget, not alternating (nobody else to take turns with; docs/balancing.md, docs/balancing.md)');
        t.equal(c.transaction_id, s.txId, 'the transaction keeps running while paused (docs/balancing.md)');
        await waitStatus(t, 1, 'SuspendedEVSE', { since: m,
            rule: 'a transaction the station offers nothing is SuspendedEVSE (OCPP 1.6 §4.9, docs/status.md 3.2)' });
        // Well into what would be an alternating period: still the same reason, still paused.
        await t.sleep(t.scaled(60));
        const later = await t.cp.connector(1);
        t.equal([later.offered_a, later.balancing], [0, 'budget'], 'a minute later: still paused for the budget, no turn came (docs/balancing.md)');

        const m2 = t.csms.mark();
        t.equal(await clearProfiles(t, { id: 910 }), 'Accepted', 'test setup: ClearChargingProfile of the budget is Accepted (OCPP 1.6 §5.5)');
        await expectConnector(t, 1, (x) => x.offered_a >= 6 && x.balancing !== 'budget', t.scaled(5) + 3000,
            'with the budget gone the EV is offered current again at once (docs/balancing.md)');
        await waitStatus(t, 1, 'Charging', { since: m2, rule: 'and charges again: Charging (OCPP 1.6 §4.9)' });
    },
};
