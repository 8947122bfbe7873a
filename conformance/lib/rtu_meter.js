'use strict';
// Socket energy meters on a Modbus RTU bus for the `--hw linux` cases: a
// register image per unit address, served by lib/rtu_pty.py on a real
// pseudo-terminal behind the path given as Meter-Device.  The SDM630 image
// (input registers, IEEE 754 floats, high word first) is laid out here,
// from the meter's public register list, independently of the station's
// map.
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');

/** Two registers (high word first) of a float32. */
function f32regs(x) {
    const b = Buffer.alloc(4);
    b.writeFloatBE(x);
    return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

class RtuMeter {
    constructor(link) {
        this.link = link;
        this.proc = null;
        this.waiters = [];
    }

    start() {
        this.proc = spawn('python3', [path.join(__dirname, 'rtu_pty.py'), this.link], { stdio: ['pipe', 'pipe', 'inherit'] });
        readline.createInterface({ input: this.proc.stdout }).on('line', (l) => {
            const w = this.waiters.shift();
            if (w) w(l);
        });
        return new Promise((r) => this.waiters.push(r));
    }

    cmd(line) {
        return new Promise((r) => { this.waiters.push(r); this.proc.stdin.write(line + '\n'); });
    }

    regs(unit, addr, values) { return this.cmd(`reg ${unit} ${addr} ${values.join(' ')}`); }

    /**
     * An Eastron SDM630 reading: phase voltages 30001.. (0x0000), currents
     * 30007.. (0x0006), total system power 30053 (0x0034), total import
     * kWh 30073 (0x0048).  volts / amps: one number or three; watts: the
     * total power when it is not volts x amps.
     */
    async sdm630(unit, { volts = 230, amps = 0, kwh = 0, watts } = {}) {
        const v = Array.isArray(volts) ? volts : [volts, volts, volts];
        const a = Array.isArray(amps) ? amps : [amps, amps, amps];
        // The total power: given (a power factor below 1), or volts x amps.
        const w = watts ?? v.reduce((s, x, k) => s + x * a[k], 0);
        await this.regs(unit, 0x0000, [...f32regs(v[0]), ...f32regs(v[1]), ...f32regs(v[2]),
            ...f32regs(a[0]), ...f32regs(a[1]), ...f32regs(a[2])]);
        await this.regs(unit, 0x0034, f32regs(w));
        await this.regs(unit, 0x0048, f32regs(kwh));
    }

    /** The meter stops answering (true) or answers again (false). */
    silent(unit, on) { return this.cmd(`silent ${unit} ${on ? 1 : 0}`); }

    /** {unit: requests answered}. */
    async stats() {
        const l = await this.cmd('stats');
        const out = {};
        for (const w of l.split(' ').slice(1)) {
            const [u, n] = w.split(':');
            out[u] = Number(n);
        }
        return out;
    }

    async stop() {
        if (!this.proc) return;
        const p = this.proc;
        this.proc = null;
        p.stdin.end('quit\n');
        await new Promise((r) => { p.once('exit', r); setTimeout(r, 2000); });
    }
}

module.exports = { RtuMeter, f32regs };

/**
 * `--hw linux` on a fake sysfs tree with an SDM630 per socket (units 1, 2)
 * on a pseudo-terminal: builds both under the case's directory, provisions
 * `config` (plus Meter-Device) with --config and starts the daemon.
 * Returns {meter, ev, link}; the case stops both in its finally.
 */
async function startLinuxWithMeters(t, { config = {}, sockets = 1, image = {} } = {}) {
    const fs = require('fs');
    const { SysfsEv } = require('./sysfs_ev');
    const root = path.join(t.dir, 'sysroot');
    const link = path.join(t.dir, 'meter');
    const ev = new SysfsEv(root, sockets);
    const meter = new RtuMeter(link);

    ev.create();
    await meter.start();
    for (let u = 1; u <= sockets; u++) await meter.sdm630(u, image);
    const cfg = { 'Meter-Device': link, ...config };
    const file = path.join(t.dir, 'meters.conf');
    fs.writeFileSync(file, Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    t.cp.o.extraArgs = [...t.cp.o.extraArgs, '--hw', 'linux', '--hw-root', root, '--config', file];
    await t.start();
    return { meter, ev, link };
}

module.exports.startLinuxWithMeters = startLinuxWithMeters;
