'use strict';
// The README key reference: the vendor spells some of its keys two ways.  Both
// spellings are accepted by ChangeConfiguration; GetConfiguration answers a
// requested alias under the name the operator used, lists only the canonical
// name in the full list, and both names always show the same value.
const { bootAccepted } = require('../lib/steps');

// alias, canonical name, value sent, canonical value read back (docs/station-model.md, the README key reference).
// The keys of live grid data (the meter and the EMS) and RJ11-Mode are
// applied: the change through the alias is Accepted and read back in its
// canonical form.  OCPP 1.5 smart charging is not implemented: read-only
// (README key reference: "not supported yet"), so the change through the
// alias is Rejected and the alias reads the unchanged default, marked
// readonly.
const ALIASES = [
    { alias: 'RJ11-Mode', name: 'DirectExternalSuspendSignal', value: 'Suspend on opening external circuit', back: 'SuspendOnOpen', live: true },
    { alias: 'MBTCPSSmart-IsEnabled', name: 'MBTCPSmart-IsEnabled', value: 'TRUE', back: 'True', live: true },
    { alias: 'MBTCP-Smart-SlaveMeter-Model', name: 'MBTCPSmart-SlaveMeterModel', value: 'Geen', back: 'None', live: true },
    { alias: 'MBTCPSSmart-SlaveMeterModel', name: 'MBTCPSmart-SlaveMeterModel', value: 'Socomec', back: 'Socomec', live: true },
    { alias: 'MBTCPSSmart-IPAddress', name: 'MBTCPSmart-IPAddress', value: '010.000.000.007', back: '10.0.0.7', live: true },
    { alias: 'MBTCPSSmart-SlaveUnitID', name: 'MBTCPSmart-SlaveUnitID', value: '17', back: '17', live: true },
    { alias: 'MbsSlaveTCP/IP', name: 'MbsSlaveTCPIP', value: 'off', back: 'Off', live: true },
    { alias: 'MbsSlaveTCP/IPValidity-Time', name: 'MbsSlaveTCPIPValidityTime', value: '120', back: '120', live: true },
    { alias: 'SmartCharging-Mode', name: 'SmartChargingMode', value: 'OCPP1.5+', back: 'None' },
];

module.exports = {
    title: 'vendor key aliases: changed under either name, answered under the name asked, canonical in the full list',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        for (const a of ALIASES) {
            const r = await t.csms.call('ChangeConfiguration', { key: a.alias, value: a.value });
            if (a.live)
                t.equal(r.status, 'Accepted', `ChangeConfiguration under the vendor's alias ${a.alias}=${a.value} is Accepted (the README key reference: the alias must also be accepted)`);
            else
                t.equal(r.status, 'Rejected', `ChangeConfiguration under the alias ${a.alias}=${a.value} is Rejected, not NotSupported: the key is known, but read-only until its feature lands (OCPP 1.6 §5.3; README "not supported yet")`);
            const byAlias = await t.csms.call('GetConfiguration', { key: [a.alias] });
            t.equal(byAlias.configurationKey, [{ key: a.alias, readonly: !a.live, value: a.back }],
                `GetConfiguration of ${a.alias} answers under the alias the operator used, with the canonical value ${a.back}${a.live ? '' : ', readonly'} (docs/station-model.md)`);
            t.ok(!byAlias.unknownKey || byAlias.unknownKey.length === 0, `an alias is never an unknownKey (the README key reference): ${a.alias}`, byAlias.unknownKey);
            const byName = await t.csms.call('GetConfiguration', { key: [a.name] });
            t.equal(byName.configurationKey, [{ key: a.name, readonly: !a.live, value: a.back }],
                `the canonical key ${a.name} shows the value set through its alias ${a.alias} (one key, two spellings)`);
        }
        // The canonical name works for writing too, and the alias sees it.
        const r = await t.csms.call('ChangeConfiguration', { key: 'DirectExternalSuspendSignal', value: 'SuspendOnClose' });
        t.equal(r.status, 'Accepted', 'ChangeConfiguration under the canonical name is Accepted (OCPP 1.6 §5.3)');
        const both = await t.csms.call('GetConfiguration', { key: ['RJ11-Mode', 'DirectExternalSuspendSignal'] });
        t.equal(both.configurationKey, [
            { key: 'RJ11-Mode', readonly: false, value: 'SuspendOnClose' },
            { key: 'DirectExternalSuspendSignal', readonly: false, value: 'SuspendOnClose' },
        ], 'asked under both names, each is answered under its own name with the same value, in the order asked (OCPP 1.6 §5.8)');

        // A bad value through an alias is refused like through the name.
        const bad = await t.csms.call('ChangeConfiguration', { key: 'MBTCPSSmart-SlaveUnitID', value: '300' });
        t.equal(bad.status, 'Rejected', 'an out-of-range value through an alias is Rejected (validated the same way; unit id is one byte, the README key reference)');
        const still = await t.csms.call('GetConfiguration', { key: ['MBTCPSmart-SlaveUnitID'] });
        t.equal(still.configurationKey[0].value, '17', 'a Rejected change through an alias leaves the stored value (17, set above) alone');

        // The full list names each key once, canonically: no alias appears.
        const all = await t.csms.call('GetConfiguration', {});
        const names = (all.configurationKey || []).map((k) => k.key);
        for (const a of ALIASES) {
            t.ok(!names.includes(a.alias), `the full GetConfiguration lists the canonical name, not the alias ${a.alias} (GetConfiguration returns the canonical name)`, names);
            t.ok(names.includes(a.name), `the full GetConfiguration lists ${a.name} (the README key reference: every vendor key is readable)`, names);
        }
    },
};
