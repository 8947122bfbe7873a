'use strict';
//: GetConfiguration without a key list returns every readable key in
// one frame, each once, with readonly right; write-only keys never appear
// (a written AuthorizationKey: cfg_write_only_keys.js);
// the values the stack fixes are docs/limits.md's.  Every read-only key refuses a
// write; every writable key takes back the value it reported (the canonical
// forms are valid input) without changing anything.
const { bootAccepted } = require('../lib/steps');

// the vendor keys of the README key reference and our extension keys (docs/station-model.md, the README key reference) that the station
// applies: all readable, writable over OCPP.
const VENDOR_RW = [
    'Station-MaxCurrent', 'Connector1-MaxCurrent', 'Connector2-MaxCurrent', 'Connector1.2-MaxCurrent', 'Connector2.2-MaxCurrent',
    'Chameleon-MinCurrent', 'Phase-Connected', 'Static-LoadBalancing',
    'DirectExternalSuspendSignal', 'SCN-AlternatingPeriod', 'SCN-PhaseMapping-1', 'SCN-PhaseMapping-2',
    'Station-Phases', 'Station-Feeds', 'Station-NominalVoltage', 'Station-RatedCurrent',
    'MaxEnergyOnInvalidId',
    // live grid data: active load balancing from a meter, the EMS slave (README "Live grid data")
    'Active-LoadBalancing', 'ALB-ProtocolSelection',
    'MBTCPSmart-IsEnabled', 'MBTCPSmart-SlaveMeterModel', 'MBTCPSmart-ConnectionType',
    'MBTCPSmart-IPAddress', 'MBTCPSmart-SlaveUnitID', 'MbsSlaveTCPIP', 'MbsSlaveTCPIPValidityTime', 'MbsSlaveTCPIPMode',
    'Safe-MaxCurrent', 'SmartMeter-MaxCurrent', 'SmartMeterIncludesCharger',
    'MBTCPSmart-Port', 'MBTCPSmart-CustomMap-L1', 'MBTCPSmart-CustomMap-L2', 'MBTCPSmart-CustomMap-L3',
    'MbsSlaveTCPIP-Port', 'ALB-P1Device', 'ALB-P1Mode',
    // the Smart Charging Network (README "Smart Charging Network")
    'SCN-IsEnabled', 'SCN-NetworkName', 'SCN-SocketID', 'SCN-SocketCount', 'SCN-TotalStaticCurrent',
    'SCN-TotalSafeCurrent', 'SCN-SocketSafeCurrent', 'SCN-Port', 'SCN-MulticastGroup', 'SCN-PeerTimeout',
    'SCN-Interface',
    // security whitepaper / OCPP 1.6 writable keys of the other profiles
    'SecurityProfile', 'LocalAuthListEnabled', 'CpoName',
];
// Keys no code applies yet (OCPP 1.5 smart charging, lights,
// failing resets): readable, but read-only
// until their feature lands (README key reference "not supported yet"), so
// that no change is Accepted and then does nothing.
const NOT_YET = [
    'SmartChargingMode',
    'BlinkRepeat', 'LightIntensity',
];
// Fixed by the stack (docs/limits.md) or derived: read-only, with these values.
const FIXED = {
    ChargeProfileMaxStackLevel: '15',
    ChargingScheduleMaxPeriods: '100',
    MaxChargingProfilesInstalled: '45',
    ChargingScheduleAllowedChargingRateUnit: 'Current,Power',
    NumberOfConnectors: '2',
    SupportedFeatureProfiles: 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    UnlockedFeatures: 'SLB,ALB,SCN',
};
const READONLY = ['GetConfigurationMaxKeys', 'ConnectorSwitch3to1PhaseSupported', 'LocalAuthListMaxLength', 'SendLocalListMaxLength',
    'ReserveConnectorZeroSupported', 'SupportedFileTransferProtocols', 'AdditionalRootCertificateCheck', 'CertificateSignedMaxChainSize',
    'CertificateStoreMaxLength', 'LicensePublicKey', 'MeterValuesSampledDataMaxLength', 'OCPPStackVersion',
    ...NOT_YET, ...Object.keys(FIXED)];
const WRITE_ONLY = ['AuthorizationKey', 'FeatureLicenseKey', 'SCN-AuthKey'];

module.exports = {
    title: 'GetConfiguration of all keys: one frame, readonly right, no write-only keys; R refuses, RW takes its value back',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const all = await t.csms.call('GetConfiguration', {});
        const frames = t.csms.log.slice(m).filter((e) => e.dir === 'in' && (e.type === 'RESULT' || e.type === 'ERROR'));
        t.equal(frames.length, 1, 'GetConfiguration of every key is answered in one CALLRESULT frame (size)');
        const keys = all.configurationKey || [];
        const byKey = new Map(keys.map((k) => [k.key, k]));
        t.equal(byKey.size, keys.length, 'each key is listed once (OCPP 1.6 §5.8)', keys.map((k) => k.key));
        t.ok(!all.unknownKey || all.unknownKey.length === 0, 'the full list has no unknownKey (OCPP 1.6 §5.8)', all.unknownKey);
        for (const k of WRITE_ONLY) {
            t.ok(!byKey.has(k), `the write-only key ${k} never appears in GetConfiguration (the README key reference, security whitepaper AuthorizationKey)`, k);
        }

        for (const k of VENDOR_RW) {
            t.ok(byKey.has(k), `${k} is reported by the full GetConfiguration (the README key reference: every key is readable)`, Array.from(byKey.keys()));
            t.equal(byKey.get(k).readonly, false, `${k} is writable over OCPP: readonly false (the README key reference)`);
        }
        for (const k of READONLY) {
            t.ok(byKey.has(k), `${k} is reported by the full GetConfiguration (OCPP 1.6 §9, docs/limits.md, the README key reference)`, Array.from(byKey.keys()));
            t.equal(byKey.get(k).readonly, true, `${k} is read-only (OCPP 1.6 §9, docs/limits.md, the README key reference)`);
        }
        for (const [k, v] of Object.entries(FIXED)) {
            t.equal(byKey.get(k).value, v, `${k} = ${v} (docs/limits.md smart charging limits; UnlockedFeatures all without LicensePublicKey)`);
        }
        t.equal(byKey.get('Station-MaxCurrent').value, '32.0', 'Station-MaxCurrent default 32.0 read back with one decimal (docs/station-model.md)');
        t.equal(byKey.get('Static-LoadBalancing').value, 'On', 'Static-LoadBalancing is On by default with 2 sockets on one feed (the README key reference, docs/balancing.md)');
        t.equal(byKey.get('Chameleon-MinCurrent').value, '14.0', 'Chameleon-MinCurrent default 14.0 (the README key reference)');
        t.ok(/^1\.6J ocpp-cp \d+\.\d+/.test(byKey.get('OCPPStackVersion').value), 'OCPPStackVersion names OCPP 1.6J and this stack with its version (README key reference)', byKey.get('OCPPStackVersion'));
        t.equal(byKey.get('ResetRetries'), { key: 'ResetRetries', readonly: false, value: '0' }, 'ResetRetries is RW (OCPP 1.6 §9.1) and 0: a reset restarts the daemon in place and is not retried (README key reference)');
        t.equal(byKey.get('AuthorizationCacheEnabled').value, 'True', 'booleans read back as True/False (README key reference: canonical values)');

        // GetConfigurationMaxKeys names is answered: all keys by name plus unknown fillers.
        const max = Number(byKey.get('GetConfigurationMaxKeys').value);
        t.ok(max >= keys.length, `GetConfigurationMaxKeys (${max}) allows asking for every key by name (respect GetConfigurationMaxKeys)`, max);
        const names = keys.map((k) => k.key);
        const fillers = Array.from({ length: Math.max(0, max - names.length) }, (_, i) => `Conformance-Unknown-${i}`);
        const big = await t.csms.call('GetConfiguration', { key: names.concat(fillers) });
        t.equal((big.configurationKey || []).length, names.length, `a list of GetConfigurationMaxKeys (${max}) keys is answered with every known one (OCPP 1.6 §5.8)`);
        t.equal((big.unknownKey || []).length, fillers.length, 'and the rest in unknownKey (OCPP 1.6 §5.8)');

        for (const k of keys.filter((x) => x.readonly)) {
            const r = await t.csms.call('ChangeConfiguration', { key: k.key, value: k.value || '1' });
            t.equal(r.status, 'Rejected', `ChangeConfiguration of the read-only ${k.key} is Rejected (OCPP 1.6 §5.3, the README key reference)`);
        }
        for (const k of keys.filter((x) => !x.readonly && x.value !== '')) {
            const r = await t.csms.call('ChangeConfiguration', { key: k.key, value: k.value });
            t.oneOf(r.status, ['Accepted', 'RebootRequired'], `writing back the value GetConfiguration reported for ${k.key} (${JSON.stringify(k.value)}) is accepted: canonical forms are valid input (docs/station-model.md)`);
        }
        const again = await t.csms.call('GetConfiguration', {});
        t.equal(again.configurationKey, keys, 'after writing every value back and refusing every read-only write, the full list is unchanged (Rejected leaves values alone)');
    },
};
