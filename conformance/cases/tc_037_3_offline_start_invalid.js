'use strict';
// OCTT TC_037_3 Offline start transaction, invalid idTag, StopTransactionOnInvalidId
// true: the offline start is later answered Invalid → StopTransaction(DeAuthorized).
const { bootAccepted, pollConnector } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_037_3 offline start answered Invalid with StopTransactionOnInvalidId=true → Stop(DeAuthorized)',
    timeScale: 10,
    connectors: 2,
    config: { LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'true', StopTransactionOnInvalidId: 'true' },
    timeoutMs: 60000,
    setup(t) {
        t.csms.reply('StartTransaction', (p, c) => ({ transactionId: c.nextTransactionId(), idTagInfo: { status: p.idTag === 'BADOFFLINE' ? 'Invalid' : 'Accepted' } }));
    },
    async run(t) {
        await bootAccepted(t);
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.plug(1, { phases: 3 });
        await t.cp.tag(1, 'BADOFFLINE');
        const ch = await pollConnector(t, 1, (c) => c.ocpp_status === 'Charging', 10000);
        t.ok(ch, 'offline with AllowOfflineTxForUnknownId=true the tag starts a transaction (OCPP 1.6 §3.5, §9.1)', await t.cp.connector(1));
        const m = t.csms.mark();
        t.csms.setOffline(false);
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'BADOFFLINE', 20000, { since: m, rule: 'after the reconnect the offline start is delivered (OCPP 1.6 §4.7)' });
        const stop = await t.csms.waitFor('StopTransaction', null, 10000,
            { since: start.index, rule: 'an offline start answered Invalid with StopTransactionOnInvalidId=true is stopped (OCPP 1.6 §3.5, §9.1, OCTT TC_037_3)' });
        await t.sleep(300);
        t.equal(t.csms.calls('StartTransaction', m).length, 1, 'the queued StartTransaction is delivered once, even when answered Invalid (nothing sent twice, OCPP 1.6 §4.7)');
        t.equal(stop.payload.transactionId, start.reply.payload.transactionId, 'StopTransaction uses the transactionId the central system gave (OCPP 1.6 §4.10)');
        t.equal(stop.payload.reason, 'DeAuthorized', 'the reason is DeAuthorized (OCPP 1.6 §7.33)');
        const c = await t.cp.connector(1);
        t.equal(c.offered_a, 0, 'after the DeAuthorized stop nothing is offered (OCPP 1.6 §3.5)');
    },
};
