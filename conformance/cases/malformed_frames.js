'use strict';
// Frames that are not valid OCPP-J: the daemon answers with a CALLERROR where
// it can name the id (FormationViolation / ProtocolError), never with a
// CALLRESULT, never replies to a CALLRESULT/CALLERROR it did not expect, and
// stays connected and serving.
const { bootAccepted } = require('../lib/steps');
const { sendAndCollect, assertStillServing } = require('../lib/raw');

const FRAMING = ['FormationViolation', 'ProtocolError'];
const LONG_ID = 'L'.repeat(37);

// expect: 'error' (a CALLERROR is required), 'error-or-none' (a reply, if any,
// must be a CALLERROR with one of the codes), 'none' (no reply at all).
const FRAMES = [
    { name: 'invalid JSON', raw: '[2,"mf-json","Heartbeat",{', id: 'mf-json', expect: 'error-or-none' },
    { name: 'a JSON object instead of an array', raw: '{"hello":"world"}', expect: 'error-or-none' },
    { name: 'an empty array', raw: '[]', expect: 'error-or-none' },
    { name: 'unknown message type 7', raw: '[7,"mf-type","GetConfiguration",{}]', id: 'mf-type', expect: 'error-or-none' },
    { name: 'message type as a string', raw: '["2","mf-str","GetConfiguration",{}]', id: 'mf-str', expect: 'error-or-none' },
    { name: 'a message id that is not a string', raw: '[2,42,"GetConfiguration",{}]', expect: 'error-or-none' },
    { name: 'a CALL without payload', raw: '[2,"mf-nopayload","GetConfiguration"]', id: 'mf-nopayload', expect: 'error' },
    { name: 'a CALL whose payload is null', raw: '[2,"mf-null","GetConfiguration",null]', id: 'mf-null', expect: 'error' },
    { name: 'an over-long message id (37 chars, OCPP-J §4.1.3 allows 36)', raw: `[2,"${LONG_ID}","GetConfiguration",{}]`, id: LONG_ID, expect: 'error-or-none' },
    { name: 'a CALLRESULT for an id never sent', raw: '[3,"mf-unknown-result",{}]', id: 'mf-unknown-result', expect: 'none' },
    { name: 'a CALLERROR for an id never sent', raw: '[4,"mf-unknown-error","GenericError","",{}]', id: 'mf-unknown-error', expect: 'none' },
    { name: 'a 1 MB frame (above CP_MAX_FRAME)', raw: `[2,"mf-big","DataTransfer",{"vendorId":"conformance","data":"${'A'.repeat(1 << 20)}"}]`,
        id: 'mf-big', expect: 'error', anyId: true, waitMs: 4000 },
];

module.exports = {
    title: 'Malformed frames → CALLERROR FormationViolation/ProtocolError (or none); daemon stays connected',
    timeScale: 10,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        // Replies to frames without a usable id cannot be matched by ocpp-rpc; judged here instead.
        t.csms.expectStrayReplies = true;
        for (const f of FRAMES) {
            const { reply, others, disconnected } = await sendAndCollect(t, f.raw, { id: f.id, waitMs: f.waitMs || 1000, anyId: f.anyId });
            t.ok(!disconnected, `${f.name}: the daemon does not disconnect`);
            t.equal(others.filter((e) => e.type === 'RAW').map((e) => e.raw), [], `${f.name}: every frame the daemon sends is valid OCPP-J (OCPP-J 1.6 §4)`);
            if (f.expect === 'none') {
                t.equal(reply, null, `${f.name}: a CALLRESULT/CALLERROR is never answered; unknown ids are ignored (OCPP-J 1.6 §4.2)`);
                t.equal(others.map((e) => e.raw), [], `${f.name}: nothing is sent in reply (OCPP-J 1.6 §4.2)`);
            } else {
                if (f.expect === 'error') t.ok(reply, `${f.name}: answered with a CALLERROR (OCPP-J 1.6 §4.2.3 FormationViolation)`);
                if (reply) {
                    t.equal(reply.type, 'ERROR', `${f.name}: never processed as a valid CALL; the answer is a CALLERROR (OCPP-J 1.6 §4.2.3)`);
                    t.oneOf(reply.errorCode, FRAMING, `${f.name}: a frame that is not valid OCPP-J is FormationViolation or ProtocolError (OCPP-J 1.6 §4.2.3 error codes)`);
                }
                const stray = others.filter((e) => e.type === 'RESULT');
                t.equal(stray.map((e) => e.raw), [], `${f.name}: no CALLRESULT for an invalid frame (OCPP-J 1.6 §4.2.3)`);
            }
            await assertStillServing(t, f.name);
        }
        t.csms.expectStrayReplies = false;
    },
};
