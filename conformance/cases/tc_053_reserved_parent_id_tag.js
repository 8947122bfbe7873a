'use strict';
// OCTT TC_053 Use a reserved Connector with parentIdTag: a card whose
// parentIdTag (from Authorize.conf) is the reservation's parentIdTag may use
// the reserved connector; a card with another parent may not.
const { bootAccepted, waitStatus } = require('../lib/steps');

async function expiresIn(t, s) {
    const now = Date.parse((await t.cp.status()).now);
    return new Date(now + s * 1000).toISOString();
}

const PARENTS = { CHILD053: 'PARENT053', STRANGER053: 'OTHERPARENT' };

module.exports = {
    title: 'TC_053 reserved connector used by another idTag with the reservation\'s parentIdTag',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    setup(t) {
        t.csms.reply('Authorize', (p) => ({ idTagInfo: { status: 'Accepted', ...(PARENTS[p.idTag] ? { parentIdTag: PARENTS[p.idTag] } : {}) } }));
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('ReserveNow', { connectorId: 1, expiryDate: await expiresIn(t, 3600), idTag: 'RESV053', parentIdTag: 'PARENT053', reservationId: 530 });
        t.equal(r.status, 'Accepted', 'ReserveNow with a parentIdTag is Accepted (OCTT TC_053 step 2)');
        await waitStatus(t, 1, 'Reserved', { since: m, rule: 'the reserved connector reports Reserved (OCTT TC_053 step 3)' });

        const m2 = t.csms.mark();
        await t.cp.tag(1, 'STRANGER053');
        await t.csms.waitForAnswered('Authorize', (p) => p.idTag === 'STRANGER053', 10000,
            { since: m2, rule: 'the parent of an unknown card comes from Authorize (OCPP 1.6 §5.13)' });
        await t.sleep(t.scaled(5));
        const c1 = await t.cp.connector(1);
        t.equal(c1.authorized, false, 'a card with another parentIdTag may not use the reserved connector (OCPP 1.6 §5.13)');
        t.equal(c1.ocpp_status, 'Reserved', 'the connector stays Reserved');

        const m3 = t.csms.mark();
        await t.cp.tag(1, 'CHILD053');
        await t.csms.waitForAnswered('Authorize', (p) => p.idTag === 'CHILD053', 10000, { since: m3 });
        await waitStatus(t, 1, 'Preparing', { since: m3, rule: 'a card with the reservation\'s parentIdTag is authorized on the reserved connector (OCPP 1.6 §5.13, OCTT TC_053 step 5)' });
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000,
            { since: m3, rule: 'plugging in starts the transaction (OCTT TC_053 step 7)' });
        t.match(start.payload, { idTag: 'CHILD053', reservationId: 530 }, 'StartTransaction carries the card and the reservationId it ends (OCTT TC_053 step 5 validation)');
        await waitStatus(t, 1, 'Charging', { since: m3 });
    },
};
