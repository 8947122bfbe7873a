'use strict';
// OCTT TC_048_2 Reservation of a Connector - Occupied: a connector with an
// EV plugged in, with a transaction, or already reserved (for the same or
// another idTag) answers ReserveNow with Occupied (OCPP 1.6 §5.13).
const { bootAccepted, waitStatus, startLocalTransaction } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

module.exports = {
    title: 'TC_048_2 ReserveNow on a Preparing / Charging / reserved connector → Occupied',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const exp = await expiresIn(t, 3600);
        const m = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'test setup: plugging in makes connector 1 Preparing (OCTT TC_048_2 step 1)' });
        const r1 = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: exp, idTag: 'RESV0482', reservationId: 4821 });
        t.equal(r1.status, 'Occupied', 'ReserveNow on a connector with an EV plugged in is Occupied (OCPP 1.6 §5.13, OCTT TC_048_2)');
        await t.cp.unplug(1);

        await startLocalTransaction(t, { connector: 1, idTag: 'TAG0482', ev: { phases: 3, max_current: 16 } });
        const r2 = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: exp, idTag: 'RESV0482', reservationId: 4822 });
        t.equal(r2.status, 'Occupied', 'ReserveNow on a connector with a transaction is Occupied (OCPP 1.6 §5.13)');

        const r3 = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: exp, idTag: 'RESV0482', reservationId: 4823 });
        t.equal(r3.status, 'Accepted', 'test setup: the free connector 2 is reserved');
        for (const [tag, id] of [['RESV0482', 4824], ['OTHER0482', 4825]]) {
            const r = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: exp, idTag: tag, reservationId: id });
            t.equal(r.status, 'Occupied', `a connector reserved already is Occupied for a new reservation for ${tag === 'RESV0482' ? 'the same' : 'another'} idTag (OCPP 1.6 §5.13)`);
        }
        const again = await t.csms.call('ReserveNow', { connectorId: 2, expiryDate: exp, idTag: 'NEW0482', reservationId: 4823 });
        t.equal(again.status, 'Accepted', 'the same reservationId replaces the reservation (OCPP 1.6 §5.13)');
        const m2 = t.csms.mark();
        const other = await t.cp.control({ cmd: 'tag', connector: 2, id_tag: 'RESV0482' });
        t.equal(other.ok, false, 'after the replacement the old idTag is refused on the reserved connector (OCPP 1.6 §5.13)');
        await t.cp.tag(2, 'NEW0482');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'NEW0482', 10000, { since: m2, rule: 'the replacement\'s idTag is authorized (OCPP 1.6 §5.13)' });
    },
};
