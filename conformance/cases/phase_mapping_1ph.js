'use strict';
// docs/station-model.md phase mapping on the default station (3 phases, one feed,
// Phase-Connected L1L2L3, sockets rotated inside: socket 1 = L3L2L1,
// socket 2 = L1L2L3): a 1-phase EV on socket 1 draws on grid L3, on socket 2
// on grid L1; import_a is reported per grid phase.
const { bootAccepted, startLocalTransaction, pollConnector } = require('../lib/steps');

const EV_MAX = 16;

module.exports = {
    title: 'docs/station-model.md: a 1-phase EV draws on grid L3 on socket 1 and on grid L1 on socket 2',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGPH1', ev: { phases: 1, max_current: EV_MAX } });
        await startLocalTransaction(t, { connector: 2, idTag: 'TAGPH2', ev: { phases: 1, max_current: EV_MAX } });
        const want = { 1: [0, 0, EV_MAX], 2: [EV_MAX, 0, 0] };
        for (const c of [1, 2]) {
            const ok = await pollConnector(t, c, (s) => s.import_a.every((a, i) => Math.abs(a - want[c][i]) <= 0.5), t.scaled(120) + 5000);
            t.ok(ok, `socket ${c}: a 1-phase EV draws ${EV_MAX} A on grid ${c === 1 ? 'L3' : 'L1'} only (docs/station-model.md rotation socket 1 = L3L2L1, socket 2 = L1L2L3; EV max binds)`,
                await t.cp.connector(c));
        }
    },
};
