'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Secure Firmware Update",
// signing certificate check: a signing certificate that does not chain to an
// installed ManufacturerRootCertificate is answered InvalidCertificate, the
// security event InvalidFirmwareSigningCertificate is raised and nothing is
// downloaded: the file server sees no request at all.  Checked with no
// manufacturer root installed yet, then with the manufacturer's root
// installed and a stranger's signer, and with text that is no certificate.
const { bootAccepted } = require('../lib/steps');
const { startFileServer } = require('../lib/fileserver');
const { firmwarePki, installManufacturerRoot } = require('../lib/fwsign');
const { sleep } = require('../lib/util');

const SFW = 'SignedFirmwareStatusNotification';
const SEC = 'SecurityEventNotification';

module.exports = {
    title: 'Signed firmware: an untrusted signer is InvalidCertificate, raises InvalidFirmwareSigningCertificate, downloads nothing',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 45000,
    async setup(t) {
        t.pki = firmwarePki(t, { keyType: 'ec' });
        t.files = await startFileServer();
    },
    async run(t) {
        await bootAccepted(t);
        const image = Buffer.from('OCPP-CP FIRMWARE IMAGE 5.0.0\n'.repeat(500));
        t.files.put('/firmware/ocpp-cp-5.0.0.bin', image);
        const request = (id, signer, signature) => t.csms.call('SignedUpdateFirmware', {
            requestId: id,
            firmware: {
                location: t.files.httpUrl('/firmware/ocpp-cp-5.0.0.bin'),
                retrieveDateTime: new Date().toISOString(),
                signingCertificate: signer,
                signature,
            },
        });
        const m = t.csms.mark();
        const tries = [
            ['no ManufacturerRootCertificate installed yet', 21, t.pki.maker.signerPem, t.pki.maker.sign(image)],
            ['signed by a stranger\'s CA', 22, t.pki.stranger.signerPem, t.pki.stranger.sign(image)],
            ['the stranger\'s root itself as signer', 23, t.pki.stranger.rootPem, t.pki.stranger.sign(image)],
            ['not a certificate', 24, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n', t.pki.maker.sign(image)],
        ];
        for (const [i, [what, id, signer, signature]] of tries.entries()) {
            if (i === 1) await installManufacturerRoot(t, t.pki.maker.rootPem);
            const mi = t.csms.mark();
            const r = await request(id, signer, signature);
            t.equal(r, { status: 'InvalidCertificate' },
                `a signing certificate that does not chain to an installed ManufacturerRootCertificate is answered InvalidCertificate (whitepaper "Secure Firmware Update") [${what}]`);
            const ev = await t.csms.waitFor(SEC, (p) => p.type === 'InvalidFirmwareSigningCertificate', 10000,
                { since: mi, rule: `an untrusted firmware signer raises the security event InvalidFirmwareSigningCertificate (whitepaper "Security events") [${what}]` });
            t.ok(typeof ev.payload.timestamp === 'string', `the security event has a timestamp [${what}]`, ev.payload);
        }
        await sleep(t.scaled(10));
        t.equal(t.files.requests.length, 0, 'nothing was downloaded for an untrusted signer: the file server saw no request', t.files.requests);
        t.equal(t.csms.calls(SFW, m).length, 0, 'an update answered InvalidCertificate reports no firmware status');
        t.equal(t.csms.calls(SEC, m).filter((e) => e.payload.type === 'InvalidFirmwareSigningCertificate').length, tries.length,
            'one InvalidFirmwareSigningCertificate event per refused request');

        // The trusted signer still works afterwards: the refusals left nothing behind.
        const m2 = t.csms.mark();
        const ok = await request(25, t.pki.maker.signerPem, t.pki.maker.sign(image));
        t.equal(ok, { status: 'Accepted' }, 'with the manufacturer root installed its own signer is Accepted');
        await t.csms.waitFor(SFW, (p) => p.status === 'SignatureVerified' && p.requestId === 25, 15000,
            { since: m2, rule: 'the trusted signer\'s image downloads and verifies (whitepaper "Secure Firmware Update")' });
        // Without an installer hook the image is taken as it is; the reboot follows.
        const verified = await t.csms.waitFor(SFW, (p) => p.status === 'InstallRebooting' && p.requestId === 25, 15000,
            { since: m2, rule: 'the verified image is installed and the reboot announced (whitepaper "Secure Firmware Update")' });
        t.csms.expectBoot();
        const boot = await t.csms.waitFor('BootNotification', null, 20000,
            { since: verified.index, rule: 'a verified image is installed and the station reboots (OCPP 1.6 §5.19)' });
        await bootAccepted(t, { since: boot.index });
        await t.csms.waitFor(SFW, (p) => p.status === 'Installed' && p.requestId === 25, 10000,
            { since: boot.index, rule: 'Installed follows the reboot, with the requestId (whitepaper "Secure Firmware Update")' });
        await t.files.close();
    },
};
