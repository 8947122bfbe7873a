'use strict';
// Kill point between ending a transaction in the store and queueing its
// StopTransaction.  Killed there, a station that commits them separately
// has a transaction that is ended locally but whose StopTransaction was never
// queued: it is lost, and the transaction stays open at the central system
// forever.  The two steps are one SQLite transaction: after the restart the
// StopTransaction arrives exactly once (reason PowerLoss: the stop itself
// never became durable).
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { requireHooks, expectKilledAt, restartClean, expectStopOnce, tolerant } = require('../lib/killpoint');

module.exports = {
    title: 'SIGKILL between ending a transaction and queueing its StopTransaction: Stop once after restart',
    timeScale: 10,
    connectors: 2,
    env: { OCPP_CP_KILLPOINT: 'tx_stop' },
    timeoutMs: 60000,
    async run(t) {
        requireHooks(t);
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'KILLSTOP', ev: { phases: 3, max_current: 16 } });
        await tolerant(t.cp.unplug(1));
        await expectKilledAt(t, 'tx_stop');
        t.equal(t.csms.calls('StopTransaction').length, 0, 'test setup: no StopTransaction was sent before the kill');

        const m = await restartClean(t);
        await expectStopOnce(t, m, txId, 'a transaction whose stop was not yet durable is stopped after the restart (OCPP 1.6 §4.10, §4.7)');
    },
};
