'use strict';
// OCTT TC_082 style: a TxDefaultProfile set while a transaction runs (without
// a TxProfile) applies to that transaction at once; a connector-specific one
// beats one on connector 0 whatever their stack levels; clearing them brings
// the offer back (OCPP 1.6 §3.13.2, docs/limits.md).  The offer reaches the
// control socket within a control cycle or two and Current.Offered in the
// next MeterValues (docs/limits.md: ≤ 100 ms to the PWM, visible as Current.Offered).
const { bootAccepted, startLocalTransaction, measurand, parseTime } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, clearProfiles, waitOffered } = require('../lib/sc_sched');

const SCALE = 30;
const SAMPLE = 15;

module.exports = {
    title: 'TC_082 TxDefaultProfile during a transaction: applies at once; connector-specific beats connector 0; clear restores',
    timeScale: SCALE,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0082', ev: { phases: 3, max_current: 32 } });
        t.ok(await waitOffered(t, 1, (a) => a === 32, t.scaled(90) + 3000), 'test setup: past probing, no profile: offered 32 A (docs/limits.md, docs/balancing.md)', await t.cp.connector(1));
        const start = iso((await daemonNow(t)) - 3600e3);

        const step = async (what, expect, rule) => {
            await what();
            const set = await daemonNow(t);
            const c = await waitOffered(t, 1, (a) => a === expect, 2000);
            t.ok(c, rule, await t.cp.connector(1));
            t.atMost((Date.parse(c.now) - set) / 1000, 2 * SCALE * 0.1 + 2, `${rule}: within a control cycle or two of the answer (docs/limits.md ≤ 100 ms; slack for polling)`);
            const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId && parseTime(p.meterValue[0].timestamp) > Date.parse(c.now) + 1000,
                t.scaled(2 * SAMPLE) + 3000, { rule: 'transaction MeterValues every MeterValueSampleInterval (OCPP 1.6 §4.7)' });
            t.near(measurand(mv.payload, 'Current.Offered'), expect, 0.05, `${rule}: the next MeterValues carry Current.Offered ${expect} A (docs/limits.md)`);
        };

        await step(() => setProfileOk(t, 0, profile({ id: 820, purpose: 'TxDefaultProfile', stackLevel: 9, startSchedule: start, periods: [[0, 16]] })), 16,
            'a TxDefaultProfile on connector 0 set during the transaction lowers its offer to 16 A (OCPP 1.6 §3.13.2, TC_082)');
        await step(() => setProfileOk(t, 1, profile({ id: 821, purpose: 'TxDefaultProfile', stackLevel: 0, startSchedule: start, periods: [[0, 20]] })), 20,
            'a TxDefaultProfile on connector 1 beats the one on connector 0 even at a lower stack level: 20 A (docs/limits.md)');
        await step(() => setProfileOk(t, 1, profile({ id: 822, purpose: 'TxDefaultProfile', stackLevel: 1, startSchedule: start, periods: [[0, 11]] })), 11,
            'a higher stack level on connector 1 wins: 11 A (OCPP 1.6 §3.13.2)');
        await step(async () => t.equal(await clearProfiles(t, { connectorId: 1 }), 'Accepted', 'clear connector 1 profiles: Accepted (OCPP 1.6 §5.5)'), 16,
            'after clearing connector 1 profiles the connector 0 TxDefaultProfile applies again: 16 A (OCPP 1.6 §3.13.2)');
        await step(async () => t.equal(await clearProfiles(t, {}), 'Accepted', 'clear all: Accepted (OCPP 1.6 §5.5)'), 32,
            'with every profile cleared the offer returns to the local limit 32 A (docs/limits.md)');
    },
};
