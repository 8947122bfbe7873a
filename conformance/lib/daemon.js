'use strict';
// Starts and drives the `ocpp-cp` daemon for one conformance case: command line
// ('s contract), a per-case log of its stderr, the control-socket client
// (newline-delimited JSON, one reply line per request), kill / restart with the
// same database, and cleanup of the process and its files whatever happens.

const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const { sleep, onCleanup } = require('./util');

class ControlError extends Error {}

class Daemon {
    /**
     * @param {object} o
     * @param {string} o.bin        path of ocpp-cp
     * @param {string} o.dir        private temp dir (db, socket, config, log live here)
     * @param {string} o.url        central system base URL (ws://127.0.0.1:PORT/ocpp)
     * @param {string} o.id         charge point identity
     * @param {number} [o.connectors]
     * @param {number} [o.timeScale=1]
     * @param {object|string} [o.config]  Key=Value pre-provisioning (object or text)
     * @param {string} [o.logLevel='debug']
     * @param {string[]} [o.extraArgs]
     * @param {object} [o.env]      extra environment variables (e.g. OCPP_CP_KILLPOINT); change with setEnv()
     */
    constructor(o) {
        this.o = { timeScale: 1, logLevel: 'debug', extraArgs: [], ...o };
        this.dir = o.dir;
        this.db = o.db || path.join(o.dir, 'cp.db');   // a case may move it before start()
        this.sock = path.join(o.dir, 'ctl.sock');
        this.logPath = path.join(o.dir, 'ocpp-cp.log');
        this.configPath = null;
        this.proc = null;
        this.starts = 0;
        this.exits = [];   // {code, signal, t} of every process that ended
        if (o.config) {
            this.configPath = path.join(o.dir, 'config.txt');
            const text = typeof o.config === 'string' ? o.config
                : Object.entries(o.config).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
            fs.writeFileSync(this.configPath, text);
        }
        this._unregister = null;
    }

    get timeScale() { return this.o.timeScale; }
    /** Environment for the next start(): keys with value undefined are removed. */
    setEnv(env) {
        const e = { ...(this.o.env || {}), ...env };
        for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
        this.o.env = e;
    }
    get running() { return !!this.proc; }
    get pid() { return this.proc ? this.proc.pid : null; }

    /** Real milliseconds that `s` seconds of the daemon's scaled clock take. */
    scaled(s) { return (s * 1000) / this.o.timeScale; }

    args() {
        const a = ['--url', this.o.url, '--id', this.o.id, '--db', this.db, '--control', this.sock,
            '--time-scale', String(this.o.timeScale), '--log-level', this.o.logLevel];
        if (this.o.connectors) a.push('--connectors', String(this.o.connectors));
        if (this.configPath) a.push('--config', this.configPath);
        return a.concat(this.o.extraArgs);
    }

    /** Spawns the daemon; resolves once its control socket answers `status`. */
    async start({ waitControl = true, timeoutMs = 10000 } = {}) {
        if (this.proc) throw new Error('daemon already running');
        if (!fs.existsSync(this.o.bin)) throw new Error(`ocpp-cp not found at ${this.o.bin} (set OCPP_CP)`);
        this.starts++;
        const args = this.args();
        fs.appendFileSync(this.logPath, `=== harness: start #${this.starts}: ${this.o.bin} ${args.join(' ')}\n`);
        const out = fs.openSync(this.logPath, 'a');
        const proc = spawn(this.o.bin, args, { stdio: ['ignore', out, out], env: { ...process.env, ...(this.o.env || {}) } });
        fs.closeSync(out);
        this.proc = proc;
        this._exitPromise = new Promise((resolve) => {
            proc.on('exit', (code, signal) => {
                const info = { code, signal, t: Date.now() };
                this.exits.push(info);
                fs.appendFileSync(this.logPath, `=== harness: ocpp-cp exited code=${code} signal=${signal}\n`);
                if (this.proc === proc) this.proc = null;
                if (this._unregister) { const u = this._unregister; this._unregister = null; u(); }
                resolve(info);
            });
        });
        proc.on('error', (e) => fs.appendFileSync(this.logPath, `=== harness: spawn error ${e.message}\n`));
        // Never leave a daemon behind: killed at exit, on Ctrl-C and on case failure.
        this._unregister = onCleanup(() => { try { proc.kill('SIGKILL'); } catch (e) { /* gone */ } });
        if (!waitControl) return;
        const end = Date.now() + timeoutMs;
        for (;;) {
            if (!this.proc) {
                throw new Error(`ocpp-cp exited during start-up (${JSON.stringify(this.exits[this.exits.length - 1])}); log tail:\n${this.logTail(30)}`);
            }
            try {
                const r = await this.control({ cmd: 'status' }, { timeoutMs: 1000, retry: false });
                if (r && r.ok) return;
            } catch (e) { /* not up yet */ }
            if (Date.now() > end) throw new Error(`ocpp-cp control socket ${this.sock} did not answer status within ${timeoutMs} ms`);
            await sleep(50);
        }
    }

    /** Resolves with {code, signal} when the current process ends (or at once if none). */
    async waitExit(timeoutMs = 10000) {
        if (!this.proc) return this.exits[this.exits.length - 1] || null;
        const t = sleep(timeoutMs).then(() => null);
        return Promise.race([this._exitPromise, t]);
    }

    /** Sends a signal and waits for the exit; SIGKILL is the power-loss simulation. */
    async kill(signal = 'SIGKILL', timeoutMs = 10000) {
        if (!this.proc) return this.exits[this.exits.length - 1] || null;
        this.proc.kill(signal);
        const r = await this.waitExit(timeoutMs);
        if (!r && this.proc) {
            this.proc.kill('SIGKILL');
            await this.waitExit(5000);
            throw new Error(`ocpp-cp did not exit within ${timeoutMs} ms of ${signal}`);
        }
        return r;
    }

    /** Clean shutdown (SIGTERM); resolves with the exit info. */
    stop(timeoutMs = 10000) { return this.kill('SIGTERM', timeoutMs); }

    /** Starts again with the same database (after kill/stop). */
    async restart(opts) {
        if (this.proc) await this.kill('SIGKILL');
        return this.start(opts);
    }

    // ---- control socket ---------------------------------------------------

    /**
     * One request, one reply line.  Retries connecting for a short while because
     * the socket disappears for a moment while the daemon re-execs (Reset).
     */
    async control(req, { timeoutMs = 5000, retry = true } = {}) {
        const end = Date.now() + timeoutMs;
        for (;;) {
            try {
                return await this._sendLine(JSON.stringify(req), req.cmd, Math.max(200, end - Date.now()));
            } catch (e) {
                const transient = e.code === 'ENOENT' || e.code === 'ECONNREFUSED';
                if (!retry || !transient || Date.now() > end) throw e;
                await sleep(50);
            }
        }
    }

    /** Sends one raw line (may be malformed on purpose); resolves with the parsed reply. */
    controlRaw(line, timeoutMs = 3000) {
        return this._sendLine(line, 'raw', timeoutMs);
    }

    _sendLine(line, label, timeoutMs) {
        const req = { cmd: label };
        return new Promise((resolve, reject) => {
            const s = net.createConnection(this.sock);
            let buf = '';
            let done = false;
            const finish = (err, val) => {
                if (done) return;
                done = true;
                clearTimeout(timer);
                s.destroy();
                if (err) reject(err); else resolve(val);
            };
            const timer = setTimeout(() => finish(new ControlError(`control ${req.cmd}: no reply within ${timeoutMs} ms`)), timeoutMs);
            s.on('connect', () => s.write(line + '\n'));
            s.on('data', (d) => {
                buf += d;
                const nl = buf.indexOf('\n');
                if (nl < 0) return;
                const line = buf.slice(0, nl);
                try {
                    finish(null, JSON.parse(line));
                } catch (e) {
                    finish(new ControlError(`control ${req.cmd}: reply is not JSON: ${line.slice(0, 200)}`));
                }
            });
            s.on('error', (e) => finish(e));
            s.on('close', () => finish(new ControlError(`control ${req.cmd}: connection closed without a reply`)));
        });
    }

    /** Like control(), but a reply without ok:true is an error naming the command. */
    async ctl(req) {
        const r = await this.control(req);
        if (!r || r.ok !== true) throw new ControlError(`control command ${JSON.stringify(req)} failed: ${JSON.stringify(r)}`);
        return r;
    }

    plug(connector = 1, ev = {}) { return this.ctl({ cmd: 'plug', connector, ...ev }); }
    unplug(connector = 1) { return this.ctl({ cmd: 'unplug', connector }); }
    tag(connector, idTag) { return this.ctl({ cmd: 'tag', connector, id_tag: idTag }); }
    ev(connector, changes) { return this.ctl({ cmd: 'ev', connector, ...changes }); }
    suspendSignal(closed) { return this.ctl({ cmd: 'suspend_signal', closed }); }
    status() { return this.ctl({ cmd: 'status' }); }

    async connector(id) {
        const st = await this.status();
        const c = (st.connectors || []).find((x) => x.id === id);
        if (!c) throw new ControlError(`status has no connector ${id}: ${JSON.stringify(st)}`);
        return c;
    }

    // ---- log ---------------------------------------------------------------

    readLog() {
        try { return fs.readFileSync(this.logPath, 'utf8'); } catch (e) { return ''; }
    }

    logTail(lines = 150) {
        const all = this.readLog().split('\n');
        return all.slice(-lines).join('\n');
    }

    /** Kills whatever is still running (cases end here, pass or fail). */
    async dispose() {
        if (this.proc) {
            try { await this.kill('SIGKILL', 5000); } catch (e) { /* reported by kill */ }
        }
    }
}

module.exports = { Daemon, ControlError };
