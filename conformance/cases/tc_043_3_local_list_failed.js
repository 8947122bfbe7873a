'use strict';
// OCTT TC_043_3 Send Local Authorization List - Failed: a list longer than
// SendLocalListMaxLength, or one that would grow past LocalAuthListMaxLength,
// is refused with Failed and leaves the list in force as it was.
const { bootAccepted } = require('../lib/steps');

function entries(prefix, from, n) {
    const out = [];
    for (let i = from; i < from + n; i++) out.push({ idTag: `${prefix}${String(i).padStart(5, '0')}`, idTagInfo: { status: 'Accepted' } });
    return out;
}

async function key(t, name) {
    const r = await t.csms.call('GetConfiguration', { key: [name] });
    return Number(r.configurationKey[0].value);
}

module.exports = {
    title: 'TC_043_3 SendLocalList over SendLocalListMaxLength / LocalAuthListMaxLength → Failed, list unchanged',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        const perReq = await key(t, 'SendLocalListMaxLength');
        const maxList = await key(t, 'LocalAuthListMaxLength');
        t.ok(perReq > 0 && maxList >= perReq, 'SendLocalListMaxLength and LocalAuthListMaxLength are reported (OCPP 1.6 §9.4)', { perReq, maxList });

        const big = await t.csms.call('SendLocalList', { listVersion: 2, updateType: 'Full', localAuthorizationList: entries('F', 0, perReq + 1) });
        t.equal(big.status, 'Failed', `a Full list of SendLocalListMaxLength+1 (${perReq + 1}) entries is Failed (OCPP 1.6 §9.4, OCTT TC_043_3)`);
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 0, 'the Failed update changed nothing: still the empty list (OCPP 1.6 §5.15)');

        // Fill the list to LocalAuthListMaxLength in requests of SendLocalListMaxLength.
        let version = 1;
        const first = await t.csms.call('SendLocalList', { listVersion: version, updateType: 'Full', localAuthorizationList: entries('L', 0, Math.min(perReq, maxList)) });
        t.equal(first.status, 'Accepted', 'test setup: a Full list of SendLocalListMaxLength entries is Accepted');
        for (let have = Math.min(perReq, maxList); have < maxList; have += perReq) {
            version++;
            const r = await t.csms.call('SendLocalList', { listVersion: version, updateType: 'Differential', localAuthorizationList: entries('L', have, Math.min(perReq, maxList - have)) });
            t.equal(r.status, 'Accepted', `test setup: filling the list up to LocalAuthListMaxLength (${maxList}) is Accepted`);
        }
        const over = await t.csms.call('SendLocalList', { listVersion: version + 1, updateType: 'Differential', localAuthorizationList: entries('Z', 0, 1) });
        t.equal(over.status, 'Failed', 'a Differential that would make the list longer than LocalAuthListMaxLength is Failed (OCPP 1.6 §9.4)');
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, version, 'the Failed differential left the version in force (OCPP 1.6 §5.15)');
        const repl = await t.csms.call('SendLocalList', { listVersion: version + 1, updateType: 'Differential', localAuthorizationList: [{ idTag: 'L00000', idTagInfo: { status: 'Blocked' } }] });
        t.equal(repl.status, 'Accepted', 'a full list still takes a Differential that only changes an existing entry (OCPP 1.6 §5.15)');
    },
};
