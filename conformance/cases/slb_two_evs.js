'use strict';
// conformance: two three-phase EVs with Station-MaxCurrent 25 and SLB
// on share 12.5 A each (control socket and Current.Offered); unplugging one
// gives the other 25 A within a cycle; a TxProfile of 8 A on one gives the
// other 17 A.
const { bootAccepted, startLocalTransaction, pollConnector, measurand } = require('../lib/steps');
const { profile, setProfile } = require('../lib/sc');
const { pollUntil } = require('../lib/util');

const SAMPLE = 30;

module.exports = {
    title: 'SLB: 25 A over two 3-phase EVs → 12.5/12.5; unplug one → 25; TxProfile 8 A on one → other 17',
    timeScale: 30,
    connectors: 2,
    config: { 'Station-MaxCurrent': '25.0', 'Static-LoadBalancing': 'On', MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const a = await startLocalTransaction(t, { connector: 1, idTag: 'TAGSLB1', ev: { phases: 3, max_current: 32 } });
        const alone = await pollConnector(t, 1, (c) => c.offered_a === 25, t.scaled(120) + 5000);
        t.ok(alone, 'one 3-phase EV alone gets the whole station budget, 25 A (docs/balancing.md product table §4.1)', await t.cp.connector(1));
        await startLocalTransaction(t, { connector: 2, idTag: 'TAGSLB2', ev: { phases: 3, max_current: 32 } });
        await pollUntil(async () => (await t.cp.status()).connectors.every((c) => c.offered_a === 12.5), t.scaled(120) + 5000);
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.offered_a === 12.5), 'two 3-phase EVs share 25 A: 12.5 A each (docs/balancing.md SLB, vector H)', st.connectors);
        const m = t.csms.mark();
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === a.txId, t.scaled(SAMPLE) * 2 + 3000, { since: m });
        t.near(measurand(mv.payload, 'Current.Offered'), 12.5, 0.05, 'Current.Offered shows the 12.5 A share');

        await t.cp.unplug(2);
        const t0 = Date.now();
        const up = await pollConnector(t, 1, (c) => c.offered_a === 25, 1000);
        t.ok(up, 'after one EV leaves, the other gets the whole 25 A within a control cycle (polled for 1 s real)', await t.cp.connector(1));
        t.log(`re-allocation seen after ${Date.now() - t0} ms`);

        const b = await startLocalTransaction(t, { connector: 2, idTag: 'TAGSLB3', ev: { phases: 3, max_current: 32 } });
        await pollConnector(t, 2, (c) => c.offered_a === 12.5, t.scaled(120) + 5000);
        t.equal(await setProfile(t, 2, profile({ id: 68, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 8]], txId: b.txId })), 'Accepted',
            'a TxProfile for the running transaction is Accepted (OCPP 1.6 §5.16)');
        const capped = await pollConnector(t, 2, (c) => c.offered_a === 8, 3000);
        t.ok(capped, 'the profile caps socket 2 at 8 A (docs/limits.md)', await t.cp.connector(2));
        const rest = await pollConnector(t, 1, (c) => c.offered_a === 17, 3000);
        t.ok(rest, 'the profile-capped socket\'s unused share goes to the other: 25 − 8 = 17 A (docs/limits.md)', await t.cp.connector(1));
    },
};
