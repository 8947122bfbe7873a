'use strict';
// --db in a directory that does not exist is a start-up failure (exit code 1,
// README) that says so, rather than SQLite's "unable to open" or a misleading
// "Permission denied".
const path = require('path');
const { spawnSync } = require('child_process');

module.exports = {
    title: '--db in a missing directory → exit 1, "database directory ... does not exist"',
    autoStart: false,
    timeoutMs: 20000,
    async run(t) {
        const dir = path.join(t.dir, 'no', 'such', 'dir');
        const r = spawnSync(t.cp.o.bin, ['--url', t.csms.url, '--id', 'CP_dbdir', '--db', path.join(dir, 'cp.db')],
            { encoding: 'utf8', timeout: 5000 });
        t.equal(r.status, 1, '--db in a missing directory: start-up fails with exit code 1 (README exit codes)');
        t.ok(r.stderr.includes(`database directory ${dir} does not exist`),
            'the daemon names the missing directory', r.stderr);
        t.ok(!/Permission denied/.test(r.stderr), 'and does not blame permissions', r.stderr);
    },
};
