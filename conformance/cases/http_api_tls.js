'use strict';
// The installer page over HTTPS (docs/http.md: --http-cert / --http-key):
// the API answers over TLS with the configured certificate, still behind
// Basic auth; plain HTTP on that port gets nothing.  Without an
// Installer-Password the daemon refuses --http (exit 2, saying why).
const fs = require('fs');
const http = require('http');
const https = require('https');
const { testCertificate } = require('../lib/tls');
const { freePort, runFor } = require('../lib/util');

const PW = 'secret-pw-1';

function get(mod, port, opts = {}) {
    return new Promise((resolve) => {
        const req = mod.request({ host: '127.0.0.1', port, path: '/api/status', method: 'GET', timeout: 3000, agent: false, ...opts }, (res) => {
            const cert = res.socket && res.socket.getPeerCertificate ? res.socket.getPeerCertificate() : null;
            let d = '';
            res.on('data', (c) => { d += c; });
            res.on('end', () => resolve({ code: res.statusCode, text: d, cert }));
        });
        req.on('timeout', () => { req.destroy(new Error('timeout')); });
        req.on('error', (e) => resolve({ error: e.message }));
        req.end();
    });
}

module.exports = {
    title: 'Installer API over HTTPS with a configured certificate; no Installer-Password → --http refused (exit 2)',
    connectors: 1,
    config: { 'Installer-Password': PW },
    autoStart: false,
    timeoutMs: 30000,
    async run(t) {
        const { keyPem, certPem } = testCertificate(t);
        const auth = 'Basic ' + Buffer.from(`installer:${PW}`).toString('base64');

        // No password: refused before anything is served.
        const port0 = await freePort();
        const r0 = await runFor(t.cp.o.bin, ['--url', t.csms.url, '--id', 'CP_nopw', '--db', `${t.dir}/nopw.db`,
            '--http', `127.0.0.1:${port0}`], 4000);
        t.equal(r0.code, 2, '--http without an Installer-Password: exit 2 (bad arguments)');
        t.ok(/Installer-Password/.test(r0.stderr), 'and the daemon says why', r0.stderr);
        const r1 = await runFor(t.cp.o.bin, ['--url', t.csms.url, '--id', 'CP_nopw', '--db', `${t.dir}/nopw.db`,
            '--http', `127.0.0.1:${port0}`, '--http-cert', certPem], 4000);
        t.equal(r1.code, 2, '--http-cert without --http-key: exit 2');

        const port = await freePort();
        t.cp.o.extraArgs = ['--http', `127.0.0.1:${port}`, '--http-cert', certPem, '--http-key', keyPem];
        await t.start();
        const ok = await get(https, port, { headers: { Authorization: auth }, ca: fs.readFileSync(certPem), servername: 'localhost' });
        t.equal(ok.code, 200, 'GET /api/status over HTTPS with the credentials → 200');
        t.ok(ok.cert && ok.cert.subject && ok.cert.subject.CN === 'localhost', 'served with the configured certificate', ok.cert && ok.cert.subject);
        const noAuth = await get(https, port, { ca: fs.readFileSync(certPem), servername: 'localhost' });
        t.equal(noAuth.code, 401, 'over HTTPS too, no credentials → 401');
        const plain = await get(http, port, { headers: { Authorization: auth } });
        t.ok(plain.error || plain.code !== 200, 'plain HTTP on the HTTPS port gets no status', plain);
    },
};
