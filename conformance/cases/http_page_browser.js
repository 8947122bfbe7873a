'use strict';
// The installer page (docs/http.md) in a real browser: Debian's headless
// Chromium loads web/ from the daemon's --http server with the installer's
// Basic credentials, follows the live status over /api/live, shows a running
// transaction's offer move to a TxDefaultProfile's 10 A with the binding limit
// named `profile`, and changes a configuration key through the page; wrong
// credentials get 401 and nothing else.  The screenshot lands in the case's
// dir, and also at $OCPP_SCREENSHOT when that is set (docs/installer-page.png).
const path = require('path');
const { freePort } = require('../lib/util');
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { daemonNow, profile, setProfile } = require('../lib/sc');
const { launch, fieldText, waitField } = require('../lib/browser');

const PASSWORD = 'secret-pw-1';
const LIMIT = 10;
const WEB_ROOT = path.join(__dirname, '..', '..', 'web');

module.exports = {
    title: 'installer page in Chromium: live status over /api/live, a TxDefaultProfile of 10 A shown as offered 10 A bound by `profile`, a key changed; wrong credentials 401',
    timeScale: 20,
    connectors: 2,
    config: { 'Installer-Password': PASSWORD },
    autoStart: false,
    timeoutMs: 55000,
    async run(t) {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        t.cp.o.extraArgs = ['--http', `127.0.0.1:${port}`, '--http-root', WEB_ROOT];
        await t.start();
        await bootAccepted(t);

        const browser = await launch();
        try {
            // Wrong credentials: 401 with the Basic challenge, no page.
            const bad = await browser.newContext({ httpCredentials: { username: 'installer', password: 'not-the-password' } });
            const badPage = await bad.newPage();
            const r401 = await badPage.goto(`${base}/`);
            t.equal(r401.status(), 401, 'wrong Basic credentials get 401 (docs/http.md, RFC 7617)');
            const challenge = r401.headers()['www-authenticate'];
            t.ok(/^Basic realm="ocpp-cp"/.test(challenge || ''), 'the 401 carries WWW-Authenticate: Basic realm="ocpp-cp" (docs/http.md, RFC 7617 §2)', challenge);
            t.equal(await badPage.$('[data-socket]'), null, 'with wrong credentials the page shows no socket (docs/http.md)');
            await bad.close();

            const ctx = await browser.newContext({
                httpCredentials: { username: 'installer', password: PASSWORD },
                viewport: { width: 1280, height: 900 },
            });
            const page = await ctx.newPage();
            const errors = [];
            page.on('pageerror', (e) => errors.push(e.message));
            const r200 = await page.goto(`${base}/`);
            t.equal(r200.status(), 200, 'the installer with the right password gets the page (docs/http.md)');

            // Live data: both sockets Available, taken from the WebSocket.
            for (const id of [1, 2]) {
                const st = await waitField(page, id, 'ocpp_status', (v) => v === 'Available', 10000);
                t.ok(st.ok, `socket ${id}'s panel shows the live OCPP status Available (docs/http.md /api/live)`, st.text);
            }
            t.equal(await page.getAttribute('body', 'data-feed'), 'live',
                'the page takes its status from the WebSocket /api/live, the browser sending the Basic credentials on the upgrade (docs/http.md)');

            // A transaction on socket 1: offered more than the profile will allow.
            const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGPAGE1', ev: { phases: 3, max_current: 32 } });
            const charging = await waitField(page, 1, 'ocpp_status', (v) => v === 'Charging', 5000);
            t.ok(charging.ok, 'socket 1 shows Charging once the transaction runs (OCPP 1.6 §4.9)', charging.text);
            const before = await waitField(page, 1, 'offered_a', (v) => Number(v) > LIMIT, 5000);
            t.ok(before.ok, `before the profile socket 1 is offered more than ${LIMIT} A (docs/limits.md)`, before.text);
            t.equal(await fieldText(page, 1, 'transaction_id'), String(txId), 'socket 1 shows the transaction id the central system gave (OCPP 1.6 §4.8)');
            await t.sleep(3000);	// a minute of station time on the chart before the change

            const now = await daemonNow(t);
            const st = await setProfile(t, 0, profile({ id: 801, purpose: 'TxDefaultProfile', start: now - 3600e3, periods: [[0, LIMIT]] }));
            t.equal(st, 'Accepted', 'test setup: a TxDefaultProfile on connector 0 is Accepted (OCPP 1.6 §5.16)');
            const offered = await waitField(page, 1, 'offered_a', (v) => Number(v) === LIMIT, 5000);
            t.ok(offered.ok, `socket 1's offered_a on the page becomes the profile's ${LIMIT} A (docs/limits.md, OCPP 1.6 §3.13.2)`, offered.text);
            const binding = await waitField(page, 1, 'binding', (v) => v === 'profile', 3000);
            t.ok(binding.ok, 'socket 1\'s binding on the page names the profile (README "Control socket": binding)', binding.text);
            const words = await fieldText(page, 1, 'binding_text');
            t.ok(/charging profile/.test(words || ''), 'the binding limit is also said in words', words);
            t.equal(await fieldText(page, 2, 'offered_a'), '0', 'socket 2, without an EV, shows 0 A offered');
            await t.sleep(3000);	// the EV follows the new offer on the chart
            const chart = await page.getAttribute('[data-socket="1"] svg', 'aria-label');
            t.ok(new RegExp(`offered ${LIMIT} A now`).test(chart || ''), 'socket 1\'s chart plots the offer it shows', chart);
            t.equal(await page.$$eval('[data-socket="1"] svg path.phase', (l) => l.length), 3, 'the chart draws the current of each of the three phases');

            await page.screenshot({ path: path.join(t.dir, 'installer-page.png'), fullPage: true });
            if (process.env.OCPP_SCREENSHOT) await page.screenshot({ path: path.resolve(process.env.OCPP_SCREENSHOT), fullPage: true });

            // The configuration view: a change Accepted and stored, a bad value Rejected.
            await page.click('#tab-config');
            const row = page.locator('tr[data-key="HeartbeatInterval"]');
            await row.locator('input').waitFor({ timeout: 5000 });
            const result = row.locator('output');
            await row.locator('input').fill('300');
            await row.locator('button').click();
            await page.waitForFunction((el) => el.dataset.status, await result.elementHandle(), { timeout: 5000 }).catch(() => {});
            t.equal(await result.textContent(), 'Accepted', 'PUT /api/config/HeartbeatInterval from the page is Accepted and the page says so (docs/http.md)');
            const conf = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
            t.equal(conf.configurationKey[0] && conf.configurationKey[0].value, '300', 'the value changed on the page is what the central system reads back (OCPP 1.6 §5.8)');
            await row.locator('input').fill('not-a-number');
            await row.locator('input').press('Enter');
            await page.waitForFunction((el) => el.dataset.status && el.dataset.status !== 'Accepted', await result.elementHandle(), { timeout: 5000 }).catch(() => {});
            const refused = await result.textContent();
            t.ok(/^Rejected/.test(refused), 'a value the key refuses is Rejected, shown on the page (OCPP 1.6 §5.3)', refused);

            t.equal(errors.join('; '), '', 'the page runs without script errors');
            await ctx.close();
        } finally {
            await browser.close();
        }
    },
};
