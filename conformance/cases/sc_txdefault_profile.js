'use strict';
// OCTT TC_056 style: a TxDefaultProfile on connector 0 is used by a new
// transaction: the offered current (control socket) and Current.Offered in
// MeterValues follow the profile's limit.
const { bootAccepted, startLocalTransaction, pollConnector, measurand } = require('../lib/steps');
const { daemonNow, profile, setProfile } = require('../lib/sc');

const LIMIT = 10;
const SAMPLE = 30;

module.exports = {
    title: 'TC_056 TxDefaultProfile set, then used by a new transaction (offered and Current.Offered)',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Current.Offered,Energy.Active.Import.Register' },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        const st = await setProfile(t, 0, profile({ id: 56, purpose: 'TxDefaultProfile', start: now - 3600e3, periods: [[0, LIMIT]] }));
        t.equal(st, 'Accepted', 'a valid TxDefaultProfile on connector 0 is Accepted (OCPP 1.6 §5.16)');
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0056', ev: { phases: 3, max_current: 32 } });
        const c = await pollConnector(t, 1, (x) => x.offered_a === LIMIT, t.scaled(90) + 3000);
        t.ok(c, `offered = min(TxDefaultProfile ${LIMIT} A, connector 32, station 32, EV 32) (docs/limits.md limit stack, OCPP 1.6 §3.13.2)`, await t.cp.connector(1));
        const m = t.csms.mark();
        const mv = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId && measurand(p, 'Current.Offered') !== undefined, t.scaled(SAMPLE) * 2 + 3000,
            { since: m, rule: 'MeterValues with Current.Offered at MeterValueSampleInterval (OCPP 1.6 §4.7)' });
        t.near(measurand(mv.payload, 'Current.Offered'), LIMIT, 0.1, 'Current.Offered in MeterValues follows the profile (docs/limits.md)');
        const other = await t.cp.connector(2);
        t.equal(other.offered_a, 0, 'a connector without an EV is offered nothing (control socket status)');
    },
};
