'use strict';
// OCTT TC_058_2 style: during a transaction a TxProfile naming another
// transactionId, or aimed at the other (idle) connector, is refused and does
// not touch the running transaction's offer (OCPP 1.6 §5.16: transactionId
// must match;).
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { profile, clearProfiles, waitOffered } = require('../lib/sc_sched');

async function refused(t, connectorId, prof, rule) {
    let outcome;
    try {
        outcome = (await t.csms.call('SetChargingProfile', { connectorId, csChargingProfiles: prof })).status;
    } catch (e) {
        if (!e.rpcErrorCode) throw e;
        outcome = `CALLERROR ${e.rpcErrorCode}`;
    }
    t.oneOf(outcome, ['Rejected', 'CALLERROR PropertyConstraintViolation'], rule);
}

module.exports = {
    title: 'TC_058_2 TxProfile with a wrong transactionId or on the idle connector → Rejected, offer untouched',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0058', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'test setup: past probing the transaction is offered 32 A (docs/balancing.md)', await t.cp.connector(1));
        await refused(t, 1, profile({ id: 584, purpose: 'TxProfile', transactionId: txId + 1000, periods: [[0, 8]] }),
            'a TxProfile whose transactionId is not the running one is Rejected (OCPP 1.6 §5.16, TC_058)');
        await refused(t, 2, profile({ id: 585, purpose: 'TxProfile', transactionId: txId, periods: [[0, 8]] }),
            'a TxProfile for the running transaction sent to the other, idle connector is Rejected (OCPP 1.6 §5.16: connector and transaction must match)');
        await t.sleep(t.scaled(10));
        t.equal((await t.cp.connector(1)).offered_a, 32, 'the refused TxProfiles do not change the running offer (Rejected leaves the store unchanged)');
        t.equal(await clearProfiles(t, {}), 'Unknown', 'nothing was installed by the refused requests (OCPP 1.6 §5.5 Unknown)');
    },
};
