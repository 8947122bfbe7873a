'use strict';
// Helpers for the smart-charging cases: building charging profiles
// on the daemon's clock, setting them, and reading composite schedules.

/** The daemon's clock (ms since epoch) from its control socket; profiles are timed on it. */
async function daemonNow(t) {
    return Date.parse((await t.cp.status()).now);
}

/**
 * A chargingProfile.  periods: [[startPeriod s, limit], ...].  start: ms on
 * the daemon clock (startSchedule) for Absolute / Recurring kinds.
 */
function profile({ id, stack = 0, purpose = 'TxDefaultProfile', kind = 'Absolute', start, periods, unit = 'A', txId, recurrency, duration, numberPhases }) {
    const p = {
        chargingProfileId: id,
        stackLevel: stack,
        chargingProfilePurpose: purpose,
        chargingProfileKind: kind,
        chargingSchedule: {
            chargingRateUnit: unit,
            chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit, ...(numberPhases ? { numberPhases } : {}) })),
        },
    };
    if (txId !== undefined) p.transactionId = txId;
    if (recurrency) p.recurrencyKind = recurrency;
    if (start !== undefined) p.chargingSchedule.startSchedule = new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (duration !== undefined) p.chargingSchedule.duration = duration;
    return p;
}

async function setProfile(t, connectorId, csChargingProfiles) {
    const r = await t.csms.call('SetChargingProfile', { connectorId, csChargingProfiles });
    return r.status;
}

/** GetCompositeSchedule; returns the reply. */
function composite(t, connectorId, duration, unit) {
    const req = { connectorId, duration };
    if (unit) req.chargingRateUnit = unit;
    return t.csms.call('GetCompositeSchedule', req);
}

/** The limit of a composite schedule at `offset` s after scheduleStart. */
function limitAt(reply, offset) {
    const periods = (reply.chargingSchedule && reply.chargingSchedule.chargingSchedulePeriod) || [];
    let lim;
    for (const p of periods) if (p.startPeriod <= offset) lim = p.limit;
    return lim;
}

module.exports = { daemonNow, profile, setProfile, composite, limitAt };
