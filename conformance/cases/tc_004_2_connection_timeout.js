'use strict';
// OCTT TC_004_2 Identification first, then no EV within ConnectionTimeOut: the
// authorization lapses, the connector goes back to Available, nothing starts.
const { bootAccepted, waitStatus } = require('../lib/steps');

const TIMEOUT = 60; // s, daemon clock: 3 s real at --time-scale 20

module.exports = {
    title: 'TC_004_2 tag first, no EV within ConnectionTimeOut → Available again, no transaction',
    timeScale: 20,
    connectors: 2,
    config: { ConnectionTimeOut: TIMEOUT },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.tag(1, 'TAG00042');
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'TAG00042', 5000, { since: m, rule: 'a presented tag is authorized (OCPP 1.6 §4.1)' });
        const prep = await waitStatus(t, 1, 'Preparing', { since: m, rule: 'an accepted tag without an EV: Preparing (OCPP 1.6 §7.7)' });
        const back = await waitStatus(t, 1, 'Available', { since: prep.index + 1, timeoutMs: t.scaled(TIMEOUT) * 2 + 3000,
            rule: `without an EV the authorization lapses after ConnectionTimeOut (${TIMEOUT} s scaled): Available (OCPP 1.6 §9.1, OCTT TC_004_2)` });
        t.atLeast(back.t - prep.t, t.scaled(TIMEOUT) * 0.8, 'the authorization is kept for ConnectionTimeOut before it lapses (OCPP 1.6 §9.1)');
        await t.cp.plug(1, { phases: 3 });
        await t.sleep(1000);
        t.equal(t.csms.calls('StartTransaction').length, 0, 'an EV arriving after the timeout starts nothing by itself (OCPP 1.6 §9.1 ConnectionTimeOut)');
    },
};
