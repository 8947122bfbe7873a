'use strict';
// ocpp-cpctl's exit codes (README "ocpp-cpctl"): 1 when the control socket
// cannot be reached (the message names the path and why), 2 on bad arguments
// (usage on stderr, and nothing is sent), 3 when the daemon refuses; --help
// prints the usage on stdout.
const fs = require('fs');
const path = require('path');
const { bootAccepted } = require('../lib/steps');
const { cpctl, needCpctl } = require('../lib/cpctl');

const COMMANDS = ['status', 'watch', 'get', 'set', 'plug', 'unplug', 'tag'];

module.exports = {
    title: 'ocpp-cpctl exit codes: 1 unreachable socket, 2 bad arguments, 3 refused; --help',
    timeScale: 10,
    connectors: 1,
    timeoutMs: 60000,
    async run(t) {
        needCpctl(t);
        await bootAccepted(t, { connectors: 1 });

        let r = await cpctl(t, ['--help'], { control: null });
        t.equal([r.code, r.stderr], [0, ''], '--help exits 0 with nothing on stderr');
        t.ok(/^usage: ocpp-cpctl --control SOCKET/.test(r.stdout), '--help prints the usage on stdout', r.stdout);
        for (const c of COMMANDS) t.ok(new RegExp(`^  ${c}\\b`, 'm').test(r.stdout), `--help lists the ${c} command`, r.stdout);

        // Unreachable: no such path, and a path nobody listens on.
        const missing = path.join(t.dir, 'nobody-here.sock');
        const notSock = path.join(t.dir, 'a-file');
        fs.writeFileSync(notSock, 'not a socket\n');
        const runs = [['status'], ['--json', 'status'], ['watch', '--count', '1'], ['get'], ['get', 'HeartbeatInterval'],
            ['set', 'HeartbeatInterval', '60'], ['plug', '1'], ['unplug', '1'], ['tag', '1', 'X']];
        for (const args of runs) {
            r = await cpctl(t, args, { control: missing });
            t.equal(r.code, 1, `${args.join(' ')} with no socket at the path: exit 1 (README ocpp-cpctl exit codes)`, r);
            t.ok(r.stderr.includes(missing) && /No such file or directory/.test(r.stderr),
                `${args.join(' ')}: the message names the path and why`, r.stderr);
            t.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout when unreachable`);
        }
        r = await cpctl(t, ['status'], { control: notSock });
        t.equal(r.code, 1, 'a path that is not a listening socket: exit 1');
        t.ok(r.stderr.includes(notSock) && /refused/i.test(r.stderr), 'the message names the path and that the connection was refused', r.stderr);

        // Bad arguments: exit 2, usage on stderr, nothing sent to the daemon.
        const bad = [
            { why: 'no command', args: [] },
            { why: 'an unknown command', args: ['charge'] },
            { why: 'an unknown option', args: ['--verbose', 'status'] },
            { why: 'status with an argument', args: ['status', 'now'] },
            { why: 'get with two keys', args: ['get', 'A', 'B'] },
            { why: 'set without a key', args: ['set'] },
            { why: 'set with an extra argument', args: ['set', 'HeartbeatInterval', '1', '2'] },
            { why: 'plug without N', args: ['plug'] },
            { why: 'plug with a connector that is not a number', args: ['plug', 'one'] },
            { why: 'plug 0', args: ['plug', '0'] },
            { why: 'plug with PHASES but no MIN MAX', args: ['plug', '1', '3'] },
            { why: 'plug with 4 phases', args: ['plug', '1', '4', '6', '16'] },
            { why: 'plug with a MAX that is not a number', args: ['plug', '1', '3', '6', 'lots'] },
            { why: 'unplug without N', args: ['unplug'] },
            { why: 'unplug 1.5', args: ['unplug', '1.5'] },
            { why: 'tag without an ID', args: ['tag', '1'] },
            { why: 'watch --count 0', args: ['watch', '--count', '0'] },
            { why: 'watch --count without N', args: ['watch', '--count'] },
            { why: 'watch with an unknown argument', args: ['watch', 'fast'] },
        ];
        for (const b of bad) {
            r = await cpctl(t, b.args);
            t.equal(r.code, 2, `${b.why}: exit 2 on bad arguments (README ocpp-cpctl exit codes)`, r);
            t.ok(/usage: ocpp-cpctl/.test(r.stderr), `${b.why}: the usage is printed on stderr`, r.stderr);
            t.equal(r.stdout, '', `${b.why}: nothing on stdout`);
        }
        r = await cpctl(t, ['set', 'HeartbeatInterval'], { input: '' });
        t.equal(r.code, 2, 'set KEY without VALUE and nothing on standard input: exit 2 (README ocpp-cpctl)', r);
        t.ok(/standard input/.test(r.stderr), 'the message says the value was expected on standard input', r.stderr);
        r = await cpctl(t, ['set', 'CpoName'], { input: 'x'.repeat(600) });
        t.equal(r.code, 2, 'set KEY with a value over 500 characters on standard input: exit 2, not cut (CiString500, OCPP 1.6 §5.3)', r);
        t.equal((await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value, '600',
            'neither reached the daemon: HeartbeatInterval is still the boot interval (OCPP 1.6 §4.2)');
        t.equal((await t.csms.call('GetConfiguration', { key: ['CpoName'] })).configurationKey[0].value, '',
            'the over-long CpoName was not sent, not even cut to 500 characters');
        r = await cpctl(t, ['status'], { control: null });
        t.equal(r.code, 2, 'no --control: exit 2');
        t.ok(/--control/.test(r.stderr), 'no --control: the message says --control is required', r.stderr);
        r = await cpctl(t, ['--control'], { control: null });
        t.equal(r.code, 2, '--control without its value: exit 2');
        r = await cpctl(t, ['plug', 'x'], { control: missing });
        t.equal(r.code, 2, 'bad arguments are found before the socket is tried: exit 2, not 1');
        const st = await t.cp.connector(1);
        t.equal([st.pilot, st.ocpp_status], ['A', 'Available'], 'none of the bad command lines reached the daemon: connector 1 still idle');

        // Refused by the daemon: exit 3 with the daemon's reason.
        r = await cpctl(t, ['plug', '2']);
        t.equal(r.code, 3, 'plug 2 on a one-connector station: the daemon refuses, exit 3 (README ocpp-cpctl exit codes)', r);
        t.ok(/refused: "connector" must be 1\.\.1/.test(r.stderr), 'the daemon\'s reason is printed on stderr', r.stderr);
        r = await cpctl(t, ['--json', 'tag', '1', 'T'.repeat(21)]);
        t.equal(r.code, 3, 'tag with a 21-character idTag: refused, exit 3 (IdToken is CiString20, OCPP 1.6 §7.28)', r);
        const j = JSON.parse(r.stdout);
        t.equal(j.ok, false, '--json prints the refusal as the daemon sent it ({"ok":false,...})', j);
        t.ok(typeof j.error === 'string' && j.error.length > 0, 'the refusal carries an error', j);
    },
};
