'use strict';
// OCTT TC_014: Reset Soft without a transaction.
const { resetCase } = require('../lib/reset');

module.exports = {
    title: 'TC_014 Soft reset idle: new BootNotification, same process',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 45000,
    run: (t) => resetCase(t, { type: 'Soft', charging: false }),
};
