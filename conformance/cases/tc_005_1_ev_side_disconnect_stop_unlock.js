'use strict';
// OCTT TC_005_1 EV side disconnected, StopTransactionOnEVSideDisconnect=true,
// UnlockConnectorOnEVSideDisconnect=true: unplugging at the EV stops the
// transaction with reason EVDisconnected; the connector ends Available.
//
// The simulator's `unplug` takes the cable away at both ends at once (its PP
// cable stays a property of the socket), so the Finishing step of the OCTT
// scenario (cable still in the socket) may be skipped: Available directly is
// what a socket with nothing in it reports.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_005_1 EV-side unplug, StopTransactionOnEVSideDisconnect=true, Unlock…=true → Stop(EVDisconnected), Available',
    timeScale: 10,
    connectors: 2,
    config: { MinimumStatusDuration: 0, StopTransactionOnEVSideDisconnect: 'true', UnlockConnectorOnEVSideDisconnect: 'true' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0051', ev: { phases: 3, max_current: 16 } });
        const m = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'with StopTransactionOnEVSideDisconnect=true unplugging at the EV stops the transaction (OCPP 1.6 §9.1.27, OCTT TC_005_1 step 1)' });
        t.equal(stop.payload.reason, 'EVDisconnected', 'the stop reason is EVDisconnected (OCPP 1.6 §7.33, OCTT TC_005_1 step 1)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
        const avail = await waitStatus(t, 1, 'Available', { since: m, timeoutMs: 5000,
            rule: 'with the cable gone the connector reports Available (OCPP 1.6 §4.9, §7.7, OCTT TC_005_1 step 5)' });
        const after = t.csms.calls('StatusNotification', m).filter((e) => e.payload.connectorId === 1 && e.index <= avail.index);
        t.ok(after.every((e) => ['SuspendedEV', 'Finishing', 'Available'].includes(e.payload.status)),
            'between the EV-side unplug and Available the connector only passes SuspendedEV or Finishing (OCPP 1.6 §7.7, OCTT TC_005_1)', after.map((e) => e.payload.status));
        t.ok(after.every((e) => e.payload.errorCode === 'NoError'), 'an EV-side unplug is not an error (OCPP 1.6 §7.6)', after.map((e) => e.payload.errorCode));
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'the transaction is stopped exactly once (OCPP 1.6 §4.10)');
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'the control socket shows no transaction after the EV-side stop (control socket status)');
        t.equal(c.offered_a, 0, 'nothing is offered on an empty socket (IEC 61851-1 state A)');

        // The connector is free again: a new session starts normally.
        const again = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0051B' });
        t.ok(again.txId !== txId, 'after an EV-side stop the connector takes a new transaction (OCPP 1.6 §4.8)', again.txId);
    },
};
