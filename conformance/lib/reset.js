'use strict';
// Reset scenarios shared by OCTT TC_013..TC_016: Reset Accepted, a running
// transaction stopped with SoftReset / HardReset, the daemon restarts in
// place (same process, re-exec) and boots again.
const { bootAccepted, startLocalTransaction } = require('./steps');

async function resetCase(t, { type, charging }) {
    await bootAccepted(t);
    const pid = t.cp.pid;
    let tx = null;
    if (charging) tx = await startLocalTransaction(t, { connector: 1, idTag: 'TAGRESET' });
    const m = t.csms.mark();
    const r = await t.csms.call('Reset', { type });
    t.equal(r.status, 'Accepted', `Reset ${type} is Accepted (OCPP 1.6 §5.14)`);
    const boot = await t.csms.waitFor('BootNotification', null, 15000,
        { since: m, rule: 'after Reset the charge point reboots and sends a new BootNotification (OCPP 1.6 §5.14 re-exec)' });
    await bootAccepted(t, { since: boot.index });
    if (charging) {
        const reason = type === 'Hard' ? 'HardReset' : 'SoftReset';
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === tx.txId, 15000,
            { since: m, rule: `a transaction running at Reset is stopped with StopTransaction (OCPP 1.6 §5.14)` });
        t.equal(stop.payload.reason, reason, `a ${type} reset stops the transaction with reason ${reason} (OCPP 1.6 §5.14, §7.33)`);
        if (type === 'Soft') {
            t.ok(stop.index < boot.index, 'a soft reset stops the transaction before rebooting (OCPP 1.6 §5.14 gracefully)', { stop: stop.index, boot: boot.index });
        }
        t.equal(t.csms.calls('StopTransaction', m).length, 1, 'the transaction is stopped exactly once (OCPP 1.6 §4.10)');
    }
    t.equal(t.cp.exits.length, 0, 'Reset restarts the daemon in place (re-exec, same process), it does not exit');
    t.equal(t.cp.pid, pid, 'Reset keeps the process id: re-exec in place');
    const st = await t.cp.status();
    t.ok(st.connectors.every((c) => c.transaction_id === null), 'no transaction is running after the reset (OCPP 1.6 §5.14)', st.connectors);
}

module.exports = { resetCase };
