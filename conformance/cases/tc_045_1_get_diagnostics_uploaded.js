'use strict';
// OCTT TC_045_1 Get Diagnostics: GetDiagnostics.conf names the file, the
// station reports Uploading then Uploaded, and the archive arrives on the
// operator's server: once over FTP (a directory location) and once over HTTP
// PUT.  The archive is a plain tar with the summary of the database, the
// configuration, the connector status and the daemon's log.
const { bootAccepted } = require('../lib/steps');
const { startFileServer, untar, waitStatuses, statusesSince } = require('../lib/fileserver');

const DIAG = 'DiagnosticsStatusNotification';

module.exports = {
    title: 'TC_045_1 GetDiagnostics: Uploading, Uploaded, the archive arrives (FTP and HTTP)',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 45000,
    async setup(t) {
        t.files = await startFileServer();
    },
    async run(t) {
        await bootAccepted(t);
        for (const [proto, location] of [['FTP', t.files.ftpUrl('/diagnostics/')], ['HTTP', t.files.httpUrl('/upload/')]]) {
            const m = t.csms.mark();
            const r = await t.csms.call('GetDiagnostics', {
                location,
                retries: 2,
                retryInterval: 10,
                startTime: new Date(Date.now() - 3600e3).toISOString(),
                stopTime: new Date(Date.now() + 3600e3).toISOString(),
            });
            t.ok(typeof r.fileName === 'string' && r.fileName.length > 0 && r.fileName.length <= 255,
                `GetDiagnostics.conf names the file that will be uploaded (OCPP 1.6 §6.29) [${proto}]`, r);
            await waitStatuses(t, DIAG, ['Uploading', 'Uploaded'], { since: m,
                rule: `an upload reports Uploading then Uploaded (OCPP 1.6 §4.4, OCTT TC_045_1) [${proto}]` });
            t.equal(statusesSince(t, DIAG, m), ['Uploading', 'Uploaded'], `one notification per step (OCPP 1.6 §4.4) [${proto}]`);
            const prefix = location.replace(/^[a-z]+:\/\/[^/]+/, '');
            const up = await t.files.waitUpload(prefix + r.fileName, 2000);
            let members;
            try {
                members = untar(up.data);
            } catch (e) {
                t.fail(`the diagnostics file is a valid tar archive [${proto}]`, e.message);
            }
            const names = members.map((x) => x.name);
            t.ok(['summary.txt', 'configuration.txt', 'status.json', 'ocpp-cp.log'].every((n) => names.includes(n)),
                `the archive holds the summary, configuration, status and log (logs and database summary) [${proto}]`, names);
            const summary = members.find((x) => x.name === 'summary.txt').data.toString();
            t.ok(summary.includes(t.cp.o.id) && /queued transaction messages: \d+/.test(summary) && /charging profiles: \d+/.test(summary)
                && /stored configuration values: \d+/.test(summary),
                `the summary names the station and counts the database's contents [${proto}]`, summary);
            const config = members.find((x) => x.name === 'configuration.txt').data.toString();
            t.ok(/^HeartbeatInterval=\d+/m.test(config), `the configuration lists the keys [${proto}]`, config.slice(0, 300));
            t.ok(!/^AuthorizationKey=/m.test(config), 'the write-only AuthorizationKey is never exported (OCPP security whitepaper)');
            const log = members.find((x) => x.name === 'ocpp-cp.log').data.toString();
            t.ok(log.includes('GetDiagnostics'), `the archive carries the daemon's recent log [${proto}]`, log.slice(-300));
            JSON.parse(members.find((x) => x.name === 'status.json').data.toString());
        }
        t.equal(t.files.hits('STOR').length + t.files.hits('PUT').length, 2, 'each upload is made once when it succeeds');
        const m2 = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: DIAG });
        const idle = await t.csms.waitFor(DIAG, null, 5000, { since: m2, rule: 'a triggered DiagnosticsStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'with no upload running the diagnostics status is Idle (OCPP 1.6 §7.24)');
        await t.files.close();
    },
};
