'use strict';
// An EMS sets the Smart Charging Network's budget (MbsSlaveTCPIPMode=SCN,
// README "EMS"): it writes registers 1417/1419/1421 of unit 200 on one
// member; that member announces the budget and the network's summed offer
// follows it; once the setpoints expire (MbsSlaveTCPIPValidityTime) the
// network falls back to SCN-TotalSafeCurrent.
const ModbusRTU = require('modbus-serial');
const { bootAccepted } = require('../lib/steps');
const { freePort, pollUntil } = require('../lib/util');
const { scnConfig, startMember, stopMembers, plugAndTag, offers, watchSum, waitMembers } = require('../lib/scn');
const { changeKeys, f32 } = require('../lib/keys');

const SCALE = 10;
const VALIDITY_S = 40;


module.exports = {
    title: 'SCN budget from an EMS (MbsSlaveTCPIPMode SCN): the network follows registers 1417..1421, SCN-TotalSafeCurrent once they expire',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 150000,
    async run(t) {
        const port = await freePort();
        const mbport = await freePort();
        const base = { port, count: 4, total: 40, safeTotal: 14, socketSafe: 6, peerTimeout: 3 };
        let ems = null;
        try {
            await bootAccepted(t);
            const keys = {
                ...scnConfig({ ...base, firstId: 0 }),
                'Safe-MaxCurrent': '6.0',
                MbsSlaveTCPIPValidityTime: String(VALIDITY_S),
                MbsSlaveTCPIPMode: 'SCN',
                'MbsSlaveTCPIP-Port': String(mbport),
                MbsSlaveTCPIP: 'On',
            };
            await changeKeys(t, keys);
            const b = await startMember(t, 'B', scnConfig({ ...base, firstId: 2 }));
            const cps = [t.cp, b.cp];
            await waitMembers(t, cps, 2, 10000, 'the two members hear each other');
            ems = new ModbusRTU();
            await ems.connectTCP('127.0.0.1', { port: mbport });
            ems.setTimeout(2000);
            ems.setID(200);
            // The EMS writes its budget every 10 s of station time, as EMSs do.
            let writing = true;
            const write = () => ems.writeRegisters(1417, [...f32(20), ...f32(20), ...f32(20)]);
            await write();
            const writer = (async () => {
                while (writing) {
                    await t.sleep(t.scaled(10));
                    if (writing) await write();
                }
            })();
            await plugAndTag(t.cp, 1, 'TAGE1');
            await plugAndTag(b.cp, 1, 'TAGE2');
            const max = await watchSum(t, cps, t.scaled(30), () => 20, 'the network stays within the budget the EMS wrote (20 A)');
            t.figure(`highest summed offer under the EMS's 20 A: ${max} A`);
            const st = await t.cp.control({ cmd: 'status' });
            t.equal(st.scn.budget_a, [20, 20, 20], 'status.scn: the budget is the EMS\'s');
            const shared = await pollUntil(async () => {
                const o = await offers(cps);
                return o.per.filter((a) => Math.abs(a - 10) < 0.05).length === 2 ? o : null;
            }, t.scaled(150), 50);
            t.ok(shared, 'two EVs share the EMS budget: 10 A each', await offers(cps));
            writing = false;
            await writer;
            // No more writes: after the validity time the network falls to 14 A.
            const expired = await pollUntil(async () => {
                const s = await t.cp.control({ cmd: 'status' });
                return s.scn.budget_a[0] === 14 ? s : null;
            }, t.scaled(VALIDITY_S + 10), 50);
            t.ok(expired, 'expired EMS setpoints: the network budget is SCN-TotalSafeCurrent (14 A)', (await t.cp.control({ cmd: 'status' })).scn);
            await watchSum(t, cps, t.scaled(20), () => 14, 'and the summed offer follows it down');
        } finally {
            if (ems) await new Promise((r) => { ems.close(r); setTimeout(r, 1000); });
            await stopMembers(t);
        }
    },
};
