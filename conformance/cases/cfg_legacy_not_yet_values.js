'use strict';
// A database written by an earlier release may hold SCN-IsEnabled=true.  The
// SCN is not implemented yet (README key reference: "not supported yet"),
// so such a value switches nothing on: the key is read-only and, with
// Static-LoadBalancing Off, two sockets on one feed charge statically
// (docs/balancing.md static charging: Station-MaxCurrent 32 split equally, a
// lone EV gets 16 A), not shared as if a balancing feature were on.
const { execFileSync } = require('child_process');
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

module.exports = {
    title: 'a stored SCN-IsEnabled from an earlier release is inert and read-only',
    timeScale: SCALE,
    connectors: 2,
    config: { 'Static-LoadBalancing': 'Off', MeterValueSampleInterval: 0 },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was stopped');
        execFileSync('sqlite3', [t.cp.db,
            "INSERT OR REPLACE INTO config(key, value) VALUES ('SCN-IsEnabled', 'true');"]);
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });

        const g = await t.csms.call('GetConfiguration', { key: ['SCN-IsEnabled', 'Static-LoadBalancing'] });
        const byKey = new Map((g.configurationKey || []).map((x) => [x.key, x]));
        t.equal(byKey.get('SCN-IsEnabled').readonly, true, 'SCN-IsEnabled is read-only until the SCN lands (README key reference)');
        t.equal(byKey.get('Static-LoadBalancing').value, 'Off', 'test setup: Static-LoadBalancing is Off');
        const off = await t.csms.call('ChangeConfiguration', { key: 'SCN-IsEnabled', value: 'false' });
        t.equal(off.status, 'Rejected', 'a not-yet key cannot be written, not even to false (README "not supported yet")');

        await startLocalTransaction(t, { connector: 1, idTag: 'TAGLEGACY', ev: { phases: 3, max_current: 32 } });
        const c = await waitOffered(t, 1, (a) => a === 16, t.scaled(90) + 5000);
        t.ok(c, 'the stored SCN switch turns no balancing on: static charging, a lone EV gets 32 / 2 = 16 A (docs/balancing.md static charging)', await t.cp.connector(1));
        const never = await waitOffered(t, 1, (a) => a > 16, 2000);
        t.ok(!never, 'and never more than its static share', never);
    },
};
