'use strict';
// OCTT TC_041 Fault behaviour: a fault on a connector is reported with
// StatusNotification Faulted and an errorCode other than NoError; other
// connectors and connector 0 are not affected; once the fault is gone the
// connector reports its normal status again with NoError.
//  A: a lock failure with an EV plugged in (no transaction): Faulted → Preparing.
//  B: a failed diode check in a session (the contactor may not close): Faulted
//     → Charging in the same transaction.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { startSession, expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };
const ERROR_CODES = ['ConnectorLockFailure', 'EVCommunicationError', 'GroundFailure', 'HighTemperature', 'InternalError',
    'LocalListConflict', 'OtherError', 'OverCurrentFailure', 'OverVoltage', 'PowerMeterFailure', 'PowerSwitchFailure',
    'ReaderFailure', 'ResetFailure', 'UnderVoltage', 'WeakSignal'];

module.exports = {
    title: 'TC_041 fault → StatusNotification Faulted with an errorCode, other connectors unaffected; cleared → back to Preparing / Charging',
    timeScale: 10,
    connectors: 2,
    config: { MinimumStatusDuration: 0 },
    timeoutMs: 45000,
    async run(t) {
        await bootAccepted(t);
        // A: lock failure, EV plugged, no transaction.
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: true });
        let m = t.csms.mark();
        await t.cp.plug(1, EV);
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: 5000, rule: 'a connector fault is reported with StatusNotification Faulted (OCPP 1.6 §4.9, §7.7, OCTT TC_041)' });
        t.ok(ERROR_CODES.includes(f.payload.errorCode), 'a Faulted StatusNotification carries an errorCode other than NoError (OCPP 1.6 §7.6, OCTT TC_041)', f.payload);
        t.equal(f.payload.errorCode, 'ConnectorLockFailure', 'a lock failure is ConnectorLockFailure (OCPP 1.6 §7.6)');
        if (f.payload.info !== undefined) t.ok(typeof f.payload.info === 'string' && f.payload.info.length <= 50, 'info is a CiString50 (OCPP 1.6 §6.47)', f.payload.info);
        await t.sleep(t.scaled(3));
        const others = t.csms.calls('StatusNotification', m).filter((e) => e.payload.connectorId !== 1);
        t.equal(others.map((e) => e.payload), [], 'a fault on connector 1 changes the status of no other connector nor of connector 0 (OCPP 1.6 §4.9)');
        let c = await t.cp.connector(2);
        t.equal(c.ocpp_status, 'Available', 'connector 2 stays Available (OCPP 1.6 §7.7)');
        m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'lock', active: false });
        const back = await waitStatus(t, 1, 'Preparing', { since: m, timeoutMs: t.scaled(15) + 3000,
            rule: 'once the fault is gone the connector with its EV reports Preparing again (OCPP 1.6 §4.9, OCTT TC_041)' });
        t.equal(back.payload.errorCode, 'NoError', 'the cleared fault is reported with errorCode NoError (OCPP 1.6 §7.6)');
        m = t.csms.mark();
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'Available', { since: m, timeoutMs: 5000, rule: 'test setup: unplugged: Available (OCPP 1.6 §7.7)' });

        // B: diode check failure in a session on connector 2.
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'diode', active: true });
        m = t.csms.mark();
        const s = await startSession(t, { connector: 2, idTag: 'TAG0041', ev: EV });
        const f2 = await waitStatus(t, 2, 'Faulted', { since: m, timeoutMs: 5000, rule: 'a failed diode check is reported with StatusNotification Faulted (OCPP 1.6 §7.7, IEC 61851-1, OCTT TC_041)' });
        t.ok(ERROR_CODES.includes(f2.payload.errorCode), 'a Faulted StatusNotification carries an errorCode other than NoError (OCPP 1.6 §7.6, OCTT TC_041)', f2.payload);
        c = await t.cp.connector(2);
        t.equal(c.import_a, [0, 0, 0], 'a faulted connector delivers no energy (docs/limits.md fault → 0)');
        t.ok(!t.csms.calls('StatusNotification', m).some((e) => e.payload.connectorId !== 2 && e.payload.status === 'Faulted'),
            'only the faulty connector is Faulted (OCPP 1.6 §4.9)', t.csms.calls('StatusNotification', m).map((e) => e.payload));
        m = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 2, type: 'diode', active: false });
        const ch = await waitStatus(t, 2, 'Charging', { since: m, timeoutMs: t.scaled(15) + 3000,
            rule: 'once the fault is gone the session charges again (OCPP 1.6 §4.9, OCTT TC_041)' });
        t.equal(ch.payload.errorCode, 'NoError', 'the cleared fault is reported with errorCode NoError (OCPP 1.6 §7.6)');
        c = await expectConnector(t, 2, (x) => x.import_a.every((a) => a > 5), t.scaled(30) + 3000, 'the EV draws again after the fault');
        t.equal(c.transaction_id, s.txId, 'the transaction survives the fault (OCPP 1.6 §4.9: a fault does not end a transaction by itself)');
    },
};
