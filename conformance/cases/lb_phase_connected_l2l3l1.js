'use strict';
// docs/station-model.md phase mapping with Phase-Connected = L2L3L1 (cable conductor 1 on
// grid L2, 2 on L3, 3 on L1) and the internal rotation (socket 1 = conductors
// 3,2,1; socket 2 = 1,2,3): a 1-phase EV draws on grid L1 on socket 1 and on
// grid L2 on socket 2 (the docs/'s example); 2-phase EVs on L1,L3 and L2,L3.
// With Station-MaxCurrent 20 the two 2-phase EVs share grid L3: 10/10.
// Connector1/2-MaxCurrent 16 make the 1-phase offers 16 A (a station cannot
// know the EV's own 16 A maximum; it sees only what the EV draws).
const { bootAccepted } = require('../lib/steps');
const { vector } = require('../lib/lb');

const ev = (phases) => ({ phases, min_current: 6, max_current: 16 });

module.exports = {
    title: 'Phase-Connected L2L3L1: 1ph EV socket 1 → L1, socket 2 → L2; 2ph EVs share L3 (20 A → 10/10)',
    timeScale: 30,
    connectors: 2,
    config: { 'Phase-Connected': 'L2L3L1', 'Station-MaxCurrent': '20.0', 'Static-LoadBalancing': 'On',
        'Connector1-MaxCurrent': '16.0', 'Connector2-MaxCurrent': '16.0' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        await vector(t, { name: 'L2L3L1-1ph', evs: { 1: ev(1), 2: ev(1) },
            want: { 1: { offered: 16, import: [16, 0, 0] }, 2: { offered: 16, import: [0, 16, 0] } } });
        await vector(t, { name: 'L2L3L1-2ph', evs: { 1: ev(2), 2: ev(2) },
            want: { 1: { offered: 10, import: [10, 0, 10] }, 2: { offered: 10, import: [0, 10, 10] } } });
    },
};
