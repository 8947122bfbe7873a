'use strict';
// OCTT TC_049 Reservation of a Charge Point - Transaction: a connector-0
// reservation keeps one connector free for its idTag.  With two free
// connectors another idTag may take one; the last free one then reports
// Reserved and refuses other cards; the reserved idTag starts on it and
// StartTransaction names the reservation.
const { bootAccepted, waitStatus, startLocalTransaction } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_049 ReserveNow connector 0: one connector held (Reserved), reserved idTag charges with reservationId',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 50000,
    async run(t) {
        await bootAccepted(t);
        const { ok } = await t.csms.call('GetConfiguration', { key: ['ReserveConnectorZeroSupported'] }).then((r) => ({ ok: /true/i.test(r.configurationKey[0].value) }));
        t.ok(ok, 'ReserveConnectorZeroSupported is true (OCPP 1.6 §9.5, OCTT TC_049 prerequisite)');
        const r = await t.csms.call('ReserveNow', { connectorId: 0, expiryDate: await expiresIn(t, 3600), idTag: 'RESV049', reservationId: 49 });
        t.equal(r.status, 'Accepted', 'ReserveNow for connector 0 with free connectors is Accepted (OCPP 1.6 §5.13)');

        // Another card takes connector 2: connector 1 is still free for RESV049.
        await startLocalTransaction(t, { connector: 2, idTag: 'OTHER049', ev: { phases: 3, max_current: 16 } });
        const start2 = t.csms.calls('StartTransaction').find((e) => e.payload.idTag === 'OTHER049');
        t.equal(start2.payload.reservationId, undefined, 'a transaction of another idTag does not end the connector-0 reservation (OCPP 1.6 §5.13)');
        await waitStatus(t, 1, 'Reserved', { rule: 'the last free connector is held for the connector-0 reservation and reports Reserved (OCPP 1.6 §5.13, OCTT TC_049 step 3)' });

        const m = t.csms.mark();
        const refused = await t.cp.control({ cmd: 'tag', connector: 1, id_tag: 'THIRD049' });
        t.equal(refused.ok, false, 'another idTag may not take the connector held for the reservation (OCPP 1.6 §5.13)');
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('Authorize', m).length, 0, 'the refused card is not sent to the central system');

        await t.cp.tag(1, 'RESV049');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'RESV049', 10000, { since: m });
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m, rule: 'the reserved idTag starts a transaction on a free connector (OCPP 1.6 §5.13)' });
        t.match(start.payload, { idTag: 'RESV049', reservationId: 49 }, 'StartTransaction names the connector-0 reservation it ends (OCPP 1.6 §4.8, §5.13)');
        t.equal((await t.csms.call('CancelReservation', { reservationId: 49 })).status, 'Rejected', 'the reservation ended with the transaction (OCPP 1.6 §5.13)');
    },
};
