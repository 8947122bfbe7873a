'use strict';
// Every inbound CALL is validated against the OCPP 1.6 schema of its action
// before any handler runs, with the error code OCPP-J 1.6 §4.2.3 gives each kind of violation;
// the daemon then goes on serving.
const { bootAccepted } = require('../lib/steps');
const { OCCURRENCE, nextId, sendAndCollect, assertStillServing } = require('../lib/raw');

const profile = (extra, limit = 16) => ({
    chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] }, ...extra,
});

const VECTORS = [
    { name: 'a string field given a number', action: 'ChangeConfiguration', payload: { key: 123, value: '1' }, codes: ['TypeConstraintViolation'], rule: 'wrong JSON type → TypeConstraintViolation' },
    { name: 'an integer field given a float', action: 'RemoteStopTransaction', payload: { transactionId: 1.5 }, codes: ['TypeConstraintViolation'], rule: 'wrong JSON type → TypeConstraintViolation' },
    { name: 'an integer field given a string', action: 'RemoteStopTransaction', payload: { transactionId: '7' }, codes: ['TypeConstraintViolation'], rule: 'wrong JSON type → TypeConstraintViolation' },
    { name: 'an array item of the wrong type', action: 'GetConfiguration', payload: { key: [1] }, codes: ['TypeConstraintViolation'], rule: 'wrong JSON type → TypeConstraintViolation' },
    { name: 'a required field missing', action: 'ChangeConfiguration', payload: { key: 'HeartbeatInterval' }, codes: OCCURRENCE, rule: 'missing required → OccurenceConstraintViolation' },
    { name: 'a value outside its enum', action: 'Reset', payload: { type: 'Warm' }, codes: ['PropertyConstraintViolation'], rule: 'value outside its enum → PropertyConstraintViolation' },
    { name: 'a string over its maxLength', action: 'ChangeConfiguration', payload: { key: 'K'.repeat(51), value: '1' }, codes: ['PropertyConstraintViolation'], rule: 'length → PropertyConstraintViolation' },
    { name: 'an idTag over 20 chars', action: 'RemoteStartTransaction', payload: { idTag: 'T'.repeat(21) }, codes: ['PropertyConstraintViolation'], rule: 'length → PropertyConstraintViolation' },
    { name: 'a malformed date-time', action: 'RemoteStartTransaction', payload: { idTag: 'TAGVAL', connectorId: 1, chargingProfile: profile({ validFrom: 'yesterday' }) },
        codes: ['PropertyConstraintViolation'], rule: 'date-time format → PropertyConstraintViolation' },
    { name: 'a limit that is not a multiple of 0.1', action: 'RemoteStartTransaction', payload: { idTag: 'TAGVAL', connectorId: 1, chargingProfile: profile({}, 16.05) },
        codes: ['PropertyConstraintViolation'], rule: 'multipleOf → PropertyConstraintViolation' },
    { name: 'an unknown extra property', action: 'GetConfiguration', payload: { key: ['HeartbeatInterval'], colour: 'red' }, codes: ['FormationViolation'], rule: 'unknown extra property → FormationViolation' },
    { name: 'a payload that is an array', action: 'ClearCache', payload: [], codes: ['FormationViolation'], rule: 'payload not an object → FormationViolation' },
    { name: 'a payload that is a string', action: 'GetConfiguration', payload: 'all', codes: ['FormationViolation'], rule: 'payload not an object → FormationViolation' },
    { name: 'an unknown action', action: 'MakeCoffee', payload: {}, codes: ['NotImplemented'], rule: 'unknown action → NotImplemented' },
];

module.exports = {
    title: 'Schema validation of inbound CALLs: the right CALLERROR code per violation',
    timeScale: 10,
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const boots = t.csms.calls('BootNotification').length;
        for (const v of VECTORS) {
            const id = nextId('pv');
            const { reply, disconnected } = await sendAndCollect(t, JSON.stringify([2, id, v.action, v.payload]), { id, waitMs: 3000 });
            t.ok(!disconnected, `${v.name}: the daemon does not disconnect`);
            t.ok(reply, `${v.action} with ${v.name}: answered (OCPP-J 1.6 §4.2.3)`);
            t.equal(reply.type, 'ERROR', `${v.action} with ${v.name}: validated before any handler runs, so the answer is a CALLERROR`);
            t.oneOf(reply.errorCode, v.codes, `${v.action} with ${v.name}: ${v.rule} (OCPP-J 1.6 §4.2.3 error codes)`);
            t.equal(reply.id, id, `${v.name}: the CALLERROR echoes the message id (OCPP-J 1.6 §4.2.3)`);
            await assertStillServing(t, v.name);
        }
        await t.sleep(t.scaled(5));
        t.equal(t.csms.calls('BootNotification').length, boots, 'an invalid Reset is not executed: no reboot follows (validated before the handler)');
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.transaction_id === null), 'an invalid RemoteStartTransaction starts nothing (validated before the handler)', st.connectors);
        // Security whitepaper, security event InvalidMessages: reported, and
        // once per connection however many invalid CALLs arrive.
        const inv = t.csms.calls('SecurityEventNotification').filter((e) => e.payload.type === 'InvalidMessages');
        t.equal(inv.length, 1, 'the invalid CALLs are reported as one SecurityEventNotification InvalidMessages per connection', inv.map((e) => e.payload));
        t.ok(/ChangeConfiguration/.test(inv[0].payload.techInfo || ''), 'its techInfo names the first invalid CALL', inv[0].payload);
    },
};
