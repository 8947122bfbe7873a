'use strict';
// OCTT TC_013: Reset Hard without a transaction.
const { resetCase } = require('../lib/reset');

module.exports = {
    title: 'TC_013 Hard reset idle: new BootNotification, same process',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 45000,
    run: (t) => resetCase(t, { type: 'Hard', charging: false }),
};
