'use strict';
// The websocket upgrade request, as a bare HTTP server sees it (no websocket
// library in between to normalise it):
//  - a base URL with a query string keeps it after the path, and the identity
//    is the last path segment before it (OCPP-J 1.6 §3.1.1; RFC 3986 §3:
//    the query follows the path), percent-encoded;
//  - Host carries the port when it is not the scheme's default (RFC 6455
//    §4.1 with RFC 7230 §5.4; a ws:// URL on a random port is such a case,
//    the default-port form is covered by the unit test of ws_url_parse);
//  - no Origin header: that is for browser clients (RFC 6455 §4.1, §10.2),
//    and central systems that restrict origins refuse a connection with one.
const { recordingServer, headerValues } = require('../lib/interop');

const ID = 'CP 01/x';		// a space and a slash: percent-encoded as before
const ID_ENC = 'CP%2001%2Fx';

let server;

module.exports = {
    title: 'URL with a query string: identity before the query; Host with a non-default port; no Origin',
    connectors: 1,
    extraArgs: ['--id', ID],
    timeoutMs: 20000,
    async setup(t) {
        server = await recordingServer();
        t.cp.o.url = `ws://127.0.0.1:${server.port}/ocpp?token=abc&x=%2F`;
    },
    async run(t) {
        try {
            const req = await server.waitRequest(10000);
            t.equal(req.method, 'GET', 'the websocket upgrade is a GET (RFC 6455 §4.1)');
            t.equal(req.url, `/ocpp/${ID_ENC}?token=abc&x=%2F`,
                'the identity is the last path segment, before the query string, which is kept as given (OCPP-J 1.6 §3.1.1, RFC 3986 §3)');
            t.equal(headerValues(req, 'Host'), [`127.0.0.1:${server.port}`],
                'one Host header, with the port when it is not the default one of the scheme (RFC 6455 §4.1, RFC 7230 §5.4)');
            t.equal(headerValues(req, 'Origin'), [], 'no Origin header: a charge point is not a browser (RFC 6455 §4.1, §10.2)');
            t.equal(headerValues(req, 'Sec-WebSocket-Protocol'), ['ocpp1.6'], 'the ocpp1.6 subprotocol is offered (OCPP-J 1.6 §3.1.2)');
        } finally {
            await server.close();
        }
    },
};
