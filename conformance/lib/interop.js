'use strict';
// Central system behaviour seen in the field that the strict test central
// system (lib/csms.js) would refuse to produce itself: answers carrying
// vendor properties, and a bare HTTP server that records the websocket
// upgrade request a charge point makes.

const http = require('http');
const { NO_REPLY } = require('./csms');

/**
 * A responder for csms.reply() that answers with the CALLRESULT payload
 * fn(params, csms, entry) sent as a raw frame.  ocpp-rpc in strict mode
 * refuses to send a response that fails the schema (an extra property
 * does), so the frame bypasses it; the frame log still records it as the
 * reply (entry.reply).
 */
function rawResult(fn) {
    return (params, csms, entry) => {
        const payload = typeof fn === 'function' ? fn(params, csms, entry) : fn;
        csms.sendRaw(JSON.stringify([3, entry.id, payload])).catch((e) => {
            csms._violation('harness', 'the raw CALLRESULT could be sent', e.message);
        });
        return NO_REPLY;
    };
}

/**
 * An HTTP server on a free loopback port that records every request it gets
 * (request line, raw header pairs) and answers each with `status` (503 by
 * default: the charge point retries later, as after any failed attempt).
 * Resolves with {port, requests, waitRequest(timeoutMs), close()}.
 */
async function recordingServer({ status = 503 } = {}) {
    const requests = [];
    const waiters = [];
    const record = (req) => {
        const headers = [];
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
        const r = { method: req.method, url: req.url, httpVersion: req.httpVersion, headers };
        requests.push(r);
        for (const w of waiters.splice(0)) w(r);
    };
    const server = http.createServer((req, res) => {
        record(req);
        res.writeHead(status, { Connection: 'close' });
        res.end();
    });
    server.on('upgrade', (req, socket) => {
        record(req);
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] || 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        port: server.address().port,
        requests,
        waitRequest(timeoutMs = 10000) {
            if (requests.length) return Promise.resolve(requests[0]);
            return new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`no HTTP request within ${timeoutMs} ms`)), timeoutMs);
                waiters.push((r) => { clearTimeout(timer); resolve(r); });
            });
        },
        close() {
            if (server.closeAllConnections) server.closeAllConnections();
            return new Promise((resolve) => server.close(() => resolve()));
        },
    };
}

/** The values of header `name` (case-insensitive) in a recorded request. */
function headerValues(req, name) {
    return req.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

module.exports = { rawResult, recordingServer, headerValues };
