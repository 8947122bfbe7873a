'use strict';
// OCTT TC_066 Get Composite Schedule with all three purposes installed:
// ChargePointMaxProfile (connector 0), TxDefaultProfile and a TxProfile on
// connector 1 during a transaction.  The composite of connector 1 is
// min(ChargePointMax, TxProfile) - the TxProfile overrules the default for the
// whole transaction, also after it ends (docs/limits.md); connector 2 (idle) is
// min(ChargePointMax, hardware); connector 0 is min(ChargePointMax, Σ
// connectors); W = A × 230 V × numberPhases (3 when absent).
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, assertComposite } = require('../lib/sc_sched');

const DUR = 600;

module.exports = {
    title: 'TC_066 composite of ChargePointMax + TxDefault + TxProfile, connectors 0/1/2, in A and in W',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0066', ev: { phases: 3, max_current: 32 } });
        const t0 = Math.floor((await daemonNow(t)) / 1000) * 1000;
        const at = (s) => t0 + s * 1000;
        // ChargePointMax: 16 A, from 200 s 12 A.
        await setProfileOk(t, 0, profile({ id: 661, purpose: 'ChargePointMaxProfile', startSchedule: iso(t0), duration: 86400, periods: [[0, 16], [200, 12]] }),
            'ChargePointMaxProfile on connector 0 is Accepted (OCPP 1.6 §3.13.1, TC_066)');
        // TxDefault on connector 1: 10 A, from 100 s 20 A: never in force for this transaction.
        await setProfileOk(t, 1, profile({ id: 662, purpose: 'TxDefaultProfile', stackLevel: 3, startSchedule: iso(t0), periods: [[0, 10], [100, 20]] }),
            'TxDefaultProfile on connector 1 is Accepted (OCPP 1.6 §5.16)');
        // TxProfile: 14 A, from 300 s 8 A, ending at 400 s.
        await setProfileOk(t, 1, profile({ id: 663, purpose: 'TxProfile', transactionId: txId, startSchedule: iso(t0), duration: 400, periods: [[0, 14], [300, 8]] }),
            'TxProfile for the running transaction is Accepted (OCPP 1.6 §5.16)');

        const cpmax = (ms) => (ms < at(200) ? 16 : 12);
        const tx = (ms) => (ms < at(300) ? 14 : ms < at(400) ? 8 : 32);
        const conn1 = (ms) => Math.min(cpmax(ms), tx(ms));
        const conn2 = (ms) => Math.min(cpmax(ms), 32);
        const bounds = [200, 300, 400].map(at);

        const a1 = await composite(t, 1, DUR, 'A');
        t.equal(a1.status, 'Accepted', 'GetCompositeSchedule of connector 1 is Accepted (OCPP 1.6 §5.7)');
        t.equal(a1.connectorId, 1, 'the reply names connector 1 (OCPP 1.6 §6.28)');
        t.equal(a1.chargingSchedule.duration, DUR, 'the composite covers exactly the requested duration');
        t.equal(a1.chargingSchedule.chargingSchedulePeriod[0].startPeriod, 0, 'the first period starts at 0 (OCPP 1.6 §7.9)');
        assertComposite(t, a1, conn1, { boundaries: bounds,
            rule: 'connector 1 = min(ChargePointMax 16→12, TxProfile 14→8); after the TxProfile ends ChargePointMax 12, never the TxDefaultProfile (OCPP 1.6 §3.13, docs/limits.md; TC_066)' });
        const lims = a1.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit);
        for (let i = 1; i < lims.length; i++) t.ok(lims[i] !== lims[i - 1], 'equal neighbouring periods are merged', a1.chargingSchedule.chargingSchedulePeriod);

        const w1 = await composite(t, 1, DUR, 'W');
        t.equal(w1.chargingSchedule.chargingRateUnit, 'W', 'the composite is in the requested unit W (OCPP 1.6 §5.7)');
        assertComposite(t, w1, (ms) => conn1(ms) * 230 * 3, { boundaries: bounds,
            rule: 'in W every limit is A × 230 V × 3 phases (numberPhases absent → 3; docs/limits.md W↔A)' });

        const a2 = await composite(t, 2, DUR, 'A');
        assertComposite(t, a2, conn2, { boundaries: bounds,
            rule: 'idle connector 2 = min(ChargePointMax, hardware 32): the TxDefaultProfile of connector 1 does not apply to it (OCPP 1.6 §3.13.2)' });
        const a0 = await composite(t, 0, DUR, 'A');
        t.equal(a0.status, 'Accepted', 'GetCompositeSchedule of connector 0 (the whole station) is Accepted (OCPP 1.6 §5.7)');
        assertComposite(t, a0, (ms) => Math.min(32, cpmax(ms), conn1(ms) + conn2(ms)), { boundaries: bounds,
            rule: 'connector 0 = min(Station-MaxCurrent 32, ChargePointMax, Σ connectors) (station-wide schedule)' });
        const st = await t.cp.connector(1);
        t.equal(st.offered_a, 14, 'the transaction is offered the composite\'s 14 A now (docs/limits.md; probing min(14, 14))');
    },
};
