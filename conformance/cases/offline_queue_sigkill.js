'use strict';
// Offline start, power loss, recovery: the central system drops and refuses
// the connection; a tag starts a transaction offline; a few MeterValues are
// queued; the daemon is SIGKILLed; after a restart with the same database the
// central system receives StartTransaction, those MeterValues and
// StopTransaction(PowerLoss), once each and in order (durable queue, OCPP
// 1.6 §3.7 / §4.7 transaction-message delivery, OCTT TC_032/TC_037_1 style).
const { bootAccepted, pollConnector, parseTime, measurand } = require('../lib/steps');
const { pollUntil } = require('../lib/util');

const SAMPLE = 30; // s, daemon clock: 1 s real at --time-scale 30

module.exports = {
    title: 'Offline start + SIGKILL + restart: Start, MeterValues, Stop(PowerLoss) once each, in order',
    timeScale: 30,
    connectors: 2,
    config: {
        MeterValueSampleInterval: SAMPLE,
        MeterValuesSampledData: 'Energy.Active.Import.Register',
        LocalAuthorizeOffline: 'true',
        AllowOfflineTxForUnknownId: 'true',
    },
    timeoutMs: 90000,
    async run(t) {
        await bootAccepted(t);
        t.csms.setOffline(true);
        const off = await pollUntil(async () => (await t.cp.status()).online === false, 5000);
        t.ok(off, 'the control socket status reports online:false once the connection is lost (control socket status)', await t.cp.status());

        await t.cp.plug(1, { phases: 3, max_current: 16 });
        await t.cp.tag(1, 'OFFLINE1');
        const charging = await pollConnector(t, 1, (c) => c.ocpp_status === 'Charging', t.scaled(120) + 5000);
        t.ok(charging, 'offline, with AllowOfflineTxForUnknownId=true, a presented tag starts the transaction (OCPP 1.6 §3.5, §9.1)', await t.cp.connector(1));
        // Let several samples be queued, then pull the plug on the daemon.
        await t.sleep(t.scaled(SAMPLE) * 3.5);
        const energyAtKill = (await t.cp.connector(1)).energy_wh;
        const k = await t.cp.kill('SIGKILL');
        t.equal(k.signal, 'SIGKILL', 'test setup: the daemon was killed with SIGKILL');
        t.equal(t.csms.calls('StartTransaction').length, 0, 'test setup: nothing reached the central system while offline');

        t.csms.setOffline(false);
        const m = t.csms.mark();
        await t.restart();
        const boot = await bootAccepted(t, { since: m, timeoutMs: 15000 });
        const stop = await t.csms.waitForAnswered('StopTransaction', null, 20000,
            { since: m, rule: 'after the restart the queued transaction reaches the central system and is stopped (durable queue, OCPP 1.6 §4.7)' });

        const txMsgs = t.csms.calls(null, m).filter((e) => ['StartTransaction', 'StopTransaction', 'MeterValues'].includes(e.action));
        const starts = txMsgs.filter((e) => e.action === 'StartTransaction');
        const stops = txMsgs.filter((e) => e.action === 'StopTransaction');
        const mvs = txMsgs.filter((e) => e.action === 'MeterValues');
        t.equal(starts.length, 1, 'the offline StartTransaction is delivered exactly once (nothing lost or sent twice)');
        t.equal(stops.length, 1, 'StopTransaction is delivered exactly once (nothing lost or sent twice)');
        const start = starts[0];
        t.ok(start.index > boot.index, 'queued messages are sent after the BootNotification was Accepted (OCPP 1.6 §4.2)', { start: start.index, boot: boot.index });
        t.match(start.payload, { connectorId: 1, idTag: 'OFFLINE1' }, 'the queued StartTransaction is the offline one (connector 1, OFFLINE1)');
        const txId = start.reply.payload.transactionId;
        t.equal(stop.payload.transactionId, txId, 'StopTransaction uses the transactionId the central system gave to the queued start (OCPP 1.6 §4.10)');
        t.equal(stop.payload.reason, 'PowerLoss', 'a transaction running at an unclean shutdown is stopped with reason PowerLoss (OCPP 1.6 §7.33)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');

        t.atLeast(mvs.length, 2, `the MeterValues sampled while offline (≈3 at ${SAMPLE} s) are delivered after the restart (durable queue, OCPP 1.6 §4.7)`);
        for (const e of mvs) {
            t.ok(e.index > start.index && e.index < stop.index, 'transaction messages arrive in order: Start, MeterValues, Stop (OCPP 1.6 §4.7 chronological)', { start: start.index, mv: e.index, stop: stop.index });
            t.equal(e.payload.transactionId, txId, 'queued MeterValues carry the transactionId assigned to the queued start (OCPP 1.6 §4.7)');
            t.ok(parseTime(e.payload.meterValue[0].timestamp) >= parseTime(start.payload.timestamp),
                'queued MeterValues keep their sampling time, not before the start (OCPP 1.6 §4.7)', { start: start.payload.timestamp, mv: e.payload.meterValue[0].timestamp });
        }
        const lastEnergy = Math.max(...mvs.map((e) => measurand(e.payload, 'Energy.Active.Import.Register')).filter((x) => x !== undefined));
        t.atLeast(stop.payload.meterStop, lastEnergy - 1, 'meterStop is not below the last queued energy register (OCPP 1.6 §6.49)');
        t.ok(energyAtKill > start.payload.meterStart, 'test setup: the EV drew energy while offline', { energyAtKill, meterStart: start.payload.meterStart });
        const stamps = mvs.map((e) => e.payload.meterValue.map((v) => v.timestamp).join(','));
        t.equal(new Set(stamps).size, stamps.length, 'no MeterValues are sent twice (nothing sent twice)');
        const times = mvs.map((e) => parseTime(e.payload.meterValue[0].timestamp));
        for (let i = 1; i < times.length; i++) t.ok(times[i] > times[i - 1], 'queued MeterValues are delivered in chronological order (OCPP 1.6 §4.7)', mvs.map((e) => e.payload.meterValue[0].timestamp));
    },
};
