'use strict';
// OCTT TC_023 Start charging session, authorize invalid: the central system
// answers Authorize with Invalid; no transaction starts.
const { bootAccepted, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_023 Authorize Invalid → no transaction',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    setup(t) {
        t.csms.reply('Authorize', (p) => ({ idTagInfo: { status: p.idTag === 'BADTAG' ? 'Invalid' : 'Accepted' } }));
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await waitStatus(t, 1, 'Preparing', { since: m });
        await t.cp.tag(1, 'BADTAG');
        await t.csms.waitForAnswered('Authorize', (p) => p.idTag === 'BADTAG', 10000, { since: m, rule: 'a presented tag is authorized with Authorize (OCPP 1.6 §4.1)' });
        await t.sleep(1500);
        t.equal(t.csms.calls('StartTransaction').length, 0, 'an idTag answered Invalid starts no transaction (OCPP 1.6 §4.1, OCTT TC_023)');
        const c = await t.cp.connector(1);
        t.equal(c.transaction_id, null, 'no transaction on the connector after an Invalid idTag (control socket status)');
        t.equal(c.offered_a, 0, 'nothing is offered to the EV without a valid authorization (docs/station-model.md in use)');
        t.ok(c.import_a.every((a) => a === 0), 'the EV draws nothing without a valid authorization (README control socket)', c.import_a);
    },
};
