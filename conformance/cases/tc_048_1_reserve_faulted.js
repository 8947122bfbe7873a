'use strict';
// OCTT TC_048_1 Reservation of a Connector - Faulted: ReserveNow for a
// Faulted connector is answered Faulted; a connector that becomes Faulted
// ends its reservation (OCPP 1.6 §5.13).
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_048_1 ReserveNow on a Faulted connector → Faulted; a fault ends a reservation',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'ev_error', active: true });
        await waitStatus(t, 1, 'Faulted', { since: m, rule: 'test setup: an EV in state E faults the connector (OCPP 1.6 §7.7, IEC 61851-1)' });
        const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: await expiresIn(t, 3600), idTag: 'RESV0481', reservationId: 481 });
        t.equal(r.status, 'Faulted', 'ReserveNow on a Faulted connector is answered Faulted (OCPP 1.6 §5.13, OCTT TC_048_1)');

        const m2 = t.csms.mark();
        const r2 = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: await expiresIn(t, 3600), idTag: 'RESV0482', reservationId: 482 });
        t.equal(r2.status, 'Accepted', 'test setup: the healthy connector 2 is reserved');
        await waitStatus(t, 2, 'Reserved', { since: m2 });
        await t.cp.plug(2, { phases: 3, max_current: 16 });
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'ev_error', active: true });
        await waitStatus(t, 2, 'Faulted', { since: m2 });
        const c = await t.csms.call('CancelReservation', { reservationId: 482 });
        t.equal(c.status, 'Rejected', 'a reservation ends when its connector becomes Faulted (OCPP 1.6 §5.13): nothing left to cancel');
    },
};
