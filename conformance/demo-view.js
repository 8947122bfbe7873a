#!/usr/bin/env node
'use strict';
// Live view for the demo: every second, each daemon's control-socket `status`
// (connector status, pilot, offered and drawn current, energy; the grid
// meter and the Smart Charging Network when configured) and the last
// messages the demo central system received.  Ctrl-C ends it.
//
//   node conformance/demo-view.js CONTROL_SOCKET[,CONTROL_SOCKET...] [CSMS_LOG]
//       DEMO_HEADER (environment): lines printed at the top (the page's URL)
//   node conformance/demo-view.js CONTROL_SOCKET --send '{"cmd":"plug","connector":1}'
//       sends one request, prints the reply, exits 0 when it says ok:true

const fs = require('fs');
const net = require('net');

const [sockList, csmsLog] = process.argv.slice(2);
if (!sockList) { console.error('usage: demo-view.js CONTROL_SOCKET[,CONTROL_SOCKET...] [CSMS_LOG]'); process.exit(2); }
const socks = sockList.split(',');
const sock = socks[0];
const tty = process.stdout.isTTY;

function request(text, path = sock) {
    return new Promise((resolve) => {
        const s = net.createConnection(path);
        let buf = '';
        const done = (v) => { s.destroy(); resolve(v); };
        s.setTimeout(900, () => done(null));
        s.on('connect', () => s.write(text + '\n'));
        s.on('data', (d) => {
            buf += d;
            const nl = buf.indexOf('\n');
            if (nl >= 0) { try { done(JSON.parse(buf.slice(0, nl))); } catch (e) { done(null); } }
        });
        s.on('error', () => done(null));
    });
}

const fmt = (v, d = 1) => (typeof v === 'number' ? v.toFixed(d) : '-');
const pad = (s, n) => { s = String(s); return s.length >= n ? s : s + ' '.repeat(n - s.length); };

function tail(file, n) {
    if (!file) return [];
    try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n); } catch (e) { return []; }
}

const status = (path) => request('{"cmd":"status"}', path);
const amps = (a) => (a || []).map((x) => fmt(x)).join(' ');

async function frame() {
    const all = await Promise.all(socks.map((p) => status(p)));
    const out = [];
    if (tty) out.push('\x1b[H\x1b[2J');
    const st0 = all[0];
    out.push(`ocpp-cp demo    ${st0 ? `daemon clock ${st0.now || '?'}` : 'daemon not answering'}    (Ctrl-C to stop)`);
    for (const l of (process.env.DEMO_HEADER || '').split('\n').filter(Boolean)) out.push(l);
    all.forEach((st, k) => {
        out.push('');
        out.push(`station ${k + 1}: ${st ? (st.online ? 'online' : 'OFFLINE') : 'not answering'}` +
            (st && st.scn ? `    SCN ${st.scn.network}: ${st.scn.state}${st.scn.allocator ? ', allocator' : ''}, ${st.scn.sockets_seen} sockets seen` : ''));
        if (st && st.grid && st.grid.reading_a)
            out.push(`  grid meter L1 L2 L3: ${amps(st.grid.reading_a)} A    other load ${amps(st.grid.other_load_a)} A    budget ${amps(st.grid.budget_a)} A (${st.grid.mode})`);
        out.push(`  ${pad('conn', 5)}${pad('status', 15)}${pad('pilot', 7)}${pad('offered A', 11)}${pad('drawn A (L1 L2 L3)', 22)}${pad('binding', 12)}${pad('energy Wh', 11)}tx`);
        for (const c of (st && st.connectors) || []) {
            out.push(`  ${pad(c.id, 5)}${pad(c.ocpp_status, 15)}${pad(c.pilot, 7)}${pad(fmt(c.offered_a), 11)}${pad(amps(c.import_a), 22)}${pad(c.binding, 12)}${pad(c.energy_wh ?? '-', 11)}${c.transaction_id ?? '-'}`);
        }
    });
    out.push('');
    const lines = tail(csmsLog, 10);
    if (lines.length) {
        out.push('central system received (latest last):');
        for (const l of lines) out.push('  ' + l.slice(0, 150));
    }
    process.stdout.write(out.join('\n') + '\n' + (tty ? '' : '----\n'));
}

if (csmsLog === '--send') {
    request(process.argv[4] || '').then((r) => {
        console.log(JSON.stringify(r));
        process.exit(r && r.ok === true ? 0 : 1);
    });
    return;
}

let timer = null;
process.on('SIGINT', () => { clearInterval(timer); process.exit(0); });
process.on('SIGTERM', () => { clearInterval(timer); process.exit(0); });
frame();
timer = setInterval(frame, 1000);
