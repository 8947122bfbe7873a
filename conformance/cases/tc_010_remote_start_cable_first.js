'use strict';
// OCTT TC_010 Remote start, cable plugged in first: RemoteStartTransaction is
// Accepted and a StartTransaction with its idTag follows on that connector.
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_010 remote start with the cable plugged in first',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'plugging in an EV makes the connector Preparing (OCPP 1.6 §7.7)' });
        const m2 = t.csms.mark();
        const r = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE010' });
        t.equal(r.status, 'Accepted', 'RemoteStartTransaction on a Preparing connector is Accepted (OCPP 1.6 §5.11)');
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'REMOTE010', 10000,
            { since: m2, rule: 'an Accepted remote start is followed by StartTransaction with its idTag (OCPP 1.6 §5.11)' });
        t.equal(start.payload.connectorId, 1, 'the remote start uses the requested connector (OCPP 1.6 §5.11)');
        await waitStatus(t, 1, 'Charging', { since: m2 });
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, start.reply.payload.transactionId, 'the control socket shows the remotely started transaction (control socket status)');
        const busy = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE010B' });
        t.equal(busy.status, 'Rejected', 'RemoteStartTransaction on a connector with a running transaction is Rejected (OCPP 1.6 §5.11, OCTT TC_026)');
    },
};
