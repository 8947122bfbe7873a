'use strict';
// OCTT TC_047 Reservation of a Connector - Expire: at expiryDate the
// reservation ends and the connector is Available again; then another idTag
// charges there, without a reservationId.  Reservations are kept across a
// restart (SQLite); one that expired while the station was down is gone.
const { bootAccepted, waitStatus, parseTime } = require('../lib/steps');

async function daemonNow(t) {
    return Date.parse((await t.cp.status()).now);
}

module.exports = {
    title: 'TC_047 reservation expires at expiryDate → Available; reservations survive a restart',
    // Real time: the daemon's scaled clock restarts from the real time at
    // each launch, and the persistence part needs one clock across a restart.
    timeScale: 1,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const expiry = new Date(await daemonNow(t) + 5 * 1000).toISOString();
        const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: expiry, idTag: 'RESV047', reservationId: 47 });
        t.equal(r.status, 'Accepted', 'ReserveNow is Accepted (OCTT TC_047 step 2)');
        await waitStatus(t, 1, 'Reserved', { since: m, rule: 'the reserved connector reports Reserved (OCTT TC_047 step 3)' });
        const avail = await waitStatus(t, 1, 'Available', { since: m, timeoutMs: t.scaled(5) + 5000,
            rule: 'when the EV driver does not come before expiryDate the connector is Available again (OCPP 1.6 §5.13, OCTT TC_047 step 5)' });
        const lag = (parseTime(avail.payload.timestamp) - Date.parse(expiry)) / 1000;
        t.between(lag, 0, 5, 'the reservation ends at expiryDate, on the station clock (OCPP 1.6 §5.13), within 5 s');
        t.equal((await t.csms.call('CancelReservation', { reservationId: 47 })).status, 'Rejected', 'an expired reservation no longer exists (OCPP 1.6 §5.1)');

        const m2 = t.csms.mark();
        await t.cp.tag(1, 'OTHER047');
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m2, rule: 'after the expiry another idTag charges on the connector (OCTT TC_047 step 7)' });
        t.equal(start.payload.idTag, 'OTHER047', 'the transaction is the other idTag\'s');
        t.equal(start.payload.reservationId, undefined, 'a transaction that ends no reservation has no reservationId (OCPP 1.6 §6.45)');

        const m4 = t.csms.mark();
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'Available', { since: m4 });

        // Persistence: a long reservation on connector 2 and a short one for connector 0, a crash, a restart.
        const now = await daemonNow(t);
        t.equal((await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: new Date(now + 3600e3).toISOString(), idTag: 'RESV047B', reservationId: 471 })).status,
            'Accepted', 'test setup: a reservation on connector 2 is Accepted');
        t.equal((await t.csms.call('ReserveNow', { connectorId: 0, expiryDate: new Date(now + 2e3).toISOString(), idTag: 'RESV047C', reservationId: 472 })).status,
            'Accepted', 'test setup: a short connector-0 reservation is Accepted');
        await t.cp.kill('SIGKILL');
        await t.sleep(t.scaled(3));
        const m3 = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m3 });
        await waitStatus(t, 2, 'Reserved', { since: m3, rule: 'a reservation survives a power loss: connector 2 is Reserved after the restart (OCPP 1.6 §5.13 persistence)' });
        t.equal((await t.csms.call('CancelReservation', { reservationId: 472 })).status, 'Rejected', 'the reservation that expired while the station was down is gone (OCPP 1.6 §5.13)');
        t.equal((await t.csms.call('CancelReservation', { reservationId: 471 })).status, 'Accepted', 'the reloaded reservation can be cancelled (OCPP 1.6 §5.1)');
        await waitStatus(t, 2, 'Available', { since: m3 });
    },
};
