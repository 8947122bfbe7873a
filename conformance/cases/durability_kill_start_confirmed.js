'use strict';
// Kill point between the two steps that record a confirmed StartTransaction:
// taking it off the queue and storing the transactionId the central system
// gave.  Killed there, a station that commits them separately has forgotten
// the start but cannot name the transaction: after the restart its
// StopTransaction is dropped and the transaction stays open at the central
// system forever.  The two steps are one SQLite transaction: after the restart
// the transaction is stopped (PowerLoss) exactly once, with its id.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { requireHooks, idempotentStarts, expectKilledAt, restartClean, expectStopOnce, tolerant } = require('../lib/killpoint');

module.exports = {
    title: 'SIGKILL between dequeuing a confirmed StartTransaction and storing its id: Stop(PowerLoss) once after restart',
    timeScale: 10,
    connectors: 2,
    env: { OCPP_CP_KILLPOINT: 'start_confirmed' },
    timeoutMs: 60000,
    async run(t) {
        requireHooks(t);
        idempotentStarts(t.csms, 7001);
        await bootAccepted(t);
        const m0 = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await waitStatus(t, 1, 'Preparing', { since: m0 });
        await tolerant(t.cp.tag(1, 'KILLSTART'));
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'KILLSTART', 10000,
            { since: m0, rule: 'an authorized tag on a plugged connector starts a transaction (OCPP 1.6 §4.8)' });
        const txId = start.reply.payload.transactionId;
        await expectKilledAt(t, 'start_confirmed');

        const m = await restartClean(t);
        await expectStopOnce(t, m, txId, 'a transaction whose start was confirmed is stopped after the power loss (OCPP 1.6 §4.10, §7.40 PowerLoss)', 'PowerLoss');
        const starts = t.csms.calls('StartTransaction', m);
        for (const s of starts) {
            t.equal(s.reply.payload.transactionId, txId, 'a StartTransaction repeated after the restart is the same start (retransmission of an unrecorded answer), not a new transaction', s.payload);
        }
    },
};
