'use strict';
// OCPP 1.6 Security Whitepaper, "Update Charge Point Password for HTTP Basic
// Authentication": ChangeConfiguration AuthorizationKey → Accepted, the
// station reconnects with the new password (user = identity, password = the
// key's bytes) and reports ReconfigurationOfSecurityParameters; the key is
// never read back and never written to the log.
const { bootAccepted } = require('../lib/steps');

const OLD = '00112233445566778899aabbccddeeff00112233';
const NEW = 'ffeeddccbbaa99887766554433221100ffeeddcc';

module.exports = {
    title: 'AuthorizationKey update: Accepted, reconnect with the new Basic password, ReconfigurationOfSecurityParameters; key never logged',
    timeScale: 10,
    connectors: 1,
    config: { AuthorizationKey: OLD, SecurityProfile: '1' },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const pw = (c) => (c.password ? Buffer.from(c.password).toString('hex') : null);
        const first = t.csms.connections[t.csms.connections.length - 1];
        t.equal(pw(first), OLD, 'setup: profile 1 sends the provisioned key as the Basic password');
        const n = t.csms.connections.length;
        const r = await t.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: NEW });
        t.equal(r.status, 'Accepted', 'ChangeConfiguration AuthorizationKey is Accepted');
        const end = Date.now() + 10000;
        while (t.csms.connections.length <= n && Date.now() < end) await t.sleep(100);
        const next = t.csms.connections[t.csms.connections.length - 1];
        t.ok(t.csms.connections.length > n, 'the station reconnects to use the new password');
        t.equal(pw(next), NEW, 'the new connection authenticates with the new key (security whitepaper: Basic password = key bytes)');
        const ev = await t.csms.waitFor('SecurityEventNotification', (p) => p.type === 'ReconfigurationOfSecurityParameters', 10000);
        t.ok(ev, 'the change is reported as ReconfigurationOfSecurityParameters');
        const g = await t.csms.call('GetConfiguration', { key: ['AuthorizationKey'] });
        t.equal(JSON.stringify(g.unknownKey), JSON.stringify(['AuthorizationKey']), 'the key is write-only: never read back');
        const log = t.cp.readLog();
        t.ok(!log.includes(NEW) && !log.includes(OLD.toUpperCase()) && !log.toLowerCase().includes('ffeeddccbbaa'),
            'neither key appears in the daemon log (not even the frames at debug level)');
    },
};
