'use strict';
//security whitepaper: AuthorizationKey and SCN-AuthKey are
// write-only.  Writing AuthorizationKey is answered (Accepted, the CALLRESULT
// reaches the central system even if the charge point then reconnects with
// the new credentials); SCN-AuthKey signs the SCN's frames.  The
// values never appear in any GetConfiguration or frame, and AuthorizationKey
// survives a SIGKILL (the next connection uses the stored key).
const { bootAccepted } = require('../lib/steps');

const AUTH_KEY = '0123456789abcdef0123456789abcdef01234567';
const SCN_KEY = 'conformance-secret-1234';

module.exports = {
    title: 'write-only AuthorizationKey / SCN-AuthKey: answered, never read back, kept across SIGKILL',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const m0 = t.csms.mark();
        const r = await t.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: AUTH_KEY });
        t.equal(r.status, 'Accepted', 'ChangeConfiguration AuthorizationKey (40 hex digits) is answered Accepted before any reconnect (OCPP 1.6 §5.3, security whitepaper AuthorizationKey)');
        // The charge point may now reconnect with the new password (security profiles 1/2).
        await t.sleep(1500);
        await t.csms.waitConnected(10000);
        // SCN-AuthKey is write-only: taken (it signs the SCN's frames), never echoed.
        const s = await t.csms.call('ChangeConfiguration', { key: 'SCN-AuthKey', value: SCN_KEY });
        t.equal(s.status, 'Accepted', 'ChangeConfiguration SCN-AuthKey is Accepted (README key reference, docs/scn.md)');

        const all = await t.csms.call('GetConfiguration', {});
        const names = (all.configurationKey || []).map((k) => k.key);
        for (const k of ['AuthorizationKey', 'SCN-AuthKey']) {
            t.ok(!names.includes(k), `the write-only ${k} is not in the full GetConfiguration (the README key reference, security whitepaper)`, names);
        }
        const asked = await t.csms.call('GetConfiguration', { key: ['AuthorizationKey', 'SCN-AuthKey'] });
        t.ok(!(asked.configurationKey || []).length, 'write-only keys asked for by name return no value (the README key reference write-only)', asked);
        const leaks = t.csms.log.slice(m0).filter((e) => e.dir === 'in' && (e.raw.includes(AUTH_KEY) || e.raw.includes(SCN_KEY)));
        t.equal(leaks.length, 0, 'no frame from the charge point ever carries a write-only value (security whitepaper: write-only)');

        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was killed with SIGKILL');
        const before = t.csms.connections.length;
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });
        const conn = t.csms.connections[before];
        t.ok(conn, 'test setup: the restarted daemon connected', t.csms.connections);
        // Security whitepaper §3.2: Basic user = identity, password = the key's bytes (40 hex chars = 20 bytes).
        t.ok(conn.password && Buffer.from(conn.password).equals(Buffer.from(AUTH_KEY, 'hex')),
            'after a SIGKILL the stored AuthorizationKey is the Basic auth password (its 20 bytes) on the next connection (persisted, security whitepaper §3.2)',
            { authorization: conn.authorization, password: conn.password && Buffer.from(conn.password).toString('hex') });
    },
};
