'use strict';
//IEC 61851-1 state E: an EV reporting an error (pilot 0 V) during
// a session: the station stops offering and opens the contactor, reports the
// error with errorCode EVCommunicationError (OCPP 1.6 §7.6: a Mode 3 problem;
// OCPP allows Faulted or SuspendedEVSE for it), and charges again, in the same
// transaction, when the EV leaves state E.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };

module.exports = {
    title: 'EV in state E during a session → offer 0, contactor open, EVCommunicationError; cleared → charges again',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGEVERR', ev: EV });
        await expectConnector(t, 1, (c) => c.import_a.every((a) => a > 5), t.scaled(120) + 3000, 'test setup: the EV draws');
        let m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'ev_error', active: true });
        const e = await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 1 && p.errorCode !== 'NoError', 5000,
            { since: m, rule: 'an EV in state E is reported with an error code (ev_error, docs/status.md)' });
        t.equal(e.payload.errorCode, 'EVCommunicationError', 'state E reports errorCode EVCommunicationError (OCPP 1.6 §7.6: Mode 3 communication problem)');
        t.oneOf(e.payload.status, ['Faulted', 'SuspendedEVSE'], 'with EVCommunicationError the connector is Faulted or SuspendedEVSE (OCPP 1.6 §7.6, §7.7)');
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'an EV in state E gets nothing: offer 0, contactor open (IEC 61851-1)');
        t.equal(c.pilot, 'E', 'the control socket shows pilot state E');
        t.equal(c.fault, 'ev_error', 'the control socket names the fault: ev_error (control socket status)');
        t.equal(c.transaction_id, txId, 'the transaction is not stopped by the EV error');

        m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'ev_error', active: false });
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 5000, rule: 'once the EV leaves state E the session charges again' });
        const ok = await expectConnector(t, 1, (x) => x.import_a.every((a) => a > 5), 5000, 'the EV draws again after the error');
        t.equal(ok.transaction_id, txId, 'the same transaction continues');
        const last = t.csms.calls('StatusNotification', m).filter((x) => x.payload.connectorId === 1).pop();
        t.equal(last.payload.errorCode, 'NoError', 'the error is cleared in the next StatusNotification (OCPP 1.6 §4.9)');
    },
};
