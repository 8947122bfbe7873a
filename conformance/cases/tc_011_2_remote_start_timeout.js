'use strict';
// OCTT TC_011_2 Remote start, time out: without an EV within ConnectionTimeOut
// the remote start lapses: no StartTransaction, connector back to Available, a
// later plug-in does not start a transaction on its own.
const { bootAccepted, waitStatus } = require('../lib/steps');

const TIMEOUT = 60; // s, daemon clock: 3 s real at --time-scale 20

module.exports = {
    title: 'TC_011_2 remote start without an EV lapses after ConnectionTimeOut',
    timeScale: 20,
    connectors: 2,
    config: { ConnectionTimeOut: TIMEOUT },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE0112' });
        t.equal(r.status, 'Accepted', 'RemoteStartTransaction on an Available connector is Accepted (OCPP 1.6 §5.11)');
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'an accepted remote start waiting for the EV: Preparing (OCPP 1.6 §7.7)' });
        const back = await waitStatus(t, 1, 'Available', { since: m, timeoutMs: t.scaled(TIMEOUT) * 2 + 3000,
            rule: `without an EV the remote start lapses after ConnectionTimeOut (${TIMEOUT} s scaled): Available again (OCPP 1.6 §9.1 ConnectionTimeOut)` });
        const preparing = t.csms.calls('StatusNotification', m).find((e) => e.payload.connectorId === 1 && e.payload.status === 'Preparing');
        t.atLeast(back.t - preparing.t, t.scaled(TIMEOUT) * 0.8, `the remote start is kept for ConnectionTimeOut (${TIMEOUT} s scaled) before it lapses (OCPP 1.6 §9.1)`);
        const m2 = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await waitStatus(t, 1, 'Preparing', { since: m2 });
        await t.sleep(1500);
        t.equal(t.csms.calls('StartTransaction').length, 0, 'a lapsed remote start starts no transaction, not even when an EV arrives later (OCPP 1.6 §5.11)');
    },
};
