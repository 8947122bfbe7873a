'use strict';
// OCTT TC_059 Remote Start Transaction with Charging Profile: the TxProfile
// carried by RemoteStartTransaction governs the transaction it starts.  The
// composite schedule reports it (periods relative to scheduleStart), and the
// offered current (control socket) and Current.Offered in MeterValues follow
// it at each period change (a timer at the next boundary).
const { bootAccepted, waitStatus, sampledValues, parseTime } = require('../lib/steps');
const { daemonNow, profile, composite, assertComposite, waitOffered, clearProfiles } = require('../lib/sc_sched');

const SCALE = 20;
const SAMPLE = 20;   // s
const PROBE = 60;    // s, docs/balancing.md: min(14, limits) first; here the profile (10 A) is below 14 anyway
// Relative to the start of the transaction: 10 A, at 120 s 16 A, at 240 s 8 A.
const PERIODS = [[0, 10], [120, 16], [240, 8]];
function scheduleAt(s) {
    let lim;
    for (const [from, l] of PERIODS) if (s >= from) lim = l;
    return lim;
}

module.exports = {
    title: 'TC_059 RemoteStartTransaction with a TxProfile: composite, offered current and Current.Offered follow it',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const prof = profile({ id: 590, purpose: 'TxProfile', stackLevel: 1, kind: 'Relative', periods: PERIODS });
        const r = await t.csms.call('RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE059', chargingProfile: prof });
        t.equal(r.status, 'Accepted', 'RemoteStartTransaction with a TxProfile on an Available connector is Accepted (OCPP 1.6 §5.11, TC_059)');
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'an accepted remote start waits for the EV: Preparing (OCPP 1.6 §7.7)' });
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'REMOTE059', 10000,
            { since: m, rule: 'plugging in after the remote start starts the transaction (OCPP 1.6 §5.11)' });
        const txId = start.reply.payload.transactionId;
        const txStart = parseTime(start.payload.timestamp);
        t.equal(start.payload.connectorId, 1, 'the transaction runs on the requested connector (OCPP 1.6 §5.11)');

        const before = await daemonNow(t);
        const comp = await composite(t, 1, 400, 'A');
        const after = await daemonNow(t);
        t.equal(comp.status, 'Accepted', 'GetCompositeSchedule during the transaction is Accepted (TC_059 step 3)');
        t.equal(comp.connectorId, 1, 'the composite names the requested connector (TC_059)');
        t.equal(comp.chargingSchedule.duration, 400, 'the composite covers the requested duration (TC_059)');
        t.equal(comp.chargingSchedule.chargingRateUnit, 'A', 'the composite is in the requested unit (TC_059)');
        const ss = Date.parse(comp.scheduleStart);
        t.ok(ss >= before - 1000 && ss <= after + 1000, 'scheduleStart is the time of the request on the daemon clock, to the second (TC_059 max time deviation; docs/station-model.md)',
            { scheduleStart: comp.scheduleStart, before: new Date(before).toISOString(), after: new Date(after).toISOString() });
        assertComposite(t, comp, (ms) => scheduleAt((ms - txStart) / 1000),
            { boundaries: PERIODS.slice(1).map(([s]) => txStart + s * 1000), slack: 3,
                rule: 'the composite follows the TxProfile of the remote start: 10, then 16 at 120 s, then 8 at 240 s after the transaction start (OCPP 1.6 §5.11, §7.9 Relative; TC_059)' });

        const a = await waitOffered(t, 1, (x) => x === 10, 5000);
        t.ok(a, 'the transaction is first offered the TxProfile\'s 10 A (OCPP 1.6 §5.11; probing min(14, 10) = 10, docs/balancing.md)', await t.cp.connector(1));
        const b = await waitOffered(t, 1, (x) => x === 16, t.scaled(140) + 3000);
        t.ok(b, 'at 120 s the offer follows the next period: 16 A (offered current follows the schedule)', await t.cp.connector(1));
        t.near((Date.parse(b.now) - txStart) / 1000, 120, 8, 'the 16 A period starts at the boundary on the daemon clock (a timer armed for the next period change)');
        t.equal(b.binding, 'profile', 'the control socket names the profile as binding (docs/limits.md)');
        const c = await waitOffered(t, 1, (x) => x === 8, t.scaled(140) + 3000);
        t.ok(c, 'at 240 s the offer drops to 8 A', await t.cp.connector(1));
        t.near((Date.parse(c.now) - txStart) / 1000, 240, 8, 'the 8 A period starts at the boundary on the daemon clock');

        await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId && parseTime(p.meterValue[0].timestamp) - txStart >= 270e3,
            t.scaled(3 * SAMPLE) + 3000, { rule: `transaction MeterValues every ${SAMPLE} s (OCPP 1.6 §4.7)` });
        const seen = new Set();
        for (const e of t.csms.calls('MeterValues').filter((x) => x.payload.transactionId === txId)) {
            for (const sv of sampledValues(e.payload).filter((s) => s.measurand === 'Current.Offered')) {
                const at = (parseTime(sv.timestamp) - txStart) / 1000;
                if (PERIODS.some(([from]) => from > 0 && Math.abs(at - from) <= 4)) continue;
                const want = scheduleAt(at);
                seen.add(want);
                t.near(Number(sv.value), want, 0.05, `Current.Offered sampled ${at.toFixed(0)} s into the transaction is the schedule's ${want} A (Current.Offered follows the schedule; docs/limits.md)`);
            }
        }
        t.equal(Array.from(seen).sort((x, y) => x - y), [8, 10, 16], 'test setup: Current.Offered was sampled in every period of the profile');

        const mStop = t.csms.mark();
        await t.cp.unplug(1);
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: mStop, rule: 'test setup: unplugging stops the transaction' });
        t.equal(await clearProfiles(t, { id: 590 }), 'Unknown', 'the remote start\'s TxProfile ends with its transaction (OCPP 1.6 §3.13.4)');
    },
};
