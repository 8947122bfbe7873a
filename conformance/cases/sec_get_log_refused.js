'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Get Security Log", the
// upload statuses that are not a plain failure (UploadLogStatusEnumType):
//   - the server refuses the upload (HTTP 403): PermissionDenied after the
//     one try, since trying again cannot succeed;
//   - a remoteLocation with a scheme the station does not speak (sftp):
//     NotSupportedOperation, nothing is sent anywhere;
//   - a remoteLocation that is no URL: BadMessage.
// Every notification carries the request's requestId.
const { bootAccepted } = require('../lib/steps');
const { startFileServer, waitStatuses, statusesSince } = require('../lib/fileserver');
const { sleep } = require('../lib/util');

const LOG = 'LogStatusNotification';

module.exports = {
    title: 'GetLog: PermissionDenied (HTTP 403), NotSupportedOperation (sftp://), BadMessage (not a URL)',
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
        const r = await t.csms.call('GetLog', {
            logType: 'SecurityLog', requestId: 301, retries: 3, retryInterval: 5,
            log: { remoteLocation: t.files.httpUrl('/denied/') },
        });
        t.equal(r.status, 'Accepted', 'GetLog is Accepted (whitepaper "Get Security Log")');
        await waitStatuses(t, LOG, ['Uploading', 'PermissionDenied'], { since: m,
            rule: 'an upload the server refuses (HTTP 403) is reported PermissionDenied (whitepaper UploadLogStatusEnumType)' });
        await sleep(t.scaled(15));
        t.equal(statusesSince(t, LOG, m), ['Uploading', 'PermissionDenied'], 'nothing follows PermissionDenied');
        t.equal(t.files.hits('PUT', '/denied/').length, 1, 'a refusal is not retried: the same credentials would be refused again');
        t.ok(t.csms.calls(LOG, m).every((e) => e.payload.requestId === 301), 'the notifications carry the requestId',
            t.csms.calls(LOG, m).map((e) => e.payload));

        for (const [what, id, location, status] of [
            ['a scheme the station does not support', 302, 'sftp://127.0.0.1/logs/', 'NotSupportedOperation'],
            ['a remoteLocation that is not a URL', 303, 'logs on the usual server', 'BadMessage'],
        ]) {
            const mi = t.csms.mark();
            const before = t.files.requests.length;
            const ri = await t.csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: id, log: { remoteLocation: location } });
            t.equal(ri.status, 'Accepted', `GetLog is answered Accepted, the upload status tells what went wrong [${what}]`);
            const n = await t.csms.waitFor(LOG, (p) => p.status === status, 5000,
                { since: mi, rule: `${what} is reported ${status} (whitepaper UploadLogStatusEnumType)` });
            t.equal(n.payload.requestId, id, `${status} carries the requestId`);
            await sleep(t.scaled(5));
            t.equal(statusesSince(t, LOG, mi), [status], `${status} is the only status: no upload was tried [${what}]`);
            t.equal(t.files.requests.length, before, `nothing reached the file server [${what}]`);
        }
        await t.files.close();
    },
};
