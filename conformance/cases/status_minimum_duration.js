'use strict';
// MinimumStatusDuration (OCPP 1.6 §9.1.22): a status that does not last that
// long is never reported; one that does is reported once it has.
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'MinimumStatusDuration suppresses a short-lived status and reports a lasting one',
    timeScale: 60,
    connectors: 2,
    timeoutMs: 30000,
    config: { MinimumStatusDuration: 120 },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        // Plugged for ~30 s of station time (0.5 s real): shorter than 120 s.
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await t.sleep(500);
        await t.cp.unplug(1);
        await t.sleep(3000);   // 180 s of station time: any delayed report would be out
        const shortLived = t.csms.calls('StatusNotification', m)
            .filter((c) => c.payload.connectorId === 1 && c.payload.status === 'Preparing');
        t.equal(shortLived.length, 0,
            'a Preparing that lasted less than MinimumStatusDuration is not reported (OCPP 1.6 §9.1.22)');

        const m2 = t.csms.mark();
        const t0 = Date.now();
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await waitStatus(t, 1, 'Preparing', { since: m2, timeoutMs: 10000 });
        const waitedS = (Date.now() - t0) / 1000 * 60;
        t.ok(waitedS >= 110, `a lasting Preparing is reported only after MinimumStatusDuration (waited ${waitedS.toFixed(0)} s of station time, OCPP 1.6 §9.1.22)`);
    },
};
