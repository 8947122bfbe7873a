'use strict';
// OCTT TC_040_1: ChangeConfiguration of an unknown key is NotSupported; it
// does not appear afterwards.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_040_1 ChangeConfiguration unknown key → NotSupported',
    timeScale: 10,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const r = await t.csms.call('ChangeConfiguration', { key: 'NoSuchKey-Conformance', value: '1' });
        t.equal(r.status, 'NotSupported', 'ChangeConfiguration of an unknown key is NotSupported (OCPP 1.6 §5.3, the README key reference)');
        const g = await t.csms.call('GetConfiguration', { key: ['NoSuchKey-Conformance'] });
        t.equal(g.unknownKey, ['NoSuchKey-Conformance'], 'an unknown key is not created by ChangeConfiguration: GetConfiguration lists it in unknownKey (OCPP 1.6 §5.8)');
    },
};
