'use strict';
// OCTT TC_043_2 Send Local Authorization List - VersionMismatch: a
// differential update must bring a version newer than the list in force;
// one that does not is refused and changes nothing.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_043_2 SendLocalList Differential with an old version → VersionMismatch, list unchanged',
    timeScale: 10,
    connectors: 1,
    config: { LocalPreAuthorize: 'true', AuthorizationCacheEnabled: 'false' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        const r1 = await t.csms.call('SendLocalList', { listVersion: 2, updateType: 'Full', localAuthorizationList: [{ idTag: 'LL0432A', idTagInfo: { status: 'Accepted' } }] });
        t.equal(r1.status, 'Accepted', 'SendLocalList Full version 2 is Accepted (OCTT TC_043_2 step 2)');
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 2, 'GetLocalListVersion is 2 (OCTT TC_043_2 step 4)');
        const r2 = await t.csms.call('SendLocalList', { listVersion: 5, updateType: 'Differential', localAuthorizationList: [{ idTag: 'LL0432B', idTagInfo: { status: 'Accepted' } }] });
        t.equal(r2.status, 'Accepted', 'a Differential with version 5 > 2 is Accepted (OCTT TC_043_2 step 6)');
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 5, 'GetLocalListVersion is 5 (OCTT TC_043_2 step 8)');
        for (const v of [5, 3]) {
            const r = await t.csms.call('SendLocalList', { listVersion: v, updateType: 'Differential', localAuthorizationList: [{ idTag: 'LL0432C', idTagInfo: { status: 'Accepted' } }] });
            t.equal(r.status, 'VersionMismatch', `a Differential with version ${v} <= 5 is VersionMismatch (OCPP 1.6 §7.48 UpdateStatus, OCTT TC_043_2 step 10)`);
        }
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 5, 'the refused update left version 5 (OCTT TC_043_2 step 12)');
        // The refused entry was not added: with LocalPreAuthorize it still goes to the central system.
        const m = t.csms.mark();
        await t.cp.tag(1, 'LL0432C');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'LL0432C', 10000, { since: m, rule: 'an idTag of a refused update is not in the list: it is authorized online (OCPP 1.6 §5.15)' });
        const m2 = t.csms.mark();
        await t.cp.tag(1, 'LL0432C'); // second swipe: cancel
        await t.cp.tag(1, 'LL0432B');
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('Authorize', m2).filter((e) => e.payload.idTag === 'LL0432B').length, 0,
            'an idTag the accepted differential added is pre-authorized locally, without Authorize (LocalPreAuthorize, OCPP 1.6 §3.5)');
        t.equal((await t.cp.connector(1)).authorized, true, 'the locally pre-authorized card authorizes connector 1 (OCPP 1.6 §3.5)');
    },
};
