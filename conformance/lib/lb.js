'use strict';
// Steps for the Mode 3 driver and balancing cases: a
// session that may start paused, waiting for an offered current on the
// control socket or in MeterValues, and the daemon's own clock.  Kept apart
// from steps.js so that those cases read the same whatever steps.js grows.

const { pollUntil } = require('./util');
const { waitStatus, measurand, sampledValues } = require('./steps');

const SAMPLED = 'Energy.Active.Import.Register,Current.Import,Current.Offered';

/**
 * Plug an EV and present a tag; waits only for the StartTransaction we
 * answered (Charging may not come: balancing, suspend or a fault can keep
 * the socket paused).  Returns {txId, start}.
 */
async function startSession(t, { connector, idTag, ev = {}, timeoutMs = 10000 }) {
    const since = t.csms.mark();
    await t.cp.plug(connector, ev);
    await waitStatus(t, connector, 'Preparing', { since, timeoutMs, rule: `plugging in an EV makes connector ${connector} Preparing (OCPP 1.6 §4.9)` });
    const beforeTag = t.csms.mark();
    await t.cp.tag(connector, idTag);
    const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === connector && p.idTag === idTag, timeoutMs,
        { since: beforeTag, rule: `an authorized tag on plugged connector ${connector} starts a transaction (OCPP 1.6 §4.8)` });
    return { txId: start.reply.payload.transactionId, start, since: beforeTag };
}

const same = (a, b) => typeof a === 'number' && Math.abs(a - b) < 0.05;

/**
 * Polls the control socket until pred(connector status) holds; on timeout the
 * case fails with `rule`, showing the last status seen.
 */
async function expectConnector(t, connector, pred, timeoutMs, rule) {
    let last;
    const ok = await pollUntil(async () => {
        last = await t.cp.connector(connector);
        return pred(last) ? last : null;
    }, timeoutMs, 20);
    if (!ok) t.fail(`${rule} (not within ${timeoutMs} ms real)`, last);
    return ok;
}

/** offered_a on the control socket reaches `amps` (0.1 A resolution). */
function expectOffered(t, connector, amps, timeoutMs, rule) {
    return expectConnector(t, connector, (c) => same(c.offered_a, amps), timeoutMs, rule);
}

/** Waits until no socket in `connectors` is in its probing phase any more (docs/balancing.md: 60 s). */
async function probingOver(t, connectors, timeoutMs) {
    for (const c of connectors) {
        await expectConnector(t, c, (s) => s.balancing !== 'probing' && s.balancing !== 'off', timeoutMs,
            `connector ${c}: the probing phase ends after 60 s of station time (docs/balancing.md)`);
    }
}

/**
 * The first MeterValues of transaction txId (from `since`) whose
 * Current.Offered is `amps`; fails with `rule` when none comes in time.
 * Returns the entry.
 */
function expectMeterOffered(t, txId, amps, { since, timeoutMs, rule }) {
    return t.csms.waitFor('MeterValues',
        (p) => p.transactionId === txId && same(measurand(p, 'Current.Offered'), amps),
        timeoutMs, { since, rule, desc: `transaction ${txId} Current.Offered ${amps}` });
}

/** The daemon's clock (the scaled station time of status.now) in ms. */
async function daemonNow(t) {
    const st = await t.cp.status();
    return Date.parse(st.now);
}

/** Every Current.Offered sample of a transaction from `since`, as numbers. */
function offeredSamples(t, txId, since = 0) {
    return t.csms.calls('MeterValues', since)
        .filter((e) => e.payload.transactionId === txId)
        .map((e) => measurand(e.payload, 'Current.Offered'))
        .filter((v) => v !== undefined);
}

/**
 * One balancing vector (docs/station-model.md, docs/balancing.md): EVs on sockets 1 and 2 (`evs[c]`,
 * omitted = no EV), sessions started in order, then every socket must settle
 * at `want[c].offered` with `want[c].import` per grid phase L1..L3 (±0.5 A).
 * Unplugs afterwards and waits until the sockets are Available again, so the
 * next vector starts from scratch.  `name` labels the assertions.
 */
async function vector(t, { name, evs, want, probeS = 60, settleMs = 5000 }) {
    const conns = Object.keys(evs).map(Number);
    let k = 0;
    for (const c of conns) {
        await startSession(t, { connector: c, idTag: `V${name}${c}`.slice(0, 20) + (k++), ev: evs[c] });
    }
    // Probes may take turns (docs/balancing.md): allow one probing phase per socket.
    await probingOver(t, conns, t.scaled(probeS * conns.length) + 3000);
    const got = {};
    for (const c of conns) {
        const w = want[c];
        got[c] = await expectConnector(t, c,
            (s) => same(s.offered_a, w.offered) && s.import_a.every((a, i) => Math.abs(a - w.import[i]) <= 0.5), settleMs,
            `${name}: connector ${c} is offered ${w.offered} A and draws ${JSON.stringify(w.import)} A on grid L1..L3 (docs/station-model.md phase mapping, §5 vector ${name})`);
    }
    const grid = [0, 1, 2].map((i) => conns.reduce((a, c) => a + got[c].import_a[i], 0));
    const since = t.csms.mark();
    for (const c of conns) await t.cp.unplug(c);
    for (const c of conns) {
        await waitStatus(t, c, 'Available', { since, timeoutMs: 10000, rule: `${name}: after unplugging, connector ${c} is Available again (OCPP 1.6 §4.9)` });
    }
    return { got, grid };
}

module.exports = { vector, SAMPLED, startSession, expectConnector, expectOffered, probingOver, expectMeterOffered, daemonNow, offeredSamples, same, sampledValues };
