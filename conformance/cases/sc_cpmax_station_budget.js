'use strict';
// docs/limits.md: ChargePointMaxProfile limits the whole station (the sum over its
// sockets, per phase): it is a budget the allocator shares, not a per-socket
// cap.  Two 3-phase EVs under a 20 A ChargePointMaxProfile get 10 A each and
// their sum never exceeds 20 A; one alone gets the whole 20 A; a period
// change of the profile re-shares at its boundary.  GetCompositeSchedule of a
// connector still reports min(ChargePointMax, its Tx level) (OCPP), and of
// connector 0 the station's schedule.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, assertComposite, waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

module.exports = {
    title: 'ChargePointMaxProfile is a station budget: 2 EVs share it (10+10), one takes it all, re-shared at a period change',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const t0 = await daemonNow(t);
        // 20 A until t0 + 600 s, then 12 A.
        await setProfileOk(t, 0, profile({ id: 800, purpose: 'ChargePointMaxProfile', startSchedule: iso(t0 - 3600e3), periods: [[0, 20], [3600 + 600, 12]] }),
            'ChargePointMaxProfile on connector 0 is Accepted (OCPP 1.6 §3.13.1)');
        const boundary = Math.floor(t0 / 1000) * 1000 + 600e3;
        const comp1 = await composite(t, 1, 900, 'A');
        assertComposite(t, comp1, (ms) => (ms < boundary ? 20 : 12), { boundaries: [boundary], slack: 3,
            rule: 'GetCompositeSchedule of connector 1 reports min(ChargePointMax, hardware): 20 then 12 A, not a share (docs/limits.md, OCPP 1.6 §5.7)' });
        const comp0 = await composite(t, 0, 900, 'A');
        assertComposite(t, comp0, (ms) => (ms < boundary ? 20 : 12), { boundaries: [boundary], slack: 3,
            rule: 'GetCompositeSchedule of connector 0 is min(ChargePointMax, Station-MaxCurrent, Σ connectors): 20 then 12 A' });

        // Watch the sum of the offers for the rest of the case: it may never exceed the budget in force.
        const over = [];
        let samples = 0;
        let watching = true;
        const watcher = (async () => {
            while (watching) {
                const st = await t.cp.status().catch(() => null);
                const now = st ? Date.parse(st.now) : NaN;
                // A control cycle (≈100 ms station time) around the boundary may still show the old share.
                if (st && Math.abs(now - boundary) > 3000) {
                    samples++;
                    const sum = st.connectors.reduce((s, c) => s + c.offered_a, 0);
                    const budget = now < boundary ? 20 : 12;
                    if (sum > budget + 0.05) over.push({ now: st.now, offered: st.connectors.map((c) => c.offered_a), budget });
                }
                await t.sleep(40);
            }
        })();

        const a = await startLocalTransaction(t, { connector: 1, idTag: 'TAGCPM1', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (x) => x === 20, t.scaled(90) + 3000),
            'one EV alone takes the whole ChargePointMaxProfile budget: 20 A (docs/limits.md: station budget, SLB shares over sockets in use)', await t.cp.connector(1));
        const b = await startLocalTransaction(t, { connector: 2, idTag: 'TAGCPM2', ev: { phases: 3, max_current: 32 } });
        const both = await waitOffered(t, 2, (x, c) => x === 10, t.scaled(120) + 3000);
        t.ok(both, 'two 3-phase EVs share the 20 A ChargePointMaxProfile: connector 2 gets 10 A (docs/limits.md, docs/balancing.md SLB max-min fair)', await t.cp.status());
        t.ok(await waitOffered(t, 1, (x) => x === 10, 3000), 'and connector 1 gets 10 A: the sum stays within the station budget (docs/limits.md)', await t.cp.status());
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.binding === 'balancing' || c.binding === 'profile'),
            'the binding source is the balancing share of the profile budget (docs/limits.md: report which source binds)', st.connectors.map((c) => c.binding));

        // At the boundary the budget drops to 12 A: both sockets at 6 A (the IEC minimum), still within the budget.
        const after = await waitOffered(t, 1, (x) => x === 6, t.scaled(700) + 3000);
        t.ok(after, 'at the ChargePointMaxProfile period change the budget (12 A) is re-shared: 6 A each (re-evaluated at the boundary; docs/balancing.md)', await t.cp.status());
        t.atLeast(Date.parse(after.now), boundary - 3000, 'the re-share happens at the boundary, not before');
        t.ok(await waitOffered(t, 2, (x) => x === 6, 3000), 'connector 2 also gets 6 A under the 12 A budget (docs/limits.md, docs/balancing.md)', await t.cp.status());

        const m = t.csms.mark();
        await t.cp.unplug(2);
        await waitStatus(t, 2, 'Available', { since: m, rule: 'test setup: unplugging connector 2 ends its session' });
        t.ok(await waitOffered(t, 1, (x) => x === 12, 3000), 'with connector 2 gone connector 1 takes the whole 12 A budget (docs/balancing.md: re-allocated at once)', await t.cp.status());
        watching = false;
        await watcher;
        t.atLeast(samples, 50, 'test setup: the station was watched throughout');
        t.equal(over, [], 'the sum of the offered currents never exceeds the ChargePointMaxProfile budget in force (docs/limits.md: ChargePointMaxProfile limits the whole station)');
        t.ok(a.txId && b.txId, 'test setup: both transactions ran');
    },
};
