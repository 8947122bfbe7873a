#!/usr/bin/env node
'use strict';
// The demo's grid meter: a Modbus TCP server on loopback (modbus-serial,
// Socomec Countis E2x register map, lib/modbus_meter.js) whose household
// load changes every few seconds, so the demo shows the stations' offer
// following it.  Writes its port to --port-file and one line per change.
//
//   node conformance/demo-meter.js --port-file FILE [--period SECONDS]

const fs = require('fs');
const net = require('net');
const { ModbusMeter } = require('./lib/modbus_meter');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const portFile = opt('--port-file');
const period = Number(opt('--period', '15'));

// A household evening: cooking, a heat pump starting, quiet again (A per phase).
const LOADS = [[3, 2, 2], [12, 4, 6], [22, 9, 14], [16, 16, 16], [6, 3, 4], [1, 1, 1]];

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
        s.on('error', reject);
    });
}

(async () => {
    const port = await freePort();
    const meter = new ModbusMeter({ port, unit: 1 });
    await meter.start();
    if (portFile) fs.writeFileSync(portFile, String(port));
    let i = 0;
    const step = () => {
        const l = LOADS[i++ % LOADS.length];
        meter.set(l);
        console.log(`${new Date().toISOString()} household load L1 ${l[0]} A, L2 ${l[1]} A, L3 ${l[2]} A`);
    };
    step();
    setInterval(step, period * 1000);
    const stop = () => meter.stop().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
})().catch((e) => { console.error(`demo-meter: ${e.message}`); process.exit(1); });
