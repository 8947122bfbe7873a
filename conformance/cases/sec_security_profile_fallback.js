'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), "Upgrade Charge Point Security
// Profile" when the new profile does not work: the station was raised from
// 2 to 3 (Accepted, it has a client certificate), but the central system
// refuses every connection without Basic credentials (HTTP 401), as a
// central system that does not accept this station's certificate would.
// The station reports FailedToAuthenticateAtCentralSystem, and when no
// connection came up within --security-fallback seconds it goes back to
// profile 2 (docs/security.md: the fall-back, the only way down and only the
// station's own), reports ReconfigurationOfSecurityParameters and connects
// again with Basic auth.
const { makePki, tlsStart, waitSecurityEvent, enrolClientCertificate, raiseProfile } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const UC = 'Upgrade Charge Point Security Profile';
const KEY = '00112233445566778899aabbccddeeff00112233';
const FALLBACK_S = 5;

function hex(b) { return b ? Buffer.from(b).toString('hex') : null; }

module.exports = {
    title: 'SecurityProfile 2→3 Accepted but refused by the central system: FailedToAuthenticateAtCentralSystem, back to 2 after --security-fallback',
    timeScale: 10,
    connectors: 1,
    config: { AuthorizationKey: KEY },
    autoStart: false,
    timeoutMs: 120000,
    async run(t) {
        const pki = makePki(t);
        await tlsStart(t, pki, { extraArgs: ['--security-fallback', String(FALLBACK_S)] });
        await bootAccepted(t, { connectors: 1, timeoutMs: 15000 });
        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', 'test setup: InstallCertificate CentralSystemRootCertificate Accepted');
        await raiseProfile(t, 2);
        await enrolClientCertificate(t, pki);

        // From now on only Basic credentials get in.
        t.csms.handshakeFilter = (info) => (info.password ? null : { code: 401, message: 'Unauthorized' });
        const m = t.csms.mark();
        r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' });
        t.equal(r.status, 'Accepted', `SecurityProfile=3 with a root and a client certificate: Accepted (${UC})`);
        const t3 = Date.now();
        const refused = await t.csms.waitForEntry((e) => e.type === 'REFUSED', 15000,
            { since: m, what: 'a refused handshake', rule: `after the Accepted raise the station reconnects with profile 3, no Basic credentials (${UC})` });
        t.equal(refused.authorization, undefined, `the profile 3 attempt carries no Basic credentials (whitepaper §2 profile 3)`);

        const back = await t.csms.waitForEntry((e) => e.type === 'CONNECT', FALLBACK_S * 1000 + 20000,
            { since: m, what: 'a connection after the fall-back', rule: `with no connection on profile 3 within --security-fallback the station goes back to profile 2 and connects (${UC}; docs/security.md fall-back)` });
        const waited = (back.t - t3) / 1000;
        t.atLeast(waited, FALLBACK_S - 1.5, `the station keeps trying profile 3 for --security-fallback (${FALLBACK_S} s) before it falls back (${UC}; docs/security.md)`);
        const hs = t.csms.connections[t.csms.connections.length - 1];
        t.equal(hex(hs.password), KEY, 'back on profile 2 the station authenticates with Basic auth again (whitepaper §2 profile 2)');

        await waitSecurityEvent(t, 'FailedToAuthenticateAtCentralSystem', { since: m, timeoutMs: 15000,
            rule: 'the refused credentials are reported with FailedToAuthenticateAtCentralSystem once connected (Security Whitepaper, security events)' });
        await t.csms.waitFor('SecurityEventNotification', (p) => p.type === 'ReconfigurationOfSecurityParameters' && p.timestamp, 15000,
            { since: back.index, desc: 'ReconfigurationOfSecurityParameters after the fall-back',
                rule: `the fall-back is reported with ReconfigurationOfSecurityParameters (${UC}; docs/security.md)` });
        const g = await t.csms.call('GetConfiguration', { key: ['SecurityProfile'] });
        t.equal(g.configurationKey[0].value, '2', `after the fall-back SecurityProfile reads 2 (${UC}; docs/security.md)`);
    },
};
