'use strict';
// Kill point between recording a new transaction and queueing its
// StartTransaction.  Killed there, a station that commits them separately
// keeps a transaction nobody will ever hear of: at the restart it is stopped,
// and that StopTransaction has no transactionId to name, so it is dropped
// (logged "refers to a transaction without id").  The two steps are one SQLite
// transaction: either both happened or neither.  After the restart the same
// card starts a transaction whose Start and Stop each arrive exactly once,
// and no transaction message is dropped.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { requireHooks, expectKilledAt, restartClean, tolerant } = require('../lib/killpoint');

module.exports = {
    title: 'SIGKILL between recording a transaction and queueing its StartTransaction: nothing half-recorded',
    timeScale: 10,
    connectors: 2,
    env: { OCPP_CP_KILLPOINT: 'tx_start' },
    timeoutMs: 60000,
    async run(t) {
        requireHooks(t);
        await bootAccepted(t);
        const m0 = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await waitStatus(t, 1, 'Preparing', { since: m0 });
        await tolerant(t.cp.tag(1, 'KILLTXSTART'));
        await expectKilledAt(t, 'tx_start');
        t.equal(t.csms.calls('StartTransaction').length, 0, 'test setup: no StartTransaction was sent before the kill');

        const m = await restartClean(t);
        await t.cp.unplug(1).catch(() => {});
        await t.sleep(t.scaled(5));
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'KILLTXSTART', ev: { phases: 3, max_current: 16 } });
        await t.cp.unplug(1);
        const stop = await t.csms.waitForAnswered('StopTransaction', (p) => p.transactionId === txId, 15000,
            { since: m, rule: 'unplugging ends the transaction (OCPP 1.6 §4.10, StopTransactionOnEVSideDisconnect)' });
        t.ok(stop, 'the new transaction is stopped');
        await t.sleep(t.scaled(5));
        const stops = t.csms.calls('StopTransaction');
        t.equal(stops.length, 1, 'exactly one StopTransaction: none for a transaction the central system never heard of', stops.map((e) => e.payload));
        t.equal(t.csms.calls('StartTransaction').length, 1, 'exactly one StartTransaction');
        t.ok(!/without id/.test(t.cp.readLog().split('=== harness: start #2')[1] || ''),
            'after the restart no transaction message is dropped (a half-recorded transaction would be)', t.cp.logTail(40));
    },
};
