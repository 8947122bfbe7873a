'use strict';
// The control socket is bounded like every other input (STYLE: fixed limits):
// beyond CP_MAX_CONTROL_CLIENTS (8) a new client gets a clean error line and
// is closed; the clients already connected keep working, and a freed slot is
// usable again.
const net = require('net');

function connect(path) {
    return new Promise((resolve, reject) => {
        const s = net.createConnection(path, () => resolve(s));
        s.on('error', reject);
    });
}

function firstLine(s, timeoutMs = 2000) {
    return new Promise((resolve) => {
        let buf = '';
        const timer = setTimeout(() => resolve(null), timeoutMs);
        s.on('data', (d) => {
            buf += d.toString();
            const i = buf.indexOf('\n');
            if (i >= 0) { clearTimeout(timer); resolve(JSON.parse(buf.slice(0, i))); }
        });
    });
}

module.exports = {
    title: 'control socket: at most 8 clients; the next one is refused cleanly; slots are reused',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 20000,
    async run(t) {
        const socks = [];
        for (let i = 0; i < 8; i++) socks.push(await connect(t.cp.sock));
        const extra = await connect(t.cp.sock);
        const refused = await firstLine(extra);
        t.ok(refused && refused.ok === false && /too many/.test(refused.error),
            'a 9th control client gets {"ok":false,"error":...} (bounded inputs, CP_MAX_CONTROL_CLIENTS)', refused);
        const p = firstLine(socks[0]);
        socks[0].write('{"cmd":"status"}\n');
        const st = await p;
        t.ok(st && st.ok === true, 'the clients already connected keep working (README control socket)', st);
        for (const s of socks) s.destroy();
        extra.destroy();
        await t.sleep(300);
        const again = await connect(t.cp.sock);
        const p2 = firstLine(again);
        again.write('{"cmd":"status"}\n');
        const st2 = await p2;
        t.ok(st2 && st2.ok === true, 'closed clients free their slots (bounded, not leaking)', st2);
        again.destroy();
    },
};
