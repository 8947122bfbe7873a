'use strict';
// OCTT TC_038 / TC_039: a transaction stopped while offline (started online
// for 038, offline for 039) is delivered after the reconnect: Start (039),
// Stop with the offline stop time and reason, in order, once each.
const { bootAccepted, startLocalTransaction, pollConnector, parseTime } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_038/039 offline stop (and offline start + stop) delivered after reconnect, in order',
    timeScale: 10,
    connectors: 2,
    config: { LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'true' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        // TC_038: started online, stopped offline.
        const online = await startLocalTransaction(t, { connector: 1, idTag: 'TAG038' });
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.unplug(1);
        const stopClock = Date.parse((await t.cp.status()).now);
        // TC_039: started and stopped offline.
        await t.cp.plug(2, { phases: 3 });
        await t.cp.tag(2, 'TAG039');
        const ch = await pollConnector(t, 2, (c) => c.ocpp_status === 'Charging', 10000);
        t.ok(ch, 'offline, with AllowOfflineTxForUnknownId=true, a tag starts a transaction (OCPP 1.6 §3.5)', await t.cp.connector(2));
        await t.sleep(500);
        await t.cp.unplug(2);
        await t.sleep(300);

        const m = t.csms.mark();
        t.csms.setOffline(false);
        const stop38 = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === online.txId, 20000,
            { since: m, rule: 'a transaction stopped offline is delivered after the reconnect (OCPP 1.6 §4.7, OCTT TC_038)' });
        t.equal(stop38.payload.reason, 'EVDisconnected', 'the offline stop keeps its reason (OCPP 1.6 §7.33)');
        t.near(parseTime(stop38.payload.timestamp), stopClock, 10000, 'the offline stop keeps the time it happened, not the delivery time (OCPP 1.6 §4.7)');
        const start39 = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'TAG039', 20000, { since: m, rule: 'an offline start is delivered after the reconnect (OCPP 1.6 §4.7, OCTT TC_039)' });
        const stop39 = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === start39.reply.payload.transactionId, 10000,
            { since: m, rule: 'the offline stop follows with the transactionId given to the offline start (OCPP 1.6 §4.7, OCTT TC_039)' });
        t.ok(stop38.index < start39.index && start39.index < stop39.index, 'transaction messages are delivered in chronological order (OCPP 1.6 §4.7)',
            { stop38: stop38.index, start39: start39.index, stop39: stop39.index });
        await t.sleep(500);
        t.equal(t.csms.calls('StartTransaction', m).length, 1, 'each queued StartTransaction is delivered once');
        t.equal(t.csms.calls('StopTransaction', m).length, 2, 'each queued StopTransaction is delivered once');
    },
};
