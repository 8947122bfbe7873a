'use strict';
// Charging profiles persist across a restart (SQLite): after SIGTERM and a
// new start with the same database the composite and the offer still follow.
const { bootAccepted, startLocalTransaction, pollConnector } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite, limitAt } = require('../lib/sc');

module.exports = {
    title: 'a TxDefaultProfile survives a restart (composite and offer)',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        t.equal(await setProfile(t, 0, profile({ id: 99, purpose: 'TxDefaultProfile', kind: 'Recurring', recurrency: 'Daily', start: now - 3600e3, periods: [[0, 11]] })),
            'Accepted', 'a Recurring Daily TxDefaultProfile is Accepted (OCPP 1.6 §5.16)');
        const x = await t.cp.stop();
        t.equal(x.code, 0, 'SIGTERM: clean exit 0');
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });
        const comp = await composite(t, 1, 600, 'A');
        t.equal(limitAt(comp, 0), 11, 'the profile is still installed after the restart (profiles persisted in SQLite, docs/limits.md)');
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGPERSIST', ev: { phases: 3, max_current: 32 } });
        const c = await pollConnector(t, 1, (v) => v.offered_a === 11, t.scaled(90) + 3000);
        t.ok(c, 'the persisted profile limits a new transaction after the restart', await t.cp.connector(1));
    },
};
