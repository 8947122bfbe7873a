'use strict';
// OCTT TC_045_2 Get Diagnostics, upload failed: the server refuses the upload
// (HTTP 403); the station tries `retries` times retryInterval apart, reports
// Uploading once and then UploadFailed.
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');

const DIAG = 'DiagnosticsStatusNotification';

module.exports = {
    title: 'TC_045_2 GetDiagnostics: refused upload, retried, UploadFailed',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 45000,
    async setup(t) {
        t.files = await startFileServer();
        t.files.refuse('/denied/', 403);
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('GetDiagnostics', { location: t.files.httpUrl('/denied/'), retries: 2, retryInterval: 20 });
        t.ok(typeof r.fileName === 'string' && r.fileName.length > 0, 'GetDiagnostics.conf names the file (OCPP 1.6 §6.29)', r);
        await waitStatuses(t, DIAG, ['Uploading'], { since: m, rule: 'the upload starts (OCPP 1.6 §4.4)' });
        await new Promise((res) => { const poll = () => (t.files.hits('PUT').length >= 1 ? res() : setTimeout(poll, 20)); poll(); });
        const mt = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: DIAG });
        const during = await t.csms.waitFor(DIAG, null, 5000, { since: mt, rule: 'a triggered DiagnosticsStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(during.payload.status, 'Uploading', 'between two tries the triggered status is Uploading (OCPP 1.6 §5.17, §7.24)');
        await waitStatuses(t, DIAG, ['UploadFailed'], { since: mt, timeoutMs: t.scaled(40) + 10000,
            rule: 'an upload that fails every try ends with UploadFailed (OCPP 1.6 §4.4, OCTT TC_045_2)' });
        const puts = t.files.hits('PUT', '/denied/');
        t.equal(puts.length, 2, 'the station tries `retries` times (OCPP 1.6 §6.28 retries)');
        t.ok(puts.every((p) => p.path === `/denied/${r.fileName}`), 'each try uploads the file named in the conf (OCPP 1.6 §6.29)', puts);
        t.atLeast(puts[1].t - puts[0].t, t.scaled(20) * 0.8, 'the second try waits retryInterval (OCPP 1.6 §6.28 retryInterval)');
        t.equal(statusesSince(t, DIAG, m), ['Uploading', 'Uploading', 'UploadFailed'],
            'Uploading once (plus the triggered one), then UploadFailed (OCPP 1.6 §4.4)');
        const m2 = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: DIAG });
        const idle = await t.csms.waitFor(DIAG, null, 5000, { since: m2, rule: 'a triggered DiagnosticsStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'after the failure the diagnostics status is Idle (OCPP 1.6 §7.24)');
        await t.files.close();
    },
};
