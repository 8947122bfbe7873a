'use strict';
// Admission of the connectorId, row by row: every action that takes a
// connectorId is sent one the station does not have (n+1, -1, and 0 where
// only 1..n exist) and answers the status OCPP 1.6 §5 gives that action for
// a connector it does not have, changing nothing.  The rows are the table in
// README "Connector ids the station does not have"; a connector it has is
// still handled (the control rows at the end).
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile } = require('../lib/sc');

const N = 2;

// action, payload for a connectorId, the lowest connector that exists for
// it, the answer for one outside, the rule.
const ROWS = [
    { action: 'ChangeAvailability', payload: (c) => ({ connectorId: c, type: 'Inoperative' }), min: 0, answer: 'Rejected', rule: 'OCPP 1.6 §5.2' },
    { action: 'GetCompositeSchedule', payload: (c) => ({ connectorId: c, duration: 600 }), min: 0, answer: 'Rejected', rule: 'OCPP 1.6 §5.7' },
    { action: 'RemoteStartTransaction', payload: (c) => ({ idTag: 'ADMIT01', connectorId: c }), min: 1, answer: 'Rejected', rule: 'OCPP 1.6 §5.11, connector 0 is no connector to start on (OCTT TC_027)' },
    { action: 'ReserveNow', payload: (c, now) => ({ connectorId: c, expiryDate: new Date(now + 3600e3).toISOString(), idTag: 'ADMIT02', reservationId: 7100 + (c & 0xff) }), min: 0, answer: 'Rejected', rule: 'OCPP 1.6 §5.13' },
    { action: 'SetChargingProfile', payload: (c, now) => ({ connectorId: c, csChargingProfiles: profile({ id: 71, start: now, periods: [[0, 6]] }) }), min: 0, answer: 'Rejected', rule: 'OCPP 1.6 §5.16' },
    { action: 'TriggerMessage', payload: (c) => ({ requestedMessage: 'StatusNotification', connectorId: c }), min: 0, answer: 'Rejected', rule: 'OCPP 1.6 §5.17' },
    { action: 'UnlockConnector', payload: (c) => ({ connectorId: c }), min: 1, answer: 'NotSupported', rule: 'OCPP 1.6 §5.18, "ConnectorId is unknown" (OCTT TC_031)' },
    // A filter, not admitted against a range: a connector that does not
    // exist holds no profile.
    { action: 'ClearChargingProfile', payload: (c) => ({ connectorId: c }), min: 0, answer: 'Unknown', rule: 'OCPP 1.6 §5.5, no profile matches' },
];

module.exports = {
    title: 'connectorId outside the station: each action answers its documented refusal, nothing changes',
    timeScale: 10,
    connectors: N,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t, { connectors: N });
        const now = await daemonNow(t);
        const m = t.csms.mark();
        for (const row of ROWS) {
            const outside = [N + 1, -1];
            if (row.min === 1) outside.push(0);
            for (const c of outside) {
                const r = await t.csms.call(row.action, row.payload(c, now));
                t.equal(r.status, row.answer, `${row.action} with connectorId ${c} of a ${N}-connector station: ${row.answer} (${row.rule})`, r);
            }
        }
        t.equal(t.csms.calls('StatusNotification', m).length, 0, 'no StatusNotification: no connector changed (OCPP 1.6 §4.9)');
        t.equal(t.csms.calls('StartTransaction', m).length + t.csms.calls('Authorize', m).length, 0,
            'no Authorize, no StartTransaction: no remote start was taken (OCPP 1.6 §5.11)');
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.ocpp_status === 'Available' && c.transaction_id === null),
            'every connector is still Available with no transaction (nothing changed)', st.connectors);
        const sched = await t.csms.call('GetCompositeSchedule', { connectorId: 0, duration: 600 });
        t.ok(!sched.chargingSchedule || !(sched.chargingSchedule.chargingSchedulePeriod || []).some((p) => p.limit === 6),
            'the refused SetChargingProfile installed nothing (OCPP 1.6 §5.16)', sched);

        // Controls: a connector the station has reaches the handler.
        t.equal((await t.csms.call('UnlockConnector', { connectorId: N })).status, 'Unlocked',
            `UnlockConnector with connectorId ${N} (the last connector) is handled: Unlocked (OCPP 1.6 §5.18)`);
        t.equal((await t.csms.call('GetCompositeSchedule', { connectorId: N, duration: 600 })).status, 'Accepted',
            `GetCompositeSchedule with connectorId ${N} is handled: Accepted (OCPP 1.6 §5.7)`);
        const before = t.csms.mark();
        t.equal((await t.csms.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 0 })).status, 'Accepted',
            'TriggerMessage StatusNotification with connectorId 0 (the charge point) is handled: Accepted (OCPP 1.6 §5.17)');
        await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 0, 10000,
            { since: before, rule: 'a triggered StatusNotification for connector 0 follows (OCPP 1.6 §5.17)' });
    },
};
