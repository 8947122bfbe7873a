'use strict';
// The control socket's status reply has the fields and units fixes
// (later issues add fields, never rename these), and `now` runs on the
// --time-scale clock.
const { bootAccepted } = require('../lib/steps');

const PILOTS = ['A', 'B1', 'B2', 'C1', 'C2', 'D1', 'D2', 'E', 'F'];
const STATUSES = ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'];
const SCALE = 20;

module.exports = {
    title: 'control socket status: fields, idle values, now on the scaled clock',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const st = await t.cp.status();
        t.equal(st.online, true, 'status.online is true while connected and booted (control socket status)');
        t.ok(Array.isArray(st.connectors) && st.connectors.length === 2, 'status.connectors has one entry per --connectors (control socket status)', st.connectors);
        for (const c of st.connectors) {
            t.ok(STATUSES.includes(c.ocpp_status), `connector ${c.id}: ocpp_status is an OCPP 1.6 ChargePointStatus (control socket status)`, c.ocpp_status);
            t.ok(PILOTS.includes(c.pilot), `connector ${c.id}: pilot is one of A, B1, B2, C1, C2, D1, D2, E, F (control socket status)`, c.pilot);
            t.equal(c.pilot, 'A', `connector ${c.id}: no EV → pilot state A (IEC 61851-1)`);
            t.equal(c.offered_a, 0, `connector ${c.id}: nothing offered without an EV (control socket status)`);
            t.ok(Array.isArray(c.import_a) && c.import_a.length === 3, `connector ${c.id}: import_a always has three entries L1–L3 (control socket status)`, c.import_a);
            t.equal(c.import_a, [0, 0, 0], `connector ${c.id}: no EV draws nothing (README control socket)`);
            t.ok(typeof c.energy_wh === 'number' && c.energy_wh >= 0, `connector ${c.id}: energy_wh is a number of Wh (control socket status)`, c.energy_wh);
            t.equal(c.transaction_id, null, `connector ${c.id}: transaction_id is null without a transaction (control socket status)`);
        }
        t.equal(st.connectors.map((c) => c.id), [1, 2], 'connectors are numbered from 1 (OCPP 1.6 connectorId)');

        const a = await t.cp.status();
        const ra = Date.now();
        await t.sleep(1000);
        const b = await t.cp.status();
        const rb = Date.now();
        const da = Date.parse(a.now);
        const db = Date.parse(b.now);
        t.ok(!Number.isNaN(da) && /Z$|[+-]\d\d:?\d\d$/.test(a.now), 'status.now is an ISO 8601 UTC time (control socket status)', a.now);
        t.near((db - da) / (rb - ra), SCALE, SCALE * 0.15, `status.now runs --time-scale (${SCALE}) times faster than real time (docs/station-model.md)`);
        t.near(da, ra, 60000 * 2, 'the scaled clock starts at the real time of launch (docs/station-model.md)');

        await t.cp.plug(1, { phases: 3, max_current: 32 });
        const p = await t.cp.connector(1);
        t.oneOf(p.pilot, ['B1', 'B2'], 'an EV plugged in but not authorized: pilot B (connected, not charging) (IEC 61851-1)');
        t.equal(p.import_a, [0, 0, 0], 'an EV without authorization draws nothing (README control socket, docs/station-model.md in use)');
    },
};
