'use strict';
// OCTT TC_044_3 Firmware update, installation failed: the image downloads
// (HTTP) but the installer hook exits non-zero: Downloading → Downloaded →
// Installing → InstallationFailed, and the station keeps running without a
// reboot.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');

const FW = 'FirmwareStatusNotification';

module.exports = {
    title: 'TC_044_3 UpdateFirmware: the installer fails, InstallationFailed, no reboot',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 45000,
    async setup(t) {
        t.files = await startFileServer();
        t.files.put('/fw/ocpp-cp-bad.bin', Buffer.from('NOT A VALID IMAGE'));
        t.ran = path.join(t.dir, 'installer-ran');
        const installer = path.join(t.dir, 'install.sh');
        fs.writeFileSync(installer, `#!/bin/sh\necho "$1" > "${t.ran}"\necho "install.sh: signature check failed" >&2\nexit 3\n`, { mode: 0o755 });
        t.cp.o.extraArgs = ['--firmware-installer', installer];
    },
    async run(t) {
        await bootAccepted(t);
        const pid = t.cp.pid;
        const m = t.csms.mark();
        const r = await t.csms.call('UpdateFirmware', {
            location: t.files.httpUrl('/fw/ocpp-cp-bad.bin'),
            retrieveDate: new Date().toISOString(),
        });
        t.equal(r, {}, 'UpdateFirmware.conf is an empty object (OCPP 1.6 §6.51)');
        await waitStatuses(t, FW, ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed'], {
            since: m, rule: 'an installer that fails gives InstallationFailed after Installing (OCPP 1.6 §4.5, OCTT TC_044_3)',
        });
        t.ok(fs.existsSync(t.ran), 'the installer hook ran (configurable installer hook)');
        await t.sleep(t.scaled(5));
        t.equal(statusesSince(t, FW, m), ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed'],
            'one notification per step, nothing after InstallationFailed (OCPP 1.6 §4.5)');
        t.equal(t.csms.calls('BootNotification').length, 1, 'a failed installation does not reboot the station');
        t.equal(t.cp.pid, pid, 'the daemon keeps running');
        const m2 = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: FW });
        const idle = await t.csms.waitFor(FW, null, 5000, { since: m2, rule: 'a triggered FirmwareStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'after a failed update the firmware status is Idle (OCPP 1.6 §7.25)');
        await t.files.close();
    },
};
