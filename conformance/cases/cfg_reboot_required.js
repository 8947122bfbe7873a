'use strict';
// Issue 3 / SPEC §2a: only the keys SPEC §2a lists answer RebootRequired; the
// new value is shown at once but takes effect after a Reset; everything else
// applies live.  Effects are observed through GetCompositeSchedule (no
// profile: the connector's hardware limit; in W, × Station-NominalVoltage × 3).
const { bootAccepted } = require('../lib/steps');

const REBOOT = [
    { key: 'Station-NominalVoltage', value: '240', back: '240' },
    { key: 'SCN-NetworkName', value: 'NET7', back: 'NET7' },
    { key: 'SCN-Port', value: '36550', back: '36550' },
    { key: 'MbsSlaveTCPIP-Port', value: '1502', back: '1502' },
];

async function hwLimit(t, connectorId, unit) {
    const r = await t.csms.call('GetCompositeSchedule', { connectorId, duration: 60, chargingRateUnit: unit });
    t.equal(r.status, 'Accepted', 'GetCompositeSchedule for an existing connector is Accepted (OCPP 1.6 §5.7)');
    return r.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit);
}

module.exports = {
    title: 'RebootRequired keys: value shown at once, effective after Reset; other keys apply live',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        t.equal(await hwLimit(t, 1, 'W'), [32 * 230 * 3], 'test setup: no profile, connector 1 W limit = 32 A × 230 V × 3 (issue 4, SPEC §3)');
        for (const c of REBOOT) {
            const r = await t.csms.call('ChangeConfiguration', { key: c.key, value: c.value });
            t.equal(r.status, 'RebootRequired', `ChangeConfiguration ${c.key}=${c.value} is RebootRequired: SPEC §2a lists it (OCPP 1.6 §5.3)`);
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey[0].value, c.back, `after RebootRequired, GetConfiguration already shows the new ${c.key} (issue 3: stored, applied after Reset)`);
        }
        // Live keys in the same session: Accepted (not RebootRequired) and in force at once.
        const live = await t.csms.call('ChangeConfiguration', { key: 'Connector1-MaxCurrent', value: '20' });
        t.equal(live.status, 'Accepted', 'Connector1-MaxCurrent applies live: Accepted, not RebootRequired (SPEC §2a: currents apply live)');
        t.equal(await hwLimit(t, 1, 'A'), [20], 'a live Connector1-MaxCurrent change is in force at once: composite 20 A (SPEC §2a, issue 4 no-profile composite)');
        const live2 = await t.csms.call('ChangeConfiguration', { key: 'Station-MaxCurrent', value: '18' });
        t.equal(live2.status, 'Accepted', 'Station-MaxCurrent applies live: Accepted (SPEC §2a)');
        t.equal(await hwLimit(t, 2, 'A'), [18], 'a live Station-MaxCurrent change is in force at once: composite of connector 2 is 18 A (SPEC §2a, issue 4)');
        t.equal(await hwLimit(t, 1, 'W'), [18 * 230 * 3], 'Station-NominalVoltage 240 is not in force before the reboot: still 230 V (issue 3: RebootRequired applies after Reset)');

        const m = t.csms.mark();
        const r = await t.csms.call('Reset', { type: 'Soft' });
        t.equal(r.status, 'Accepted', 'Reset Soft is Accepted (OCPP 1.6 §5.14)');
        const boot = await t.csms.waitFor('BootNotification', null, 15000, { since: m, rule: 'after Reset the daemon boots again (SPEC §2a reboot = re-exec)' });
        await bootAccepted(t, { since: boot.index });
        for (const c of REBOOT) {
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey[0].value, c.back, `${c.key} keeps the value set before the reboot (issue 3)`);
        }
        t.equal(await hwLimit(t, 1, 'W'), [18 * 240 * 3], 'after the Reset Station-NominalVoltage 240 is in force: 18 A × 240 V × 3 (issue 3 RebootRequired, SPEC §3 W↔A)');
        // Writing the value it already has needs no second reboot? It still is a reboot key: the answer stays RebootRequired or Accepted, never Rejected.
        const again = await t.csms.call('ChangeConfiguration', { key: 'Station-NominalVoltage', value: '240' });
        t.oneOf(again.status, ['RebootRequired', 'Accepted'], 'rewriting a reboot key with its current value is not Rejected (OCPP 1.6 §5.3)');
    },
};
