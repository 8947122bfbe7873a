'use strict';
// OCTT TC_061 Clear authorization data in the Authorization Cache.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_061 ClearCache → Accepted',
    timeScale: 10,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const r = await t.csms.call('ClearCache', {});
        t.equal(r.status, 'Accepted', 'ClearCache is Accepted when the Authorization Cache is available (OCPP 1.6 §5.4, OCTT TC_061)');
    },
};
