#!/usr/bin/env node
'use strict';
// How long a grid meter change takes to reach the offer (docs/balancing.md:
// target one 100 ms control cycle after the reading arrives).  Starts its
// own ocpp-cp (simulator, one three-phase EV charging) with active load
// balancing from a Modbus TCP meter (modbus-serial's server on loopback,
// Socomec map), then alternates the meter's other load 10 <-> 13 A on a
// 25 A connection (offer 15 <-> 12 A) many times over.  Each sample is timed
// from the meter answering the first poll that carries the new value to the
// first control-socket `status` showing the new offer, polled back to back.
//
//   node bench/meter_latency.js [--samples N] [--time-scale X] [--bin PATH]
//   (default 40 samples, time scale 10: the meter is polled once per second
//   of station time, 100 ms real; figures are given in real ms and in
//   station ms, real x scale)
// Last line: RESULT samples=.. p50_ms=.. p99_ms=.. max_ms=.. station_p99_ms=.. cycles_p99=..

const path = require('path');
const { Csms } = require('../conformance/lib/csms');
const { Daemon } = require('../conformance/lib/daemon');
const { ModbusMeter } = require('../conformance/lib/modbus_meter');
const { makeTempDir, installExitHandlers, runCleanups, pollUntil, freePort } = require('../conformance/lib/util');

const CYCLE_MS = 100;
const opt = { samples: 40, scale: 10, bin: process.env.OCPP_CP || './ocpp-cp' };
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === '--samples') opt.samples = Number(process.argv[++i]);
    else if (a === '--time-scale') opt.scale = Number(process.argv[++i]);
    else if (a === '--bin') opt.bin = process.argv[++i];
    else { console.error(`meter_latency.js: unknown argument ${a}`); process.exit(2); }
}

const pct = (s, p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];

async function main() {
    installExitHandlers();
    const dir = makeTempDir('meterlat');
    const port = await freePort();
    const meter = new ModbusMeter({ port, unit: 5 });
    meter.set([10, 10, 10]);
    await meter.start();
    const csms = await new Csms({}).start();
    const cp = new Daemon({
        bin: path.resolve(opt.bin), dir, url: csms.url, id: 'CP_BENCH_METER', connectors: 2, timeScale: opt.scale,
        logLevel: 'info',
        config: {
            'SmartMeter-MaxCurrent': '25.0', 'Safe-MaxCurrent': '6.0', 'SmartMeterIncludesCharger': 'False',
            'ALB-ProtocolSelection': 'Modbus TCP/IP', 'MBTCPSmart-IPAddress': '127.0.0.1', 'MBTCPSmart-Port': String(port),
            'MBTCPSmart-SlaveUnitID': '5', 'MBTCPSmart-IsEnabled': 'True', 'Active-LoadBalancing': 'On',
        },
    });
    await cp.start();
    await csms.waitFor('BootNotification', null, 10000);
    const m = csms.mark();
    await cp.ctl({ cmd: 'plug', connector: 1, phases: 3, min_current: 6, max_current: 32 });
    await cp.ctl({ cmd: 'tag', connector: 1, id_tag: 'BENCH1' });
    await csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1, 10000, { since: m });
    const offered = async () => (await cp.control({ cmd: 'status' })).connectors[0].offered_a;
    if (!await pollUntil(async () => Math.abs(await offered() - 15) < 0.05, cp.scaled(120) + 5000, 20))
        throw new Error('the EV never got its 15 A');
    const real = [];
    for (let i = 0; i < opt.samples; i++) {
        const other = i % 2 === 0 ? 13 : 10;
        const want = 25 - other;
        meter.set([other, other, other]);
        for (;;) {
            const v = await offered();
            if (Math.abs(v - want) < 0.05) break;
        }
        const seen = process.hrtime.bigint();
        if (meter.servedAt === null) throw new Error('offer changed before the meter was read');
        real.push(Number(seen - meter.servedAt) / 1e6);
    }
    real.sort((a, b) => a - b);
    const f = (v) => v.toFixed(2);
    console.log(`meter_latency: ocpp-cp ${opt.bin}, --time-scale ${opt.scale} (poll ${(1000 / opt.scale).toFixed(0)} ms real, driver tick ${Math.max(100 / opt.scale, 10).toFixed(0)} ms real)`);
    console.log(`RESULT samples=${real.length} p50_ms=${f(pct(real, 50))} p99_ms=${f(pct(real, 99))} max_ms=${f(real[real.length - 1])} ` +
        `station_p99_ms=${f(pct(real, 99) * opt.scale)} cycles_p99=${(pct(real, 99) * opt.scale / CYCLE_MS).toFixed(2)}`);
    await cp.stop();
    await csms.close();
    await meter.stop();
    return 0;
}

main().then((code) => { runCleanups(); process.exit(code); },
    (e) => { console.error(`meter_latency.js: ${e.stack || e}`); runCleanups(); process.exit(2); });
