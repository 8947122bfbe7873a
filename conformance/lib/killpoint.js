'use strict';
// Kill points: the daemon, built with --enable-test-hooks and started with
// OCPP_CP_KILLPOINT=<name>, SIGKILLs itself at the named place between two
// durable steps (see include/cp_testhook.h).  These helpers run one scenario
// to that point, restart the daemon without the hook, and collect what the
// central system received afterwards, so a case can prove that a transaction
// message arrives exactly once whatever instant the power goes.

const { bootAccepted } = require('./steps');
const { pollUntil } = require('./util');

function hooksBuilt() { return process.env.OCPP_CP_TEST_HOOKS === '1'; }

/** Skips the case honestly when the daemon was built without kill points. */
function requireHooks(t) {
    if (!hooksBuilt()) t.skip('ocpp-cp was built without --enable-test-hooks (no kill points)');
}

/**
 * A central system that gives the same transactionId to the same
 * StartTransaction (connector, idTag, timestamp, meterStart): a repeated
 * start after a crash is a retransmission, not a second transaction (OCPP 1.6
 * §4.7 delivery is at least once across a crash between the answer and its
 * being recorded).
 */
function idempotentStarts(csms, firstId = 7001) {
    const ids = new Map();
    let next = firstId;
    csms.reply('StartTransaction', (p) => {
        const key = `${p.connectorId}|${p.idTag}|${p.timestamp}|${p.meterStart}`;
        if (!ids.has(key)) ids.set(key, next++);
        return { transactionId: ids.get(key), idTagInfo: { status: 'Accepted' } };
    });
    return ids;
}

/** Waits until the daemon has killed itself at the kill point. */
async function expectKilledAt(t, name, timeoutMs = 15000) {
    const gone = await pollUntil(async () => !t.cp.running, timeoutMs, 50);
    const x = t.cp.exits[t.cp.exits.length - 1] || {};
    t.ok(gone && x.signal === 'SIGKILL', `test setup: the daemon stopped with SIGKILL at kill point ${name}`, { exit: x, log: t.cp.logTail(20) });
    t.ok(/kill point .* reached/.test(t.cp.readLog()), `test setup: the daemon reached kill point ${name}`, t.cp.logTail(20));
}

/** Restarts without the kill point and waits for the Accepted boot; returns the mark before it. */
async function restartClean(t) {
    t.cp.setEnv({ OCPP_CP_KILLPOINT: undefined });
    const m = t.csms.mark();
    await t.restart();
    await bootAccepted(t, { since: m, timeoutMs: 15000 });
    return m;
}

/**
 * After restartClean(): the transaction's StopTransaction arrives, names it,
 * has `reason` (when given), and arrives exactly once.  Returns it.
 */
async function expectStopOnce(t, since, txId, rule, reason) {
    const stop = await t.csms.waitForAnswered('StopTransaction', null, 20000, { since, rule });
    t.equal(stop.payload.transactionId, txId, 'the StopTransaction names the transaction (OCPP 1.6 §4.10)');
    if (reason) t.equal(stop.payload.reason, reason, `reason ${reason} (OCPP 1.6 §7.40)`);
    await t.sleep(t.scaled(10));
    const stops = t.csms.calls('StopTransaction');
    t.equal(stops.length, 1, 'the StopTransaction arrives exactly once (nothing lost, nothing sent twice)', stops.map((e) => e.payload));
    return stop;
}

/** Control commands racing the kill point may lose their reply: that is the point. */
async function tolerant(p) {
    try { return await p; } catch (e) { return null; }
}

module.exports = { hooksBuilt, requireHooks, idempotentStarts, expectKilledAt, restartClean, expectStopOnce, tolerant };
