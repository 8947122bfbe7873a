'use strict';
// OCPP 1.6 §4.2: "While in pending state, the following Central System
// initiated messages are not allowed: RemoteStartTransaction.req and
// RemoteStopTransaction.req".  The station answers them Rejected and
// changes nothing while it answers the rest ("The Charge Point SHOULD
// respond to these messages"); once Accepted they are taken again.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'boot Pending: RemoteStart/RemoteStopTransaction Rejected and nothing changes; answered again once Accepted',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'ADMITP1' });

        // A new registration, answered Pending (long interval: no retry
        // during the case).
        t.csms.replyOnce('BootNotification', (p, c) => ({ status: 'Pending', currentTime: c.now(), interval: 3600 }));
        const m = t.csms.mark();
        t.equal((await t.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' })).status, 'Accepted',
            'test setup: TriggerMessage BootNotification is Accepted (OCPP 1.6 §5.17)');
        const pending = await t.csms.waitForAnswered('BootNotification', null, 10000, { since: m, rule: 'a triggered BootNotification follows (OCPP 1.6 §5.17)' });
        t.equal(pending.reply.payload.status, 'Pending', 'test setup: the new boot answered Pending');

        const stop = await t.csms.call('RemoteStopTransaction', { transactionId: txId });
        t.equal(stop.status, 'Rejected', 'RemoteStopTransaction while Pending is Rejected: not allowed then (OCPP 1.6 §4.2)');
        const start = await t.csms.call('RemoteStartTransaction', { idTag: 'ADMITP2', connectorId: 2 });
        t.equal(start.status, 'Rejected', 'RemoteStartTransaction while Pending is Rejected: not allowed then (OCPP 1.6 §4.2)');
        const conf = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.ok((conf.configurationKey || []).some((k) => k.key === 'HeartbeatInterval'),
            'GetConfiguration while Pending is answered (OCPP 1.6 §4.2)', conf);
        await t.sleep(t.scaled(3));
        const c1 = await t.cp.connector(1), c2 = await t.cp.connector(2);
        t.equal(c1.transaction_id, txId, 'the refused RemoteStopTransaction stopped nothing: the transaction on connector 1 runs on (OCPP 1.6 §4.2)');
        t.equal(c2.transaction_id, null, 'the refused RemoteStartTransaction started nothing on connector 2 (OCPP 1.6 §4.2)');

        // Accepted again: the same request is taken.
        const m2 = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: 'BootNotification' });
        const acc = await t.csms.waitForAnswered('BootNotification', null, 10000, { since: m2, rule: 'a triggered BootNotification follows (OCPP 1.6 §5.17)' });
        t.equal(acc.reply.payload.status, 'Accepted', 'test setup: the boot answered Accepted');
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'no StopTransaction while Pending (OCPP 1.6 §4.2)');
        t.equal((await t.csms.call('RemoteStopTransaction', { transactionId: txId })).status, 'Accepted',
            'RemoteStopTransaction once Accepted is Accepted (OCPP 1.6 §5.12)');
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m2, rule: 'an accepted RemoteStopTransaction ends the transaction with StopTransaction (OCPP 1.6 §5.12)' });
    },
};
