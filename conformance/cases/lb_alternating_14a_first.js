'use strict';
// docs/balancing.md: a 14 A EV (plugged first) and a 6 A EV with a
// budget of 16 A < 20 A alternate every SCN-AlternatingPeriod (60 s here),
// the paused one SuspendedEVSE, never offered between 0 and its minimum.
const { config, alternate } = require('../lib/lb_alt');

const BUDGET = 16;

module.exports = {
    title: '14 A EV first + 6 A EV, Station-MaxCurrent 16 < 20: alternate every SCN-AlternatingPeriod (SuspendedEVSE)',
    timeScale: 30,
    connectors: 2,
    config: config(BUDGET),
    timeoutMs: 60000,
    run: (t) => alternate(t, { first14: true, budget: BUDGET }),
};
