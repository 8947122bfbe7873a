'use strict';
// OCTT TC_048_3 Reservation of a Connector - Unavailable (and TC_050_3 for
// the charge point): ReserveNow for an Inoperative connector, or for
// connector 0 of an Inoperative charge point, is answered Unavailable.
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_048_3 ReserveNow on an Unavailable connector / charge point → Unavailable',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const exp = await expiresIn(t, 3600);
        const m = t.csms.mark();
        const a = await t.csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
        t.equal(a.status, 'Accepted', 'test setup: ChangeAvailability Inoperative on an idle connector is Accepted (OCTT TC_048_3 step 2)');
        await waitStatus(t, 1, 'Unavailable', { since: m, rule: 'test setup: the connector reports Unavailable (OCTT TC_048_3 step 3)' });
        const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: exp, idTag: 'RESV0483', reservationId: 483 });
        t.equal(r.status, 'Unavailable', 'ReserveNow on an Unavailable connector is answered Unavailable (OCPP 1.6 §5.13, OCTT TC_048_3 step 6)');

        const r2 = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: exp, idTag: 'RESV0483', reservationId: 4832 });
        t.equal(r2.status, 'Accepted', 'test setup: connector 2 is reserved');
        const m2 = t.csms.mark();
        t.equal((await t.csms.call('ChangeAvailability', { connectorId: 0, type: 'Inoperative' })).status, 'Accepted', 'test setup: the whole charge point Inoperative');
        await waitStatus(t, 2, 'Unavailable', { since: m2 });
        t.equal((await t.csms.call('CancelReservation', { reservationId: 4832 })).status, 'Rejected',
            'a reservation ends when its connector becomes Unavailable (OCPP 1.6 §5.13)');
        const r3 = await t.csms.call('ReserveNow', { connectorId: 0, expiryDate: exp, idTag: 'RESV0483', reservationId: 4833 });
        t.equal(r3.status, 'Unavailable', 'ReserveNow for connector 0 of an Unavailable charge point is Unavailable (OCPP 1.6 §5.13, OCTT TC_050_3)');

        const m3 = t.csms.mark();
        t.equal((await t.csms.call('ChangeAvailability', { connectorId: 0, type: 'Operative' })).status, 'Accepted', 'back to Operative');
        await waitStatus(t, 1, 'Available', { since: m3 });
        const r4 = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: exp, idTag: 'RESV0483', reservationId: 4834 });
        t.equal(r4.status, 'Accepted', 'once Operative again the connector can be reserved (OCPP 1.6 §5.13)');
        await waitStatus(t, 1, 'Reserved', { since: m3 });
    },
};
