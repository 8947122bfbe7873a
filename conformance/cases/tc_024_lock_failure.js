'use strict';
// OCTT TC_024 Start charging session – lock failure: the connector is
// authorized (RemoteStartTransaction, Preparing), the EV is plugged in but the
// lock motor fails: StatusNotification Faulted with errorCode
// ConnectorLockFailure, and no transaction starts, nothing is offered.
// Second variant (plug first): a tag presented on a connector that is Faulted
// by a lock failure starts nothing either.
const { bootAccepted, waitStatus } = require('../lib/steps');

const EV = { phases: 3, min_current: 6, max_current: 16 };

async function expectIdle(t, connector, since, what) {
    // Watch for a while (station time): no StartTransaction, no current.
    const end = Date.now() + t.scaled(10);
    while (Date.now() < end) {
        const c = await t.cp.connector(connector);
        t.equal(c.offered_a, 0, `${what}: nothing is offered on a socket whose lock failed (OCPP 1.6 §7.6 ConnectorLockFailure, OCTT TC_024)`);
        t.equal(c.import_a, [0, 0, 0], `${what}: no current flows on a socket whose lock failed (OCTT TC_024)`);
        await t.sleep(100);
    }
    t.equal(t.csms.calls('StartTransaction', since).filter((e) => e.payload.connectorId === connector).map((e) => e.payload),
        [], `${what}: a connector whose lock failed starts no transaction (OCTT TC_024 "does not start a transaction when it occurs")`);
    const c = await t.cp.connector(connector);
    t.equal(c.transaction_active, false, `${what}: the control socket shows no transaction (control socket status)`);
    t.ok(!t.csms.calls('StatusNotification', since).some((e) => e.payload.connectorId === connector && e.payload.status === 'Charging'),
        `${what}: the connector never reports Charging (OCTT TC_024)`, t.csms.calls('StatusNotification', since).map((e) => e.payload));
}

module.exports = {
    title: 'TC_024 lock failure at plug-in → Faulted ConnectorLockFailure, no transaction (remote start first; tag on a faulted plug)',
    timeScale: 10,
    connectors: 2,
    config: { AuthorizeRemoteTxRequests: 'false', ConnectionTimeOut: 300 },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: true });
        let m = t.csms.mark();
        const r = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG0024' });
        t.equal(r.status, 'Accepted', 'RemoteStartTransaction on an Available connector is Accepted (OCPP 1.6 §5.11, OCTT TC_024 step 4)');
        await waitStatus(t, 1, 'Preparing', { since: m, timeoutMs: 5000, rule: 'an authorized connector waiting for the EV is Preparing (OCPP 1.6 §7.7, OCTT TC_024 step 7)' });
        m = t.csms.mark();
        await t.cp.plug(1, EV);
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: 5000,
            rule: 'an EV whose plug cannot be locked makes the connector Faulted (OCPP 1.6 §7.7, OCTT TC_024 step 9)' });
        t.equal(f.payload.errorCode, 'ConnectorLockFailure', 'the lock failure is reported with errorCode ConnectorLockFailure (OCPP 1.6 §7.6, OCTT TC_024 step 9)');
        await expectIdle(t, 1, m, 'remote start, then plug-in with a failing lock');

        // Plug first, then a tag, on connector 2.
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'lock', active: true });
        m = t.csms.mark();
        await t.cp.plug(2, EV);
        const f2 = await waitStatus(t, 2, 'Faulted', { since: m, timeoutMs: 5000, rule: 'a plug that cannot be locked makes the connector Faulted (OCPP 1.6 §7.7)' });
        t.equal(f2.payload.errorCode, 'ConnectorLockFailure', 'errorCode ConnectorLockFailure (OCPP 1.6 §7.6)');
        // The reader may refuse the tag at once (ok:false): fine, as long as nothing starts.
        await t.cp.control({ cmd: 'tag', connector: 2, id_tag: 'TAG0024B' });
        await expectIdle(t, 2, m, 'plug-in with a failing lock, then a tag');
    },
};
