'use strict';
// OCPP 1.6 §4.2: "While Rejected, the Charge Point SHALL NOT respond to any
// Central System initiated message."  A central system that sends one
// anyway gets no answer and the request changes nothing; after the retry is
// Accepted the station answers again.
const { bootAccepted } = require('../lib/steps');

const INTERVAL = 60; // s, daemon clock: 6 s real at --time-scale 10

module.exports = {
    title: 'boot Rejected: no answer to any CALL and nothing changes; answered again once Accepted',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 40000,
    setup(t) {
        t.csms.replyOnce('BootNotification', (p, c) => ({ status: 'Rejected', currentTime: c.now(), interval: INTERVAL }));
    },
    async run(t) {
        const rejected = await t.csms.waitForAnswered('BootNotification', null, 10000, { rule: 'the charge point boots with BootNotification (OCPP 1.6 §4.2)' });
        t.equal(rejected.reply.payload.status, 'Rejected', 'test setup: first boot answered Rejected');

        const m = t.csms.mark();
        for (const [action, payload] of [
            ['GetConfiguration', { key: ['MeterValueSampleInterval'] }],
            ['ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '77' }],
            ['UnlockConnector', { connectorId: 1 }],
        ]) {
            let answer = null;
            try {
                answer = await t.csms.call(action, payload, { timeoutMs: 1500 });
            } catch (e) {
                if (e.rpcErrorCode) answer = { callError: e.rpcErrorCode };
            }
            t.equal(answer, null, `${action} while Rejected gets no answer (OCPP 1.6 §4.2)`);
        }

        await bootAccepted(t, { since: m, connectors: 1, timeoutMs: t.scaled(INTERVAL) + 10000 });
        const got = await t.csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] });
        const key = (got.configurationKey || []).find((k) => k.key === 'MeterValueSampleInterval');
        t.ok(key && key.value !== '77', 'the ChangeConfiguration sent while Rejected changed nothing (OCPP 1.6 §4.2)', got);
    },
};
