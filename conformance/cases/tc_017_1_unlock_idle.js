'use strict';
// OCTT TC_017_1 Unlock connector without a charging session.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_017_1 UnlockConnector without a transaction → Unlocked; unknown connector → NotSupported',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const r = await t.csms.call('UnlockConnector', { connectorId: 1 });
        t.equal(r.status, 'Unlocked', 'UnlockConnector on an idle connector of the simulated station is Unlocked (OCPP 1.6 §5.18, OCTT TC_017_1)');
        t.equal(t.csms.calls('StopTransaction').length, 0, 'unlocking an idle connector stops nothing (OCPP 1.6 §5.18)');
        const bad = await t.csms.call('UnlockConnector', { connectorId: 3 });
        t.equal(bad.status, 'NotSupported', 'UnlockConnector for a connector that does not exist is NotSupported (OCPP 1.6 §5.18, §7.48)');
    },
};
