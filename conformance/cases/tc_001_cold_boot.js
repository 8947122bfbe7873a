'use strict';
// OCTT TC_001 Cold boot: the central system first Rejects the boot; the charge
// point sends nothing else and retries after the interval; then Accepted.
const { bootAccepted } = require('../lib/steps');

const INTERVAL = 40; // s, daemon clock: 2 s real at --time-scale 20

module.exports = {
    title: 'TC_001 cold boot: Rejected, nothing else sent, retry after the interval, then Accepted',
    timeScale: 20,
    connectors: 2,
    timeoutMs: 30000,
    setup(t) {
        t.csms.replyOnce('BootNotification', (p, c) => ({ status: 'Rejected', currentTime: c.now(), interval: INTERVAL }));
    },
    async run(t) {
        const rejected = await t.csms.waitForAnswered('BootNotification', null, 10000, { rule: 'the charge point boots with BootNotification (OCPP 1.6 §4.2)' });
        t.equal(rejected.reply.payload.status, 'Rejected', 'test setup: first boot answered Rejected');
        const retry = await t.csms.waitFor('BootNotification', null, t.scaled(INTERVAL) * 3 + 3000,
            { since: rejected.index + 1, rule: 'after Rejected the charge point retries BootNotification after the interval (OCPP 1.6 §4.2.1)' });
        const gap = retry.t - rejected.reply.t;
        t.atLeast(gap, t.scaled(INTERVAL) * 0.8,
            `after Rejected, no BootNotification before the interval (${INTERVAL} s scaled = ${t.scaled(INTERVAL)} ms) has passed (OCPP 1.6 §4.2.1)`);
        const between = t.csms.log.slice(rejected.index + 1, retry.index).filter((e) => e.dir === 'in' && e.type === 'CALL');
        t.equal(between.map((e) => e.action), [], 'while Rejected the charge point sends no other message (OCPP 1.6 §4.2.1)');
        await bootAccepted(t, { since: retry.index, connectors: 2 });
        const st = t.csms.calls('StatusNotification');
        t.ok(st.every((e) => e.index > retry.index), 'StatusNotification only after the boot was Accepted (OCPP 1.6 §4.2.1)', st.map((e) => e.index));
    },
};
