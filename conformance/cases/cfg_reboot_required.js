'use strict';
//: RebootRequired only where a restart is truly needed (the README
// key reference, column "applies": the station's wiring, the license, the
// connection's security); the new value is shown at once but takes effect
// after a Reset.  Everything the daemon can apply live answers Accepted and is
// in force at once, Station-NominalVoltage included (read by every control
// cycle).  Keys of features not implemented yet (OCPP 1.5 smart charging,
// lights) are read-only.
// Effects are observed through GetCompositeSchedule (no profile: the
// connector's hardware limit; in W, × Station-NominalVoltage × 3).
const { bootAccepted } = require('../lib/steps');

const REBOOT = [
    { key: 'Station-RatedCurrent', value: '20', back: '20.0' },
    { key: 'Station-Phases', value: '1', back: '1' },
];
const NOT_YET = [
    { key: 'SmartChargingMode', value: 'OCPP1.5+', back: 'None' },
    { key: 'LightIntensity', value: '50', back: '100' },
];

async function hwLimit(t, connectorId, unit) {
    const r = await t.csms.call('GetCompositeSchedule', { connectorId, duration: 60, chargingRateUnit: unit });
    t.equal(r.status, 'Accepted', 'GetCompositeSchedule for an existing connector is Accepted (OCPP 1.6 §5.7)');
    return r.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit);
}

module.exports = {
    title: 'RebootRequired keys: value shown at once, effective after Reset; other keys apply live; not-yet keys read-only',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        t.equal(await hwLimit(t, 1, 'W'), [32 * 230 * 3], 'test setup: no profile, connector 1 W limit = 32 A × 230 V × 3 (docs/limits.md)');
        for (const c of REBOOT) {
            const r = await t.csms.call('ChangeConfiguration', { key: c.key, value: c.value });
            t.equal(r.status, 'RebootRequired', `ChangeConfiguration ${c.key}=${c.value} is RebootRequired: the station's wiring changes with a restart (OCPP 1.6 §5.3, README "after restart")`);
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey[0].value, c.back, `after RebootRequired, GetConfiguration already shows the new ${c.key} (stored, applied after Reset)`);
        }
        for (const c of NOT_YET) {
            const r = await t.csms.call('ChangeConfiguration', { key: c.key, value: c.value });
            t.equal(r.status, 'Rejected', `ChangeConfiguration ${c.key}=${c.value} is Rejected: no code applies it yet, so it is read-only (OCPP 1.6 §5.3, README "not supported yet")`);
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey, [{ key: c.key, readonly: true, value: c.back }], `${c.key} is reported readonly with its value unchanged (README "not supported yet")`);
        }
        t.equal(await hwLimit(t, 2, 'A'), [32], 'Station-RatedCurrent 20 is not in force before the reboot: connector 2 still 32 A (RebootRequired applies after Reset)');
        // Live keys in the same session: Accepted (not RebootRequired) and in force at once.
        const volt = await t.csms.call('ChangeConfiguration', { key: 'Station-NominalVoltage', value: '240' });
        t.equal(volt.status, 'Accepted', 'Station-NominalVoltage applies live: Accepted, not RebootRequired (every control cycle converts W and A with it)');
        t.equal(await hwLimit(t, 1, 'W'), [32 * 240 * 3], 'a live Station-NominalVoltage 240 is in force at once: 32 A × 240 V × 3 (docs/limits.md W↔A)');
        const live = await t.csms.call('ChangeConfiguration', { key: 'Connector1-MaxCurrent', value: '20' });
        t.equal(live.status, 'Accepted', 'Connector1-MaxCurrent applies live: Accepted, not RebootRequired (docs/station-model.md: currents apply live)');
        t.equal(await hwLimit(t, 1, 'A'), [20], 'a live Connector1-MaxCurrent change is in force at once: composite 20 A (docs/station-model.md no-profile composite)');

        const m = t.csms.mark();
        const r = await t.csms.call('Reset', { type: 'Soft' });
        t.equal(r.status, 'Accepted', 'Reset Soft is Accepted (OCPP 1.6 §5.14)');
        const boot = await t.csms.waitFor('BootNotification', null, 15000, { since: m, rule: 'after Reset the daemon boots again (docs/station-model.md reboot = re-exec)' });
        await bootAccepted(t, { since: boot.index });
        for (const c of REBOOT) {
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey[0].value, c.back, `${c.key} keeps the value set before the reboot`);
        }
        t.equal(await hwLimit(t, 2, 'A'), [20], 'after the Reset Station-RatedCurrent 20 is in force: connector 2 (default: the rating) and the station are held to 20 A (docs/station-model.md)');
        t.equal(await hwLimit(t, 1, 'W'), [20 * 240 * 3], 'after the Reset connector 1: 20 A × the kept Station-NominalVoltage 240 × 3 (docs/limits.md W↔A)');
        // Writing the value it already has needs no second reboot.
        const again = await t.csms.call('ChangeConfiguration', { key: 'Station-RatedCurrent', value: '20' });
        t.equal(again.status, 'Accepted', 'rewriting a reboot key with the value it runs on is Accepted: nothing to restart for (OCPP 1.6 §5.3)');
    },
};
