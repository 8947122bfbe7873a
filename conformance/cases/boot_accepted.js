'use strict';
// BootNotification is the first message; Accepted → a StatusNotification per
// connector and Heartbeats at the interval the central system gave, on the
// daemon's scaled clock.
const { bootAccepted } = require('../lib/steps');

const INTERVAL = 40; // s, daemon clock: 2 s real at --time-scale 20

module.exports = {
    title: 'BootNotification first; Accepted → StatusNotification per connector, Heartbeat at the given interval',
    timeScale: 20,
    connectors: 2,
    csms: { bootInterval: INTERVAL },
    timeoutMs: 30000,
    async run(t) {
        const first = await t.csms.waitForEntry((e) => e.dir === 'in' && e.type === 'CALL', 10000, { what: 'the first CALL from the charge point' });
        t.equal(first.action, 'BootNotification', 'the first message after connecting is BootNotification (OCPP 1.6 §4.2)');
        const conn = t.csms.connections[0];
        t.equal(conn.identity, t.cp.o.id, 'the identity is the last path segment of the URL (OCPP-J 1.6 §3.1.1 --id)');
        t.equal(conn.endpoint, '/ocpp', 'the identity is appended to the --url path, which is kept (--url)');
        t.ok(conn.protocols.includes('ocpp1.6'), 'the websocket subprotocol ocpp1.6 is requested (OCPP-J 1.6 §3.1.2)', conn.protocols);

        const boot = await bootAccepted(t, { connectors: 2 });
        const st = t.csms.calls('StatusNotification', boot.index);
        for (const c of [1, 2]) {
            const s = st.find((e) => e.payload.connectorId === c);
            t.equal(s.payload.status, 'Available', `an idle connector is Available after boot (OCPP 1.6 §4.9), connector ${c}`);
            t.equal(s.payload.errorCode, 'NoError', `an idle healthy connector reports errorCode NoError (OCPP 1.6 §7.6), connector ${c}`);
        }

        const hb = [];
        let since = boot.index;
        for (let i = 0; i < 3; i++) {
            const e = await t.csms.waitFor('Heartbeat', null, t.scaled(INTERVAL) * 2 + 2000,
                { since, rule: 'Heartbeats follow at the interval from BootNotification.conf (OCPP 1.6 §4.6)' });
            hb.push(e);
            since = e.index + 1;
        }
        const want = t.scaled(INTERVAL);
        for (let i = 1; i < hb.length; i++) {
            t.near(hb[i].t - hb[i - 1].t, want, want * 0.25 + 150,
                `Heartbeat every BootNotification.conf interval (${INTERVAL} s) on the --time-scale clock, i.e. ${want} ms real (OCPP 1.6 §4.6)`);
        }
        // The currentTime we answer is in our (real) clock; only the interval matters here.
    },
};
