'use strict';
// OCTT TC_021 Change configuration: Accepted, persisted, read back canonically.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'TC_021 ChangeConfiguration: Accepted, read back, canonical booleans',
    timeScale: 10,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const cases = [
            { key: 'MeterValueSampleInterval', value: '30', back: '30', rule: 'an integer Core key changes and reads back (OCPP 1.6 §5.3, §9.1)' },
            { key: 'StopTransactionOnEVSideDisconnect', value: 'TRUE', back: 'True', rule: 'a boolean key accepts any case and reads back as True/False (README key reference: canonical values)' },
            { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Current.Import', back: 'Energy.Active.Import.Register,Current.Import',
                rule: 'a CSL of measurands changes and reads back (OCPP 1.6 §9.1)' },
        ];
        for (const c of cases) {
            const r = await t.csms.call('ChangeConfiguration', { key: c.key, value: c.value });
            t.equal(r.status, 'Accepted', `ChangeConfiguration ${c.key}=${c.value} is Accepted (OCPP 1.6 §5.3)`);
            const g = await t.csms.call('GetConfiguration', { key: [c.key] });
            t.equal(g.configurationKey && g.configurationKey[0] && g.configurationKey[0].value, c.back, c.rule);
        }
    },
};
