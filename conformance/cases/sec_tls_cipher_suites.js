'use strict';
// OCPP 1.6 Security Whitepaper, security profiles 2 and 3: TLS 1.2 or above,
// and under TLS 1.2 only the whitepaper's cipher suites (ECDHE key exchange
// with AES-GCM: TLS_ECDHE_{ECDSA,RSA}_WITH_AES_{128,256}_GCM_SHA{256,384}).
// A TLS 1.2 server that offers only a static-RSA or a CBC suite gets no
// handshake; one with an ECDHE-RSA-AES-GCM suite does.
const { testCertificate } = require('../lib/tls');
const fs = require('fs');
const https = require('https');
const { RPCServer } = require('ocpp-rpc');

module.exports = {
    title: 'wss:// over TLS 1.2: only the whitepaper\'s ECDHE AES-GCM suites are offered; static RSA and CBC suites refused',
    connectors: 1,
    autoStart: false,
    timeoutMs: 40000,
    async run(t) {
        const { keyPem, certPem } = testCertificate(t);
        const tryCiphers = async (ciphers) => {
            const seen = [];
            const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
            server.auth((accept) => { seen.push(1); accept(); });
            server.on('client', (c) => c.handle(({ method }) => (method === 'BootNotification'
                ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {})));
            const hsrv = https.createServer({
                key: fs.readFileSync(keyPem), cert: fs.readFileSync(certPem),
                minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers,
            });
            let negotiated = null;
            hsrv.on('secureConnection', (sock) => { negotiated = sock.getCipher().name; });
            hsrv.on('upgrade', server.handleUpgrade);
            await new Promise((res) => hsrv.listen(0, '127.0.0.1', res));
            try {
                t.cp.o.url = `wss://localhost:${hsrv.address().port}/ocpp`;
                t.cp.o.extraArgs = ['--ca-file', certPem];
                await t.cp.start();
                const end = Date.now() + 4000;
                while (seen.length === 0 && Date.now() < end) await t.sleep(100);
                await t.cp.stop();
            } finally {
                await server.close({ awaitPending: false }).catch(() => {});
                hsrv.close();
            }
            return { handshakes: seen.length, negotiated };
        };

        for (const c of ['AES128-GCM-SHA256', 'AES256-SHA256', 'ECDHE-RSA-AES128-SHA256']) {
            const r = await tryCiphers(c);
            t.equal(r.handshakes, 0, `a TLS 1.2 server offering only ${c} is refused (not a whitepaper suite)`);
        }
        for (const c of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384']) {
            const r = await tryCiphers(c);
            t.ok(r.handshakes >= 1, `a TLS 1.2 server with ${c} is spoken to (whitepaper suite)`);
            t.equal(r.negotiated, c, `the handshake used ${c}`);
        }
    },
};
