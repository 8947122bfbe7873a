'use strict';
// Central systems add vendor properties to their answers.  A CALLRESULT is
// checked for what the station needs (required fields, types, enums) and a
// property the OCPP 1.6 schema does not name is ignored: the station boots on
// a BootNotification.conf with extra fields and keeps the transactionId of a
// StartTransaction.conf with extra fields, which its StopTransaction carries.
// (Inbound CALLs stay strict: payload_validation covers them.)
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { rawResult } = require('../lib/interop');

const TX_ID = 4242;

module.exports = {
    title: 'vendor properties in CALLRESULTs are ignored: boot, transaction id kept, StopTransaction carries it',
    connectors: 1,
    timeoutMs: 30000,
    setup(t) {
        t.csms.reply('BootNotification', rawResult((p, c) => ({
            status: 'Accepted', currentTime: c.now(), interval: 600,
            vendorTimezone: 'Europe/Berlin', vendorInfo: { site: 'S-17', tags: ['a', 'b'] },
        })));
        t.csms.reply('Authorize', rawResult(() => ({ idTagInfo: { status: 'Accepted', vendorTariff: 'T1' } })));
        t.csms.reply('StartTransaction', rawResult(() => ({
            transactionId: TX_ID, idTagInfo: { status: 'Accepted', vendorGroup: 'fleet' }, vendorSession: 'abc-123',
        })));
    },
    async run(t) {
        const boot = await bootAccepted(t, { connectors: 1 });
        t.ok('vendorTimezone' in boot.reply.payload, 'test setup: the BootNotification.conf carried vendor properties', boot.reply.payload);
        t.equal(t.csms.calls('BootNotification').length, 1,
            'a BootNotification.conf with vendor properties is taken as Accepted: no second BootNotification (OCPP 1.6 §4.2)');

        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGVEND1', ev: { phases: 3, max_current: 16 } });
        t.equal(txId, TX_ID, 'test setup: the StartTransaction.conf carried the transaction id');
        t.ok('vendorSession' in start.reply.payload, 'test setup: the StartTransaction.conf carried vendor properties', start.reply.payload);
        const st = await t.cp.connector(1);
        t.equal(st.transaction_id, TX_ID, 'the station keeps the transactionId of a StartTransaction.conf with vendor properties (OCPP 1.6 §6.46)');

        const beforeStop = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', null, 10000,
            { since: beforeStop, rule: 'unplugging stops the transaction (OCPP 1.6 §4.10)' });
        t.equal(stop.payload.transactionId, TX_ID, 'StopTransaction carries the transactionId the central system gave (OCPP 1.6 §6.49)');
        await waitStatus(t, 1, 'Available', { since: beforeStop });
        t.equal(t.csms.calls('StartTransaction').length, 1, 'the StartTransaction was not sent again');
    },
};
