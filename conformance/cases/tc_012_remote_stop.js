'use strict';
// OCTT TC_012 Remote stop: RemoteStopTransaction with the running id is
// Accepted and the transaction stops with reason Remote; an unknown id is
// Rejected (OCTT TC_028).
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_012 remote stop: Accepted → StopTransaction(Remote); unknown id → Rejected',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0012' });
        const unknown = await t.csms.call('RemoteStopTransaction', { transactionId: txId + 1000 });
        t.equal(unknown.status, 'Rejected', 'RemoteStopTransaction with an id that is not running is Rejected (OCPP 1.6 §5.12, OCTT TC_028)');
        const m = t.csms.mark();
        const r = await t.csms.call('RemoteStopTransaction', { transactionId: txId });
        t.equal(r.status, 'Accepted', 'RemoteStopTransaction with the running id is Accepted (OCPP 1.6 §5.12)');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m, rule: 'an Accepted remote stop is followed by StopTransaction (OCPP 1.6 §5.12)' });
        t.equal(stop.payload.reason, 'Remote', 'a remotely stopped transaction has reason Remote (OCPP 1.6 §7.33)');
        await waitStatus(t, 1, 'Finishing', { since: m, rule: 'stopped with the EV still plugged: Finishing (OCPP 1.6 §7.7)' });
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'the control socket shows no transaction after the remote stop (control socket status)');
    },
};
