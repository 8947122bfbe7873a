'use strict';
// OCTT TC_066 style: GetCompositeSchedule covers exactly the requested
// duration, merges equal neighbours, converts A↔W with 230 V × phases,
// Rejected only for a connector that does not exist.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite } = require('../lib/sc');

module.exports = {
    title: 'TC_066 GetCompositeSchedule in A and W, periods relative to scheduleStart, Rejected for connector 3',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        // From now: 16 A for 10 min, 8 A for 10 min, 16 A after (3 phases).
        t.equal(await setProfile(t, 1, profile({ id: 66, purpose: 'TxDefaultProfile', start: now, periods: [[0, 16], [600, 8], [1200, 16]], numberPhases: 3 })),
            'Accepted', 'TxDefaultProfile with three periods Accepted (OCPP 1.6 §5.16)');
        const a = await composite(t, 1, 1800, 'A');
        t.equal(a.status, 'Accepted', 'GetCompositeSchedule for connector 1 is Accepted (OCPP 1.6 §5.7)');
        t.equal(a.connectorId, 1, 'the reply names the connector (OCPP 1.6 §6.28)');
        t.ok(a.scheduleStart && !Number.isNaN(Date.parse(a.scheduleStart)), 'scheduleStart is a date-time (OCPP 1.6 §6.28)', a.scheduleStart);
        const cs = a.chargingSchedule;
        t.equal(cs.chargingRateUnit, 'A', 'the requested unit A is used (OCPP 1.6 §5.7)');
        t.equal(cs.duration, 1800, 'the composite covers exactly the requested duration');
        const off = (Date.parse(a.scheduleStart) - now) / 1000; // seconds the request came after `now`
        const lims = cs.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]);
        t.equal(lims.map((x) => x[1]), [16, 8, 16], 'periods follow the profile: 16, 8, 16 A with equal neighbours merged');
        t.equal(lims[0][0], 0, 'the first period starts at 0 (OCPP 1.6 §7.9)');
        t.near(lims[1][0], 600 - off, 2, 'startPeriod is relative to scheduleStart (OCPP 1.6 §7.9)');
        t.near(lims[2][0], 1200 - off, 2, 'startPeriod is relative to scheduleStart (OCPP 1.6 §7.9)');
        const w = await composite(t, 1, 1800, 'W');
        t.equal(w.chargingSchedule.chargingRateUnit, 'W', 'the requested unit W is used (OCPP 1.6 §5.7)');
        t.near(w.chargingSchedule.chargingSchedulePeriod[0].limit, 16 * 230 * 3, 1, 'A→W with 230 V × numberPhases 3 (docs/limits.md)');
        t.near(w.chargingSchedule.chargingSchedulePeriod[1].limit, 8 * 230 * 3, 1, 'A→W with 230 V × numberPhases 3 (docs/limits.md)');
        const bad = await composite(t, 3, 600, 'A');
        t.equal(bad.status, 'Rejected', 'GetCompositeSchedule for a connector that does not exist is Rejected (OCPP 1.6 §5.7)');
    },
};
