'use strict';
// A DSMR 5.0 P1 meter for the active load balancing cases: telegrams
// written here (CRC-16/ARC computed here, independently of the station's
// parser) go through a real pseudo-terminal (lib/p1_pty.py) into the
// station's serial path.
const { spawn } = require('child_process');
const path = require('path');
const readline = require('readline');

function crc16(buf) {
    let crc = 0;
    for (const b of buf) {
        crc ^= b;
        for (let i = 0; i < 8; i++) crc = (crc & 1) ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
    return crc;
}

/** A DSMR 5.0 telegram for per-phase currents in A (negative = export). */
function telegram(amps, { corrupt = false } = {}) {
    const l = [];
    l.push('/ISK5\\2M550T-1012', '', '1-3:0.2.8(50)', '0-0:1.0.0(261206120000W)');
    const obis = [[21, 22, 31], [41, 42, 51], [61, 62, 71]];
    amps.forEach((a, k) => {
        const kw = (Math.abs(a) * 230 / 1000).toFixed(3).padStart(6, '0');
        l.push(`1-0:${obis[k][0]}.7.0(${a >= 0 ? kw : '00.000'}*kW)`);
        l.push(`1-0:${obis[k][1]}.7.0(${a < 0 ? kw : '00.000'}*kW)`);
        l.push(`1-0:${obis[k][2]}.7.0(${String(Math.round(Math.abs(a))).padStart(3, '0')}*A)`);
    });
    const body = Buffer.from(l.join('\r\n') + '\r\n!', 'latin1');
    let crc = crc16(body);
    if (corrupt) crc ^= 0x0101;
    return Buffer.concat([body, Buffer.from(crc.toString(16).toUpperCase().padStart(4, '0') + '\r\n', 'latin1')]);
}

class P1Meter {
    constructor(link) {
        this.link = link;
        this.proc = null;
        this.waiters = [];
    }

    start() {
        this.proc = spawn('python3', [path.join(__dirname, 'p1_pty.py'), this.link], { stdio: ['pipe', 'pipe', 'inherit'] });
        readline.createInterface({ input: this.proc.stdout }).on('line', () => {
            const w = this.waiters.shift();
            if (w) w();
        });
        return new Promise((r) => this.waiters.push(r));
    }

    cmd(line) {
        return new Promise((r) => { this.waiters.push(r); this.proc.stdin.write(line + '\n'); });
    }

    /** Writes bytes to the meter side, in pieces of `chunk` bytes. */
    async send(buf, chunk = 0) {
        const parts = [];
        for (let i = 0; i < buf.length; i += chunk || buf.length) parts.push(buf.subarray(i, i + (chunk || buf.length)));
        for (const p of parts) await this.cmd('send ' + p.toString('base64'));
    }

    unplug() { return this.cmd('unplug'); }
    plug() { return this.cmd('plug'); }

    async stop() {
        if (!this.proc) return;
        const p = this.proc;
        this.proc = null;
        p.stdin.end('quit\n');
        await new Promise((r) => { p.once('exit', r); setTimeout(r, 2000); });
    }
}

module.exports = { P1Meter, telegram, crc16 };
