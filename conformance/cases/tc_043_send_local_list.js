'use strict';
// OCTT TC_043 Send Local Authorization List: a Full then a Differential
// update are Accepted, and the list is what authorizes offline
// (LocalAuthorizeOffline): an Accepted card starts a transaction, a Blocked
// one, an expired one and one the differential removed are refused.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_043 SendLocalList Full + Differential; the list authorizes offline (Blocked/Expired/removed refused)',
    timeScale: 10,
    connectors: 2,
    config: { LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'false', AuthorizationCacheEnabled: 'false' },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const full = await t.csms.call('SendLocalList', {
            listVersion: 1, updateType: 'Full', localAuthorizationList: [
                { idTag: 'LL043A', idTagInfo: { status: 'Accepted' } },
                { idTag: 'LL043B', idTagInfo: { status: 'Blocked' } },
                { idTag: 'LL043X', idTagInfo: { status: 'Accepted', expiryDate: '2001-01-01T00:00:00Z' } },
            ],
        });
        t.equal(full.status, 'Accepted', 'SendLocalList Full is Accepted (OCPP 1.6 §5.15, OCTT TC_043 step 2)');
        const diff = await t.csms.call('SendLocalList', {
            listVersion: 2, updateType: 'Differential', localAuthorizationList: [
                { idTag: 'LL043C', idTagInfo: { status: 'Accepted', parentIdTag: 'LL043P' } },
                { idTag: 'LL043A' },
            ],
        });
        t.equal(diff.status, 'Accepted', 'SendLocalList Differential with a newer version is Accepted (OCPP 1.6 §5.15, OCTT TC_043 step 4)');
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 2, 'the list version is the differential\'s (OCPP 1.6 §5.15 listVersion)');

        t.csms.setOffline(true);
        const off = await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        t.ok(off, 'test setup: the station is offline', await t.cp.status());
        for (const [tag, why] of [['LL043B', 'Blocked in the list'], ['LL043X', 'Accepted but past its expiryDate (Expired)'],
            ['LL043A', 'removed by the differential update (absent idTagInfo)']]) {
            const r = await t.cp.control({ cmd: 'tag', connector: 2, id_tag: tag });
            t.equal(r.ok, false, `offline, a card ${why} is refused (OCPP 1.6 §3.5.3, §5.15, §7.15)`);
        }
        t.equal((await t.cp.connector(2)).authorized, false, 'no refused card authorized connector 2 (OCPP 1.6 §3.5.3)');
        await t.cp.tag(1, 'LL043C');
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const st = await pollUntil(async () => (await t.cp.connector(1)).transaction_active, 5000);
        t.ok(st, 'offline, a card Accepted in the list starts a transaction (LocalAuthorizeOffline, OCPP 1.6 §3.5.3, OCTT TC_043 expected result)', await t.cp.connector(1));

        const m = t.csms.mark();
        t.csms.setOffline(false);
        const start = await t.csms.waitFor('StartTransaction', (p) => p.idTag === 'LL043C', 20000,
            { since: m, rule: 'the offline-started transaction is reported once the connection is back (OCPP 1.6 §3.7, §4.8)' });
        t.equal(start.payload.connectorId, 1, 'the queued StartTransaction names connector 1');
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 10000 });
    },
};
