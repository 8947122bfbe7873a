'use strict';
// The firmware signing PKI of the signed-firmware cases (OCPP 1.6 Security
// Whitepaper, "Secure Firmware Update"), made at run time with the openssl
// command line in the case's temp dir:
//   - a manufacturer root CA (what InstallCertificate ManufacturerRootCertificate
//     installs) and a firmware signing certificate it issues;
//   - a stranger root CA with its own signing certificate, which the station
//     must not trust.
// Keys are RSA 2048 (signatures RSA PKCS#1 v1.5) or EC P-256 (ECDSA, DER), all
// certificates valid from now for two days.  A signature is
// `openssl dgst -sha256 -sign key -out sig file`, in base64, as the central
// system would send it.  A machine without openssl skips the case, saying why.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

// One openssl run; a failure skips the case (no openssl) or fails it.
function openssl(t, args, what) {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.error && r.error.code === 'ENOENT') t.skip('openssl is not installed: the signing PKI cannot be made');
    if (r.status !== 0) throw new Error(`openssl ${what} failed: ${r.stderr || r.error}`);
    return r.stdout;
}

// Extensions of RFC 5280 §4.2.1: CAs with basicConstraints cA and keyCertSign,
// signing certificates with digitalSignature only.
const EXT = `[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function serial() {
    // Positive, 16 octets (RFC 5280 §4.1.2.2: at most 20).
    return '0x' + (crypto.randomBytes(16)[0] & 0x7f).toString(16).padStart(2, '0') + crypto.randomBytes(15).toString('hex');
}

function newKey(t, file, keyType) {
    if (keyType === 'ec') {
        openssl(t, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], 'EC key');
    } else {
        openssl(t, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file], 'RSA key');
    }
}

/** A root CA and a signing certificate it issued, in dir: {rootPem, signerPem, signerKey, sign(buf)}. */
function makeSigner(t, dir, name, keyType) {
    fs.mkdirSync(dir, { recursive: true });
    const ext = path.join(dir, 'ext.cnf');
    fs.writeFileSync(ext, EXT);
    const rootKey = path.join(dir, 'root.key'), root = path.join(dir, 'root.pem');
    const signerKey = path.join(dir, 'signer.key'), csr = path.join(dir, 'signer.csr'), signer = path.join(dir, 'signer.pem');
    newKey(t, rootKey, keyType);
    const rootCsr = path.join(dir, 'root.csr');
    openssl(t, ['req', '-new', '-key', rootKey, '-subj', `/O=${name}/CN=${name} Root CA`, '-out', rootCsr], 'root CSR');
    openssl(t, ['x509', '-req', '-in', rootCsr, '-signkey', rootKey, '-days', '2', '-sha256', '-set_serial', serial(),
        '-extfile', ext, '-extensions', 'ca', '-out', root], 'root certificate');
    newKey(t, signerKey, keyType);
    openssl(t, ['req', '-new', '-key', signerKey, '-subj', `/O=${name}/CN=${name} Firmware Signing`, '-out', csr], 'signer CSR');
    openssl(t, ['x509', '-req', '-in', csr, '-CA', root, '-CAkey', rootKey, '-days', '2', '-sha256', '-set_serial', serial(),
        '-extfile', ext, '-extensions', 'signer', '-out', signer], 'signing certificate');
    let n = 0;
    return {
        rootPem: fs.readFileSync(root, 'utf8'),
        signerPem: fs.readFileSync(signer, 'utf8'),
        signerKey,
        /** base64 of `openssl dgst -sha256 -sign signer.key` over data. */
        sign(data) {
            n++;
            const file = path.join(dir, `image-${n}.bin`), sig = path.join(dir, `image-${n}.sig`);
            fs.writeFileSync(file, data);
            openssl(t, ['dgst', '-sha256', '-sign', signerKey, '-out', sig, file], 'dgst -sign');
            return fs.readFileSync(sig).toString('base64');
        },
    };
}

/**
 * The manufacturer's PKI and a stranger's, under t.dir:
 * {maker: {rootPem, signerPem, sign}, stranger: {rootPem, signerPem, sign}}.
 */
function firmwarePki(t, { keyType = 'rsa' } = {}) {
    return {
        maker: makeSigner(t, path.join(t.dir, `pki-maker-${keyType}`), 'Maker', keyType),
        stranger: makeSigner(t, path.join(t.dir, `pki-stranger-${keyType}`), 'Stranger', keyType),
    };
}

/** InstallCertificate of a ManufacturerRootCertificate; asserts Accepted. */
async function installManufacturerRoot(t, pem) {
    const r = await t.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: pem });
    t.equal(r.status, 'Accepted', 'test setup: InstallCertificate ManufacturerRootCertificate is Accepted (whitepaper "Install CA certificate in a Charge Point")');
}

module.exports = { firmwarePki, installManufacturerRoot };
