'use strict';
// OCTT TC_034 (and ChangeAvailability basics): Inoperative makes a connector
// Unavailable; it stays so across a power loss; Operative makes it Available.
// While a transaction runs the change is Scheduled and applied after the stop.
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');

module.exports = {
    title: 'TC_034 ChangeAvailability: Inoperative → Unavailable, kept across power loss; Scheduled during a transaction',
    timeScale: 10,
    connectors: 2,
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        let m = t.csms.mark();
        let r = await t.csms.call('ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
        t.equal(r.status, 'Accepted', 'ChangeAvailability Inoperative on an idle connector is Accepted (OCPP 1.6 §5.2)');
        await waitStatus(t, 2, 'Unavailable', { since: m, rule: 'an Inoperative connector reports Unavailable (OCPP 1.6 §5.2)' });

        await t.cp.kill('SIGKILL');
        m = t.csms.mark();
        await t.restart();
        const boot = await bootAccepted(t, { since: m });
        const st = t.csms.calls('StatusNotification', boot.index).filter((e) => e.payload.connectorId === 2);
        t.equal(st[0] && st[0].payload.status, 'Unavailable', 'the Inoperative state survives a power loss: Unavailable after boot (OCPP 1.6 §5.2, OCTT TC_034 persisted)');
        // The station may refuse the plug or the tag outright (control reply ok:false): fine, as long as nothing starts.
        await t.cp.control({ cmd: 'plug', connector: 2, phases: 3 });
        await t.cp.control({ cmd: 'tag', connector: 2, id_tag: 'TAGUNAV' });
        await t.sleep(1000);
        t.equal(t.csms.calls('StartTransaction', m).length, 0, 'an Unavailable connector starts no transaction (OCPP 1.6 §5.2)');
        await t.cp.control({ cmd: 'unplug', connector: 2 });

        m = t.csms.mark();
        r = await t.csms.call('ChangeAvailability', { connectorId: 2, type: 'Operative' });
        t.equal(r.status, 'Accepted', 'ChangeAvailability Operative is Accepted (OCPP 1.6 §5.2)');
        await waitStatus(t, 2, 'Available', { since: m, rule: 'an Operative idle connector reports Available (OCPP 1.6 §5.2)' });

        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAGSCHED' });
        m = t.csms.mark();
        r = await t.csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
        t.equal(r.status, 'Scheduled', 'ChangeAvailability Inoperative during a transaction is Scheduled (OCPP 1.6 §5.2)');
        await t.sleep(500);
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'a Scheduled change does not stop the running transaction (OCPP 1.6 §5.2)');
        await t.cp.unplug(1);
        await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: m });
        await waitStatus(t, 1, 'Unavailable', { since: m, rule: 'a Scheduled Inoperative applies once the transaction ended (OCPP 1.6 §5.2)' });
    },
};
