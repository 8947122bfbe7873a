'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Upgrade Charge Point
// Security Profile" (OCTT TC_083 / TC_084 / TC_087 for 1.6), over wss://.
//
// The station starts without --ca-file and without installed roots, so it
// verifies the server with the system's CAs (docs/security.md); the case
// makes csRoot the "system" CA through OpenSSL's SSL_CERT_FILE.  That is a
// connection without a trusted root in the whitepaper's sense.
//
//   - SecurityProfile=2 before a CentralSystemRootCertificate is installed,
//     and 3 before the station has a client certificate: Rejected (the
//     prerequisites of the profile are not met);
//   - with the root installed, 2 is Accepted: the station reconnects with
//     Basic auth (user = identity, password = AuthorizationKey) and reports
//     ReconfigurationOfSecurityParameters;
//   - lowering it (1, 0) is Rejected (A00.FR.005: not via OCPP);
//   - with a client certificate from the CSR flow, 3 is Accepted: the
//     station reconnects presenting that certificate in the TLS handshake
//     (subject CN = identity, issued by the client CA; the server now
//     refuses any handshake without one) and no Basic credentials, reports
//     ReconfigurationOfSecurityParameters, and keeps profile 3 across a
//     SIGKILL.
const { makePki, tlsStart, waitSecurityEvent, enrolClientCertificate, raiseProfile } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const UC = 'Upgrade Charge Point Security Profile';
const KEY = '00112233445566778899aabbccddeeff00112233';

async function profileValue(t) {
    const g = await t.csms.call('GetConfiguration', { key: ['SecurityProfile'] });
    return g.configurationKey && g.configurationKey[0] && g.configurationKey[0].value;
}

function hex(b) { return b ? Buffer.from(b).toString('hex') : null; }

module.exports = {
    title: 'SecurityProfile 0→2→3 over wss://: prerequisites, Basic auth, client certificate in the TLS handshake, no lowering',
    timeScale: 10,
    connectors: 1,
    config: { AuthorizationKey: KEY },
    autoStart: false,
    timeoutMs: 150000,
    async run(t) {
        const pki = makePki(t);
        t.cp.setEnv({ SSL_CERT_FILE: pki.csRoot.cert });
        await tlsStart(t, pki, { requestCert: true, caFile: null });
        await bootAccepted(t, { connectors: 1, timeoutMs: 15000 });
        const id = t.cp.o.id;

        let r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' });
        t.equal(r.status, 'Rejected', `SecurityProfile=2 without an installed CentralSystemRootCertificate: Rejected (${UC}: prerequisites)`);
        r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' });
        t.equal(r.status, 'Rejected', `SecurityProfile=3 without a root and a client certificate: Rejected (${UC}: prerequisites)`);

        r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', 'InstallCertificate CentralSystemRootCertificate: Accepted (Install CA certificate in a Charge Point)');
        r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '3' });
        t.equal(r.status, 'Rejected', `SecurityProfile=3 without a ChargePointCertificate: Rejected (${UC}: prerequisites)`);

        // Profile 2.
        let m = t.csms.mark();
        let hs = await raiseProfile(t, 2);
        t.equal(hs.identity, id, 'test sanity: the new handshake is the station\'s');
        t.equal(hex(hs.password), KEY, `with SecurityProfile 2 the station sends Basic auth, password = the AuthorizationKey's bytes (${UC}; whitepaper §2 profile 2)`);
        await waitSecurityEvent(t, 'ReconfigurationOfSecurityParameters', { since: m, timeoutMs: 15000,
            rule: `the accepted change of SecurityProfile is reported with SecurityEventNotification ReconfigurationOfSecurityParameters (${UC}; security events)` });
        t.equal(await profileValue(t), '2', `GetConfiguration SecurityProfile shows 2 once connected with it (${UC})`);

        for (const lower of ['1', '0']) {
            r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: lower });
            t.equal(r.status, 'Rejected', `lowering SecurityProfile 2 → ${lower} over OCPP: Rejected (Security Whitepaper A00.FR.005)`);
        }
        t.equal(await profileValue(t), '2', 'the refused lowering left SecurityProfile at 2 (Security Whitepaper A00.FR.005)');

        // A client certificate, then profile 3 with a server that insists on it.
        const { chain } = await enrolClientCertificate(t, pki);
        const leafSerial = pki.hashData(chain, pki.clientCa.pem).serialNumber;
        t.csms.setServerCert({ requireClientCert: true });
        m = t.csms.mark();
        hs = await raiseProfile(t, 3);
        t.ok(hs.tls && hs.tls.peer, `with SecurityProfile 3 the station presents its client certificate in the TLS handshake (${UC}; whitepaper §2 profile 3)`, hs.tls);
        t.equal(hs.tls.peer.subject.CN, id, `the client certificate presented is the one signed for its CSR: subject CN = identity (${UC})`);
        t.equal(hs.tls.peer.issuer.CN, 'Charge Point CA', `the client certificate presented is issued by the CA that signed the CSR (${UC})`);
        t.equal(hs.tls.peer.serialNumber.toLowerCase().replace(/^0+/, ''), leafSerial, `the client certificate presented is the one from CertificateSigned (${UC})`);
        t.equal(hs.tls.authorized, true, `the client certificate verifies against the client CA and root (${UC})`);
        t.equal(hs.authorization, undefined, `with SecurityProfile 3 the station authenticates with its certificate, no HTTP Basic credentials (whitepaper §2 profile 3)`);
        await waitSecurityEvent(t, 'ReconfigurationOfSecurityParameters', { since: m, timeoutMs: 15000,
            rule: `the change to SecurityProfile 3 is reported with SecurityEventNotification ReconfigurationOfSecurityParameters (${UC}; security events)` });
        t.equal(await profileValue(t), '3', `GetConfiguration SecurityProfile shows 3 once connected with it (${UC})`);

        // Durable: key, certificate and profile survive a power cut.
        await t.cp.kill('SIGKILL');
        m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, connectors: 1, timeoutMs: 20000 });
        hs = t.csms.connections[t.csms.connections.length - 1];
        t.ok(hs.tls && hs.tls.authorized && hs.tls.peer && hs.tls.peer.subject.CN === id,
            'after a SIGKILL the station reconnects with profile 3 and its client certificate (the key and certificate are stored durably)', hs.tls);
        t.equal(hs.authorization, undefined, 'after the restart still no Basic credentials (whitepaper §2 profile 3)');
    },
};
