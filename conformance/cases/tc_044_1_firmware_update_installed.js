'use strict';
// OCTT TC_044_1 Firmware update, installed: UpdateFirmware (FTP location),
// FirmwareStatusNotification Downloading → Downloaded → Installing, the
// station reboots into the new image (re-exec, new BootNotification) and
// reports Installed once that boot is accepted.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');

const IMAGE = Buffer.from('OCPP-CP FIRMWARE IMAGE 2.0.1\n'.repeat(2000));
const FW = 'FirmwareStatusNotification';

module.exports = {
    title: 'TC_044_1 UpdateFirmware: Downloading, Downloaded, Installing, reboot, Installed',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 60000,
    async setup(t) {
        t.files = await startFileServer();
        t.files.put('/firmware/ocpp-cp-2.0.1.bin', IMAGE);
        // The installer hook: copies the image it is given, says where it ran.
        t.installed = path.join(t.dir, 'installed.bin');
        const installer = path.join(t.dir, 'install.sh');
        fs.writeFileSync(installer, `#!/bin/sh\ncp "$1" "${t.installed}" && exit 0\nexit 1\n`, { mode: 0o755 });
        t.cp.o.extraArgs = ['--firmware-installer', installer];
    },
    async run(t) {
        await bootAccepted(t);
        const pid = t.cp.pid;
        const m = t.csms.mark();
        const r = await t.csms.call('UpdateFirmware', {
            location: t.files.ftpUrl('/firmware/ocpp-cp-2.0.1.bin'),
            retrieveDate: new Date().toISOString(),
            retries: 2,
            retryInterval: 30,
        });
        t.equal(r, {}, 'UpdateFirmware.conf is an empty object (OCPP 1.6 §6.51)');
        const seen = await waitStatuses(t, FW, ['Downloading', 'Downloaded', 'Installing'], {
            since: m, rule: 'a firmware update reports Downloading, Downloaded, Installing in this order (OCPP 1.6 §5.19, OCTT TC_044_1)',
        });
        // The station reboots now: its next message is a BootNotification.
        t.csms.expectBoot();
        const boot = await t.csms.waitFor('BootNotification', null, 20000,
            { since: seen[2].index, rule: 'after installing the station reboots and sends BootNotification (OCPP 1.6 §5.19)' });
        await bootAccepted(t, { since: boot.index });
        const installed = await t.csms.waitFor(FW, (p) => p.status === 'Installed', 10000,
            { since: boot.index, rule: 'Installed is reported after the reboot (OCPP 1.6 §4.5, OCTT TC_044_1)' });
        t.ok(installed.index > boot.reply.index, 'Installed follows the accepted BootNotification (OCPP 1.6 §4.2: nothing before Accepted)',
            { boot: boot.index, installed: installed.index });
        t.equal(statusesSince(t, FW, m), ['Downloading', 'Downloaded', 'Installing', 'Installed'],
            'exactly one notification per step of the update (OCPP 1.6 §4.5)');
        t.equal(t.files.hits('RETR', '/firmware/').length, 1, 'the image is downloaded once over FTP (HTTP/HTTPS/FTP)');
        t.ok(fs.existsSync(t.installed) && fs.readFileSync(t.installed).equals(IMAGE),
            'the installer hook was given the downloaded image, byte for byte (configurable installer hook)');
        t.equal(t.cp.exits.length, 0, 'the reboot is a re-exec in place, not an exit');
        t.equal(t.cp.pid, pid, 'the reboot keeps the process id (re-exec)');

        // Nothing runs any more: a triggered status is Idle.
        const m2 = t.csms.mark();
        const tr = await t.csms.call('TriggerMessage', { requestedMessage: FW });
        t.equal(tr.status, 'Accepted', 'TriggerMessage FirmwareStatusNotification is Accepted (OCPP 1.6 §5.17)');
        const idle = await t.csms.waitFor(FW, null, 5000, { since: m2, rule: 'a triggered FirmwareStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'after the update the firmware status is Idle (OCPP 1.6 §7.25)');
        await t.files.close();
    },
};
