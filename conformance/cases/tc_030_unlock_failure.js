'use strict';
// OCTT TC_030 Unlock connector – unlock failure: when the lock motor cannot
// move, UnlockConnector answers UnlockFailed.  Idle: nothing else happens.
// During a transaction the transaction is still stopped first (UnlockCommand,
// OCPP 1.6 §5.18) and no current flows afterwards.  Once the motor works
// again, UnlockConnector answers Unlocked.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { expectConnector } = require('../lib/lb');

module.exports = {
    title: 'TC_030 UnlockConnector with a failing lock motor → UnlockFailed (idle and in a transaction); repaired → Unlocked',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        // Idle connector 2.
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'lock', active: true });
        let m = t.csms.mark();
        let r = await t.csms.call('UnlockConnector', { connectorId: 2 });
        t.equal(r.status, 'UnlockFailed', 'UnlockConnector with a lock motor that cannot move is UnlockFailed (OCPP 1.6 §5.18, §7.46, OCTT TC_030)');
        await t.sleep(t.scaled(3));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a failed unlock of an idle connector stops nothing (OCPP 1.6 §5.18)');
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'lock', active: false });
        r = await t.csms.call('UnlockConnector', { connectorId: 2 });
        t.equal(r.status, 'Unlocked', 'once the lock motor works again UnlockConnector is Unlocked (OCPP 1.6 §5.18)');

        // Connector 1 in a transaction; the motor fails while charging.
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0030' });
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: true });
        m = t.csms.mark();
        r = await t.csms.call('UnlockConnector', { connectorId: 1 });
        t.equal(r.status, 'UnlockFailed', 'UnlockConnector during a transaction with a lock that cannot move is UnlockFailed (OCPP 1.6 §5.18, OCTT TC_030)');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'UnlockConnector during a transaction finishes the transaction first, even when the unlock then fails (OCPP 1.6 §5.18)' });
        t.equal(stop.payload.reason, 'UnlockCommand', 'the stop reason is UnlockCommand (OCPP 1.6 §7.33)');
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'after the stop nothing is offered and no current flows (OCPP 1.6 §5.18)');
        t.equal(c.transaction_id, null, 'the control socket shows no transaction (control socket status)');
        const sn = t.csms.calls('StatusNotification', m).filter((e) => e.payload.connectorId === 1);
        t.ok(!sn.some((e) => e.payload.status === 'Charging'), 'the connector does not report Charging after the unlock request (OCPP 1.6 §5.18)', sn.map((e) => e.payload));
    },
};
