'use strict';
// ChangeConfiguration HeartbeatInterval re-arms the heartbeat at once (no
// reboot), and GetConfiguration reads the new value back.
const { bootAccepted } = require('../lib/steps');

const NEW_INTERVAL = 20; // s, daemon clock: 1 s real at --time-scale 20

module.exports = {
    title: 'ChangeConfiguration HeartbeatInterval re-arms the heartbeat timer',
    timeScale: 20,
    csms: { bootInterval: 3600 }, // 3 min real: no heartbeat unless the change takes effect
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const r = await t.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: String(NEW_INTERVAL) });
        t.equal(r.status, 'Accepted', 'HeartbeatInterval is a writable Core key (OCPP 1.6 §9.1)');
        const m = t.csms.mark();
        const hb1 = await t.csms.waitFor('Heartbeat', null, t.scaled(NEW_INTERVAL) * 2 + 2000,
            { since: m, rule: `a changed HeartbeatInterval takes effect without a reboot: a Heartbeat within ${NEW_INTERVAL} s scaled (OCPP 1.6 §9.1, docs/station-model.md live changes)` });
        const hb2 = await t.csms.waitFor('Heartbeat', null, t.scaled(NEW_INTERVAL) * 2 + 2000,
            { since: hb1.index + 1, rule: 'Heartbeats keep coming at the new interval (OCPP 1.6 §4.6)' });
        const want = t.scaled(NEW_INTERVAL);
        t.near(hb2.t - hb1.t, want, want * 0.25 + 150, `Heartbeat every ${NEW_INTERVAL} s scaled (${want} ms real) after the change (OCPP 1.6 §4.6)`);
        const g = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.match(g, { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: String(NEW_INTERVAL) }] },
            'GetConfiguration reads back the changed HeartbeatInterval as RW (OCPP 1.6 §5.8)');
    },
};
