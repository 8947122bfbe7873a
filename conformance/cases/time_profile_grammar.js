'use strict';
// One date-time grammar for every message (README "Time"): each spelling of
// an RFC 3339 date-time that the central system's own schema validator
// accepts is read the same way as a ReserveNow expiryDate and as a charging
// profile time.  A station that read profile times with a narrower grammar
// answered SetChargingProfile Rejected for a validFrom it would accept as an
// expiryDate (OCPP 1.6 §5.16, §5.13).
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile, composite, limitAt } = require('../lib/sc');

const HOUR = 3600e3;
const pad = (n) => String(n).padStart(2, '0');

/** The instant `ms` written as local time at `offMin` minutes east, without a zone. */
function local(ms, offMin) {
    return new Date(ms + offMin * 60e3).toISOString().replace(/\.\d{3}Z$/, '');
}

const SPELLINGS = [
    { what: 'a space between date and time', text: (ms) => new Date(ms).toISOString().replace('T', ' ') },
    { what: 'lower-case t and z', text: (ms) => new Date(ms).toISOString().replace('T', 't').replace('Z', 'z') },
    { what: 'offset +hhmm', text: (ms) => local(ms, 90) + '+0130' },
    { what: 'offset +hh', text: (ms) => local(ms, 120) + '+' + pad(2) },
    { what: 'no zone (UTC)', text: (ms) => local(ms, 0) },
    { what: 'a long fraction', text: (ms) => new Date(ms).toISOString().replace('Z', '123456Z') },
];

module.exports = {
    title: 'every RFC 3339 spelling the central system accepts is read alike by ReserveNow and SetChargingProfile',
    timeScale: 1,
    connectors: 1,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        let id = 900;
        for (const s of SPELLINGS) {
            const now = await daemonNow(t);
            id++;
            const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: s.text(now + HOUR), idTag: 'TAGGRAM', reservationId: id });
            t.equal(r.status, 'Accepted', `ReserveNow with an expiryDate with ${s.what} is Accepted (OCPP 1.6 §5.13)`);
            const c = await t.csms.call('CancelReservation', { reservationId: id });
            t.equal(c.status, 'Accepted', 'test setup: the reservation is cancelled (OCPP 1.6 §5.4)');

            await t.csms.call('ClearChargingProfile', {});
            const base = limitAt(await composite(t, 1, 600, 'A'), 0);
            const limit = 6 + (id % 5);
            t.ok(base > limit, 'test setup: without profiles the composite is above the profile limit', base);
            const p = profile({ id, start: now - HOUR, periods: [[0, limit]] });
            p.validFrom = s.text(now - HOUR);
            p.validTo = s.text(now + HOUR);
            const set = await t.csms.call('SetChargingProfile', { connectorId: 0, csChargingProfiles: p });
            t.equal(set.status, 'Accepted', `SetChargingProfile with validFrom/validTo with ${s.what} is Accepted, as the same text in ReserveNow (OCPP 1.6 §5.16)`);
            t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), limit,
                `the profile whose validity is written with ${s.what} is in force now: the text is read as the same instant (OCPP 1.6 §3.13)`);
        }
    },
};
