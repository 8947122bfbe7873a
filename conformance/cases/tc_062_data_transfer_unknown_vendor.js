'use strict';
// OCTT TC_062 DataTransfer to the charge point with an unknown vendorId.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_062 DataTransfer with an unknown vendorId → UnknownVendorId',
    timeScale: 10,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const r = await t.csms.call('DataTransfer', { vendorId: 'com.example.conformance', messageId: 'ping', data: 'hello' });
        t.equal(r.status, 'UnknownVendorId', 'DataTransfer for a vendorId the charge point does not know is UnknownVendorId (OCPP 1.6 §5.6)');
    },
};
