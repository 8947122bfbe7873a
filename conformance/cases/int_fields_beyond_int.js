'use strict';
// Inbound integers beyond the station's int: the OCPP 1.6 JSON schemas type
// connectorId, reservationId, chargingProfileId, duration, listVersion... as
// "integer" without bounds, so 3000000000 passes schema validation.  Each one
// is range-checked before use (converting it to int is undefined behaviour,
// C11 6.3.1.4): the answer is the action's clean refusal and nothing changes.
// (A build with --enable-sanitizers aborts on such a conversion.)
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite, limitAt } = require('../lib/sc');

const BIG = 3000000000;

module.exports = {
    title: 'integers beyond int in BootNotification.conf and inbound CALLs: refused cleanly, nothing changes',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 40000,
    csms: { bootInterval: BIG },
    async run(t) {
        await bootAccepted(t);
        const hb = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        const key = (hb.configurationKey || []).find((k) => k.key === 'HeartbeatInterval');
        t.equal(key && key.value, '300', 'BootNotification.conf interval 3000000000 (beyond int) is ignored: HeartbeatInterval keeps its default (OCPP 1.6 §4.2)');
        const now = await daemonNow(t);
        t.equal(await setProfile(t, 0, profile({ id: 5, start: now - 60e3, periods: [[0, 12]] })), 'Accepted', 'test setup: a TxDefaultProfile');
        const m = t.csms.mark();
        const expect = async (action, payload, status, rule) => {
            const r = await t.csms.call(action, payload);
            t.equal(r.status, status, `${action} ${JSON.stringify(payload).slice(0, 90)}: ${status} (${rule})`);
        };
        await expect('ChangeAvailability', { connectorId: BIG, type: 'Inoperative' }, 'Rejected', 'no such connector, OCPP 1.6 §5.2');
        await expect('UnlockConnector', { connectorId: BIG }, 'NotSupported', 'no such connector, OCPP 1.6 §5.18');
        await expect('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: BIG }, 'Rejected', 'no such connector, OCPP 1.6 §5.17');
        await expect('RemoteStartTransaction', { idTag: 'TAGBIG', connectorId: BIG }, 'Rejected', 'no such connector, OCPP 1.6 §5.11');
        await expect('RemoteStopTransaction', { transactionId: 1e16 }, 'Rejected', 'no such transaction, OCPP 1.6 §5.12');
        await expect('ReserveNow', { connectorId: BIG, expiryDate: new Date(now + 3600e3).toISOString(), idTag: 'TAGBIG', reservationId: 1 }, 'Rejected', 'no such connector, OCPP 1.6 §5.13');
        await expect('ReserveNow', { connectorId: 1, expiryDate: new Date(now + 3600e3).toISOString(), idTag: 'TAGBIG', reservationId: BIG }, 'Rejected', 'a reservationId the station cannot store, OCPP 1.6 §5.13');
        await expect('CancelReservation', { reservationId: BIG }, 'Rejected', 'no such reservation, OCPP 1.6 §5.1');
        await expect('ClearChargingProfile', { id: BIG }, 'Unknown', 'no such profile, OCPP 1.6 §5.5');
        await expect('ClearChargingProfile', { connectorId: BIG }, 'Unknown', 'no profile on such a connector, OCPP 1.6 §5.5');
        await expect('ClearChargingProfile', { stackLevel: BIG }, 'Unknown', 'no profile at such a stack level, OCPP 1.6 §5.5');
        await expect('SetChargingProfile', { connectorId: BIG, csChargingProfiles: profile({ id: 6, start: now, periods: [[0, 6]] }) }, 'Rejected', 'no such connector, OCPP 1.6 §5.16');
        await expect('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile({ id: BIG, start: now, periods: [[0, 6]] }) }, 'Rejected', 'a chargingProfileId the station cannot hold, OCPP 1.6 §5.16');
        await expect('SetChargingProfile', { connectorId: 0, csChargingProfiles: profile({ id: 7, start: now, periods: [[BIG, 6]] }) }, 'Rejected', 'a startPeriod beyond int, OCPP 1.6 §5.16');
        await expect('GetCompositeSchedule', { connectorId: BIG, duration: 600 }, 'Rejected', 'no such connector, OCPP 1.6 §5.7');
        await expect('GetCompositeSchedule', { connectorId: 1, duration: BIG }, 'Rejected', 'a duration beyond int, OCPP 1.6 §5.7');
        await expect('SendLocalList', { listVersion: BIG, updateType: 'Full', localAuthorizationList: [] }, 'Failed', 'a listVersion the station cannot store, OCPP 1.6 §5.15');

        const v = await t.csms.call('GetLocalListVersion', {});
        t.ok(v.listVersion !== BIG, 'the local list version did not change (OCPP 1.6 §5.10)', v);
        t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), 12, 'the installed profile is untouched (OCPP 1.6 §5.5)');
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.ocpp_status === 'Available' && c.transaction_id === null),
            'every connector is still Available with no transaction (nothing changed)', st.connectors);
        t.equal(t.csms.calls('StatusNotification', m).length, 0, 'no StatusNotification: no connector changed (OCPP 1.6 §4.9)');
    },
};
