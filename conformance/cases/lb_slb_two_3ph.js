'use strict';
// conformance: two three-phase EVs under SLB with Station-MaxCurrent
// 25 (docs/balancing.md product table, docs/balancing.md vector H): after the probing phase
// both are offered 12.5 A (control socket and Current.Offered); a TxProfile
// of 8 A on one leaves 17 A to the other (docs/limits.md: a profile-capped socket's
// unused share goes to the others); unplugging one gives the other 25 A within
// one control cycle (docs/limits.md: ≤ 100 ms after the input arrives).
const { bootAccepted } = require('../lib/steps');
const { SAMPLED, startSession, expectOffered, expectConnector, probingOver, expectMeterOffered } = require('../lib/lb');

const SCALE = 30;
const SAMPLE = 30;          // s of station time: one MeterValues per second real
const PROBE = 60;           // s of station time (docs/balancing.md)
const EV = { phases: 3, min_current: 6, max_current: 32 };
const CYCLE_MS = 100;       // docs/limits.md target for a limit change to reach the PWM

function txProfile(txId, limit) {
    return {
        chargingProfileId: 601, transactionId: txId, stackLevel: 0,
        chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    };
}

module.exports = {
    title: 'SLB, Station-MaxCurrent 25: 12.5/12.5 after probing, TxProfile 8 → other 17, unplug → other 25 in one cycle',
    timeScale: SCALE,
    connectors: 2,
    config: { 'Station-MaxCurrent': '25.0', 'Static-LoadBalancing': 'On', MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: SAMPLED },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const probeMs = t.scaled(PROBE);

        const s1 = await startSession(t, { connector: 1, idTag: 'TAGLB1', ev: EV });
        await expectConnector(t, 1, (c) => c.offered_a === 14 && c.balancing === 'probing', 3000,
            'a socket first allowed to charge is offered min(Chameleon-MinCurrent 14 A, its limits) while probing (docs/balancing.md)');
        await expectOffered(t, 1, 25, probeMs + 3000,
            'one 3-phase EV alone under SLB gets Station-MaxCurrent 25 A after probing (docs/balancing.md product table, docs/balancing.md)');

        const s2 = await startSession(t, { connector: 2, idTag: 'TAGLB2', ev: EV });
        await expectConnector(t, 2, (c) => c.offered_a === 14 && c.balancing === 'probing', 3000,
            'the second socket probes at Chameleon-MinCurrent 14 A too (docs/balancing.md: in every mode)');
        await expectOffered(t, 1, 11, 3000,
            'while socket 2 probes at 14 A, socket 1 gets what remains of 25 A: 11 A (docs/balancing.md "other sockets in use first get less")');
        await probingOver(t, [2], probeMs + 3000);
        const both = [];
        for (const c of [1, 2]) {
            both.push(await expectOffered(t, c, 12.5, 3000,
                `two 3-phase EVs under SLB with Station-MaxCurrent 25 are offered 12.5 A each (docs/balancing.md, docs/balancing.md vector H), connector ${c}`));
        }
        for (const st of both) t.equal(st.ocpp_status, 'Charging', `a socket offered its share is Charging (OCPP 1.6 §4.9), connector ${st.id}`);
        // Grid L1..L3 each carry 12.5 + 12.5 = 25 A: exactly the budget, never more (docs/station-model.md budgets per grid phase).
        const sum = [0, 1, 2].map((k) => both[0].import_a[k] + both[1].import_a[k]);
        const drawing = await expectConnector(t, 2, (c) => c.import_a.every((a) => Math.abs(a - 12.5) <= 0.5), 5000,
            'a 3-phase EV offered 12.5 A draws 12.5 A on every grid phase (simulator)');
        t.ok(drawing && sum.every((a) => a <= 25 + 0.5), 'the station never draws more than Station-MaxCurrent on any grid phase (docs/station-model.md, docs/balancing.md)', sum);

        let m = t.csms.mark();
        for (const s of [s1, s2]) {
            await expectMeterOffered(t, s.txId, 12.5, { since: m, timeoutMs: t.scaled(SAMPLE) * 2 + 3000,
                rule: `MeterValues report Current.Offered 12.5 A for transaction ${s.txId} (docs/limits.md: every applied change is visible as Current.Offered)` });
        }

        // TxProfile 8 A on socket 1: the other takes the rest.
        const r = await t.csms.call('SetChargingProfile', { connectorId: 1, csChargingProfiles: txProfile(s1.txId, 8) });
        t.equal(r.status, 'Accepted', 'SetChargingProfile with a TxProfile for the running transaction is Accepted (OCPP 1.6 §5.16)');
        const c1 = await expectOffered(t, 1, 8, 3000, 'a TxProfile of 8 A caps its socket at 8 A (docs/limits.md limit stack: the lower wins)');
        t.equal(c1.binding, 'profile', 'the control socket names the profile as the binding limit (docs/limits.md)');
        const c2 = await expectOffered(t, 2, 17, 3000,
            'the socket capped by a TxProfile of 8 A leaves its unused share: the other gets 25 − 8 = 17 A (docs/limits.md)');
        t.equal(c2.binding, 'balancing', 'the other socket is bound by its balancing share (docs/limits.md)');
        m = t.csms.mark();
        await expectMeterOffered(t, s1.txId, 8, { since: m, timeoutMs: t.scaled(SAMPLE) * 2 + 3000,
            rule: 'Current.Offered of the profile-capped transaction is 8 A (docs/limits.md)' });
        await expectMeterOffered(t, s2.txId, 17, { since: m, timeoutMs: t.scaled(SAMPLE) * 2 + 3000,
            rule: 'Current.Offered of the other transaction is 17 A (docs/limits.md)' });

        const cr = await t.csms.call('ClearChargingProfile', { id: 601 });
        t.equal(cr.status, 'Accepted', 'ClearChargingProfile of the TxProfile is Accepted (OCPP 1.6 §5.5)');
        for (const c of [1, 2]) {
            await expectOffered(t, c, 12.5, 3000, `without the profile both sockets share equally again: 12.5 A, connector ${c} (docs/balancing.md)`);
        }

        // Unplug socket 2: socket 1 gets all 25 A within one control cycle.
        await t.cp.unplug(2);
        const t0 = Date.now();
        const after = await expectOffered(t, 1, 25, 2000, 'unplugging one EV gives the other Station-MaxCurrent 25 A');
        const ms = Date.now() - t0;
        t.log(`unplug → other socket offered 25 A after ${ms} ms real (first status poll that showed it)`);
        t.atMost(ms, CYCLE_MS, 'the freed share reaches the other socket within one control cycle (docs/limits.md: ≤ 100 ms after the input arrives;)');
        t.equal(after.balancing, 'share', 'the remaining socket is on its balancing share, not probing again (docs/balancing.md: no new probing in the session)');
    },
};
