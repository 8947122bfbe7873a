'use strict';
// docs/balancing.md SLB vector A (docs/balancing.md): one feed, Station-Phases 1,
// Station-MaxCurrent 25: two 1-phase EVs share the one phase, 12.5/12.5, both
// on grid L1 (Phase-Connected L1L2L3: conductor 1 on L1, docs/station-model.md).
const { bootAccepted } = require('../lib/steps');
const { vector } = require('../lib/lb');

module.exports = {
    title: 'SLB vector A: one feed, Station-Phases 1, 25 A: 1ph + 1ph → 12.5/12.5 on grid L1',
    timeScale: 30,
    connectors: 2,
    config: { 'Station-Phases': 1, 'Station-MaxCurrent': '25.0', 'Static-LoadBalancing': 'On' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const ev = { phases: 1, min_current: 6, max_current: 32 };
        const { grid } = await vector(t, { name: 'A', evs: { 1: ev, 2: ev },
            want: { 1: { offered: 12.5, import: [12.5, 0, 0] }, 2: { offered: 12.5, import: [12.5, 0, 0] } } });
        t.ok(grid[0] <= 25.5, 'grid L1 carries no more than Station-MaxCurrent 25 A (docs/station-model.md)', grid);
    },
};
