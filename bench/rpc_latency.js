#!/usr/bin/env node
'use strict';
// Round-trip latency of a one-key GetConfiguration as seen from a local
// Node.js central system (ocpp-rpc), and the charge point's RSS before and
// after, for "Speed and footprint".  Used by bench/run-foundation.sh
// for both the canned responder (the floor) and the ocpp-cp daemon.
//
//   node bench/rpc_latency.js [options] -- CMD ARGS...   spawn the client; '{url}' in ARGS
//                                                       becomes ws://127.0.0.1:PORT/ocpp
//   node bench/rpc_latency.js [options] --pid PID        the client is started by someone else
//                                                       (use --port-file to learn the port)
// Options:
//   --calls N        timed calls (default 10000)
//   --warmup N       untimed calls first, so that JIT and first-touch buffers settle (default 500)
//   --settle MS      quiet time after the last message from the client before "idle" (default 1000)
//   --strict         ocpp-rpc strictMode on (schema validation of every message, both ways)
//   --name NAME      label of the RESULT line (default "client")
//   --port N         listen port (default 0: any free port)
//   --port-file F    write the port there once listening
//   --client-log F   the spawned client's stdout and stderr go there (default: stderr)
//
// The CALLs go out one at a time (the next only after the previous answer),
// each timed with process.hrtime.bigint() from call() to the resolved reply.
// Last line: RESULT name=.. calls=.. p50_us=.. p90_us=.. p99_us=.. max_us=.. mean_us=..
//   rss_idle_kb=.. rss_warm_kb=.. rss_after_kb=.. anon_idle_kb=.. anon_after_kb=.. cpu_us_per_call=..
// (RSS fields are -1 when there is no pid to read).

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { RPCServer } = require(require.resolve('ocpp-rpc', { paths: [path.join(__dirname, '..'), process.cwd()] }));

const opt = { calls: 10000, warmup: 500, settle: 1000, strict: false, name: 'client', port: 0,
    portFile: null, clientLog: null, pid: 0, cmd: null };

function usage(why) {
    console.error(`rpc_latency.js: ${why}\nusage: rpc_latency.js [--calls N] [--warmup N] [--settle MS] [--strict] ` +
        `[--name NAME] [--port N] [--port-file F] [--client-log F] (--pid PID | -- CMD ARGS...)`);
    process.exit(2);
}

for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    const num = () => { const v = Number(process.argv[++i]); if (!Number.isInteger(v) || v < 0) usage(`${a} needs a whole number`); return v; };
    if (a === '--calls') opt.calls = num();
    else if (a === '--warmup') opt.warmup = num();
    else if (a === '--settle') opt.settle = num();
    else if (a === '--strict') opt.strict = true;
    else if (a === '--name') opt.name = process.argv[++i];
    else if (a === '--port') opt.port = num();
    else if (a === '--port-file') opt.portFile = process.argv[++i];
    else if (a === '--client-log') opt.clientLog = process.argv[++i];
    else if (a === '--pid') opt.pid = num();
    else if (a === '--') { opt.cmd = process.argv.slice(i + 1); break; }
    else usage(`unknown argument ${a}`);
}
if (opt.calls < 1) usage('--calls must be at least 1');
if (opt.cmd && !opt.cmd.length) usage('no command after --');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// VmRSS = RssAnon + RssFile + RssShmem; the split tells heap from mapped libraries.
function memOf(pid) {
    const m = { rss: -1, anon: -1, file: -1 };
    if (!pid) return m;
    try {
        const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (k) => { const r = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s); return r ? Number(r[1]) : -1; };
        m.rss = kb('VmRSS'); m.anon = kb('RssAnon'); m.file = kb('RssFile');
    } catch (e) { /* gone */ }
    return m;
}

// CPU time of the client in ns: schedstat is exact (ns), stat is in clock ticks.
function cpuNsOf(pid) {
    if (!pid) return -1;
    try {
        return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch (e) {
        try {
            const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
            return (Number(f[11]) + Number(f[12])) * 1e7; // utime + stime at 100 Hz
        } catch (e2) { return -1; }
    }
}

function pct(sorted, p) {
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[i];
}

const answers = {
    BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 3600 }),
    Heartbeat: () => ({ currentTime: new Date().toISOString() }),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({}),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    // StatusNotification, MeterValues, DiagnosticsStatusNotification, FirmwareStatusNotification: {}
};

async function main() {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: opt.strict });
    let client = null, lastInbound = 0, inbound = 0, violations = 0, onClient;
    const gotClient = new Promise((r) => { onClient = r; });
    server.on('client', (c) => {
        if (client) { c.close({ code: 1008, reason: 'one client only' }); return; }
        client = c;
        lastInbound = Date.now();
        c.on('strictValidationFailure', (f) => { violations++; console.error(`schema violation in ${f.method}: ${f.error.message}`); });
        c.handle(({ method, params }) => {
            inbound++;
            lastInbound = Date.now();
            return answers[method] ? answers[method](params) : {};
        });
        onClient(c);
    });
    const http = await server.listen(opt.port, '127.0.0.1');
    const port = http.address().port;
    const url = `ws://127.0.0.1:${port}/ocpp`;
    if (opt.portFile) fs.writeFileSync(opt.portFile, String(port));

    let child = null, childExit = null, pid = opt.pid;
    if (opt.cmd) {
        const out = opt.clientLog ? fs.openSync(opt.clientLog, 'a') : 'inherit';
        child = spawn(opt.cmd[0], opt.cmd.slice(1).map((a) => a.split('{url}').join(url)),
            { stdio: ['ignore', opt.clientLog ? out : 'ignore', out] });
        pid = child.pid;
        child.on('exit', (code, sig) => { childExit = sig ? `signal ${sig}` : `code ${code}`; });
        child.on('error', (e) => { childExit = e.message; });
        // Killed by the runner (Ctrl-C, timeout): take the client along.
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
            process.on(sig, () => { if (childExit === null) child.kill('SIGKILL'); process.exit(1); });
        }
    }

    let exitCode = 0;
    try {
        const c = await Promise.race([gotClient, sleep(15000).then(() => null)]);
        if (!c) throw new Error(`no client connected within 15 s${childExit ? ' (client exited, ' + childExit + ')' : ''}`);
        let closed = false;
        c.on('close', () => { closed = true; });

        // Idle: the client has had its say (boot, status notifications) and is quiet.
        const t0 = Date.now();
        while (Date.now() - lastInbound < opt.settle && Date.now() - t0 < 15000) await sleep(50);
        const idle = memOf(pid);

        const req = { key: ['HeartbeatInterval'] };
        const check = (res) => {
            const k = res && res.configurationKey;
            if (!Array.isArray(k) || k.length !== 1 || k[0].key !== 'HeartbeatInterval')
                throw new Error(`unexpected GetConfiguration answer ${JSON.stringify(res)}`);
        };
        for (let i = 0; i < opt.warmup; i++) check(await c.call('GetConfiguration', req));
        const warm = memOf(pid);

        const ns = new Float64Array(opt.calls);
        const cpu0 = cpuNsOf(pid);
        for (let i = 0; i < opt.calls; i++) {
            const a = process.hrtime.bigint();
            const res = await c.call('GetConfiguration', req);
            ns[i] = Number(process.hrtime.bigint() - a);
            check(res);
            if (closed) throw new Error(`client disconnected after ${i} calls`);
        }
        const cpu1 = cpuNsOf(pid);
        const after = memOf(pid);

        ns.sort();
        const us = (v) => (v / 1000).toFixed(1);
        const mean = ns.reduce((s, v) => s + v, 0) / ns.length;
        const cpu = cpu0 >= 0 && cpu1 >= 0 ? ((cpu1 - cpu0) / opt.calls / 1000).toFixed(1) : '-1';
        const r = {
            name: opt.name, calls: opt.calls, strict: opt.strict ? 1 : 0,
            p50_us: us(pct(ns, 0.50)), p90_us: us(pct(ns, 0.90)), p99_us: us(pct(ns, 0.99)),
            max_us: us(ns[ns.length - 1]), mean_us: us(mean),
            rss_idle_kb: idle.rss, rss_warm_kb: warm.rss, rss_after_kb: after.rss,
            anon_idle_kb: idle.anon, anon_after_kb: after.anon, file_idle_kb: idle.file,
            cpu_us_per_call: cpu, inbound_calls: inbound, violations,
        };
        console.log(`${opt.name}: ${opt.calls} GetConfiguration round trips (strictMode ${opt.strict ? 'on' : 'off'}): ` +
            `p50 ${r.p50_us} us, p90 ${r.p90_us} us, p99 ${r.p99_us} us, max ${r.max_us} us; ` +
            `client CPU ${cpu} us/call`);
        if (pid) {
            console.log(`${opt.name}: RSS idle ${idle.rss} kB (anon ${idle.anon}, file ${idle.file}), ` +
                `after ${opt.warmup} warm-up calls ${warm.rss} kB, after ${opt.calls} more ${after.rss} kB (anon ${after.anon})`);
        }
        console.log('RESULT ' + Object.entries(r).map(([k, v]) => `${k}=${v}`).join(' '));
    } catch (e) {
        console.error(`rpc_latency.js (${opt.name}): ${e.message}`);
        exitCode = 1;
    }

    if (child && childExit === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        if (await Promise.race([gone.then(() => true), sleep(5000).then(() => false)]) === false) {
            console.error(`rpc_latency.js: ${opt.name} ignored SIGTERM for 5 s, killing it`);
            child.kill('SIGKILL');
            await gone;
        }
    }
    await server.close({ force: true, awaitPending: false });
    process.exit(exitCode);
}

main();
