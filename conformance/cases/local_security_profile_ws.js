'use strict';
// Security profile 2 and 3 run over TLS only (OCPP 1.6 security whitepaper
// §2: profile 2 is "TLS with Basic Authentication", profile 3 "TLS with
// client side certificates").  A station provisioned with SecurityProfile 2
// and a ws:// URL must not send its AuthorizationKey in plaintext: it refuses
// to start (exit code 2, bad arguments) and says why.
const path = require('path');
const fs = require('fs');
const { runFor } = require('../lib/util');
const { testCertificate } = require('../lib/tls');


module.exports = {
    title: 'SecurityProfile 2 with a ws:// URL: no connection, no Authorization header, exit 2 with the reason',
    autoStart: false,
    timeoutMs: 30000,
    async run(t) {
        const KEY = '00112233445566778899aabbccddeeff00112233';
        const sp2 = path.join(t.dir, 'sp2.txt');
        fs.writeFileSync(sp2, `SecurityProfile=2\nAuthorizationKey=${KEY}\n`);

        // 1. Provisioned on first boot with a ws:// URL.
        const db = path.join(t.dir, 'sp2.db');
        let r = await runFor(t.cp.o.bin, ['--url', t.csms.url, '--id', 'CP_sp2', '--db', db, '--config', sp2], 4000);
        t.equal(r.code, 2, 'SecurityProfile 2 over ws:// is refused at start-up with exit code 2 (security whitepaper §2)');
        t.ok(/SecurityProfile/.test(r.stderr) && /wss:\/\//.test(r.stderr),
            'the daemon says why: the security profile needs wss://', r.stderr);
        t.equal(t.csms.connections.length, 0, 'the central system never sees a connection (no Authorization header in plaintext)');

        // 2. Stored by an earlier run over wss:// (nobody listens there), then
        //    started with a ws:// URL and no --config.  Profile 2 needs a
        //    trusted root: --ca-file here.
        const db2 = path.join(t.dir, 'stored.db');
        const { certPem } = testCertificate(t);
        r = await runFor(t.cp.o.bin, ['--url', 'wss://127.0.0.1:1/ocpp', '--id', 'CP_sp2', '--db', db2, '--config', sp2,
            '--ca-file', certPem], 2000);
        t.equal(r.code, null, 'setup: over wss:// SecurityProfile 2 is accepted (the daemon keeps running)');
        r = await runFor(t.cp.o.bin, ['--url', t.csms.url, '--id', 'CP_sp2', '--db', db2], 4000);
        t.equal(r.code, 2, 'a stored SecurityProfile 2 with a ws:// URL is refused too (exit code 2)');
        t.ok(/SecurityProfile/.test(r.stderr), 'and the daemon says why', r.stderr);
        t.equal(t.csms.connections.length, 0, 'still no connection to the central system');

        // 3. The refused start of step 1 stored nothing: the same database,
        //    provisioned with SecurityProfile 1 instead, starts and boots.
        const sp1 = path.join(t.dir, 'sp1.txt');
        fs.writeFileSync(sp1, `SecurityProfile=1\nAuthorizationKey=${KEY}\n`);
        t.cp.db = db;
        t.cp.configPath = sp1;
        await t.start();
        const end = Date.now() + 5000;
        while (t.csms.connections.length === 0 && Date.now() < end) await t.sleep(50);
        t.equal(t.csms.connections.length >= 1, true, 'SecurityProfile 1 over ws:// connects (a refused start changes nothing)');
    },
};
