'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), ExtendedTriggerMessage (use
// case "Trigger message" of the whitepaper's messages): each requested
// message is Accepted and then sent, for the connector asked; a connector
// the station does not have is Rejected and nothing is sent.
const { bootAccepted, sampledValues } = require('../lib/steps');

const UC = 'ExtendedTriggerMessage (Security Whitepaper)';

module.exports = {
    title: 'ExtendedTriggerMessage BootNotification / Heartbeat / StatusNotification / MeterValues → Accepted + the message; unknown connector → Rejected',
    timeScale: 10,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const cases = [
            { req: { requestedMessage: 'Heartbeat' }, action: 'Heartbeat' },
            { req: { requestedMessage: 'StatusNotification', connectorId: 2 }, action: 'StatusNotification', check: (p) => {
                t.equal(p.connectorId, 2, `a triggered StatusNotification is for the requested connector (${UC})`);
                t.equal(p.status, 'Available', `it reports the connector's current status (${UC})`);
            } },
            { req: { requestedMessage: 'MeterValues', connectorId: 1 }, action: 'MeterValues', check: (p) => {
                t.equal(p.connectorId, 1, `triggered MeterValues are for the requested connector (${UC})`);
                const svs = sampledValues(p);
                t.ok(svs.length > 0 && svs.every((s) => s.context === 'Trigger'), `triggered MeterValues carry context Trigger (${UC}; OCPP 1.6 §7.33)`, svs);
            } },
            { req: { requestedMessage: 'BootNotification' }, action: 'BootNotification', check: (p) => {
                t.equal(p.chargePointModel && p.chargePointVendor ? 'ok' : p, 'ok', `a triggered BootNotification is a complete BootNotification.req (${UC})`);
            } },
        ];
        for (const c of cases) {
            const m = t.csms.mark();
            const r = await t.csms.call('ExtendedTriggerMessage', c.req);
            t.equal(r.status, 'Accepted', `ExtendedTriggerMessage ${c.req.requestedMessage} is Accepted (${UC})`);
            const e = await t.csms.waitFor(c.action, null, 5000, { since: m, rule: `an Accepted ExtendedTriggerMessage ${c.req.requestedMessage} is followed by that message (${UC})` });
            if (c.check) c.check(e.payload);
        }
        await t.sleep(500);
        const m = t.csms.mark();
        for (const msg of ['StatusNotification', 'MeterValues']) {
            const r = await t.csms.call('ExtendedTriggerMessage', { requestedMessage: msg, connectorId: 3 });
            t.equal(r.status, 'Rejected', `ExtendedTriggerMessage ${msg} for connector 3 of 2 is Rejected (${UC}; as TriggerMessage, OCPP 1.6 §5.17)`);
        }
        await t.sleep(500);
        t.equal(t.csms.calls(null, m).filter((e) => ['StatusNotification', 'MeterValues'].includes(e.action)).length, 0, `a Rejected ExtendedTriggerMessage sends nothing (${UC})`);
    },
};
