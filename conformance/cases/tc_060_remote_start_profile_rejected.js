'use strict';
// OCTT TC_060 Remote Start Transaction with Charging Profile - Rejected: a
// RemoteStartTransaction whose chargingProfile is not a TxProfile is refused
// (Rejected, or CALLERROR PropertyConstraintViolation as OCTT allows); no
// transaction starts, not even when an EV plugs in afterwards, and the
// profile is not installed (OCPP 1.6 §5.11: the profile SHALL be a TxProfile).
const { bootAccepted } = require('../lib/steps');
const { daemonNow, iso, profile, clearProfiles } = require('../lib/sc_sched');

async function remoteStart(t, payload) {
    try {
        return (await t.csms.call('RemoteStartTransaction', payload)).status;
    } catch (e) {
        if (!e.rpcErrorCode) throw e;
        return `CALLERROR ${e.rpcErrorCode}`;
    }
}

module.exports = {
    title: 'TC_060 RemoteStartTransaction with a TxDefault/ChargePointMax profile → Rejected, no transaction',
    timeScale: 10,
    connectors: 2,
    config: { ConnectionTimeOut: 120 },
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const now = await daemonNow(t);
        const cases = [
            { purpose: 'TxDefaultProfile', prof: profile({ id: 600, purpose: 'TxDefaultProfile', kind: 'Relative', periods: [[0, 10]] }) },
            { purpose: 'ChargePointMaxProfile', prof: profile({ id: 601, purpose: 'ChargePointMaxProfile', startSchedule: iso(now), periods: [[0, 10]] }) },
        ];
        for (const c of cases) {
            const st = await remoteStart(t, { connectorId: 1, idTag: 'REMOTE060', chargingProfile: c.prof });
            t.oneOf(st, ['Rejected', 'CALLERROR PropertyConstraintViolation'],
                `RemoteStartTransaction with a ${c.purpose} is refused: the profile must be a TxProfile (OCPP 1.6 §5.11, OCTT TC_060)`);
        }
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('StatusNotification', m).filter((e) => e.payload.status === 'Preparing').length, 0,
            'a refused remote start does not make the connector Preparing (OCPP 1.6 §5.11)');
        await t.cp.plug(1, { phases: 3, max_current: 32 });
        await t.sleep(t.scaled(20));
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'plugging in after a refused remote start starts no transaction (OCPP 1.6 §5.11)');
        t.equal(t.csms.calls('Authorize', m).length, 0, 'nothing is authorized for the refused remote start (OCPP 1.6 §5.11)');
        t.equal(await clearProfiles(t, {}), 'Unknown', 'the refused remote start installed no profile (OCPP 1.6 §5.5 Unknown)');
        // The charge point still accepts a proper remote start with a TxProfile afterwards.
        const ok = await remoteStart(t, { connectorId: 1, idTag: 'REMOTE060OK', chargingProfile: profile({ id: 602, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 10]] }) });
        t.equal(ok, 'Accepted', 'a RemoteStartTransaction with a TxProfile is then Accepted (OCPP 1.6 §5.11, TC_059)');
        await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'REMOTE060OK', 10000,
            { since: m, rule: 'the accepted remote start starts the transaction on the plugged connector (OCPP 1.6 §5.11)' });
    },
};
