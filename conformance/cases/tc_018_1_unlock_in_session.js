'use strict';
// OCTT TC_018_1 Unlock connector with a charging session: the transaction is
// stopped with reason UnlockCommand, then the connector is unlocked.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TC_018_1 UnlockConnector during a transaction → StopTransaction(UnlockCommand), Unlocked',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGUNLOCK' });
        const m = t.csms.mark();
        const r = await t.csms.call('UnlockConnector', { connectorId: 1 });
        t.equal(r.status, 'Unlocked', 'UnlockConnector during a transaction is Unlocked (OCPP 1.6 §5.18)');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m, rule: 'unlocking during a transaction stops it (OCPP 1.6 §5.18)' });
        t.equal(stop.payload.reason, 'UnlockCommand', 'the stop reason is UnlockCommand (OCPP 1.6 §5.18, §7.33)');
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'no transaction after the unlock (control socket status)');
    },
};
