'use strict';
// Message ids: OCPP-J 1.6 §4.1.3 allows at most 36 characters.  A central
// system that sends a CALL with a longer id gets a CALLERROR
// FormationViolation that echoes its id (OCPP-J 1.6 §4.2.3: the CALLERROR
// carries the CALL's id, so the sender can match it) instead of silence, as
// long as the id is printable ASCII of at most 128 characters
// (CP_MAX_ECHO_ID); a longer one has nothing that could be echoed and is not
// answered.  The action is not run.  Our own ids stay within 36 characters
// (the harness checks every CALL the station sends).
const { bootAccepted } = require('../lib/steps');
const { sendAndCollect, assertStillServing } = require('../lib/raw');

const ID37 = 'I'.repeat(37);
const ID128 = 'urn:uuid:' + 'x'.repeat(119);
const ID129 = ID128 + 'y';
const ID100 = 'B'.repeat(100);

module.exports = {
    title: 'A CALL with a message id over 36 characters → CALLERROR FormationViolation echoing it (up to 128)',
    connectors: 1,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        t.equal(ID128.length, 128, 'test setup: a 128-character id');
        for (const id of [ID37, ID128]) {
            const { reply, disconnected } = await sendAndCollect(t,
                `[2,"${id}","ChangeConfiguration",{"key":"HeartbeatInterval","value":"77"}]`, { id, waitMs: 3000 });
            t.ok(!disconnected, `${id.length}-character id: the station stays connected`);
            t.ok(reply, `a CALL with a ${id.length}-character id is answered, not ignored (OCPP-J 1.6 §4.2.3)`);
            t.equal(reply.type, 'ERROR', `${id.length}-character id: the answer is a CALLERROR (OCPP-J 1.6 §4.1.3 allows 36)`);
            t.equal(reply.errorCode, 'FormationViolation', `${id.length}-character id: FormationViolation, the frame is not valid OCPP-J (OCPP-J 1.6 §4.2.3)`);
            t.ok(/message id of \d+ characters/.test(reply.description), 'the description says what is wrong', reply.description);
        }
        const conf = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.ok(conf.configurationKey[0].value !== '77', 'a refused CALL changes nothing: its action did not run', conf);

        // Too long to echo: no answer, still serving.
        const { reply: none, disconnected } = await sendAndCollect(t, `[2,"${ID129}","Heartbeat",{}]`, { id: ID129, waitMs: 1500 });
        t.equal(none, null, 'a CALL whose id is over 128 characters is not answered (no id to echo)');
        t.ok(!disconnected, '129-character id: the station stays connected');

        // An oversize frame (above CP_MAX_FRAME) with a long id: answered by its id too.
        const big = `[2,"${ID100}","DataTransfer",{"vendorId":"interop","data":"${'A'.repeat(70 * 1024)}"}]`;
        const { reply: bigReply } = await sendAndCollect(t, big, { id: ID100, waitMs: 3000 });
        t.ok(bigReply && bigReply.type === 'ERROR' && bigReply.errorCode === 'FormationViolation',
            'an oversize CALL with a 100-character id is answered FormationViolation by its id', bigReply && bigReply.raw);
        await assertStillServing(t, 'CALLs with over-long ids');
    },
};
