'use strict';
// OCTT TC_026 Remote start charging session – Rejected: RemoteStartTransaction
// for a connector that already has a transaction is Rejected and changes
// nothing.  The same answer for a connector that cannot take one: Unavailable
// (ChangeAvailability Inoperative) or Faulted (lock failure).
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_026 RemoteStartTransaction on an occupied, Unavailable or Faulted connector → Rejected, nothing starts',
    timeScale: 10,
    connectors: 2,
    config: { LocalPreAuthorize: 'false', AuthorizeRemoteTxRequests: 'false' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0026' });
        let m = t.csms.mark();
        for (const idTag of ['TAG0026', 'OTHER026']) {
            const r = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag });
            t.equal(r.status, 'Rejected', `RemoteStartTransaction (idTag ${idTag}) on a connector with a running transaction is Rejected (OCPP 1.6 §5.11, OCTT TC_026 step 2)`);
        }
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'a Rejected remote start starts nothing (OCPP 1.6 §5.11)');
        t.equal(t.csms.calls('Authorize', m).length, 0, 'a Rejected remote start does not authorize its idTag (OCPP 1.6 §5.11)');
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a Rejected remote start leaves the running transaction alone (OCPP 1.6 §5.11)');
        const c1 = await t.cp.connector(1);
        t.equal(c1.transaction_id, txId, 'the running transaction continues (control socket status)');
        t.equal(c1.ocpp_status, 'Charging', 'the connector keeps charging (OCPP 1.6 §5.11)');

        // Unavailable connector.
        m = t.csms.mark();
        const ca = await t.csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
        t.equal(ca.status, 'Accepted', 'test setup: ChangeAvailability Inoperative on an idle connector is Accepted (OCPP 1.6 §5.2)');
        await waitStatus(t, 2, 'Unavailable', { since: m, timeoutMs: 5000, rule: 'an Inoperative connector is Unavailable (OCPP 1.6 §5.2)' });
        m = t.csms.mark();
        let r = await t.csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG0026U' });
        t.equal(r.status, 'Rejected', 'RemoteStartTransaction on an Unavailable connector is Rejected (OCPP 1.6 §5.11, §7.7 Unavailable)');
        await t.cp.plug(2, { phases: 3 });
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'a remote start Rejected on an Unavailable connector does not start when an EV arrives (OCPP 1.6 §5.11)');
        await t.cp.unplug(2);
        m = t.csms.mark();
        await t.csms.call('ChangeAvailability', { connectorId: 2, type: 'Operative' });
        await waitStatus(t, 2, 'Available', { since: m, timeoutMs: 5000, rule: 'test setup: Operative again: Available (OCPP 1.6 §5.2)' });

        // Faulted connector (lock failure with an EV plugged in).
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'lock', active: true });
        m = t.csms.mark();
        await t.cp.plug(2, { phases: 3 });
        await waitStatus(t, 2, 'Faulted', { since: m, timeoutMs: 5000, rule: 'test setup: a lock failure makes the connector Faulted (OCPP 1.6 §7.6)' });
        m = t.csms.mark();
        r = await t.csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'TAG0026F' });
        t.equal(r.status, 'Rejected', 'RemoteStartTransaction on a Faulted connector is Rejected (OCPP 1.6 §5.11, §7.7 Faulted)');
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'nothing starts on the Faulted connector (OCPP 1.6 §5.11)');
    },
};
