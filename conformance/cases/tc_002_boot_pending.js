'use strict';
// OCTT TC_002 Boot Pending: while Pending the charge point answers
// GetConfiguration / ChangeConfiguration, sends nothing of its own but
// BootNotification after the interval, and goes on once Accepted.
const { bootAccepted } = require('../lib/steps');

const INTERVAL = 40; // s, daemon clock: 2 s real at --time-scale 20

module.exports = {
    title: 'TC_002 boot Pending: configuration answered while Pending, retry after interval, then Accepted',
    timeScale: 20,
    connectors: 2,
    timeoutMs: 30000,
    setup(t) {
        t.csms.replyOnce('BootNotification', (p, c) => ({ status: 'Pending', currentTime: c.now(), interval: INTERVAL }));
    },
    async run(t) {
        const pending = await t.csms.waitForAnswered('BootNotification', null, 10000, { rule: 'the charge point boots with BootNotification (OCPP 1.6 §4.2)' });
        t.equal(pending.reply.payload.status, 'Pending', 'test setup: first boot answered Pending');

        const conf = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.ok(Array.isArray(conf.configurationKey) && conf.configurationKey.some((k) => k.key === 'HeartbeatInterval'),
            'while Pending the charge point answers GetConfiguration (OCPP 1.6 §4.2.1, OCTT TC_002)', conf);
        const ch = await t.csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '120' });
        t.equal(ch.status, 'Accepted', 'while Pending the charge point answers ChangeConfiguration (OCPP 1.6 §4.2.1, OCTT TC_002)');

        const retry = await t.csms.waitFor('BootNotification', null, t.scaled(INTERVAL) * 3 + 3000,
            { since: pending.index + 1, rule: 'after Pending the charge point sends BootNotification again after the interval (OCPP 1.6 §4.2.1)' });
        t.atLeast(retry.t - pending.reply.t, t.scaled(INTERVAL) * 0.8,
            `after Pending, no BootNotification before the interval (${INTERVAL} s scaled) has passed (OCPP 1.6 §4.2.1)`);
        await bootAccepted(t, { since: retry.index, connectors: 2 });
        const got = await t.csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] });
        t.equal(got.configurationKey[0] && got.configurationKey[0].value, '120', 'a ChangeConfiguration accepted while Pending is kept (OCPP 1.6 §5.3)');
    },
};
