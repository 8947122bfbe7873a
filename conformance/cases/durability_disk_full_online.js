'use strict';
// The disk fills while a transaction charges online and nothing is queued:
// every MeterValues still reaches the central system (kept in memory, sent,
// answered), the storage fault is reported once on connector 0 and stays
// reported while the disk is full (it does not flap back to NoError between
// two samples just because memory emptied), and NoError comes back once the
// disk takes writes again.
const { bootAccepted, startLocalTransaction } = require('../lib/steps');
const { mountSmallDisk, fillDisk, freeDisk } = require('../lib/diskfull');

const SAMPLE = 10; // s, station clock

module.exports = {
    title: 'Disk full while charging online: samples still sent, fault reported once and held, NoError once there is room',
    timeScale: 10,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: 'Energy.Active.Import.Register' },
    timeoutMs: 60000,
    setup(t) { mountSmallDisk(t); },
    async run(t) {
        try {
            await bootAccepted(t);
            const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'DFONLINE', ev: { phases: 3, max_current: 16 } });
            const m = t.csms.mark();
            fillDisk(t.disk);
            await t.sleep(t.scaled(SAMPLE) * 4.5);
            const mvs = t.csms.calls('MeterValues', m).filter((e) => e.payload.transactionId === txId);
            t.atLeast(mvs.length, 3, 'with the disk full the transaction\'s MeterValues still reach the central system (kept in memory)');
            const st = await t.cp.status();
            t.equal(st.storage_fault, true, 'the control socket status says storage_fault while the disk is full', st);
            const conn0 = t.csms.calls('StatusNotification', m).filter((e) => e.payload.connectorId === 0).map((e) => e.payload.errorCode);
            t.equal(conn0.join(','), 'OtherError', 'connector 0 reports OtherError once and holds it while the disk is full (no flapping)', conn0);

            const mFree = t.csms.mark();
            freeDisk(t.disk);
            await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 0 && p.errorCode === 'NoError', t.scaled(SAMPLE) + 5000,
                { since: mFree, rule: 'once the disk takes writes again connector 0 reports NoError (OCPP 1.6 §4.9)' });
            t.equal((await t.cp.status()).storage_fault, false, 'storage_fault is cleared');
        } finally {
            t.unmount();
        }
    },
};
