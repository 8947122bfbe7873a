'use strict';
// OCTT TC_036 Connection loss during a transaction: MeterValues sampled while
// offline are queued and delivered after the reconnect, in order, once each;
// the reconnect sends no new BootNotification; the stop follows them.
const { bootAccepted, startLocalTransaction, parseTime } = require('../lib/steps');

const SAMPLE = 30; // s, daemon clock: 1 s real at --time-scale 30

module.exports = {
    title: 'TC_036 connection lost while charging: queued MeterValues delivered in order after reconnect',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Energy.Active.Import.Register' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0036' });
        await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(SAMPLE) * 2 + 3000,
            { rule: 'transaction MeterValues at MeterValueSampleInterval (OCPP 1.6 §4.7)' });
        const offFrom = Date.parse((await t.cp.status()).now);
        t.csms.setOffline(true);
        await t.sleep(t.scaled(SAMPLE) * 3.5);
        const offTo = Date.parse((await t.cp.status()).now);
        const m = t.csms.mark();
        t.csms.setOffline(false);
        await t.csms.waitForEntry((e) => e.type === 'CONNECT', 20000, { since: m, what: 'the reconnect', rule: 'the charge point reconnects after a loss, with back-off' });
        // Wait until the samples of the offline window have arrived (or time out below).
        const sinceOffline = () => t.csms.calls('MeterValues', m).filter((e) => {
            const ts = parseTime(e.payload.meterValue[0].timestamp);
            return ts >= offFrom && ts <= offTo;
        });
        const end = Date.now() + 10000;
        while (sinceOffline().length < 2 && Date.now() < end) await t.sleep(100);
        const queued = sinceOffline();
        t.atLeast(queued.length, 2, `MeterValues sampled while offline (≈3 at ${SAMPLE} s) are delivered after the reconnect (OCPP 1.6 §4.7, durable queue)`);
        t.equal(t.csms.calls('BootNotification', m).length, 0, 'a reconnect without a reboot sends no new BootNotification (OCPP 1.6 §4.2)');
        for (const e of queued) t.equal(e.payload.transactionId, txId, 'queued MeterValues keep their transactionId (OCPP 1.6 §4.7)');
        const ts = queued.map((e) => parseTime(e.payload.meterValue[0].timestamp));
        for (let i = 1; i < ts.length; i++) t.ok(ts[i] > ts[i - 1], 'queued MeterValues arrive in chronological order, none twice (OCPP 1.6 §4.7)', queued.map((e) => e.payload.meterValue[0].timestamp));
        const m2 = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: m2, rule: 'unplugging stops the transaction (OCPP 1.6 §4.10)' });
        const lastMv = t.csms.calls('MeterValues').filter((e) => e.payload.transactionId === txId).pop();
        t.ok(lastMv.index < stop.index, 'StopTransaction comes after every MeterValues of its transaction (OCPP 1.6 §4.7 chronological)', { mv: lastMv.index, stop: stop.index });
    },
};
