'use strict';
// A transactionId beyond the 32-bit range: the OCPP 1.6 JSON schema types
// StartTransaction.conf transactionId as "integer" without bounds, so a
// central system may hand out 3000000000.  The charge point keeps it exactly:
// MeterValues and StopTransaction carry 3000000000 on the wire (digits, not
// 3e+09 nor a wrapped -1294967296 / -2147483648), RemoteStopTransaction with
// it matches, and the id survives a power loss in the database.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite, limitAt } = require('../lib/sc');

const ID = 3000000000;
const SAMPLE = 30; // s, daemon clock

/** The raw text of an inbound frame carries "transactionId":<id> as integer digits. */
function rawHasId(e, id) {
    return e.raw.includes(`"transactionId":${id}`) && !/"transactionId":-?[0-9.]+e/i.test(e.raw);
}

module.exports = {
    title: 'transactionId 3000000000: MeterValues / StopTransaction carry it exactly, TxProfile and RemoteStop match, it survives a restart',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, ClockAlignedDataInterval: 0 },
    csms: { firstTransactionId: ID },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG64A' });
        t.equal(txId, ID, 'test setup: the central system handed out 3000000000');
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId !== undefined, t.scaled(SAMPLE) * 2 + 5000,
            { rule: 'a running transaction sends sampled MeterValues (OCPP 1.6 §9.1 MeterValueSampleInterval)' });
        t.equal(mv.payload.transactionId, ID, 'MeterValues carries the transactionId the central system gave, 3000000000 (OCPP 1.6 §6.43, schema type integer)');
        t.ok(rawHasId(mv, ID), 'on the wire it is the integer 3000000000 (OCPP 1.6 JSON schema: integer)', mv.raw);
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, ID, 'the control socket shows transaction 3000000000 (control socket status)');

        const now = await daemonNow(t);
        t.equal(await setProfile(t, 1, profile({ id: 64, purpose: 'TxProfile', txId: ID + 1, start: now - 60e3, periods: [[0, 10]] })),
            'Rejected', 'a TxProfile for another transactionId is Rejected (OCPP 1.6 §3.13.2)');
        t.equal(await setProfile(t, 1, profile({ id: 64, purpose: 'TxProfile', txId: ID, start: now - 60e3, periods: [[0, 10]] })),
            'Accepted', 'a TxProfile for transaction 3000000000 is Accepted (OCPP 1.6 §3.13.2)');
        t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), 10, 'the TxProfile of transaction 3000000000 governs the composite (OCPP 1.6 §3.13.4)');

        const other = await t.csms.call('RemoteStopTransaction', { transactionId: ID + 1 });
        t.equal(other.status, 'Rejected', 'RemoteStopTransaction with an id that is not running is Rejected (OCPP 1.6 §5.12)');
        const wrapped = await t.csms.call('RemoteStopTransaction', { transactionId: -2147483648 });
        t.equal(wrapped.status, 'Rejected', 'the 32-bit wrap of 3000000000 does not match the running transaction (OCPP 1.6 §5.12)');
        const m = t.csms.mark();
        const r = await t.csms.call('RemoteStopTransaction', { transactionId: ID });
        t.equal(r.status, 'Accepted', 'RemoteStopTransaction with 3000000000 matches the running transaction (OCPP 1.6 §5.12)');
        const stop = await t.csms.waitFor('StopTransaction', null, 10000,
            { since: m, rule: 'an Accepted remote stop is followed by StopTransaction (OCPP 1.6 §5.12)' });
        t.equal(stop.payload.transactionId, ID, 'StopTransaction carries 3000000000 (OCPP 1.6 §6.49)');
        t.ok(rawHasId(stop, ID), 'on the wire it is the integer 3000000000', stop.raw);
        t.equal(stop.payload.reason, 'Remote', 'a remotely stopped transaction has reason Remote (OCPP 1.6 §7.33)');

        // The next id, 3000000001, across a power loss: read back from SQLite.
        const second = await startLocalTransaction(t, { connector: 2, idTag: 'TAG64B' });
        t.equal(second.txId, ID + 1, 'test setup: the second transaction is 3000000001');
        await t.sleep(500);
        await t.cp.kill('SIGKILL');
        const k = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: k });
        const lost = await t.csms.waitFor('StopTransaction', null, 15000,
            { since: k, rule: 'a transaction running at a power loss is stopped after the reboot (OCPP 1.6 §4.10)' });
        t.equal(lost.payload.transactionId, ID + 1, 'the stop after the restart carries 3000000001, read back from the database (OCPP 1.6 §6.49)');
        t.ok(rawHasId(lost, ID + 1), 'on the wire it is the integer 3000000001', lost.raw);
        t.equal(lost.payload.reason, 'PowerLoss', 'the reason is PowerLoss (OCPP 1.6 §7.33)');
        const bad = t.csms.log.filter((e) => e.dir === 'in' && e.type === 'CALL' && e.payload &&
            e.payload.transactionId !== undefined && e.payload.transactionId !== ID && e.payload.transactionId !== ID + 1);
        t.equal(bad.map((e) => `${e.action} ${e.payload.transactionId}`), [], 'no message ever carried another transactionId');
    },
};
