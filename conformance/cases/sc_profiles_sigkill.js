'use strict';
// docs/limits.md: charging profiles persist across a power loss.  A
// ChargePointMaxProfile and a multi-period TxDefaultProfile survive a SIGKILL
// (same composite afterwards, ids still known); a TxProfile of a transaction
// that the SIGKILL interrupted goes with that transaction (StopTransaction
// PowerLoss, OCPP 1.6 §3.13.4) and the TxDefaultProfile governs the next one.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, clearProfiles, composite, assertComposite, waitOffered } = require('../lib/sc_sched');

module.exports = {
    title: 'profiles survive SIGKILL (same composite); the interrupted transaction\'s TxProfile is gone after restart',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const t0 = Math.floor((await daemonNow(t)) / 1000) * 1000;
        const at = (s) => t0 + s * 1000;
        await setProfileOk(t, 0, profile({ id: 850, purpose: 'ChargePointMaxProfile', startSchedule: iso(at(-60)), periods: [[0, 25], [660, 18]] }));
        await setProfileOk(t, 1, profile({ id: 851, purpose: 'TxDefaultProfile', stackLevel: 4, startSchedule: iso(at(-60)), duration: 1260,
            periods: [[0, 16], [360, 20], [960, 10]] }));
        const expect1 = (ms) => Math.min(ms < at(600) ? 25 : 18, ms < at(300) ? 16 : ms < at(900) ? 20 : ms < at(1200) ? 10 : 32);
        const bounds = [300, 600, 900, 1200].map(at);
        assertComposite(t, await composite(t, 1, 1500, 'A'), expect1, { boundaries: bounds, rule: 'test setup: the composite of connector 1 before the power loss' });

        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGSIGK', ev: { phases: 3, max_current: 32 } });
        await setProfileOk(t, 1, profile({ id: 852, purpose: 'TxProfile', transactionId: txId, kind: 'Relative', periods: [[0, 12]] }),
            'TxProfile for the running transaction is Accepted (OCPP 1.6 §5.16)');
        t.ok(await waitOffered(t, 1, (a) => a === 12, 3000), 'test setup: the TxProfile governs the transaction (12 A)', await t.cp.connector(1));

        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was killed with SIGKILL');
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 15000,
            { since: m, rule: 'the transaction interrupted by the power loss is stopped after the restart (OCPP 1.6 §4.10)' });
        t.equal(stop.payload.reason, 'PowerLoss', 'its reason is PowerLoss (OCPP 1.6 §7.33)');

        assertComposite(t, await composite(t, 1, 1500, 'A'), expect1, { boundaries: bounds,
            rule: 'after a SIGKILL the ChargePointMaxProfile and TxDefaultProfile give the same composite: persisted with their schedules (docs/limits.md profiles persist SQLite)' });
        assertComposite(t, await composite(t, 2, 1500, 'A'), (ms) => (ms < at(600) ? 25 : 18), { boundaries: bounds,
            rule: 'after a SIGKILL connector 2 still has the persisted ChargePointMaxProfile (docs/limits.md)' });
        t.equal(await clearProfiles(t, { id: 852 }), 'Unknown', 'the TxProfile of the interrupted transaction did not survive it (OCPP 1.6 §3.13.4: TxProfiles end with their transaction)');

        await startLocalTransaction(t, { connector: 1, idTag: 'TAGSIGK2', ev: { phases: 3, max_current: 32 } });
        const now = await daemonNow(t);
        const want = expect1(now);
        t.ok(await waitOffered(t, 1, (a) => a === Math.min(want, 14), 3000),
            `a new transaction after the restart follows the persisted profiles: min(probing 14, ${want}) (docs/limits.md, docs/balancing.md)`, await t.cp.connector(1));
        t.equal(await clearProfiles(t, { id: 851 }), 'Accepted', 'the persisted TxDefaultProfile keeps its id: clear by id Accepted (OCPP 1.6 §5.5)');
        t.equal(await clearProfiles(t, { id: 850 }), 'Accepted', 'the persisted ChargePointMaxProfile keeps its id: clear by id Accepted (OCPP 1.6 §5.5)');
        const m2 = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m2 });
        t.equal(await clearProfiles(t, {}), 'Unknown', 'cleared profiles stay cleared across a SIGKILL (persistence of ClearChargingProfile)');
    },
};
