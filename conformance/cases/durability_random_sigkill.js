'use strict';
// Random power cuts: a fixed-seed campaign of SIGKILLs while transactions
// start, sample and stop on two connectors and the central system goes up
// and down.  Afterwards, with the connection back and every EV gone:
//  - every transaction the central system opened was stopped exactly once;
//  - no StopTransaction names an unknown transaction;
//  - no StartTransaction or MeterValues arrived twice, except a retransmission
//    of a message whose answer reached the station at most RETRANSMIT_MS
//    before it was killed (delivery is at least once across a crash between
//    an answer and its being recorded: OCPP 1.6 §4.7);
//  - the durable queue is empty and SQLite's integrity_check says ok.
// The figures are printed (kills, transactions, messages, retransmissions).
// CP_KILLS (default 16) sets the number of kills; CP_KILL_SEED the seed.
const { execFileSync } = require('child_process');
const { bootAccepted } = require('../lib/steps');
const { pollUntil } = require('../lib/util');
const { idempotentStarts } = require('../lib/killpoint');

const KILLS = Number(process.env.CP_KILLS || 16);
const SEED = Number(process.env.CP_KILL_SEED || 20261206);
const RETRANSMIT_MS = 300;
const SAMPLE = 10; // s, station clock

function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6D2B79F5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

module.exports = {
    title: `${KILLS} random SIGKILLs during transactions, central system up and down: each message once, integrity ok`,
    timeScale: 10,
    connectors: 2,
    config: {
        MeterValueSampleInterval: SAMPLE,
        MeterValuesSampledData: 'Energy.Active.Import.Register',
        LocalAuthorizeOffline: 'true',
        AllowOfflineTxForUnknownId: 'true',
        StopTransactionOnEVSideDisconnect: 'true',
    },
    timeoutMs: 40000 + KILLS * 6000,
    async run(t) {
        const rnd = prng(SEED);
        idempotentStarts(t.csms, 9001);
        await bootAccepted(t);
        const kills = [];
        let tagN = 0;
        for (let k = 0; k < KILLS; k++) {
            // A few random steps, then the power goes.
            const steps = 1 + Math.floor(rnd() * 4);
            for (let i = 0; i < steps; i++) {
                const r = rnd();
                const conn = 1 + Math.floor(rnd() * 2);
                try {
                    const c = await t.cp.connector(conn);
                    if (r < 0.45 && !c.transaction_active) {
                        if (c.pilot === 'A' || c.ocpp_status === 'Available') await t.cp.plug(conn, { phases: 3, max_current: 16 });
                        await t.cp.tag(conn, `RK${String(++tagN).padStart(4, '0')}`);
                    } else if (r < 0.7) {
                        await t.cp.unplug(conn);
                    } else if (r < 0.85) {
                        t.csms.setOffline(!t.csms.offline);
                    }
                } catch (e) { /* the daemon may be restarting */ }
                await t.sleep(50 + Math.floor(rnd() * t.scaled(SAMPLE) * 1.5));
            }
            kills.push(Date.now());
            await t.cp.kill('SIGKILL');
            if (rnd() < 0.5) t.csms.setOffline(!t.csms.offline);
            t.csms.expectBoot();
            await t.cp.start();
        }
        // Settle: online, every EV unplugged, the queue drained.
        t.csms.setOffline(false);
        await pollUntil(async () => (await t.cp.status()).online === true, 20000);
        for (const conn of [1, 2]) await t.cp.unplug(conn).catch(() => {});
        const drained = await pollUntil(async () => {
            const st = await t.cp.status();
            return st.online && st.queued_tx_messages === 0 && st.memory_tx_messages === 0 &&
                st.connectors.every((c) => !c.transaction_active);
        }, 30000, 200);
        t.ok(drained, 'after the campaign, online and unplugged, every transaction ends and the queue drains', await t.cp.status());
        await t.sleep(500);

        const answeredAt = (e) => (e.reply && e.reply.t) || e.t;
        const killedSoonAfter = (e, next) => kills.some((k) => k >= answeredAt(e) && k - answeredAt(e) <= RETRANSMIT_MS && k <= next.t);
        function dupes(entries, keyOf, what) {
            const seen = new Map();
            let retrans = 0;
            for (const e of entries) {
                const key = keyOf(e);
                if (!seen.has(key)) { seen.set(key, e); continue; }
                const first = seen.get(key);
                t.ok(killedSoonAfter(first, e), `${what} arrives once; a second copy only as a retransmission after a kill within ${RETRANSMIT_MS} ms of its answer`,
                    { key, first: first.t, again: e.t, kills: kills.filter((k) => Math.abs(k - first.t) < 5000) });
                retrans++;
                seen.set(key, e);
            }
            return retrans;
        }
        const starts = t.csms.calls('StartTransaction');
        const stops = t.csms.calls('StopTransaction');
        const mvs = t.csms.calls('MeterValues');
        const rStart = dupes(starts, (e) => JSON.stringify(e.payload), 'a StartTransaction');
        const rMv = dupes(mvs, (e) => JSON.stringify(e.payload), 'a MeterValues');
        const ids = new Set(starts.map((e) => e.reply && e.reply.payload && e.reply.payload.transactionId).filter((x) => x !== undefined));
        const stopIds = stops.map((e) => e.payload.transactionId);
        for (const id of stopIds) t.ok(ids.has(id), 'every StopTransaction names a transaction the central system opened (OCPP 1.6 §4.10)', { id, ids: [...ids] });
        const rStop = dupes(stops, (e) => String(e.payload.transactionId), 'a StopTransaction');
        for (const id of ids) t.ok(stopIds.includes(id), 'every transaction opened at the central system is stopped (nothing lost)', { id, stopIds });

        await t.cp.stop();
        let integrity = 'not checked';
        try {
            integrity = execFileSync('sqlite3', [t.cp.db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
        } catch (e) { integrity = `sqlite3 failed: ${e.message}`; }
        t.equal(integrity, 'ok', 'PRAGMA integrity_check after the campaign says ok');
        t.figure(`kills ${kills.length}, transactions ${ids.size}, StartTransaction ${starts.length} (retransmitted ${rStart}), ` +
            `MeterValues ${mvs.length} (retransmitted ${rMv}), StopTransaction ${stops.length} (retransmitted ${rStop})`);
        const m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, timeoutMs: 15000 });
    },
};
