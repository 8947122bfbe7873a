'use strict';
// ConnectionTimeOut (OCPP 1.6 §9.1) runs per connector: a card accepted on
// connector 2 later does not extend the wait of connector 1's card; and a
// card waiting for its EV is dropped when its connector is made Inoperative
// (an Unavailable connector starts nothing, OCPP 1.6 §5.2).
const { bootAccepted, waitStatus } = require('../lib/steps');

const TIMEOUT = 60; // s, daemon clock: 3 s real at --time-scale 20

module.exports = {
    title: 'ConnectionTimeOut per connector; a card waiting for its EV is dropped by ChangeAvailability Inoperative',
    timeScale: 20,
    connectors: 2,
    config: { ConnectionTimeOut: TIMEOUT },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        let m = t.csms.mark();
        await t.cp.tag(1, 'TAGONE');
        const prep1 = await waitStatus(t, 1, 'Preparing', { since: m, rule: 'an accepted tag without an EV: Preparing (OCPP 1.6 §7.7)' });
        // Half the timeout later, a card on connector 2.
        await t.sleep(t.scaled(TIMEOUT) / 2);
        await t.cp.tag(2, 'TAGTWO');
        const prep2 = await waitStatus(t, 2, 'Preparing', { since: m, rule: 'the second connector takes its own card' });
        const back1 = await waitStatus(t, 1, 'Available', { since: prep1.index + 1, timeoutMs: t.scaled(TIMEOUT) * 2 + 3000,
            rule: 'connector 1 lapses after its own ConnectionTimeOut' });
        t.atMost(back1.t - prep1.t, t.scaled(TIMEOUT) * 1.3,
            'a card on the other connector does not extend connector 1\'s ConnectionTimeOut (OCPP 1.6 §9.1: per connector)');
        t.atLeast(back1.t - prep1.t, t.scaled(TIMEOUT) * 0.8, 'connector 1 kept its card for ConnectionTimeOut');
        const back2 = await waitStatus(t, 2, 'Available', { since: prep2.index + 1, timeoutMs: t.scaled(TIMEOUT) * 2 + 3000,
            rule: 'connector 2 lapses after its own ConnectionTimeOut' });
        t.atLeast(back2.t - prep2.t, t.scaled(TIMEOUT) * 0.8, 'connector 2 kept its card for its full ConnectionTimeOut');

        // A card waiting for its EV, then Inoperative, then Operative again:
        // the EV that arrives starts nothing.
        m = t.csms.mark();
        await t.cp.tag(1, 'TAGTHREE');
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'an accepted tag without an EV: Preparing' });
        const ca = await t.csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
        t.equal(ca.status, 'Accepted', 'ChangeAvailability Inoperative with no transaction: Accepted (OCPP 1.6 §5.2)');
        await waitStatus(t, 1, 'Unavailable', { since: m, rule: 'Inoperative: Unavailable' });
        const cb = await t.csms.call('ChangeAvailability', { connectorId: 1, type: 'Operative' });
        t.equal(cb.status, 'Accepted', 'ChangeAvailability Operative: Accepted');
        await waitStatus(t, 1, 'Available', { since: m, rule: 'Operative again, the card was dropped: Available, not Preparing' });
        await t.cp.plug(1, { phases: 3 });
        await t.sleep(1000);
        t.equal(t.csms.calls('StartTransaction').length, 0, 'the card accepted before Inoperative starts nothing once the connector is Operative again');
    },
};
