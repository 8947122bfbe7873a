'use strict';
// Smart charging helpers for the TC_056..TC_082 and later sc_* cases (lib/sc.js
// holds the first cases' simpler ones): building
// charging profiles on the daemon's clock, calling the three smart charging
// actions, reading a composite schedule as a function of time, and waiting
// for the offered current.
//
// Time.  Every startSchedule / validFrom / validTo must be on the daemon's
// clock (docs/station-model.md: it starts at the real time of launch and runs --time-scale
// times faster), never on ours: daemonNow() reads it from the control
// socket's `status.now`.

const { pollUntil } = require('./util');

/** The daemon's clock now, in ms since the epoch (status.now, docs/station-model.md). */
async function daemonNow(t) {
    const st = await t.cp.status();
    const ms = Date.parse(st.now);
    if (Number.isNaN(ms)) throw new Error(`status.now is not a date-time: ${JSON.stringify(st.now)}`);
    return ms;
}

/** ISO 8601 UTC with whole seconds (ms dropped), for profile times. */
function iso(ms) {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * A csChargingProfiles object.  periods: [[startPeriod, limit, numberPhases?], ...].
 * Optional: kind (Absolute when startSchedule is given, else Relative),
 * recurrencyKind, transactionId, validFrom, validTo, duration, startSchedule,
 * unit ('A'), minChargingRate.
 */
function profile({ id, purpose, stackLevel = 0, kind, periods, unit = 'A', duration, startSchedule,
    transactionId, validFrom, validTo, recurrencyKind, minChargingRate }) {
    const p = {
        chargingProfileId: id,
        stackLevel,
        chargingProfilePurpose: purpose,
        chargingProfileKind: kind || (startSchedule ? 'Absolute' : 'Relative'),
        chargingSchedule: {
            chargingRateUnit: unit,
            chargingSchedulePeriod: periods.map(([startPeriod, limit, numberPhases]) => (numberPhases === undefined
                ? { startPeriod, limit } : { startPeriod, limit, numberPhases })),
        },
    };
    if (transactionId !== undefined) p.transactionId = transactionId;
    if (recurrencyKind) p.recurrencyKind = recurrencyKind;
    if (validFrom !== undefined) p.validFrom = validFrom;
    if (validTo !== undefined) p.validTo = validTo;
    if (duration !== undefined) p.chargingSchedule.duration = duration;
    if (startSchedule !== undefined) p.chargingSchedule.startSchedule = startSchedule;
    if (minChargingRate !== undefined) p.chargingSchedule.minChargingRate = minChargingRate;
    return p;
}

/** SetChargingProfile; resolves with the status string. */
async function setProfile(t, connectorId, csChargingProfiles) {
    const r = await t.csms.call('SetChargingProfile', { connectorId, csChargingProfiles });
    return r.status;
}

/** SetChargingProfile that must be Accepted (test setup or the rule named). */
async function setProfileOk(t, connectorId, prof, rule) {
    const st = await setProfile(t, connectorId, prof);
    t.equal(st, 'Accepted', rule || `SetChargingProfile ${prof.chargingProfilePurpose} id ${prof.chargingProfileId} on connector ${connectorId} is Accepted (OCPP 1.6 §5.16)`);
}

async function clearProfiles(t, filter = {}) {
    const r = await t.csms.call('ClearChargingProfile', filter);
    return r.status;
}

/** GetCompositeSchedule; resolves with the whole reply. */
function composite(t, connectorId, duration, unit) {
    const req = { connectorId, duration };
    if (unit) req.chargingRateUnit = unit;
    return t.csms.call('GetCompositeSchedule', req);
}

/**
 * The composite schedule as a function: limitAt(ms) gives the limit in force
 * at absolute daemon time ms (undefined outside [scheduleStart, +duration)),
 * phasesAt(ms) its numberPhases.  Also returns start (ms) and the periods.
 */
function readComposite(reply) {
    const cs = reply.chargingSchedule || {};
    const start = Date.parse(reply.scheduleStart || cs.startSchedule);
    const periods = (cs.chargingSchedulePeriod || []).slice();
    const at = (ms) => {
        const off = (ms - start) / 1000;
        if (off < 0 || off >= cs.duration) return undefined;
        let cur;
        for (const p of periods) if (p.startPeriod <= off) cur = p;
        return cur;
    };
    return {
        start, duration: cs.duration, unit: cs.chargingRateUnit, periods,
        limitAt: (ms) => { const p = at(ms); return p ? p.limit : undefined; },
        phasesAt: (ms) => { const p = at(ms); return p ? p.numberPhases : undefined; },
    };
}

/**
 * Checks a composite reply against expected(absMs) -> limit, at every second
 * of its duration except within `slack` seconds of an expected boundary
 * (the request reached the daemon a little after we read its clock).
 * boundaries: absolute ms of the expected changes.
 */
function assertComposite(t, reply, expected, { boundaries = [], slack = 2, rule }) {
    const c = readComposite(reply);
    t.ok(!Number.isNaN(c.start), `${rule}: scheduleStart is a date-time (OCPP 1.6 §6.23)`, reply);
    const bad = [];
    for (let s = 0; s < c.duration; s++) {
        const ms = c.start + s * 1000;
        if (boundaries.some((b) => Math.abs(ms - b) <= slack * 1000)) continue;
        const want = expected(ms);
        const got = c.limitAt(ms);
        if (want === undefined) continue;
        if (got === undefined || Math.abs(got - want) > 1e-6) bad.push({ second: s, want, got });
        if (bad.length >= 5) break;
    }
    t.ok(bad.length === 0, rule, { mismatches: bad, periods: c.periods, scheduleStart: reply.scheduleStart });
    return c;
}

/** Polls the control socket until connector's offered_a satisfies pred; returns the status or undefined. */
function waitOffered(t, connector, pred, timeoutMs) {
    return pollUntil(async () => {
        const st = await t.cp.status();
        const c = (st.connectors || []).find((x) => x.id === connector);
        return c && pred(c.offered_a, c) ? { ...c, now: st.now } : null;
    }, timeoutMs, 50);
}

/** The offered current of a connector that holds steady for `holdMs` real ms (status polls). */
async function steadyOffered(t, connector, holdMs = 600) {
    let last = null;
    let since = Date.now();
    const end = Date.now() + 15000;
    while (Date.now() < end) {
        const c = await t.cp.connector(connector);
        if (last === null || c.offered_a !== last) {
            last = c.offered_a;
            since = Date.now();
        } else if (Date.now() - since >= holdMs) {
            return last;
        }
        await t.sleep(50);
    }
    return last;
}

module.exports = {
    daemonNow, iso, profile, setProfile, setProfileOk, clearProfiles, composite, readComposite,
    assertComposite, waitOffered, steadyOffered,
};
