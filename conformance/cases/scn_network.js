'use strict';
// A Smart Charging Network of three stations on this machine (docs/scn.md),
// SCN-TotalStaticCurrent 40 A, two sockets each (IDs 0-5): the summed offer
// never exceeds the budget at any sample while EVs plug in; four EVs get
// 10 A each, so the station with two EVs gets 20 A (the network shares per
// socket); a member killed with SIGKILL is lost after SCN-PeerTimeout, the
// others log it and keep within the budget minus the safe current they
// reserve for its sockets; restarted, it joins again and the network
// converges.  Member A (the case's daemon) is set up by ChangeConfiguration.
const { bootAccepted } = require('../lib/steps');
const { freePort, pollUntil } = require('../lib/util');
const { scnConfig, startMember, stopMembers, plugAndTag, offers, watchSum, waitMembers } = require('../lib/scn');
const { changeKeys } = require('../lib/keys');

const SCALE = 10;
const TOTAL = 40;
const SAFE = 6;

module.exports = {
    title: 'SCN of 3 stations: never over 40 A, 10 A per socket in use, SIGKILL of a member → safe reservation, rejoin converges',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 150000,
    async run(t) {
        const port = await freePort();
        const base = { port, count: 6, total: TOTAL, socketSafe: SAFE, peerTimeout: 3 };
        try {
            await bootAccepted(t);
            await changeKeys(t, scnConfig({ ...base, firstId: 0 }));
            const b = await startMember(t, 'B', scnConfig({ ...base, firstId: 2 }));
            const c = await startMember(t, 'C', scnConfig({ ...base, firstId: 4 }));
            const cps = [t.cp, b.cp, c.cp];
            await waitMembers(t, cps, 3, 10000, 'the three members hear each other on 127.0.0.1');

            // EVs: one on A, one on B, two on C.
            await plugAndTag(t.cp, 1, 'TAGA1');
            await plugAndTag(b.cp, 1, 'TAGB1');
            await plugAndTag(c.cp, 1, 'TAGC1');
            await plugAndTag(c.cp, 2, 'TAGC2');
            // Probing (60 s per socket; with 40 A not all four probe at 14 A
            // at once) and the settling after it, watched all along.
            let max = await watchSum(t, cps, t.scaled(90), () => TOTAL,
                'the summed offer of the network never exceeds SCN-TotalStaticCurrent (docs/scn.md)');
            t.figure(`highest summed offer while 4 EVs plugged in and probed: ${max} A of ${TOTAL} A`);
            const settled = await pollUntil(async () => {
                const o = await offers(cps);
                return o.per.filter((a) => Math.abs(a - 10) < 0.05).length === 4 ? o : null;
            }, t.scaled(200), 50);
            t.ok(settled, '40 A over 4 sockets in use: 10 A each, the station with two EVs gets 20 A (docs/balancing.md SCN vector)', await offers(cps));
            const st = await t.cp.control({ cmd: 'status' });
            t.equal(st.connectors[0].binding, 'scn', 'the control socket names the network share as what binds');
            t.equal([st.scn.network, st.scn.state, st.scn.sockets.length], ['TEST1', 'joined', 6], 'status.scn: the network, joined, six sockets');
            t.equal(st.scn.budget_a, [TOTAL, TOTAL, TOTAL], 'status.scn: the budget per phase');

            // SIGKILL B: lost after SCN-PeerTimeout; its two sockets keep SAFE A each reserved.
            await b.cp.kill('SIGKILL');
            const killed = Date.now();
            max = await watchSum(t, [t.cp, c.cp], t.scaled(8), () => (Date.now() - killed > t.scaled(5) ? TOTAL - 2 * SAFE : TOTAL),
                'after a member is lost the others stay within the budget minus its reserved safe current (docs/scn.md)');
            t.ok(/Lost connection with other socket \(id: [23]\)!/.test(t.cp.readLog()), 'the survivors log "Lost connection with other socket (id: N)!"', t.cp.logTail(10));
            await waitMembers(t, [t.cp, c.cp], 2, t.scaled(10), 'the survivors drop the lost member from the view');
            t.figure(`highest summed offer of the survivors: ${max} A (budget ${TOTAL} A, ${TOTAL - 2 * SAFE} A once B is lost)`);

            // B comes back (a new process, a new member id).
            await b.cp.start();
            await waitMembers(t, cps, 3, t.scaled(20), 'the restarted member joins again');
            await plugAndTag(b.cp, 1, 'TAGB1');
            max = await watchSum(t, cps, t.scaled(20), () => TOTAL, 'while the rejoined member converges the sum stays within the budget');
            t.figure(`highest summed offer after the rejoin: ${max} A`);
            const again = await pollUntil(async () => {
                const o = await offers(cps);
                return o.per.filter((a) => Math.abs(a - 10) < 0.05).length === 4 ? o : null;
            }, t.scaled(200), 50);
            t.ok(again, 'the rejoined member converges: 10 A for each of the 4 sockets in use again', await offers(cps));
        } finally {
            await stopMembers(t);
        }
    },
};
