'use strict';
// OCPP 1.6 Security Whitepaper, "Migrate to new Security Profile": a raised
// SecurityProfile is tried; when the station cannot connect with it within a
// bound (--security-fallback, here 5 s) it goes back to the previous profile
// rather than stay offline, stores that, and reports it.  A raise that does
// connect is kept.
const { testCertificate } = require('../lib/tls');
const fs = require('fs');
const https = require('https');
const { RPCServer } = require('ocpp-rpc');

const KEY = '00112233445566778899aabbccddeeff00112233';

module.exports = {
    title: 'SecurityProfile raised to 2: no connection within --security-fallback → back to 1, stored and reported; a raise that connects is kept',
    timeScale: 1,
    connectors: 1,
    config: { AuthorizationKey: KEY, SecurityProfile: '1' },
    autoStart: false,
    timeoutMs: 60000,
    async run(t) {
        const { keyPem, certPem } = testCertificate(t);
        let refuse = false;
        const events = [];
        const clients = [];
        const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
        server.auth((accept, reject) => (refuse ? reject(401) : accept()));
        server.on('client', (client) => {
            clients.push(client);
            client.handle(({ method, params }) => {
                if (method === 'BootNotification')
                    return { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() };
                if (method === 'Heartbeat') return { currentTime: new Date().toISOString() };
                if (method === 'SecurityEventNotification') events.push(params);
                return {};
            });
        });
        const hsrv = https.createServer({ key: fs.readFileSync(keyPem), cert: fs.readFileSync(certPem) });
        hsrv.on('upgrade', server.handleUpgrade);
        await new Promise((res) => hsrv.listen(0, '127.0.0.1', res));
        const port = hsrv.address().port;
        const waitFor = async (what, pred, ms) => {
            const end = Date.now() + ms;
            while (!pred() && Date.now() < end) await t.sleep(100);
            t.ok(pred(), what);
        };
        const profile = async () => {
            const c = clients[clients.length - 1];
            const r = await c.call('GetConfiguration', { key: ['SecurityProfile'] });
            return r.configurationKey[0].value;
        };
        try {
            t.cp.o.url = `wss://localhost:${port}/ocpp`;
            t.cp.o.extraArgs = ['--ca-file', certPem, '--security-fallback', '5'];
            await t.cp.start();
            await waitFor('setup: the station connects with profile 1 over wss://', () => clients.length >= 1, 10000);
            await t.sleep(500);

            // The raise is accepted; then the central system refuses every
            // connection (as it would a wrong client certificate).
            refuse = true;
            const r = await clients[0].call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' });
            t.equal(r.status, 'Accepted', 'SecurityProfile 1 -> 2 with its prerequisites is Accepted (whitepaper: raise)');
            await waitFor('the station closes the connection to reconnect with the new profile',
                () => clients[0].state !== 1, 5000);
            const raisedAt = Date.now();
            await t.sleep(7000);
            refuse = false;
            await waitFor('after the fall-back the station connects again', () => clients.length >= 2, 20000);
            t.ok(Date.now() - raisedAt >= 5000, 'it did not give up on the new profile before --security-fallback');
            t.equal(await profile(), '1', 'the station went back to SecurityProfile 1 and stored it (the one way down is its own fall-back)');
            await waitFor('the raise and the fall-back are reported (ReconfigurationOfSecurityParameters)',
                () => events.filter((e) => e.type === 'ReconfigurationOfSecurityParameters').length >= 2, 10000);
            const back = events.find((e) => e.type === 'ReconfigurationOfSecurityParameters' && /back to 1/.test(e.techInfo || ''));
            t.ok(back, 'the fall-back event says which profile the station went back to', events);

            // A raise that connects is kept, across the trial's end.
            const n = clients.length;
            const r2 = await clients[n - 1].call('ChangeConfiguration', { key: 'SecurityProfile', value: '2' });
            t.equal(r2.status, 'Accepted', 'the same raise, now with the central system accepting');
            await waitFor('the station reconnects with profile 2', () => clients.length > n, 10000);
            await t.sleep(6500);
            t.equal(clients.length, n + 1, 'no further reconnect: the profile that connected is confirmed');
            t.equal(await profile(), '2', 'SecurityProfile stays 2 after the trial');
            const low = await clients[clients.length - 1].call('ChangeConfiguration', { key: 'SecurityProfile', value: '1' });
            t.equal(low.status, 'Rejected', 'lowering over OCPP is Rejected (whitepaper: the profile may only be raised)');
        } finally {
            await t.cp.stop().catch(() => {});
            await server.close({ awaitPending: false }).catch(() => {});
            hsrv.close();
        }
    },
};
