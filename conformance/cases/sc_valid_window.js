'use strict';
//: the applied limit is re-evaluated at every schedule boundary - not
// only period changes but also validFrom / validTo of a profile and the end
// of a schedule's duration - by a timer armed for the next change.  A
// running transaction with no profile in force gets a TxDefaultProfile that
// becomes valid in 90 s and expires 90 s later, while a second profile of a
// higher stack level with a 60 s duration starts inside that window.
const { bootAccepted, startLocalTransaction, measurand, parseTime } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, composite, assertComposite, waitOffered } = require('../lib/sc_sched');

const SCALE = 20;
const SAMPLE = 10;

module.exports = {
    title: 'validFrom / validTo / duration boundaries move the running offer at the right time (timer, not polling)',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGVALID', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'test setup: past probing, no profile: 32 A (docs/limits.md, docs/balancing.md)', await t.cp.connector(1));
        const seen32 = await daemonNow(t);   // 32 A observed by then
        const t0 = Math.floor(seen32 / 1000) * 1000;
        const at = (s) => t0 + s * 1000;
        // Level 0: 16 A valid from +90 s to +180 s.  Level 1: 10 A from +120 s for 30 s.
        await setProfileOk(t, 1, profile({ id: 880, purpose: 'TxDefaultProfile', stackLevel: 0, startSchedule: iso(at(-600)),
            validFrom: iso(at(90)), validTo: iso(at(180)), periods: [[0, 16]] }), 'a TxDefaultProfile valid in the future is Accepted (OCPP 1.6 §7.8 validFrom/validTo)');
        await setProfileOk(t, 1, profile({ id: 881, purpose: 'TxDefaultProfile', stackLevel: 1, startSchedule: iso(at(120)), duration: 30, periods: [[0, 10]] }),
            'a TxDefaultProfile starting in the future with a duration is Accepted (OCPP 1.6 §7.8)');
        const expect = (ms) => (ms < at(90) ? 32 : ms < at(120) ? 16 : ms < at(150) ? 10 : ms < at(180) ? 16 : 32);
        const bounds = [90, 120, 150, 180].map(at);
        assertComposite(t, await composite(t, 1, 300, 'A'), expect, { boundaries: bounds, slack: 3,
            rule: 'composite: 32 until validFrom, 16, the level 1 profile 10 for its 30 s, 16, 32 after validTo (OCPP 1.6 §3.13.2, §7.8)' });

        for (const [s, a, what] of [[90, 16, 'validFrom'], [120, 10, 'the higher level\'s startSchedule'], [150, 16, 'the end of the higher level\'s duration'], [180, 32, 'validTo']]) {
            const c = await waitOffered(t, 1, (x) => x === a, t.scaled(40) + 3000);
            t.ok(c, `at ${what} (+${s} s) the running offer becomes ${a} A (re-evaluated at each schedule boundary)`, await t.cp.connector(1));
            t.near((Date.parse(c.now) - at(s)) / 1000, 0, 6, `the change at ${what} happens at +${s} s on the daemon clock, not later (a timer armed for the next change)`);
        }
        await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId && parseTime(p.meterValue[0].timestamp) > at(190), t.scaled(30) + 3000,
            { rule: 'transaction MeterValues every MeterValueSampleInterval (OCPP 1.6 §4.7)' });
        let n = 0;
        for (const e of t.csms.calls('MeterValues').filter((x) => x.payload.transactionId === txId)) {
            const ms = parseTime(e.payload.meterValue[0].timestamp);
            // Samples before 32 A was observed may still show the probing
            // current (probing ends on a sample boundary: 60 s = 6 x 10 s).
            if (ms < seen32 || bounds.some((b) => Math.abs(ms - b) <= 3000)) continue;
            n++;
            t.near(measurand(e.payload, 'Current.Offered'), expect(ms), 0.05, `Current.Offered at +${((ms - t0) / 1000).toFixed(0)} s follows the validity window (docs/limits.md)`);
        }
        t.atLeast(n, 10, 'test setup: Current.Offered sampled across the whole window');
    },
};
