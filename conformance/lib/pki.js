'use strict';
// A small public key infrastructure for the security cases (OCPP 1.6
// Security Whitepaper, edition 3), made at run time with the `openssl`
// command line in the case's temp dir.  A machine without openssl skips the
// case, saying why.
//
//   const pki = makePki(t);
//   pki.csRoot        Central System root CA (EC P-256)
//   pki.server        its server certificate for localhost / 127.0.0.1
//   pki.csRoot2       a second Central System root (RSA 2048), for rotation
//   pki.server2       a server certificate signed by csRoot2
//   pki.stranger      a CA nobody trusts, and pki.strangerServer signed by it
//   pki.clientCa      the CA that signs the station's CSRs: an intermediate
//                     under csRoot, so a chain leaf + clientCa ends at the
//                     installed Central System root
//   pki.mfRoot        a manufacturer root
//   pki.signCsr(csrPem, {days, ca, expired})  -> leaf PEM + issuing CA PEM
//   pki.wrongKeyChain(subjectCn, {ca})        -> a chain whose leaf has a
//                                                key the station never made
//   pki.notCa()        a self-signed certificate that is no CA
//   pki.expiredCa()    a self-signed CA certificate that has expired
//   pki.newCa(name, {parent, expired, rsa})   -> another CA
//   pki.hashData(certPem, issuerPem?)         -> CertificateHashDataType
//   pki.verifyCsr(csrPem) -> {ok, subject: {CN, O, ...}, error}
//
// Each party is {name, key, cert} (paths) with pem (the certificate text)
// and keyPem.  Certificates are issued with `openssl ca`, which can set
// notBefore / notAfter in the past (-startdate / -enddate): OpenSSL 3.0's
// `x509` has no option for that.  Validity starts a day back so that a
// station clock a little behind the host's still finds them valid.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

const DAY = 86400 * 1000;

function asn1Time(ms) {
    // YYYYMMDDHHMMSSZ (GeneralizedTime form, accepted by `openssl ca`).
    return new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

// ---- a minimal DER reader (enough for Certificate and SubjectPublicKeyInfo) ----

function derItem(buf, off) {
    const tag = buf[off];
    let len = buf[off + 1];
    let hdr = 2;
    if (len & 0x80) {
        const n = len & 0x7f;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + buf[off + 2 + i];
        hdr = 2 + n;
    }
    return { tag, off, hdr, len, start: off + hdr, end: off + hdr + len };
}

function derChildren(buf, item) {
    const out = [];
    for (let o = item.start; o < item.end;) {
        const c = derItem(buf, o);
        out.push(c);
        o = c.end;
    }
    return out;
}

/** DER of the issuer Name and of the subject Name of a certificate (RFC 5280 §4.1). */
function certNames(der) {
    const cert = derItem(der, 0);
    const tbs = derChildren(der, cert)[0];
    const f = derChildren(der, tbs);
    const i = f[0].tag === 0xa0 ? 1 : 0;   // [0] EXPLICIT version
    // serialNumber, signature, issuer, validity, subject
    const issuer = f[i + 2], subject = f[i + 4];
    return {
        issuer: der.subarray(issuer.off, issuer.end),
        subject: der.subarray(subject.off, subject.end),
        serial: der.subarray(f[i].start, f[i].end),
    };
}

/** The subjectPublicKey BIT STRING's bits (without the unused-bits octet), as OCSP's issuerKeyHash (RFC 6960 §4.1.1) hashes them. */
function publicKeyBits(x509) {
    const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
    const top = derItem(spki, 0);
    const bits = derChildren(spki, top)[1];
    return spki.subarray(bits.start + 1, bits.end);
}

function sha256Hex(b) { return crypto.createHash('sha256').update(b).digest('hex'); }

/** The first PEM certificate of a text. */
function firstPem(text) {
    const m = String(text).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/);
    if (!m) throw new Error('no PEM certificate in the text');
    return m[0].endsWith('\n') ? m[0] : m[0] + '\n';
}

/** Every PEM certificate of a text, in order. */
function splitPem(text) {
    return (String(text).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) || []).map((s) => s + '\n');
}

/**
 * CertificateHashDataType (whitepaper, Datatypes) of the first certificate in
 * `certPem`, SHA256: the hash of its DER issuer Name, the hash of the issuer's
 * public key bits, and its serial number in hex without leading zeros, all in
 * lower case.  `issuerPem` defaults to the certificate itself (a root).
 */
function hashData(certPem, issuerPem) {
    const cert = new crypto.X509Certificate(firstPem(certPem));
    const issuer = issuerPem ? new crypto.X509Certificate(firstPem(issuerPem)) : cert;
    const names = certNames(cert.raw);
    let serial = Buffer.from(names.serial).toString('hex').replace(/^0+/, '');
    if (serial === '') serial = '0';
    return {
        hashAlgorithm: 'SHA256',
        issuerNameHash: sha256Hex(names.issuer),
        issuerKeyHash: sha256Hex(publicKeyBits(issuer)),
        serialNumber: serial,
    };
}

const CONF = (dir) => `
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_sub_ca ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment,keyAgreement
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
`;

class Pki {
    constructor(t, dir) {
        this.t = t;
        this.dir = dir;
        this.n = 0;
        fs.mkdirSync(dir, { recursive: true });
        const v = spawnSync('openssl', ['version'], { encoding: 'utf8' });
        if (v.error || v.status !== 0) t.skip(`the openssl command line is needed to make test certificates: ${v.error ? v.error.message : v.stderr}`);
        this.opensslVersion = v.stdout.trim();
    }

    openssl(args, { input } = {}) {
        const r = spawnSync('openssl', args, { encoding: 'utf8', input, cwd: this.dir });
        if (r.error || r.status !== 0) {
            throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.error ? r.error.message : r.stderr}`);
        }
        return r;
    }

    file(name) { return path.join(this.dir, name); }

    newKey(name, { rsa = false } = {}) {
        const key = this.file(`${name}.key`);
        if (rsa) this.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
        else this.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
        return key;
    }

    newCsr(name, key, subj) {
        const csr = this.file(`${name}.csr`);
        this.openssl(['req', '-new', '-config', this.file('openssl.cnf'), '-key', key, '-subj', subj, '-out', csr]);
        return csr;
    }

    // One `openssl ca` database per issuer.  The serial starts with a zero
    // nibble on purpose: serialNumber in CertificateHashDataType has no
    // leading zeros, which this makes visible.
    caDir(name) {
        const d = this.file(`ca-${name}`);
        if (!fs.existsSync(d)) {
            fs.mkdirSync(path.join(d, 'issued'), { recursive: true });
            fs.writeFileSync(path.join(d, 'index.txt'), '');
            fs.writeFileSync(path.join(d, 'serial'), '0' + (1 + crypto.randomInt(9)) + crypto.randomBytes(15).toString('hex') + '\n');
            fs.writeFileSync(path.join(d, 'openssl.cnf'), CONF(d));
        }
        return d;
    }

    /**
     * Issue a certificate for `csr` with `openssl ca`.  issuer: a party
     * ({key, cert, name}) or null for self-signed (then selfKey signs).
     * Dates: {days} from a day ago, or {notBefore, notAfter} in ms.
     */
    issue(name, csr, { issuer, selfKey, ext, days = 30, notBefore, notAfter }) {
        const out = this.file(`${name}.pem`);
        const ca = this.caDir(issuer ? issuer.name : name);
        const nb = notBefore ?? Date.now() - DAY;
        const na = notAfter ?? Date.now() + days * DAY;
        const args = ['ca', '-batch', '-notext', '-preserveDN', '-config', path.join(ca, 'openssl.cnf'),
            '-extensions', ext, '-in', csr, '-out', out, '-startdate', asn1Time(nb), '-enddate', asn1Time(na)];
        if (issuer) args.push('-cert', issuer.cert, '-keyfile', issuer.key);
        else args.push('-selfsign', '-keyfile', selfKey);
        this.openssl(args);
        // `openssl ca -notext` still writes only the PEM block: keep it alone.
        const pem = firstPem(fs.readFileSync(out, 'utf8'));
        fs.writeFileSync(out, pem);
        return out;
    }

    party(name, key, cert, extra = {}) {
        return { name, key, cert, keyPem: fs.readFileSync(key, 'utf8'), pem: fs.readFileSync(cert, 'utf8'), ...extra };
    }

    /** A CA: a root when parent is absent, else an intermediate signed by parent. */
    newCa(name, { parent = null, rsa = false, expired = false, cn } = {}) {
        const key = this.newKey(name, { rsa });
        const csr = this.newCsr(name, key, `/O=OCPP conformance/CN=${cn || name}`);
        const dates = expired ? { notBefore: Date.now() - 400 * DAY, notAfter: Date.now() - 35 * DAY } : { days: 3650 };
        const cert = this.issue(name, csr, { issuer: parent, selfKey: key, ext: parent ? 'v3_sub_ca' : 'v3_ca', ...dates });
        return this.party(name, key, cert, { parent });
    }

    /** A server certificate for localhost / 127.0.0.1 signed by ca (PEM of the cert alone in pem, with the chain in chainPem). */
    newServer(name, ca, { days = 30 } = {}) {
        const key = this.newKey(name);
        const csr = this.newCsr(name, key, '/O=OCPP conformance/CN=localhost');
        const cert = this.issue(name, csr, { issuer: ca, ext: 'v3_server', days });
        const p = this.party(name, key, cert, { ca });
        p.chainPem = p.pem + (ca.parent ? ca.pem : '');
        return p;
    }

    /**
     * Sign a station's CSR (SignCertificate.req csr) with the client CA:
     * returns the chain for CertificateSigned.req, leaf first, then the
     * issuing CA (not the root, which the station has installed).
     * {expired: true} makes a leaf whose validity ended a month ago.
     */
    signCsr(csrPem, { days = 30, ca = this.clientCa, expired = false, withRoot = false } = {}) {
        const name = `leaf${++this.n}`;
        const csr = this.file(`${name}.csr`);
        fs.writeFileSync(csr, csrPem);
        const dates = expired ? { notBefore: Date.now() - 60 * DAY, notAfter: Date.now() - 30 * DAY } : { days };
        const cert = this.issue(name, csr, { issuer: ca, ext: 'v3_client', ...dates });
        let chain = fs.readFileSync(cert, 'utf8');
        for (let c = ca; c; c = c.parent) {
            if (!c.parent && !withRoot) break;
            chain += c.pem;
        }
        return chain;
    }

    /** A chain like signCsr's, but for a key pair made here: the leaf does not carry the station's key. */
    wrongKeyChain(cn, { org, ca = this.clientCa } = {}) {
        const name = `wrong${++this.n}`;
        const key = this.newKey(name);
        const csr = this.newCsr(name, key, `${org ? `/O=${org}` : ''}/CN=${cn}`);
        return this.signCsr(fs.readFileSync(csr, 'utf8'), { ca });
    }

    /** A self-signed certificate that is no CA (basicConstraints cA FALSE). */
    notCa(name = `notca${++this.n}`) {
        const key = this.newKey(name);
        const csr = this.newCsr(name, key, `/O=OCPP conformance/CN=${name}`);
        const cert = this.issue(name, csr, { selfKey: key, ext: 'v3_leaf', days: 365 });
        return this.party(name, key, cert);
    }

    /** A self-signed CA certificate whose validity ended a month ago. */
    expiredCa(name = `expired${++this.n}`) {
        return this.newCa(name, { expired: true });
    }

    hashData(certPem, issuerPem) { return hashData(certPem, issuerPem); }

    /**
     * Checks a PKCS#10 request with `openssl req -verify`: ok when its
     * self-signature verifies; subject as {CN, O, ...}; the key type.
     */
    verifyCsr(csrPem) {
        const r = spawnSync('openssl', ['req', '-noout', '-verify', '-subject', '-nameopt', 'sep_multiline,sname,utf8', '-text'],
            { input: csrPem, encoding: 'utf8' });
        const out = `${r.stdout || ''}\n${r.stderr || ''}`;
        const subject = {};
        const block = (r.stdout || '').split(/\n(?=\S)/).find((s) => s.startsWith('subject='));
        if (block) {
            for (const line of block.split('\n').slice(1)) {
                const m = line.match(/^\s+([A-Za-z]+)=(.*)$/);
                if (m) subject[m[1]] = m[2];
            }
        }
        const keyType = /id-ecPublicKey|EC Public Key/i.test(out) ? 'EC'
            : /rsaEncryption/i.test(out) ? 'RSA' : 'unknown';
        const bits = (out.match(/Public-Key: \((\d+) bit\)/) || [])[1];
        return {
            ok: r.status === 0 && /verify OK/i.test(out) && !/verify failure/i.test(out),
            subject,
            keyType,
            keyBits: bits ? Number(bits) : null,
            sha256: /sha256With|ecdsa-with-SHA256/i.test(out),
            error: r.status === 0 ? null : out.trim().slice(0, 400),
        };
    }
}

/**
 * The whole infrastructure for one case in t.dir/pki (about a second of
 * openssl work; one RSA key).
 */
function makePki(t, { dir = path.join(t.dir, 'pki') } = {}) {
    const p = new Pki(t, dir);
    fs.writeFileSync(p.file('openssl.cnf'), CONF(dir));
    p.csRoot = p.newCa('csRoot', { cn: 'Central System Root' });
    p.server = p.newServer('server', p.csRoot);
    p.csRoot2 = p.newCa('csRoot2', { cn: 'Central System Root 2', rsa: true });
    p.server2 = p.newServer('server2', p.csRoot2);
    p.stranger = p.newCa('stranger', { cn: 'Stranger CA' });
    p.strangerServer = p.newServer('strangerServer', p.stranger);
    p.clientCa = p.newCa('clientCa', { parent: p.csRoot, cn: 'Charge Point CA' });
    p.mfRoot = p.newCa('mfRoot', { cn: 'Manufacturer Root' });
    return p;
}

module.exports = { makePki, hashData, splitPem, firstPem, Pki };

// ---- steps shared by the security cases ------------------------------------

/**
 * Moves the case's central system to TLS with pki.server (signed by csRoot)
 * and points the daemon at it with --ca-file csRoot (the trust it starts
 * with), then starts the daemon unless {start: false}.  requestCert asks the
 * station for its client certificate, verified against clientCa + csRoot.
 */
async function tlsStart(t, pki, { server = pki.server, requestCert = false, caFile = pki.csRoot.cert, start = true, extraArgs = [] } = {}) {
    await t.csms.useTls({ key: server.key, cert: server.chainPem || server.pem, ca: [pki.clientCa.pem, pki.csRoot.pem], requestCert });
    t.cp.o.url = t.csms.url;
    t.cp.o.extraArgs = [...(caFile ? ['--ca-file', caFile] : []), ...extraArgs];
    if (start) await t.start();
}

/** Waits for SecurityEventNotification of `type` from index `since`. */
function waitSecurityEvent(t, type, { since = 0, timeoutMs = 10000, rule } = {}) {
    return t.csms.waitFor('SecurityEventNotification', (p) => p.type === type, timeoutMs,
        { since, desc: `type ${type}`, rule: rule || `the charge point reports the security event ${type} (Security Whitepaper, Security events)` });
}

/**
 * "Update Charge Point Certificate by request of Central System": triggers
 * SignChargePointCertificate, waits for SignCertificate.req and returns its
 * CSR (the default answer Accepts it).
 */
async function requestCsr(t, { timeoutMs = 15000 } = {}) {
    const m = t.csms.mark();
    const r = await t.csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' });
    t.equal(r.status, 'Accepted', 'ExtendedTriggerMessage SignChargePointCertificate is Accepted (Update Charge Point Certificate by request of Central System)');
    const e = await t.csms.waitForAnswered('SignCertificate', null, timeoutMs,
        { since: m, rule: 'after ExtendedTriggerMessage SignChargePointCertificate the charge point sends SignCertificate.req with a CSR (Update Charge Point Certificate by request of Central System)' });
    return e.payload.csr;
}

/**
 * The whole certificate update: a CSR, signed by pki.clientCa, sent back in
 * CertificateSigned, Accepted.  Returns {csr, chain}.
 */
async function enrolClientCertificate(t, pki) {
    const csr = await requestCsr(t);
    const v = pki.verifyCsr(csr);
    t.ok(v.ok, 'the CSR is a PKCS#10 request whose signature verifies (Update Charge Point Certificate by request of Central System)', v.error || csr);
    const chain = pki.signCsr(csr);
    const r = await t.csms.call('CertificateSigned', { certificateChain: chain });
    t.equal(r.status, 'Accepted', 'CertificateSigned with the chain the client CA signed for the CSR is Accepted (Update Charge Point Certificate by request of Central System)');
    return { csr, chain, subject: v.subject };
}

module.exports.tlsStart = tlsStart;
module.exports.waitSecurityEvent = waitSecurityEvent;
module.exports.requestCsr = requestCsr;
module.exports.enrolClientCertificate = enrolClientCertificate;

/**
 * ChangeConfiguration SecurityProfile=n, Accepted, and the reconnection that
 * follows (Upgrade Charge Point Security Profile); resolves with the new
 * handshake (csms.connections entry).
 */
async function raiseProfile(t, n, { timeoutMs = 20000 } = {}) {
    const m = t.csms.mark();
    const h = t.csms.connections.length;
    const r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: String(n) });
    t.equal(r.status, 'Accepted', `ChangeConfiguration SecurityProfile=${n} with its prerequisites met: Accepted (Upgrade Charge Point Security Profile)`);
    await t.csms.waitForEntry((e) => e.type === 'CONNECT', timeoutMs,
        { since: m, what: 'a new connection', rule: `after SecurityProfile=${n} was Accepted the charge point reconnects with the new profile (Upgrade Charge Point Security Profile)` });
    return t.csms.connections[t.csms.connections.length - 1] || t.csms.connections[h];
}

module.exports.raiseProfile = raiseProfile;
