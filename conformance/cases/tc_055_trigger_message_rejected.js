'use strict';
// OCTT TC_055 Trigger message rejected: a connector that does not exist.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_055 TriggerMessage for a connector that does not exist → Rejected',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        for (const msg of ['StatusNotification', 'MeterValues']) {
            const r = await t.csms.call('TriggerMessage', { requestedMessage: msg, connectorId: 3 });
            t.equal(r.status, 'Rejected', `TriggerMessage ${msg} for connector 3 of 2 is Rejected (OCPP 1.6 §5.17, OCTT TC_055)`);
        }
        await t.sleep(500);
        t.equal(t.csms.calls(null, m).filter((e) => ['StatusNotification', 'MeterValues'].includes(e.action)).length, 0, 'a Rejected trigger sends nothing (OCPP 1.6 §5.17)');
    },
};
