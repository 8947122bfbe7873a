'use strict';
// The command line contract of: bad arguments end the daemon with
// exit code 2 and a one-line reason on stderr, before it connects anywhere.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

module.exports = {
    title: 'bad command-line arguments → exit code 2 with a one-line reason',
    autoStart: false,
    timeoutMs: 30000,
    async run(t) {
        const notPem = path.join(t.dir, 'not-a-cert.pem');
        fs.writeFileSync(notPem, 'this is not a PEM certificate\n');
        const emptyPem = path.join(t.dir, 'empty.pem');
        fs.writeFileSync(emptyPem, '');
        const base = ['--url', t.csms.url, '--id', 'CP_cli', '--db', path.join(t.dir, 'cli.db')];
        const bad = [
            { why: 'an unknown option', args: [...base, '--no-such-option'] },
            { why: '--connectors 3 (1 or 2 allowed)', args: [...base, '--connectors', '3'] },
            { why: '--connectors 0', args: [...base, '--connectors', '0'] },
            { why: '--time-scale that is not a number', args: [...base, '--time-scale', 'fast'] },
            { why: '--time-scale 0', args: [...base, '--time-scale', '0'] },
            { why: '--log-level that does not exist', args: [...base, '--log-level', 'loud'] },
            { why: '--url that is not ws:// or wss://', args: ['--url', 'http://127.0.0.1:1/ocpp', '--id', 'CP_cli', '--db', path.join(t.dir, 'cli.db')] },
            { why: '--hw that does not exist', args: [...base, '--hw', 'quantum'] },
            { why: 'an option without its value', args: [...base, '--id'] },
            { why: '--ca-file that does not exist', args: [...base, '--ca-file', path.join(t.dir, 'missing.pem')], says: /--ca-file/ },
            { why: '--ca-file without a PEM certificate', args: [...base, '--ca-file', notPem], says: /--ca-file.*certificate/ },
            { why: '--id of 49 characters', args: ['--url', t.csms.url, '--id', 'X'.repeat(49), '--db', path.join(t.dir, 'cli.db')], says: /--id/ },
            { why: '--serial of 26 characters (CiString25)', args: [...base, '--serial', 'S'.repeat(26)], says: /--serial/ },
            { why: '--ca-file that is empty', args: [...base, '--ca-file', emptyPem], says: /--ca-file.*certificate/ },
        ];
        for (const b of bad) {
            const r = spawnSync(t.cp.o.bin, b.args, { encoding: 'utf8', timeout: 5000 });
            t.equal(r.status, 2, `${b.why}: exit code 2 on bad arguments (README exit codes)`);
            const lines = (r.stderr || '').split('\n').filter((l) => l.trim());
            t.ok(lines.length >= 1, `${b.why}: a reason is printed on stderr (README exit codes)`, r.stderr);
            t.ok(lines.length <= 3, `${b.why}: the reason is short (a one-line reason)`, r.stderr);
            if (b.says) t.ok(b.says.test(r.stderr), `${b.why}: the reason names the problem`, r.stderr);
        }
        t.equal(t.csms.connections.length, 0, 'a daemon with bad arguments never connects to the central system');
    },
};
