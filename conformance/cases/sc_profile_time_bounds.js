'use strict';
// Whatever SetChargingProfile answers Accepted survives a restart (OCPP 1.6
// §5.16: an installed profile persists; it is stored in SQLite).  A time
// whose offset carries it past 9999-12-31T23:59:59Z (validTo
// 9999-12-31T23:00:00-05:00 is in year 10000) or before 1970 has no UTC text
// the store can hold and read back: such a profile must be either Rejected
// (and nothing installed) or Accepted and still in force after the restart.
// Times at the very edges that do convert are Accepted and survive.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile, composite, limitAt } = require('../lib/sc');

module.exports = {
    title: 'SetChargingProfile / RemoteStart profile times near year 10000 / 1970 with offsets: Rejected, or Accepted and kept',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        const cases = [
            { what: 'validTo 9999-12-31T23:00:00-05:00 (year 10000 in UTC)', limit: 10, set: (p) => { p.validTo = '9999-12-31T23:00:00-05:00'; } },
            { what: 'validTo 9999-12-31T23:59:59-00:01', limit: 11, set: (p) => { p.validTo = '9999-12-31T23:59:59-00:01'; } },
            { what: 'validFrom 1970-01-01T00:30:00+01:00 (1969 in UTC)', limit: 9, set: (p) => { p.validFrom = '1970-01-01T00:30:00+01:00'; } },
            { what: 'startSchedule 1970-01-01T00:30:00+01:00 of a Daily profile (1969 in UTC)', limit: 12, recurring: true,
                set: (p) => { p.chargingSchedule.startSchedule = '1970-01-01T00:30:00+01:00'; } },
            { what: 'validTo 9999-12-31T23:59:59+01:00 (in range)', limit: 8, mustAccept: true, set: (p) => { p.validTo = '9999-12-31T23:59:59+01:00'; } },
            { what: 'validFrom 1970-01-01T01:00:00+01:00 (the epoch)', limit: 7, mustAccept: true, set: (p) => { p.validFrom = '1970-01-01T01:00:00+01:00'; } },
        ];
        let id = 700;
        for (const c of cases) {
            const cleared = await t.csms.call('ClearChargingProfile', {});
            t.oneOf(cleared.status, ['Accepted', 'Unknown'], 'test setup: ClearChargingProfile without criteria (OCPP 1.6 §5.5)');
            const base = limitAt(await composite(t, 1, 600, 'A'), 0);
            t.ok(base > c.limit, 'test setup: without profiles the composite is above the profile limit', base);
            const p = c.recurring
                ? profile({ id: ++id, kind: 'Recurring', recurrency: 'Daily', start: now - 3600e3, periods: [[0, c.limit]] })
                : profile({ id: ++id, start: now - 3600e3, periods: [[0, c.limit]] });
            c.set(p);
            const r = await t.csms.call('SetChargingProfile', { connectorId: 0, csChargingProfiles: p });
            t.oneOf(r.status, ['Accepted', 'Rejected'], `${c.what}: SetChargingProfile answers Accepted or Rejected (OCPP 1.6 §7.50)`);
            if (c.mustAccept)
                t.equal(r.status, 'Accepted', `${c.what}: a time that converts within 1970..9999 is Accepted (OCPP 1.6 §5.16)`);
            const want = r.status === 'Accepted' ? c.limit : base;
            t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), want,
                `${c.what}: ${r.status === 'Accepted' ? 'the Accepted profile is in force' : 'a Rejected profile changes nothing'} (OCPP 1.6 §5.16)`);
            const x = await t.cp.stop();
            t.equal(x.code, 0, 'SIGTERM: clean exit 0');
            const m = t.csms.mark();
            await t.restart();
            await bootAccepted(t, { since: m });
            t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), want,
                `${c.what}: after a restart the ${r.status} profile is ${r.status === 'Accepted' ? 'still installed' : 'still absent'} (OCPP 1.6 §5.16: whatever is Accepted persists)`);
        }

        // The TxProfile of a RemoteStartTransaction is installed at
        // StartTransaction.conf: one that could not be installed and kept
        // then is refused up front, or, if Accepted, governs the transaction.
        await t.csms.call('ClearChargingProfile', {});
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        const m = t.csms.mark();
        const tx = profile({ id: 790, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 13]] });
        tx.validTo = '9999-12-31T23:00:00-05:00';
        const rs = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'TAG10000', chargingProfile: tx });
        t.oneOf(rs.status, ['Accepted', 'Rejected'], 'RemoteStartTransaction answers Accepted or Rejected (OCPP 1.6 §5.11)');
        if (rs.status === 'Accepted') {
            await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'TAG10000', 10000,
                { since: m, rule: 'an Accepted remote start starts the transaction (OCPP 1.6 §5.11)' });
            await t.sleep(500);
            t.equal(limitAt(await composite(t, 1, 600, 'A'), 0), 13,
                'the Accepted remote start\'s TxProfile governs its transaction (OCPP 1.6 §5.11, §3.13.4)');
        } else {
            await t.sleep(t.scaled(10));
            t.equal(t.csms.calls('StartTransaction', m).length, 0, 'a Rejected remote start starts nothing (OCPP 1.6 §5.11)');
        }
    },
};
