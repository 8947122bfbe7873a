'use strict';
// Steps shared by several cases (boot, a local transaction, waiting for a
// status), so each case file reads as the scenario it tests.

const { pollUntil } = require('./util');

/** Waits for a BootNotification that we answered Accepted, then a StatusNotification per connector. */
async function bootAccepted(t, { since = 0, connectors = t.cp.o.connectors || 2, timeoutMs = 10000 } = {}) {
    const boot = await t.csms.waitForAnswered('BootNotification', null, timeoutMs, { since, rule: 'the charge point boots with BootNotification (OCPP 1.6 §4.2)' });
    t.equal(boot.reply && boot.reply.payload && boot.reply.payload.status, 'Accepted', 'test setup: the central system accepted the boot');
    for (let c = 1; c <= connectors; c++) {
        await t.csms.waitFor('StatusNotification', (p) => p.connectorId === c, timeoutMs,
            { since: boot.index, rule: `after an Accepted boot every connector reports its status (OCPP 1.6 §4.9), connector ${c}` });
    }
    return boot;
}

/** Waits for StatusNotification(connector, status) from index `since`. */
function waitStatus(t, connector, status, { since = 0, timeoutMs = 10000, rule } = {}) {
    return t.csms.waitFor('StatusNotification', (p) => p.connectorId === connector && p.status === status, timeoutMs,
        { since, rule: rule || `connector ${connector} reports ${status} with StatusNotification (OCPP 1.6 §4.9)`, desc: `connector ${connector} ${status}` });
}

/**
 * Plug first, then present a tag (OCPTT TC_003 order): Preparing, Authorize,
 * StartTransaction, Charging.  Returns {txId, start, auth}.
 */
async function startLocalTransaction(t, { connector = 1, idTag = 'TAG0001', ev = {}, since = t.csms.mark(), timeoutMs = 10000 } = {}) {
    await t.cp.plug(connector, ev);
    await waitStatus(t, connector, 'Preparing', { since, timeoutMs, rule: 'plugging in an EV makes the connector Preparing (OCPP 1.6 §4.9, §7.7)' });
    const beforeTag = t.csms.mark();
    await t.cp.tag(connector, idTag);
    const auth = await t.csms.waitFor('Authorize', (p) => p.idTag === idTag, timeoutMs,
        { since: beforeTag, rule: 'a presented tag is authorized with Authorize before charging (OCPP 1.6 §4.1)' });
    const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === connector && p.idTag === idTag, timeoutMs,
        { since: auth.index, rule: 'an authorized tag on a plugged connector starts a transaction (OCPP 1.6 §4.8)' });
    await waitStatus(t, connector, 'Charging', { since: beforeTag, timeoutMs, rule: 'a started transaction with an EV that draws makes the connector Charging (OCPP 1.6 §4.9)' });
    return { txId: start.reply.payload.transactionId, start, auth };
}

/** Polls the control socket until pred(connectorStatus) holds; returns that status or undefined. */
async function pollConnector(t, connector, pred, timeoutMs) {
    return pollUntil(async () => {
        const c = await t.cp.connector(connector);
        return pred(c) ? c : null;
    }, timeoutMs, 100);
}

/** Flattens a MeterValues payload into sampled values with their timestamp. */
function sampledValues(payload) {
    const out = [];
    for (const mv of payload.meterValue || []) {
        for (const sv of mv.sampledValue || []) {
            out.push({ timestamp: mv.timestamp, measurand: sv.measurand || 'Energy.Active.Import.Register', ...sv });
        }
    }
    return out;
}

/** The value (Number) of a measurand / phase in a MeterValues payload, Wh/W/A converted from k-units. */
function measurand(payload, name, phase) {
    const sv = sampledValues(payload).find((s) => s.measurand === name && (phase === undefined || s.phase === phase));
    if (!sv) return undefined;
    let v = Number(sv.value);
    if (sv.unit === 'kWh' || sv.unit === 'kW') v *= 1000;
    return v;
}

function parseTime(s) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? null : ms;
}

module.exports = { bootAccepted, waitStatus, startLocalTransaction, pollConnector, sampledValues, measurand, parseTime };
