'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Get Security Log",
// failure: the server answers every upload with HTTP 500; the station tries
// `retries` times, `retryInterval` apart, and reports Uploading once and then
// UploadFailure, both with the requestId.  Then a GetLog replaces an upload
// waiting for its next try: AcceptedCanceled, the new log is uploaded and the
// replaced one never reports again.
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');
const { sleep, pollUntil } = require('../lib/util');

const LOG = 'LogStatusNotification';

module.exports = {
    title: 'GetLog: retried retryInterval apart, then UploadFailure; a new GetLog replaces a waiting one (AcceptedCanceled)',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 60000,
    async setup(t) {
        t.files = await startFileServer();
        t.files.refuse('/broken/', 500);
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('GetLog', {
            logType: 'SecurityLog', requestId: 201, retries: 3, retryInterval: 10,
            log: { remoteLocation: t.files.httpUrl('/broken/') },
        });
        t.equal(r.status, 'Accepted', 'GetLog is Accepted (whitepaper "Get Security Log")');
        await waitStatuses(t, LOG, ['Uploading', 'UploadFailure'], { since: m, timeoutMs: 20000,
            rule: 'an upload that keeps failing reports Uploading, then UploadFailure after the last try (whitepaper UploadLogStatusEnumType)' });
        t.equal(statusesSince(t, LOG, m), ['Uploading', 'UploadFailure'], 'Uploading once per job, not per try, then UploadFailure');
        t.ok(t.csms.calls(LOG, m).every((e) => e.payload.requestId === 201), 'both notifications carry the requestId',
            t.csms.calls(LOG, m).map((e) => e.payload));
        const puts = t.files.hits('PUT', '/broken/');
        t.equal(puts.length, 3, '`retries` is the number of tries (whitepaper GetLog.req retries)', puts);
        for (let i = 1; i < puts.length; i++) {
            t.ok(puts[i].t - puts[i - 1].t >= t.scaled(10) * 0.8,
                `the tries are retryInterval apart (try ${i + 1})`, { gapMs: puts[i].t - puts[i - 1].t, wantMs: t.scaled(10) });
        }

        // An upload waiting an hour for its next try is replaced.
        const m2 = t.csms.mark();
        const r2 = await t.csms.call('GetLog', {
            logType: 'SecurityLog', requestId: 202, retries: 3, retryInterval: 3600,
            log: { remoteLocation: t.files.httpUrl('/broken/') },
        });
        t.equal(r2.status, 'Accepted', 'a second GetLog after the first ended is Accepted');
        await t.csms.waitFor(LOG, (p) => p.status === 'Uploading' && p.requestId === 202, 5000, { since: m2, rule: 'the second upload starts' });
        const tried = await pollUntil(() => t.files.hits('PUT', '/broken/').length === 4, 5000, 50);
        t.ok(tried, 'test setup: the first try of request 202 was made (and refused)');
        await sleep(200);    // its result reaches the station
        const m3 = t.csms.mark();
        const r3 = await t.csms.call('GetLog', { logType: 'SecurityLog', requestId: 203, log: { remoteLocation: t.files.httpUrl('/logs/') } });
        t.equal(r3.status, 'AcceptedCanceled', 'a GetLog that replaces a pending upload is AcceptedCanceled (whitepaper LogStatusEnumType)');
        await waitStatuses(t, LOG, ['Uploading', 'Uploaded'], { since: m3, rule: 'the replacing request is uploaded' });
        t.ok(t.csms.calls(LOG, m3).every((e) => e.payload.requestId === 203), 'its notifications carry its own requestId');
        await t.files.waitUpload('/logs/' + r3.filename, 2000);
        await sleep(t.scaled(20));
        t.equal(t.csms.calls(LOG, m2).filter((e) => e.payload.requestId === 202).map((e) => e.payload.status), ['Uploading'],
            'the replaced upload reports nothing more (no UploadFailure)');
        t.equal(t.files.hits('PUT', '/broken/').length, 4, 'the replaced upload is not tried again');
        await t.files.close();
    },
};
