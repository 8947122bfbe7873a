'use strict';
// docs/balancing.md: a 14 A EV and a 6 A EV with a budget of 22 A ≥ 20 A:
// the 14 A EV gets 14 A, the 6 A EV the remaining 8 A, nobody alternates.
const { config, fourteenPlusRest } = require('../lib/lb_alt');

const BUDGET = 22;

module.exports = {
    title: '14 A EV + 6 A EV, Station-MaxCurrent 22 ≥ 20: 14 A + 8 A, no alternating',
    timeScale: 30,
    connectors: 2,
    config: config(BUDGET),
    timeoutMs: 60000,
    run: (t) => fourteenPlusRest(t, { first14: true, budget: BUDGET }),
};
