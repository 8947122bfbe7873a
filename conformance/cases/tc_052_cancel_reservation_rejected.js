'use strict';
// OCTT TC_052 Cancel Reservation - Rejected: CancelReservation with an id
// the charge point does not hold is Rejected and cancels nothing.
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_052 CancelReservation with an unknown reservationId → Rejected, the reservation stays',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        t.equal((await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: await expiresIn(t, 3600), idTag: 'RESV052', reservationId: 52 })).status,
            'Accepted', 'test setup: reusable state Reserved (OCTT TC_052)');
        await waitStatus(t, 2, 'Reserved', { since: m });
        const m2 = t.csms.mark();
        const c = await t.csms.call('CancelReservation', { reservationId: 53 });
        t.equal(c.status, 'Rejected', 'CancelReservation for a reservationId the charge point does not hold is Rejected (OCPP 1.6 §5.1, OCTT TC_052 step 2)');
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StatusNotification', m2).filter((e) => e.payload.connectorId === 2).length, 0, 'nothing changed: no status change on the reserved connector');
        t.equal((await t.cp.connector(2)).ocpp_status, 'Reserved', 'the reservation is still in force (OCTT TC_052 expected result)');
        t.equal((await t.csms.call('CancelReservation', { reservationId: 52 })).status, 'Accepted', 'the right reservationId still cancels it (OCPP 1.6 §5.1)');
    },
};
