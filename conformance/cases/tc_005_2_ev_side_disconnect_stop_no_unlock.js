'use strict';
// OCTT TC_005_2 EV side disconnected, StopTransactionOnEVSideDisconnect=true,
// UnlockConnectorOnEVSideDisconnect=false: unplugging at the EV stops the
// transaction (EVDisconnected); the operator then unlocks the connector with
// UnlockConnector, which is Unlocked and stops nothing more.
//
// The simulator's `unplug` takes the cable away at both ends (see TC_005_1),
// so the statuses after the stop may skip Finishing.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_005_2 EV-side unplug, StopTransactionOnEVSideDisconnect=true, Unlock…=false → Stop(EVDisconnected), UnlockConnector Unlocked',
    timeScale: 10,
    connectors: 2,
    config: { MinimumStatusDuration: 0, StopTransactionOnEVSideDisconnect: 'true', UnlockConnectorOnEVSideDisconnect: 'false' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0052', ev: { phases: 3, max_current: 16 } });
        const m = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'with StopTransactionOnEVSideDisconnect=true unplugging at the EV stops the transaction (OCPP 1.6 §9.1.27, OCTT TC_005_2 step 1)' });
        t.equal(stop.payload.reason, 'EVDisconnected', 'the stop reason is EVDisconnected (OCPP 1.6 §7.33, OCTT TC_005_2 step 1)');
        const st = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'Charging', 5000,
            { since: m, rule: 'the EV-side unplug is reported with StatusNotification (OCPP 1.6 §4.9, OCTT TC_005_2 step 3)' });
        t.oneOf(st.payload.status, ['SuspendedEV', 'Finishing', 'Available'], 'after the EV-side unplug the connector is SuspendedEV, Finishing or (cable gone) Available (OCPP 1.6 §7.7)');

        const m2 = t.csms.mark();
        const r = await t.csms.call('UnlockConnector', { connectorId: 1 });
        t.equal(r.status, 'Unlocked', 'UnlockConnector after the EV-side stop is Unlocked (OCPP 1.6 §5.18, OCTT TC_005_2 step 6)');
        await t.sleep(t.scaled(3));
        t.equal(t.csms.calls('StopTransaction', m2).length, 0, 'unlocking a connector whose transaction already stopped stops nothing (OCPP 1.6 §5.18)');
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'the transaction is stopped exactly once (OCPP 1.6 §4.10)');
        await waitStatus(t, 1, 'Available', { since: m, timeoutMs: 5000,
            rule: 'with the cable gone the connector reports Available (OCPP 1.6 §4.9, OCTT TC_005_2 step 7)' });
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'the control socket shows no transaction (control socket status)');
    },
};
