'use strict';
// An identity of 26..48 characters boots: the serial numbers of the
// BootNotification are CiString25 (OCPP 1.6 §6.2), so they come from
// --serial, or are left out when the identity does not fit, instead of a
// BootNotification that fails its own schema and is retried for ever.
const { bootAccepted } = require('../lib/steps');
const { Csms } = require('../lib/csms');

const LONG_ID = 'CP-LONG-IDENTITY-0123456789-ABCDEFGHIJKLMNOPQRS'; // 47 characters

module.exports = {
    title: 'A 47-character identity boots; serial numbers from --serial (CiString25) or left out',
    extraArgs: ['--id', LONG_ID],
    async run(t) {
        t.equal(LONG_ID.length, 47, 'test setup: the identity is 47 characters');
        const boot = await bootAccepted(t);
        t.equal(boot.payload.chargePointSerialNumber, undefined, 'without --serial an identity longer than 25 characters is not sent as a serial number');
        t.equal(boot.payload.chargeBoxSerialNumber, undefined, 'chargeBoxSerialNumber is left out too');
        const conn = t.csms.log.find((e) => e.type === 'CONNECT');
        t.equal(conn.identity, LONG_ID, 'the central system sees the whole identity in the URL');

        // With --serial the fields carry it.
        await t.cp.stop();
        t.cp.o.extraArgs = ['--id', LONG_ID, '--serial', 'SN-0042-XYZ'];
        const m = t.csms.mark();
        await t.start();
        const boot2 = await bootAccepted(t, { since: m });
        t.equal(boot2.payload.chargePointSerialNumber, 'SN-0042-XYZ', '--serial gives chargePointSerialNumber');
        t.equal(boot2.payload.chargeBoxSerialNumber, 'SN-0042-XYZ', '--serial gives chargeBoxSerialNumber');
    },
};
