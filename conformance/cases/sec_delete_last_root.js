'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), "Delete a certificate from a
// Charge Point" while the station uses security profile 2 over wss://: the
// only CentralSystemRootCertificate is what the server certificate is
// verified with, so deleting it is refused (Failed) and it stays listed;
// a second root that is not the last one may go (Accepted).
const { makePki, tlsStart, raiseProfile } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');

const DELETE = 'Delete a certificate from a Charge Point';
const KEY = '00112233445566778899aabbccddeeff00112233';

module.exports = {
    title: 'DeleteCertificate of the last CentralSystemRootCertificate under security profile 2 → Failed, kept',
    timeScale: 10,
    connectors: 1,
    config: { AuthorizationKey: KEY },
    autoStart: false,
    timeoutMs: 60000,
    async run(t) {
        const pki = makePki(t);
        await tlsStart(t, pki);
        await bootAccepted(t, { connectors: 1, timeoutMs: 15000 });
        let r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot.pem });
        t.equal(r.status, 'Accepted', 'test setup: InstallCertificate CentralSystemRootCertificate Accepted (Install CA certificate in a Charge Point)');
        await raiseProfile(t, 2);

        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.csRoot.pem) });
        t.equal(r.status, 'Failed', `DeleteCertificate of the only CentralSystemRootCertificate while security profile 2 depends on it: Failed (${DELETE})`);
        r = await t.csms.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
        t.equal(r, { status: 'Accepted', certificateHashData: [pki.hashData(pki.csRoot.pem)] }, `the refused deletion left the root installed (${DELETE})`);

        r = await t.csms.call('InstallCertificate', { certificateType: 'CentralSystemRootCertificate', certificate: pki.csRoot2.pem });
        t.equal(r.status, 'Accepted', 'test setup: a second CentralSystemRootCertificate Accepted');
        r = await t.csms.call('DeleteCertificate', { certificateHashData: pki.hashData(pki.csRoot2.pem) });
        t.equal(r.status, 'Accepted', `DeleteCertificate of a CentralSystemRootCertificate that is not the last one: Accepted (${DELETE})`);

        // Still connected and trusted: a fresh connection verifies with the kept root.
        const m = t.csms.mark();
        t.csms.drop();
        await t.csms.waitForEntry((e) => e.type === 'CONNECT', 20000, { since: m, what: 'a reconnection',
            rule: 'after the refused deletion the station still verifies the server with the kept root and reconnects (security profile 2)' });
    },
};
