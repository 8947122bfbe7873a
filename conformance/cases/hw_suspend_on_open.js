'use strict';
// docs/balancing.md Suspend Charging Mode (docs/mode3.md), the open-active
// polarity provisioned with --config: DirectExternalSuspendSignal =
// SuspendOnOpen and the contact open.  New sessions start but stay paused
// (SuspendedEVSE, never Charging, Current.Offered 0, the vendor's display
// message); closing the contact starts both sockets within one control
// cycle, opening it pauses both again within one cycle; switching the port to
// DSMR P1 makes the contact irrelevant (the README key reference).
const { bootAccepted, waitStatus } = require('../lib/steps');
const { SAMPLED, startSession, expectConnector, expectMeterOffered } = require('../lib/lb');

const SAMPLE = 30;
const CYCLE_MS = 100;       // docs/limits.md: a change reaches the PWM ≤ 100 ms after the input
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
                rule: `a session started while the suspend signal is active stays paused: SuspendedEVSE (docs/balancing.md "new sessions may start but stay paused", §7), connector ${c}` });
        }
        await t.sleep(t.scaled(60));
        for (const c of [1, 2]) {
            const st = await t.cp.connector(c);
            t.equal(st.offered_a, 0, `suspended: nothing offered on connector ${c} (docs/limits.md suspend signal → 0)`);
            t.equal(st.import_a, [0, 0, 0], `suspended: the EV on connector ${c} draws nothing (simulator obeys the pilot)`);
            t.oneOf(st.pilot, ['B1', 'C1'], `suspended: PWM off on connector ${c} (docs/balancing.md C2 → C1 / B1)`);
            t.equal(st.binding, 'suspend', `the control socket names the suspend signal as binding, connector ${c} (docs/limits.md)`);
            t.equal(st.display, HALTED, `the display shows the vendor's Suspend Charging Mode message, connector ${c} (docs/mode3.md)`);
        }
        t.ok(!t.csms.calls('StatusNotification', m0).some((e) => e.payload.status === 'Charging'),
            'no connector ever reports Charging while the suspend signal is active (docs/balancing.md)', t.csms.calls('StatusNotification', m0).map((e) => e.payload));
        let m = t.csms.mark();
        for (const s of [s1, s2]) {
            await expectMeterOffered(t, s.txId, 0, { since: m, timeoutMs: t.scaled(SAMPLE) * 2 + 3000,
                rule: `Current.Offered is 0 in MeterValues while suspended, transaction ${s.txId}` });
        }

        // Close the contact: both start within one control cycle.
        m = t.csms.mark();
        await t.cp.suspendSignal(true);
        let r = await allOffered(t, (c) => c.offered_a > 0);
        t.log(`suspend released → both offered after ${r.ms} ms real`);
        t.atMost(r.ms, CYCLE_MS, 'releasing the suspend signal offers current on every socket within one control cycle (docs/limits.md, docs/balancing.md)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'Charging', { since: m, timeoutMs: 3000, rule: `released: connector ${c} charges (docs/balancing.md, OCPP 1.6 §4.9)` });
        }
        await expectConnector(t, 1, (c) => c.offered_a === 10 && c.import_a.every((a) => Math.abs(a - 10) <= 0.5), t.scaled(60) + 3000,
            'released: the EV gets the connector\'s 10 A and draws it (docs/limits.md)');

        // Open it again: both pause within one cycle, the transactions stay.
        m = t.csms.mark();
        await t.cp.suspendSignal(false);
        r = await allOffered(t, (c) => c.offered_a === 0);
        t.log(`suspend active → both at 0 after ${r.ms} ms real`);
        t.atMost(r.ms, CYCLE_MS, 'the suspend signal pauses every session within one control cycle (docs/limits.md, docs/balancing.md docs/mode3.md)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'SuspendedEVSE', { since: m, timeoutMs: 3000, rule: `suspended again: SuspendedEVSE, connector ${c} (docs/balancing.md, docs/status.md)` });
        }
        await expectConnector(t, 1, (c) => c.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'the paused EV stops drawing (PWM off, contactor open after it stopped, docs/mode3.md)');
        const st = await t.cp.status();
        t.equal(st.connectors.map((c) => c.transaction_id), [s1.txId, s2.txId], 'the transactions keep running while suspended (docs/balancing.md)');
        t.equal(t.csms.calls('StopTransaction', m0).length, 0, 'suspending stops no transaction (docs/balancing.md)');

        // DSMR P1: the RJ11 port belongs to the meter, the contact means nothing.
        m = t.csms.mark();
        const cc = await t.csms.call('ChangeConfiguration', { key: 'DirectExternalSuspendSignal', value: 'DSMR P1' });
        t.equal(cc.status, 'Accepted', 'DirectExternalSuspendSignal = DSMR P1 is Accepted and applies live (the README key reference, docs/station-model.md)');
        for (const c of [1, 2]) {
            await waitStatus(t, c, 'Charging', { since: m, timeoutMs: 3000,
                rule: `with DSMR P1 the open contact no longer suspends: connector ${c} charges (the README key reference, docs/balancing.md "not combinable with DSMR P1")` });
        }
    },
};
