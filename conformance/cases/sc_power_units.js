'use strict';
// docs/limits.md units: a W limit is the total over the period's
// numberPhases (3 when absent), converted with Station-NominalVoltage 230 V:
// per-phase A = W / (230 × phases), rounded DOWN to 0.1 A (docs/limits.md) so a
// converted value never exceeds what the profile allows.  A↔W both ways in
// GetCompositeSchedule, numberPhases reported, and a W profile limits the
// offered current of a transaction.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, clearProfiles, composite, waitOffered } = require('../lib/sc_sched');

const periodsOf = (r) => r.chargingSchedule.chargingSchedulePeriod.map((p) => ({ limit: p.limit, numberPhases: p.numberPhases }));

module.exports = {
    title: 'W profiles and numberPhases: A↔W with 230 V × phases, rounding down, offered current from a W profile',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const start = iso((await daemonNow(t)) - 3600e3);
        // Connector 1: 6900 W over 3 phases = 10.0 A; connector 2: 2300 W on 1 phase = 10.0 A.
        await setProfileOk(t, 1, profile({ id: 870, purpose: 'TxDefaultProfile', unit: 'W', startSchedule: start, periods: [[0, 6900, 3]] }),
            'a TxDefaultProfile in W is Accepted (ChargingScheduleAllowedChargingRateUnit=Current,Power, docs/limits.md)');
        await setProfileOk(t, 2, profile({ id: 871, purpose: 'TxDefaultProfile', unit: 'W', startSchedule: start, periods: [[0, 2300, 1]] }),
            'a 1-phase TxDefaultProfile in W is Accepted (docs/limits.md)');
        t.equal(periodsOf(await composite(t, 1, 60, 'A')), [{ limit: 10, numberPhases: 3 }], '6900 W over 3 phases = 10.0 A per phase (6900 / (230 × 3)); numberPhases 3 reported (docs/limits.md)');
        t.equal(periodsOf(await composite(t, 1, 60, 'W')), [{ limit: 6900, numberPhases: 3 }], 'asked in W the same profile reads 6900 W (both directions)');
        t.equal(periodsOf(await composite(t, 2, 60, 'A')), [{ limit: 10, numberPhases: 1 }], '2300 W on 1 phase = 10.0 A; numberPhases 1 reported (docs/limits.md)');
        t.equal(periodsOf(await composite(t, 2, 60, 'W')), [{ limit: 2300, numberPhases: 1 }], 'asked in W it reads 2300 W = 10 A × 230 V × 1 phase (docs/limits.md)');

        // Rounding: 7000 W / 690 = 10.14 A → 10.1 A, never up.
        await setProfileOk(t, 1, profile({ id: 872, purpose: 'TxDefaultProfile', stackLevel: 1, unit: 'W', startSchedule: start, periods: [[0, 7000]] }));
        t.equal(periodsOf(await composite(t, 1, 60, 'A')).map((p) => p.limit), [10.1], '7000 W / (230 V × 3) = 10.14 A is reported as 10.1 A: rounded down (docs/limits.md one decimal)');
        // An A profile with numberPhases 1 asked in W: 16 A × 230 V × 1.
        await setProfileOk(t, 1, profile({ id: 873, purpose: 'TxDefaultProfile', stackLevel: 2, startSchedule: start, periods: [[0, 16, 1]] }));
        t.equal(periodsOf(await composite(t, 1, 60, 'W')), [{ limit: 3680, numberPhases: 1 }], '16 A on 1 phase in W is 16 × 230 × 1 = 3680 W (docs/limits.md W = A × 230 × phases)');
        t.equal(await clearProfiles(t, { stackLevel: 2 }), 'Accepted', 'test setup: back to the rounding profile');

        // A W profile limits a real transaction: 7000 W over 3 phases → 10.1 A offered (probing min(14, 10.1)).
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGWATT', ev: { phases: 3, max_current: 32 } });
        const c = await waitOffered(t, 1, (a) => a > 0, 3000);
        t.equal(c && c.offered_a, 10.1, 'a W profile limits the offered current per phase: 7000 W / (230 × 3) → 10.1 A, rounded down (docs/limits.md offered values rounded down to 0.1 A)');
        // The station-wide schedule in W: min(Station max 32 A, Σ connectors) with numberPhases 3.
        const st0 = await composite(t, 0, 60, 'W');
        t.equal(st0.status, 'Accepted', 'GetCompositeSchedule of connector 0 in W is Accepted (OCPP 1.6 §5.7)');
        t.ok(st0.chargingSchedule.chargingSchedulePeriod[0].limit <= 32 * 230 * 3, 'the station schedule in W never exceeds Station-MaxCurrent 32 A × 230 V × 3 (connector 0)', st0.chargingSchedule);
    },
};
