'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Secure Firmware Update":
// the manufacturer root is installed, SignedUpdateFirmware names an image
// signed by a certificate that root issued; the station downloads it,
// verifies the signature, installs it and reports Installed after the reboot,
// announcing the reboot with InstallRebooting, every
// SignedFirmwareStatusNotification carrying the requestId, and raises
// the security event FirmwareUpdated.  Twice: an RSA signer over FTP, then an
// ECDSA (P-256) signer over HTTP.  Before that, a request scheduled a day
// ahead is replaced by the next one (AcceptedCanceled) and never downloads.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');
const { firmwarePki, installManufacturerRoot } = require('../lib/fwsign');

const SFW = 'SignedFirmwareStatusNotification';
const SEC = 'SecurityEventNotification';

module.exports = {
    title: 'Signed firmware: Downloading, Downloaded, SignatureVerified, Installing, reboot, Installed (RSA/FTP, ECDSA/HTTP)',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 90000,
    async setup(t) {
        t.pki = { rsa: firmwarePki(t, { keyType: 'rsa' }), ec: firmwarePki(t, { keyType: 'ec' }) };
        t.files = await startFileServer();
        t.installed = path.join(t.dir, 'installed.bin');
        const installer = path.join(t.dir, 'install.sh');
        fs.writeFileSync(installer, `#!/bin/sh\ncp "$1" "${t.installed}" && exit 0\nexit 1\n`, { mode: 0o755 });
        t.cp.o.extraArgs = ['--firmware-installer', installer];
    },
    async run(t) {
        await bootAccepted(t);
        const pid = t.cp.pid;
        await installManufacturerRoot(t, t.pki.rsa.maker.rootPem);
        await installManufacturerRoot(t, t.pki.ec.maker.rootPem);

        // A request for tomorrow: DownloadScheduled, nothing fetched yet.
        const LATER = Buffer.from('OCPP-CP FIRMWARE IMAGE 9.9.9 (never)\n'.repeat(100));
        t.files.put('/firmware/ocpp-cp-9.9.9.bin', LATER);
        const m0 = t.csms.mark();
        const r0 = await t.csms.call('SignedUpdateFirmware', {
            requestId: 7,
            firmware: {
                location: t.files.httpUrl('/firmware/ocpp-cp-9.9.9.bin'),
                retrieveDateTime: new Date(Date.now() + 86400e3 * 10).toISOString(),
                signingCertificate: t.pki.rsa.maker.signerPem,
                signature: t.pki.rsa.maker.sign(LATER),
            },
        });
        t.equal(r0, { status: 'Accepted' }, 'a SignedUpdateFirmware with a trusted signer is Accepted (whitepaper "Secure Firmware Update")');
        const sched = await t.csms.waitFor(SFW, (p) => p.status === 'DownloadScheduled', 5000,
            { since: m0, rule: 'a download planned for later is reported DownloadScheduled (whitepaper FirmwareStatusEnumType)' });
        t.equal(sched.payload.requestId, 7, 'DownloadScheduled carries the requestId (whitepaper SignedFirmwareStatusNotification)');

        const rounds = [
            { key: 'rsa', id: 42, version: '3.1.0', url: (p) => t.files.ftpUrl(p), hits: () => t.files.hits('RETR', '/firmware/ocpp-cp-3.1.0') },
            { key: 'ec', id: 43, version: '3.2.0', url: (p) => t.files.httpUrl(p), hits: () => t.files.hits('GET', '/firmware/ocpp-cp-3.2.0') },
        ];
        for (const [i, round] of rounds.entries()) {
            const tag = `[${round.key === 'rsa' ? 'RSA, FTP' : 'ECDSA, HTTP'}]`;
            const image = Buffer.from(`OCPP-CP FIRMWARE IMAGE ${round.version}\n`.repeat(3000));
            const file = `/firmware/ocpp-cp-${round.version}.bin`;
            t.files.put(file, image);
            const m = t.csms.mark();
            const r = await t.csms.call('SignedUpdateFirmware', {
                requestId: round.id,
                retries: 2,
                retryInterval: 30,
                firmware: {
                    location: round.url(file),
                    retrieveDateTime: new Date().toISOString(),
                    signingCertificate: t.pki[round.key].maker.signerPem,
                    signature: t.pki[round.key].maker.sign(image),
                },
            });
            t.equal(r, { status: i === 0 ? 'AcceptedCanceled' : 'Accepted' }, i === 0
                ? 'a SignedUpdateFirmware that replaces a scheduled update is AcceptedCanceled (whitepaper UpdateFirmwareStatusEnumType)'
                : `with nothing running a trusted SignedUpdateFirmware is Accepted ${tag}`);
            // InstallRebooting: the station announces the reboot into the new image.
            const seen = await waitStatuses(t, SFW, ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting'], {
                since: m, rule: `a signed update reports Downloading, Downloaded, SignatureVerified, Installing, InstallRebooting in this order (whitepaper "Secure Firmware Update") ${tag}`,
            });
            t.csms.expectBoot();
            const boot = await t.csms.waitFor('BootNotification', null, 20000,
                { since: seen[4].index, rule: `after installing the station reboots and sends BootNotification (OCPP 1.6 §5.19) ${tag}` });
            await bootAccepted(t, { since: boot.index });
            const installed = await t.csms.waitFor(SFW, (p) => p.status === 'Installed', 10000,
                { since: boot.index, rule: `Installed is reported after the reboot (whitepaper "Secure Firmware Update") ${tag}` });
            t.ok(installed.index > boot.reply.index, `Installed follows the accepted BootNotification ${tag}`,
                { boot: boot.index, installed: installed.index });
            t.equal(statusesSince(t, SFW, m),
                ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting', 'Installed'],
                `one notification per step of the signed update ${tag}`);
            t.ok(t.csms.calls(SFW, m).every((e) => e.payload.requestId === round.id),
                `every SignedFirmwareStatusNotification carries the request's requestId ${tag}`, t.csms.calls(SFW, m).map((e) => e.payload));
            t.equal(t.csms.calls('FirmwareStatusNotification', m).length, 0,
                `a signed update is reported with SignedFirmwareStatusNotification only ${tag}`);
            const ev = await t.csms.waitFor(SEC, (p) => p.type === 'FirmwareUpdated', 10000,
                { since: m, rule: `a completed firmware update raises the security event FirmwareUpdated (whitepaper "Security events") ${tag}` });
            t.ok(ev.index > boot.index, `FirmwareUpdated is raised by the new firmware, after the reboot ${tag}`);
            t.ok(typeof ev.payload.techInfo === 'string' && ev.payload.techInfo.includes(round.version),
                `FirmwareUpdated names the installed version ${tag}`, ev.payload);
            t.equal(round.hits().length, 1, `the image is downloaded once ${tag}`);
            t.ok(fs.existsSync(t.installed) && fs.readFileSync(t.installed).equals(image),
                `the installer hook was given the verified image, byte for byte ${tag}`);
        }
        t.equal(t.files.hits('GET', '/firmware/ocpp-cp-9.9.9').length + t.files.hits('RETR', '/firmware/ocpp-cp-9.9.9').length, 0,
            'the cancelled update was never downloaded');
        t.equal(t.csms.calls(SFW, m0).filter((e) => e.payload.requestId === 7).length, 1,
            'the cancelled update reported nothing after DownloadScheduled');
        t.equal(t.cp.exits.length, 0, 'the reboots are re-execs in place, not exits');
        t.equal(t.cp.pid, pid, 'the reboots keep the process id (re-exec)');

        // Nothing runs any more: a triggered 1.6 status is Idle.
        const m2 = t.csms.mark();
        const tr = await t.csms.call('TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
        t.equal(tr.status, 'Accepted', 'TriggerMessage FirmwareStatusNotification is Accepted (OCPP 1.6 §5.17)');
        const idle = await t.csms.waitFor('FirmwareStatusNotification', null, 5000,
            { since: m2, rule: 'a triggered FirmwareStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'after the update the firmware status is Idle (OCPP 1.6 §7.25)');
        await t.files.close();
    },
};
