'use strict';
// Over ws:// a SecurityProfile of 2 or 3 cannot be honoured (they are TLS
// only; the AuthorizationKey would go out in the clear): ChangeConfiguration
// answers Rejected and the value stays as it was (OCPP 1.6 §5.3, security
// whitepaper §2).  Raising it to 1 over ws:// is fine.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'ChangeConfiguration SecurityProfile=2/3 over ws:// → Rejected, value unchanged; 1 needs the AuthorizationKey',
    async run(t) {
        await bootAccepted(t);
        for (const v of ['2', '3']) {
            const r = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: v });
            t.equal(r.status, 'Rejected', `SecurityProfile=${v} over ws:// is Rejected (security profiles 2 and 3 need TLS)`);
        }
        const g = await t.csms.call('GetConfiguration', { key: ['SecurityProfile'] });
        t.equal(g.configurationKey[0].value, '0', 'the refused change left SecurityProfile as it was');
        const r0 = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' });
        t.equal(r0.status, 'Rejected', 'SecurityProfile=1 without an AuthorizationKey is Rejected (Basic auth needs the key first)');
        const rk = await t.csms.call('ChangeConfiguration', { key: 'AuthorizationKey', value: '00112233445566778899aabbccddeeff' });
        t.equal(rk.status, 'Accepted', 'setup: AuthorizationKey set');
        const r1 = await t.csms.call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' });
        t.equal(r1.status, 'Accepted', 'SecurityProfile=1 (Basic auth over ws://) is taken and applied at once (the station reconnects)', r1);
    },
};
