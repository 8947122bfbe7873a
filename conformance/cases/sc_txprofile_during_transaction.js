'use strict';
// OCTT TC_057 / TC_058 style: a TxProfile for the running transaction lowers
// the offered current at once; a TxProfile without a matching transaction,
// with a stack level above 15, or a ChargePointMaxProfile on a connector > 0
// is Rejected.
const { bootAccepted, startLocalTransaction, pollConnector } = require('../lib/steps');
const { profile, setProfile } = require('../lib/sc');

module.exports = {
    title: 'TC_057/058 TxProfile during a transaction lowers the offer; invalid profiles Rejected',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const noTx = await setProfile(t, 1, profile({ id: 570, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 8]], txId: 4242 }));
        t.equal(noTx, 'Rejected', 'a TxProfile without a running transaction is Rejected (OCPP 1.6 §3.13.4)');
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0057', ev: { phases: 3, max_current: 32 } });
        const wrong = await setProfile(t, 1, profile({ id: 571, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 8]], txId: txId + 1 }));
        t.equal(wrong, 'Rejected', 'a TxProfile whose transactionId is not the running one is Rejected (OCPP 1.6 §5.16)');
        const high = await setProfile(t, 1, profile({ id: 572, stack: 16, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 8]], txId }));
        t.equal(high, 'Rejected', 'stackLevel 16 is above ChargeProfileMaxStackLevel 15: Rejected (docs/limits.md)');
        const cpmax = await setProfile(t, 1, profile({ id: 573, purpose: 'ChargePointMaxProfile', kind: 'Relative', periods: [[0, 8]] }));
        t.equal(cpmax, 'Rejected', 'ChargePointMaxProfile on a connector > 0 is Rejected (OCPP 1.6 §3.13.1)');
        const ok = await setProfile(t, 1, profile({ id: 574, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 8]], txId }));
        t.equal(ok, 'Accepted', 'a TxProfile for the running transaction is Accepted (OCPP 1.6 §5.16)');
        const c = await pollConnector(t, 1, (x) => x.offered_a === 8, 3000);
        t.ok(c, 'the TxProfile limit (8 A) reaches the offered current within a control cycle or two (docs/limits.md: within one cycle)', await t.cp.connector(1));
    },
};
