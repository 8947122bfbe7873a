'use strict';
// Kill point inside the power-loss recovery at start-up, between ending the
// transaction that was running and queueing its StopTransaction(PowerLoss).
// Killed there, a station that commits them separately finds no open
// transaction at the next start and never sends the StopTransaction.  The
// two steps are one SQLite transaction: the next start recovers again and the
// StopTransaction arrives exactly once.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { requireHooks, expectKilledAt, restartClean, expectStopOnce } = require('../lib/killpoint');

module.exports = {
    title: 'SIGKILL during power-loss recovery, between ending the transaction and queueing its Stop: Stop(PowerLoss) once',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        requireHooks(t);
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'KILLRECOV', ev: { phases: 3, max_current: 16 } });
        await t.cp.kill('SIGKILL');
        t.cp.setEnv({ OCPP_CP_KILLPOINT: 'tx_stop' });
        t.csms.expectBoot();
        await t.cp.start({ waitControl: false }).catch(() => {});
        await expectKilledAt(t, 'tx_stop');

        const m = await restartClean(t);
        await expectStopOnce(t, m, txId, 'a transaction running at a power loss is stopped after the restart (OCPP 1.6 §4.10, §7.40)', 'PowerLoss');
    },
};
