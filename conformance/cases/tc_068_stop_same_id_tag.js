'use strict';
// OCTT TC_068 Stop transaction – the idTag in StopTransaction matches the one
// in StartTransaction: a different card (no parentIdTag) neither authorizes
// nor stops anything; the card that started the transaction stops it (reason
// Local), StopTransaction carries that idTag, the connector is Finishing.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_068 a different tag does not stop the transaction; the starting tag does (StopTransaction.idTag = start idTag)',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'CARD0068A' });
        t.equal(start.reply.payload.idTagInfo.parentIdTag, undefined, 'test setup: the starting tag has no parentIdTag');
        let m = t.csms.mark();
        // The reader may refuse the other card at once (ok:false): fine.
        await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'CARD0068B' });
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a card other than the one that started the transaction does not stop it (OCPP 1.6 §3.4.2, OCTT TC_068 step 1)');
        t.equal(t.csms.calls('Authorize', m).map((e) => e.payload), [], 'without a parentIdTag to compare, the other card is not sent to Authorize (OCTT TC_068 step 1, one reader per connector)');
        let c = await t.cp.connector(1);
        t.equal(c.transaction_id, txId, 'the transaction keeps running (control socket status)');
        t.equal(c.ocpp_status, 'Charging', 'the connector keeps charging (OCTT TC_068)');

        m = t.csms.mark();
        await t.cp.tag(1, 'CARD0068A');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'the card that started the transaction stops it (OCPP 1.6 §3.4.2, OCTT TC_068 step 3)' });
        t.equal(stop.payload.idTag, 'CARD0068A', 'StopTransaction.idTag is the idTag that started the transaction (OCPP 1.6 §6.49, OCTT TC_068 step 3)');
        t.oneOf(stop.payload.reason, [undefined, 'Local'], 'the reason is Local, which may be omitted (OCPP 1.6 §6.49, §7.33)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
        await waitStatus(t, 1, 'Finishing', { since: m, timeoutMs: 5000, rule: 'stopped with the EV still plugged: Finishing (OCPP 1.6 §7.7, OCTT TC_068 step 5)' });
        c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'the control socket shows no transaction (control socket status)');
        t.equal(c.offered_a, 0, 'nothing is offered after the stop (OCPP 1.6 §3.4.2)');
        await t.sleep(t.scaled(3));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'the stopping card does not start a new transaction on the Finishing connector (OCPP 1.6 §7.7 Finishing)');
    },
};
