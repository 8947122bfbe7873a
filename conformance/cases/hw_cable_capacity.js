'use strict';
// docs/limits.md, docs/mode3.md: the cable capacity read from the proximity pilot
// (control socket `cable`: 13, 20, 32, 63 A, 0 = no cable) enters the limit
// stack.  A 32 A EV on one socket (Station-MaxCurrent and connector max 32):
// a 20 A cable → 20 A, 13 A → 13 A, 63 A → 32 A (the cable no longer binds),
// no cable on the socketed outlet → no charging at all.
const { bootAccepted, waitStatus } = require('../lib/steps');
const { startSession, expectConnector, probingOver } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 32 };

module.exports = {
    title: 'cable capacity (PP): 20 A cable → 20, 13 A → 13, 63 A → 32, no cable → no charging',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const bindings = [];
        for (const [rating, want] of [[20, 20], [13, 13], [63, 32]]) {
            await t.cp.control({ cmd: 'cable', connector: 1, rating }).then((r) => t.ok(r.ok, `test setup: cable ${rating} accepted`, r));
            const s = await startSession(t, { connector: 1, idTag: `TAGCBL${rating}`, ev: EV });
            await probingOver(t, [1], t.scaled(60) + 3000);
            const st = await expectConnector(t, 1, (c) => c.offered_a === want && c.import_a.every((a) => Math.abs(a - want) <= 0.5), 5000,
                `a ${rating} A cable with a 32 A EV: offered and drawn ${want} A (docs/limits.md limit stack: cable capacity from PP)`);
            t.equal(st.cable_a, rating, `the control socket reports the cable rating ${rating} A (control socket status)`);
            t.equal(st.ocpp_status, 'Charging', 'the EV charges at the cable\'s capacity (OCPP 1.6 §4.9)');
            if (rating < 32) bindings.push([rating, st.binding]);
            const m = t.csms.mark();
            await t.cp.unplug(1);
            await t.csms.waitFor('StopTransaction', (p) => p.transactionId === s.txId, 5000, { since: m, rule: 'unplugging ends the transaction (OCPP 1.6 §4.10)' });
            await waitStatus(t, 1, 'Available', { since: m, rule: 'after unplugging the connector is Available (OCPP 1.6 §4.9)' });
        }

        // No cable: the EV is seen (pilot), a session may start, but nothing is offered.
        await t.cp.control({ cmd: 'cable', connector: 1, rating: 0 }).then((r) => t.ok(r.ok, 'test setup: cable 0 (none) accepted', r));
        const m = t.csms.mark();
        await startSession(t, { connector: 1, idTag: 'TAGCBL0', ev: EV });
        await t.sleep(t.scaled(90));
        const st = await t.cp.connector(1);
        t.equal(st.offered_a, 0, 'no cable on a socketed outlet: nothing is offered (docs/mode3.md "an open circuit means no cable")');
        t.equal(st.import_a, [0, 0, 0], 'no cable: nothing flows');
        t.oneOf(st.pilot, ['B1', 'C1'], 'no cable: the PWM stays off (IEC 61851-1 x1 state)');
        t.ok(!t.csms.calls('StatusNotification', m).some((e) => e.payload.connectorId === 1 && e.payload.status === 'Charging'),
            'no cable: the connector never reports Charging (OCPP 1.6 §4.9)', t.csms.calls('StatusNotification', m).map((e) => e.payload));
        t.equal(st.binding, 'cable', 'no cable: the control socket names the cable as binding (docs/limits.md)');
        // Last, so that a wrong name does not hide the currents above.
        for (const [rating, b] of bindings) {
            t.equal(b, 'cable', `with a ${rating} A cable below every other limit the control socket names the cable as binding (docs/limits.md)`);
        }
    },
};
