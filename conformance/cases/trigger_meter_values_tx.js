'use strict';
// TriggerMessage(MeterValues) during a transaction: the MeterValues it sends
// belong to the transaction and carry its transactionId (OCPP 1.6 §5.17,
// §6.34); on an idle connector there is none.  Connector 0 (or no
// connectorId) gives one MeterValues per connector.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TriggerMessage MeterValues during a transaction carries its transactionId; connector 0 → one per connector',
    timeScale: 10,
    connectors: 2,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TRIGMV1', ev: { phases: 3, max_current: 16 } });
        let m = t.csms.mark();
        const r = await t.csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 });
        t.equal(r.status, 'Accepted', 'TriggerMessage MeterValues is Accepted (OCPP 1.6 §5.17)');
        const mv = await t.csms.waitFor('MeterValues', (p) => p.connectorId === 1 && p.meterValue[0].sampledValue[0].context === 'Trigger', 5000,
            { since: m, rule: 'the triggered MeterValues is sent with context Trigger (OCPP 1.6 §5.17)' });
        t.equal(mv.payload.transactionId, txId, 'the triggered MeterValues during a transaction carries its transactionId (OCPP 1.6 §6.34)');

        m = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 0 });
        await t.csms.waitFor('MeterValues', (p) => p.connectorId === 2, 5000, { since: m, rule: 'connector 0: a MeterValues for connector 2 too' });
        await t.sleep(300);
        const both = t.csms.calls('MeterValues', m).filter((e) => e.payload.meterValue[0].sampledValue[0].context === 'Trigger');
        t.equal(both.map((e) => e.payload.connectorId).sort().join(','), '1,2', 'connector 0 gives one triggered MeterValues per connector');
        const c2 = both.find((e) => e.payload.connectorId === 2);
        t.equal(c2.payload.transactionId, undefined, 'the idle connector\'s MeterValues has no transactionId');
        const c1 = both.find((e) => e.payload.connectorId === 1);
        t.equal(c1.payload.transactionId, txId, 'the charging connector\'s has its transactionId');
    },
};
