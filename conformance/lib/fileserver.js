'use strict';
// The operator's file server for the firmware cases (UpdateFirmware downloads,
// GetDiagnostics uploads), Node built-ins only:
//  - HTTP on 127.0.0.1: GET/HEAD serve files put with put(); PUT/POST store the
//    request body as an upload; a path marked with refuse() answers its status.
//  - FTP on 127.0.0.1 (passive mode only, anonymous or any login, binary): the
//    subset libcurl uses for RETR and STOR (USER PASS PWD CWD CDUP TYPE EPSV
//    PASV SIZE RETR STOR MDTM REST SYST FEAT OPTS NOOP QUIT).
// Every request is logged in `requests` ({proto, method, path, status}) so a case
// can count attempts and check what arrived.

const http = require('http');
const net = require('net');
const path = require('path');
const { EventEmitter } = require('events');

class FileServer extends EventEmitter {
    constructor() {
        super();
        this.files = new Map();     // path -> Buffer served by GET / RETR
        this.uploads = new Map();   // path -> Buffer received by PUT / POST / STOR
        this.refused = new Map();   // path prefix -> HTTP status (FTP: 550/553)
        this.requests = [];
        this._sockets = new Set();
    }

    async start() {
        this.http = http.createServer((req, res) => this._onHttp(req, res));
        this.http.on('connection', (s) => this._track(s));
        await new Promise((r) => this.http.listen(0, '127.0.0.1', r));
        this.ftp = net.createServer((s) => this._onFtp(s));
        await new Promise((r) => this.ftp.listen(0, '127.0.0.1', r));
        return this;
    }

    async close() {
        for (const s of this._sockets) s.destroy();
        await Promise.all([this.http, this.ftp].filter(Boolean).map((srv) => new Promise((r) => srv.close(() => r()))));
    }

    httpUrl(p) { return `http://127.0.0.1:${this.http.address().port}${p}`; }
    ftpUrl(p) { return `ftp://127.0.0.1:${this.ftp.address().port}${p}`; }

    put(p, data) { this.files.set(p, Buffer.from(data)); return this; }
    /** Every request for a path starting with prefix is refused (HTTP status; FTP 550/553). */
    refuse(prefix, status = 403) { this.refused.set(prefix, status); return this; }

    _refusedStatus(p) {
        for (const [prefix, status] of this.refused) if (p.startsWith(prefix)) return status;
        return 0;
    }

    /** Requests of one method (GET, PUT, RETR, STOR...) for paths starting with prefix. */
    hits(method, prefix = '/') {
        return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
    }

    /** Resolves with {path, data} of the first upload under prefix (already there or arriving). */
    waitUpload(prefix, timeoutMs = 10000) {
        for (const [p, data] of this.uploads) if (p.startsWith(prefix)) return Promise.resolve({ path: p, data });
        return new Promise((resolve, reject) => {
            const on = (u) => {
                if (!u.path.startsWith(prefix)) return;
                clearTimeout(timer);
                this.off('upload', on);
                resolve(u);
            };
            const timer = setTimeout(() => {
                this.off('upload', on);
                reject(new Error(`no upload under ${prefix} within ${timeoutMs} ms (requests: ${JSON.stringify(this.requests)})`));
            }, timeoutMs);
            this.on('upload', on);
        });
    }

    _track(s) {
        this._sockets.add(s);
        s.on('close', () => this._sockets.delete(s));
    }

    _log(proto, method, p, status) {
        const r = { proto, method, path: p, status, t: Date.now() };
        this.requests.push(r);
        this.emit('request', r);
    }

    _stored(p, data) {
        this.uploads.set(p, data);
        this.emit('upload', { path: p, data });
    }

    // ---- HTTP --------------------------------------------------------------

    _onHttp(req, res) {
        const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            let status;
            if (this._refusedStatus(p)) {
                status = this._refusedStatus(p);
                res.writeHead(status).end();
            } else if (req.method === 'GET' || req.method === 'HEAD') {
                const f = this.files.get(p);
                status = f ? 200 : 404;
                if (f) res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': f.length });
                else res.writeHead(404);
                res.end(req.method === 'GET' && f ? f : undefined);
            } else if (req.method === 'PUT' || req.method === 'POST') {
                status = 201;
                this._stored(p, Buffer.concat(chunks));
                res.writeHead(201).end();
            } else {
                status = 405;
                res.writeHead(405).end();
            }
            this._log('http', req.method, p, status);
        });
    }

    // ---- FTP ---------------------------------------------------------------

    _onFtp(sock) {
        this._track(sock);
        const st = { cwd: '/', pasv: null, data: null, dataWaiters: [] };
        let buf = '';
        const reply = (line) => { if (!sock.destroyed) sock.write(line + '\r\n'); };
        const resolvePath = (arg) => path.posix.resolve(st.cwd, arg || '.');

        // The data connection of the last PASV/EPSV: resolves once the client connected.
        const openPassive = () => new Promise((resolve) => {
            if (st.pasv) st.pasv.close();
            st.data = null;
            const srv = net.createServer((d) => {
                this._track(d);
                st.data = d;
                srv.close();
                for (const w of st.dataWaiters.splice(0)) w(d);
            });
            st.pasv = srv;
            srv.listen(0, '127.0.0.1', () => resolve(srv.address().port));
        });
        const dataConn = () => (st.data ? Promise.resolve(st.data) : new Promise((r) => st.dataWaiters.push(r)));

        const handle = async (line) => {
            const sp = line.indexOf(' ');
            const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
            const arg = sp < 0 ? '' : line.slice(sp + 1);
            switch (cmd) {
            case 'USER': return reply('331 Password please');
            case 'PASS': return reply('230 Logged in');
            case 'SYST': return reply('215 UNIX Type: L8');
            case 'FEAT': return reply('211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n211 End');
            case 'OPTS': case 'NOOP': case 'TYPE': case 'MODE': case 'STRU': return reply('200 OK');
            case 'PWD': return reply(`257 "${st.cwd}" is the current directory`);
            case 'CWD': st.cwd = resolvePath(arg); return reply('250 OK');
            case 'CDUP': st.cwd = path.posix.dirname(st.cwd); return reply('250 OK');
            case 'EPSV': { const port = await openPassive(); return reply(`229 Entering Extended Passive Mode (|||${port}|)`); }
            case 'PASV': {
                const port = await openPassive();
                return reply(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255})`);
            }
            case 'SIZE': {
                const p = resolvePath(arg);
                const f = this._refusedStatus(p) ? null : this.files.get(p);
                if (!f) this._log('ftp', 'SIZE', p, 550);
                return reply(f ? `213 ${f.length}` : '550 No such file');
            }
            case 'MDTM': return reply('550 Not available');
            case 'REST': return reply(arg === '0' ? '350 OK' : '502 Not implemented');
            case 'RETR': {
                const p = resolvePath(arg);
                const f = this._refusedStatus(p) ? null : this.files.get(p);
                this._log('ftp', 'RETR', p, f ? 226 : 550);
                if (!f) { if (st.data) st.data.destroy(); return reply('550 No such file'); }
                const d = await dataConn();
                reply(`150 Opening BINARY mode data connection (${f.length} bytes)`);
                d.end(f, () => reply('226 Transfer complete'));
                return undefined;
            }
            case 'STOR': {
                const p = resolvePath(arg);
                if (this._refusedStatus(p)) {
                    this._log('ftp', 'STOR', p, 553);
                    if (st.data) st.data.destroy();
                    return reply('553 Not allowed');
                }
                const d = await dataConn();
                reply('150 Ok to send data');
                const chunks = [];
                d.on('data', (c) => chunks.push(c));
                d.on('end', () => {
                    this._stored(p, Buffer.concat(chunks));
                    this._log('ftp', 'STOR', p, 226);
                    reply('226 Transfer complete');
                });
                return undefined;
            }
            case 'QUIT': reply('221 Bye'); sock.end(); return undefined;
            default: return reply('502 Command not implemented');
            }
        };

        // Commands are handled one at a time, in order.
        let chain = Promise.resolve();
        sock.on('data', (d) => {
            buf += d.toString('latin1');
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl).replace(/\r$/, '');
                buf = buf.slice(nl + 1);
                chain = chain.then(() => handle(line)).catch(() => reply('451 Local error'));
            }
        });
        sock.on('error', () => {});
        sock.on('close', () => { if (st.pasv) st.pasv.close(); });
        reply('220 ocpp-cp conformance file server');
    }
}

/** A started file server that is closed when the case ends, whatever happens. */
async function startFileServer() {
    const { onCleanup } = require('./util');
    const fs = await new FileServer().start();
    onCleanup(() => { fs.close(); });
    return fs;
}

/** The members of a ustar archive: [{name, size, data}] (checks each header's checksum). */
function untar(buf) {
    const out = [];
    for (let off = 0; off + 512 <= buf.length;) {
        const h = buf.subarray(off, off + 512);
        if (h.every((b) => b === 0)) break;
        const field = (a, n) => h.subarray(a, a + n).toString('latin1').replace(/\0.*$/s, '').trim();
        let sum = 0;
        for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
        if (parseInt(field(148, 8), 8) !== sum) throw new Error(`tar header at ${off}: bad checksum`);
        const size = parseInt(field(124, 12), 8);
        out.push({ name: field(0, 100), size, data: buf.subarray(off + 512, off + 512 + size) });
        off += 512 + Math.ceil(size / 512) * 512;
    }
    return out;
}

/**
 * Waits for `action` (FirmwareStatusNotification / DiagnosticsStatusNotification)
 * with each status of `statuses` in this order, each after the one before;
 * returns the entries.
 */
async function waitStatuses(t, action, statuses, { since = 0, timeoutMs = 15000, rule } = {}) {
    const seen = [];
    let from = since;
    for (const status of statuses) {
        const e = await t.csms.waitFor(action, (p) => p.status === status, timeoutMs,
            { since: from, desc: `status ${status}`, rule: `${rule || action} (then ${status})` });
        seen.push(e);
        from = e.index + 1;
    }
    return seen;
}

/** Statuses of `action` CALLs from index since, in order. */
function statusesSince(t, action, since) {
    return t.csms.calls(action, since).map((e) => e.payload.status);
}

module.exports = { FileServer, startFileServer, untar, waitStatuses, statusesSince };
