'use strict';
// OCTT TC_040_2: a value of the wrong type or range is Rejected and the old
// value stays.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_040_2 ChangeConfiguration invalid value → Rejected, value unchanged',
    timeScale: 10,
    timeoutMs: 20000,
    async run(t) {
        await bootAccepted(t);
        const before = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        const old = before.configurationKey[0].value;
        const bad = [
            { key: 'HeartbeatInterval', value: 'abc', rule: 'a non-integer value for an integer key is Rejected (OCPP 1.6 §5.3, the README key reference)' },
            { key: 'HeartbeatInterval', value: '-5', rule: 'a negative interval is Rejected (OCPP 1.6 §9.1 unit seconds, the README key reference range)' },
            { key: 'LocalPreAuthorize', value: 'maybe', rule: 'a non-boolean value for a boolean key is Rejected (the README key reference)' },
            { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Bogus.Measurand', rule: 'an unknown measurand in a CSL is Rejected (OCPP 1.6 §9.1)' },
        ];
        for (const b of bad) {
            const r = await t.csms.call('ChangeConfiguration', { key: b.key, value: b.value });
            t.equal(r.status, 'Rejected', `${b.key}=${b.value}: ${b.rule}`);
        }
        const after = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.equal(after.configurationKey[0].value, old, 'a Rejected change leaves the old value (OCPP 1.6 §5.3)');
    },
};
