'use strict';
// A hostile central system while an EV charges: a long multi-byte string in
// a bad field, a frame above CP_MAX_FRAME, 10 000-deep JSON, a flood of a few
// thousand CALLs, and the connection cut in the middle of a frame (twice,
// once inside a fragmented message).  Afterwards the station still charges
// the EV, answers its control socket, has not grown without bound, is
// connected again, and never reused a message id nor sent more than a
// reconnect legitimately re-sends.
const { HostileProxy, rssKb, sanitized } = require('../lib/hostile');
const { startLocalTransaction } = require('../lib/steps');
const { sendAndCollect, assertStillServing } = require('../lib/raw');

const CP_MAX_FRAME = 64 * 1024;  // include/cp_limits.h
const FLOOD = 3000;
const FRAMING = ['FormationViolation', 'ProtocolError'];

function deep(n) { return '['.repeat(n) + ']'.repeat(n); }

async function reconnectAfterCut(t, proxy, opts, what) {
    const before = t.csms.mark();
    const cutAt = Date.now();
    proxy.cutMidFrame(opts);
    await t.csms.waitForEntry((e) => e.type === 'DISCONNECT', 5000, { since: before, what: 'the cut' });
    const conn = await t.csms.waitForEntry((e) => e.type === 'CONNECT', 10000,
        { since: before, rule: `the station reconnects after ${what} (OCPP-J 1.6 §5.3)`, what: 'a new connection' });
    // First failure: 1 s +-20 % back-off; slack for a loaded machine.
    t.ok(conn.t - cutAt < 4000, `after ${what} the station reconnects within the first back-off step`, conn.t - cutAt);
    // Give a reconnect's own messages (if any) time to arrive before judging.
    await t.sleep(1500);
    const sn = t.csms.calls('StatusNotification', conn.index);
    t.ok(sn.length <= 2, `after ${what}: at most one StatusNotification per connector (0 and 1) is re-sent, no burst`,
        sn.map((e) => e.raw));
    t.equal(t.csms.calls('BootNotification', conn.index).length, 0,
        `after ${what}: a reconnect is not a reboot, no BootNotification (OCPP 1.6 §4.2)`);
    const r = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] }, { timeoutMs: 5000 });
    t.ok(r && Array.isArray(r.configurationKey), `the station answers the next CALL after ${what}`, r);
}

module.exports = {
    title: 'Hostile: multi-byte bad field, oversize and 10 000-deep frames, a CALL flood, cuts mid-frame; station charges on, bounded, reconnects',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 58000,
    async run(t) {
        const proxy = await new HostileProxy(t.csms.port).start();
        try {
            t.cp.o.url = proxy.url();
            await t.start();
            const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'HOSTILE1' });
            const rss0 = rssKb(t.cp.pid);
            t.csms.expectStrayReplies = true;

            // 1. Valid UTF-8 in, valid UTF-8 out (RFC 6455 §8.1): a 3-byte
            // character repeated in an enum field is quoted in the
            // description; a cut inside one would make the test central
            // system's websocket fail the connection (close code 1007).
            {
                const raw = JSON.stringify([2, 'h-utf8', 'ChangeAvailability', { connectorId: 1, type: '€'.repeat(100) }]);
                const { reply, disconnected } = await sendAndCollect(t, raw, { id: 'h-utf8', waitMs: 3000 });
                t.ok(!disconnected, 'a CALLERROR quoting multi-byte text is valid UTF-8: the connection stays up (RFC 6455 §8.1)');
                t.ok(reply && reply.type === 'ERROR', 'the bad enum value is answered with a CALLERROR (OCPP-J 1.6 §4.2.3)', reply && reply.raw);
                t.equal(reply.errorCode, 'PropertyConstraintViolation', 'a value outside the enum is PropertyConstraintViolation');
                t.ok(typeof reply.description === 'string' && reply.description.includes('€€') && !reply.description.includes('\uFFFD'),
                    'the description quotes whole characters only', reply.description);
            }

            // 2. Above the station's maximum frame: answered by id, dropped.
            {
                const raw = JSON.stringify([2, 'h-big', 'DataTransfer', { vendorId: 'x', data: 'A'.repeat(CP_MAX_FRAME + 4096) }]);
                const { reply, disconnected } = await sendAndCollect(t, raw, { id: 'h-big', waitMs: 4000 });
                t.ok(!disconnected, 'a frame above CP_MAX_FRAME does not cost the connection');
                t.ok(reply && reply.type === 'ERROR' && reply.errorCode === 'FormationViolation',
                    'a CALL above CP_MAX_FRAME is answered FormationViolation by its id', reply && reply.raw);
            }

            // 3. 10 000-deep JSON: a CALL is answered by id, a bare array dropped.
            {
                const raw = `[2,"h-deep","Heartbeat",${deep(10000)}]`;
                const { reply, disconnected } = await sendAndCollect(t, raw, { id: 'h-deep', waitMs: 3000 });
                t.ok(!disconnected, '10 000-deep JSON does not cost the connection (nor the daemon)');
                t.ok(reply && reply.type === 'ERROR', 'a 10 000-deep CALL is answered with a CALLERROR carrying its id', reply && reply.raw);
                t.oneOf(reply.errorCode, FRAMING, 'JSON nested beyond any OCPP 1.6 message is a framing error');
                const bare = await sendAndCollect(t, deep(10000), { waitMs: 1000 });
                t.ok(!bare.disconnected, 'a bare 10 000-deep array is dropped without a reply and without a disconnect');
                t.equal(bare.others.map((e) => e.raw), [], 'nothing answers a frame without a recoverable id');
                await assertStillServing(t, 'deep JSON');
            }

            // 4. A flood of CALLs, far beyond OCPP-J's one at a time (§4.1.1).
            {
                const m = t.csms.mark();
                const ids = new Set();
                for (let i = 0; i < FLOOD; i++) {
                    const id = `fl-${i}`;
                    ids.add(id);
                    await t.csms.sendRaw(JSON.stringify([2, id, 'GetConfiguration', { key: ['HeartbeatInterval'] }]), { id });
                }
                const isFloodReply = (e) => e.dir === 'in' && (e.type === 'RESULT' || e.type === 'ERROR') && ids.has(e.id);
                const end = Date.now() + 15000;
                while (t.csms.log.slice(m).filter(isFloodReply).length < FLOOD && Date.now() < end) await t.sleep(200);
                await t.sleep(300); // a duplicate would come right after
                const replies = t.csms.log.slice(m).filter(isFloodReply);
                const seen = new Map();
                for (const r of replies) seen.set(r.id, (seen.get(r.id) || 0) + 1);
                const dup = [...seen].filter(([, n]) => n > 1);
                t.equal(dup, [], 'no CALL of the flood is answered twice (OCPP-J 1.6 §4.1.3)');
                t.equal(replies.length, FLOOD, 'every CALL of the flood is answered: the station stops reading while answers queue, it drops none');
                t.ok(replies.every((r) => r.type === 'RESULT'), 'every flood answer that goes out is a valid CALLRESULT',
                    replies.filter((r) => r.type !== 'RESULT').slice(0, 3).map((r) => r.raw));
                t.ok(!t.csms.log.slice(m).some((e) => e.type === 'DISCONNECT'), 'the flood does not cost the connection');
                await assertStillServing(t, 'a CALL flood');
            }

            // 5. Cut mid-frame: a frame announcing 1000 bytes, 20 sent; then
            // inside a fragmented message (a first fragment, then the cut).
            await reconnectAfterCut(t, proxy, { announced: 1000, sent: 20 }, 'a cut in the middle of a frame');
            await reconnectAfterCut(t, proxy, { announced: 40, sent: 40, fin: false }, 'a cut inside a fragmented message');

            // The station is whole.
            const c1 = await t.cp.connector(1);
            t.equal(c1.ocpp_status, 'Charging', 'the EV still charges after all of it (the hardware is never given up)');
            t.equal(c1.transaction_id, txId, 'the same transaction goes on');
            t.equal(t.csms.calls('StopTransaction').length, 0, 'no transaction was stopped');
            const rss1 = rssKb(t.cp.pid);
            // Under ASan freed memory sits in the quarantine (256 MB by
            // default): there the bound only catches a runaway.
            const limitKb = sanitized(t.cp.pid) ? 256 * 1024 : 8 * 1024;
            t.ok(rss0 && rss1 && rss1 - rss0 < limitKb, `resident memory grew by less than ${limitKb / 1024} MB through the abuse`,
                { beforeKb: rss0, afterKb: rss1 });
            const cpIds = t.csms.log.filter((e) => e.dir === 'in' && e.type === 'CALL').map((e) => e.id);
            t.equal(cpIds.length, new Set(cpIds).size, 'no message id of the station is ever reused, across reconnects (OCPP-J 1.6 §4.1.3)');
            t.csms.expectStrayReplies = false;
        } finally {
            await proxy.close();
        }
    },
};
