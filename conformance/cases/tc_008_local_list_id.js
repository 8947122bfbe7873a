'use strict';
// OCTT TC_008 Regular Start Charging Session - Id in Local Authorization
// List: with LocalPreAuthorize the charge point starts at once for an idTag
// Accepted in the list, without Authorize.req.
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_008 idTag in the local list: LocalPreAuthorize starts without Authorize',
    timeScale: 10,
    connectors: 2,
    config: { LocalPreAuthorize: 'true', AuthorizationCacheEnabled: 'false', LocalAuthListEnabled: 'true' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const v = await t.csms.call('GetLocalListVersion', {});
        t.ok(Number.isInteger(v.listVersion) && v.listVersion >= 0, 'GetLocalListVersion answers a version >= 0 with the list enabled (OCTT TC_008 step 2)', v);
        const r = await t.csms.call('SendLocalList', { listVersion: v.listVersion + 1, updateType: 'Full', localAuthorizationList: [
            { idTag: 'LL008', idTagInfo: { status: 'Accepted', expiryDate: '2099-01-01T00:00:00Z' } },
        ] });
        t.equal(r.status, 'Accepted', 'SendLocalList is Accepted (OCTT TC_008 step 4)');

        const m = t.csms.mark();
        await t.cp.tag(1, 'll008'); // idTags are case-insensitive (OCPP 1.6 §7.27 CiString)
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'the locally authorized card makes the connector Preparing (OCTT TC_008 step 5)' });
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m, rule: 'plugging in after a locally authorized card starts the transaction (OCTT TC_008 step 7)' });
        t.equal(start.payload.idTag.toUpperCase(), 'LL008', 'the transaction runs for the listed idTag');
        await waitStatus(t, 1, 'Charging', { since: m, rule: 'then Charging (OCTT TC_008 step 9)' });
        t.equal(t.csms.calls('Authorize', m).length, 0, 'no Authorize.req for an idTag Accepted in the local list with LocalPreAuthorize (OCPP 1.6 §3.5, OCTT TC_008)');
    },
};
