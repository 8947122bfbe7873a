'use strict';
// docs/limits.md: SetChargingProfile beyond the advertised limits or
// against the rules is Rejected, never a crash, and leaves the installed
// profiles alone: stack level 16 (ChargeProfileMaxStackLevel 15), 101 periods
// (ChargingScheduleMaxPeriods 100), a 46th profile (MaxChargingProfilesInstalled
// 45), ChargePointMaxProfile on a connector, a connector that does not exist,
// periods not ascending / not starting at 0, Recurring without startSchedule.
// The limits themselves (15, 100, 45) are Accepted.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, iso, profile, setProfile, setProfileOk, clearProfiles, composite } = require('../lib/sc_sched');

module.exports = {
    title: 'SetChargingProfile refusals: stack 16, 101 periods, 46th profile, ChargePointMax on connector 1, bad schedules; limits accepted',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const start = iso((await daemonNow(t)) - 3600e3);
        const txd = (id, stackLevel, periods, extra = {}) => profile({ id, purpose: 'TxDefaultProfile', stackLevel, startSchedule: start, periods, ...extra });
        const periods = (n) => Array.from({ length: n }, (_, i) => [i * 60, 6 + (i % 20)]);
        const limits = await t.csms.call('GetConfiguration', { key: ['ChargeProfileMaxStackLevel', 'ChargingScheduleMaxPeriods', 'MaxChargingProfilesInstalled'] });
        t.equal(limits.configurationKey.map((k) => k.value), ['15', '100', '45'], 'test setup: the advertised smart charging limits (docs/limits.md)');

        const refusals = [
            { c: 1, p: txd(900, 16, [[0, 10]]), why: 'stackLevel 16 is above ChargeProfileMaxStackLevel 15 (docs/limits.md)' },
            { c: 1, p: txd(901, 0, periods(101)), why: '101 periods exceed ChargingScheduleMaxPeriods 100 (docs/limits.md)' },
            { c: 1, p: profile({ id: 902, purpose: 'ChargePointMaxProfile', startSchedule: start, periods: [[0, 10]] }), why: 'ChargePointMaxProfile on connector 1: only connector 0 (OCPP 1.6 §3.13.1)' },
            { c: 3, p: txd(903, 0, [[0, 10]]), why: 'connector 3 does not exist on a 2-connector station (OCPP 1.6 §5.16)' },
            { c: 1, p: txd(904, 0, [[10, 10], [60, 8]]), why: 'the first period must start at 0 (OCPP 1.6 §7.9)' },
            { c: 1, p: txd(905, 0, [[0, 10], [120, 8], [60, 6]]), why: 'periods must be in ascending startPeriod' },
            { c: 1, p: profile({ id: 906, purpose: 'TxDefaultProfile', kind: 'Recurring', recurrencyKind: 'Daily', periods: [[0, 10]] }), why: 'Recurring needs a startSchedule' },
            { c: 1, p: txd(907, 0, [[0, 10, 4]]), why: 'numberPhases 4: a period has 1 to 3 phases (OCPP 1.6 §7.9)' },
        ];
        for (const r of refusals) {
            t.equal(await setProfile(t, r.c, r.p), 'Rejected', `SetChargingProfile is Rejected: ${r.why}`);
        }
        t.equal(await clearProfiles(t, {}), 'Unknown', 'none of the refused profiles was installed (on error the store is unchanged)');

        await setProfileOk(t, 1, txd(910, 15, periods(100)), 'stackLevel 15 with 100 periods, the advertised maxima, is Accepted (docs/limits.md)');
        // Fill the store: 45 profiles in all (distinct connector + purpose + stack level).
        let id = 1000;
        const slots = [];
        for (let lvl = 0; lvl <= 15; lvl++) slots.push([0, 'ChargePointMaxProfile', lvl], [0, 'TxDefaultProfile', lvl], [2, 'TxDefaultProfile', lvl]);
        for (const [c, purpose, lvl] of slots.slice(0, 44)) {
            await setProfileOk(t, c, profile({ id: id++, purpose, stackLevel: lvl, startSchedule: start, periods: [[0, 32 - (lvl % 8)]] }),
                `profile ${id - 1000 + 1} of 45 is Accepted (MaxChargingProfilesInstalled 45, docs/limits.md)`);
        }
        const [c46, p46, l46] = slots[44];
        t.equal(await setProfile(t, c46, profile({ id: 2000, purpose: p46, stackLevel: l46, startSchedule: start, periods: [[0, 10]] })), 'Rejected',
            'a 46th profile is Rejected: MaxChargingProfilesInstalled is 45 (docs/limits.md)');
        t.equal(await setProfile(t, 1, txd(910, 15, [[0, 9]])), 'Accepted', 'with the store full, a profile replacing an installed id is still Accepted (OCPP 1.6 §5.16 replacement)');
        const c1 = await composite(t, 1, 60, 'A');
        t.equal(c1.chargingSchedule.chargingSchedulePeriod[0].limit, 9, 'the replacement is in force on connector 1 (OCPP 1.6 §5.16)');
        t.equal(await setProfile(t, 2, profile({ id: 1001, purpose: 'TxDefaultProfile', stackLevel: 0, startSchedule: start, periods: [[0, 7]] })), 'Accepted',
            'a profile with the same connector + purpose + stack level as an installed one replaces it, also when full (OCPP 1.6 §5.16)');
        t.equal(await setProfile(t, 1, txd(2001, 16, [[0, 10]])), 'Rejected', 'the refusals still work when the store is full: stackLevel 16 (docs/limits.md)');

        const st = await t.cp.status();
        t.ok(st.ok, 'the daemon keeps running after every refusal (Rejected, never a crash)', st);
        t.equal(await clearProfiles(t, {}), 'Accepted', 'the installed profiles are all still there to be cleared (OCPP 1.6 §5.5)');
        t.equal(await setProfile(t, 2, profile({ id: 2002, purpose: 'TxDefaultProfile', stackLevel: 0, startSchedule: start, periods: [[0, 10]] })), 'Accepted',
            'after clearing, the store takes new profiles again (MaxChargingProfilesInstalled counts installed profiles)');
    },
};
