'use strict';
// A real OCPP 1.6J central system for the black-box suite, built on ocpp-rpc's
// RPCServer in strict mode: every CALL and CALLRESULT the charge point sends is
// validated against the official OCPP 1.6 JSON schemas before anything else
// sees it, and every failure is kept as a violation the case fails on.
//
// What it adds on top of ocpp-rpc:
//  - a frame log of both directions with real-time timestamps (log[]), each
//    inbound CALL carrying the reply we gave it (entry.reply);
//  - protocol checks ocpp-rpc does not make: message ids of at most 36 chars,
//    unique CALL ids per connection, at most one outstanding CALL from the
//    charge point, nothing but BootNotification before it was Accepted;
//  - scriptable answers per action (sequences, functions, CALLERROR, never
//    answering) with friendly defaults (see DEFAULTS);
//  - offline simulation: refuse new connections and drop the current one;
//  - optionally TLS (wss://): an https server with ocpp-rpc's handleUpgrade,
//    a server certificate that can be swapped at run time, and the client
//    certificate the station presented, recorded per handshake.

const fs = require('fs');
const https = require('https');
const { EventEmitter } = require('events');
const { RPCServer, createRPCError, NOREPLY } = require('ocpp-rpc');

const NO_REPLY = Symbol('csms.noReply');
const MAX_MSG_ID = 36; // OCPP-J 1.6 §4.1.3: message id is a string of at most 36 chars

class CallErrorReply {
    constructor(code, description, details) {
        this.code = code;
        this.description = description || '';
        this.details = details || {};
    }
}

// Friendly defaults: a central system that accepts everything.  Cases override
// single actions with reply()/replyOnce().
const DEFAULTS = {
    BootNotification: (p, c) => ({ status: 'Accepted', currentTime: c.now(), interval: c.bootInterval }),
    Heartbeat: (p, c) => ({ currentTime: c.now() }),
    StatusNotification: () => ({}),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: (p, c) => ({ transactionId: c.nextTransactionId(), idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    MeterValues: () => ({}),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    DiagnosticsStatusNotification: () => ({}),
    FirmwareStatusNotification: () => ({}),
    // OCPP 1.6 Security Whitepaper (edition 3) messages from the charge point
    // (ocpp-rpc's ocpp1.6 schema set carries their schemas).
    SecurityEventNotification: () => ({}),
    SignedFirmwareStatusNotification: () => ({}),
    LogStatusNotification: () => ({}),
    SignCertificate: () => ({ status: 'Accepted' }),
};

// A PEM option may be given as the text itself or as a file path.
function pemOf(v) {
    if (v === undefined || v === null) return v;
    if (Array.isArray(v)) return v.map(pemOf);
    if (Buffer.isBuffer(v)) return v;
    return /-----BEGIN /.test(v) ? v : fs.readFileSync(v, 'utf8');
}

// What a case wants to know of a peer certificate (tls.getPeerCertificate()).
function peerSummary(sock) {
    const c = sock.getPeerCertificate ? sock.getPeerCertificate() : null;
    if (!c || !c.subject) return null;
    return {
        subject: c.subject,
        issuer: c.issuer,
        serialNumber: c.serialNumber,
        fingerprint256: c.fingerprint256,
        validTo: c.valid_to,
    };
}

function short(v, n = 400) {
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > n ? s.slice(0, n) + `...(${s.length} chars)` : s;
}

class Csms extends EventEmitter {
    /**
     * @param {object} opts
     * @param {number} [opts.bootInterval=600] interval (s) in the default BootNotification answer
     * @param {number} [opts.firstTransactionId=1] first id the default StartTransaction hands out
     * @param {object} [opts.tls] listen with TLS (wss://): {key, cert, ca?, requestCert?,
     *        requireClientCert?}; PEM text or file paths.  requestCert asks the station for
     *        its client certificate (recorded, not required); requireClientCert refuses
     *        (HTTP 401) a handshake without one that verifies against ca.
     */
    constructor(opts = {}) {
        super();
        this.opts = opts;
        this.bootInterval = opts.bootInterval ?? 600;
        this.txCounter = opts.firstTransactionId ?? 1;
        this.log = [];          // every frame and connection event, in order
        this.violations = [];   // schema and protocol violations: the case fails on any
        this.connections = [];  // handshakes seen (accepted or refused)
        this.client = null;     // the connected charge point (RPCServerClient)
        this.offline = false;
        this.bootAccepted = false;
        this.expectStrayReplies = false; // set by cases that send raw frames without a usable id
        this._persistent = new Map();
        this._once = new Map();
        this._outCalls = new Map();   // id -> action of CALLs we sent
        this._rawIds = new Set();     // ids of frames sent raw by a case
        this._cpCallIds = new Set();  // CALL ids seen on the current connection
        this._cpOutstanding = null;   // the charge point's CALL we have not answered yet
        this._rebootOnNextConnection = false;
        this._triggered = new Map();  // action -> count allowed before Accepted (TriggerMessage)
        this._waiters = new Set();
        // A case may refuse chosen handshakes: (info) => null to go on, or
        // {code, message} to answer the upgrade with that HTTP error.
        this.handshakeFilter = null;
        this.t0 = Date.now();
    }

    get port() { return this._port; }
    /** ws://127.0.0.1:PORT/ocpp, or wss://localhost:PORT/ocpp over TLS (the server certificate names localhost). */
    get url() { return this.tls ? `wss://localhost:${this._port}/ocpp` : `ws://127.0.0.1:${this._port}/ocpp`; }

    now() { return new Date().toISOString(); }
    nextTransactionId() { return this.txCounter++; }

    async start() {
        this.server = new RPCServer({
            protocols: ['ocpp1.6'],
            strictMode: true,
            callTimeoutMs: 10000,
            pingIntervalMs: 30000,
        });
        this.server.auth((accept, reject, hs) => this._onHandshake(accept, reject, hs));
        this.server.on('client', (c) => this._onClient(c));
        if (this.opts.tls) {
            await this._listenTls(this.opts.tls, 0);
        } else {
            this.http = await this.server.listen(0, '127.0.0.1');
            this._port = this.http.address().port;
        }
        return this;
    }

    // ---- TLS -----------------------------------------------------------------

    _tlsOptions(tls) {
        return {
            key: pemOf(tls.key),
            cert: pemOf(tls.cert),
            ca: pemOf(tls.ca),
            requestCert: !!(tls.requestCert || tls.requireClientCert),
            // The decision is ours, per handshake (requireClientCert), so that
            // a station without a certificate is seen and named, not just cut.
            rejectUnauthorized: false,
            minVersion: 'TLSv1.2',
        };
    }

    async _listenTls(tls, port) {
        this.tls = { ...tls };
        const srv = https.createServer(this._tlsOptions(tls), (req, res) => {
            res.statusCode = 404;
            res.end();
        });
        srv.on('upgrade', this.server.handleUpgrade);
        // A station that refuses our certificate ends the TLS handshake with an
        // alert: the server sees it as a client error before any upgrade.
        srv.on('tlsClientError', (err) => {
            this._push({ type: 'TLS_ERROR', code: err.code || '', reason: String(err.message || err).trim() });
        });
        srv.on('secureConnection', (sock) => {
            this._push({ type: 'TLS', authorized: sock.authorized, authorizationError: sock.authorizationError || null,
                protocol: sock.getProtocol(), peer: peerSummary(sock) });
        });
        await new Promise((resolve, reject) => {
            srv.once('error', reject);
            srv.listen(port, '127.0.0.1', () => { srv.off('error', reject); resolve(); });
        });
        this.http = srv;
        this._port = srv.address().port;
    }

    /**
     * Switch a started plain central system to TLS: the ws:// listener closes
     * (its connection is cut) and an https one takes the same port when it is
     * free (another otherwise).  Afterwards `url` is the wss:// one.
     */
    async useTls(tls) {
        const port = this._port;
        this.drop();
        if (this.http) {
            const old = this.http;
            await new Promise((r) => { old.close(() => r()); if (old.closeAllConnections) old.closeAllConnections(); });
        }
        try {
            await this._listenTls(tls, port);
        } catch (e) {
            await this._listenTls(tls, 0);
        }
        return this;
    }

    /**
     * Change the TLS settings for connections from now on (the open one keeps
     * its session until drop()): any of {key, cert, ca, requestCert,
     * requireClientCert}, PEM text or paths.  Swapping key and cert is how a
     * case moves the central system to another server certificate.
     */
    setServerCert(opts) {
        if (!this.tls) throw new Error('setServerCert: the central system does not listen with TLS');
        for (const [k, v] of Object.entries(opts)) if (v !== undefined) this.tls[k] = v;
        const o = this._tlsOptions(this.tls);
        this.http.setSecureContext(o);
        this.http.requestCert = o.requestCert;
        this.http.rejectUnauthorized = false;
        const c = opts.cert;
        if (c !== undefined) this._push({ type: 'TLS_CERT', cert: typeof c === 'string' && !/-----BEGIN /.test(c) ? c : '(PEM text)' });
    }

    /** Handshakes (websocket upgrades) seen from index `since` of connections[]. */
    handshakes(since = 0) { return this.connections.slice(since); }

    async close() {
        for (const w of this._waiters) w.cancel();
        try {
            await this.server.close({ force: true, awaitPending: false });
        } catch (e) { /* already closed */ }
        if (this.http) this.http.close();
        if (this.http && this.http.closeAllConnections) this.http.closeAllConnections();
    }

    // ---- scripting -------------------------------------------------------

    /** Answer every later `action` CALL with `responder` (object, function(params, csms, entry), callError(), NO_REPLY). */
    reply(action, responder) {
        this._persistent.set(action, responder);
        return this;
    }

    /** Queue responders used once each, in order, before the persistent one. */
    replyOnce(action, ...responders) {
        if (!this._once.has(action)) this._once.set(action, []);
        this._once.get(action).push(...responders);
        return this;
    }

    static callError(code, description, details) { return new CallErrorReply(code, description, details); }

    /** The daemon is (re)starting: its next message must be BootNotification. */
    expectBoot() {
        this.bootAccepted = false;
    }

    // ---- offline simulation ----------------------------------------------

    /** Refuse new connections (HTTP 503) and, with drop, cut the current one. */
    setOffline(offline, { drop = true } = {}) {
        this.offline = offline;
        this._push({ type: 'OFFLINE', offline });
        if (offline && drop) this.drop();
    }

    /** Cut the current connection without a close handshake (like a network loss). */
    drop() {
        if (this.client) {
            try { this.client._ws.terminate(); } catch (e) { /* gone */ }
        }
    }

    // ---- calls to the charge point ---------------------------------------

    async waitConnected(timeoutMs = 10000) {
        if (this.client) return this.client;
        await this.waitForEntry((e) => e.type === 'CONNECT', timeoutMs, { since: this.log.length, what: 'a websocket connection from the charge point' });
        return this.client;
    }

    /** CALL the charge point; resolves with the CALLRESULT payload, rejects with an RPC error on CALLERROR. */
    async call(action, payload = {}, { timeoutMs = 10000 } = {}) {
        const c = await this.waitConnected(timeoutMs);
        let res;
        try {
            res = await c.call(action, payload, { callTimeoutMs: timeoutMs });
        } catch (e) {
            // Name the call in the message; keep rpcErrorCode for callError().
            const err = new Error(e.rpcErrorCode
                ? `${action} was answered with CALLERROR ${e.rpcErrorCode}: ${e.message}`
                : `${action} to the charge point failed: ${e.message}`);
            err.rpcErrorCode = e.rpcErrorCode;
            err.harness = true;
            throw err;
        }
        if (action === 'Reset' && res && res.status === 'Accepted') this._rebootOnNextConnection = true;
        if (action === 'TriggerMessage' && res && res.status === 'Accepted') {
            this._triggered.set(payload.requestedMessage, (this._triggered.get(payload.requestedMessage) || 0) + 1);
        }
        return res;
    }

    /** CALL and expect a CALLERROR: resolves with {code, description}; rejects if a CALLRESULT came. */
    async callError(action, payload = {}, opts = {}) {
        try {
            const r = await this.call(action, payload, opts);
            const err = new Error(`expected a CALLERROR for ${action}, got CALLRESULT ${short(r)}`);
            err.result = r;
            throw err;
        } catch (e) {
            if (e.rpcErrorCode) return { code: e.rpcErrorCode, description: e.message };
            throw e;
        }
    }

    /** Send a frame as-is (bypassing the validator); `id` marks replies to it as expected. */
    async sendRaw(text, { id } = {}) {
        const c = await this.waitConnected();
        if (id !== undefined) this._rawIds.add(id);
        c.sendRaw(text);
    }

    /** Wait for the reply (CALLRESULT/CALLERROR) with this id; resolves null if none came in time. */
    async waitReply(id, timeoutMs = 3000, since = 0) {
        try {
            return await this.waitForEntry((e) => e.dir === 'in' && (e.type === 'RESULT' || e.type === 'ERROR') && e.id === id,
                timeoutMs, { since, what: `a reply to id ${short(id, 40)}` });
        } catch (e) {
            return null;
        }
    }

    // ---- looking at what the charge point sent ---------------------------

    mark() { return this.log.length; }

    /** Inbound CALLs of `action` (all actions when null) from index `since`. */
    calls(action, since = 0) {
        return this.log.slice(since).filter((e) => e.dir === 'in' && e.type === 'CALL' && (!action || e.action === action));
    }

    /**
     * Resolves with the first inbound CALL of `action` (from `opts.since`, default the
     * start of the log) for which pred(payload, entry) holds; rejects after timeoutMs
     * with a message naming `opts.rule` when given.
     */
    waitFor(action, pred = null, timeoutMs = 10000, opts = {}) {
        const what = `${action} CALL from the charge point${pred ? ' matching ' + (opts.desc || pred.toString().slice(0, 120)) : ''}`;
        return this.waitForEntry(
            (e) => e.dir === 'in' && e.type === 'CALL' && e.action === action && (!pred || pred(e.payload, e)),
            timeoutMs, { ...opts, what });
    }

    /** Like waitFor, but the entry must arrive after the reply has been sent (entry.reply filled). */
    async waitForAnswered(action, pred = null, timeoutMs = 10000, opts = {}) {
        const e = await this.waitFor(action, pred, timeoutMs, opts);
        const end = Date.now() + 2000;
        while (!e.reply && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
        return e;
    }

    waitForEntry(pred, timeoutMs, { since = 0, what = 'an entry', rule } = {}) {
        for (let i = since; i < this.log.length; i++) if (pred(this.log[i])) return Promise.resolve(this.log[i]);
        return new Promise((resolve, reject) => {
            const w = {
                pred, since,
                resolve: (e) => { clearTimeout(w.timer); this._waiters.delete(w); resolve(e); },
                cancel: () => { clearTimeout(w.timer); this._waiters.delete(w); reject(new Error('central system closed')); },
            };
            w.timer = setTimeout(() => {
                this._waiters.delete(w);
                const err = new Error(`${rule ? rule + ': ' : ''}timed out after ${timeoutMs} ms waiting for ${what}`);
                err.harness = true;
                reject(err);
            }, timeoutMs);
            this._waiters.add(w);
        });
    }

    /** The frame log as text lines (for failure reports). */
    dumpFrames(last = 200) {
        return this.log.slice(-last).map((e) => {
            const t = ((e.t - this.t0) / 1000).toFixed(3).padStart(8);
            if (e.type === 'CONNECT') return `${t} ---- connected ${e.identity} via ${e.endpoint} (protocols ${e.protocols.join(',')})`;
            if (e.type === 'REFUSED') return `${t} ---- refused ${e.identity} (${e.reason})`;
            if (e.type === 'DISCONNECT') return `${t} ---- disconnected (${e.code} ${e.reason || ''})`;
            if (e.type === 'OFFLINE') return `${t} ---- central system ${e.offline ? 'offline' : 'online'}`;
            if (e.type === 'TLS') return `${t} ---- TLS session ${e.protocol}, client certificate ${e.peer ? `CN=${e.peer.subject.CN} by CN=${e.peer.issuer.CN} (${e.authorized ? 'verified' : e.authorizationError})` : 'none'}`;
            if (e.type === 'TLS_ERROR') return `${t} ---- TLS handshake failed: ${e.code} ${e.reason}`;
            if (e.type === 'TLS_CERT') return `${t} ---- central system server certificate now ${e.cert}`;
            return `${t} ${e.dir === 'in' ? 'CP→CS' : 'CS→CP'} ${short(e.raw, 300)}`;
        }).join('\n');
    }

    // ---- internals -------------------------------------------------------

    _push(e) {
        e.t = Date.now();
        e.index = this.log.length;
        this.log.push(e);
        for (const w of Array.from(this._waiters)) {
            if (e.index >= w.since && w.pred(e)) w.resolve(e);
        }
        this.emit('entry', e);
        return e;
    }

    _violation(kind, rule, detail) {
        const v = { t: Date.now(), kind, rule, detail };
        this.violations.push(v);
        this.emit('violation', v);
    }

    _onHandshake(accept, reject, hs) {
        const info = {
            identity: hs.identity,
            endpoint: hs.endpoint,
            protocols: Array.from(hs.protocols),
            authorization: hs.headers.authorization,
            password: hs.password,
        };
        const sock = hs.request && hs.request.socket;
        if (sock && sock.encrypted) {
            // The station's client certificate (security profile 3), as the TLS
            // layer saw it: authorized = it verified against tls.ca.
            info.tls = {
                authorized: sock.authorized,
                authorizationError: sock.authorizationError || null,
                protocol: sock.getProtocol(),
                peer: peerSummary(sock),
            };
        }
        this.connections.push(info);
        if (this.offline) {
            this._push({ type: 'REFUSED', ...info, reason: 'offline' });
            return reject(503, 'Service Unavailable');
        }
        if (this.tls && this.tls.requireClientCert && !(info.tls && info.tls.authorized)) {
            this._push({ type: 'REFUSED', ...info, reason: `no client certificate that verifies (${!info.tls ? 'no TLS' : info.tls.peer ? info.tls.authorizationError : 'none presented'})` });
            return reject(401, 'Unauthorized');
        }
        const refusal = this.handshakeFilter ? this.handshakeFilter(info) : null;
        if (refusal) {
            this._push({ type: 'REFUSED', ...info, reason: refusal.message || `HTTP ${refusal.code || 401}` });
            return reject(refusal.code || 401, refusal.message || 'Unauthorized');
        }
        if (!hs.protocols.has('ocpp1.6')) {
            this._violation('protocol', 'the charge point must offer the subprotocol ocpp1.6 (OCPP-J 1.6 §3.1.2)', info.protocols.join(',') || 'none offered');
            this._push({ type: 'REFUSED', ...info, reason: 'no ocpp1.6 subprotocol' });
            return reject(400, 'Bad Request');
        }
        accept({}, 'ocpp1.6');
    }

    _onClient(c) {
        if (this.client) {
            // A second connection while the first is open: OCPP-J allows one per identity;
            // the newest wins, like most central systems.
            try { this.client._ws.terminate(); } catch (e) { /* gone */ }
        }
        this.client = c;
        this._cpCallIds = new Set();
        this._cpOutstanding = null;
        if (this._rebootOnNextConnection) {
            this._rebootOnNextConnection = false;
            this.bootAccepted = false;
        }
        const hs = c.handshake;
        this._push({ type: 'CONNECT', identity: hs.identity, endpoint: hs.endpoint, protocols: Array.from(hs.protocols) });

        c.on('message', ({ message, outbound }) => this._onFrame(String(message), outbound));
        c.on('strictValidationFailure', (f) => {
            const who = f.outbound ? 'our own' : "the charge point's";
            const what = f.isCall ? `${f.method} request` : `${f.method} response`;
            this._violation('schema', `${who} ${what} must validate against the OCPP 1.6 JSON schema`,
                `${f.error.message} in ${short(f.isCall ? f.params : f.result, 300)}`);
        });
        c.on('badMessage', ({ buffer, error }) => {
            const text = String(buffer);
            let id;
            try { id = JSON.parse(text)[1]; } catch (e) { /* not JSON */ }
            // Replies to frames a case sent raw, and late replies to our own timed-out
            // CALLs, are not the charge point's fault.
            if (this._rawIds.has(id) || this._outCalls.has(id) || this.expectStrayReplies) return;
            this._violation('protocol', 'every frame from the charge point must be valid OCPP-J answering a known id (OCPP-J 1.6 §4)',
                `${error.message}: ${short(text, 300)}`);
        });
        c.once('close', ({ code, reason }) => {
            if (this.client === c) this.client = null;
            this._push({ type: 'DISCONNECT', code, reason: String(reason || '') });
        });
        c.handle(async ({ method, params, messageId }) => this._answer(method, params, messageId));
    }

    _onFrame(text, outbound) {
        let msg;
        try { msg = JSON.parse(text); } catch (e) { msg = null; }
        const e = { dir: outbound ? 'out' : 'in', raw: text };
        if (!Array.isArray(msg) || typeof msg[1] !== 'string') {
            e.type = 'RAW';
            return this._push(e);
        }
        e.id = msg[1];
        if (msg[0] === 2) {
            Object.assign(e, { type: 'CALL', action: msg[2], payload: msg[3] });
            if (outbound) this._outCalls.set(e.id, e.action);
            else this._checkInboundCall(e);
        } else if (msg[0] === 3) {
            Object.assign(e, { type: 'RESULT', payload: msg[2] });
        } else if (msg[0] === 4) {
            Object.assign(e, { type: 'ERROR', errorCode: msg[2], description: msg[3], details: msg[4] });
        } else {
            e.type = 'RAW';
        }
        if (e.type === 'RESULT' || e.type === 'ERROR') {
            if (outbound) {
                // our answer to a charge point CALL
                const call = this._findInboundCall(e.id);
                if (call) {
                    e.action = call.action;
                    call.reply = e;
                    if (call.action === 'BootNotification' && e.type === 'RESULT') this.bootAccepted = e.payload.status === 'Accepted';
                }
                if (this._cpOutstanding && this._cpOutstanding.id === e.id) this._cpOutstanding = null;
            } else {
                e.action = this._outCalls.get(e.id);
            }
        }
        return this._push(e);
    }

    _findInboundCall(id) {
        for (let i = this.log.length - 1; i >= 0; i--) {
            const x = this.log[i];
            if (x.type === 'CONNECT') return null;
            if (x.dir === 'in' && x.type === 'CALL' && x.id === id) return x;
        }
        return null;
    }

    _checkInboundCall(e) {
        if (e.id.length === 0 || e.id.length > MAX_MSG_ID) {
            this._violation('protocol', 'a message id is a non-empty string of at most 36 characters (OCPP-J 1.6 §4.1.3)', e.id);
        }
        if (this._cpCallIds.has(e.id)) {
            this._violation('protocol', 'message ids of CALLs must be unique per connection (OCPP-J 1.6 §4.1.3)', `${e.action} reused id ${e.id}`);
        }
        this._cpCallIds.add(e.id);
        if (this._cpOutstanding && !this._cpOutstanding.noReply) {
            this._violation('protocol', 'the charge point sends at most one CALL at a time (OCPP-J 1.6 §4.1.1)',
                `${e.action} sent while ${this._cpOutstanding.action} (${this._cpOutstanding.id}) was unanswered`);
        }
        this._cpOutstanding = { id: e.id, action: e.action, noReply: false };
        if (e.action !== 'BootNotification' && !this.bootAccepted) {
            const allowance = this._triggered.get(e.action) || 0;
            if (allowance > 0) {
                this._triggered.set(e.action, allowance - 1);
            } else {
                this._violation('protocol', 'nothing but BootNotification before the central system Accepted it (OCPP 1.6 §4.2)',
                    `${e.action} sent before BootNotification was Accepted`);
            }
        }
    }

    async _answer(method, params, messageId) {
        let responder;
        const q = this._once.get(method);
        if (q && q.length) responder = q.shift();
        else if (this._persistent.has(method)) responder = this._persistent.get(method);
        else if (DEFAULTS[method]) responder = DEFAULTS[method];
        else throw createRPCError('NotImplemented', `the test central system has no handler for ${method}`);

        const entry = this._findInboundCall(messageId);
        let result = typeof responder === 'function' ? await responder(params, this, entry) : responder;
        if (result === NO_REPLY) {
            if (this._cpOutstanding && this._cpOutstanding.id === messageId) this._cpOutstanding.noReply = true;
            if (entry) entry.noReply = true;
            return NOREPLY;
        }
        if (result instanceof CallErrorReply) throw createRPCError(result.code, result.description, result.details);
        return result;
    }
}

Csms.NO_REPLY = NO_REPLY;
Csms.DEFAULTS = DEFAULTS;

module.exports = { Csms, NO_REPLY };
