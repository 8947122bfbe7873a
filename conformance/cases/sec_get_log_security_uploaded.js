'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Get Security Log": the
// station answers GetLog with the file name, reports Uploading then Uploaded
// with the requestId, and the uploaded security log holds every security
// event the central system was sent, one a line ("timestamp type techInfo"),
// limited to oldestTimestamp..latestTimestamp when given.  GetLog
// DiagnosticsLog uploads the diagnostics archive (as GetDiagnostics does).
// The events are made by three SignedUpdateFirmware requests with a
// certificate no installed root vouches for (InvalidFirmwareSigningCertificate).
const { bootAccepted } = require('../lib/steps');
const { startFileServer, untar, waitStatuses, statusesSince } = require('../lib/fileserver');
const { sleep } = require('../lib/util');

const LOG = 'LogStatusNotification';
const SEC = 'SecurityEventNotification';
const NOT_A_CERT = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';

// "timestamp type techInfo": the event of a line, its time in ms.
function parseLine(line) {
    const m = /^(\S+) (\S+)(?: (.*))?$/.exec(line);
    return m ? { t: Date.parse(m[1]), type: m[2], info: m[3] || '' } : null;
}

module.exports = {
    title: 'GetLog SecurityLog: Uploading, Uploaded, the file holds the security events (and the time window); DiagnosticsLog',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 60000,
    async setup(t) {
        t.files = await startFileServer();
    },
    async run(t) {
        await bootAccepted(t);
        const mine = [];
        for (let i = 0; i < 3; i++) {
            const m = t.csms.mark();
            const r = await t.csms.call('SignedUpdateFirmware', {
                requestId: 90 + i,
                firmware: {
                    location: t.files.httpUrl(`/firmware/never-${i}.bin`),
                    retrieveDateTime: new Date().toISOString(),
                    signingCertificate: NOT_A_CERT,
                    signature: 'AAAA',
                },
            });
            t.equal(r.status, 'InvalidCertificate', 'test setup: an untrusted signer makes a security event');
            mine.push(await t.csms.waitFor(SEC, (p) => p.type === 'InvalidFirmwareSigningCertificate', 10000,
                { since: m, rule: 'test setup: the security event is sent (whitepaper "Security events")' }));
            await sleep(t.scaled(10));    // ten station seconds between events
        }
        const sent = t.csms.calls(SEC).map((e) => e.payload);

        // The whole security log.
        const m = t.csms.mark();
        const r = await t.csms.call('GetLog', { logType: 'SecurityLog', requestId: 101, retries: 1, log: { remoteLocation: t.files.httpUrl('/logs/') } });
        t.equal(r.status, 'Accepted', 'GetLog SecurityLog is Accepted (whitepaper "Get Security Log")');
        t.ok(typeof r.filename === 'string' && r.filename.length > 0 && r.filename.length <= 255,
            'GetLog.conf names the file that will be uploaded (whitepaper GetLog.conf filename)', r);
        await waitStatuses(t, LOG, ['Uploading', 'Uploaded'], { since: m,
            rule: 'a log upload reports Uploading then Uploaded (whitepaper "Get Security Log")' });
        t.equal(statusesSince(t, LOG, m), ['Uploading', 'Uploaded'], 'one LogStatusNotification per step');
        t.ok(t.csms.calls(LOG, m).every((e) => e.payload.requestId === 101),
            'every LogStatusNotification carries the GetLog requestId (whitepaper LogStatusNotification)', t.csms.calls(LOG, m).map((e) => e.payload));
        const up = await t.files.waitUpload('/logs/' + r.filename, 2000);
        const lines = up.data.toString('utf8').split('\n').filter((l) => l.length > 0);
        const events = lines.map(parseLine);
        t.ok(events.every((e) => e && Number.isFinite(e.t)), 'every line of the security log is "timestamp type techInfo"', lines.slice(0, 10));
        for (const ev of sent) {
            const at = Date.parse(ev.timestamp);
            t.ok(events.some((e) => e && e.type === ev.type && Math.abs(e.t - at) < 1500 && (!ev.techInfo || e.info === ev.techInfo)),
                `the uploaded security log holds the event ${ev.type} sent at ${ev.timestamp}`, { event: ev, lines });
        }
        t.ok(lines.length >= sent.length, 'the security log has at least the events the central system was sent', { lines: lines.length, sent: sent.length });

        // A window: only the middle event of the three.
        const t1 = Date.parse(mine[0].payload.timestamp), t2 = Date.parse(mine[1].payload.timestamp), t3 = Date.parse(mine[2].payload.timestamp);
        const m2 = t.csms.mark();
        const r2 = await t.csms.call('GetLog', {
            logType: 'SecurityLog', requestId: 102,
            log: {
                remoteLocation: t.files.httpUrl('/window/'),
                oldestTimestamp: new Date((t1 + t2) / 2).toISOString(),
                latestTimestamp: new Date((t2 + t3) / 2).toISOString(),
            },
        });
        t.equal(r2.status, 'Accepted', 'GetLog with a time window is Accepted');
        await waitStatuses(t, LOG, ['Uploading', 'Uploaded'], { since: m2, rule: 'the windowed log is uploaded' });
        const win = (await t.files.waitUpload('/window/' + r2.filename, 2000)).data.toString('utf8')
            .split('\n').filter((l) => l.length > 0).map(parseLine);
        const ours = win.filter((e) => e && e.type === 'InvalidFirmwareSigningCertificate');
        t.equal(ours.length, 1, 'oldestTimestamp / latestTimestamp keep only the events between them (whitepaper LogParametersType)', win);
        t.ok(ours.length === 1 && Math.abs(ours[0].t - t2) < 1500, 'the event kept is the one inside the window', { kept: ours, t2: mine[1].payload.timestamp });

        // DiagnosticsLog: the diagnostics archive, over FTP.
        const m3 = t.csms.mark();
        const r3 = await t.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 103, log: { remoteLocation: t.files.ftpUrl('/diag/') } });
        t.equal(r3.status, 'Accepted', 'GetLog DiagnosticsLog is Accepted');
        await waitStatuses(t, LOG, ['Uploading', 'Uploaded'], { since: m3, rule: 'the diagnostics log is uploaded over FTP' });
        t.ok(t.csms.calls(LOG, m3).every((e) => e.payload.requestId === 103), 'the DiagnosticsLog notifications carry their requestId');
        const diag = await t.files.waitUpload('/diag/' + r3.filename, 2000);
        const names = untar(diag.data).map((x) => x.name);
        t.ok(['summary.txt', 'configuration.txt', 'status.json'].every((n) => names.includes(n)),
            'a DiagnosticsLog is the diagnostics archive (summary, configuration, status)', names);
        t.equal(t.csms.calls('DiagnosticsStatusNotification', m).length, 0, 'GetLog is reported with LogStatusNotification only');

        // Nothing runs: the 1.6 diagnostics status is Idle.
        const m4 = t.csms.mark();
        await t.csms.call('TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' });
        const idle = await t.csms.waitFor('DiagnosticsStatusNotification', null, 5000, { since: m4, rule: 'a triggered DiagnosticsStatusNotification is sent (OCPP 1.6 §5.17)' });
        t.equal(idle.payload.status, 'Idle', 'with no upload running the diagnostics status is Idle (OCPP 1.6 §7.24)');
        await t.files.close();
    },
};
