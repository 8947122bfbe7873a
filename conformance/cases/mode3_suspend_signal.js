'use strict';
// docs/balancing.md Suspend Charging Mode: with DirectExternalSuspendSignal =
// SuspendOnClose, closing the external contact pauses a running transaction
// (SuspendedEVSE, offered 0, Current.Offered 0) and opening it resumes; with
// the default (DSMR P1) the contact does nothing.
const { bootAccepted, startLocalTransaction, pollConnector, waitStatus, measurand } = require('../lib/steps');

const SAMPLE = 30;

module.exports = {
    title: 'suspend contact: SuspendOnClose pauses (SuspendedEVSE, Current.Offered 0) and resumes; DSMR P1 ignores it',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGSUSP', ev: { phases: 3, max_current: 32 } });
        await pollConnector(t, 1, (c) => c.offered_a === 32, t.scaled(120) + 5000);

        await t.cp.suspendSignal(true);
        await t.sleep(1000);
        let c = await t.cp.connector(1);
        t.equal(c.ocpp_status, 'Charging', 'with DirectExternalSuspendSignal = DSMR P1 (default) the contact is not a suspend input (the README key reference, docs/balancing.md)');
        await t.cp.suspendSignal(false);
        const r = await t.csms.call('ChangeConfiguration', { key: 'DirectExternalSuspendSignal', value: 'SuspendOnClose' });
        t.equal(r.status, 'Accepted', 'DirectExternalSuspendSignal=SuspendOnClose is Accepted and applies live (the README key reference, docs/station-model.md)');

        const m = t.csms.mark();
        await t.cp.suspendSignal(true);
        await waitStatus(t, 1, 'SuspendedEVSE', { since: m, timeoutMs: 3000, rule: 'closing the contact with SuspendOnClose pauses the session: SuspendedEVSE (docs/balancing.md, docs/status.md)' });
        c = await pollConnector(t, 1, (x) => x.offered_a === 0, 2000);
        t.ok(c, 'a suspended socket offers 0 A (docs/limits.md: suspend signal → 0)', await t.cp.connector(1));
        t.oneOf(c.pilot, ['C1', 'B1'], 'suspend turns the PWM off: C2 → C1 or B1 (docs/balancing.md Suspend Charging Mode)');
        t.equal(c.transaction_id, txId, 'the transaction keeps running while suspended (docs/balancing.md)');
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(SAMPLE) * 2 + 3000, { since: m });
        t.equal(measurand(mv.payload, 'Current.Offered'), 0, 'Current.Offered is 0 while suspended');

        const m2 = t.csms.mark();
        await t.cp.suspendSignal(false);
        await waitStatus(t, 1, 'Charging', { since: m2, timeoutMs: 5000, rule: 'opening the contact resumes the session: Charging (docs/balancing.md)' });
        c = await pollConnector(t, 1, (x) => x.offered_a === 32, 3000);
        t.ok(c, 'after the suspend the full offer comes back without a new probe (docs/balancing.md: no new probing after a pause)', await t.cp.connector(1));
    },
};
