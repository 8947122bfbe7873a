'use strict';
// OCTT TC_046_1 Reservation of a Connector - Local start transaction: the
// reserved connector reports Reserved, refuses another card without asking
// the central system, and the reserved idTag starts a transaction that names
// the reservation.
const { bootAccepted, waitStatus } = require('../lib/steps');

/** expiryDate `s` seconds ahead on the daemon's (scaled) clock. */
async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_046_1 ReserveNow on connector 1, other card refused, reserved card starts with reservationId',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: await expiresIn(t, 3600), idTag: 'RESV046', reservationId: 46 });
        t.equal(r.status, 'Accepted', 'ReserveNow on an Available connector is Accepted (OCPP 1.6 §5.13)');
        await waitStatus(t, 1, 'Reserved', { since: m, rule: 'a reserved connector reports Reserved (OCPP 1.6 §5.13, §7.7)' });

        const m2 = t.csms.mark();
        const other = await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'OTHER046' });
        t.equal(other.ok, false, 'another idTag on a reserved connector is refused (OCPP 1.6 §5.13)');
        await t.sleep(t.scaled(10));
        t.equal(t.csms.calls('Authorize', m2).length, 0, 'the charge point does NOT send Authorize for a card that is not the reservation\'s (OCTT TC_046_1 step 5)');
        t.equal((await t.cp.connector(1)).ocpp_status, 'Reserved', 'the refused card leaves the connector Reserved (OCPP 1.6 §5.13)');

        const m3 = t.csms.mark();
        await t.cp.tag(1, 'RESV046');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'RESV046', 10000, { since: m3, rule: 'the reserved idTag is authorized (Authorize is optional, OCTT TC_046_1 step 6)' });
        await waitStatus(t, 1, 'Preparing', { since: m3, rule: 'the reserved, authorized card without an EV: Preparing (OCPP 1.6 §7.7, OCTT TC_046_1 step 8)' });
        const m4 = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m4, rule: 'plugging in at the reserved connector starts the transaction (OCTT TC_046_1 step 10)' });
        t.equal(start.payload.idTag, 'RESV046', 'the transaction runs for the reserved idTag (OCPP 1.6 §5.13)');
        t.equal(start.payload.reservationId, 46, 'StartTransaction.req carries the reservationId it ends (OCPP 1.6 §4.8, §5.13)');
        await waitStatus(t, 1, 'Charging', { since: m4 });
        const c = await t.csms.call('CancelReservation', { reservationId: 46 });
        t.equal(c.status, 'Rejected', 'the reservation ended with the transaction: cancelling it is Rejected (OCPP 1.6 §5.1, §5.13)');
    },
};
