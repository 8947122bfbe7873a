'use strict';
// OCTT TC_061 Clear authorization data in the Authorization Cache: ClearCache
// is Accepted and has its effect: a tag the cache held no longer authorizes
// offline (OCPP 1.6 §5.4, §3.5.1).
const { bootAccepted, pollConnector } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_061 ClearCache → Accepted, and a formerly cached idTag no longer authorizes offline',
    timeScale: 10,
    connectors: 2,
    config: { AuthorizationCacheEnabled: 'true', LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'false', LocalPreAuthorize: 'false' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        // Online: the tag is authorized (Accepted), which puts it in the cache.
        const m = t.csms.mark();
        await t.cp.tag(1, 'CLEARME1');
        await t.csms.waitForAnswered('Authorize', (p) => p.idTag === 'CLEARME1', 10000, { since: m, rule: 'a presented tag is authorized online (OCPP 1.6 §4.1)' });
        // The cache is proven to hold it: offline, it authorizes on connector 2.
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.plug(2, { phases: 3 });
        await t.cp.tag(2, 'CLEARME1');
        const c2 = await pollConnector(t, 2, (x) => x.ocpp_status === 'Charging', 5000);
        t.ok(c2, 'test setup: offline, the cached tag starts a transaction (OCPP 1.6 §3.5.1)', await t.cp.connector(2));
        await t.cp.unplug(2);
        t.csms.setOffline(false);
        await pollUntil(async () => (await t.cp.status()).online === true, 15000);

        const r = await t.csms.call('ClearCache', {});
        t.equal(r.status, 'Accepted', 'ClearCache is Accepted when the Authorization Cache is available (OCPP 1.6 §5.4, OCTT TC_061)');
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.plug(1, { phases: 3 });
        await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'CLEARME1' });
        await t.sleep(1000);
        const c = await t.cp.connector(1);
        t.ok(c.ocpp_status !== 'Charging' && !c.transaction_active && c.offered_a === 0,
            'after ClearCache the formerly cached idTag authorizes nothing offline (OCPP 1.6 §5.4)', c);
        t.csms.setOffline(false);
    },
};
