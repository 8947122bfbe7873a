'use strict';
// OCTT TC_072 Stacking Charging Profiles: two TxDefaultProfiles on one
// connector, stack level 0 (6 / 8 / 10 A at 0 / 100 / 200 s, duration 400)
// and stack level 1 (duration 150).  The composite shows level 1 while it
// runs and level 0 where it has ended, the hardware limit after both (also
// past validTo), in A and in W (OCPP 1.6 §3.13.2).  Then a third
// profile with the same connector + purpose + stack level replaces level 1.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, assertComposite } = require('../lib/sc_sched');

module.exports = {
    title: 'TC_072 stacking: higher stack level while it runs, lower shows through, hardware after validTo; replacement',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const t0 = Math.floor((await daemonNow(t)) / 1000) * 1000;
        const at = (s) => t0 + s * 1000;
        const common = { purpose: 'TxDefaultProfile', startSchedule: iso(t0), validFrom: iso(at(-1)), validTo: iso(at(401)) };
        await setProfileOk(t, 1, profile({ id: 720, stackLevel: 0, duration: 400, periods: [[0, 6], [100, 8], [200, 10]], ...common }),
            'TxDefaultProfile stack level 0 is Accepted (TC_072 profile 1)');
        await setProfileOk(t, 1, profile({ id: 721, stackLevel: 1, duration: 150, periods: [[0, 12], [100, 7]], ...common }),
            'TxDefaultProfile stack level 1 is Accepted (TC_072 profile 2)');
        const expectA = (ms) => (ms < at(100) ? 12 : ms < at(150) ? 7 : ms < at(200) ? 8 : ms < at(400) ? 10 : 32);
        const bounds = [100, 150, 200, 400, 401].map(at);
        const a = await composite(t, 1, 500, 'A');
        t.equal(a.chargingSchedule.duration, 500, 'the composite covers exactly the requested 500 s');
        assertComposite(t, a, expectA, { boundaries: bounds,
            rule: 'stack level 1 wins while it runs (12, 7), level 0 shows through after its 150 s (8, 10), hardware 32 A after 400 s (OCPP 1.6 §3.13.2, §7.8 duration/validTo; TC_072)' });
        const w = await composite(t, 1, 500, 'W');
        assertComposite(t, w, (ms) => expectA(ms) * 230 * 3, { boundaries: bounds,
            rule: 'the same composite in W: A × 230 V × 3 phases (docs/limits.md W↔A; TC_072 with chargingRateUnit W)' });
        const other = await composite(t, 2, 500, 'A');
        t.equal(other.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [32], 'profiles on connector 1 do not affect connector 2 (OCPP 1.6 §3.13.2)');

        // Same connector + purpose + stack level, new id: replaces 721 (OCPP 1.6 §5.16).
        await setProfileOk(t, 1, profile({ id: 722, stackLevel: 1, duration: 150, periods: [[0, 9]], ...common }),
            'a TxDefaultProfile with the same connector, purpose and stack level is Accepted (OCPP 1.6 §5.16)');
        const r = await composite(t, 1, 500, 'A');
        assertComposite(t, r, (ms) => (ms < at(150) ? 9 : expectA(ms)), { boundaries: bounds,
            rule: 'the new stack level 1 profile replaced the old one: 9 A for 150 s, then level 0 (OCPP 1.6 §5.16 replacement)' });
        const gone = await t.csms.call('ClearChargingProfile', { id: 721 });
        t.equal(gone.status, 'Unknown', 'the replaced profile no longer exists (OCPP 1.6 §5.16, §5.5)');
    },
};
