'use strict';
// --control PATH may only ever replace a stale socket: a path that holds
// anything else (here a file with content, as when --control is given the
// database's path) or a socket another daemon listens on is refused with exit
// code 1 and left exactly as it was.  A socket nobody listens on (left behind
// by a power cut) is removed and the daemon starts.
const fs = require('fs');
const path = require('path');
const { runFor } = require('../lib/util');


module.exports = {
    title: '--control never deletes a regular file or a live socket (exit 1); a stale socket is replaced',
    autoStart: false,
    timeoutMs: 40000,
    async run(t) {
        const bin = t.cp.o.bin;
        const base = (name) => ['--url', t.csms.url, '--id', 'CP_ctlpath', '--db', path.join(t.dir, `${name}.db`)];

        // 1. A regular file with content (the operator typed the database path).
        const victim = path.join(t.dir, 'precious.db');
        const content = 'SQLite format 3\u0000 pretend this is the station database\n';
        fs.writeFileSync(victim, content);
        let r = await runFor(bin, [...base('a'), '--control', victim], 5000);
        t.equal(r.code, 1, '--control naming a regular file: start-up fails with exit code 1 (README exit codes)');
        t.ok(/not a socket/.test(r.stderr), '--control naming a regular file: the daemon says the path is not a socket', r.stderr);
        t.ok(fs.existsSync(victim) && fs.readFileSync(victim, 'utf8') === content,
            '--control naming a regular file: the file is left as it was (bad input changes nothing)');

        // 2. A socket a running daemon listens on.
        await t.start();
        const before = fs.statSync(t.cp.sock);
        r = await runFor(bin, [...base('b'), '--control', t.cp.sock], 5000);
        t.equal(r.code, 1, '--control naming a live socket: start-up fails with exit code 1 (README exit codes)');
        t.ok(/listen/.test(r.stderr), '--control naming a live socket: the daemon says another process listens there', r.stderr);
        const after = fs.statSync(t.cp.sock);
        t.equal(after.ino, before.ino, 'the live socket file is not replaced');
        const st = await t.cp.control({ cmd: 'status' }, { retry: false });
        t.ok(st && st.ok, 'the daemon that owns the socket still answers on it', st);

        // 3. A stale socket: the daemon was killed (power cut), its socket file stays.
        await t.cp.kill('SIGKILL');
        t.ok(fs.existsSync(t.cp.sock) && fs.statSync(t.cp.sock).isSocket(), 'SIGKILL leaves the socket file behind (setup)');
        await t.start();
        const st2 = await t.cp.control({ cmd: 'status' }, { retry: false });
        t.ok(st2 && st2.ok, 'a stale socket nobody listens on is replaced and the daemon starts', st2);
    },
};
