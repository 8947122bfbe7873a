'use strict';
// Smart Charging Network members for the SCN cases: extra ocpp-cp daemons
// (each with its own accepting central system) in subdirectories of the
// case's directory, all on the loopback interface (SCN-Interface=127.0.0.1:
// no datagram leaves the machine), and the network-wide checks the cases
// share.
const fs = require('fs');
const path = require('path');
const { Csms } = require('./csms');
const { Daemon } = require('./daemon');
const { pollUntil } = require('./util');

/** The SCN keys of one member. */
function scnConfig({ name = 'TEST1', port, firstId, count, total, safeTotal, socketSafe = 6, peerTimeout = 3, authKey, extra = {} }) {
    const c = {
        'SCN-NetworkName': name,
        'SCN-Interface': '127.0.0.1',
        'SCN-Port': String(port),
        'SCN-SocketID': String(firstId),
        'SCN-TotalStaticCurrent': total.toFixed(1),
        'SCN-SocketSafeCurrent': socketSafe.toFixed(1),
        'SCN-PeerTimeout': String(peerTimeout),
        'SCN-IsEnabled': 'True',
        MeterValueSampleInterval: '0',
        ...extra,
    };
    if (count) c['SCN-SocketCount'] = String(count);
    if (safeTotal !== undefined) c['SCN-TotalSafeCurrent'] = safeTotal.toFixed(1);
    if (authKey) c['SCN-AuthKey'] = authKey;
    return c;
}

/** Starts one more member; returns { cp, csms, stop() }. */
async function startMember(t, label, config, { connectors = 2 } = {}) {
    const dir = path.join(t.dir, label);
    fs.mkdirSync(dir, { recursive: true });
    const csms = await new Csms({}).start();
    const cp = new Daemon({
        bin: t.cp.o.bin, dir, url: csms.url, id: `CP_SCN_${label}`, connectors,
        timeScale: t.cp.o.timeScale, config,
    });
    await cp.start();
    await csms.waitFor('BootNotification', null, 10000);
    const m = {
        label, cp, csms, dir,
        async stop() {
            if (cp.running) await cp.stop(10000).catch(() => {});
            await cp.dispose();
            await csms.close();
        },
    };
    t.members = t.members || [];
    t.members.push(m);
    return m;
}

async function stopMembers(t) {
    for (const m of t.members || []) await m.stop();
    t.members = [];
}

/** Plugs a 3-phase EV on `connector` of daemon `cp` and presents a tag. */
async function plugAndTag(cp, connector, tag) {
    await cp.ctl({ cmd: 'plug', connector, phases: 3, min_current: 6, max_current: 32 });
    await cp.ctl({ cmd: 'tag', connector, id_tag: tag });
}

/** The offered current of every connector of every running daemon, and the sum. */
async function offers(cps) {
    const per = [];
    let sum = 0;
    for (const cp of cps) {
        if (!cp.running) continue;
        const st = await cp.control({ cmd: 'status' }).catch(() => null);
        if (!st || !st.connectors) continue;
        for (const c of st.connectors) {
            per.push(c.offered_a);
            sum += c.offered_a;
        }
    }
    return { per, sum: Math.round(sum * 10) / 10 };
}

/**
 * Samples the summed offer of `cps` for `ms` real ms (every 20 ms) and
 * fails with `rule` on the first sample above `limit()` (evaluated per
 * sample, so it may change while sampling).  Returns the highest sum seen.
 */
async function watchSum(t, cps, ms, limit, rule) {
    const end = Date.now() + ms;
    let max = 0;
    while (Date.now() < end) {
        const o = await offers(cps);
        if (o.sum > max) max = o.sum;
        if (o.sum > limit() + 0.05) t.fail(`${rule}: ${o.sum} A offered in total, budget ${limit()} A`, o);
        await new Promise((r) => setTimeout(r, 20));
    }
    return max;
}

/** Waits until every member in `cps` sees `n` live members. */
async function waitMembers(t, cps, n, timeoutMs, rule) {
    const ok = await pollUntil(async () => {
        for (const cp of cps) {
            const st = await cp.control({ cmd: 'status' }).catch(() => null);
            if (!st || !st.scn) return null;
            if (st.scn.members.filter((m) => !m.lost).length !== n) return null;
        }
        return true;
    }, timeoutMs, 50);
    if (!ok) {
        const all = [];
        for (const cp of cps) all.push(cp.running ? (await cp.control({ cmd: 'status' }).catch(() => null) || {}).scn : 'stopped');
        t.fail(`${rule} (not within ${timeoutMs} ms real)`, all);
    }
}

module.exports = { scnConfig, startMember, stopMembers, plugAndTag, offers, watchSum, waitMembers };
