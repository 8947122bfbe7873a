'use strict';
// OCTT TC_032 style, online: a transaction running when the power fails
// (SIGKILL) is stopped with reason PowerLoss after the reboot, once.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'TC_032 power loss during a transaction → StopTransaction(PowerLoss) after the reboot',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGPWR' });
        await t.sleep(500);
        await t.cp.kill('SIGKILL');
        const m = t.csms.mark();
        await t.restart();
        const boot = await bootAccepted(t, { since: m });
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 15000,
            { since: m, rule: 'a transaction running at a power loss is stopped after the reboot (power loss)' });
        t.ok(stop.index > boot.index, 'the stop is sent after the BootNotification was Accepted (OCPP 1.6 §4.2)', { boot: boot.index, stop: stop.index });
        t.equal(stop.payload.reason, 'PowerLoss', 'the reason is PowerLoss (OCPP 1.6 §7.33)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'the already-confirmed StartTransaction is not sent again (nothing sent twice)');
        await t.sleep(500);
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'StopTransaction is sent once (nothing sent twice)');
    },
};
