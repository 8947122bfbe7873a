'use strict';
// ocpp-cpctl get / set (README "ocpp-cpctl", control socket config_get /
// config_set) read and change the configuration through the same registry
// and checks as GetConfiguration and ChangeConfiguration (OCPP 1.6 §5.8,
// §5.3): what `set` changes the central system reads back and the station
// obeys; a refused value changes nothing; a write-only key is never shown.
const { bootAccepted } = require('../lib/steps');
const { cpctl, needCpctl } = require('../lib/cpctl');

const AUTH_KEY = '00112233445566778899aabbccddeeff00112233';

async function ocppValue(t, key) {
    const g = await t.csms.call('GetConfiguration', { key: [key] });
    return g.configurationKey && g.configurationKey[0] ? g.configurationKey[0].value : undefined;
}

module.exports = {
    title: 'ocpp-cpctl get / set: ChangeConfiguration\'s path, refusals change nothing, write-only keys never shown',
    timeScale: 20,
    connectors: 2,
    csms: { bootInterval: 3600 }, // no heartbeat unless a changed HeartbeatInterval takes effect
    timeoutMs: 60000,
    async run(t) {
        needCpctl(t);
        await bootAccepted(t);

        // get KEY, text and --json, agrees with GetConfiguration.
        let r = await cpctl(t, ['get', 'HeartbeatInterval']);
        t.equal(r.code, 0, 'ocpp-cpctl get HeartbeatInterval exits 0', r.stderr);
        t.equal(r.stdout, `${await ocppValue(t, 'HeartbeatInterval')}\n`, 'get KEY prints the value GetConfiguration reports (OCPP 1.6 §5.8)');
        r = await cpctl(t, ['--json', 'get', 'heartbeatinterval']);
        t.equal(r.code, 0, 'ocpp-cpctl --json get exits 0', r.stderr);
        t.equal(JSON.parse(r.stdout), { ok: true, key: 'heartbeatinterval', value: '3600', readonly: false },
            '--json get prints {"ok","key","value","readonly"}; names are case-insensitive and answered as asked (CiString50, OCPP 1.6 §9)');

        // set: Accepted, read back over the control socket and over OCPP, and in force.
        r = await cpctl(t, ['set', 'HeartbeatInterval', '20']);
        t.equal([r.code, r.stdout], [0, 'Accepted\n'], 'ocpp-cpctl set HeartbeatInterval 20 prints Accepted and exits 0 (README ocpp-cpctl)', r.stderr);
        const m = t.csms.mark();
        r = await cpctl(t, ['get', 'HeartbeatInterval']);
        t.equal(r.stdout, '20\n', 'get reads back the value set');
        t.equal(await ocppValue(t, 'HeartbeatInterval'), '20', 'GetConfiguration reads back the value set through ocpp-cpctl (one registry, OCPP 1.6 §5.8)');
        const hb1 = await t.csms.waitFor('Heartbeat', null, t.scaled(20) * 2 + 2000,
            { since: m, rule: 'a HeartbeatInterval set through ocpp-cpctl takes effect at once, as ChangeConfiguration\'s does: a Heartbeat within 20 s scaled (OCPP 1.6 §4.6)' });
        const hb2 = await t.csms.waitFor('Heartbeat', null, t.scaled(20) * 2 + 2000, { since: hb1.index + 1, rule: 'Heartbeats keep coming at the new interval (OCPP 1.6 §4.6)' });
        t.near(hb2.t - hb1.t, t.scaled(20), t.scaled(20) * 0.25 + 150, 'Heartbeat every 20 s scaled after ocpp-cpctl set (OCPP 1.6 §4.6)');

        r = await cpctl(t, ['--json', 'set', 'MeterValueSampleInterval', '30']);
        t.equal(r.code, 0, 'ocpp-cpctl --json set exits 0 on Accepted', r.stderr);
        t.equal(JSON.parse(r.stdout), { ok: true, status: 'Accepted' }, '--json set prints {"ok":true,"status":"Accepted"}');
        t.equal(await ocppValue(t, 'MeterValueSampleInterval'), '30', 'GetConfiguration reads back MeterValueSampleInterval set with --json');

        // A bad value: Rejected, exit 3, reason on stderr, nothing changed.
        for (const bad of ['abc', '-5']) {
            r = await cpctl(t, ['set', 'HeartbeatInterval', bad]);
            t.equal(r.code, 3, `set HeartbeatInterval ${bad}: exit 3, the daemon refused (README ocpp-cpctl exit codes)`, r);
            t.equal(r.stdout, '', `set HeartbeatInterval ${bad}: nothing on stdout`);
            t.ok(/^Rejected: \S/.test(r.stderr), `set HeartbeatInterval ${bad}: "Rejected" and the reason on stderr (OCPP 1.6 §5.3)`, r.stderr);
            r = await cpctl(t, ['get', 'HeartbeatInterval']);
            t.equal(r.stdout, '20\n', `after the refused ${bad}, get still reads 20`);
            t.equal(await ocppValue(t, 'HeartbeatInterval'), '20', `after the refused ${bad}, GetConfiguration still reads 20 (a Rejected change changes nothing)`);
        }
        r = await cpctl(t, ['--json', 'set', 'HeartbeatInterval', 'abc']);
        t.equal(r.code, 3, '--json set of a bad value: exit 3');
        const rej = JSON.parse(r.stdout);
        t.equal([rej.ok, rej.status], [true, 'Rejected'], '--json set of a bad value prints status Rejected (the request itself was fine)', rej);
        t.ok(typeof rej.reason === 'string' && rej.reason.length > 0, '--json set: a refused change carries its reason', rej);

        // Readonly, unknown, RebootRequired: ChangeConfiguration's answers.
        r = await cpctl(t, ['set', 'NumberOfConnectors', '1']);
        t.equal(r.code, 3, 'set of a readonly key: exit 3 (OCPP 1.6 §9.1 NumberOfConnectors is R)', r);
        t.ok(/^Rejected/.test(r.stderr), 'set of a readonly key says Rejected', r.stderr);
        t.equal(await ocppValue(t, 'NumberOfConnectors'), '2', 'the readonly key is unchanged');
        r = await cpctl(t, ['set', 'NoSuchKeyAnywhere', '1']);
        t.equal(r.code, 3, 'set of an unknown key: exit 3');
        t.ok(/^NotSupported/.test(r.stderr), 'set of an unknown key says NotSupported (OCPP 1.6 §5.3)', r.stderr);
        r = await cpctl(t, ['get', 'NoSuchKeyAnywhere']);
        t.equal(r.code, 3, 'get of an unknown key: exit 3');
        t.ok(/unknown key NoSuchKeyAnywhere/.test(r.stderr), 'get of an unknown key says so', r.stderr);
        r = await cpctl(t, ['--json', 'get', 'NoSuchKeyAnywhere']);
        t.equal([r.code, JSON.parse(r.stdout).ok], [3, false], '--json get of an unknown key prints {"ok":false,...} and exits 3', r.stdout);
        r = await cpctl(t, ['set', 'Station-RatedCurrent', '20']);
        t.equal([r.code, r.stdout], [0, 'RebootRequired\n'], 'set Station-RatedCurrent 20 prints RebootRequired and exits 0 (stored, effective after restart)', r.stderr);
        t.equal(await ocppValue(t, 'Station-RatedCurrent'), '20.0', 'GetConfiguration shows the RebootRequired value at once (README key reference)');

        // The socket commands themselves refuse malformed requests and change nothing.
        for (const req of [{ cmd: 'config_set', key: 'HeartbeatInterval' }, { cmd: 'config_set', key: 'HeartbeatInterval', value: 30 },
            { cmd: 'config_set', value: '30' }, { cmd: 'config_set', key: 'CpoName', value: 'x'.repeat(501) }, { cmd: 'config_get', key: 42 }]) {
            const x = await t.cp.control(req);
            t.equal(x.ok, false, `control ${JSON.stringify(req).slice(0, 80)}: refused with {"ok":false} (README Control socket; a value is CiString500, OCPP 1.6 §5.3)`, x);
            t.ok(typeof x.error === 'string' && x.error.length > 0, 'the refusal says why', x);
        }
        t.equal(await ocppValue(t, 'HeartbeatInterval'), '20', 'malformed config_set requests changed nothing');

        // get without KEY: every key; GetConfiguration's keys and values exactly, readonly marked.
        const all = await t.csms.call('GetConfiguration', {});
        r = await cpctl(t, ['get']);
        t.equal(r.code, 0, 'ocpp-cpctl get exits 0', r.stderr);
        const listed = r.stdout.trim().split('\n');
        const expect = all.configurationKey.map((k) => `${k.key}=${k.value}${k.readonly ? ' (readonly)' : ''}`);
        t.equal(listed.filter((l) => !/ \(write-only\)$/.test(l)), expect,
            'get lists every key GetConfiguration returns, in its order, as KEY=VALUE with readonly ones marked (README ocpp-cpctl)');
        t.ok(listed.includes('NumberOfConnectors=2 (readonly)'), 'get marks a readonly key', listed);
        r = await cpctl(t, ['--json', 'get']);
        const jall = JSON.parse(r.stdout);
        t.equal(jall.configurationKey.filter((k) => 'value' in k), all.configurationKey,
            '--json get: the readable keys exactly as GetConfiguration.conf has them (OCPP 1.6 §5.8)');

        // set KEY without VALUE: the value is the first line of standard input.
        r = await cpctl(t, ['set', 'MeterValueSampleInterval'], { input: '45\n' });
        t.equal([r.code, r.stdout], [0, 'Accepted\n'], 'set KEY with the value on standard input prints Accepted (README ocpp-cpctl)', r.stderr);
        t.equal(await ocppValue(t, 'MeterValueSampleInterval'), '45', 'GetConfiguration reads back the value given on standard input, without its newline');
        r = await cpctl(t, ['set', 'Installer-Password'], { input: 'inst-pass-2026\r\n' });
        t.equal([r.code, r.stdout], [0, 'Accepted\n'], 'set Installer-Password from standard input (CRLF line) is Accepted (README key reference)', r.stderr);

        // A write-only key: settable, never shown.
        const m2 = t.csms.mark();
        r = await cpctl(t, ['set', 'AuthorizationKey', AUTH_KEY]);
        t.equal([r.code, r.stdout], [0, 'Accepted\n'], 'set AuthorizationKey prints Accepted (security whitepaper: write-only, writable)', r.stderr);
        await t.csms.waitFor('SecurityEventNotification', (p) => p.type === 'ReconfigurationOfSecurityParameters', 15000,
            { since: m2, rule: 'AuthorizationKey set through ocpp-cpctl is reported like a ChangeConfiguration: ReconfigurationOfSecurityParameters (security whitepaper)' });
        await t.csms.waitConnected(10000);
        const outputs = [];
        for (const args of [['get'], ['--json', 'get'], ['get', 'AuthorizationKey'], ['--json', 'get', 'AuthorizationKey'], ['status'], ['--json', 'status']]) {
            r = await cpctl(t, args);
            outputs.push({ args, ...r });
        }
        t.ok(outputs.every((o) => !o.stdout.includes(AUTH_KEY) && !o.stderr.includes(AUTH_KEY)),
            'no ocpp-cpctl output ever shows the AuthorizationKey value (security whitepaper: write-only)', outputs);
        t.ok(outputs.every((o) => !o.stdout.includes('inst-pass-2026')), 'no ocpp-cpctl output shows the Installer-Password', outputs);
        t.ok(outputs[0].stdout.split('\n').includes('Installer-Password (write-only)'), 'get lists Installer-Password as write-only', outputs[0].stdout);
        const one = outputs[2];
        t.equal([one.code, one.stdout], [3, ''], 'get AuthorizationKey: exit 3, nothing on stdout', one);
        t.ok(/write-only/.test(one.stderr), 'get AuthorizationKey says the key is write-only', one.stderr);
        t.ok(outputs[0].stdout.split('\n').includes('AuthorizationKey (write-only)'), 'get lists AuthorizationKey as write-only, without a value', outputs[0].stdout);
        const wk = JSON.parse(outputs[1].stdout).configurationKey.find((k) => k.key === 'AuthorizationKey');
        t.equal(wk, { key: 'AuthorizationKey', readonly: false }, '--json get lists AuthorizationKey without a value');
        t.ok(!t.cp.readLog().includes(AUTH_KEY), 'the daemon\'s log (debug) never holds the AuthorizationKey set through ocpp-cpctl');
        t.equal(await ocppValue(t, 'AuthorizationKey'), undefined, 'GetConfiguration does not return AuthorizationKey either (security whitepaper)');
    },
};
