'use strict';
// A transactionId the charge point cannot send back exactly: the OCPP 1.6
// schema types it "integer" without bounds, but beyond 10^15 - 1
// (CP_MAX_TRANSACTION_ID in include/cp_limits.h) a double no longer keeps
// every digit through cJSON.  Such a StartTransaction.conf is handled like
// one that failed its schema: retried TransactionMessageAttempts times
// (OCPP 1.6 §4.7), then dropped; no MeterValues or StopTransaction ever
// carries a guessed, rounded or wrapped id, and the next transaction with a
// usable id runs normally.
const { bootAccepted, waitStatus } = require('../lib/steps');

const HUGE = 2 ** 53 + 2; // exact in a double and in JSON text: 9007199254740994
const RETRY = 30;         // s, daemon clock
const SAMPLE = 30;

module.exports = {
    title: 'StartTransaction.conf with transactionId 2^53+2: retried as unusable, then dropped; no message carries a wrong id',
    timeScale: 30,
    connectors: 2,
    config: { TransactionMessageAttempts: 2, TransactionMessageRetryInterval: RETRY, MeterValueSampleInterval: SAMPLE, ClockAlignedDataInterval: 0 },
    csms: { firstTransactionId: HUGE },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.plug(1);
        await t.cp.tag(1, 'TAGHUGE');
        await t.csms.waitForAnswered('StartTransaction', () => t.csms.calls('StartTransaction', m).length >= 2,
            t.scaled(RETRY * 2) + 8000, { since: m, rule: 'an unusable StartTransaction.conf is retried like a failed one (OCPP 1.6 §4.7)' });
        await t.sleep(t.scaled(RETRY * 3 + SAMPLE));
        const starts = t.csms.calls('StartTransaction', m);
        t.equal(starts.length, 2, 'TransactionMessageAttempts (2) attempts, then the StartTransaction is dropped (OCPP 1.6 §4.7)');
        for (const e of starts) t.ok(e.reply && e.reply.payload.transactionId >= HUGE, 'test setup: each reply carried an id beyond 10^15', e.reply);
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'the station took no transactionId from the unusable reply (control socket status)');

        // The stop of that transaction cannot name an id: it is not sent with a wrong one.
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'Available', { since: m, rule: 'unplugged after the stop: Available (OCPP 1.6 §7.7)' });

        // The next transaction gets a usable id and runs normally.
        t.csms.reply('StartTransaction', { transactionId: 77, idTagInfo: { status: 'Accepted' } });
        const m2 = t.csms.mark();
        await t.cp.plug(2);
        await t.cp.tag(2, 'TAGNEXT');
        await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 2, 10000,
            { since: m2, rule: 'the next transaction starts (OCPP 1.6 §4.8)' });
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId !== undefined, t.scaled(SAMPLE) * 2 + 5000,
            { since: m2, rule: 'the next transaction sends sampled MeterValues (OCPP 1.6 §9.1)' });
        t.equal(mv.payload.transactionId, 77, 'the next transaction\'s MeterValues carry its id 77');
        const wrong = t.csms.log.filter((e) => e.dir === 'in' && e.type === 'CALL' && e.payload &&
            e.payload.transactionId !== undefined && e.payload.transactionId !== 77);
        t.equal(wrong.map((e) => `${e.action} ${e.payload.transactionId}`), [],
            'no MeterValues or StopTransaction ever carried an id other than one the central system gave and the station can echo');
    },
};
