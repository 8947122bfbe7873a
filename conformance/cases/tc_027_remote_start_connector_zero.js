'use strict';
// OCTT TC_027 Remote start transaction – connector id shall not be 0; a
// connector that does not exist is refused too.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_027 RemoteStartTransaction on connector 0 or a missing connector → Rejected',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        for (const connectorId of [0, 3]) {
            const r = await t.csms.call('RemoteStartTransaction', { connectorId, idTag: 'REMOTE027' });
            t.equal(r.status, 'Rejected', `RemoteStartTransaction with connectorId ${connectorId} is Rejected (OCPP 1.6 §5.11: connectorId > 0; OCTT TC_027)`);
        }
        await t.sleep(500);
        t.equal(t.csms.calls('StartTransaction').length, 0, 'a Rejected remote start starts nothing (OCPP 1.6 §5.11)');
    },
};
