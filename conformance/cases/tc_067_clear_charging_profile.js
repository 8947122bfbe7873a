'use strict';
// OCTT TC_067 Clear Charging Profile: profiles on connectors 0, 1 and 2 are
// cleared by id, by criteria (connectorId, purpose, stackLevel, combined) and
// all at once; Accepted when something matched, Unknown otherwise (OCPP 1.6
// §5.5); connectorId 0 selects the profiles installed on connector 0 only;
// after each clear the composite shows what is left.
const { bootAccepted } = require('../lib/steps');
const { daemonNow, iso, profile, setProfileOk, clearProfiles, composite } = require('../lib/sc_sched');

module.exports = {
    title: 'TC_067 ClearChargingProfile by id, by connector/purpose/stackLevel, all; Unknown when nothing matched',
    timeScale: 1,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const start = iso((await daemonNow(t)) - 3600e3);
        const p = (id, purpose, stackLevel, limit) => profile({ id, purpose, stackLevel, startSchedule: start, periods: [[0, limit]] });
        const now = async (c) => (await composite(t, c, 60, 'A')).chargingSchedule.chargingSchedulePeriod.map((x) => x.limit);
        const install = async () => {
            await setProfileOk(t, 0, p(1, 'ChargePointMaxProfile', 0, 25));
            await setProfileOk(t, 0, p(2, 'TxDefaultProfile', 1, 20));
            await setProfileOk(t, 1, p(3, 'TxDefaultProfile', 2, 12));
            await setProfileOk(t, 2, p(4, 'TxDefaultProfile', 2, 14));
            await setProfileOk(t, 2, p(5, 'TxDefaultProfile', 6, 10));
        };
        await install();
        t.equal(await now(1), [12], 'test setup: connector 1 = its own TxDefaultProfile 12 A');
        t.equal(await now(2), [10], 'test setup: connector 2 = its highest stack level (6): 10 A (OCPP 1.6 §3.13.2)');

        t.equal(await clearProfiles(t, { id: 5 }), 'Accepted', 'ClearChargingProfile by id of an installed profile is Accepted (OCPP 1.6 §5.5, TC_067 step 3)');
        t.equal(await now(2), [14], 'after clearing id 5 the lower stack level of connector 2 shows through: 14 A (OCPP 1.6 §3.13.2)');
        t.equal(await clearProfiles(t, { id: 5 }), 'Unknown', 'clearing the same id again matches nothing: Unknown (OCPP 1.6 §5.5)');
        t.equal(await clearProfiles(t, { id: 999 }), 'Unknown', 'clearing an id never installed: Unknown (OCPP 1.6 §5.5)');

        t.equal(await clearProfiles(t, { connectorId: 1, chargingProfilePurpose: 'ChargePointMaxProfile' }), 'Unknown',
            'criteria that match no profile together (connector 1 + ChargePointMaxProfile) → Unknown: criteria combine (OCPP 1.6 §5.5)');
        t.equal(await clearProfiles(t, { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2, connectorId: 2 }), 'Accepted',
            'clear by connector + purpose + stack level is Accepted (OCPP 1.6 §5.5, TC_067 step 5)');
        t.equal(await now(2), [20], 'connector 2 now falls back to the TxDefaultProfile of connector 0: 20 A (OCPP 1.6 §3.13.2)');
        t.equal(await now(1), [12], 'the stack-level-2 profile of connector 1 was not touched by a connectorId 2 clear (OCPP 1.6 §5.5)');

        t.equal(await clearProfiles(t, { connectorId: 0, chargingProfilePurpose: 'TxDefaultProfile' }), 'Accepted',
            'clear by connectorId 0 + purpose: the TxDefaultProfile installed on connector 0 (OCPP 1.6 §5.5: connectorId 0 = the charge point as a whole)');
        t.equal(await now(2), [25], 'without any TxDefaultProfile connector 2 = ChargePointMax 25 A (OCPP 1.6 §3.13)');
        t.equal(await now(1), [12], 'a connectorId 0 clear leaves connector 1\'s own profile (OCPP 1.6 §5.5)');

        t.equal(await clearProfiles(t, { stackLevel: 2 }), 'Accepted', 'clear by stack level alone matches connector 1\'s profile: Accepted (OCPP 1.6 §5.5)');
        t.equal(await now(1), [25], 'connector 1 is now at ChargePointMax 25 A');
        t.equal(await clearProfiles(t, { chargingProfilePurpose: 'ChargePointMaxProfile' }), 'Accepted', 'clear by purpose alone is Accepted (OCPP 1.6 §5.5)');
        t.equal(await now(1), [32], 'with no profile the composite is the hardware limit 32 A');
        t.equal(await clearProfiles(t, {}), 'Unknown', 'clear all with nothing installed is Unknown (OCPP 1.6 §5.5)');

        await install();
        t.equal(await clearProfiles(t, {}), 'Accepted', 'ClearChargingProfile without criteria clears every profile: Accepted (OCPP 1.6 §5.5, TC_067 step 7)');
        for (const c of [0, 1, 2]) t.equal(await now(c), [32], `after clearing all, connector ${c} is at the hardware limit 32 A`);
        t.equal(await clearProfiles(t, {}), 'Unknown', 'nothing is left: a second clear-all is Unknown (OCPP 1.6 §5.5)');
    },
};
