'use strict';
// Connector1.2-MaxCurrent / Connector2.2-MaxCurrent, the limits of a socket's
// second feed (vendor keys, the README key reference), are applied by the control cycle like
// Connector<N>-MaxCurrent: a socket takes the lower of the two.  A live change
// lowers the offered current of a running transaction within a control cycle
// or two (control socket `status`), and the no-profile composite schedule
// follows it (README key reference: "live: control cycle").
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

async function change(t, key, value) {
    const r = await t.csms.call('ChangeConfiguration', { key, value });
    t.equal(r.status, 'Accepted', `ChangeConfiguration ${key}=${value} is Accepted: it applies live (README key reference)`);
}

async function hwLimit(t, connectorId) {
    const r = await t.csms.call('GetCompositeSchedule', { connectorId, duration: 60, chargingRateUnit: 'A' });
    t.equal(r.status, 'Accepted', 'GetCompositeSchedule for an existing connector is Accepted (OCPP 1.6 §5.7)');
    return r.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit);
}

module.exports = {
    title: 'Connector1.2/2.2-MaxCurrent (second feed) lower the offered current and the composite at once',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: 0 },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGFEED2', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'test setup: past probing the lone EV is offered 32 A (docs/limits.md, docs/balancing.md)', await t.cp.connector(1));

        await change(t, 'Connector1.2-MaxCurrent', '10');
        const low = await waitOffered(t, 1, (a) => a === 10, 3000);
        t.ok(low, 'Connector1.2-MaxCurrent 10 lowers the running offer of socket 1 to 10 A (the lower of its two feed limits)', await t.cp.connector(1));
        t.equal(low && low.binding, 'connector', 'the control socket names the connector limit as the binding source (docs/limits.md: report which source is binding)');
        t.equal(await hwLimit(t, 1), [10], 'the composite of connector 1 without profiles is the second feed limit 10 A (no-profile composite)');
        t.equal(await hwLimit(t, 2), [32], 'connector 2 keeps its own limits: 32 A');

        // The lower of the two binds: Connector1-MaxCurrent below the second feed limit wins again.
        await change(t, 'Connector1-MaxCurrent', '8');
        t.ok(await waitOffered(t, 1, (a) => a === 8, 3000), 'with Connector1-MaxCurrent 8 below Connector1.2-MaxCurrent 10 the offer is 8 A', await t.cp.connector(1));
        await change(t, 'Connector1-MaxCurrent', '32');
        t.ok(await waitOffered(t, 1, (a) => a === 10, 3000), 'Connector1-MaxCurrent back to 32: the second feed limit 10 A binds again', await t.cp.connector(1));

        await change(t, 'Connector1.2-MaxCurrent', '32');
        t.ok(await waitOffered(t, 1, (a) => a === 32, 3000), 'raising Connector1.2-MaxCurrent to 32 restores the 32 A offer at once', await t.cp.connector(1));

        await change(t, 'Connector2.2-MaxCurrent', '12.5');
        t.equal(await hwLimit(t, 2), [12.5], 'Connector2.2-MaxCurrent 12.5 is the limit of connector 2 at once (composite without profiles)');
        const g = await t.csms.call('GetConfiguration', { key: ['Connector2.2-MaxCurrent'] });
        t.equal(g.configurationKey, [{ key: 'Connector2.2-MaxCurrent', readonly: false, value: '12.5' }], 'Connector2.2-MaxCurrent reads back 12.5, writable');
    },
};
