'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use cases "Install CA
// certificate in a Charge Point" and "Retrieve list of available
// certificates from a Charge Point" (OCTT TC_075 for 1.6).
//
// InstallCertificate of a valid CA certificate is Accepted, each type in its
// own list; a certificate that is not a CA, an expired one and text that is
// no certificate are Rejected and change nothing.  GetInstalledCertificateIds
// answers the CertificateHashDataType of each certificate, computed here
// independently: SHA-256 of the DER issuer Name and of the issuer's public
// key bits, the serial number in hex without leading zeros (lower case, like
// the hashes).  The store is durable: a SIGKILL loses nothing.
const { makePki } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const INSTALL = 'Install CA certificate in a Charge Point';
const LIST = 'Retrieve list of available certificates from a Charge Point';

async function ids(t, certificateType) {
    return t.csms.call('GetInstalledCertificateIds', { certificateType });
}

function sortHash(list) {
    return (list || []).slice().sort((a, b) => (a.serialNumber + a.issuerNameHash).localeCompare(b.serialNumber + b.issuerNameHash));
}

module.exports = {
    title: 'InstallCertificate (CS / manufacturer root) Accepted, not-a-CA / expired / not PEM Rejected; GetInstalledCertificateIds hash data exact; durable',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 60000,
    async run(t) {
        const pki = makePki(t);
        await bootAccepted(t, { connectors: 1 });

        for (const type of ['CentralSystemRootCertificate', 'ManufacturerRootCertificate']) {
            const r = await ids(t, type);
            t.equal(r, { status: 'NotFound' }, `GetInstalledCertificateIds ${type} on a fresh station: NotFound, no list (${LIST})`);
        }

        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', `InstallCertificate of a valid root CA certificate as CentralSystemRootCertificate: Accepted (${INSTALL})`);
        const csHash = pki.hashData(pki.csRoot.pem);
        r = await ids(t, 'CentralSystemRootCertificate');
        t.equal(r, { status: 'Accepted', certificateHashData: [csHash] },
            `GetInstalledCertificateIds lists the installed root with SHA256 issuerNameHash, issuerKeyHash (lower-case hex) and serialNumber (hex, no leading zeros) (${LIST}, CertificateHashDataType)`);
        r = await ids(t, 'ManufacturerRootCertificate');
        t.equal(r.status, 'NotFound', `a CentralSystemRootCertificate is not listed as a ManufacturerRootCertificate (${LIST})`);

        // A manufacturer root goes to its own list; a second central system
        // root with an RSA key next to the first (EC) one.
        r = await t.csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: pki.mfRoot.pem });
        t.equal(r.status, 'Accepted', `InstallCertificate of a valid root CA certificate as ManufacturerRootCertificate: Accepted (${INSTALL})`);
        r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot2.pem });
        t.equal(r.status, 'Accepted', `InstallCertificate of a second (RSA 2048) CentralSystemRootCertificate: Accepted, AdditionalRootCertificateCheck is False (${INSTALL})`);
        const want = {
            CentralSystemRootCertificate: sortHash([csHash, pki.hashData(pki.csRoot2.pem)]),
            ManufacturerRootCertificate: [pki.hashData(pki.mfRoot.pem)],
        };
        for (const type of Object.keys(want)) {
            r = await ids(t, type);
            t.equal(r.status, 'Accepted', `GetInstalledCertificateIds ${type}: Accepted (${LIST})`);
            t.equal(sortHash(r.certificateHashData), want[type], `GetInstalledCertificateIds ${type} lists exactly the certificates installed as ${type} (${LIST})`);
        }

        // Refusals: nothing is installed.
        const bad = [
            ['a certificate that is not a CA (basicConstraints cA FALSE)', pki.notCa().pem],
            ['an expired CA certificate', pki.expiredCa().pem],
            ['text that is not PEM', 'this is not a certificate'],
            ['a PEM block whose content is not a certificate', '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n'],
        ];
        for (const type of Object.keys(want)) {
            for (const [what, pem] of bad) {
                r = await t.csms.call('InstallCertificate', { certificateType: type, certificate: pem });
                t.equal(r.status, 'Rejected', `InstallCertificate ${type} of ${what}: Rejected (${INSTALL}: the certificate is invalid)`);
            }
        }
        for (const type of Object.keys(want)) {
            r = await ids(t, type);
            t.equal(sortHash(r.certificateHashData), want[type], `a Rejected InstallCertificate installs nothing (${INSTALL})`);
        }

        // Durable: the store survives a power cut.
        await t.cp.kill('SIGKILL');
        const m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, connectors: 1 });
        for (const type of Object.keys(want)) {
            r = await ids(t, type);
            t.equal(sortHash(r.certificateHashData), want[type], `installed certificates survive a SIGKILL (${INSTALL}; README durability)`);
        }
    },
};
