'use strict';
// OCTT TC_015: Reset Hard while a transaction runs.
const { resetCase } = require('../lib/reset');

module.exports = {
    title: 'TC_015 Hard reset while charging: Stop(HardReset), new BootNotification',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 45000,
    run: (t) => resetCase(t, { type: 'Hard', charging: true }),
};
