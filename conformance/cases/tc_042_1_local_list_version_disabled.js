'use strict';
// OCTT TC_042_1 Get Local List Version (not supported): with
// LocalAuthListEnabled false the list version is -1, and SendLocalList is
// answered NotSupported (OCTT TC_043_1).
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_042_1 LocalAuthListEnabled=false: GetLocalListVersion -1, SendLocalList NotSupported',
    timeScale: 10,
    connectors: 1,
    config: { LocalAuthListEnabled: 'false' },
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        const v = await t.csms.call('GetLocalListVersion', {});
        t.equal(v.listVersion, -1, 'listVersion -1: the charge point does not support (here: has disabled) Local Authorization Lists (OCPP 1.6 §6.21, OCTT TC_042_1)');
        const r = await t.csms.call('SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: 'LL0421', idTagInfo: { status: 'Accepted' } }] });
        t.equal(r.status, 'NotSupported', 'SendLocalList with LocalAuthListEnabled=false is NotSupported (OCPP 1.6 §7.48 UpdateStatus, OCTT TC_043_1)');
        const c = await t.csms.call('ChangeConfiguration', { key: 'LocalAuthListEnabled', value: 'true' });
        t.equal(c.status, 'Accepted', 'LocalAuthListEnabled is writable (OCPP 1.6 §9.2.1)');
        const v2 = await t.csms.call('GetLocalListVersion', {});
        t.equal(v2.listVersion, 0, 'enabled, with nothing ever sent: listVersion 0, the list is empty (OCPP 1.6 §6.21)');
    },
};
