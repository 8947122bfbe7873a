'use strict';
//: a socketed outlet locks the plug before anything is offered; a lock
// motor failure makes the connector Faulted with errorCode
// ConnectorLockFailure (OCPP 1.6 §7.6), nothing is offered, and the driver
// retries: once the lock works, a session charges.  With the lock failing
// during a session, UnlockConnector ends the transaction (UnlockCommand) and
// answers UnlockFailed (OCPP 1.6 §5.18).
const { bootAccepted, waitStatus } = require('../lib/steps');
const { expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };

module.exports = {
    title: 'lock motor failure → Faulted ConnectorLockFailure, nothing offered; retried → charges; UnlockConnector → UnlockFailed',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: true });
        let m = t.csms.mark();
        await t.cp.plug(1, EV);
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: 5000,
            rule: 'a plug that cannot be locked makes the connector Faulted (lock, docs/status.md)' });
        t.equal(f.payload.errorCode, 'ConnectorLockFailure', 'a lock failure reports errorCode ConnectorLockFailure (OCPP 1.6 §7.6 "failure to lock or unlock connector")');
        let c = await t.cp.connector(1);
        t.equal(c.fault, 'lock', 'the control socket names the fault: lock (control socket status)');
        t.equal(c.offered_a, 0, 'nothing is offered on an unlocked socketed outlet (docs/limits.md fault → 0)');

        m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: false });
        await waitStatus(t, 1, 'Preparing', { since: m, timeoutMs: t.scaled(15) + 3000,
            rule: 'once the lock works (the driver retries) the connector with its EV is Preparing (OCPP 1.6 §4.9)' });
        m = t.csms.mark();
        await t.cp.tag(1, 'TAGLOCK');
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 5000, { since: m, rule: 'a tag starts the session (OCPP 1.6 §4.8)' });
        const txId = start.reply.payload.transactionId;
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 5000, rule: 'with the lock working the session charges' });

        // The lock fails while charging: UnlockConnector cannot release it.
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: true });
        m = t.csms.mark();
        const r = await t.csms.call('UnlockConnector', { connectorId: 1 });
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'UnlockConnector during a transaction stops it first (OCPP 1.6 §5.18, TC_018)' });
        t.equal(stop.payload.reason, 'UnlockCommand', 'the transaction ends with reason UnlockCommand (OCPP 1.6 §7.33)');
        t.equal(r.status, 'UnlockFailed', 'a lock that cannot move answers UnlockFailed (OCPP 1.6 §7.46 UnlockStatus)');
        c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'after UnlockConnector the socket offers nothing and the EV stops drawing (OCPP 1.6 §5.18)');
    },
};
