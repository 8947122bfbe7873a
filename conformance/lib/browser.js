'use strict';
// A real browser for the installer page's cases (docs/http.md): Debian's
// headless Chromium driven by playwright-core (tools/deps.sh installs both).
// A missing browser is an error, never a skip: a case that quietly skips in
// CI tests nothing.

const fs = require('fs');
const { sleep, onCleanup } = require('./util');

const CHROMIUM = process.env.OCPP_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];

function harnessError(msg) {
    const e = new Error(msg);
    e.harness = true;
    return e;
}

/** Launches Chromium; closed by the caller, or killed at exit whatever happens. */
async function launch() {
    let pw;
    try {
        pw = require('playwright-core');
    } catch (e) {
        throw harnessError(`playwright-core is not installed (npm ci, or tools/deps.sh): ${e.message.split('\n')[0]}`);
    }
    if (!fs.existsSync(CHROMIUM)) throw harnessError(`no browser at ${CHROMIUM} (apt-get install chromium, or tools/deps.sh; OCPP_CHROMIUM names another)`);
    const browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 20000 });
    // Playwright also kills the browser when this process exits; closing an
    // already closed browser is harmless.
    onCleanup(() => { browser.close().catch(() => {}); });
    return browser;
}

/** The text of a socket panel's field (`[data-socket=N] [data-field=NAME]`), or null. */
async function fieldText(page, socket, field) {
    const el = await page.$(`[data-socket="${socket}"] [data-field="${field}"]`);
    return el ? (await el.textContent()).trim() : null;
}

/**
 * Reads a socket panel's field until pred(text) holds; returns {ok, text}
 * with the last text read, so a failure can say what the page showed.
 */
async function waitField(page, socket, field, pred, timeoutMs) {
    const end = Date.now() + timeoutMs;
    let text = null;
    for (;;) {
        text = await fieldText(page, socket, field);
        if (text !== null && pred(text)) return { ok: true, text };
        if (Date.now() >= end) return { ok: false, text };
        await sleep(100);
    }
}

module.exports = { launch, fieldText, waitField, CHROMIUM };
