'use strict';
// OCTT TC_005_3 EV side disconnected, StopTransactionOnEVSideDisconnect=false,
// UnlockConnectorOnEVSideDisconnect=false: the transaction outlives the cable
// (SuspendedEV, no StopTransaction); an EV that comes back charges again in
// the same transaction (OCPP 1.6 §3.? "If the EV is reconnected, energy
// transfer is allowed again"); RemoteStopTransaction ends it with Remote.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };

module.exports = {
    title: 'TC_005_3 EV-side unplug with StopTransactionOnEVSideDisconnect=false → SuspendedEV, transaction kept; RemoteStop → Stop(Remote)',
    timeScale: 10,
    connectors: 2,
    config: { MinimumStatusDuration: 0, StopTransactionOnEVSideDisconnect: 'false', UnlockConnectorOnEVSideDisconnect: 'false' },
    timeoutMs: 45000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0053', ev: EV });
        let m = t.csms.mark();
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'SuspendedEV', { since: m, timeoutMs: 5000,
            rule: 'with StopTransactionOnEVSideDisconnect=false the unplugged connector keeps its transaction and reports SuspendedEV (OCPP 1.6 §7.7, OCTT TC_005_3 step 1)' });
        await t.sleep(t.scaled(15));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'with StopTransactionOnEVSideDisconnect=false unplugging at the EV does not stop the transaction (OCPP 1.6 §9.1.27)');
        let c = await t.cp.connector(1);
        t.equal(c.transaction_id, txId, 'the control socket still shows the transaction after the EV-side unplug (control socket status)');
        t.equal(c.offered_a, 0, 'nothing is offered while no EV is connected (IEC 61851-1 state A)');

        // The EV comes back: energy transfer is allowed again, same transaction.
        m = t.csms.mark();
        await t.cp.plug(1, EV);
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 5000,
            rule: 'an EV reconnected to a kept transaction charges again (OCPP 1.6 StopTransactionOnEVSideDisconnect=false: "energy transfer is allowed again")' });
        c = await expectConnector(t, 1, (x) => x.import_a.every((a) => a > 5), t.scaled(30) + 3000, 'the reconnected EV draws current again');
        t.equal(c.transaction_id, txId, 'the reconnected EV charges in the same transaction (OCPP 1.6 §9.1.27)');
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'reconnecting the EV starts no new transaction (OCPP 1.6 §9.1.27)');

        // Unplugged again, then the operator stops it remotely (OCTT steps 3-8).
        m = t.csms.mark();
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'SuspendedEV', { since: m, timeoutMs: 5000, rule: 'unplugged again: SuspendedEV (OCPP 1.6 §7.7, OCTT TC_005_3 step 1)' });
        const m2 = t.csms.mark();
        const r = await t.csms.call('RemoteStopTransaction', { transactionId: txId });
        t.equal(r.status, 'Accepted', 'RemoteStopTransaction for the kept transaction is Accepted (OCPP 1.6 §5.12, OCTT TC_005_3 step 4)');
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m2, rule: 'the remote stop is followed by StopTransaction (OCPP 1.6 §5.12, OCTT TC_005_3 step 7)' });
        t.equal(stop.payload.reason, 'Remote', 'the stop reason is Remote (OCPP 1.6 §7.33, OCTT TC_005_3 step 7)');
        const st = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'SuspendedEV', 5000,
            { since: m2, rule: 'the stop is reported with StatusNotification (OCPP 1.6 §4.9, OCTT TC_005_3 step 5)' });
        t.oneOf(st.payload.status, ['Finishing', 'Available'], 'after the stop without an EV the connector is Finishing or Available (OCPP 1.6 §7.7, OCTT TC_005_3 step 5)');
        await waitStatus(t, 1, 'Available', { since: m2, timeoutMs: 5000, rule: 'with no EV and no transaction the connector ends Available (OCPP 1.6 §7.7)' });
    },
};
