'use strict';
// docs/balancing.md SLB vector I (docs/balancing.md): two feeds, three phases,
// Station-MaxCurrent 50, connector max 25: two 3-phase EVs get 25/25 — each
// cable carries its own socket, the station total is 25 + 25 = 50 per phase.
const { bootAccepted } = require('../lib/steps');
const { vector } = require('../lib/lb');

module.exports = {
    title: 'SLB vector I: two 3-phase feeds, 50 A, connector max 25: 3ph + 3ph → 25/25',
    timeScale: 30,
    connectors: 2,
    config: {
        'Station-Feeds': 2, 'Station-Phases': 3,
        'Station-MaxCurrent': '50.0', 'Connector1-MaxCurrent': '25.0', 'Connector2-MaxCurrent': '25.0',
    },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const ev = { phases: 3, min_current: 6, max_current: 32 };
        await vector(t, { name: 'I', evs: { 1: ev, 2: ev },
            want: { 1: { offered: 25, import: [25, 25, 25] }, 2: { offered: 25, import: [25, 25, 25] } } });
    },
};
