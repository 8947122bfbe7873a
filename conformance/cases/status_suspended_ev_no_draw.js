'use strict';
// SuspendedEV (OCPP 1.6 §7.7): "the EVSE is offering energy but the EV is not
// taking any".  An EV that stays in state C but draws less than 0.5 A for 5 s
// (station time) is SuspendedEV, not Charging at 0 A; when it draws again it
// is Charging.  A ramp-up shorter than that is not a suspension.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'EV in state C drawing nothing → SuspendedEV after 5 s; drawing again → Charging',
    timeScale: 10,
    connectors: 2,
    async run(t) {
        await bootAccepted(t);
        const m0 = t.csms.mark();
        await startLocalTransaction(t, { connector: 1, idTag: 'NODRAW1', ev: { phases: 3, max_current: 16 } });
        await t.sleep(t.scaled(8));
        const st1 = t.csms.calls('StatusNotification', m0).filter((e) => e.payload.connectorId === 1).map((e) => e.payload.status);
        const firstC = st1.indexOf('Charging');
        t.equal(st1.slice(firstC).filter((x) => x === 'SuspendedEV').length, 0,
            'once in state C, the ramp-up (drawing < 0.5 A for less than 5 s) is not reported as SuspendedEV', st1);
        const c = await t.cp.connector(1);
        t.equal(c.pilot.startsWith('C'), true, 'test setup: the EV is in state C', c);

        const m1 = t.csms.mark();
        await t.cp.ev(1, { draw_factor: 0 });
        const t1 = Date.now();
        const susp = await waitStatus(t, 1, 'SuspendedEV', { since: m1, timeoutMs: t.scaled(5) + 3000,
            rule: 'an EV in state C that draws nothing is SuspendedEV (OCPP 1.6 §7.7), not Charging at 0 A' });
        const drawn = await t.cp.connector(1);
        t.ok(drawn.pilot.startsWith('C') && drawn.import_a.every((a) => a < 0.5), 'the EV is still in state C and draws < 0.5 A', drawn);
        t.ok(susp.t - t1 >= t.scaled(5) - 200, 'SuspendedEV only after 5 s (station time) without drawing', { afterMs: susp.t - t1 });

        const m2 = t.csms.mark();
        await t.cp.ev(1, { draw_factor: 1 });
        await waitStatus(t, 1, 'Charging', { since: m2, timeoutMs: 5000, rule: 'drawing again, the EV is Charging (OCPP 1.6 §4.9 D3)' });
    },
};
