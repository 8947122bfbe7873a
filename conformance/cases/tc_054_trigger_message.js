'use strict';
// OCTT TC_054 Trigger message: each requested message is Accepted and then
// sent (MeterValues with context Trigger, Heartbeat, StatusNotification,
// DiagnosticsStatusNotification Idle, FirmwareStatusNotification Idle).
const { bootAccepted, sampledValues } = require('../lib/steps');

module.exports = {
    title: 'TC_054 TriggerMessage: MeterValues, Heartbeat, StatusNotification, Diagnostics/FirmwareStatusNotification Idle',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const cases = [
            { req: { requestedMessage: 'MeterValues', connectorId: 1 }, action: 'MeterValues', check: (p) => {
                t.equal(p.connectorId, 1, 'a triggered MeterValues is for the requested connector (OCPP 1.6 §5.17)');
                const svs = sampledValues(p);
                t.ok(svs.length > 0 && svs.every((s) => s.context === 'Trigger'), 'triggered MeterValues carry context Trigger (OCPP 1.6 §5.17, §7.33)', svs);
            } },
            { req: { requestedMessage: 'Heartbeat' }, action: 'Heartbeat' },
            { req: { requestedMessage: 'StatusNotification', connectorId: 2 }, action: 'StatusNotification', check: (p) => {
                t.equal(p.connectorId, 2, 'a triggered StatusNotification is for the requested connector (OCPP 1.6 §5.17)');
                t.equal(p.status, 'Available', 'it reports the current status (OCPP 1.6 §5.17)');
            } },
            { req: { requestedMessage: 'DiagnosticsStatusNotification' }, action: 'DiagnosticsStatusNotification', check: (p) => {
                t.equal(p.status, 'Idle', 'DiagnosticsStatusNotification is Idle when no upload runs (OCPP 1.6 §5.17, OCTT TC_054)');
            } },
            { req: { requestedMessage: 'FirmwareStatusNotification' }, action: 'FirmwareStatusNotification', check: (p) => {
                t.equal(p.status, 'Idle', 'FirmwareStatusNotification is Idle when no update runs (OCPP 1.6 §5.17, OCTT TC_054)');
            } },
        ];
        for (const c of cases) {
            const m = t.csms.mark();
            const r = await t.csms.call('TriggerMessage', c.req);
            t.equal(r.status, 'Accepted', `TriggerMessage ${c.req.requestedMessage} is Accepted (OCPP 1.6 §5.17)`);
            const e = await t.csms.waitFor(c.action, null, 5000, { since: m, rule: `an Accepted TriggerMessage ${c.req.requestedMessage} is followed by that message (OCPP 1.6 §5.17)` });
            if (c.check) c.check(e.payload);
        }
    },
};
