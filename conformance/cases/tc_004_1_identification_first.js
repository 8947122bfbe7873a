'use strict';
// OCTT TC_004_1 Regular charging session, identification first; stopped by
// presenting the same tag again (reason Local, OCTT TC_068's rule).
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_004_1 identification first, then plug; the same tag stops it (Local)',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.tag(2, 'TAG0004');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'TAG0004', 10000, { since: m, rule: 'a presented tag is authorized with Authorize (OCPP 1.6 §4.1)' });
        await waitStatus(t, 2, 'Preparing', { since: m, rule: 'an accepted tag without an EV makes the connector Preparing (OCPP 1.6 §7.7)' });
        const m2 = t.csms.mark();
        await t.cp.plug(2, { phases: 1, max_current: 32 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 2 && p.idTag === 'TAG0004', 10000,
            { since: m2, rule: 'plugging in after an accepted tag (within ConnectionTimeOut) starts the transaction (OCPP 1.6 §4.8)' });
        const txId = start.reply.payload.transactionId;
        await waitStatus(t, 2, 'Charging', { since: m2 });
        const c2 = await t.cp.connector(2);
        t.equal(c2.transaction_id, txId, 'the control socket shows the transaction on connector 2 (control socket status)');

        const m3 = t.csms.mark();
        await t.cp.tag(2, 'TAG0004');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m3, rule: 'presenting the tag that started the transaction stops it (OCPP 1.6 §3.4.2, OCTT TC_068)' });
        t.oneOf(stop.payload.reason, [undefined, 'Local'], 'a transaction stopped by the local tag has reason Local, which may be omitted (OCPP 1.6 §6.49, §7.33)');
        t.equal(stop.payload.idTag, 'TAG0004', 'StopTransaction.idTag is the tag that stopped it (OCPP 1.6 §6.49)');
        await waitStatus(t, 2, 'Finishing', { since: m3, rule: 'stopped with the EV still plugged: Finishing (OCPP 1.6 §7.7)' });
        const m4 = t.csms.mark();
        await t.cp.unplug(2);
        await waitStatus(t, 2, 'Available', { since: m4, rule: 'unplugging after the stop: Available (OCPP 1.6 §7.7)' });
    },
};
