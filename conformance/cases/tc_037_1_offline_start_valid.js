'use strict';
// OCTT TC_037_1 Offline start transaction, valid idTag: the idTag is in the
// Authorization Cache (learnt online); offline (LocalAuthorizeOffline, no
// unknown ids) it starts a transaction; after the reconnect the queued
// StartTransaction is delivered with the offline start time, answered
// Accepted, and the connector reports Charging.
const { bootAccepted, waitStatus, pollConnector, parseTime } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

const TAG = 'VALID0371';

module.exports = {
    title: 'TC_037_1 offline start with a cached valid idTag → queued StartTransaction Accepted after reconnect, Charging',
    timeScale: 10,
    connectors: 2,
    config: {
        LocalAuthorizeOffline: 'true', AuthorizationCacheEnabled: 'true', LocalAuthListEnabled: 'true',
        AllowOfflineTxForUnknownId: 'false', LocalPreAuthorize: 'false', MeterValueSampleInterval: 0,
    },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        // Memory state IdTagCached: an online Authorize puts the idTag in the cache.
        let m = t.csms.mark();
        await t.cp.tag(1, TAG);
        await t.csms.waitForAnswered('Authorize', (p) => p.idTag === TAG, 5000, { since: m, rule: 'test setup: a presented tag is authorized online (OCPP 1.6 §4.1)' });
        await waitStatus(t, 1, 'Preparing', { since: m, timeoutMs: 5000, rule: 'test setup: an authorized tag without an EV: Preparing (OCPP 1.6 §7.7)' });
        m = t.csms.mark();
        await t.cp.tag(1, TAG); // the same card again cancels the authorization
        await waitStatus(t, 1, 'Available', { since: m, timeoutMs: 5000, rule: 'test setup: presenting the same tag again before plugging in cancels (OCPP 1.6 §3.4)' });

        t.csms.setOffline(true);
        t.ok(await pollUntil(async () => (await t.cp.status()).online === false, 5000), 'test setup: the charge point notices it is offline', await t.cp.status());
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        // The reader may refuse at once (ok:false): fine, as long as nothing starts.
        await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'UNKNOWN371' });
        await t.sleep(t.scaled(3));
        let c = await t.cp.connector(1);
        t.equal(c.transaction_active, false, 'offline, an idTag neither cached nor listed starts nothing with AllowOfflineTxForUnknownId=false, so the valid start below comes from the cache (OCPP 1.6 §3.5)');
        await t.cp.tag(1, TAG);
        const startClock = Date.parse((await t.cp.status()).now);
        c = await pollConnector(t, 1, (x) => x.ocpp_status === 'Charging', 10000);
        t.ok(c, 'offline, a cached Accepted idTag starts a transaction and charges (LocalAuthorizeOffline, OCPP 1.6 §3.5.1, OCTT TC_037_1)', await t.cp.connector(1));
        t.equal(c.transaction_active, true, 'the offline transaction is running (control socket status)');
        t.equal(t.csms.calls('StartTransaction').length, 0, 'test setup: nothing reached the central system while offline');

        m = t.csms.mark();
        t.csms.setOffline(false);
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === TAG, 20000,
            { since: m, rule: 'after the reconnect the queued StartTransaction is delivered (OCPP 1.6 §4.7, OCTT TC_037_1 step 1)' });
        t.equal(start.payload.connectorId, 1, 'StartTransaction names the connector of the offline start (OCPP 1.6 §6.45)');
        t.near(parseTime(start.payload.timestamp), startClock, 5000, 'the queued StartTransaction keeps the time of the offline start, not the delivery time (OCPP 1.6 §4.7)');
        t.ok(Number.isInteger(start.payload.meterStart) && start.payload.meterStart >= 0, 'meterStart is the register in Wh (OCPP 1.6 §6.45)', start.payload.meterStart);
        t.equal(start.reply.payload.idTagInfo.status, 'Accepted', 'test setup: the central system accepts the idTag (OCTT TC_037_1 step 2)');
        const txId = start.reply.payload.transactionId;
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 10000,
            rule: 'after the reconnect the connector reports Charging (OCPP 1.6 §4.9, OCTT TC_037_1 step 3)' });
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StartTransaction', m).length, 1, 'the queued StartTransaction is delivered once (OCPP 1.6 §4.7)');
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'an offline start answered Accepted keeps running (OCPP 1.6 §4.7)');
        c = await t.cp.connector(1);
        t.equal(c.transaction_id, txId, 'the transaction now carries the transactionId the central system gave (OCPP 1.6 §6.46, control socket status)');
        t.equal(c.ocpp_status, 'Charging', 'the connector keeps charging (OCTT TC_037_1)');

        m = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'the offline-started transaction ends with StopTransaction under the central system\'s transactionId (OCPP 1.6 §4.10)' });
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
    },
};
