'use strict';
// OCTT TC_067 / TC_072 style: the higher stack level wins; the same id
// replaces; the same purpose + stack level on the same connector replaces;
// ClearChargingProfile by id, purpose and stack level (Unknown when nothing
// matched).
const { bootAccepted } = require('../lib/steps');
const { daemonNow, profile, setProfile, composite, limitAt } = require('../lib/sc');

module.exports = {
    title: 'TC_067/072 stack levels, replacement rules, ClearChargingProfile filters',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const start = (await daemonNow(t)) - 3600e3;
        const txd = (id, stack, limit) => profile({ id, stack, purpose: 'TxDefaultProfile', start, periods: [[0, limit]] });
        const lim = async () => limitAt(await composite(t, 1, 300, 'A'), 0);

        t.equal(await setProfile(t, 1, txd(10, 0, 20)), 'Accepted', 'TxDefaultProfile stack 0 Accepted (OCPP 1.6 §5.16)');
        t.equal(await setProfile(t, 1, txd(11, 1, 10)), 'Accepted', 'TxDefaultProfile stack 1 Accepted (OCPP 1.6 §5.16)');
        t.equal(await lim(), 10, 'the highest stack level in force wins (OCPP 1.6 §3.13.2)');
        t.equal(await setProfile(t, 1, txd(11, 1, 12)), 'Accepted', 'same id again Accepted (OCPP 1.6 §5.16)');
        t.equal(await lim(), 12, 'a profile with the same chargingProfileId replaces the old one (OCPP 1.6 §5.16)');
        t.equal(await setProfile(t, 1, txd(12, 1, 14)), 'Accepted', 'same purpose and stack level, new id: Accepted (OCPP 1.6 §5.16)');
        t.equal(await lim(), 14, 'same purpose + stack level on the same connector replaces the old profile (OCPP 1.6 §5.16)');

        let r = await t.csms.call('ClearChargingProfile', { id: 999 });
        t.equal(r.status, 'Unknown', 'ClearChargingProfile matching nothing is Unknown (OCPP 1.6 §5.5)');
        r = await t.csms.call('ClearChargingProfile', { id: 12 });
        t.equal(r.status, 'Accepted', 'ClearChargingProfile by id is Accepted (OCPP 1.6 §5.5)');
        t.equal(await lim(), 20, 'after clearing the stack 1 profile the stack 0 profile applies (OCPP 1.6 §3.13.2)');
        t.equal(await setProfile(t, 1, txd(13, 3, 9)), 'Accepted', 'TxDefaultProfile stack 3 Accepted');
        r = await t.csms.call('ClearChargingProfile', { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 });
        t.equal(r.status, 'Accepted', 'ClearChargingProfile by connector + purpose + stack level is Accepted (OCPP 1.6 §5.5)');
        t.equal(await lim(), 20, 'only the stack 3 profile was cleared (OCPP 1.6 §5.5 filters combine)');
        r = await t.csms.call('ClearChargingProfile', { chargingProfilePurpose: 'ChargePointMaxProfile' });
        t.equal(r.status, 'Unknown', 'clearing a purpose with no profile is Unknown (OCPP 1.6 §5.5)');
        r = await t.csms.call('ClearChargingProfile', { chargingProfilePurpose: 'TxDefaultProfile' });
        t.equal(r.status, 'Accepted', 'ClearChargingProfile by purpose is Accepted (OCPP 1.6 §5.5)');
        t.equal(await lim(), 32, 'with no profile the composite is the connector hardware limit (min connector max 32, station max 32)');
    },
};
