#!/usr/bin/env node
'use strict';
// Live view for the demo: every second, the daemon's control-socket `status`
// (connector status, pilot, offered and drawn current, energy) and the last
// messages the demo central system received.  Ctrl-C ends it.
//
//   node conformance/demo-view.js CONTROL_SOCKET [CSMS_LOG]
//   node conformance/demo-view.js CONTROL_SOCKET --send '{"cmd":"plug","connector":1}'
//       sends one request, prints the reply, exits 0 when it says ok:true

const fs = require('fs');
const net = require('net');

const [sock, csmsLog] = process.argv.slice(2);
if (!sock) { console.error('usage: demo-view.js CONTROL_SOCKET [CSMS_LOG]'); process.exit(2); }
const tty = process.stdout.isTTY;

function request(text) {
    return new Promise((resolve) => {
        const s = net.createConnection(sock);
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

const status = () => request('{"cmd":"status"}');

async function frame() {
    const st = await status();
    const out = [];
    if (tty) out.push('\x1b[H\x1b[2J');
    out.push(`ocpp-cp demo    ${st ? `daemon clock ${st.now || '?'}    ${st.online ? 'online' : 'OFFLINE'}` : 'daemon not answering'}    (Ctrl-C to stop)`);
    out.push('');
    out.push(`${pad('conn', 5)}${pad('status', 15)}${pad('pilot', 7)}${pad('offered A', 11)}${pad('drawn A (L1 L2 L3)', 22)}${pad('energy Wh', 11)}tx`);
    for (const c of (st && st.connectors) || []) {
        const imp = (c.import_a || []).map((a) => fmt(a)).join(' ');
        out.push(`${pad(c.id, 5)}${pad(c.ocpp_status, 15)}${pad(c.pilot, 7)}${pad(fmt(c.offered_a), 11)}${pad(imp, 22)}${pad(c.energy_wh ?? '-', 11)}${c.transaction_id ?? '-'}`);
    }
    out.push('');
    const lines = tail(csmsLog, 14);
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
