'use strict';
// IEC 61851-1 Annex A (the negative half of the pilot, the EV's diode, must
// be seen before the contactor closes): an EV whose pilot diode check fails
// asks for current (state C) but the station never closes the contactor: it
// goes to F and reports Faulted; once the diode reads right again (the driver
// retries) the session charges.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { startSession, expectConnector } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 16 };

module.exports = {
    title: 'diode check failure → F, Faulted, contactor never closes; cleared → charges',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'diode', active: true });
        const m = t.csms.mark();
        const s = await startSession(t, { connector: 1, idTag: 'TAGDIODE', ev: EV });
        const f = await waitStatus(t, 1, 'Faulted', { since: m, timeoutMs: 5000,
            rule: 'a failed diode check when the EV asks for current makes the connector Faulted ("diode-check failure → Faulted", docs/status.md)' });
        t.ok(f.payload.errorCode !== 'NoError', 'a Faulted StatusNotification carries an error code (OCPP 1.6 §7.6)', f.payload);
        // Watch it for a while: never energised.
        const end = Date.now() + t.scaled(3);
        while (Date.now() < end) {
            const c = await t.cp.connector(1);
            t.equal(c.import_a, [0, 0, 0], 'with a failed diode check the contactor never closes: nothing flows (IEC 61851-1)');
            t.equal(c.offered_a, 0, 'a faulted socket offers nothing (docs/limits.md fault → 0)');
            await t.sleep(50);
        }
        const c = await t.cp.connector(1);
        t.equal(c.fault, 'diode', 'the control socket names the fault: diode (control socket status)');
        t.equal(c.pilot, 'F', 'the failed diode check drives the pilot to F (IEC 61851-1)');
        t.ok(!t.csms.calls('StatusNotification', m).some((e) => e.payload.connectorId === 1 && e.payload.status === 'Charging'),
            'the connector never reported Charging with a failed diode check (docs/status.md)', t.csms.calls('StatusNotification', m).map((e) => e.payload));

        const m2 = t.csms.mark();
        await t.cp.ctl({ cmd: 'fault', connector: 1, type: 'diode', active: false });
        await waitStatus(t, 1, 'Charging', { since: m2, timeoutMs: t.scaled(15) + 3000,
            rule: 'once the diode check passes again the session charges (the driver retries the check)' });
        const ok = await expectConnector(t, 1, (x) => x.offered_a > 0 && x.import_a.every((a) => a > 5), t.scaled(10) + 3000,
            'after the fault the EV is offered current and draws it');
        t.equal(ok.transaction_id, s.txId, 'the transaction survives the diode fault');
        t.equal(ok.fault, 'none', 'the control socket shows no fault any more (control socket status)');
    },
};
