'use strict';
//: the status LED on real hardware (--hw linux over a fake sysfs tree under
// --hw-root, the layout of hw/README.md): each display message of
// docs/mode3.md lights its pattern (hw/led.h) on the sysfs LED brightness
// files, written 0 or max_brightness: available green steady, EV connected
// and charging dark blue steady, the suspend signal blue flashing (fast, on
// the driver tick), an EV error red steady.  The control socket's status
// shows the same pattern per connector; a socket without LED files runs,
// shows its pattern in status, and is logged once.
const fs = require('fs');
const path = require('path');
const { bootAccepted, waitStatus, pollConnector } = require('../lib/steps');
const { pollUntil, sleep } = require('../lib/util');

const MAX = 255;   // max_brightness of the fake LEDs
// hw_linux_config_defaults' 12-bit ADC scaling: CP -12..+12 V, PP 0..3.3 V
// with a 1 kΩ pull-up.
const cpRaw = (mv) => Math.round((mv + 12000) * 4095 / 24000);
const ppRaw = (ohm) => Math.round(3300 * ohm / (ohm + 1000) * 4095 / 3300);

function put(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}

// Socket i (0-based) of the reference board; LEDs only if `leds`.
function makeSocket(root, i, leds) {
    const pwm = `${root}/sys/class/pwm/pwmchip0/pwm${i}`;
    for (const a of ['period', 'duty_cycle', 'enable']) put(`${pwm}/${a}`, '0\n');
    const gpio = (n) => `${root}/sys/class/gpio/gpio${n}/value`;
    put(gpio(20 + i), '1\n');                        // contactor
    put(gpio(22 + i), '0\n');                        // lock motor
    fs.mkdirSync(path.dirname(gpio(24 + i)), { recursive: true });
    fs.symlinkSync(gpio(22 + i), gpio(24 + i));      // feedback: the motor works
    const iio = `${root}/sys/bus/iio/devices/iio:device0`;
    put(`${iio}/in_voltage${2 * i}_raw`, `${cpRaw(12000)}\n`);
    put(`${iio}/in_voltage${2 * i + 1}_raw`, `${ppRaw(220)}\n`);   // 32 A cable
    if (leds) {
        for (const c of ['red', 'green', 'blue']) {
            put(`${root}/sys/class/leds/socket${i + 1}:${c}/brightness`, '7\n');
            put(`${root}/sys/class/leds/socket${i + 1}:${c}/max_brightness`, `${MAX}\n`);
        }
    }
    return {
        cp: (mv) => put(`${iio}/in_voltage${2 * i}_raw`, `${cpRaw(mv)}\n`),
        led: (c) => Number(fs.readFileSync(`${root}/sys/class/leds/socket${i + 1}:${c}/brightness`, 'utf8').trim()),
    };
}

const rgb = (s) => ({ red: s.led('red'), green: s.led('green'), blue: s.led('blue') });

async function expectLed(t, s, want, rule) {
    const got = await pollUntil(() => {
        const x = rgb(s);
        return x.red === want.red && x.green === want.green && x.blue === want.blue ? x : null;
    }, 3000, 20);
    t.equal(got || rgb(s), want, rule);
}

// The files show `want` and keep it for longer than the slow blink's half
// period (HW_LED_SLOW_MS, 1 s): steady, not a blink caught while on.
async function expectSteady(t, s, want, rule) {
    await expectLed(t, s, want, rule);
    const end = Date.now() + 1300;
    while (Date.now() < end) {
        t.equal(rgb(s), want, `${rule}, steady`);
        await sleep(50);
    }
}

module.exports = {
    title: '--hw linux LEDs: green steady → dark blue steady → blue fast blink (suspend) → red steady (EV error); status "led" per connector; no LED files = no LEDs',
    timeScale: 1,
    connectors: 2,
    // Connector1/2-MaxCurrent 10: 10 + 10 ≤ 32, so load balancing does not
    // reduce the session (that would be "dark blue flashing").
    config: { DirectExternalSuspendSignal: 'SuspendOnClose', 'Connector1-MaxCurrent': '10.0', 'Connector2-MaxCurrent': '10.0' },
    timeoutMs: 40000,
    setup(t) {
        const root = path.join(t.dir, 'hw');
        t.sock = [makeSocket(root, 0, true), makeSocket(root, 1, false)];
        t.suspend = (closed) => put(`${root}/sys/class/gpio/gpio26/value`, closed ? '1\n' : '0\n');
        t.suspend(false);
        t.cp.o.extraArgs.push('--hw', 'linux', '--hw-root', root);
    },
    async run(t) {
        const s = t.sock[0];
        await bootAccepted(t);

        await expectSteady(t, s, { red: 0, green: MAX, blue: 0 },
            'an available socket shows green steady, written as max_brightness (docs/mode3.md "green steady", hw/README.md LEDs)');
        let c = await t.cp.connector(1);
        t.equal(c.led, { pattern: 'steady', colors: ['green'] }, 'status shows the LED pattern of connector 1: green steady');
        c = await t.cp.connector(2);
        t.equal(c.led, { pattern: 'steady', colors: ['green'] },
            'a socket without LED files still shows its pattern in status (the same mapping on every backend)');
        const log = t.cp.readLog();
        t.equal((log.match(/socket 2: no status LED/g) || []).length, 1,
            'missing LED files are not an error: the daemon runs and says so once (hw/README.md)');
        t.equal((log.match(/socket 1: no status LED|socket 1: .* LED channels missing/g) || []).length, 0,
            'a socket with its LED files logs nothing about them');

        // EV connected (pilot B), then a tag: Preparing, then Charging.
        let m = t.csms.mark();
        s.cp(9000);
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'pilot B on the ADC: the connector is Preparing (OCPP 1.6 §4.9)' });
        await expectLed(t, s, { red: 0, green: 0, blue: MAX }, 'an EV connected shows dark blue steady (docs/mode3.md)');
        m = t.csms.mark();
        await t.cp.tag(1, 'TAGLED');
        await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 5000,
            { since: m, rule: 'a tag starts the session (OCPP 1.6 §4.8)' });
        s.cp(6000);   // the EV asks for energy: C2
        await waitStatus(t, 1, 'Charging', { since: m, timeoutMs: 5000, rule: 'pilot C with current offered: Charging (OCPP 1.6 §4.9)' });
        await expectSteady(t, s, { red: 0, green: 0, blue: MAX }, 'charging shows dark blue steady (docs/mode3.md)');
        c = await t.cp.connector(1);
        t.equal(c.led, { pattern: 'steady', colors: ['dark blue'] }, 'status: charging is dark blue steady');

        // The suspend signal: blue flashing fast.  Sample the files for 2 s.
        t.suspend(true);
        c = await pollConnector(t, 1, (x) => x.led.pattern === 'fast_blink', 3000);
        t.equal(c && c.led, { pattern: 'fast_blink', colors: ['blue'] },
            'the suspend signal shows blue flashing (docs/mode3.md), fast to tell it from dark blue flashing (hw/led.h)');
        const seen = new Set();
        let edges = 0, last = null;
        const end = Date.now() + 2000;
        while (Date.now() < end) {
            const x = rgb(s);
            t.equal([x.red, x.green], [0, 0], 'blue flashing lights only the blue channel');
            seen.add(x.blue);
            if (last !== null && x.blue !== last) edges++;
            last = x.blue;
            await sleep(20);
        }
        t.equal([...seen].sort((a, b) => a - b), [0, MAX], 'the blue channel blinks: both off and max_brightness are written');
        t.figure(`blue: ${edges} changes in 2 s (half period 300 ms)`);
        t.between(edges, 4, 9, 'the blink follows the driver tick at a 300 ms half period: about 6–7 changes in 2 s');

        t.suspend(false);
        await expectLed(t, s, { red: 0, green: 0, blue: MAX }, 'the suspend signal gone: dark blue steady again');

        // EV error (pilot E): Faulted, red steady.
        m = t.csms.mark();
        s.cp(0);
        const f = await waitStatus(t, 1, 'Faulted', { since: m, rule: 'pilot E: the connector is Faulted (OCPP 1.6 §4.9)' });
        t.equal(f.payload.errorCode, 'EVCommunicationError', 'an EV in state E reports EVCommunicationError');
        await expectSteady(t, s, { red: MAX, green: 0, blue: 0 }, 'a fault shows red steady (docs/mode3.md)');
        c = await t.cp.connector(1);
        t.equal(c.led, { pattern: 'steady', colors: ['red'] }, 'status: a fault is red steady');
        t.equal(c.fault, 'ev_error', 'status names the fault');
    },
};
