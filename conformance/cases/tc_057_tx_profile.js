'use strict';
// OCTT TC_057 Central Smart Charging - TxProfile: a TxProfile for the running
// transaction is Accepted and overrules the TxDefaultProfile - even when it is
// higher, and after its own schedule ended (docs/limits.md: then only
// ChargePointMaxProfile and the local limits apply).  It is removed when the
// transaction ends (OCPP 1.6 §3.13.4), and the TxDefaultProfile applies again.
const { bootAccepted, startLocalTransaction, waitStatus, parseTime } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, clearProfiles, composite, readComposite, waitOffered } = require('../lib/sc_sched');

const SCALE = 30;
const DEFAULT = 12;   // A: TxDefaultProfile on connector 0
const TX = 24;        // A: TxProfile, above the default on purpose

module.exports = {
    title: 'TC_057 TxProfile during a transaction overrules TxDefaultProfile (also after it ends), removed at the stop',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        await setProfileOk(t, 0, profile({ id: 570, purpose: 'TxDefaultProfile', stackLevel: 5, startSchedule: iso(now - 3600e3), periods: [[0, DEFAULT]] }));
        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0057', ev: { phases: 3, max_current: 32 } });
        const txStart = parseTime(start.payload.timestamp);
        t.ok(await waitOffered(t, 1, (a) => a === DEFAULT, t.scaled(90) + 3000),
            `test setup: the transaction runs at the TxDefaultProfile's ${DEFAULT} A (OCPP 1.6 §3.13.2)`, await t.cp.connector(1));

        // Relative TxProfile (TC_057: Relative, no startSchedule), ending 150 s from now.
        const elapsed = Math.ceil(((await daemonNow(t)) - txStart) / 1000);
        const dur = elapsed + 150;
        await setProfileOk(t, 1, profile({ id: 571, purpose: 'TxProfile', stackLevel: 0, transactionId: txId, kind: 'Relative', duration: dur, periods: [[0, TX]] }),
            'a TxProfile with the running transactionId is Accepted (OCPP 1.6 §5.16, TC_057)');
        const up = await waitOffered(t, 1, (a) => a === TX, 3000);
        t.ok(up, `the TxProfile (${TX} A, stack level 0) overrules the TxDefaultProfile (${DEFAULT} A, stack level 5) for its transaction: offered ${TX} A within a control cycle or two (docs/limits.md, OCPP 1.6 §3.13.2)`, await t.cp.connector(1));

        const c = readComposite(await composite(t, 1, 300, 'A'));
        const endAt = txStart + dur * 1000;
        t.equal(c.limitAt(c.start), TX, 'the composite of connector 1 starts at the TxProfile limit (OCPP 1.6 §5.7)');
        const afterEnd = c.limitAt(endAt + 5000);
        t.equal(afterEnd, 32, 'after the TxProfile schedule ends the composite is the hardware limit 32 A, not the TxDefaultProfile (docs/limits.md: a TxProfile overrules every TxDefaultProfile for the whole transaction)');

        const down = await waitOffered(t, 1, (a) => a === 32, t.scaled(200) + 3000);
        t.ok(down, 'after the TxProfile schedule ended the offer is the local limit 32 A, not the TxDefaultProfile (docs/limits.md)', await t.cp.connector(1));
        t.atLeast(Date.parse(down.now), endAt - 3000, 'the offer leaves the TxProfile limit only when its schedule ends (re-evaluated at the schedule boundary)');

        const m = t.csms.mark();
        await t.cp.unplug(1);
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: m, rule: 'test setup: unplugging stops the transaction' });
        await waitStatus(t, 1, 'Available', { since: m });
        t.equal(await clearProfiles(t, { id: 571 }), 'Unknown', 'the TxProfile was removed when its transaction ended: clearing it by id is Unknown (OCPP 1.6 §3.13.4)');
        const idle = await composite(t, 1, 120, 'A');
        t.equal(idle.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [DEFAULT],
            'without the transaction the TxDefaultProfile applies to connector 1 again (OCPP 1.6 §3.13.2)');
        // The next transaction gets the default again.
        await startLocalTransaction(t, { connector: 1, idTag: 'TAG0057B', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === DEFAULT, t.scaled(90) + 3000),
            `a new transaction is offered the TxDefaultProfile's ${DEFAULT} A again (OCPP 1.6 §3.13.2)`, await t.cp.connector(1));
    },
};
