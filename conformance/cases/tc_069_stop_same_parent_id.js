'use strict';
// OCTT TC_069 Stop transaction with a different idTag that has the same
// parentIdTag: the transaction stops (reason Local), StopTransaction carries
// the idTag that stopped it.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TC_069 a different tag with the same parentIdTag stops the transaction',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    setup(t) {
        const parent = { CARD_A: 'FLEET1', CARD_B: 'FLEET1', CARD_C: 'OTHER' };
        t.csms.reply('Authorize', (p) => ({ idTagInfo: { status: 'Accepted', ...(parent[p.idTag] ? { parentIdTag: parent[p.idTag] } : {}) } }));
        t.csms.reply('StartTransaction', (p, c) => ({ transactionId: c.nextTransactionId(), idTagInfo: { status: 'Accepted', ...(parent[p.idTag] ? { parentIdTag: parent[p.idTag] } : {}) } }));
    },
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'CARD_A' });
        let m = t.csms.mark();
        await t.cp.tag(1, 'CARD_C');
        await t.sleep(1500);
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a tag with a different parentIdTag does not stop the transaction (OCPP 1.6 §3.4.2)');
        m = t.csms.mark();
        await t.cp.tag(1, 'CARD_B');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m, rule: 'a tag with the same parentIdTag as the starting tag stops the transaction (OCPP 1.6 §3.4.2, OCTT TC_069)' });
        t.equal(stop.payload.idTag, 'CARD_B', 'StopTransaction.idTag is the tag that stopped it (OCPP 1.6 §6.49)');
        t.oneOf(stop.payload.reason, [undefined, 'Local'], 'the reason is Local, which may be omitted (OCPP 1.6 §6.49, §7.33)');
    },
};
