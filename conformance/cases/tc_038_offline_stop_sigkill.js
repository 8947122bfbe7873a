'use strict';
// OCTT TC_038 offline stop transaction, with the station killed (SIGKILL)
// while still offline: the stop that was queued before the kill is delivered
// once after the restart and reconnect, with its own reason and time; the
// restart adds no second stop (durability, OCPP 1.6 §4.7).
const { bootAccepted, startLocalTransaction, parseTime } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

module.exports = {
    title: 'TC_038 offline stop, SIGKILL while offline: the queued stop arrives once after restart',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG038K' });
        t.csms.setOffline(true);
        await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        await t.cp.tag(1, 'TAG038K');   // the same card ends it: reason Local
        const stopClock = Date.parse((await t.cp.status()).now);
        await t.sleep(300);
        t.equal((await t.cp.status()).queued_tx_messages >= 1, true, 'the offline stop waits in the durable queue (durable queue)');
        await t.cp.kill('SIGKILL');

        const m = t.csms.mark();
        t.csms.setOffline(false);
        await t.restart();
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 20000,
            { since: m, rule: 'a stop queued before a SIGKILL is delivered after the restart (OCPP 1.6 §4.7)' });
        t.equal(stop.payload.reason, 'Local', 'the stop keeps the reason it had when it happened, not PowerLoss (OCPP 1.6 §7.33)');
        t.equal(stop.payload.idTag, 'TAG038K', 'the stop names the card that ended it (OCPP 1.6 §6.49)');
        t.near(parseTime(stop.payload.timestamp), stopClock, 10000, 'the offline stop keeps the time it happened (OCPP 1.6 §4.7)');
        await t.sleep(1500);
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'delivered once: the restart adds no second stop for it (nothing sent twice)');
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'the start, delivered before the loss, is not sent again');
    },
};
