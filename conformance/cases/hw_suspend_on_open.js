'use strict';
// SPEC §5 Suspend Charging Mode (guide §8), issue 5, the open-active
// polarity provisioned with --config: DirectExternalSuspendSignal =
// SuspendOnOpen and the contact open.  New sessions start but stay paused
// (SuspendedEVSE, never Charging, Current.Offered 0, the guide's display
// message); closing the contact starts both sockets within one control
// cycle, opening it pauses both again within one cycle; switching the port to
// DSMR P1 makes the contact irrelevant (SPEC §4).
const { bootAccepted, waitStatus } = require('../lib/steps');
const { SAMPLED, startSession, expectConnector, expectMeterOffered } = require('../lib/lb');

const SAMPLE = 30;
const CYCLE_MS = 100;       // SPEC §2: a change reaches the PWM ≤ 100 ms after the input
const EV = { phases: 3, min_current: 6, max_current: 10 };
// Connector1/2-MaxCurrent 10: 10 + 10 ≤ 32, no sharing in the way; the offer
// is the station's own limit (a station cannot know the EV's maximum).
const CONN_MAX = '10.0';
const HALTED = 'Charging session halted by energy supplier';

async function allOffered(t, pred) {
    const t0 = Date.now();
    let st;
    for (;;) {
        st = await t.cp.status();
        if (st.connectors.every(pred)) return { ms: Date.now() - t0, st };
        if (Date.now() - t0 > 3000) return { ms: Infinity, st };
    }
}

module.exports = {
    title: 'SuspendOnOpen (--config): sessions start paused; closing resumes, opening pauses both within a cycle; DSMR P1 ignores the contact',
    timeScale: 30,
    connectors: 2,
    config: { DirectExternalSuspendSignal: 'SuspendOnOpen', MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: SAMPLED,
        'Connector1-MaxCurrent': CONN_MAX, 'Connector2-MaxCurrent': CONN_MAX },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        await t.cp.suspendSignal(false);            // open: suspend active
        const m0 = t.csms.mark();
        const s1 = await startSession(t, { connector: 1, idTag: 'TAGSO1', ev: EV });
        const s2 = await startSession(t, { connector: 2, idTag: 'TAGSO2', ev: EV });
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'SuspendedEVSE', { since: m0, timeoutMs: 3000,
                rule: `a session started while the suspend signal is active stays paused: SuspendedEVSE (SPEC §5 "new sessions may start but stay paused", §7), connector ${c}` });
        }
        await t.sleep(t.scaled(60));
        for (const c of [1, 2]) {
            const st = await t.cp.connector(c);
            t.equal(st.offered_a, 0, `suspended: nothing offered on connector ${c} (SPEC §2 suspend signal → 0)`);
            t.equal(st.import_a, [0, 0, 0], `suspended: the EV on connector ${c} draws nothing (issue 5 simulator obeys the pilot)`);
            t.oneOf(st.pilot, ['B1', 'C1'], `suspended: PWM off on connector ${c} (SPEC §5 C2 → C1 / B1)`);
            t.equal(st.binding, 'suspend', `the control socket names the suspend signal as binding, connector ${c} (SPEC §2)`);
            t.equal(st.display, HALTED, `the display shows the guide's Suspend Charging Mode message, connector ${c} (guide §2.7.1, §8)`);
        }
        t.ok(!t.csms.calls('StatusNotification', m0).some((e) => e.payload.status === 'Charging'),
            'no connector ever reports Charging while the suspend signal is active (SPEC §5)', t.csms.calls('StatusNotification', m0).map((e) => e.payload));
        let m = t.csms.mark();
        for (const s of [s1, s2]) {
            await expectMeterOffered(t, s.txId, 0, { since: m, timeoutMs: t.scaled(SAMPLE) * 2 + 3000,
                rule: `Current.Offered is 0 in MeterValues while suspended, transaction ${s.txId} (issue 5)` });
        }

        // Close the contact: both start within one control cycle.
        m = t.csms.mark();
        await t.cp.suspendSignal(true);
        let r = await allOffered(t, (c) => c.offered_a > 0);
        t.log(`suspend released → both offered after ${r.ms} ms real`);
        t.atMost(r.ms, CYCLE_MS, 'releasing the suspend signal offers current on every socket within one control cycle (SPEC §2, §5)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'Charging', { since: m, timeoutMs: 3000, rule: `released: connector ${c} charges (SPEC §5, OCPP 1.6 §4.9)` });
        }
        await expectConnector(t, 1, (c) => c.offered_a === 10 && c.import_a.every((a) => Math.abs(a - 10) <= 0.5), t.scaled(60) + 3000,
            'released: the EV gets the connector\'s 10 A and draws it (SPEC §2)');

        // Open it again: both pause within one cycle, the transactions stay.
        m = t.csms.mark();
        await t.cp.suspendSignal(false);
        r = await allOffered(t, (c) => c.offered_a === 0);
        t.log(`suspend active → both at 0 after ${r.ms} ms real`);
        t.atMost(r.ms, CYCLE_MS, 'the suspend signal pauses every session within one control cycle (SPEC §2, §5 guide §8)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'SuspendedEVSE', { since: m, timeoutMs: 3000, rule: `suspended again: SuspendedEVSE, connector ${c} (SPEC §5, §7)` });
        }
        await expectConnector(t, 1, (c) => c.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'the paused EV stops drawing (PWM off, contactor open after it stopped, SPEC §6)');
        const st = await t.cp.status();
        t.equal(st.connectors.map((c) => c.transaction_id), [s1.txId, s2.txId], 'the transactions keep running while suspended (SPEC §5)');
        t.equal(t.csms.calls('StopTransaction', m0).length, 0, 'suspending stops no transaction (SPEC §5)');

        // DSMR P1: the RJ11 port belongs to the meter, the contact means nothing.
        m = t.csms.mark();
        const cc = await t.csms.call('ChangeConfiguration', { key: 'DirectExternalSuspendSignal', value: 'DSMR P1' });
        t.equal(cc.status, 'Accepted', 'DirectExternalSuspendSignal = DSMR P1 is Accepted and applies live (SPEC §4, §2a)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'Charging', { since: m, timeoutMs: 3000,
                rule: `with DSMR P1 the open contact no longer suspends: connector ${c} charges (SPEC §4, §5 "not combinable with DSMR P1")` });
        }
    },
};
