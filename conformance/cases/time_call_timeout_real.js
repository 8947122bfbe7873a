'use strict';
// A CALL the central system never answers times out after the call timeout
// in real time, whatever --time-scale says (OCPP-J leaves the timeout to the
// implementation; the station's is 30 s, README "Time"): the timeout is a
// timer armed for the outstanding CALL's deadline, so the failed
// BootNotification is retried 30 s real + the boot retry (30 s on the
// station clock, 1 s real at --time-scale 30) after it was sent.
const { NO_REPLY } = require('../lib/csms');
const { bootAccepted } = require('../lib/steps');

const CALL_TIMEOUT_MS = 30000; // real: OCPP_DEFAULT_CALL_TIMEOUT_MS
const BOOT_RETRY_S = 30; // station clock: BOOT_RETRY_DEFAULT_S

module.exports = {
    title: 'an unanswered CALL times out after 30 s real time (not scaled), then the boot is retried',
    timeScale: 30,
    connectors: 1,
    timeoutMs: 60000,
    setup(t) {
        t.csms.replyOnce('BootNotification', NO_REPLY);
    },
    async run(t) {
        const first = await t.csms.waitFor('BootNotification', null, 10000, { rule: 'the charge point boots with BootNotification (OCPP 1.6 §4.2)' });
        const second = await t.csms.waitFor('BootNotification', null, CALL_TIMEOUT_MS + 10000,
            { since: first.index + 1, rule: 'an unanswered BootNotification times out and is sent again (OCPP 1.6 §4.2)' });
        const want = CALL_TIMEOUT_MS + t.scaled(BOOT_RETRY_S);
        t.near(second.t - first.t, want, 600,
            `the call timeout is ${CALL_TIMEOUT_MS} ms real time, then the retry ${BOOT_RETRY_S} s scaled (${t.scaled(BOOT_RETRY_S)} ms real)`);
        t.ok(/no answer to BootNotification \S+ within 30000 ms/.test(t.cp.readLog()),
            'the timeout is logged with the call', t.cp.logTail(30));
        await bootAccepted(t, { since: second.index, connectors: 1 });
    },
};
