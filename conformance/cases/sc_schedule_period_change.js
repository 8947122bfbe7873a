'use strict';
// When a profile period changes, the offered current (control socket) and
// Current.Offered in MeterValues follow at the boundary (a timer at
// the next period change, not polling).
const { bootAccepted, startLocalTransaction, pollConnector, measurand } = require('../lib/steps');
const { daemonNow, profile, setProfile } = require('../lib/sc');

const SCALE = 30;
const SAMPLE = 30; // s: 1 s real

module.exports = {
    title: 'offered current and Current.Offered follow the schedule when a period changes',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGPERIOD', ev: { phases: 3, max_current: 32 } });
        // Past probing: the plain connector limit first.
        await pollConnector(t, 1, (x) => x.offered_a === 32, t.scaled(90) + 3000);
        const now = await daemonNow(t);
        const boundary = now + 150e3; // 150 s scaled = 5 s real from now
        t.equal(await setProfile(t, 0, profile({ id: 7, purpose: 'TxDefaultProfile', start: now - 60e3, periods: [[0, 16], [210, 8]] })), 'Accepted',
            'TxDefaultProfile Accepted during a transaction (OCPP 1.6 §5.16)');
        const first = await pollConnector(t, 1, (x) => x.offered_a === 16, 3000);
        t.ok(first, 'a new TxDefaultProfile applies to the running transaction at once: 16 A (OCPP 1.6 §3.13.2, docs/limits.md)', await t.cp.connector(1));
        const second = await pollConnector(t, 1, (x) => x.offered_a === 8, t.scaled(150) + 4000);
        t.ok(second, 'at the period boundary the offer drops to the next period\'s 8 A', await t.cp.connector(1));
        const at = Date.parse((await t.cp.status()).now);
        t.near((at - boundary) / 1000, 0, 2 * SCALE * 0.2 + 10, 'the change happens at the boundary on the daemon clock, not much later (timer at the next change)');
        const m = t.csms.mark();
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(SAMPLE) * 2 + 3000, { since: m });
        t.near(measurand(mv.payload, 'Current.Offered'), 8, 0.1, 'Current.Offered in MeterValues follows the schedule (docs/limits.md)');
    },
};
