'use strict';
// OCTT TC_051 Cancel Reservation: CancelReservation of the reservation in
// force is Accepted, the connector is Available again, and another idTag
// charges there without a reservationId.
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_051 CancelReservation → Accepted, Available, another idTag charges without reservationId',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        t.equal((await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: await expiresIn(t, 3600), idTag: 'RESV051', reservationId: 51 })).status,
            'Accepted', 'test setup: reusable state Reserved (OCTT TC_051)');
        await waitStatus(t, 1, 'Reserved', { since: m });
        const m2 = t.csms.mark();
        const c = await t.csms.call('CancelReservation', { reservationId: 51 });
        t.equal(c.status, 'Accepted', 'CancelReservation of a reservation in force is Accepted (OCPP 1.6 §5.1, OCTT TC_051 step 2)');
        await waitStatus(t, 1, 'Available', { since: m2, rule: 'the cancelled reservation\'s connector is Available (OCTT TC_051 step 3)' });

        await t.cp.tag(1, 'OTHER051');
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m2, rule: 'another idTag charges on the connector after the cancel (OCTT TC_051 step 5)' });
        t.equal(start.payload.reservationId, undefined, 'reservationId is omitted: no reservation ends (OCTT TC_051 step 5)');
        t.equal((await t.csms.call('CancelReservation', { reservationId: 51 })).status, 'Rejected', 'a cancelled reservation cannot be cancelled twice (OCPP 1.6 §5.1)');
    },
};
