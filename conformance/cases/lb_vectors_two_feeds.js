'use strict';
// docs/balancing.md SLB vector C (docs/balancing.md): two feeds (one cable per socket),
// Station-Phases 1, Station-MaxCurrent 50, connector max 25, socket 1's cable
// on L1 (SCN-PhaseMapping-1=1) and socket 2's on L2 (SCN-PhaseMapping-2=2):
// 25/25, socket 1 drawing on grid L1, socket 2 on grid L2 (docs/station-model.md).
const { bootAccepted } = require('../lib/steps');
const { vector } = require('../lib/lb');

module.exports = {
    title: 'SLB vector C: two 1-phase feeds on L1 and L2, 50 A, connector max 25: 25/25 on L1 | L2',
    timeScale: 30,
    connectors: 2,
    config: {
        'Station-Feeds': 2, 'Station-Phases': 1, 'SCN-PhaseMapping-1': 1, 'SCN-PhaseMapping-2': 2,
        'Station-MaxCurrent': '50.0', 'Connector1-MaxCurrent': '25.0', 'Connector2-MaxCurrent': '25.0',
    },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const ev = { phases: 1, min_current: 6, max_current: 32 };
        await vector(t, { name: 'C', evs: { 1: ev, 2: ev },
            want: { 1: { offered: 25, import: [25, 0, 0] }, 2: { offered: 25, import: [0, 25, 0] } } });
    },
};
