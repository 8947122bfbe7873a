'use strict';
// ChargePointMaxProfile (connector 0) caps the station even when a
// TxDefaultProfile allows more; GetCompositeSchedule reports the lower.
const { bootAccepted, startLocalTransaction, pollConnector } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite, limitAt } = require('../lib/sc');

module.exports = {
    title: 'ChargePointMaxProfile caps TxDefaultProfile: offered and composite are the lower',
    timeScale: 30,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const now = await daemonNow(t);
        t.equal(await setProfile(t, 0, profile({ id: 1, purpose: 'TxDefaultProfile', start: now - 3600e3, periods: [[0, 25]] })), 'Accepted',
            'TxDefaultProfile on connector 0 is Accepted (OCPP 1.6 §5.16)');
        t.equal(await setProfile(t, 0, profile({ id: 2, purpose: 'ChargePointMaxProfile', start: now - 3600e3, periods: [[0, 13]] })), 'Accepted',
            'ChargePointMaxProfile on connector 0 is Accepted (OCPP 1.6 §3.13.1)');
        const comp = await composite(t, 1, 600, 'A');
        t.equal(comp.status, 'Accepted', 'GetCompositeSchedule for an existing connector is Accepted (OCPP 1.6 §5.7)');
        t.equal(limitAt(comp, 0), 13, 'the composite of connector 1 is min(ChargePointMaxProfile 13, TxDefaultProfile 25) (OCPP 1.6 §3.13.5, docs/limits.md)');
        await startLocalTransaction(t, { connector: 1, idTag: 'TAGCPMAX', ev: { phases: 3, max_current: 32 } });
        const c = await pollConnector(t, 1, (x) => x.offered_a === 13, t.scaled(90) + 3000);
        t.ok(c, 'with one socket in use the ChargePointMaxProfile budget (13 A) caps the offer below the TxDefaultProfile (docs/limits.md)', await t.cp.connector(1));
    },
};
