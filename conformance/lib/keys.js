'use strict';
// Setting a station up through OCPP keys alone: ChangeConfiguration of
// each key in turn, every one expected Accepted.
async function changeKeys(t, keys, why = 'README') {
    for (const [key, value] of Object.entries(keys)) {
        const r = await t.csms.call('ChangeConfiguration', { key, value });
        t.equal(r.status, 'Accepted', `ChangeConfiguration ${key}=${value}: Accepted (set up through OCPP keys alone, ${why})`);
    }
}

/** A float32 as two Modbus registers, big endian (high word first), and back. */
function f32(x) {
    const b = Buffer.alloc(4);
    b.writeFloatBE(x);
    return [b.readUInt16BE(0), b.readUInt16BE(2)];
}
function readF32(regs) {
    const b = Buffer.alloc(4);
    b.writeUInt16BE(regs[0], 0);
    b.writeUInt16BE(regs[1], 2);
    return b.readFloatBE(0);
}

module.exports = { changeKeys, f32, readF32 };
