'use strict';
// acceptance: every value set with ChangeConfiguration survives a
// power loss.  Keys of every writable type (int, bool, CSV, amperes, switch,
// enum, a reboot-required one) are changed, the daemon is SIGKILLed
// right after the last answer, started again on the same database, and every
// value reads back in its canonical form (docs/station-model.md).
const { bootAccepted } = require('../lib/steps');

// key, value sent, value read back (docs/station-model.md canonical forms), expected status
const CHANGES = [
    { key: 'MeterValueSampleInterval', value: '45', back: '45', type: 'integer (Core)' },
    { key: 'LocalPreAuthorize', value: 'AAN', back: 'True', type: 'boolean (Core), Dutch input, read back True/False' },
    { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Voltage', back: 'Energy.Active.Import.Register,Voltage', type: 'CSV of measurands (Core)' },
    { key: 'Station-MaxCurrent', value: '20', back: '20.0', type: 'vendor float amperes, one decimal' },
    { key: 'Connector1-MaxCurrent', value: '16.00', back: '16.0', type: 'vendor float amperes, one decimal' },
    { key: 'Chameleon-MinCurrent', value: '10.5', back: '10.5', type: 'vendor float amperes with a decimal' },
    { key: 'Static-LoadBalancing', value: 'uit', back: 'Off', type: 'vendor switch, Dutch input, read back On/Off' },
    { key: 'DirectExternalSuspendSignal', value: 'SuspendOnOpen', back: 'SuspendOnOpen', type: 'vendor enumeration' },
    { key: 'ConnectorPhaseRotation', value: '0.RST,1.TSR', back: '0.RST,1.TSR', type: 'CSV (Core)' },
    { key: 'SCN-AlternatingPeriod', value: '600', back: '600', type: 'vendor integer' },
    { key: 'Station-NominalVoltage', value: '240', back: '240', type: 'topology key applied live' },
    { key: 'Station-RatedCurrent', value: '25', back: '25.0', type: 'topology key (reboot required)', status: 'RebootRequired' },
];

async function readAll(t) {
    const r = await t.csms.call('GetConfiguration', { key: CHANGES.map((c) => c.key) });
    return new Map((r.configurationKey || []).map((k) => [k.key, k.value]));
}

module.exports = {
    title: 'ChangeConfiguration of every key type, SIGKILL, restart: every value reads back (canonical)',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const before = await readAll(t);
        for (const c of CHANGES) {
            t.ok(before.has(c.key), `test setup: ${c.key} is a known key (the README key reference)`, Array.from(before.keys()));
            t.ok(before.get(c.key) !== c.back, `test setup: ${c.key} does not already hold ${c.back}`, before.get(c.key));
        }
        for (const c of CHANGES) {
            const r = await t.csms.call('ChangeConfiguration', { key: c.key, value: c.value });
            t.equal(r.status, c.status || 'Accepted', `ChangeConfiguration ${c.key}=${c.value} (${c.type}) is ${c.status || 'Accepted'} (OCPP 1.6 §5.3, docs/station-model.md reboot keys)`);
        }
        // Power loss right after the last answer: nothing may be lost.
        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was killed with SIGKILL');
        const m = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m });
        const after = await readAll(t);
        for (const c of CHANGES) {
            t.equal(after.get(c.key), c.back, `${c.key} (${c.type}) keeps the value set before a SIGKILL, read back canonically (every value survives a SIGKILL; docs/station-model.md)`);
        }
        // Once more to be sure the restart did not rewrite anything from defaults or --config.
        const m2 = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m2 });
        const again = await readAll(t);
        for (const c of CHANGES) {
            t.equal(again.get(c.key), c.back, `${c.key} is still ${c.back} after a second restart (persisted, first-boot provisioning does not overwrite)`);
        }
        // The restored values are in force, not only stored: with no profile
        // the composite is min(connector max, station max), and W
        // uses the (rebooted-into) nominal voltage × 3 phases (docs/limits.md).
        const c1 = await t.csms.call('GetCompositeSchedule', { connectorId: 1, duration: 60, chargingRateUnit: 'A' });
        t.equal(c1.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [16],
            'after the restart connector 1 is limited by the restored Connector1-MaxCurrent 16.0 (persisted and applied;composite without profiles)');
        const c2 = await t.csms.call('GetCompositeSchedule', { connectorId: 2, duration: 60, chargingRateUnit: 'A' });
        t.equal(c2.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [20],
            'after the restart connector 2 is limited by the restored Station-MaxCurrent 20.0 (persisted and applied;composite without profiles)');
        const w2 = await t.csms.call('GetCompositeSchedule', { connectorId: 2, duration: 60, chargingRateUnit: 'W' });
        t.equal(w2.chargingSchedule.chargingSchedulePeriod.map((p) => p.limit), [20 * 240 * 3],
            'after a restart the restored Station-NominalVoltage 240 is in force: 20 A × 240 V × 3 phases (docs/station-model.md, docs/limits.md W↔A)');
    },
};
