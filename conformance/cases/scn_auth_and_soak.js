'use strict';
// Smart Charging Network on this machine (docs/scn.md): with SCN-AuthKey on
// two members, a third of the same name without the key is ignored (its
// frames are counted as unauthenticated) and a fourth of another network
// name on the same port takes no share; then a randomized soak (fixed seed)
// of EVs plugging and unplugging on three keyed members checks the summed
// offer against SCN-TotalStaticCurrent at every sample.
const { bootAccepted } = require('../lib/steps');
const { freePort } = require('../lib/util');
const { scnConfig, startMember, stopMembers, plugAndTag, watchSum, waitMembers } = require('../lib/scn');
const { changeKeys } = require('../lib/keys');

const SCALE = 10;
const TOTAL = 20;
const KEY = 'network-secret-0123';

module.exports = {
    title: 'SCN: a member without SCN-AuthKey and one of another network are ignored; randomized plug/unplug soak never exceeds the budget',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 150000,
    async run(t) {
        const port = await freePort();
        const base = { port, total: TOTAL, socketSafe: 6, peerTimeout: 3 };
        try {
            await bootAccepted(t);
            await changeKeys(t, scnConfig({ ...base, firstId: 0, authKey: KEY }));
            const g = await t.csms.call('GetConfiguration', { key: ['SCN-AuthKey'] });
            t.ok(!(g.configurationKey || []).some((k) => k.key === 'SCN-AuthKey'), 'SCN-AuthKey is write-only: never read back (README key reference)', g);
            const b = await startMember(t, 'B', scnConfig({ ...base, firstId: 2, authKey: KEY }));
            const c = await startMember(t, 'C', scnConfig({ ...base, firstId: 4 }));
            const d = await startMember(t, 'D', scnConfig({ ...base, name: 'OTHER', firstId: 6, authKey: KEY }));
            await waitMembers(t, [t.cp, b.cp], 2, 10000, 'the two keyed members hear each other');
            await t.sleep(t.scaled(5));
            const st = await t.cp.control({ cmd: 'status' });
            t.equal(st.scn.members.filter((m) => !m.lost).length, 2, 'the member without the key and the other network are not in the view', st.scn.members);
            t.ok(st.scn.frames_unauthenticated > 0, 'frames without a valid tag are dropped and counted', st.scn);
            t.ok(st.scn.frames_other_network > 0, 'frames of another network name are counted and ignored', st.scn);
            await c.stop();
            await d.stop();

            // Soak: three keyed members, 6 sockets on a 20 A budget
            // (alternating when more than three are in use).
            const e = await startMember(t, 'E', scnConfig({ ...base, firstId: 4, authKey: KEY }));
            await waitMembers(t, [t.cp, b.cp, e.cp], 3, 10000, 'the third keyed member joins');
            let seed = 20261206;
            const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
            const cps = [t.cp, b.cp, e.cp];
            const plugged = new Map();
            let max = 0;
            for (let step = 0; step < 16; step++) {
                const cp = cps[Math.floor(rnd() * cps.length)];
                const conn = 1 + Math.floor(rnd() * 2);
                const k = `${cps.indexOf(cp)}:${conn}`;
                if (plugged.get(k)) {
                    await cp.ctl({ cmd: 'unplug', connector: conn });
                    plugged.set(k, false);
                } else {
                    await plugAndTag(cp, conn, `SOAK${step}`);
                    plugged.set(k, true);
                }
                const m = await watchSum(t, cps, 700 + Math.floor(rnd() * 800), () => TOTAL,
                    'the summed offer never exceeds SCN-TotalStaticCurrent while EVs come and go (docs/scn.md)');
                if (m > max) max = m;
            }
            t.figure(`soak: 16 random plug/unplug steps on 3 members, highest summed offer ${max} A of ${TOTAL} A`);
        } finally {
            await stopMembers(t);
        }
    },
};
