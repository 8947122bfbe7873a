'use strict';
//: changes take effect immediately where docs/station-model.md allows: a new
// Station-MaxCurrent or Connector<N>-MaxCurrent reaches the offered current of
// a running transaction within a control cycle or two, a new
// MeterValueSampleInterval re-arms sampling, and Chameleon-MinCurrent sets the
// probing current of the next session (docs/balancing.md).
const { bootAccepted, startLocalTransaction, waitStatus, parseTime } = require('../lib/steps');
const { daemonNow, waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

async function change(t, key, value) {
    const r = await t.csms.call('ChangeConfiguration', { key, value });
    t.equal(r.status, 'Accepted', `ChangeConfiguration ${key}=${value} is Accepted: it applies live (docs/station-model.md)`);
    return daemonNow(t);
}

module.exports = {
    title: 'live keys: Station/Connector max current reach the running offer at once; sample interval re-armed; probing current',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: 600, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGLIVE', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'test setup: past probing the lone EV is offered 32 A (docs/limits.md, docs/balancing.md)', await t.cp.connector(1));

        const bindings = [];
        for (const [key, value, expect, binding] of [['Station-MaxCurrent', '20', 20, 'balancing'], ['Connector1-MaxCurrent', '16', 16, 'connector'], ['Station-MaxCurrent', '12.5', 12.5, 'balancing']]) {
            const at = await change(t, key, value);
            const c = await waitOffered(t, 1, (a) => a === expect, 2000);
            t.ok(c, `a live ${key}=${value} lowers the running offer to ${expect} A (reaches the limit stack within one control cycle)`, await t.cp.connector(1));
            t.atMost((Date.parse(c.now) - at) / 1000, 2 * SCALE * 0.1 + 2, `${key} takes effect within a control cycle or two (docs/limits.md)`);
            bindings.push({ key, binding, got: c.binding });
        }

        // MeterValueSampleInterval 600 s → 15 s: the next sample comes about 15 s after the change, not at the old 600 s rhythm.
        const m = t.csms.mark();
        const at = await change(t, 'MeterValueSampleInterval', '15');
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(40) + 3000,
            { since: m, rule: 'a new MeterValueSampleInterval re-arms sampling at once' });
        t.atMost((parseTime(mv.payload.meterValue[0].timestamp) - at) / 1000, 15 + 5, 'the first sample after the change comes within the new interval (re-arms sampling)');
        const mv2 = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(40) + 3000, { since: mv.index + 1 });
        t.near((parseTime(mv2.payload.meterValue[0].timestamp) - parseTime(mv.payload.meterValue[0].timestamp)) / 1000, 15, 3,
            'samples then follow the new 15 s interval (OCPP 1.6 §9.1 MeterValueSampleInterval)');

        // Chameleon-MinCurrent sets the probing current of the next session (docs/balancing.md, the README key reference range 6 to the rating).
        const mStop = t.csms.mark();
        await t.cp.unplug(1);
        await waitStatus(t, 1, 'Available', { since: mStop, rule: 'test setup: unplugging ends the session' });
        await change(t, 'Station-MaxCurrent', '32');
        await change(t, 'Connector1-MaxCurrent', '32');
        await change(t, 'Chameleon-MinCurrent', '8');
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGLIVE2', ev: { phases: 3, max_current: 32 } });
        const probe = await waitOffered(t, 1, (a) => a > 0, 3000);
        t.equal(probe && probe.offered_a, 8, 'the next session probes at the new Chameleon-MinCurrent 8 A (docs/balancing.md probing live)');
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'after probing it gets the restored 32 A (docs/balancing.md)', await t.cp.connector(1));
        // Checked last so that the checks above run whatever this says.
        for (const b of bindings) {
            t.oneOf(b.got, b.binding === 'balancing' ? ['balancing', 'station'] : [b.binding],
                `with ${b.key} lowest, the control socket names ${b.binding} as the binding source (docs/limits.md: report which source is binding; a share capped by the socket's own limit is not the binding source)`);
        }
    },
};
