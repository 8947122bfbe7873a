'use strict';
// A read-only key cannot be changed: Rejected, value unchanged.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'ChangeConfiguration of a read-only key → Rejected, value unchanged',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        for (const key of ['NumberOfConnectors', 'GetConfigurationMaxKeys', 'SupportedFeatureProfiles']) {
            const before = await t.csms.call('GetConfiguration', { key: [key] });
            const r = await t.csms.call('ChangeConfiguration', { key, value: '1' });
            t.equal(r.status, 'Rejected', `ChangeConfiguration of the read-only key ${key} is Rejected (OCPP 1.6 §5.3, the README key reference)`);
            const after = await t.csms.call('GetConfiguration', { key: [key] });
            t.equal(after.configurationKey[0].value, before.configurationKey[0].value, `${key} keeps its value after a Rejected change (OCPP 1.6 §5.3)`);
        }
    },
};
