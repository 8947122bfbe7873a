'use strict';
// A self-signed server certificate for localhost / 127.0.0.1, made with the
// openssl command line in the case's temp dir (valid two days).  A machine
// without openssl skips the case, saying why.
const path = require('path');
const { spawnSync } = require('child_process');

function testCertificate(t) {
    const keyPem = path.join(t.dir, 'key.pem'), certPem = path.join(t.dir, 'cert.pem');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPem,
        '-out', certPem, '-days', '2', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
    if (gen.status !== 0) t.skip(`openssl could not make a test certificate: ${gen.stderr || gen.error}`);
    return { keyPem, certPem };
}

module.exports = { testCertificate };
