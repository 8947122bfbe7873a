'use strict';
// docs/balancing.md SLB vectors E–H (docs/balancing.md): one feed, three phases,
// Station-MaxCurrent 25, both sockets in use.  The internal rotation (socket 1
// = L3L2L1, socket 2 = L1L2L3, docs/station-model.md) puts 1- and 2-phase EVs on different
// grid phases, so the per-phase budget gives:
//   E 1ph + 1ph → 25/25 (L3 | L1)       F 2ph + 1ph → 25/25 (L3,L2 | L1)
//   G 2ph + 2ph → 12.5/12.5 (share L2)  H 3ph + 1ph → 12.5/12.5 (share L1)
// All visible through offered_a and import_a (per grid phase).
const { bootAccepted } = require('../lib/steps');
const { vector } = require('../lib/lb');

const ev = (phases) => ({ phases, min_current: 6, max_current: 32 });
const BUDGET = 25;

module.exports = {
    title: 'SLB vectors E–H: one feed, 3 phases, 25 A: 1+1 → 25/25, 2+1 → 25/25, 2+2 → 12.5/12.5, 3+1 → 12.5/12.5',
    timeScale: 30,
    connectors: 2,
    config: { 'Station-MaxCurrent': '25.0', 'Static-LoadBalancing': 'On' },
    timeoutMs: 90000,
    async run(t) {
        await bootAccepted(t);
        const vs = [
            { name: 'E', evs: { 1: ev(1), 2: ev(1) }, want: { 1: { offered: 25, import: [0, 0, 25] }, 2: { offered: 25, import: [25, 0, 0] } } },
            { name: 'F', evs: { 1: ev(2), 2: ev(1) }, want: { 1: { offered: 25, import: [0, 25, 25] }, 2: { offered: 25, import: [25, 0, 0] } } },
            { name: 'G', evs: { 1: ev(2), 2: ev(2) }, want: { 1: { offered: 12.5, import: [0, 12.5, 12.5] }, 2: { offered: 12.5, import: [12.5, 12.5, 0] } } },
            { name: 'H', evs: { 1: ev(3), 2: ev(1) }, want: { 1: { offered: 12.5, import: [12.5, 12.5, 12.5] }, 2: { offered: 12.5, import: [12.5, 0, 0] } } },
        ];
        for (const v of vs) {
            const { grid } = await vector(t, v);
            t.ok(grid.every((a) => a <= BUDGET + 0.5), `vector ${v.name}: no grid phase carries more than Station-MaxCurrent ${BUDGET} A (docs/station-model.md budgets per grid phase)`, grid);
        }
    },
};
