'use strict';
//: Recurring profiles repeat every day / week from their
// startSchedule (UTC, a day is 86400 s), across the wrap into the next
// occurrence; a Relative TxDefaultProfile on an idle connector is shown as it
// would run for a transaction starting now (sc.h).  Checked through
// GetCompositeSchedule, exactly, in A.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, assertComposite } = require('../lib/sc_sched');

const DAY = 86400;

module.exports = {
    title: 'Recurring Daily / Weekly profiles wrap into the next occurrence; Relative on an idle connector',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const t0 = Math.floor((await daemonNow(t)) / 1000) * 1000;
        const at = (s) => t0 + s * 1000;
        // Daily: the next occurrence starts at +60 s; periods 10 A for 120 s, then 20 A.
        await setProfileOk(t, 1, profile({ id: 890, purpose: 'TxDefaultProfile', kind: 'Recurring', recurrencyKind: 'Daily',
            startSchedule: iso(at(60 - 3 * DAY)), periods: [[0, 10], [120, 20]] }), 'a Recurring Daily TxDefaultProfile is Accepted (OCPP 1.6 §7.8)');
        assertComposite(t, await composite(t, 1, 600, 'A'), (ms) => (ms < at(60) ? 20 : ms < at(180) ? 10 : 20), { boundaries: [60, 180].map(at),
            rule: 'Daily recurrence: 20 A at the end of the previous day\'s occurrence, 10 A from the new one at +60 s for 120 s, then 20 A (recurring, UTC days of 86400 s)' });
        // Weekly on connector 2: next occurrence at +90 s; 8 A for 60 s then 12 A; duration 600 s (then hardware 32).
        await setProfileOk(t, 2, profile({ id: 891, purpose: 'TxDefaultProfile', kind: 'Recurring', recurrencyKind: 'Weekly', duration: 600,
            startSchedule: iso(at(90 - 2 * 7 * DAY)), periods: [[0, 8], [60, 12]] }), 'a Recurring Weekly TxDefaultProfile is Accepted (OCPP 1.6 §7.8)');
        assertComposite(t, await composite(t, 2, 900, 'A'), (ms) => (ms < at(90) ? 32 : ms < at(150) ? 8 : ms < at(690) ? 12 : 32), { boundaries: [90, 150, 690].map(at),
            rule: 'Weekly recurrence with a 600 s duration: hardware 32 A until the next occurrence at +90 s, 8 A, 12 A, hardware after the duration' });
        // A Relative TxDefaultProfile above the Daily one on connector 1, 300 s long.
        await setProfileOk(t, 1, profile({ id: 892, purpose: 'TxDefaultProfile', stackLevel: 3, kind: 'Relative', duration: 300, periods: [[0, 6], [100, 7]] }),
            'a Relative TxDefaultProfile is Accepted (OCPP 1.6 §7.8)');
        const r = await composite(t, 1, 600, 'A');
        const start = Date.parse(r.scheduleStart);
        const daily = (ms) => (ms < at(60) ? 20 : ms < at(180) ? 10 : 20);
        assertComposite(t, r, (ms) => (ms < start + 100e3 ? 6 : ms < start + 300e3 ? 7 : daily(ms)), { boundaries: [start + 100e3, start + 300e3, at(60), at(180)],
            rule: 'an idle connector\'s Relative profile runs as for a transaction starting at scheduleStart (6, 7 A), then the lower stack level shows through (sc.h)' });
    },
};
