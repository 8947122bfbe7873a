'use strict';
// A central system that offers only TLS 1.1 is refused: the OCPP 1.6
// security whitepaper (security profiles 2 and 3) requires TLS 1.2 or above, and the
// station sets that floor itself rather than trusting the platform's
// OpenSSL configuration.  To show it, the daemon runs with an OpenSSL
// configuration that allows TLS 1.0 and legacy signatures (as older
// distributions ship); the server's certificate is trusted (--ca-file), so
// the protocol version is the only reason left to refuse.  A TLS 1.2 server
// under the same configuration completes the handshake.
const { testCertificate } = require('../lib/tls');
const fs = require('fs');
const path = require('path');
const tls = require('tls');

const PERMISSIVE_CNF = `openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT@SECLEVEL=0
`;

async function tlsServer(t, keyPem, certPem, maxVersion) {
    const seen = { secure: [], refused: [] };
    const srv = tls.createServer({
        key: fs.readFileSync(keyPem), cert: fs.readFileSync(certPem),
        minVersion: 'TLSv1.1', maxVersion, ciphers: 'DEFAULT@SECLEVEL=0',
    }, (sock) => {
        seen.secure.push(sock.getProtocol());
        sock.destroy(); // no websocket: only the TLS handshake is judged
    });
    srv.on('tlsClientError', (e) => seen.refused.push(e.code || e.message));
    await new Promise((res) => srv.listen(0, '127.0.0.1', res));
    return { srv, seen, port: srv.address().port };
}

module.exports = {
    title: 'wss://: a TLS 1.1-only central system is refused (TLS 1.2 minimum set by the station), TLS 1.2 accepted',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 40000,
    async run(t) {
        const { keyPem, certPem } = testCertificate(t);
        const cnf = path.join(t.dir, 'openssl-permissive.cnf');
        fs.writeFileSync(cnf, PERMISSIVE_CNF);

        const old = await tlsServer(t, keyPem, certPem, 'TLSv1.1');
        const good = await tlsServer(t, keyPem, certPem, 'TLSv1.2');
        const savedConf = process.env.OPENSSL_CONF;
        process.env.OPENSSL_CONF = cnf; // inherited by the daemon only
        try {
            t.cp.o.extraArgs = ['--ca-file', certPem];
            t.cp.o.url = `wss://localhost:${old.port}/ocpp`;
            await t.cp.start();
            const end = Date.now() + 8000;
            while (old.seen.secure.length + old.seen.refused.length === 0 && Date.now() < end) await t.sleep(100);
            await t.sleep(500);
            t.equal(old.seen.secure, [], 'no TLS 1.1 session is ever established (security whitepaper, profiles 2 and 3: TLS 1.2 or above)');
            t.ok(old.seen.refused.length >= 1, 'the station tried the TLS 1.1 server and refused it in the handshake', old.seen);
            await t.cp.stop();

            t.cp.o.url = `wss://localhost:${good.port}/ocpp`;
            await t.cp.start();
            const end2 = Date.now() + 8000;
            while (good.seen.secure.length === 0 && Date.now() < end2) await t.sleep(100);
            t.equal(good.seen.secure[0], 'TLSv1.2', 'a TLS 1.2 server under the same configuration completes the handshake');
        } finally {
            if (savedConf === undefined) delete process.env.OPENSSL_CONF;
            else process.env.OPENSSL_CONF = savedConf;
            old.srv.close();
            good.srv.close();
        }
    },
};
