'use strict';
// Small helpers shared by the harness: free ports, temp dirs, sleeping, and a
// process-wide cleanup registry so that a failing case or a Ctrl-C never leaves
// a daemon running or a temp directory behind.

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Ask the kernel for a free TCP port on the loopback interface.  There is a
// small window between closing this probe and the CSMS binding it, which is
// fine for a single-user test box.
function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// Unix socket paths are limited to 108 bytes, so temp dirs stay short and
// live directly under the system temp dir.
function makeTempDir(tag) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `occ-${tag.slice(0, 12)}-`));
    cleanups.add(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
}

const cleanups = new Set();

// Registers fn to run at exit (or on SIGINT/SIGTERM); returns a function that
// runs it now and unregisters it.
function onCleanup(fn) {
    cleanups.add(fn);
    return () => {
        if (cleanups.delete(fn)) fn();
    };
}

function runCleanups() {
    for (const fn of Array.from(cleanups).reverse()) {
        cleanups.delete(fn);
        try { fn(); } catch (e) { /* best effort at exit */ }
    }
}

let handlersInstalled = false;
function installExitHandlers() {
    if (handlersInstalled) return;
    handlersInstalled = true;
    process.on('exit', runCleanups);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
        process.on(sig, () => {
            runCleanups();
            process.exit(sig === 'SIGINT' ? 130 : 143);
        });
    }
}

// Polls fn() until it returns a truthy value or the deadline passes; returns
// that value, or undefined on timeout.  Used for control-socket conditions
// that the daemon reaches asynchronously (the EV ramping up, a status change).
async function pollUntil(fn, timeoutMs, everyMs = 100) {
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
        last = await fn();
        if (last) return last;
        if (Date.now() >= end) return undefined;
        await sleep(everyMs);
    }
}

function isoNow() {
    return new Date().toISOString();
}

// Runs a program (the daemon with arguments that should make it exit) without
// blocking the central system's event loop; resolves with its exit code (null
// if it was still running after ms and got killed) and its stderr.
function runFor(bin, args, ms) {
    const { spawn } = require('child_process');
    return new Promise((resolve) => {
        const p = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => { err += d; });
        const timer = setTimeout(() => p.kill('SIGKILL'), ms);
        p.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr: err }); });
    });
}

module.exports = { runFor, sleep, freePort, makeTempDir, onCleanup, runCleanups, installExitHandlers, pollUntil, isoNow };
