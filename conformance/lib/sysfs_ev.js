'use strict';
// A fake sysfs tree for `--hw linux --hw-root DIR` (the wiring of
// hw/README.md) and an EV that drives it: the EV side of the control pilot
// is the positive-peak ADC file the station reads, the station's side the
// PWM duty_cycle file it writes.  The EV behaves as IEC 61851-1 asks: state
// B while no PWM is offered, C (asking for energy) while it is; A when
// unplugged.  The lock feedback input is a symlink to the lock motor's
// file, so the lock always reaches the position it is sent to.
const fs = require('fs');
const path = require('path');

// 12-bit ADC over -12..+12 V (hw_linux_config_defaults): raw = (mV + 12000) * 4095 / 24000.
const CP_RAW = { A: 4095, B: 3583, C: 3071 };
// A 32 A cable: 220 ohm against the 1 kOhm pull-up to 3.3 V, read by a 12-bit ADC.
const PP_32A_RAW = 738;

class SysfsEv {
    constructor(root, sockets = 1) {
        this.root = root;
        this.sockets = sockets;
        this.state = [];
        this.plugged = [];
        this.timer = null;
    }

    p(...parts) { return path.join(this.root, ...parts); }
    pwmDir(i) { return this.p('sys/class/pwm/pwmchip0', `pwm${i - 1}`); }
    gpio(n) { return this.p('sys/class/gpio', `gpio${n}`, 'value'); }
    adc(n) { return this.p('sys/bus/iio/devices/iio:device0', `in_voltage${n}_raw`); }

    create() {
        for (let i = 1; i <= this.sockets; i++) {
            fs.mkdirSync(this.pwmDir(i), { recursive: true });
            for (const f of ['period', 'duty_cycle', 'enable']) fs.writeFileSync(path.join(this.pwmDir(i), f), '0\n');
            for (const n of [20 + i - 1, 22 + i - 1]) {
                fs.mkdirSync(path.dirname(this.gpio(n)), { recursive: true });
                fs.writeFileSync(this.gpio(n), '0\n');
            }
            fs.mkdirSync(path.dirname(this.gpio(24 + i - 1)), { recursive: true });
            fs.symlinkSync(this.gpio(22 + i - 1), this.gpio(24 + i - 1));
            fs.mkdirSync(path.dirname(this.adc(0)), { recursive: true });
            fs.writeFileSync(this.adc(2 * (i - 1)), `${CP_RAW.A}\n`);
            fs.writeFileSync(this.adc(2 * (i - 1) + 1), `${PP_32A_RAW}\n`);
            this.state[i] = 'A';
            this.plugged[i] = false;
        }
        fs.mkdirSync(path.dirname(this.gpio(26)), { recursive: true });
        fs.writeFileSync(this.gpio(26), '0\n');
        // The EV follows the pilot every 20 ms (it has 3 s to answer a change).
        this.timer = setInterval(() => this.follow(), 20);
    }

    read(file) {
        try { return fs.readFileSync(file, 'utf8').trim(); } catch (e) { return ''; }
    }

    /** The PWM offers current (1 kHz, neither +12 V nor -12 V DC). */
    pwmOn(i) {
        const duty = Number(this.read(path.join(this.pwmDir(i), 'duty_cycle')));
        const period = Number(this.read(path.join(this.pwmDir(i), 'period')));
        return period > 0 && duty > 0 && duty < period;
    }

    contactor(i) { return this.read(this.gpio(20 + i - 1)) === '1'; }

    setPilot(i, s) {
        if (this.state[i] === s) return;
        this.state[i] = s;
        fs.writeFileSync(this.adc(2 * (i - 1)), `${CP_RAW[s]}\n`);
    }

    follow() {
        for (let i = 1; i <= this.sockets; i++) {
            if (!this.plugged[i]) this.setPilot(i, 'A');
            else this.setPilot(i, this.pwmOn(i) ? 'C' : 'B');
        }
    }

    plug(i = 1) { this.plugged[i] = true; this.follow(); }
    unplug(i = 1) { this.plugged[i] = false; this.follow(); }

    stop() {
        if (this.timer) clearInterval(this.timer);
        this.timer = null;
    }
}

module.exports = { SysfsEv };
