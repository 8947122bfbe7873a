'use strict';
// OCTT TC_019 Retrieve configuration: the full list holds every Core key with
// the right readonly flag, values of at most 500 chars; a list of keys gives
// those keys, unknown ones in unknownKey.
const { bootAccepted } = require('../lib/steps');

// OCPP 1.6 §9.1: required Core keys and whether they are read-only (R) or not (RW).
const CORE_KEYS = {
    AuthorizeRemoteTxRequests: null, // R or RW: the choice is the charge point's
    ClockAlignedDataInterval: false,
    ConnectionTimeOut: false,
    ConnectorPhaseRotation: false,
    GetConfigurationMaxKeys: true,
    HeartbeatInterval: false,
    LocalAuthorizeOffline: false,
    LocalPreAuthorize: false,
    MeterValuesAlignedData: false,
    MeterValuesSampledData: false,
    MeterValueSampleInterval: false,
    NumberOfConnectors: true,
    ResetRetries: false,
    StopTransactionOnEVSideDisconnect: false,
    StopTransactionOnInvalidId: false,
    StopTxnAlignedData: false,
    StopTxnSampledData: false,
    SupportedFeatureProfiles: true,
    TransactionMessageAttempts: false,
    TransactionMessageRetryInterval: false,
    UnlockConnectorOnEVSideDisconnect: false,
};

module.exports = {
    title: 'TC_019 GetConfiguration: every Core key with the right R/RW flag; key lists and unknownKey',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const all = await t.csms.call('GetConfiguration', {});
        t.ok(Array.isArray(all.configurationKey) && all.configurationKey.length > 0, 'GetConfiguration without keys returns the full list (OCPP 1.6 §5.8)', all);
        t.ok(!all.unknownKey || all.unknownKey.length === 0, 'a full list has no unknownKey (OCPP 1.6 §5.8)', all.unknownKey);
        const byKey = new Map(all.configurationKey.map((k) => [k.key, k]));
        t.equal(byKey.size, all.configurationKey.length, 'each key is listed once (OCPP 1.6 §5.8)');
        for (const [key, ro] of Object.entries(CORE_KEYS)) {
            const k = byKey.get(key);
            t.ok(k, `the required Core key ${key} is reported (OCPP 1.6 §9.1 Core keys)`, Array.from(byKey.keys()));
            if (ro !== null) t.equal(k.readonly, ro, `${key} is ${ro ? 'read-only (R)' : 'writable (RW)'} (OCPP 1.6 §9.1)`);
        }
        t.equal(byKey.get('NumberOfConnectors').value, '2', 'NumberOfConnectors reports --connectors');
        const profiles = (byKey.get('SupportedFeatureProfiles').value || '').split(',').map((s) => s.trim());
        t.ok(profiles.includes('Core'), 'SupportedFeatureProfiles lists Core (OCPP 1.6 §9.1)', profiles);
        const maxKeys = Number(byKey.get('GetConfigurationMaxKeys').value);
        t.ok(Number.isInteger(maxKeys) && maxKeys >= 1, 'GetConfigurationMaxKeys is a positive integer (OCPP 1.6 §9.1)', byKey.get('GetConfigurationMaxKeys').value);

        const some = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval', 'NoSuchKey-Conformance', 'NumberOfConnectors'] });
        t.equal((some.configurationKey || []).map((k) => k.key).sort(), ['HeartbeatInterval', 'NumberOfConnectors'],
            'GetConfiguration with keys returns exactly the known ones asked for (OCPP 1.6 §5.8)');
        t.equal(some.unknownKey, ['NoSuchKey-Conformance'], 'unknown keys are returned in unknownKey (OCPP 1.6 §5.8, the README key reference)');
    },
};
