'use strict';
// A central system that accepts the TCP connection and never answers the
// HTTP upgrade must not leave the station offline: the attempt ends (the
// library's handshake timeout, 20 s, or the station's own 30 s watchdog) and
// the next one follows with the back-off (1 s +-20 % after a first failure).
// When a real central system is reachable again, the station boots there,
// and it kept controlling its hardware all along.
const { HostileProxy } = require('../lib/hostile');
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'Hostile: a server that never answers the websocket upgrade; the station retries and connects when a real one is there',
    timeScale: 10,
    connectors: 1,
    autoStart: false,
    timeoutMs: 58000,
    async run(t) {
        const proxy = await new HostileProxy(t.csms.port, { mode: 'stall' }).start();
        try {
            t.cp.o.url = proxy.url();
            await t.start();
            const end = Date.now() + 5000;
            while (proxy.accepted.length === 0 && Date.now() < end) await t.sleep(50);
            t.equal(proxy.accepted.length, 1, 'test setup: the station opened a TCP connection to the stalling server');
            // The hardware is served while the handshake hangs.
            await t.cp.plug(1);
            const st = await t.cp.status();
            t.ok(st.ok && !st.connected, 'the control socket answers while the handshake hangs; the station is offline', st);

            // A real central system is reachable from now on.
            proxy.setMode('pass');
            const stalledAt = proxy.accepted[0].t;
            const conn = await t.csms.waitConnected(40000).then(() => t.csms.log.find((e) => e.type === 'CONNECT'),
                () => null);
            t.ok(conn, 'the station connects again after a stalled handshake (OCPP-J 1.6 §5.3: the charge point reconnects)',
                { accepted: proxy.accepted.map((a) => ({ dt: a.t - stalledAt, mode: a.mode })) });
            // 20 s handshake timeout (30 s watchdog at most) + 1.2 s back-off + slack.
            t.ok(conn.t - stalledAt < 35000, 'the next attempt follows within the handshake timeout plus the back-off',
                conn.t - stalledAt);
            t.equal(proxy.accepted.filter((a) => a.mode === 'stall').length, 1,
                'one attempt per back-off step: no storm of connections while stalled');
            await bootAccepted(t, { connectors: 1 });
            const c1 = await t.cp.connector(1);
            t.ok(c1 && c1.plugged !== false, 'the plugged EV is still seen by the station after the reconnect', c1);
        } finally {
            await proxy.close();
        }
    },
};
