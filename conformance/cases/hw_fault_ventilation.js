'use strict';
//IEC 61851-1 state D: an EV asking for ventilation on a station
// without ventilation is never energised (offer 0, contactor open, pilot D1)
// and the connector reports an error; when the EV asks without ventilation
// again (state C) the session charges.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };

module.exports = {
    title: 'EV asking for ventilation (state D) on a station without it → never energised, error reported; back to C → charges',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGVENT', ev: EV });
        await expectConnector(t, 1, (c) => c.import_a.every((a) => a > 5), t.scaled(120) + 3000, 'test setup: the EV draws');
        let m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'ventilation', active: true });
        const e = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.status !== 'Charging', 5000,
            { since: m, rule: 'an EV asking for ventilation the station lacks no longer charges (IEC 61851-1 state D)' });
        t.ok(e.payload.errorCode !== 'NoError', 'the connector reports an error code for the ventilation request (docs/status.md "errorCode ... where the vendor defines them")', e.payload);
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'without ventilation the EV in state D is not energised: offer 0, contactor open (IEC 61851-1)');
        t.equal(c.pilot, 'D1', 'the pilot shows D with the PWM off: D1 (IEC 61851-1)');
        t.equal(c.fault, 'ventilation', 'the control socket names the fault: ventilation (control socket status)');
        t.equal(c.transaction_id, txId, 'the transaction is not stopped by the ventilation request');

        m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'ventilation', active: false });
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 5000, rule: 'back in state C the session charges again' });
        await expectConnector(t, 1, (x) => x.import_a.every((a) => a > 5), 5000, 'the EV draws again');
    },
};
