'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Delete a certificate
// from a Charge Point" (OCTT TC_076 for 1.6): DeleteCertificate names the
// certificate by its CertificateHashDataType; the certificate named goes
// (Accepted) and only that one; a certificate the station does not have is
// NotFound, also the one just deleted.
const { makePki } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const DELETE = 'Delete a certificate from a Charge Point';

module.exports = {
    title: 'DeleteCertificate by hash data: Accepted and gone, others kept; unknown or already deleted → NotFound',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 60000,
    async run(t) {
        const pki = makePki(t);
        await bootAccepted(t, { connectors: 1 });
        const install = async (certificateType, pem) => {
            const r = await t.csms.call('InstallCertificate', { certificateType, certificate: pem });
            t.equal(r.status, 'Accepted', `test setup: InstallCertificate ${certificateType} Accepted (Install CA certificate in a Charge Point)`);
        };
        await install('CentralSystemRootCertificate', pki.csRoot2.pem);
        await install('CentralSystemRootCertificate', pki.stranger.pem);
        await install('ManufacturerRootCertificate', pki.mfRoot.pem);

        // Unknown certificates: a serial nobody issued, and the hash data of
        // a certificate that was never installed.
        const unknown = { ...pki.hashData(pki.csRoot2.pem), serialNumber: '1234abcd' };
        let r = await t.csms.call('DeleteCertificate', { certificateHashData: unknown });
        t.equal(r.status, 'NotFound', `DeleteCertificate with hash data of no installed certificate (issuer matches, serial does not): NotFound (${DELETE})`);
        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.csRoot.pem) });
        t.equal(r.status, 'NotFound', `DeleteCertificate of a certificate that was never installed: NotFound (${DELETE})`);

        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.mfRoot.pem) });
        t.equal(r.status, 'Accepted', `DeleteCertificate of the installed ManufacturerRootCertificate: Accepted (${DELETE})`);
        r = await t.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' });
        t.equal(r.status, 'NotFound', `after the only ManufacturerRootCertificate was deleted GetInstalledCertificateIds answers NotFound (${DELETE})`);
        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.mfRoot.pem) });
        t.equal(r.status, 'NotFound', `deleting the same certificate again: NotFound (${DELETE})`);

        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.stranger.pem) });
        t.equal(r.status, 'Accepted', `DeleteCertificate of one of two CentralSystemRootCertificates: Accepted (${DELETE}; the station does not use it)`);
        r = await t.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
        t.equal(r, { status: 'Accepted', certificateHashData: [pki.hashData(pki.csRoot2.pem)] },
            `only the certificate named is deleted, the other stays listed (${DELETE})`);

        // Durable: the deletion survives a SIGKILL.
        await t.cp.kill('SIGKILL');
        const m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, connectors: 1 });
        r = await t.csms.call('GetInstalledCertificateIds', { certificateType: 'ManufacturerRootCertificate' });
        t.equal(r.status, 'NotFound', `a deleted certificate stays deleted after a SIGKILL (${DELETE}; README durability)`);
    },
};
