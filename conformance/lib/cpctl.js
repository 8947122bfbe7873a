'use strict';
// Runs the ocpp-cpctl command line, built and installed beside ocpp-cp,
// against a case's daemon.  Asynchronous (execFile, not spawnSync), so the
// case's central system keeps answering the daemon while the command runs.

const fs = require('fs');
const path = require('path');
const { execFile, spawn } = require('child_process');

function cpctlBin(t) {
    return path.join(path.dirname(t.cp.o.bin), 'ocpp-cpctl');
}

/** Fails the case at once, naming what is missing, when ocpp-cpctl was not built. */
function needCpctl(t) {
    const bin = cpctlBin(t);
    t.ok(fs.existsSync(bin), `ocpp-cpctl is built beside ocpp-cp (bin_PROGRAMS; make builds it): ${bin}`);
    return bin;
}

/**
 * Runs `ocpp-cpctl --control SOCK ...args` (control: null leaves --control
 * out; a string uses that path) with `input` on its standard input (empty by
 * default).  Resolves with {code, signal, stdout, stderr, ms}.
 */
function cpctl(t, args, { control = t.cp.sock, input = '', timeoutMs = 10000 } = {}) {
    const full = control === null ? args : ['--control', control, ...args];
    const t0 = Date.now();
    return new Promise((resolve) => {
        const child = execFile(cpctlBin(t), full, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
            let code = 0;
            if (err) code = typeof err.code === 'number' ? err.code : null;
            resolve({ code, signal: err ? err.signal || null : null, stdout, stderr, ms: Date.now() - t0 });
        });
        child.stdin.on('error', () => { /* it may exit without reading */ });
        child.stdin.end(input);
    });
}

/** Like cpctl(), under a pseudo-terminal (util-linux `script`), as an operator runs it. */
function cpctlTty(t, args, { timeoutMs = 10000 } = {}) {
    const quote = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;
    const cmd = [cpctlBin(t), '--control', t.cp.sock, ...args].map(quote).join(' ');
    return new Promise((resolve) => {
        execFile('script', ['-qec', cmd, '/dev/null'], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
            let code = 0;
            if (err) code = typeof err.code === 'number' ? err.code : null;
            resolve({ code, stdout, stderr });
        });
    });
}

/** Starts ocpp-cpctl without waiting; resolves {code, signal, stdout, stderr} on exit. */
function cpctlSpawn(t, args) {
    const p = spawn(cpctlBin(t), ['--control', t.cp.sock, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const done = new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { proc: p, done, out: () => stdout };
}

module.exports = { cpctl, cpctlTty, cpctlSpawn, needCpctl, cpctlBin };
