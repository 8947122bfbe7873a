'use strict';
// The station as the Modbus TCP slave of an energy management system
// (MbsSlaveTCPIP, README "EMS"), set up through OCPP keys alone: before any
// setpoint the socket is held to Safe-MaxCurrent; a setpoint written to
// register 1210 of unit 1 (float32, big endian) becomes the socket's offer,
// reads back from 1206/1210, with the EV's current at 320; a NaN write is
// refused with exception 0x03 and the old setpoint stays; a wrong unit id
// gets 0x0B; without a new write the setpoint expires after
// MbsSlaveTCPIPValidityTime and the socket falls back to Safe-MaxCurrent.
// The EMS is modbus-serial's client.
const ModbusRTU = require('modbus-serial');
const { bootAccepted } = require('../lib/steps');
const { startSession, expectConnector, probingOver } = require('../lib/lb');
const { freePort } = require('../lib/util');
const { changeKeys, f32, readF32 } = require('../lib/keys');

const SCALE = 10;
const VALIDITY_S = 30;


module.exports = {
    title: 'EMS over Modbus TCP: setpoint 1210 drives the offer, reads back, NaN refused (0x03), wrong unit (0x0B), expiry → Safe-MaxCurrent',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 90000,
    async run(t) {
        const port = await freePort();
        await bootAccepted(t);
        const keys = {
            'Safe-MaxCurrent': '8.0',
            'MbsSlaveTCPIPValidityTime': String(VALIDITY_S),
            'MbsSlaveTCPIPMode': 'socket',
            'MbsSlaveTCPIP-Port': String(port),
            'MbsSlaveTCPIP': 'On',
        };
        await changeKeys(t, keys);

        await startSession(t, { connector: 1, idTag: 'TAGEMS', ev: { phases: 3, max_current: 32 } });
        await probingOver(t, [1], t.scaled(90) + 5000);
        let c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(5) + 3000,
            'before any EMS setpoint the socket is held to Safe-MaxCurrent 8 A');
        t.equal(c.binding, 'safe', 'the control socket names safe mode');

        const ems = new ModbusRTU();
        await ems.connectTCP('127.0.0.1', { port });
        ems.setTimeout(2000);
        try {
            ems.setID(1);
            await ems.writeRegisters(1210, f32(16));
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 16) < 0.05, t.scaled(2) + 1000,
                'a 16 A setpoint written to register 1210 of unit 1 becomes the offer');
            t.equal(c.binding, 'ems', 'the control socket names the EMS as what binds');
            const applied = readF32((await ems.readHoldingRegisters(1206, 2)).data);
            t.equal(applied, 16, 'register 1206 (applied max current) reads 16.0');
            const sp = readF32((await ems.readHoldingRegisters(1210, 2)).data);
            t.equal(sp, 16, 'register 1210 reads the setpoint back');
            // The EV follows the new offer (IEC 61851-1: within 5 s); then
            // register 320 shows what it draws on L1.
            // Compared once the EV's draw has settled at the offer: while it
            // ramps, a register read and a status read a moment apart differ.
            const drawing = await expectConnector(t, 1, (x) => x.import_a.every((a) => Math.abs(a - 16) < 0.3), t.scaled(10) + 2000,
                'test setup: the 3-phase EV draws the 16 A offered');
            const cur = (await ems.readHoldingRegisters(320, 6)).data;
            t.ok(Math.abs(readF32(cur.slice(0, 2)) - drawing.import_a[0]) < 1, 'register 320 shows the EV\'s current on L1, as the control socket does',
                [readF32(cur.slice(0, 2)), drawing.import_a]);

            let err = null;
            try { await ems.writeRegisters(1210, f32(NaN)); } catch (e) { err = e; }
            t.equal(err && err.modbusCode, 3, 'a NaN setpoint is refused with exception 0x03 (illegal data value)');
            t.equal(readF32((await ems.readHoldingRegisters(1210, 2)).data), 16, 'and the old setpoint stays');

            ems.setID(7);
            err = null;
            try { await ems.readHoldingRegisters(1206, 2); } catch (e) { err = e; }
            t.ok(err && (err.modbusCode === 0x0b || err.modbusCode === 0x02),
                'a unit id that is no socket and not 200 gets an exception (0x0B gateway target failed to respond)', err && err.message);
            ems.setID(200);
            const n = (await ems.readHoldingRegisters(1105, 1)).data[0];
            t.equal(n, 2, 'unit 200 register 1105: two sockets');

            // No new write: the setpoint expires after MbsSlaveTCPIPValidityTime.
            c = await expectConnector(t, 1, (x) => Math.abs(x.offered_a - 8) < 0.05, t.scaled(VALIDITY_S + 5) + 2000,
                `without a new setpoint for MbsSlaveTCPIPValidityTime (${VALIDITY_S} s) the socket falls back to Safe-MaxCurrent`);
            t.ok(/Enter ActiveLB safeMode: 8\.0A/.test(t.cp.readLog()), 'the log says "Enter ActiveLB safeMode: 8.0A"', t.cp.logTail(20));
            const st = await t.cp.status();
            t.ok(st.grid.ems && st.grid.ems.requests >= 6 && st.grid.ems.exceptions >= 2, 'status.grid.ems counts requests and exceptions', st.grid.ems);
        } finally {
            await new Promise((r) => ems.close(r));
        }
    },
};
