'use strict';
// The installer page's HTTP API (docs/http.md), with a real HTTP client
// against the running daemon: every endpoint, HTTP Basic auth (RFC 7617) with
// 401 and nothing changed on wrong or missing credentials, the same answers
// as over OCPP, Installer-Password never readable, the live websocket.
const fs = require('fs');
const path = require('path');
const http = require('http');
const WebSocket = require('ws');
const { bootAccepted } = require('../lib/steps');
const { freePort } = require('../lib/util');

const PW = 'secret-pw-1';

function request(port, method, p, { auth = `installer:${PW}`, body, chunked = false } = {}) {
    return new Promise((resolve, reject) => {
        const headers = {};
        if (auth !== null) headers.Authorization = 'Basic ' + Buffer.from(auth).toString('base64');
        const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        if (text !== undefined) {
            headers['Content-Type'] = 'application/json';
            if (!chunked) headers['Content-Length'] = Buffer.byteLength(text);
        }
        const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { data += c; });
            res.on('end', () => {
                let json = null;
                try { json = JSON.parse(data); } catch (e) { /* a file */ }
                resolve({ code: res.statusCode, headers: res.headers, text: data, json });
            });
        });
        req.on('error', reject);
        if (text !== undefined) req.write(text);
        req.end();
    });
}

module.exports = {
    title: 'HTTP API: status, config get/put (the ChangeConfiguration path), composite, frames, live websocket; Basic auth, 401 changes nothing',
    timeScale: 10,
    connectors: 2,
    config: { 'Installer-Password': PW },
    autoStart: false,
    timeoutMs: 60000,
    async run(t) {
        const port = await freePort();
        const root = path.join(t.dir, 'web');
        fs.mkdirSync(root);
        fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>page</title>');
        t.cp.o.extraArgs = ['--http', `127.0.0.1:${port}`, '--http-root', root];
        await t.start();
        await bootAccepted(t);

        // Credentials.
        for (const [what, auth] of [['no', null], ['a wrong password', 'installer:nope'], ['another user', `admin:${PW}`]]) {
            const r = await request(port, 'GET', '/api/status', { auth });
            t.equal(r.code, 401, `${what} credentials → 401 (RFC 7617)`);
            t.ok(/^Basic realm=/.test(r.headers['www-authenticate'] || ''), `${what} credentials: the 401 asks for Basic (WWW-Authenticate)`, r.headers);
        }
        const before = (await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value;
        const denied = await request(port, 'PUT', '/api/config/HeartbeatInterval', { auth: 'installer:nope', body: { value: '77' } });
        t.equal(denied.code, 401, 'a PUT with wrong credentials → 401');
        const after = (await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value;
        t.equal(after, before, 'and nothing changed (GetConfiguration over OCPP)');

        // Status: the control socket's object.
        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await t.sleep(300);
        const st = await request(port, 'GET', '/api/status');
        t.equal(st.code, 200, 'GET /api/status → 200');
        t.equal(st.headers['content-type'], 'application/json', 'JSON');
        const ctl = await t.cp.status();
        t.equal(st.json.connectors.length, 2, 'one entry per socket');
        for (const f of ['id', 'ocpp_status', 'pilot', 'offered_a', 'import_a', 'binding', 'balancing'])
            t.ok(f in st.json.connectors[0], `status connectors carry ${f} (the control socket's names)`);
        t.equal(st.json.connectors[0].pilot, ctl.connectors[0].pilot, 'the same pilot state as the control socket (one vocabulary)');
        t.equal(st.json.connectors[0].ocpp_status, 'Preparing', 'the plugged socket shows Preparing');
        t.equal(st.json.online, true, 'station data: online');
        t.equal(st.json.boot, 'Accepted', 'station data: registration');
        t.equal(st.json.security_profile, 0, 'station data: security profile');

        // Config: GetConfiguration's shape; write-only keys without a value.
        const cfg = await request(port, 'GET', '/api/config');
        t.equal(cfg.code, 200, 'GET /api/config → 200');
        const keys = cfg.json.configurationKey;
        const hb = keys.find((k) => k.key === 'HeartbeatInterval');
        t.equal(hb.value, before, 'the same value as GetConfiguration over OCPP');
        const ip = keys.find((k) => k.key === 'Installer-Password');
        t.ok(ip && !('value' in ip), 'Installer-Password is listed without a value (write-only)', ip);
        t.ok(!cfg.text.includes(PW) && !cfg.text.includes('pbkdf2'), 'neither the password nor its hash is ever shown');
        const overOcpp = await t.csms.call('GetConfiguration', { key: ['Installer-Password'] });
        t.equal(JSON.stringify(overOcpp.unknownKey), JSON.stringify(['Installer-Password']), 'over OCPP the key is not readable either');

        // PUT: exactly the ChangeConfiguration path.
        const bad = await request(port, 'PUT', '/api/config/HeartbeatInterval', { body: { value: 'abc' } });
        const badOcpp = await t.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'abc' });
        t.equal(bad.json.status, 'Rejected', 'a bad value → Rejected');
        t.equal(bad.json.status, badOcpp.status, 'the same answer as ChangeConfiguration over OCPP');
        t.ok(bad.json.reason, 'with the reason', bad.json);
        const good = await request(port, 'PUT', '/api/config/HeartbeatInterval', { body: { value: '120' } });
        t.equal(good.json.status, 'Accepted', 'a good value → Accepted');
        const now = (await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value;
        t.equal(now, '120', 'and the central system reads it back (stored, applied)');
        const unknown = await request(port, 'PUT', '/api/config/NoSuchKey', { body: { value: '1' } });
        t.equal(unknown.json.status, 'NotSupported', 'an unknown key → NotSupported');
        const noBody = await request(port, 'PUT', '/api/config/HeartbeatInterval', { body: '{"v":1}' });
        t.equal(noBody.code, 400, 'a body without "value" → 400');
        const chunked = await request(port, 'PUT', '/api/config/HeartbeatInterval', { body: { value: '90' }, chunked: true });
        t.equal(chunked.code, 411, 'a chunked body → 411 Length Required, nothing changed');
        t.equal((await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value, '120', 'still 120');

        // A new password applies at once; the old one is refused.
        const pw2 = await request(port, 'PUT', '/api/config/Installer-Password', { body: { value: 'second-pw-22' } });
        t.equal(pw2.json.status, 'Accepted', 'Installer-Password can be changed through the API');
        t.equal((await request(port, 'GET', '/api/status')).code, 401, 'the old password no longer works');
        t.equal((await request(port, 'GET', '/api/status', { auth: 'installer:second-pw-22' })).code, 200, 'the new one does');
        await request(port, 'PUT', '/api/config/Installer-Password', { auth: 'installer:second-pw-22', body: { value: PW } });

        // Composite: GetCompositeSchedule's shape.
        const comp = await request(port, 'GET', '/api/composite?connector=1&duration=600&unit=A');
        const compOcpp = await t.csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600, chargingRateUnit: 'A' });
        t.equal(comp.json.status, 'Accepted', 'GET /api/composite → Accepted');
        t.equal(JSON.stringify(comp.json.chargingSchedule.chargingSchedulePeriod), JSON.stringify(compOcpp.chargingSchedule.chargingSchedulePeriod),
            'the same periods as GetCompositeSchedule over OCPP');
        t.equal((await request(port, 'GET', '/api/composite?connector=7&duration=600')).code, 400, 'a connector that does not exist → 400');
        t.equal((await request(port, 'GET', '/api/composite?connector=1&duration=60&unit=kW')).code, 400, 'a unit other than A or W → 400');

        // Frames: the last N, both directions.
        const fr = await request(port, 'GET', '/api/frames?n=5');
        t.equal(fr.json.frames.length, 5, 'GET /api/frames?n=5 → five frames');
        t.ok(fr.json.frames.some((f) => f.dir === 'in') && fr.json.frames.some((f) => f.dir === 'out'), 'in and out');
        t.ok(fr.json.frames.some((f) => f.text.includes('GetCompositeSchedule')), 'the newest frames (the GetCompositeSchedule just sent)');
        const all = await request(port, 'GET', '/api/frames?n=200');
        t.ok(!all.text.includes('second-pw-22'), 'secrets never reach the frame list');
        t.equal((await request(port, 'GET', '/api/frames?n=0')).code, 400, 'n outside 1..200 → 400');

        // Static files and unknown paths.
        const page = await request(port, 'GET', '/');
        t.equal(page.code, 200, 'GET / serves the page');
        t.ok(page.text.includes('<title>page</title>'), 'from --http-root');
        t.equal((await request(port, 'GET', '/../../etc/passwd')).code, 404, 'no path outside the root');
        t.equal((await request(port, 'GET', '/api/nothing')).code, 404, 'an unknown endpoint → 404');
        t.equal((await request(port, 'DELETE', '/api/status')).code, 405, 'a method an endpoint does not take → 405');

        // Live: a status at once, at 1 Hz, and at a change.
        const auth = 'Basic ' + Buffer.from(`installer:${PW}`).toString('base64');
        await new Promise((resolve) => {
            const bad = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { Authorization: 'Basic eDp5' } });
            bad.on('open', () => { t.fail('a websocket with wrong credentials is refused'); bad.close(); resolve(); });
            bad.on('error', () => { t.ok(true, 'a websocket upgrade with wrong credentials is refused'); resolve(); });
        });
        const msgs = [];
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { Authorization: auth } });
        ws.on('message', (m) => msgs.push({ at: Date.now(), s: JSON.parse(m) }));
        await new Promise((res, rej) => { ws.on('open', res); ws.on('error', rej); });
        await t.sleep(2600);
        t.ok(msgs.length >= 3 && msgs.length <= 5, 'a status at once and then about one per second', msgs.length);
        const n0 = msgs.length, unplugAt = Date.now();
        await t.cp.unplug(1);
        const end = Date.now() + 2000;
        while (!msgs.slice(n0).some((m) => m.s.connectors[0].pilot === 'A') && Date.now() < end) await t.sleep(20);
        const seen = msgs.slice(n0).find((m) => m.s.connectors[0].pilot === 'A');
        t.ok(seen, 'the change (unplug) arrives on the live feed');
        t.ok(seen && seen.at - unplugAt < 600, 'within moments, not at the next second', seen && seen.at - unplugAt);
        ws.close();
    },
};
