'use strict';
// OCTT TC_058_1 Central Smart Charging - No ongoing transaction: a TxProfile
// for a connector without a transaction is refused (SetChargingProfile
// Rejected, or a CALLERROR PropertyConstraintViolation as OCTT allows), is not
// installed, and the charge point keeps serving (OCPP 1.6 §3.13.4).
const { bootAccepted } = require('../lib/steps');
const { profile, clearProfiles, composite } = require('../lib/sc_sched');

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
    title: 'TC_058_1 TxProfile without a transaction → Rejected, nothing installed',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        await refused(t, 1, profile({ id: 581, purpose: 'TxProfile', transactionId: 1, periods: [[0, 8]] }),
            'a TxProfile with a transactionId while no transaction runs is Rejected (OCTT TC_058_1, OCPP 1.6 §3.13.4)');
        await refused(t, 1, profile({ id: 582, purpose: 'TxProfile', periods: [[0, 8]] }),
            'a TxProfile without a transactionId while no transaction runs is Rejected (OCPP 1.6 §3.13.4: TxProfile only with a running transaction)');
        await refused(t, 0, profile({ id: 583, purpose: 'TxProfile', transactionId: 1, periods: [[0, 8]] }),
            'a TxProfile on connector 0 is Rejected (OCPP 1.6 §3.13.4: a TxProfile belongs to a transaction on a connector)');
        t.equal(await clearProfiles(t, {}), 'Unknown', 'no refused TxProfile was installed: clearing everything matches nothing (OCPP 1.6 §5.5 Unknown)');
        const c = await composite(t, 1, 60, 'A');
        t.equal(c.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [32], 'connector 1 is still at its hardware limit 32 A (no profile → hardware limit)');
        const st = await t.cp.status();
        t.ok(st.ok && st.connectors.every((x) => x.transaction_id === null), 'the daemon keeps running and starts no transaction (Rejected, never a crash)', st);
    },
};
