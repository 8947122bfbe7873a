#!/usr/bin/env node
'use strict';
// A deliberately small fake of `ocpp-cp` in Node, speaking the same command
// line and control socket, used only to check the conformance harness itself
// (`make conformance-selftest`).  It is NOT a reference implementation: it
// cuts corners (its error codes are ocpp-rpc's, so the validation cases are
// expected to fail against it, which shows that they can fail).

const fs = require('fs');
const net = require('net');
const path = require('path');
const { RPCClient, createRPCError } = require(require.resolve('ocpp-rpc', { paths: [path.join(__dirname, '..', '..')] }));

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.url || !args.id) { console.error('usage: fake-cp --url URL --id ID'); process.exit(2); }
const N = Number(args.connectors || 2);
const SCALE = Number(args['time-scale'] || 1);
const T0 = Date.now();
const now = () => new Date(T0 + (Date.now() - T0) * SCALE);
const log = (...a) => console.error(new Date().toISOString(), 'fake', ...a);
const later = (s, fn) => setTimeout(fn, (s * 1000) / SCALE);

// ---- persistent state (a JSON file stands in for SQLite) -------------------
const dbPath = args.db || 'fake.db';
let db = { config: {}, queue: [], open: {}, seq: 1 };
try { db = JSON.parse(fs.readFileSync(dbPath, 'utf8')); } catch (e) { /* fresh */ }
const save = () => fs.writeFileSync(dbPath, JSON.stringify(db));
const KEYS = {
    AuthorizeRemoteTxRequests: ['false', true], ClockAlignedDataInterval: ['0'], ConnectionTimeOut: ['60'], ConnectorPhaseRotation: ['0.RST'],
    GetConfigurationMaxKeys: ['64', true], HeartbeatInterval: ['86400'], LocalAuthorizeOffline: ['True'], LocalPreAuthorize: ['False'],
    MeterValuesAlignedData: [''], MeterValuesSampledData: ['Energy.Active.Import.Register'], MeterValueSampleInterval: ['60'],
    NumberOfConnectors: [String(N), true], ResetRetries: ['1'], StopTransactionOnEVSideDisconnect: ['True'], StopTransactionOnInvalidId: ['True'],
    StopTxnAlignedData: [''], StopTxnSampledData: [''], SupportedFeatureProfiles: ['Core', true], TransactionMessageAttempts: ['3'],
    TransactionMessageRetryInterval: ['60'], UnlockConnectorOnEVSideDisconnect: ['True'], AllowOfflineTxForUnknownId: ['False'],
};
if (args.config && !db.provisioned) {
    for (const line of fs.readFileSync(args.config, 'utf8').split('\n')) {
        const m = line.match(/^([^=#]+)=(.*)$/);
        if (m && KEYS[m[1]]) db.config[m[1]] = m[2];
    }
    db.provisioned = true;
}
const cfg = (k) => (k in db.config ? db.config[k] : KEYS[k][0]);
const bool = (v) => /^(true|on)$/i.test(v);

// ---- station -----------------------------------------------------------------
const conns = [];
for (let i = 1; i <= N; i++) conns.push({ id: i, status: 'Available', ev: null, tx: null, energy: 0, tag: null, offered: 0 });
let online = false;
let bootAccepted = false;
let hbTimer = null;

// A transaction running when we died is stopped with PowerLoss.
for (const [c, tx] of Object.entries(db.open)) {
    db.queue.push({ action: 'StopTransaction', localTx: tx.localTx, payload: { meterStop: tx.lastEnergy, timestamp: tx.lastTime, reason: 'PowerLoss' } });
    delete db.open[c];
}
save();

function setStatus(c, status) {
    if (c.status === status) return;
    c.status = status;
    if (bootAccepted) send('StatusNotification', { connectorId: c.id, status, errorCode: 'NoError', timestamp: now().toISOString() });
}

function offeredFor(c) { return c.ev && c.tx ? Math.min(32, 32, c.ev.max_current) : 0; }

function startTx(c, idTag) {
    const localTx = db.seq++;
    c.tx = { localTx, idTag, remote: null };
    db.open[c.id] = { localTx, lastEnergy: Math.round(c.energy), lastTime: now().toISOString() };
    enqueue({ action: 'StartTransaction', localTx, payload: { connectorId: c.id, idTag, meterStart: Math.round(c.energy), timestamp: now().toISOString() } });
    setStatus(c, 'Charging');
    c.sampler = setInterval(() => sample(c), (Number(cfg('MeterValueSampleInterval')) * 1000) / SCALE);
}

function stopTx(c, reason, idTag) {
    if (!c.tx) return;
    clearInterval(c.sampler);
    const p = { meterStop: Math.round(c.energy), timestamp: now().toISOString(), reason };
    if (idTag) p.idTag = idTag;
    enqueue({ action: 'StopTransaction', localTx: c.tx.localTx, payload: p });
    delete db.open[c.id];
    save();
    c.tx = null;
    setStatus(c, c.ev ? 'Finishing' : 'Available');
}

function sample(c) {
    const I = offeredFor(c);
    const phases = c.ev ? c.ev.phases : 0;
    const sv = [];
    for (const m of cfg('MeterValuesSampledData').split(',').filter(Boolean)) {
        if (m === 'Current.Import') for (const ph of ['L1', 'L2', 'L3']) sv.push({ measurand: m, phase: ph, value: String(I), unit: 'A', context: 'Sample.Periodic' });
        else if (m === 'Energy.Active.Import.Register') sv.push({ measurand: m, value: String(Math.round(c.energy)), unit: 'Wh', context: 'Sample.Periodic' });
        else if (m === 'Current.Offered') sv.push({ measurand: m, value: String(I), unit: 'A', context: 'Sample.Periodic' });
        else if (m === 'Power.Active.Import') sv.push({ measurand: m, value: String(230 * I * phases), unit: 'W', context: 'Sample.Periodic' });
        else if (m === 'Voltage') sv.push({ measurand: m, value: '230', unit: 'V', context: 'Sample.Periodic' });
    }
    db.open[c.id] = { localTx: c.tx.localTx, lastEnergy: Math.round(c.energy), lastTime: now().toISOString() };
    enqueue({ action: 'MeterValues', localTx: c.tx.localTx, payload: { connectorId: c.id, meterValue: [{ timestamp: now().toISOString(), sampledValue: sv }] } });
}

// Energy integration on the scaled clock.
let lastTick = Date.now();
setInterval(() => {
    const dtH = ((Date.now() - lastTick) * SCALE) / 3600000;
    lastTick = Date.now();
    for (const c of conns) {
        c.offered = offeredFor(c);
        if (c.ev && c.tx) c.energy += 230 * c.offered * c.ev.phases * dtH;
    }
}, 100);

// ---- OCPP -------------------------------------------------------------------
const cli = new RPCClient({
    endpoint: args.url, identity: args.id, protocols: ['ocpp1.6'], strictMode: true,
    backoff: { initialDelay: 300, maxDelay: 2000, factor: 2, randomisationFactor: 0.2 },
});

function send(action, payload) {
    if (!online) return Promise.resolve(null);
    return cli.call(action, payload).catch((e) => { log('call failed', action, e.message); return null; });
}

function enqueue(m) { db.queue.push(m); save(); flush(); }

let flushing = false;
async function flush() {
    if (flushing || !online || !bootAccepted) return;
    flushing = true;
    try {
        while (db.queue.length && online) {
            const m = db.queue[0];
            const p = { ...m.payload };
            if (m.action !== 'StartTransaction') {
                const remote = db.remote && db.remote[m.localTx];
                if (remote === undefined) { db.queue.shift(); continue; }
                p.transactionId = remote;
            }
            const r = await cli.call(m.action, p).catch(() => null);
            if (!r) break;
            if (m.action === 'StartTransaction') {
                db.remote = db.remote || {};
                db.remote[m.localTx] = r.transactionId;
                for (const c of conns) if (c.tx && c.tx.localTx === m.localTx) c.tx.remote = r.transactionId;
            }
            db.queue.shift();
            save();
        }
    } finally { flushing = false; }
}

async function boot() {
    const r = await send('BootNotification', { chargePointVendor: 'Fake', chargePointModel: 'FakeCP', chargePointSerialNumber: args.id });
    if (!r) return;
    if (r.status === 'Accepted') {
        bootAccepted = true;
        for (const c of conns) send('StatusNotification', { connectorId: c.id, status: c.status, errorCode: 'NoError' });
        db.config.HeartbeatInterval = db.config.HeartbeatInterval || String(r.interval);
        armHeartbeat(Number(cfg('HeartbeatInterval')));
        flush();
    } else {
        later(r.interval || 10, boot);
    }
}

function armHeartbeat(s) {
    clearInterval(hbTimer);
    if (s > 0) hbTimer = setInterval(() => send('Heartbeat', {}), (s * 1000) / SCALE);
}

cli.on('open', () => { online = true; if (!bootAccepted) boot(); else flush(); });
cli.on('close', () => { online = false; });
cli.on('disconnect', () => { online = false; });

cli.handle('GetConfiguration', ({ params }) => {
    const keys = params.key && params.key.length ? params.key : Object.keys(KEYS);
    const known = keys.filter((k) => KEYS[k]);
    const r = { configurationKey: known.map((k) => ({ key: k, readonly: !!KEYS[k][1], value: cfg(k) })) };
    const unknown = keys.filter((k) => !KEYS[k]);
    if (unknown.length) r.unknownKey = unknown;
    return r;
});
cli.handle('ChangeConfiguration', ({ params }) => {
    const def = KEYS[params.key];
    if (!def) return { status: 'NotSupported' };
    if (def[1]) return { status: 'Rejected' };
    let v = params.value;
    if (/^(True|False)$/.test(def[0])) { if (!/^(true|false)$/i.test(v)) return { status: 'Rejected' }; v = bool(v) ? 'True' : 'False'; }
    if (/^\d+$/.test(def[0]) && !/^\d+$/.test(v)) return { status: 'Rejected' };
    if (/Data$/.test(params.key) && v.split(',').some((m) => m && !/^(Energy|Current|Power|Voltage)\./.test(m) && m !== 'Voltage')) return { status: 'Rejected' };
    db.config[params.key] = v;
    save();
    if (params.key === 'HeartbeatInterval') armHeartbeat(Number(v));
    return { status: 'Accepted' };
});
cli.handle('RemoteStartTransaction', ({ params }) => {
    const c = conns.find((x) => x.id === (params.connectorId || 1));
    if (!c || c.tx) return { status: 'Rejected' };
    if (c.ev) setImmediate(() => startTx(c, params.idTag)); else c.tag = params.idTag;
    return { status: 'Accepted' };
});
cli.handle('RemoteStopTransaction', ({ params }) => {
    const c = conns.find((x) => x.tx && x.tx.remote === params.transactionId);
    if (!c) return { status: 'Rejected' };
    setImmediate(() => stopTx(c, 'Remote'));
    return { status: 'Accepted' };
});
cli.handle('Reset', ({ params }) => {
    setImmediate(async () => {
        for (const c of conns) stopTx(c, params.type === 'Hard' ? 'HardReset' : 'SoftReset');
        await new Promise((r) => setTimeout(r, 300));
        // "re-exec": forget the session, keep the process and the database
        bootAccepted = false;
        for (const c of conns) { c.ev = null; c.status = 'Available'; c.tag = null; }
        await cli.close({ force: true });
        cli.connect().catch(() => {});
    });
    return { status: 'Accepted' };
});
cli.handle(({ method }) => { throw createRPCError('NotImplemented', `fake: ${method}`); });

cli.connect().catch((e) => log('connect failed', e.message));

// ---- control socket ---------------------------------------------------------
const sock = args.control;
if (sock) {
    try { fs.unlinkSync(sock); } catch (e) { /* none */ }
    net.createServer((s) => {
        let buf = '';
        s.on('data', (d) => {
            buf += d;
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                let r;
                try { r = control(JSON.parse(line)); } catch (e) { r = { ok: false, error: e.message }; }
                s.write(JSON.stringify(r) + '\n');
            }
        });
        s.on('error', () => {});
    }).listen(sock);
}

function control(req) {
    const c = conns.find((x) => x.id === req.connector);
    switch (req.cmd) {
    case 'status':
        return {
            ok: true, online, now: now().toISOString(),
            connectors: conns.map((x) => ({
                id: x.id, ocpp_status: x.status, pilot: x.ev ? (x.tx ? 'C2' : 'B1') : 'A', offered_a: x.offered,
                import_a: [0, 1, 2].map((i) => (x.ev && x.tx && i < x.ev.phases ? x.offered : 0)),
                energy_wh: Math.round(x.energy), transaction_id: x.tx ? x.tx.remote : null,
            })),
        };
    case 'plug':
        if (!c) return { ok: false, error: 'no such connector' };
        c.ev = { phases: req.phases || 3, min_current: req.min_current || 6, max_current: req.max_current || 32 };
        if (c.tag) { const t = c.tag; c.tag = null; setStatus(c, 'Preparing'); startTx(c, t); } else setStatus(c, 'Preparing');
        return { ok: true };
    case 'unplug':
        if (!c) return { ok: false, error: 'no such connector' };
        c.ev = null;
        if (c.tx) stopTx(c, 'EVDisconnected');
        setStatus(c, 'Available');
        return { ok: true };
    case 'tag':
        if (!c) return { ok: false, error: 'no such connector' };
        (async () => {
            if (c.tx) {
                if (c.tx.idTag === req.id_tag) stopTx(c, 'Local', req.id_tag);
                return;
            }
            let ok;
            if (online && bootAccepted) {
                const r = await send('Authorize', { idTag: req.id_tag });
                ok = r && r.idTagInfo.status === 'Accepted';
            } else {
                ok = bool(cfg('AllowOfflineTxForUnknownId'));
            }
            if (!ok) return;
            if (c.ev) startTx(c, req.id_tag); else { c.tag = req.id_tag; setStatus(c, 'Preparing'); }
        })();
        return { ok: true };
    default:
        return { ok: false, error: `unknown command ${req.cmd}` };
    }
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { save(); process.exit(0); });
