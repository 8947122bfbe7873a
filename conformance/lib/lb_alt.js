'use strict';
// One 14 A EV and one 6 A EV on a two-socket station under SLB (docs/balancing.md,
// §4.1.1, docs/balancing.md): with a budget ≥ 20 A the 14 A EV gets 14 A and the 6 A EV
// the rest; below 20 A they alternate every SCN-AlternatingPeriod, the paused
// one SuspendedEVSE.  Shared by the lb_alternating_* / lb_14a_6a_* cases,
// which differ in the budget and in which EV comes first.

const { bootAccepted } = require('./steps');
const { startSession, expectConnector, probingOver } = require('./lb');

const PERIOD = 60;      // SCN-AlternatingPeriod, s of station time (its minimum)
const PROBE = 60;       // probing phase, s of station time (docs/balancing.md)
const EV14 = { phases: 3, min_current: 14, max_current: 16 };
const EV6 = { phases: 3, min_current: 6, max_current: 16 };

function config(budget) {
    return { 'Station-MaxCurrent': budget.toFixed(1), 'Static-LoadBalancing': 'On', 'SCN-AlternatingPeriod': PERIOD };
}

/** Starts both sessions in the order given; returns {conn14, conn6}. */
async function startBoth(t, first14) {
    await bootAccepted(t);
    const conn14 = first14 ? 1 : 2;
    const conn6 = first14 ? 2 : 1;
    const order = first14 ? [[conn14, EV14, 'TAG14A'], [conn6, EV6, 'TAG6A']] : [[conn6, EV6, 'TAG6A'], [conn14, EV14, 'TAG14A']];
    for (const [c, ev, tag] of order) {
        await startSession(t, { connector: c, idTag: tag, ev });
        await probingOver(t, [c], t.scaled(PROBE) + 3000);
    }
    return { conn14, conn6 };
}

/**
 * Budget ≥ 20 A: once the 14 A EV is classified it gets 14 A and the 6 A EV
 * the rest, both charging, nobody alternating.
 */
async function fourteenPlusRest(t, { first14, budget }) {
    const { conn14, conn6 } = await startBoth(t, first14);
    // Classification needs the 14 A EV to be seen stopping below 14 A (a few
    // seconds of station time), then the allocation settles.
    const settle = t.scaled(PROBE + 30) + 3000;
    const rest = budget - 14;
    const a = await expectConnector(t, conn14, (c) => c.offered_a === 14 && c.ocpp_status === 'Charging', settle,
        `with a budget of ${budget} A ≥ 20 A the 14 A EV is offered 14 A and charges (docs/balancing.md, docs/balancing.md "budget ≥ 20 A → 14 + the rest")`);
    const b = await expectConnector(t, conn6, (c) => Math.abs(c.offered_a - rest) < 0.05 && c.ocpp_status === 'Charging', 3000,
        `… and the 6 A EV gets the rest, ${rest} A (docs/balancing.md)`);
    await expectConnector(t, conn14, (c) => c.import_a.every((x) => Math.abs(x - 14) <= 0.5), 3000,
        'the 14 A EV offered 14 A draws 14 A on its three phases (simulator: it charges at ≥ its minimum)');
    // Stable: over two alternating periods nobody pauses.
    const end = Date.now() + t.scaled(2 * PERIOD);
    while (Date.now() < end) {
        const st = await t.cp.status();
        const c14 = st.connectors.find((c) => c.id === conn14);
        const c6 = st.connectors.find((c) => c.id === conn6);
        t.ok(c14.offered_a === 14 && Math.abs(c6.offered_a - rest) < 0.05,
            `with ${budget} A both minima fit: no alternating, 14 + ${rest} A all the time (docs/balancing.md alternating only when the minima do not fit)`, [c14, c6]);
        await t.sleep(50);
    }
    t.equal(b.balancing, 'share', 'the 6 A EV is on its balancing share (status.balancing)');
}

/**
 * Budget < 20 A: after classification the two take turns, one charging at
 * the whole budget (capped by its EV max), the other SuspendedEVSE with 0,
 * swapping every SCN-AlternatingPeriod.
 */
async function alternate(t, { first14, budget }) {
    const { conn14, conn6 } = await startBoth(t, first14);
    const min = { [conn14]: 14, [conn6]: 6 };
    // Wait for the first pause that is an alternating turn (after both
    // probes and the 14 A EV's classification).
    const { pollUntil } = require('./util');
    const first = await pollUntil(async () => {
        const st = await t.cp.status();
        return st.connectors.some((c) => c.balancing === 'alternating') ? st : null;
    }, t.scaled(PROBE + 3 * PERIOD) + 3000, 20);
    t.ok(first, `with a budget of ${budget} A < 20 A the 14 A EV and the 6 A EV alternate (docs/balancing.md, docs/balancing.md "< 20 A → alternate")`,
        (await t.cp.status()).connectors);
    const m = t.csms.mark();
    const samples = [];
    const end = Date.now() + t.scaled(4 * PERIOD) + 500;
    while (Date.now() < end) {
        const st = await t.cp.status();
        samples.push({ t: Date.parse(st.now), c: st.connectors });
        await t.sleep(25);
    }
    const runs = { [conn14]: 0, [conn6]: 0 };
    const turns = [];
    let prev = null;
    for (const s of samples) {
        const on = [];
        for (const c of s.c) {
            t.ok(c.offered_a === 0 || c.offered_a >= min[c.id],
                `connector ${c.id} is never offered between 0 and its EV's minimum ${min[c.id]} A (docs/limits.md, docs/balancing.md; IEC 61851-1)`, c);
            if (c.offered_a > 0) on.push(c.id);
        }
        t.ok(s.c.reduce((a, c) => a + c.offered_a, 0) <= budget + 0.05,
            `the sum offered on each grid phase never exceeds Station-MaxCurrent ${budget} A (docs/balancing.md)`, s.c);
        t.ok(on.length <= 1, `14 + 6 A > ${budget} A: never both charging at once (docs/balancing.md alternating)`, s.c);
        const who = on.length ? on[0] : null;
        if (who !== null) runs[who]++;
        if (who !== null && who !== prev) turns.push({ who, t: s.t });
        if (who !== null) prev = who;
    }
    t.ok(runs[conn14] > 0 && runs[conn6] > 0, `over four alternating periods both EVs get turns (docs/balancing.md: nobody starves)`, runs);
    t.ok(turns.length >= 3, `the turn passes at least three times in four periods of ${PERIOD} s (docs/balancing.md re-chosen every SCN-AlternatingPeriod)`, turns);
    for (let i = 2; i < turns.length; i++) {
        const d = (turns[i].t - turns[i - 1].t) / 1000;
        t.near(d, PERIOD, 6, `a turn lasts SCN-AlternatingPeriod (${PERIOD} s of station time) (docs/balancing.md)`);
    }
    for (const c of [conn14, conn6]) {
        const e = t.csms.calls('StatusNotification', m).find((x) => x.payload.connectorId === c && x.payload.status === 'SuspendedEVSE');
        t.ok(e, `a socket paused for alternating reports SuspendedEVSE (docs/balancing.md, docs/status.md), connector ${c}`,
            t.csms.calls('StatusNotification', m).map((x) => `${x.payload.connectorId} ${x.payload.status}`));
    }
    const paused = samples.flatMap((s) => s.c).filter((c) => c.offered_a === 0);
    t.ok(paused.length && paused.every((c) => c.balancing === 'alternating'),
        'the control socket names the paused socket\'s reason: alternating (control socket status.balancing)', paused.slice(0, 3));
}

module.exports = { config, fourteenPlusRest, alternate, PERIOD, PROBE };
