'use strict';
// Security profile 2 (OCPP 1.6 security whitepaper §3.2):
// wss:// with the server certificate verified (here against --ca-file) and
// HTTP Basic auth, user = identity, password = the AuthorizationKey's bytes
// (a 40-hex-digit key is 20 raw bytes).  A server whose certificate is not
// trusted is never spoken to.
const { testCertificate } = require('../lib/tls');
const fs = require('fs');
const https = require('https');
const { RPCServer } = require('ocpp-rpc');

const KEY = '00112233445566778899aabbccddeeff00112233';

module.exports = {
    title: 'wss:// with a verified server certificate and Basic auth (security profile 2); untrusted server refused',
    timeScale: 10,
    connectors: 1,
    config: { AuthorizationKey: KEY },
    autoStart: false,
    timeoutMs: 30000,
    async run(t) {
        const { keyPem, certPem } = testCertificate(t);

        const seen = [];
        const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
        server.auth((accept, reject, hs) => {
            seen.push({ identity: hs.identity, password: hs.password ? Buffer.from(hs.password).toString('hex') : null });
            accept();
        });
        const boots = [];
        server.on('client', (client) => {
            client.handle(({ method, params }) => {
                if (method === 'BootNotification') {
                    boots.push(params);
                    return { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() };
                }
                if (method === 'Heartbeat') return { currentTime: new Date().toISOString() };
                return {};
            });
        });
        const hsrv = https.createServer({ key: fs.readFileSync(keyPem), cert: fs.readFileSync(certPem) });
        hsrv.on('upgrade', server.handleUpgrade);
        await new Promise((res) => hsrv.listen(0, '127.0.0.1', res));
        const port = hsrv.address().port;
        try {
            // Untrusted: the system CAs do not know this certificate.
            t.cp.o.url = `wss://localhost:${port}/ocpp`;
            await t.cp.start();
            await t.sleep(1500);
            t.equal(seen.length, 0, 'a server whose certificate is not trusted gets no handshake (TLS verification, security profile 2)');
            await t.cp.stop();

            // Trusted through --ca-file.
            t.cp.o.extraArgs = ['--ca-file', certPem];
            await t.cp.start();
            const end = Date.now() + 8000;
            while (boots.length === 0 && Date.now() < end) await t.sleep(100);
            t.equal(boots.length >= 1, true, 'over wss:// with a trusted certificate the station boots (ws:// and wss://)');
            t.ok(seen.length >= 1, 'the handshake reached the server');
            t.equal(seen[seen.length - 1].identity, t.cp.o.id, 'Basic auth user is the charge point identity (security whitepaper §3.2)');
            t.equal(seen[seen.length - 1].password, KEY,
                'Basic auth password is the AuthorizationKey as raw bytes: 40 hex digits are 20 bytes (security whitepaper §3.2)');
        } finally {
            await t.cp.stop().catch(() => {});
            await server.close({ awaitPending: false }).catch(() => {});
            hsrv.close();
        }
    },
};
