'use strict';
// A database written by an earlier release may hold a value for a key no
// code applies yet (here SmartChargingMode=OCPP1.5+, OCPP 1.5 smart
// charging).  Such a value switches nothing on: the key stays read-only,
// reads its stored value, refuses a write, and the station charges as
// before (with Static-LoadBalancing Off two sockets on one feed charge
// statically, docs/balancing.md: a lone EV gets 32 / 2 = 16 A).
const { execFileSync } = require('child_process');
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

module.exports = {
    title: 'a stored value of a not-yet key from an earlier release is inert and read-only',
    timeScale: SCALE,
    connectors: 2,
    config: { 'Static-LoadBalancing': 'Off', MeterValueSampleInterval: 0 },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was stopped');
        execFileSync('sqlite3', [t.cp.db,
            "INSERT OR REPLACE INTO config(key, value) VALUES ('SmartChargingMode', 'OCPP1.5+');"]);
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });

        const g = await t.csms.call('GetConfiguration', { key: ['SmartChargingMode', 'Static-LoadBalancing'] });
        const byKey = new Map((g.configurationKey || []).map((x) => [x.key, x]));
        t.equal(byKey.get('SmartChargingMode').readonly, true, 'SmartChargingMode is read-only until OCPP 1.5 smart charging exists (README key reference)');
        t.equal(byKey.get('Static-LoadBalancing').value, 'Off', 'test setup: Static-LoadBalancing is Off');
        const off = await t.csms.call('ChangeConfiguration', { key: 'SmartChargingMode', value: 'None' });
        t.equal(off.status, 'Rejected', 'a not-yet key cannot be written, not even back to its default (README "not supported yet")');

        await startLocalTransaction(t, { connector: 1, idTag: 'TAGLEGACY', ev: { phases: 3, max_current: 32 } });
        const c = await waitOffered(t, 1, (a) => a === 16, t.scaled(90) + 5000);
        t.ok(c, 'the stored value turns nothing on: static charging, a lone EV gets 32 / 2 = 16 A (docs/balancing.md static charging)', await t.cp.connector(1));
        const never = await waitOffered(t, 1, (a) => a > 16, 2000);
        t.ok(!never, 'and never more than its static share', never);
    },
};
