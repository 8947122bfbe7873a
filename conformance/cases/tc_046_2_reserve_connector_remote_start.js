'use strict';
// OCTT TC_046_2 Reservation of a Connector - Remote start transaction: a
// remote start for another idTag on the reserved connector is Rejected; the
// reserved idTag's remote start charges and StartTransaction names the
// reservation.
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_046_2 ReserveNow, RemoteStart for another idTag Rejected, for the reserved one charges with reservationId',
    timeScale: 10,
    connectors: 2,
    config: { ConnectionTimeOut: 120 },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: await expiresIn(t, 3600), idTag: 'RESV0462', reservationId: 462 });
        t.equal(r.status, 'Accepted', 'ReserveNow on an Available connector is Accepted (OCPP 1.6 §5.13, OCTT TC_046_2 step 2)');
        await waitStatus(t, 2, 'Reserved', { since: m, rule: 'the reserved connector reports Reserved (OCTT TC_046_2 step 3)' });

        const other = await t.csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'OTHER0462' });
        t.equal(other.status, 'Rejected', 'a remote start for another idTag on a reserved connector is Rejected (OCPP 1.6 §5.13: only the reservation\'s idTag may charge there)');
        const free = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'OTHER0462' });
        t.equal(free.status, 'Accepted', 'the other, unreserved connector still takes that idTag (OCPP 1.6 §5.13 reserves one connector only)');

        const m2 = t.csms.mark();
        const rs = await t.csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'RESV0462' });
        t.equal(rs.status, 'Accepted', 'the reserved idTag\'s remote start on its connector is Accepted (OCPP 1.6 §5.11, §5.13)');
        await waitStatus(t, 2, 'Preparing', { since: m2, rule: 'an accepted remote start waiting for the EV: Preparing (OCPP 1.6 §7.7)' });
        await t.cp.plug(2, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 2, 10000,
            { since: m2, rule: 'plugging in starts the remotely started transaction (OCPP 1.6 §5.11)' });
        t.match(start.payload, { idTag: 'RESV0462', reservationId: 462 }, 'StartTransaction carries the reserved idTag and the reservationId (OCTT TC_046_2 step 5, OCPP 1.6 §4.8)');
        await waitStatus(t, 2, 'Charging', { since: m2 });
    },
};
