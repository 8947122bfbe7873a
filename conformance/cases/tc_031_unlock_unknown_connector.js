'use strict';
// OCTT TC_031 Unlock connector – unknown connector: UnlockConnector for a
// connectorId the charge point does not have is NotSupported and touches no
// connector (a transaction on connector 1 keeps running).
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TC_031 UnlockConnector for an unknown connector → NotSupported, nothing stops',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0031' });
        const m = t.csms.mark();
        for (const connectorId of [3, 99]) {
            const r = await t.csms.call('UnlockConnector', { connectorId });
            t.equal(r.status, 'NotSupported', `UnlockConnector for connector ${connectorId} of a 2-connector station is NotSupported (OCPP 1.6 §5.18, §7.46, OCTT TC_031)`);
        }
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'an unlock request for an unknown connector stops no transaction (OCPP 1.6 §5.18)');
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, txId, 'the transaction on connector 1 keeps running (control socket status)');
        t.equal(c.ocpp_status, 'Charging', 'connector 1 keeps charging (OCPP 1.6 §5.18)');
    },
};
