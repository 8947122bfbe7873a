'use strict';
// OCTT TC_028 Remote stop transaction – Rejected: RemoteStopTransaction with a
// transactionId the charge point does not run is Rejected, and the running
// transaction goes on.  Without any transaction it is Rejected too, and a
// stopped transaction's id is unknown afterwards.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TC_028 RemoteStopTransaction with an unknown transactionId → Rejected, the transaction continues',
    timeScale: 10,
    connectors: 2,
    csms: { firstTransactionId: 2800 },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        let r = await t.csms.call('RemoteStopTransaction', { transactionId: 2799 });
        t.equal(r.status, 'Rejected', 'RemoteStopTransaction without any transaction running is Rejected (OCPP 1.6 §5.12)');

        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0028' });
        let m = t.csms.mark();
        for (const id of [txId + 1, txId - 1, 0, -1, 2147483647]) {
            r = await t.csms.call('RemoteStopTransaction', { transactionId: id });
            t.equal(r.status, 'Rejected', `RemoteStopTransaction with unknown transactionId ${id} is Rejected (OCPP 1.6 §5.12, OCTT TC_028 step 2)`);
        }
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a Rejected remote stop stops nothing (OCPP 1.6 §5.12)');
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, txId, 'the running transaction continues (control socket status)');
        t.equal(c.ocpp_status, 'Charging', 'the connector keeps charging after a Rejected remote stop (OCPP 1.6 §5.12)');

        // The right id stops it; afterwards that id is unknown.
        m = t.csms.mark();
        r = await t.csms.call('RemoteStopTransaction', { transactionId: txId });
        t.equal(r.status, 'Accepted', 'test setup: RemoteStopTransaction with the running id is Accepted (OCPP 1.6 §5.12)');
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000, { since: m, rule: 'the Accepted remote stop ends the transaction (OCPP 1.6 §5.12)' });
        r = await t.csms.call('RemoteStopTransaction', { transactionId: txId });
        t.equal(r.status, 'Rejected', 'RemoteStopTransaction for a transaction that already stopped is Rejected (OCPP 1.6 §5.12)');
        await t.sleep(t.scaled(3));
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'the stopped transaction is not stopped twice (OCPP 1.6 §4.10)');
    },
};
