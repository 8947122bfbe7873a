'use strict';
// docs/balancing.md: as lb_alternating_14a_first, with the 6 A EV
// plugged first (the 14 A EV is then classified while the other charges).
const { config, alternate } = require('../lib/lb_alt');

const BUDGET = 16;

module.exports = {
    title: '6 A EV first + 14 A EV, Station-MaxCurrent 16 < 20: alternate every SCN-AlternatingPeriod (SuspendedEVSE)',
    timeScale: 30,
    connectors: 2,
    config: config(BUDGET),
    timeoutMs: 60000,
    run: (t) => alternate(t, { first14: false, budget: BUDGET }),
};
