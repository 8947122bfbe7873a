'use strict';
// Server authentication over TLS (OCPP 1.6 Security Whitepaper edition 3,
// §2 security profiles 2 and 3: the Central System authenticates itself with
// its TLS server certificate) and the security event
// InvalidCentralSystemCertificate.
//
// The station trusts csRoot (--ca-file); the central system presents a
// certificate from a CA nobody trusts.  The station must end the TLS
// handshake: no websocket upgrade, no OCPP message reaches that server.  Once
// the server shows its csRoot certificate again the station connects and
// reports InvalidCentralSystemCertificate.  The event is kept like any
// security event: noticed while offline, it survives a SIGKILL and is sent
// after the restart.
const { makePki, tlsStart, waitSecurityEvent } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

const RULE_TRUST = 'no websocket handshake reaches a server whose certificate does not chain to a trusted root (Security Whitepaper §2, TLS server authentication)';

function tlsErrors(t, since) {
    return t.csms.log.slice(since).filter((e) => e.type === 'TLS_ERROR').length;
}

module.exports = {
    title: 'wss:// server certificate of an unknown CA: TLS refused; once trusted, InvalidCentralSystemCertificate (also across a SIGKILL)',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 90000,
    async run(t) {
        const pki = makePki(t);

        // 1. An untrusted server: the station tries and refuses.
        await tlsStart(t, pki, { server: pki.strangerServer });
        const tried = await pollUntil(() => tlsErrors(t, 0) >= 2, 15000);
        t.ok(tried, 'the station keeps trying to connect (with back-off) and fails the TLS handshake with a server it does not trust (OCPP-J §7 reconnect; Security Whitepaper §2)',
            t.csms.log.filter((e) => e.type === 'TLS_ERROR' || e.type === 'TLS'));
        t.equal(t.csms.connections.length, 0, RULE_TRUST);
        t.equal(t.csms.calls().length, 0, 'no OCPP message is sent to an untrusted server (Security Whitepaper §2)');

        // 2. The trusted certificate again: connect, then report the refusal.
        let m = t.csms.mark();
        t.csms.setServerCert({ key: pki.server.key, cert: pki.server.pem });
        await bootAccepted(t, { since: m, connectors: 1, timeoutMs: 20000 });
        const ev = await waitSecurityEvent(t, 'InvalidCentralSystemCertificate', { since: m, timeoutMs: 15000,
            rule: 'after a server certificate failed verification the station reports InvalidCentralSystemCertificate once connected (Security Whitepaper, security events: InvalidCentralSystemCertificate)' });
        t.ok(!Number.isNaN(Date.parse(ev.payload.timestamp)), 'the security event carries its timestamp (SecurityEventNotification.req)', ev.payload);

        // 3. Untrusted again, the refusal noticed offline, then a power cut
        //    before the station could tell anyone: the event survives.
        m = t.csms.mark();
        t.csms.setServerCert({ key: pki.strangerServer.key, cert: pki.strangerServer.pem });
        t.csms.drop();
        const tried2 = await pollUntil(() => tlsErrors(t, m) >= 1, 15000);
        t.ok(tried2, 'after the connection dropped the station reconnects and fails the handshake with the untrusted server (Security Whitepaper §2)');
        t.equal(t.csms.log.slice(m).filter((e) => e.type === 'CONNECT').length, 0, RULE_TRUST);
        await t.sleep(1500);   // the daemon has noted the refusal by now
        await t.cp.kill('SIGKILL');
        t.csms.setServerCert({ key: pki.server.key, cert: pki.server.pem });
        m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, connectors: 1, timeoutMs: 20000 });
        await waitSecurityEvent(t, 'InvalidCentralSystemCertificate', { since: m, timeoutMs: 15000,
            rule: 'a security event noticed while offline is stored like a transaction message: it survives a SIGKILL and is sent after the restart (Security Whitepaper, security events)' });
    },
};
