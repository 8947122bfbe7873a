#!/usr/bin/env node
'use strict';
// Conformance runner: discovers conformance/cases/<name>.js, runs the selected
// cases one after the other, each with its own strict central system on a free
// port and its own ocpp-cp with a fresh database, and prints a summary.
//
//   node conformance/run.js                 every case
//   node conformance/run.js tc_001 boot_    cases named exactly so, or starting so
//   node conformance/run.js --list          names and titles only
//   node conformance/run.js --jobs=2        two cases side by side (or OCPP_CONF_JOBS=2)
//
// Environment: OCPP_CP (daemon path, default ./ocpp-cp), OCPP_CONF_KEEP=1 keeps
// each case's temp dir (db, logs), OCPP_CONF_LOGDIR (default ./conformance-logs)
// receives the daemon log and frame log of every failed case (of every case
// with OCPP_CONF_LOGALL=1).

const fs = require('fs');
const path = require('path');
const { Csms } = require('./lib/csms');
const { Daemon, ControlError } = require('./lib/daemon');
const { asserts, AssertionFailure, SkipCase } = require('./lib/assert');
const { sleep, makeTempDir, installExitHandlers, runCleanups } = require('./lib/util');

const CASE_DIR = path.join(__dirname, 'cases');
const DEFAULT_TIMEOUT_MS = 60000;
// The results of the cases running now (for unhandled promise rejections).
const running = new Set();

function discover() {
    return fs.readdirSync(CASE_DIR)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => ({ name: f.slice(0, -3), file: path.join(CASE_DIR, f) }));
}

function select(all, patterns) {
    if (!patterns.length) return all;
    const out = all.filter((c) => patterns.some((p) => c.name === p || c.name.startsWith(p)));
    const unknown = patterns.filter((p) => !all.some((c) => c.name === p || c.name.startsWith(p)));
    if (unknown.length) {
        console.error(`no case matches: ${unknown.join(', ')}`);
        process.exit(2);
    }
    return out;
}

// An identity the daemon can also use as BootNotification serial number
// (CiString25): short, and unique per case.
function identityFor(name) {
    return ('CP_' + name).slice(0, 20);
}

async function runCase(c, { bin, logDir }) {
    const spec = require(c.file);
    const result = { name: c.name, title: spec.title || '', status: 'pass', ms: 0, note: '' };
    if (spec.skip) {
        result.status = 'skip';
        result.note = typeof spec.skip === 'string' ? spec.skip : 'skipped';
        return result;
    }
    const t0 = Date.now();
    result.unhandled = [];
    running.add(result);
    const dir = makeTempDir(c.name);
    const csms = new Csms(spec.csms || {});
    let cp = null;
    let err = null;
    const notes = [];
    const figures = [];
    try {
        await csms.start();
        cp = new Daemon({
            bin, dir, url: csms.url, id: identityFor(c.name),
            connectors: spec.connectors, timeScale: spec.timeScale || 10,
            config: spec.config, extraArgs: spec.extraArgs || [], env: spec.env,
        });
        const t = {
            name: c.name, csms, cp, dir,
            ...asserts,
            sleep,
            /** Real ms for `s` seconds of the daemon's scaled clock. */
            scaled: (s) => cp.scaled(s),
            log: (m) => notes.push(m),
            /** A measured figure, printed under the result line whether the case passes or fails. */
            figure: (m) => figures.push(m),
            skip: (why) => { throw new SkipCase(why); },
            /** Start (or restart) the daemon; the central system then expects a BootNotification first. */
            start: async (opts) => { csms.expectBoot(); await cp.start(opts); },
            restart: async (opts) => { csms.expectBoot(); await cp.restart(opts); },
        };
        if (spec.setup) await spec.setup(t);
        if (spec.autoStart !== false) await t.start();
        const timeoutMs = spec.timeoutMs || DEFAULT_TIMEOUT_MS;
        let timer;
        await Promise.race([
            spec.run(t),
            new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`case timed out after ${timeoutMs} ms`)), timeoutMs); }),
        ]).finally(() => clearTimeout(timer));
        // Give in-flight frames a moment to be validated before judging.
        await sleep(100);
        if (cp.running && spec.expectRunning !== false) {
            const r = await cp.control({ cmd: 'status' }).catch((e) => ({ ok: false, error: e.message }));
            if (!r || !r.ok) throw new AssertionFailure(`the daemon keeps running and answers its control socket after the case\n    got: ${JSON.stringify(r)}`);
            // Every case ends with a clean shutdown: SIGTERM → exit 0 (README exit codes);
            // under --enable-sanitizers this is also when LeakSanitizer reports.
            const x = await cp.stop(10000).catch((e) => ({ error: e.message }));
            if (!x || x.code !== 0) throw new AssertionFailure(`SIGTERM ends the daemon with a clean shutdown and exit code 0 (README exit codes)\n    got: ${JSON.stringify(x)}`);
        }
    } catch (e) {
        err = e;
    }
    if (cp) await cp.dispose();
    await csms.close();
    await sleep(20);	// a rejection of this case's last promise is reported on a later tick
    running.delete(result);
    if (result.unhandled.length && !err) {
        const e = result.unhandled[0];
        err = new AssertionFailure(`a case awaits every promise it starts: an unhandled promise rejection\n    got: ${e && e.stack ? e.stack : String(e)}`);
    }
    delete result.unhandled;
    result.ms = Date.now() - t0;
    result.figures = figures;
    // A sanitizer build reports on stderr and may keep running (recoverable
    // checks) or abort: either way the case fails on it.
    const san = cp ? cp.readLog().match(/^.*(ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:).*$/m) : null;
    if (san && !err) err = new AssertionFailure(`the daemon runs clean under ASan/UBSan (sanitizer build)\n    got: ${san[0]}`);

    // Logs of an earlier run of this case would mislead: replace or remove them.
    const logFiles = ['daemon', 'frames'].map((k) => path.join(logDir, `${c.name}.${k}.log`));
    for (const f of logFiles) fs.rmSync(f, { force: true });
    if (process.env.OCPP_CONF_LOGALL === '1') {
        fs.mkdirSync(logDir, { recursive: true });
        fs.writeFileSync(logFiles[0], cp ? cp.readLog() : '');
        fs.writeFileSync(logFiles[1], csms.dumpFrames(100000) + '\n');
    }
    if (err instanceof SkipCase) {
        result.status = 'skip';
        result.note = err.message;
    } else if (err || csms.violations.length) {
        result.status = 'fail';
        const lines = [];
        // Assertion and harness errors speak for themselves; anything else may be a bug in a case.
        if (err) lines.push(err instanceof AssertionFailure || err.harness || err instanceof ControlError ? err.message : (err.stack || String(err)));
        for (const v of csms.violations) lines.push(`${v.kind} violation: ${v.rule}\n    ${v.detail}`);
        result.note = (err ? (err.message.split('\n')[0]) : `${csms.violations.length} violation(s): ${csms.violations[0].rule}`).slice(0, 140);
        result.details = lines.join('\n');
        fs.mkdirSync(logDir, { recursive: true });
        const daemonLog = cp ? cp.readLog() : '';
        fs.writeFileSync(path.join(logDir, `${c.name}.daemon.log`), daemonLog);
        fs.writeFileSync(path.join(logDir, `${c.name}.frames.log`), csms.dumpFrames(100000) + '\n');
        result.report = [
            `---- ${c.name}: FAILED`,
            result.details,
            notes.length ? `---- notes\n${notes.join('\n')}` : '',
            `---- frames seen by the central system (last 60; all in ${path.join(logDir, c.name + '.frames.log')})`,
            csms.dumpFrames(60),
            `---- ocpp-cp log (last 120 lines; all in ${path.join(logDir, c.name + '.daemon.log')})`,
            cp ? cp.logTail(120) : '(daemon not created)',
            `---- end of ${c.name}`,
        ].filter(Boolean).join('\n');
    }
    if (process.env.OCPP_CONF_KEEP !== '1') {
        fs.rmSync(dir, { recursive: true, force: true });
    } else {
        result.note = (result.note ? result.note + '; ' : '') + `kept ${dir}`;
    }
    return result;
}

function pad(s, n) { s = String(s); return s.length >= n ? s : s + ' '.repeat(n - s.length); }

async function main() {
    installExitHandlers();
    const argv = process.argv.slice(2);
    const all = discover();
    if (argv.includes('--list')) {
        for (const c of all) console.log(`${pad(c.name, 44)} ${require(c.file).title || ''}`);
        return 0;
    }
    const bin = path.resolve(process.env.OCPP_CP || './ocpp-cp');
    const logDir = path.resolve(process.env.OCPP_CONF_LOGDIR || './conformance-logs');
    const cases = select(all, argv.filter((a) => !a.startsWith('--')));
    if (!fs.existsSync(bin)) {
        console.error(`conformance: ocpp-cp not found at ${bin} (build it, or set OCPP_CP)`);
        return 2;
    }
    process.on('unhandledRejection', (e) => {
        // A case that fired and forgot a promise that then failed: every case
        // running at that moment fails (one at a time, that is the culprit).
        for (const r of running) r.unhandled.push(e);
        if (process.env.OCPP_CONF_DEBUG) console.error('unhandled rejection:', e);
    });
    // Cases are independent (own port, db, temp dir), so they may run side by
    // side; each line is printed when its case ends.  Timing-sensitive cases
    // allow for a loaded machine, but one at a time stays the default.
    const jobArg = argv.find((a) => a.startsWith('--jobs='));
    const jobs = Math.max(1, Number(jobArg ? jobArg.slice(7) : process.env.OCPP_CONF_JOBS || 1) || 1);
    console.log(`conformance: ${cases.length} case(s) against ${bin}${jobs > 1 ? `, ${jobs} at a time` : ''}`);
    const results = [];
    let next = 0;
    const worker = async () => {
        while (next < cases.length) {
            const c = cases[next++];
            if (jobs === 1) process.stdout.write(`${pad(c.name, 44)} `);
            const r = await runCase(c, { bin, logDir });
            results.push(r);
            const line = `${r.status.toUpperCase()} (${(r.ms / 1000).toFixed(1)} s)${r.status === 'skip' ? ' ' + r.note : ''}`;
            console.log(jobs === 1 ? line : `${pad(c.name, 44)} ${line}`);
            for (const f of r.figures || []) console.log(`    ${c.name}: ${f}`);
            if (r.report) console.log(r.report);
        }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    results.sort((a, b) => a.name.localeCompare(b.name));
    const passed = results.filter((r) => r.status === 'pass').length;
    const failed = results.filter((r) => r.status === 'fail').length;
    const skipped = results.filter((r) => r.status === 'skip').length;
    console.log('\n' + pad('case', 44) + ' ' + pad('result', 7) + ' ' + pad('time', 7) + ' note');
    console.log('-'.repeat(100));
    for (const r of results) {
        console.log(`${pad(r.name, 44)} ${pad(r.status, 7)} ${pad((r.ms / 1000).toFixed(1) + ' s', 7)} ${r.note || r.title}`);
    }
    console.log('-'.repeat(100));
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    return failed ? 1 : 0;
}

main().then((code) => {
    runCleanups();
    process.exit(code);
}, (e) => {
    console.error(e);
    runCleanups();
    process.exit(2);
});
