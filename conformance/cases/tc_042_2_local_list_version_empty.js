'use strict';
// OCTT TC_042_2 Get Local List Version (empty): a Full update without
// entries (listVersion 1) is Accepted and GetLocalListVersion then says 0,
// the number reserved for an empty list; the answer survives a restart.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_042_2 empty Full list (version 1) → GetLocalListVersion 0',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });
        const full = await t.csms.call('SendLocalList', { listVersion: 3, updateType: 'Full', localAuthorizationList: [{ idTag: 'LL0422', idTagInfo: { status: 'Accepted' } }] });
        t.equal(full.status, 'Accepted', 'test setup: a Full list with one entry is Accepted (OCPP 1.6 §5.15)');
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 3, 'a non-empty list reports the version it was sent with (OCPP 1.6 §5.10)');

        const r = await t.csms.call('SendLocalList', { listVersion: 1, updateType: 'Full' });
        t.equal(r.status, 'Accepted', 'a Full update without localAuthorizationList is Accepted: it empties the list (OCPP 1.6 §5.15, OCTT TC_042_2 step 2)');
        const v = await t.csms.call('GetLocalListVersion', {});
        t.equal(v.listVersion, 0, 'an empty list has version 0 (OCPP 1.6 §6.21, OCTT TC_042_2 step 4)');

        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m, connectors: 1 });
        t.equal((await t.csms.call('GetLocalListVersion', {})).listVersion, 0, 'the emptied list stays empty across a restart (stored in SQLite)');
    },
};
