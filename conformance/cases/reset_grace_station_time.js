'use strict';
// Reset with a transaction running: the station stops it and waits a grace
// period for the StopTransaction to be delivered before it reboots (OCPP 1.6
// §5.14); the StopTransaction stays queued when it is not answered.  The grace
// period (5 s) is station time like every station timer: at --time-scale 20
// the reboot follows within a fraction of a second, not after 5 s of real
// time.  After the reboot the queued StopTransaction is delivered once.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { NO_REPLY } = require('../lib/csms');

module.exports = {
    title: 'Reset grace period for the StopTransaction is station time; the Stop is delivered once after the reboot',
    timeScale: 20,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'GRACE1', ev: { phases: 3, max_current: 16 } });
        t.csms.reply('StopTransaction', NO_REPLY);
        const m = t.csms.mark();
        const r = await t.csms.call('Reset', { type: 'Soft' });
        t.equal(r.status, 'Accepted', 'Reset is Accepted (OCPP 1.6 §5.14)');
        const t0 = Date.now();
        const stop = await t.csms.waitFor('StopTransaction', null, 5000, { since: m, rule: 'Reset stops the running transaction first (OCPP 1.6 §5.14)' });
        t.csms.expectBoot();
        t.equal(stop.payload.reason, 'SoftReset', 'reason SoftReset (OCPP 1.6 §7.40)');
        t.csms.reply('StopTransaction', { idTagInfo: { status: 'Accepted' } });
        const boot = await t.csms.waitFor('BootNotification', null, 15000, { since: m, rule: 'after the grace period the station reboots (OCPP 1.6 §5.14)' });
        const waited = boot.t - t0;
        t.ok(waited < 2500, `the grace period is 5 s of station time (0.25 s real at scale 20, plus restart), not 5 s of real time`, { waitedMs: waited });
        const again = await t.csms.waitForAnswered('StopTransaction', null, 15000, { since: boot.index, rule: 'the unanswered StopTransaction stays queued and is delivered after the reboot (OCPP 1.6 §4.7)' });
        t.equal(again.payload.transactionId, txId, 'the queued StopTransaction names the transaction');
        await t.sleep(1000);
        t.equal(t.csms.calls('StopTransaction', boot.index).length, 1, 'after the reboot it is delivered once');
    },
};
