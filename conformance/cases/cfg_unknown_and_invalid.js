'use strict';
//the README key reference: unknown keys are NotSupported (ChangeConfiguration) and
// come back in unknownKey (GetConfiguration) next to the known ones; vendor
// keys reject every kind of bad value (type, range, rating, enumeration,
// IPv4, CSV vocabulary and length) and keep their stored value.
const { bootAccepted } = require('../lib/steps');

// Unknown spellings: near misses of real keys and aliases must not match.
const UNKNOWN = ['NoSuchKey-Conformance', 'Station-MaxCurrentX', 'RJ11Mode', 'Connector3-MaxCurrent', 'MBTCPSmart'];

// key, bad value, why (rule); the stored value must stay.
const BAD = [
    { key: 'Station-MaxCurrent', value: 'abc', why: 'not a number' },
    { key: 'Station-MaxCurrent', value: 'NaN', why: 'NaN is not a current' },
    { key: 'Station-MaxCurrent', value: '-1', why: 'a negative current' },
    { key: 'Station-MaxCurrent', value: '32.5', why: 'above Station-RatedCurrent 32 × Station-Feeds 1 (docs/station-model.md)' },
    { key: 'Station-MaxCurrent', value: '', why: 'empty for a key that needs a value' },
    { key: 'Connector1-MaxCurrent', value: '40', why: 'a connector key above Station-RatedCurrent 32 (docs/station-model.md)' },
    { key: 'Connector2-MaxCurrent', value: '1e1x', why: 'trailing garbage' },
    { key: 'Chameleon-MinCurrent', value: '5.9', why: 'below the range 6 A to the rating (the README key reference)' },
    { key: 'Phase-Connected', value: 'L1L1L2', why: 'not one of the nine phase orders (the README key reference)' },
    { key: 'Active-LoadBalancing', value: 'Maybe', why: 'a switch is On/Off (or true/false, Aan/Uit) only (README key reference)' },
    { key: 'Static-LoadBalancing', value: 'Ja', why: 'a switch is On/Off (or true/false, Aan/Uit) only (README key reference)' },
    { key: 'DirectExternalSuspendSignal', value: 'SuspendSometimes', why: 'not in the enumeration (the README key reference)' },
    { key: 'MBTCPSmart-IPAddress', value: '256.1.1.1', why: 'an IPv4 octet above 255' },
    { key: 'MBTCPSmart-IPAddress', value: '10.0.0', why: 'three octets are not an IPv4 address' },
    { key: 'MBTCPSmart-SlaveUnitID', value: '248', why: 'unit ids are 0-247 or 255 (the README key reference)' },
    { key: 'MBTCPSmart-ConnectionType', value: 'UDP-master', why: 'a transport this build lacks is Rejected (the README key reference)' },
    { key: 'SCN-AlternatingPeriod', value: '59', why: 'below 60 s (the README key reference)' },
    { key: 'SCN-PhaseMapping-1', value: '10', why: 'mappings are 1-9 (the README key reference)' },
    { key: 'SCN-NetworkName', value: 'net-1', why: '1-7 chars A-Z 0-9 (the README key reference)' },
    { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Temperature.Bogus', why: 'an unknown measurand (OCPP 1.6 §9.1)' },
    { key: 'MeterValueSampleInterval', value: '12.5', why: 'a fraction for an integer key' },
    { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,SoC', why: 'a measurand the station cannot sample (README key reference: measurands)' },
    { key: 'StopTxnSampledData', value: 'Frequency', why: 'a measurand the station cannot sample (README key reference: measurands)' },
];

module.exports = {
    title: 'unknown keys NotSupported / unknownKey; every kind of bad vendor value Rejected, stored value kept',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        for (const key of UNKNOWN) {
            const r = await t.csms.call('ChangeConfiguration', { key, value: '1' });
            t.equal(r.status, 'NotSupported', `ChangeConfiguration of the unknown key ${key} is NotSupported (OCPP 1.6 §5.3, the README key reference)`);
        }
        const mixed = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval', UNKNOWN[0], 'Station-MaxCurrent', UNKNOWN[1], 'RJ11-Mode', UNKNOWN[2]] });
        t.equal((mixed.configurationKey || []).map((k) => k.key), ['HeartbeatInterval', 'Station-MaxCurrent', 'RJ11-Mode'],
            'GetConfiguration with a key list returns the known keys (aliases included) asked for (OCPP 1.6 §5.8)');
        t.equal(mixed.unknownKey, [UNKNOWN[0], UNKNOWN[1], UNKNOWN[2]], 'the unknown keys asked for come back in unknownKey, spelled as asked (OCPP 1.6 §5.8, the README key reference)');
        const only = await t.csms.call('GetConfiguration', { key: UNKNOWN });
        t.ok(!only.configurationKey || only.configurationKey.length === 0, 'a list of only unknown keys returns no configurationKey (OCPP 1.6 §5.8)', only.configurationKey);
        t.equal(only.unknownKey, UNKNOWN, 'a list of only unknown keys returns all of them in unknownKey (OCPP 1.6 §5.8)');

        const keys = Array.from(new Set(BAD.map((b) => b.key)));
        const before = await t.csms.call('GetConfiguration', { key: keys });
        const old = new Map(before.configurationKey.map((k) => [k.key, k.value]));
        t.equal(old.size, keys.length, 'test setup: every key of the bad-value table is known', before);
        for (const b of BAD) {
            const r = await t.csms.call('ChangeConfiguration', { key: b.key, value: b.value });
            t.equal(r.status, 'Rejected', `ChangeConfiguration ${b.key}=${JSON.stringify(b.value)} is Rejected: ${b.why} (semantics, OCPP 1.6 §5.3)`);
        }
        const after = await t.csms.call('GetConfiguration', { key: keys });
        for (const k of after.configurationKey) {
            t.equal(k.value, old.get(k.key), `${k.key} keeps its stored value after Rejected changes (the stored value stays unchanged)`);
        }
        // The boundaries themselves are accepted (so the refusals above are about the value, not the key).
        for (const [key, value, back] of [['Station-MaxCurrent', '32', '32.0'], ['Chameleon-MinCurrent', '6', '6.0'], ['SCN-AlternatingPeriod', '60', '60'], ['SCN-PhaseMapping-1', '9', '9']]) {
            const r = await t.csms.call('ChangeConfiguration', { key, value });
            t.equal(r.status, 'Accepted', `${key}=${value} at the edge of its range is Accepted (the README key reference ranges are inclusive)`);
            const g = await t.csms.call('GetConfiguration', { key: [key] });
            t.equal(g.configurationKey[0].value, back, `${key} reads back ${back} (docs/station-model.md canonical form)`);
        }
        // MBTCPSmart-SlaveUnitID: 255 (the usual "any" of TCP gateways) is
        // valid at the top of the range, 248-254 are reserved.
        const unit = await t.csms.call('ChangeConfiguration', { key: 'MBTCPSmart-SlaveUnitID', value: '255' });
        t.equal(unit.status, 'Accepted', 'MBTCPSmart-SlaveUnitID=255 is Accepted (README key reference)');
        const ug = await t.csms.call('GetConfiguration', { key: ['MBTCPSmart-SlaveUnitID'] });
        t.equal(ug.configurationKey, [{ key: 'MBTCPSmart-SlaveUnitID', readonly: false, value: '255' }], 'MBTCPSmart-SlaveUnitID reads back 255, writable');
    },
};
