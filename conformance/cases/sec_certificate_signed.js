'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Update Charge Point
// Certificate by request of Central System" (OCTT TC_074 / TC_077 for 1.6).
//
// ExtendedTriggerMessage SignChargePointCertificate is Accepted and followed
// by SignCertificate.req: a PKCS#10 CSR whose signature verifies, subject
// CN = the charge point identity and O = CpoName.  CertificateSigned with the
// chain the CA signed for it is Accepted.  A chain whose leaf has another
// key, an expired one, one that does not lead to an installed
// CentralSystemRootCertificate, text that is no certificate and a chain
// larger than CertificateSignedMaxChainSize are Rejected, each followed by
// SecurityEventNotification InvalidChargePointCertificate.
const { makePki, requestCsr, waitSecurityEvent } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const UC = 'Update Charge Point Certificate by request of Central System';
const CPO = 'Example CPO';
const SCHEMA_MAX = 10000;   // CertificateSigned.req certificateChain maxLength

module.exports = {
    title: 'SignChargePointCertificate → SignCertificate (CSR: CN identity, O CpoName); CertificateSigned Accepted / Rejected + InvalidChargePointCertificate',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 120000,
    async run(t) {
        const pki = makePki(t);
        await bootAccepted(t, { connectors: 1 });
        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', 'test setup: the Central System root is installed (Install CA certificate in a Charge Point)');
        r = await t.csms.call('ChangeConfiguration', { key: 'CpoName', value: CPO });
        t.equal(r.status, 'Accepted', 'ChangeConfiguration CpoName: Accepted (Security Whitepaper configuration keys: CpoName, used in the CSR)');

        // The CSR.
        const csr = await requestCsr(t);
        const v = pki.verifyCsr(csr);
        t.ok(v.ok, `SignCertificate.req csr is a PEM PKCS#10 request whose self-signature verifies (${UC})`, v.error || csr);
        t.equal(v.subject.CN, t.cp.o.id, `the CSR's commonName is the charge point identity (${UC}; whitepaper certificate properties)`);
        t.equal(v.subject.O, CPO, `the CSR's organizationName is the CpoName configuration key (${UC}; whitepaper certificate properties)`);
        t.ok((v.keyType === 'EC' && v.keyBits >= 256) || (v.keyType === 'RSA' && v.keyBits >= 2048),
            'the CSR carries an EC key of at least 256 bits or an RSA key of at least 2048 bits (whitepaper key sizes)', v);
        t.ok(v.sha256, 'the CSR is signed with SHA-256 (whitepaper certificate properties)', v);

        // Refusals, each for a fresh request, each reported.
        const refuse = async (what, chain) => {
            const m = t.csms.mark();
            const res = await t.csms.call('CertificateSigned', { certificateChain: chain });
            t.equal(res.status, 'Rejected', `CertificateSigned with ${what}: Rejected (${UC}: the station verifies validity period, certificate properties and the CPO certificate hierarchy; OCTT TC_077)`);
            await waitSecurityEvent(t, 'InvalidChargePointCertificate', { since: m, timeoutMs: 10000,
                rule: `a Rejected CertificateSigned (${what}) is reported with SecurityEventNotification InvalidChargePointCertificate (${UC}; security events)` });
        };
        await refuse('a leaf whose key is not the one of the CSR', pki.wrongKeyChain(t.cp.o.id, { org: CPO }));
        await refuse('an expired leaf certificate', pki.signCsr(await requestCsr(t), { expired: true }));
        await refuse('a leaf signed by a CA outside the CPO certificate hierarchy (not chaining to an installed CentralSystemRootCertificate)', pki.signCsr(await requestCsr(t), { ca: pki.stranger }));
        await refuse('text that is not a PEM certificate', 'this is not a certificate chain');

        // A chain larger than CertificateSignedMaxChainSize.
        const g = await t.csms.call('GetConfiguration', { key: ['CertificateSignedMaxChainSize'] });
        const kv = (g.configurationKey || []).find((k) => k.key === 'CertificateSignedMaxChainSize');
        t.ok(kv && /^\d+$/.test(kv.value), 'CertificateSignedMaxChainSize is reported with GetConfiguration (Security Whitepaper configuration keys)', g);
        const max = Number(kv.value);
        const good = pki.signCsr(await requestCsr(t));
        if (max < SCHEMA_MAX) {
            // The chain grows by whole certificates, then by blank lines
            // (which PEM allows between blocks) to just over the limit.
            let big = good;
            while (big.length <= max && big.length + pki.clientCa.pem.length <= SCHEMA_MAX) big += pki.clientCa.pem;
            if (big.length <= max) big += '\n'.repeat(max + 1 - big.length);
            await refuse(`a chain of ${big.length} characters, over CertificateSignedMaxChainSize=${max}`, big);
        } else {
            // The key is at the schema's own bound: a larger chain is no
            // valid CertificateSigned.req at all, which OCPP-J answers with
            // a CALLERROR (the central system's validator would not send it,
            // so it goes raw).
            let big = good;
            while (big.length <= SCHEMA_MAX) big += pki.clientCa.pem;
            const id = 'sec-oversize-1';
            const m = t.csms.mark();
            await t.csms.sendRaw(JSON.stringify([2, id, 'CertificateSigned', { certificateChain: big }]), { id });
            const reply = await t.csms.waitReply(id, 5000, m);
            t.ok(reply && reply.type === 'ERROR',
                `a CertificateSigned.req over the schema's maxLength (and CertificateSignedMaxChainSize=${max}) is answered with a CALLERROR (OCPP-J §4.2.3)`, reply);
        }

        // The real one, for the request still pending.
        r = await t.csms.call('CertificateSigned', { certificateChain: pki.signCsr(await requestCsr(t)) });
        t.equal(r.status, 'Accepted', `CertificateSigned with the chain (leaf + issuing CA) signed for the pending CSR: Accepted (${UC})`);
    },
};
