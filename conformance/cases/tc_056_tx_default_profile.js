'use strict';
// OCTT TC_056 Central Smart Charging - TxDefaultProfile: set while idle, used
// by the next transaction.  A TxDefaultProfile on connector 0 applies to every
// connector unless a connector has its own (OCPP 1.6 §3.13.2, docs/limits.md); the
// offered current in the control socket and Current.Offered in MeterValues
// follow it once the 60 s probing phase of docs/balancing.md is over.
const { bootAccepted, startLocalTransaction, sampledValues, parseTime } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, waitOffered } = require('../lib/sc_sched');

const SCALE = 30;
const SAMPLE = 20;      // s: MeterValueSampleInterval (0.67 s real)
const PROBE = 60;       // s: docs/balancing.md probing at min(Chameleon-MinCurrent 14, limits)
const ALL = 20;         // A: TxDefaultProfile on connector 0
const OWN = 10;         // A: TxDefaultProfile of connector 2

module.exports = {
    title: 'TC_056 TxDefaultProfile (connector 0 and a connector-specific one) used by new transactions',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        await setProfileOk(t, 0, profile({ id: 561, purpose: 'TxDefaultProfile', stackLevel: 2, startSchedule: iso(now - 3600e3), periods: [[0, ALL]] }),
            'a TxDefaultProfile on connector 0 is Accepted (OCPP 1.6 §5.16, TC_056)');
        await setProfileOk(t, 2, profile({ id: 562, purpose: 'TxDefaultProfile', stackLevel: 0, startSchedule: iso(now - 3600e3), periods: [[0, OWN]] }),
            'a TxDefaultProfile on connector 2 is Accepted (OCPP 1.6 §5.16)');
        const c1 = await composite(t, 1, 300, 'A');
        t.equal(c1.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [ALL], 'connector 1 has no own TxDefaultProfile: the one on connector 0 applies (OCPP 1.6 §3.13.2, docs/limits.md)');
        const c2 = await composite(t, 2, 300, 'A');
        t.equal(c2.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [OWN],
            "connector 2's own TxDefaultProfile beats connector 0's, even at a lower stack level (docs/limits.md: TxDefaultProfile on 0 applies unless a connector has its own; connector-specific beats connector 0)");

        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0561', ev: { phases: 3, max_current: 32 } });
        const txStart = parseTime(start.payload.timestamp);
        const probing = await waitOffered(t, 1, (a) => a > 0, 5000);
        t.equal(probing && probing.offered_a, 14, 'when charging is first allowed the socket is offered min(Chameleon-MinCurrent 14, its limits) (docs/balancing.md probing)');
        const full = await waitOffered(t, 1, (a) => a === ALL, t.scaled(PROBE + 30) + 3000);
        t.ok(full, `after probing the new transaction is offered the TxDefaultProfile's ${ALL} A: lowest of profile ${ALL}, connector 32, SLB share 32, EV 32 (docs/limits.md, OCPP 1.6 §3.13.2)`, await t.cp.connector(1));
        t.equal(full.binding, 'profile', 'the control socket names the profile as the binding source (docs/limits.md: report which source is binding)');
        const since = Date.parse(full.now) - txStart;
        t.atLeast(since / 1000, PROBE - 5, 'the full profile limit comes only after the 60 s probing phase (docs/balancing.md)');

        // The second socket: its own TxDefaultProfile (10 A) binds; SLB budget 32 ≥ 20 + 10, so no sharing effect.
        const second = await startLocalTransaction(t, { connector: 2, idTag: 'TAG0562', ev: { phases: 3, max_current: 32 } });
        const o2 = await waitOffered(t, 2, (a) => a === OWN, t.scaled(PROBE + 30) + 3000);
        t.ok(o2, `connector 2 is offered its own TxDefaultProfile's ${OWN} A (OCPP 1.6 §3.13.2; probing min(14, ${OWN}) is ${OWN} too)`, await t.cp.connector(2));
        const still = await t.cp.connector(1);
        t.equal(still.offered_a, ALL, `connector 1 keeps ${ALL} A: 20 + 10 fits Station-MaxCurrent 32, nothing to share (docs/balancing.md SLB)`);

        // Current.Offered in MeterValues: 14 while probing, then 20 (boundary ± one sample tolerated).
        await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId && parseTime(p.meterValue[0].timestamp) - txStart >= (PROBE + 10) * 1000,
            t.scaled(PROBE + 3 * SAMPLE) + 3000, { rule: `transaction MeterValues every ${SAMPLE} s (OCPP 1.6 §4.7)` });
        const mvs = t.csms.calls('MeterValues').filter((e) => e.payload.transactionId === txId);
        t.atLeast(mvs.length, 3, `transaction MeterValues every ${SAMPLE} s (OCPP 1.6 §4.7, test setup)`);
        let after = 0;
        for (const e of mvs) {
            for (const sv of sampledValues(e.payload).filter((s) => s.measurand === 'Current.Offered')) {
                const at = (parseTime(sv.timestamp) - txStart) / 1000;
                if (Math.abs(at - PROBE) <= 6) continue;
                const want = at < PROBE ? 14 : ALL;
                if (at >= PROBE) after++;
                t.near(Number(sv.value), want, 0.05, `Current.Offered sampled ${at.toFixed(0)} s into the transaction is ${want} A: probing then the TxDefaultProfile (docs/limits.md, docs/balancing.md; MeterValues follow the offered current)`);
                t.equal(sv.unit, 'A', 'Current.Offered is in A (OCPP 1.6 §7.33)');
            }
        }
        t.atLeast(after, 1, 'test setup: at least one Current.Offered sample after probing', { mvs: mvs.length, second: second.txId });
    },
};
