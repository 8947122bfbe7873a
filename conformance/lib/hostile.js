'use strict';
// A hostile network between the charge point and the central system, for
// the hostile_* cases: a TCP proxy on the loopback that the daemon's --url
// points at.  Each new connection is handled by the mode of the moment:
//   'stall'  accept the TCP connection, read nothing, answer nothing (a
//            server that never completes the HTTP upgrade);
//   'pass'   pipe both ways to the real central system.
// A connection in 'pass' mode can be cut in the middle of a websocket frame:
// cutMidFrame() writes the first bytes of a server-to-client frame (RFC 6455
// section 5.2: unmasked, FIN, text, a 16-bit length) and closes the TCP
// connection before the rest arrives.

const net = require('net');

class HostileProxy {
    /** @param {number} targetPort the real central system's port on 127.0.0.1 */
    constructor(targetPort, { mode = 'pass' } = {}) {
        this.targetPort = targetPort;
        this.mode = mode;
        this.stalled = [];     // sockets held open in 'stall' mode
        this.passed = [];      // {client, upstream} pairs in 'pass' mode
        this.accepted = [];    // {t, mode} of every TCP connection taken
    }

    get port() { return this._port; }
    url(path = '/ocpp') { return `ws://127.0.0.1:${this._port}${path}`; }

    async start() {
        this.server = net.createServer((sock) => this._onConnection(sock));
        await new Promise((res) => this.server.listen(0, '127.0.0.1', res));
        this._port = this.server.address().port;
        return this;
    }

    setMode(mode) { this.mode = mode; }

    _onConnection(sock) {
        this.accepted.push({ t: Date.now(), mode: this.mode });
        sock.on('error', () => {});
        if (this.mode === 'stall') {
            sock.pause(); // read nothing: the request sits in the kernel buffer
            this.stalled.push(sock);
            return;
        }
        const upstream = net.connect(this.targetPort, '127.0.0.1');
        upstream.on('error', () => sock.destroy());
        sock.on('close', () => upstream.destroy());
        upstream.on('close', () => sock.destroy());
        sock.pipe(upstream);
        upstream.pipe(sock);
        this.passed.push({ client: sock, upstream });
    }

    /** The newest piped connection that is still open, or null. */
    current() {
        for (let i = this.passed.length - 1; i >= 0; i--) {
            const p = this.passed[i];
            if (!p.client.destroyed) return p;
        }
        return null;
    }

    /**
     * Sends the charge point the first `sent` bytes of a text frame that
     * announces `announced` payload bytes (optionally as a non-final
     * fragment), then cuts the TCP connection.  Use only while the
     * connection is idle, so no real frame is split by the injection.
     */
    cutMidFrame({ announced = 1000, sent = 20, fin = true } = {}) {
        const p = this.current();
        if (!p) throw new Error('hostile proxy: no open connection to cut');
        const head = Buffer.from([(fin ? 0x80 : 0x00) | 0x1, 126, announced >> 8, announced & 0xff]);
        p.upstream.unpipe(p.client);
        p.client.write(Buffer.concat([head, Buffer.alloc(sent, 0x5b)]), () => {
            p.client.destroy();
            p.upstream.destroy();
        });
    }

    async close() {
        for (const s of this.stalled) s.destroy();
        for (const p of this.passed) { p.client.destroy(); p.upstream.destroy(); }
        await new Promise((res) => this.server.close(() => res()));
    }
}

/** The daemon's resident set size in kB (Linux /proc), or null. */
function rssKb(pid) {
    try {
        const m = require('fs').readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
        return m ? Number(m[1]) : null;
    } catch (e) {
        return null;
    }
}

/** True when the process runs under AddressSanitizer (its quarantine
 * holds freed memory, so RSS is no measure of a leak there). */
function sanitized(pid) {
    try {
        return /libasan|libtsan|libubsan/.test(require('fs').readFileSync(`/proc/${pid}/maps`, 'utf8'));
    } catch (e) {
        return false;
    }
}

module.exports = { HostileProxy, rssKb, sanitized };
