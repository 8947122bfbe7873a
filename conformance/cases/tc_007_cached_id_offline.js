'use strict';
// OCTT TC_007 style: with the Authorization Cache on, a tag accepted online
// is cached; offline (LocalAuthorizeOffline, no unknown ids) the cached tag
// starts a transaction and an unknown one does not.  ClearCache empties it.
const { bootAccepted, startLocalTransaction, pollConnector, waitStatus } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_007 cached idTag starts offline, unknown idTag does not; ClearCache forgets',
    timeScale: 10,
    connectors: 2,
    config: { AuthorizationCacheEnabled: 'true', LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'false', LocalPreAuthorize: 'false' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'CACHED1' });
        let m = t.csms.mark();
        await t.cp.unplug(1);
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: m });
        await waitStatus(t, 1, 'Available', { since: m });

        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.plug(2, { phases: 3 });
        // The reader may refuse at once (control reply ok:false): fine, as long as nothing starts.
        await t.cp.control({ cmd: 'tag', connector: 2, id_tag: 'UNKNOWN7' });
        await t.sleep(1000);
        let c = await t.cp.connector(2);
        t.ok(c.ocpp_status !== 'Charging' && c.offered_a === 0, 'offline, an idTag that is neither cached nor in the list starts nothing (AllowOfflineTxForUnknownId=false, OCPP 1.6 §3.5)', c);
        await t.cp.tag(2, 'CACHED1');
        c = await pollConnector(t, 2, (x) => x.ocpp_status === 'Charging', 5000);
        t.ok(c, 'offline, a cached Accepted idTag starts a transaction (LocalAuthorizeOffline, OCPP 1.6 §3.5.1, OCTT TC_007)', await t.cp.connector(2));
        await t.cp.unplug(2);

        const back = t.csms.mark();
        t.csms.setOffline(false);
        const st = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'CACHED1', 20000, { since: back, rule: 'after the reconnect the offline start is delivered (OCPP 1.6 §4.7)' });
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === st.reply.payload.transactionId, 10000, { since: back, rule: 'after the reconnect the offline stop is delivered (OCPP 1.6 §4.7)' });
        m = t.csms.mark();
        const r = await t.csms.call('ClearCache', {});
        t.equal(r.status, 'Accepted', 'ClearCache is Accepted (OCPP 1.6 §5.4)');
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.plug(1, { phases: 3 });
        await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'CACHED1' });
        await t.sleep(1000);
        c = await t.cp.connector(1);
        t.ok(c.ocpp_status !== 'Charging' && c.offered_a === 0, 'after ClearCache the formerly cached idTag is unknown offline (OCPP 1.6 §5.4)', c);
    },
};
