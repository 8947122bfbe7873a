'use strict';
// OCTT TC_016: Reset Soft while a transaction runs.
const { resetCase } = require('../lib/reset');

module.exports = {
    title: 'TC_016 Soft reset while charging: Stop(SoftReset), new BootNotification',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 45000,
    run: (t) => resetCase(t, { type: 'Soft', charging: true }),
};
