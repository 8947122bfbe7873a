'use strict';
// A Modbus TCP grid meter on loopback for the active load balancing cases:
// modbus-serial's ServerTCP (an implementation independent of the
// station's), serving a Socomec Countis E2x map: per-phase current at
// 0xC560 / 0xC562 / 0xC564 as u32 in mA (a magnitude), per-phase active
// power at 0xC570 / 0xC572 / 0xC574 as s32 (its sign says import or export),
// big endian, high word first.
const ModbusRTU = require('modbus-serial');

const SOCOMEC_CURRENT = [0xC560, 0xC562, 0xC564];
const SOCOMEC_POWER = [0xC570, 0xC572, 0xC574];
const VOLTS = 230;

class ModbusMeter {
    constructor({ port, unit = 5 }) {
        this.port = port;
        this.unit = unit;
        this.ma = [0, 0, 0];
        this.reads = 0;
        this.servedAt = null;
        this.server = null;
    }

    /** Per-phase currents the meter reports from now on, in A.  servedAt
     *  becomes the time (process.hrtime.bigint) a poll first read them. */
    set(amps) { this.ma = amps.map((a) => Math.round(a * 1000)); this.servedAt = null; }

    start() {
        const self = this;
        const vector = {
            getHoldingRegister(addr) {
                for (let k = 0; k < 3; k++) {
                    const mag = Math.abs(self.ma[k]);
                    // P in W, two's complement: negative while exporting.
                    const p = (Math.round(self.ma[k] * VOLTS / 1000) + 0x100000000) % 0x100000000;
                    if (addr === SOCOMEC_CURRENT[k]) return (mag >>> 16) & 0xffff;
                    if (addr === SOCOMEC_CURRENT[k] + 1) return mag & 0xffff;
                    if (addr === SOCOMEC_POWER[k]) return Math.floor(p / 0x10000) & 0xffff;
                    if (addr === SOCOMEC_POWER[k] + 1) return p & 0xffff;
                }
                return 0;
            },
            getMultipleHoldingRegisters(addr, length) {
                self.reads++;
                // The poll is complete once the last register it needs is served.
                if (self.servedAt === null && addr <= SOCOMEC_CURRENT[0] && addr + length > SOCOMEC_POWER[2])
                    self.servedAt = process.hrtime.bigint();
                const out = [];
                for (let i = 0; i < length; i++) out.push(vector.getHoldingRegister(addr + i));
                return out;
            },
        };
        return new Promise((resolve, reject) => {
            this.server = new ModbusRTU.ServerTCP(vector, { host: '127.0.0.1', port: this.port, unitID: this.unit });
            this.server.on('initialized', resolve);
            this.server.on('error', reject);
            this.server.on('socketError', () => {});
        });
    }

    stop() {
        const srv = this.server;
        this.server = null;
        if (!srv) return Promise.resolve();
        return new Promise((resolve) => srv.close(() => resolve()));
    }
}

module.exports = { ModbusMeter };
