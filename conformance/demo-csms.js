#!/usr/bin/env node
'use strict';
// A small friendly central system for the demo (README command 1): accepts
// every boot, authorizes every tag, hands out transaction ids, and prints each
// message compactly, one line each.  Strict mode stays on, so a message from
// the charge point that breaks the OCPP 1.6 schema is printed as such.
//
//   node conformance/demo-csms.js [--port N] [--port-file PATH] [--interval S]
//
// --port 0 (default) picks a free port; the URL is printed on the first line
// and, with --port-file, written to that file for scripts.

const fs = require('fs');
const path = require('path');
const { RPCServer } = require(require.resolve('ocpp-rpc', { paths: [path.join(__dirname, '..'), process.cwd()] }));

const opt = { port: 0, portFile: null, interval: 300 };
for (let i = 2; i < process.argv.length; i++) {
    const a = process.argv[i];
    if (a === '--port') opt.port = Number(process.argv[++i]);
    else if (a === '--port-file') opt.portFile = process.argv[++i];
    else if (a === '--interval') opt.interval = Number(process.argv[++i]);
    else { console.error(`usage: demo-csms.js [--port N] [--port-file PATH] [--interval S]`); process.exit(2); }
}

let nextTx = 1;
const hhmmss = () => new Date().toISOString().slice(11, 19);

// One line per message: the interesting fields only.
function summary(method, p) {
    switch (method) {
    case 'BootNotification': return `${p.chargePointVendor} ${p.chargePointModel}${p.firmwareVersion ? ' fw ' + p.firmwareVersion : ''}`;
    case 'StatusNotification': return `connector ${p.connectorId} ${p.status}${p.errorCode && p.errorCode !== 'NoError' ? ' ' + p.errorCode : ''}${p.info ? ' (' + p.info + ')' : ''}`;
    case 'Authorize': return `idTag ${p.idTag}`;
    case 'StartTransaction': return `connector ${p.connectorId} idTag ${p.idTag} meterStart ${p.meterStart} Wh`;
    case 'StopTransaction': return `tx ${p.transactionId} reason ${p.reason || 'Local'} meterStop ${p.meterStop} Wh`;
    case 'MeterValues': {
        const parts = [];
        for (const mv of p.meterValue || []) {
            for (const sv of mv.sampledValue || []) {
                const m = (sv.measurand || 'Energy.Active.Import.Register').replace('Energy.Active.Import.Register', 'E')
                    .replace('Current.Import', 'I').replace('Current.Offered', 'Ioff').replace('Power.Active.Import', 'P').replace('Voltage', 'U');
                parts.push(`${m}${sv.phase ? '.' + sv.phase : ''}=${sv.value}${sv.unit || ''}`);
            }
        }
        return `connector ${p.connectorId}${p.transactionId !== undefined ? ' tx ' + p.transactionId : ''} ${parts.join(' ')}`;
    }
    case 'Heartbeat': return '';
    default: return JSON.stringify(p).slice(0, 160);
    }
}

const answers = {
    BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: opt.interval }),
    Heartbeat: () => ({ currentTime: new Date().toISOString() }),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StartTransaction: () => ({ transactionId: nextTx++, idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
};

async function main() {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client) => {
        const id = client.identity;
        console.log(`${hhmmss()} ${id} connected`);
        client.on('close', () => console.log(`${hhmmss()} ${id} disconnected`));
        client.on('strictValidationFailure', (f) => console.log(`${hhmmss()} ${id} SCHEMA VIOLATION in ${f.method}: ${f.error.message}`));
        client.handle(({ method, params }) => {
            const reply = answers[method] ? answers[method](params) : {};
            const extra = method === 'StartTransaction' ? ` -> tx ${reply.transactionId}` : '';
            console.log(`${hhmmss()} ${id} ${method} ${summary(method, params)}${extra}`);
            return reply;
        });
    });
    const http = await server.listen(opt.port, '127.0.0.1');
    const url = `ws://127.0.0.1:${http.address().port}/ocpp`;
    console.log(`demo central system listening on ${url}`);
    if (opt.portFile) fs.writeFileSync(opt.portFile, String(http.address().port));
    const stop = async () => { await server.close({ force: true }); process.exit(0); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
