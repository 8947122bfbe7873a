'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Secure Firmware Update",
// signature check: the signing certificate is trusted, but the image on the
// server is not the one that was signed (one byte differs).  The station
// downloads it, reports InvalidSignature, raises the security event
// InvalidFirmwareSignature and never installs it: no Installing, no
// installer run, no reboot.  A signature that is not even base64 is Rejected
// at once.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');
const { firmwarePki, installManufacturerRoot } = require('../lib/fwsign');
const { sleep } = require('../lib/util');

const SFW = 'SignedFirmwareStatusNotification';
const SEC = 'SecurityEventNotification';

module.exports = {
    title: 'Signed firmware: a signature that does not verify gives InvalidSignature, never Installing',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 45000,
    async setup(t) {
        t.pki = firmwarePki(t, { keyType: 'rsa' });
        t.files = await startFileServer();
        t.installed = path.join(t.dir, 'installed.bin');
        const installer = path.join(t.dir, 'install.sh');
        fs.writeFileSync(installer, `#!/bin/sh\ncp "$1" "${t.installed}" && exit 0\nexit 1\n`, { mode: 0o755 });
        t.cp.o.extraArgs = ['--firmware-installer', installer];
    },
    async run(t) {
        await bootAccepted(t);
        await installManufacturerRoot(t, t.pki.maker.rootPem);
        const signed = Buffer.from('OCPP-CP FIRMWARE IMAGE 4.0.0\n'.repeat(2000));
        const served = Buffer.from(signed);
        served[served.length >> 1] ^= 0x01;    // one bit flipped on the way
        t.files.put('/firmware/ocpp-cp-4.0.0.bin', served);

        const m = t.csms.mark();
        const r = await t.csms.call('SignedUpdateFirmware', {
            requestId: 11,
            firmware: {
                location: t.files.httpUrl('/firmware/ocpp-cp-4.0.0.bin'),
                retrieveDateTime: new Date().toISOString(),
                signingCertificate: t.pki.maker.signerPem,
                signature: t.pki.maker.sign(signed),
            },
        });
        t.equal(r, { status: 'Accepted' }, 'the signer is trusted: SignedUpdateFirmware is Accepted (whitepaper "Secure Firmware Update")');
        await waitStatuses(t, SFW, ['Downloading', 'Downloaded', 'InvalidSignature'], {
            since: m, rule: 'an image whose signature does not verify is reported InvalidSignature after Downloaded (whitepaper "Secure Firmware Update")',
        });
        const ev = await t.csms.waitFor(SEC, (p) => p.type === 'InvalidFirmwareSignature', 10000,
            { since: m, rule: 'a firmware signature that does not verify raises the security event InvalidFirmwareSignature (whitepaper "Security events")' });
        t.ok(typeof ev.payload.timestamp === 'string', 'the security event has a timestamp', ev.payload);
        // Give an install (wrongly) started the time to show itself.
        await sleep(t.scaled(20));
        t.equal(statusesSince(t, SFW, m), ['Downloading', 'Downloaded', 'InvalidSignature'],
            'after InvalidSignature nothing more: never Installing (whitepaper "Secure Firmware Update")');
        t.ok(t.csms.calls(SFW, m).every((e) => e.payload.requestId === 11),
            'every SignedFirmwareStatusNotification carries the requestId', t.csms.calls(SFW, m).map((e) => e.payload));
        t.ok(!fs.existsSync(t.installed), 'the installer hook never ran on an image that failed verification');
        t.equal(t.csms.calls('BootNotification', m).length, 0, 'no reboot after a failed verification');
        t.equal(t.files.hits('GET', '/firmware/').length, 1, 'the image was downloaded once (a bad signature is not a download failure)');

        // A signature that is not base64 cannot verify anything: Rejected, nothing fetched.
        const m2 = t.csms.mark();
        const r2 = await t.csms.call('SignedUpdateFirmware', {
            requestId: 12,
            firmware: {
                location: t.files.httpUrl('/firmware/ocpp-cp-4.0.0.bin'),
                retrieveDateTime: new Date().toISOString(),
                signingCertificate: t.pki.maker.signerPem,
                signature: '*** not base64 ***',
            },
        });
        t.equal(r2, { status: 'Rejected' }, 'a signature that is not base64 is Rejected');
        await sleep(t.scaled(5));
        t.equal(t.csms.calls(SFW, m2).length, 0, 'a Rejected update reports nothing');
        t.equal(t.files.hits('GET', '/firmware/').length, 1, 'a Rejected update downloads nothing');
        await t.files.close();
    },
};
