'use strict';
// OCTT TC_011_1 Remote start, remote first: RemoteStartTransaction on an idle
// connector is Accepted; plugging in within ConnectionTimeOut starts the
// transaction with that idTag.
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_011_1 remote start first, then plug within ConnectionTimeOut',
    timeScale: 10,
    connectors: 2,
    config: { ConnectionTimeOut: 120 },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE011' });
        t.equal(r.status, 'Accepted', 'RemoteStartTransaction on an Available connector is Accepted (OCPP 1.6 §5.11)');
        await waitStatus(t, 2, 'Preparing', { since: m, rule: 'an accepted remote start waiting for the EV: Preparing (OCPP 1.6 §7.7)' });
        await t.sleep(t.scaled(20));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'no StartTransaction before the EV is plugged in (OCPP 1.6 §5.11)');
        await t.cp.plug(2, { phases: 3, max_current: 32 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'REMOTE011', 10000,
            { since: m, rule: 'plugging in within ConnectionTimeOut after a remote start starts the transaction (OCPP 1.6 §5.11, §9.1 ConnectionTimeOut)' });
        t.equal(start.payload.connectorId, 2, 'the remote start uses the requested connector (OCPP 1.6 §5.11)');
        await waitStatus(t, 2, 'Charging', { since: m });
    },
};
