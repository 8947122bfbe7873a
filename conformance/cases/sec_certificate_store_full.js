'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), "Install CA certificate in a
// Charge Point" with the store full: CertificateStoreMaxLength (read with
// GetConfiguration) root certificates are installed, each Accepted; one more
// is a valid certificate the station cannot take: Failed, and the list stays
// as it was.  After a DeleteCertificate there is room again.
const { makePki } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const INSTALL = 'Install CA certificate in a Charge Point';

module.exports = {
    title: 'InstallCertificate beyond CertificateStoreMaxLength → Failed, nothing installed; room again after DeleteCertificate',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 90000,
    async run(t) {
        const pki = makePki(t);
        await bootAccepted(t, { connectors: 1 });
        const g = await t.csms.call('GetConfiguration', { key: ['CertificateStoreMaxLength'] });
        const kv = (g.configurationKey || []).find((k) => k.key === 'CertificateStoreMaxLength');
        t.ok(kv && /^\d+$/.test(kv.value), 'CertificateStoreMaxLength is reported with GetConfiguration (Security Whitepaper, configuration keys)', g);
        const max = Number(kv.value);
        t.between(max, 1, 50, 'CertificateStoreMaxLength is a small positive number (test sanity)');

        const roots = [];
        for (let i = 0; i < max; i++) {
            const ca = pki.newCa(`fill${i}`, { cn: `Root ${i}` });
            roots.push(ca);
            const r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: ca.pem });
            t.equal(r.status, 'Accepted', `InstallCertificate ${i + 1} of CertificateStoreMaxLength=${max}: Accepted (${INSTALL})`);
        }
        const extra = pki.newCa('extra', { cn: 'One Too Many' });
        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: extra.pem });
        t.equal(r.status, 'Failed', `InstallCertificate of a valid certificate with CertificateStoreMaxLength certificates installed: Failed (${INSTALL}: valid, but it cannot be installed)`);

        const want = roots.map((c) => pki.hashData(c.pem).serialNumber).sort();
        r = await t.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
        t.equal((r.certificateHashData || []).map((h) => h.serialNumber).sort(), want,
            `the store holds the ${max} certificates installed before, not the refused one (${INSTALL})`);

        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(roots[0].pem) });
        t.equal(r.status, 'Accepted', 'DeleteCertificate of an installed root: Accepted (Delete a certificate from a Charge Point)');
        r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: extra.pem });
        t.equal(r.status, 'Accepted', `with one certificate deleted there is room again: Accepted (${INSTALL})`);
    },
};
