'use strict';
// docs/balancing.md redistribution (docs/balancing.md notice): two 3-phase EVs share
// Station-MaxCurrent 25 (12.5/12.5).  EV 1 starts drawing only 40 % of its
// offer (5 A of 12.5: > 3 A less).  Not before 3 minutes of that, its share is
// lowered towards what it draws plus a margin, never below its 6 A minimum,
// and the other socket gets the rest; when EV 1 draws more again it gets its
// share back within a few control cycles.
const { bootAccepted } = require('../lib/steps');
const { startSession, expectOffered, expectConnector, probingOver, daemonNow } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 32 };
const SHORTFALL = 180;      // s of station time (docs/balancing.md: "> 3 min")

module.exports = {
    title: 'redistribution: an EV drawing > 3 A less than offered for 3 min gives the rest away (≥ its 6 A minimum), gets it back when it draws',
    timeScale: 30,
    connectors: 2,
    config: { 'Station-MaxCurrent': '25.0', 'Static-LoadBalancing': 'On' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        await startSession(t, { connector: 1, idTag: 'TAGRD1', ev: EV });
        await startSession(t, { connector: 2, idTag: 'TAGRD2', ev: EV });
        await probingOver(t, [1, 2], t.scaled(120) + 3000);
        for (const c of [1, 2]) await expectOffered(t, c, 12.5, 3000, `test setup: 12.5 A each, connector ${c}`);

        const t0 = await daemonNow(t);
        await t.cp.ev(1, { draw_factor: 0.4 });
        await expectConnector(t, 1, (c) => c.import_a.every((a) => Math.abs(a - 5) <= 0.2), 3000, 'test setup: EV 1 draws 5 A of its 12.5 A');
        // Watch until the share moves; it must not move before 3 minutes.
        let st;
        for (;;) {
            st = await t.cp.status();
            const c1 = st.connectors[0];
            if (c1.offered_a !== 12.5) break;
            t.ok((Date.parse(st.now) - t0) / 1000 < SHORTFALL + 10, 'the share of an EV that draws > 3 A less is lowered after 3 minutes (docs/balancing.md)', st.connectors);
            await t.sleep(20);
        }
        const dt = (Date.parse(st.now) - t0) / 1000;
        t.atLeast(dt, SHORTFALL, 'a shortfall is acted on only after it lasted 3 minutes of station time (docs/balancing.md "> 3 min")');
        t.atMost(dt, SHORTFALL + 3, 'the share is lowered right after the 3 minutes (docs/balancing.md)');
        const low = await expectConnector(t, 1, (c) => c.offered_a === 6, t.scaled(30) + 2000,
            'the lowered share settles at the EV\'s 6 A minimum, never below it, so the EV can resume (docs/balancing.md; 40 % of 6 A + margin < 6 A)');
        t.equal(low.balancing, 'reduced', 'the control socket names the reason: reduced (control socket status.balancing)');
        const other = await expectOffered(t, 2, 19, 2000, 'the other socket gets what EV 1 does not use: 25 − 6 = 19 A (docs/balancing.md redistribution)');
        t.equal(other.balancing, 'share', 'the other socket is on its (larger) share');
        // Never below the minimum, never over budget, while it settled.
        const hist = await t.cp.status();
        t.ok(hist.connectors[0].offered_a + hist.connectors[1].offered_a <= 25.05, 'the sum stays within Station-MaxCurrent (docs/balancing.md)', hist.connectors);

        const t1 = await daemonNow(t);
        await t.cp.ev(1, { draw_factor: 1.0 });
        let back;
        for (;;) {
            back = await t.cp.status();
            if (back.connectors.every((c) => c.offered_a === 12.5)) break;
            // The EV's ramp past cap − margin/2 (0.1 s at 32 A/s), a driver
            // tick for the EV to follow (0.3 s here), a few 100 ms cycles.
            const el = (Date.parse(back.now) - t1) / 1000;
            t.ok(el < 1.0, 'when the EV draws more again it gets its share back within a few control cycles (docs/balancing.md: < 1 s of station time)', { station_s: el, connectors: back.connectors });
            await t.sleep(5);
        }
        t.log(`share back after ${((Date.parse(back.now) - t1) / 1000).toFixed(2)} s of station time`);
        t.equal(back.connectors.map((c) => c.balancing), ['share', 'share'], 'both on their equal share again (docs/balancing.md)');
    },
};
