'use strict';
// OCTT TC_044_2 Firmware update, download failed: the file is missing (HTTP
// 404) and then the server is down (connection refused).  Each try of
// `retries` is made retryInterval apart, Downloading is reported once, then
// DownloadFailed; nothing is installed and the station does not reboot.
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');
const { freePort } = require('../lib/util');

const FW = 'FirmwareStatusNotification';

module.exports = {
    title: 'TC_044_2 UpdateFirmware: missing file and server down give DownloadFailed after the retries',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 60000,
    async setup(t) {
        t.files = await startFileServer();
    },
    async run(t) {
        await bootAccepted(t);
        const pid = t.cp.pid;

        // 1. 404, three tries 20 s apart (2 s real).
        let m = t.csms.mark();
        const r = await t.csms.call('UpdateFirmware', {
            location: t.files.httpUrl('/firmware/missing-3.0.bin'),
            retrieveDate: new Date().toISOString(),
            retries: 3,
            retryInterval: 20,
        });
        t.equal(r, {}, 'UpdateFirmware.conf is an empty object (OCPP 1.6 §6.51)');
        await waitStatuses(t, FW, ['Downloading'], { since: m, rule: 'the download starts at retrieveDate (OCPP 1.6 §5.19)' });
        // Between tries the update is still under way.
        await new Promise((res) => { const poll = () => (t.files.hits('GET').length >= 1 ? res() : setTimeout(poll, 20)); poll(); });
        const mt = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: FW });
        const during = await t.csms.waitFor(FW, null, 5000, { since: mt, rule: 'a triggered FirmwareStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(during.payload.status, 'Downloading', 'between two tries the triggered status is the current one, Downloading (OCPP 1.6 §5.17)');
        await waitStatuses(t, FW, ['DownloadFailed'], { since: mt, timeoutMs: t.scaled(60) + 10000,
            rule: 'a download that fails every try ends with DownloadFailed (OCPP 1.6 §4.5, OCTT TC_044_2)' });
        const gets = t.files.hits('GET', '/firmware/');
        t.equal(gets.length, 3, 'the station tries `retries` times (OCPP 1.6 §6.50 retries)');
        for (let i = 1; i < gets.length; i++) {
            t.atLeast(gets[i].t - gets[i - 1].t, t.scaled(20) * 0.8, `try ${i + 1} waits retryInterval after try ${i} (OCPP 1.6 §6.50 retryInterval)`);
        }
        t.equal(statusesSince(t, FW, m), ['Downloading', 'Downloading', 'DownloadFailed'],
            'Downloading once (plus the triggered one), then DownloadFailed; no Downloaded or Installing (OCPP 1.6 §4.5)');

        // 2. Nobody listens on the port: one try, DownloadFailed.
        const port = await freePort();
        m = t.csms.mark();
        await t.csms.call('UpdateFirmware', {
            location: `ftp://127.0.0.1:${port}/firmware/ocpp-cp-3.0.bin`,
            retrieveDate: new Date().toISOString(),
            retries: 1,
        });
        await waitStatuses(t, FW, ['Downloading', 'DownloadFailed'], { since: m,
            rule: 'a server that refuses the connection gives DownloadFailed (OCPP 1.6 §4.5, OCTT TC_044_2)' });
        t.equal(statusesSince(t, FW, m), ['Downloading', 'DownloadFailed'], 'nothing else is reported for a failed download (OCPP 1.6 §4.5)');

        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('BootNotification').length, 1, 'a failed download does not reboot the station');
        t.equal(t.cp.pid, pid, 'the daemon keeps running');
        await t.files.close();
    },
};
