'use strict';
// Sending hand-made frames to the charge point and judging its reply, for the
// malformed-frame and payload-validation cases.

// OCPP 1.6 spells it OccurenceConstraintViolation; the 1.6J errata (and
// ocpp-rpc) use OccurrenceConstraintViolation.  Both are accepted.
const OCCURRENCE = ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'];

let seq = 0;
function nextId(prefix) { seq += 1; return `${prefix}-${seq}`; }

/**
 * Sends `raw`, waits up to waitMs, returns {reply, others}: reply is the
 * inbound CALLRESULT/CALLERROR with `id` (or, when `anyId`, the first inbound
 * reply of any id), others every other inbound frame in that window.
 */
async function sendAndCollect(t, raw, { id, waitMs = 1500, anyId = false } = {}) {
    const m = t.csms.mark();
    await t.csms.sendRaw(raw, { id });
    let reply = null;
    if (id !== undefined) reply = await t.csms.waitReply(id, waitMs, m);
    if (!reply && anyId) {
        reply = await t.csms.waitForEntry((e) => e.dir === 'in' && (e.type === 'RESULT' || e.type === 'ERROR'), waitMs,
            { since: m, what: 'any reply' }).catch(() => null);
    }
    if (!reply || id === undefined) await t.sleep(id === undefined ? waitMs : 100);
    const others = t.csms.log.slice(m).filter((e) => e.dir === 'in' && e !== reply && e.type !== 'CALL');
    const disconnected = t.csms.log.slice(m).some((e) => e.type === 'DISCONNECT');
    return { reply, others, disconnected };
}

/** The daemon is still connected and answers a plain CALL. */
async function assertStillServing(t, after) {
    const dropped = t.csms.log.some((e) => e.type === 'DISCONNECT');
    t.ok(!dropped, `the daemon stays connected after ${after} (never crash or disconnect)`, t.csms.log.filter((e) => e.type === 'DISCONNECT'));
    const r = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] }, { timeoutMs: 5000 });
    t.ok(r && Array.isArray(r.configurationKey), `the daemon answers the next CALL after ${after}`, r);
}

module.exports = { OCCURRENCE, nextId, sendAndCollect, assertStillServing };
