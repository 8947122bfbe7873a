'use strict';
// ocpp-cpctl (README "ocpp-cpctl"): status, plug, tag, unplug and watch
// drive and show the station as the control socket's own commands do, in
// text and with --json; what they do is checked from the central system's
// side (StatusNotification, Authorize, StartTransaction, StopTransaction).
const { bootAccepted, waitStatus } = require('../lib/steps');
const { cpctl, cpctlTty, cpctlSpawn, needCpctl } = require('../lib/cpctl');

const SOCKET_LINE = /^socket (\d): (\w+), pilot (\w+), offered ([\d.]+) A, import ([\d.]+)\/([\d.]+)\/([\d.]+) A, binding (\w+), balancing (\w+)(, transaction (-?\d+))?/;

function socketLines(out) {
    return out.split('\n').map((l) => l.match(SOCKET_LINE)).filter(Boolean);
}

module.exports = {
    title: 'ocpp-cpctl status / plug / tag / unplug / watch, text and --json',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 60000,
    async run(t) {
        needCpctl(t);
        await bootAccepted(t);

        let r = await cpctl(t, ['status']);
        t.equal(r.code, 0, 'ocpp-cpctl status exits 0 (README ocpp-cpctl exit codes)');
        let lines = socketLines(r.stdout);
        t.equal(lines.map((m) => [m[1], m[2], m[3]]), [['1', 'Available', 'A'], ['2', 'Available', 'A']],
            'status prints one line per socket: id, OCPP status, pilot (README ocpp-cpctl)', r.stdout);
        t.ok(/^station: online, boot Accepted, \d+ queued messages?, time \S+$/m.test(r.stdout),
            'status prints a station line: online, boot Accepted, queued messages (README ocpp-cpctl)', r.stdout);

        r = await cpctl(t, ['--json', 'status']);
        t.equal(r.code, 0, 'ocpp-cpctl --json status exits 0');
        const js = JSON.parse(r.stdout);
        t.match(js, { ok: true, online: true, boot: 'Accepted' }, '--json status prints the control socket status reply (README Control socket)');
        t.equal(js.connectors.map((c) => c.ocpp_status), ['Available', 'Available'], '--json status: the connectors as the status reply has them');

        // plug N PHASES MIN MAX: a simulated EV connects (pilot B), Preparing over OCPP.
        let m = t.csms.mark();
        r = await cpctl(t, ['plug', '1', '3', '6', '16']);
        t.equal(r.code, 0, 'ocpp-cpctl plug 1 3 6 16 exits 0', r.stderr);
        t.equal(r.stdout, '', 'plug prints nothing on success (README ocpp-cpctl)');
        await waitStatus(t, 1, 'Preparing', { since: m, rule: 'ocpp-cpctl plug connects an EV: connector 1 Preparing (OCPP 1.6 §4.9)' });
        r = await cpctl(t, ['status']);
        lines = socketLines(r.stdout);
        t.equal(lines[0] && lines[0][2], 'Preparing', 'status reflects the plug: socket 1 Preparing', r.stdout);
        t.oneOf(lines[0] && lines[0][3], ['B1', 'B2'], 'status reflects the plug: socket 1 pilot B (IEC 61851-1)', r.stdout);
        t.equal(lines[1] && lines[1][2], 'Available', 'the other socket stays Available', r.stdout);

        m = t.csms.mark();
        r = await cpctl(t, ['--json', 'plug', '2']);
        t.equal(r.code, 0, 'ocpp-cpctl --json plug 2 exits 0', r.stderr);
        t.equal(JSON.parse(r.stdout), { ok: true }, '--json plug prints the reply {"ok":true}');
        await waitStatus(t, 2, 'Preparing', { since: m, rule: 'ocpp-cpctl plug 2 (defaults: 3 phases, 6..32 A): connector 2 Preparing (OCPP 1.6 §4.9)' });

        // tag N ID: a card is presented; the station authorizes and starts.
        m = t.csms.mark();
        r = await cpctl(t, ['tag', '1', 'TAGCPCTL1']);
        t.equal(r.code, 0, 'ocpp-cpctl tag 1 TAGCPCTL1 exits 0', r.stderr);
        await t.csms.waitFor('Authorize', (p) => p.idTag === 'TAGCPCTL1', 10000, { since: m, rule: 'ocpp-cpctl tag presents the card: Authorize (OCPP 1.6 §4.1)' });
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 1 && p.idTag === 'TAGCPCTL1', 10000,
            { since: m, rule: 'the authorized card starts a transaction on connector 1 (OCPP 1.6 §4.8)' });
        await waitStatus(t, 1, 'Charging', { since: m, rule: 'connector 1 Charging after ocpp-cpctl tag (OCPP 1.6 §4.9)' });
        const txId = start.reply.payload.transactionId;
        r = await cpctl(t, ['status']);
        lines = socketLines(r.stdout);
        t.equal(lines[0] && lines[0][2], 'Charging', 'status: socket 1 Charging', r.stdout);
        t.equal(lines[0] && lines[0][11], String(txId), 'status names the running transaction of socket 1', r.stdout);

        m = t.csms.mark();
        r = await cpctl(t, ['--json', 'tag', '2', 'TAGCPCTL2']);
        t.equal(r.code, 0, 'ocpp-cpctl --json tag 2 exits 0', r.stderr);
        t.equal(JSON.parse(r.stdout), { ok: true }, '--json tag prints the reply {"ok":true}');
        await t.csms.waitForAnswered('StartTransaction', (p) => p.connectorId === 2 && p.idTag === 'TAGCPCTL2', 10000,
            { since: m, rule: 'ocpp-cpctl tag 2 starts a transaction on connector 2 (OCPP 1.6 §4.8)' });

        // watch: not a terminal here, so the refreshes are appended.
        r = await cpctl(t, ['watch', '--count', '2']);
        t.equal(r.code, 0, 'ocpp-cpctl watch --count 2 exits 0 after two refreshes', r.stderr);
        const w = r.stdout.split('\n');
        t.equal(w.filter((l) => /^socket 1: /.test(l)).length, 2, 'watch --count 2 prints two refreshes of socket 1', r.stdout);
        t.equal(w.filter((l) => /^socket 2: /.test(l)).length, 2, 'watch --count 2 prints two refreshes of socket 2', r.stdout);
        t.equal(w.filter((l) => /^station: /.test(l)).length, 2, 'each refresh ends with the station line', r.stdout);
        t.ok(!r.stdout.includes('\x1b'), 'not a terminal: plain lines, no ANSI escapes (README ocpp-cpctl)', JSON.stringify(r.stdout));
        t.ok(r.ms >= 900, 'the refreshes are a second apart (README ocpp-cpctl watch)', r.ms);

        r = await cpctl(t, ['--json', 'watch', '--count', '2']);
        t.equal(r.code, 0, 'ocpp-cpctl --json watch --count 2 exits 0', r.stderr);
        const jl = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
        t.equal(jl.length, 2, '--json watch prints one status reply line per refresh', r.stdout);
        t.ok(jl.every((x) => x.ok === true && x.connectors.length === 2), 'each line is a whole status reply', r.stdout);

        // On a terminal the view is a table redrawn in place.
        r = await cpctlTty(t, ['watch', '--count', '2']);
        t.equal(r.code, 0, 'ocpp-cpctl watch --count 2 on a terminal exits 0', r.stdout);
        const rows = r.stdout.split(/\r?\n/).map((l) => l.replace(/^(\x1b\[(\d+F|J))+/, ''));
        t.equal(rows.filter((l) => /^1 +Charging +C\d/.test(l)).length, 2, 'on a terminal, two refreshes of socket 1 are drawn (README ocpp-cpctl watch)', JSON.stringify(r.stdout));
        t.equal(rows.filter((l) => /^station: online/.test(l)).length, 2, 'each terminal refresh ends with the station line', JSON.stringify(r.stdout));
        t.ok(r.stdout.includes('\x1b[4F'), 'on a terminal the second refresh moves the cursor back over the four lines of the first (ANSI CPL): redrawn in place', JSON.stringify(r.stdout));
        t.ok(rows.every((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').length < 80), 'terminal lines fit its width (80 columns here), so the redraw stays in place', JSON.stringify(r.stdout));

        // Ctrl-C ends watch with exit 0.
        const p = cpctlSpawn(t, ['watch']);
        for (let i = 0; i < 50 && !/^station: /m.test(p.out()); i++) await t.sleep(100);
        p.proc.kill('SIGINT');
        const x = await p.done;
        t.equal([x.code, x.signal], [0, null], 'Ctrl-C (SIGINT) ends watch with exit 0 (README ocpp-cpctl)', x);
        t.ok(/^socket 1: /m.test(x.stdout), 'watch had shown the sockets before Ctrl-C', x.stdout);

        // unplug N: the EV leaves; the transaction stops (StopTransactionOnEVSideDisconnect).
        const beforeUnplug = t.csms.mark();
        m = beforeUnplug;
        r = await cpctl(t, ['unplug', '1']);
        t.equal(r.code, 0, 'ocpp-cpctl unplug 1 exits 0', r.stderr);
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: m, rule: 'ocpp-cpctl unplug disconnects the EV: StopTransaction (OCPP 1.6 §9.1.29 StopTransactionOnEVSideDisconnect)' });
        m = t.csms.mark();
        r = await cpctl(t, ['--json', 'unplug', '2']);
        t.equal(r.code, 0, 'ocpp-cpctl --json unplug 2 exits 0', r.stderr);
        t.equal(JSON.parse(r.stdout), { ok: true }, '--json unplug prints the reply {"ok":true}');
        await t.csms.waitFor('StopTransaction', null, 10000, { since: m, rule: 'ocpp-cpctl unplug 2 stops connector 2\'s transaction (OCPP 1.6 §9.1.29)' });
        await waitStatus(t, 1, 'Available', { since: beforeUnplug, rule: 'connector 1 Available again after unplug (OCPP 1.6 §4.9)' });
        r = await cpctl(t, ['status']);
        lines = socketLines(r.stdout);
        t.equal(lines.map((l) => l[3]), ['A', 'A'], 'status after unplug: pilot A on both sockets', r.stdout);

        // watch outlives a restart of the daemon: it says so, then shows it again.
        const wp = cpctlSpawn(t, ['watch']);
        for (let i = 0; i < 50 && !/^station: /m.test(wp.out()); i++) await t.sleep(100);
        await t.cp.kill('SIGKILL');
        for (let i = 0; i < 50 && !/no answer from/.test(wp.out()); i++) await t.sleep(100);
        t.ok(wp.out().includes(`(no answer from ${t.cp.sock}; retrying)`), 'watch says when the daemon stops answering, and keeps running (README ocpp-cpctl)', wp.out());
        const mr = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: mr });
        const before = wp.out().length;
        for (let i = 0; i < 50 && !/^station: online/m.test(wp.out().slice(before)); i++) await t.sleep(100);
        t.ok(/^socket 1: /m.test(wp.out().slice(before)), 'watch shows the restarted daemon again', wp.out().slice(before));
        wp.proc.kill('SIGINT');
        const wx = await wp.done;
        t.equal([wx.code, wx.signal], [0, null], 'Ctrl-C ends watch with exit 0 after the restart too', wx);
    },
};
