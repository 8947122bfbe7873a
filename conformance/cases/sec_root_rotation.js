'use strict';
// OCPP 1.6 Security Whitepaper (edition 3): renewing the Central System's
// root ("Install CA certificate in a Charge Point", AdditionalRootCertificateCheck
// False).  The station starts trusting csRoot only (--ca-file, and installed).
// A server certificate of csRoot2 is refused (control) until the central
// system installs csRoot2 with InstallCertificate; then, with the server
// certificate switched and the connection dropped, the station reconnects to
// the server it now trusts, without a restart.
const { makePki, tlsStart } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

const UC = 'Install CA certificate in a Charge Point';

module.exports = {
    title: 'Root rotation: a server certificate of a new root is trusted once InstallCertificate brought that root, without restart',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 90000,
    async run(t) {
        const pki = makePki(t);
        await tlsStart(t, pki);
        await bootAccepted(t, { connectors: 1, timeoutMs: 15000 });
        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', `InstallCertificate of the root in use: Accepted (${UC})`);

        // Control: csRoot2 is not trusted yet.
        let m = t.csms.mark();
        t.csms.setServerCert({ key: pki.server2.key, cert: pki.server2.pem });
        t.csms.drop();
        const refused = await pollUntil(() => t.csms.log.slice(m).some((e) => e.type === 'TLS_ERROR'), 15000);
        t.ok(refused, 'before its root is installed a server certificate of csRoot2 fails the TLS handshake (Security Whitepaper §2, server authentication)');
        t.equal(t.csms.log.slice(m).filter((e) => e.type === 'CONNECT').length, 0, 'no handshake reaches a server the station does not trust yet (Security Whitepaper §2)');

        m = t.csms.mark();
        t.csms.setServerCert({ key: pki.server.key, cert: pki.server.pem });
        await t.csms.waitForEntry((e) => e.type === 'CONNECT', 20000, { since: m, what: 'a reconnection', rule: 'back on the csRoot certificate the station reconnects (OCPP-J reconnect)' });

        r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot2.pem });
        t.equal(r.status, 'Accepted', `InstallCertificate of the new root csRoot2: Accepted (${UC}; AdditionalRootCertificateCheck False: it need not be signed by the old one)`);

        m = t.csms.mark();
        t.csms.setServerCert({ key: pki.server2.key, cert: pki.server2.pem });
        t.csms.drop();
        await t.csms.waitForEntry((e) => e.type === 'CONNECT', 20000, { since: m, what: 'a reconnection to the server with the new certificate',
            rule: `with csRoot2 installed the station verifies the new server certificate and reconnects, without a restart (${UC})` });
        t.equal(t.cp.exits.length, 0, 'the new root is used without restarting the daemon');
        m = t.csms.mark();
        r = await t.csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
        t.equal(r.status, 'Accepted', 'the station answers over the new connection (OCPP 1.6 §5.17)');
        await t.csms.waitFor('Heartbeat', null, 5000, { since: m, rule: 'and talks over it (OCPP 1.6 §5.17)' });
    },
};
