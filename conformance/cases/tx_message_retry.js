'use strict';
// Transaction message delivery after a failure to process (OCPP 1.6 §4.7):
// a CALLERROR is retried after TransactionMessageRetryInterval x (number of
// previous attempts), up to TransactionMessageAttempts in all; then the
// message is dropped and the queue goes on, in order.
const { Csms } = require('../lib/csms');
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

const RETRY = 60;   // s, station time: 1 s real at --time-scale 60

module.exports = {
    title: 'CALLERROR on transaction messages: retried after interval x attempts, then dropped, order kept',
    timeScale: 60,
    connectors: 2,
    timeoutMs: 40000,
    config: { TransactionMessageAttempts: 3, TransactionMessageRetryInterval: RETRY, MeterValueSampleInterval: 0 },
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'RETRY01' });

        // The stop fails twice, then is accepted: three attempts, spaced 60 s then 120 s.
        t.csms.replyOnce('StopTransaction', Csms.callError('InternalError', 'try again'),
            Csms.callError('InternalError', 'try again'));
        const m = t.csms.mark();
        await t.cp.unplug(1);
        const third = await t.csms.waitForAnswered('StopTransaction', () => t.csms.calls('StopTransaction', m).length >= 3,
            t.scaled(RETRY * 3) + 8000, { since: m, rule: 'a failed StopTransaction is sent again (OCPP 1.6 §4.7)' });
        const stops = t.csms.calls('StopTransaction', m);
        t.equal(stops.length, 3, 'two CALLERRORs then a CALLRESULT: exactly three attempts (TransactionMessageAttempts 3)');
        for (const e of stops) t.equal(e.payload.transactionId, txId, 'every attempt names the same transaction (OCPP 1.6 §4.7)');
        const gap1 = (stops[1].t - stops[0].t) * 60 / 1000, gap2 = (stops[2].t - stops[1].t) * 60 / 1000;
        t.ok(gap1 >= RETRY * 0.9 && gap1 <= RETRY * 1.6,
            `second attempt after TransactionMessageRetryInterval x 1 = ${RETRY} s (was ${gap1.toFixed(0)} s, OCPP 1.6 §4.7)`);
        t.ok(gap2 >= RETRY * 2 * 0.9 && gap2 <= RETRY * 2 * 1.4,
            `third attempt after TransactionMessageRetryInterval x 2 = ${RETRY * 2} s (was ${gap2.toFixed(0)} s, OCPP 1.6 §4.7)`);
        void third;

        // A start that fails every time: dropped after three attempts; the
        // next transaction message still goes out after it.
        t.csms.reply('StartTransaction', Csms.callError('InternalError', 'never'));
        const m2 = t.csms.mark();
        await t.cp.plug(2);
        await t.cp.tag(2, 'RETRY02');
        await t.csms.waitFor('StartTransaction', () => t.csms.calls('StartTransaction', m2).length >= 3,
            t.scaled(RETRY * 3) + 8000, { since: m2, rule: 'a failed StartTransaction is retried (OCPP 1.6 §4.7)' });
        await t.sleep(t.scaled(RETRY * 4));
        t.equal(t.csms.calls('StartTransaction', m2).length, 3,
            'after TransactionMessageAttempts (3) failures the message is dropped, not sent again (OCPP 1.6 §4.7)');
        const status = await t.cp.status();
        t.equal(status.queued_tx_messages, 0, 'the dropped message left the durable queue (OCPP 1.6 §4.7)');
    },
};
