'use strict';
// A full disk while the central system is online.  The database lives on a
// small tmpfs the case mounts; the case fills it to the last byte at two
// moments and frees it at the end.
//  - Messages queued while offline are delivered once the connection is back,
//    although their deletion cannot be written: a message that was answered is
//    never sent again (the delete is retried, not the send).  A station that
//    ignores the failed delete sends the same message again at once, forever.
//  - A transaction stopped while the disk is full still sends its
//    StopTransaction at once, with its real meterStop and reason (kept in
//    memory, bounded), instead of after the next restart as StopTransaction
//    (Reboot).
//  - The storage fault is reported once: StatusNotification on connector 0
//    with errorCode OtherError and vendorErrorCode StorageFull, and one log
//    line; NoError again once the disk has room.
//  - After the disk has room and the daemon restarts, nothing is sent twice.
const { bootAccepted, startLocalTransaction, waitStatus, measurand } = require('../lib/steps');
const { pollUntil } = require('../lib/util');
const { mountSmallDisk, fillDisk, freeDisk } = require('../lib/diskfull');

const SAMPLE = 10; // s, station clock

module.exports = {
    title: 'Full disk while online: no endless resend, StopTransaction sent at once, fault reported once',
    timeScale: 10,
    connectors: 2,
    config: {
        MeterValueSampleInterval: SAMPLE,
        MeterValuesSampledData: 'Energy.Active.Import.Register',
        StopTransactionOnEVSideDisconnect: 'true',
    },
    timeoutMs: 90000,
    setup(t) { mountSmallDisk(t); },
    async run(t) {
        try {
            await scenario(t);
        } finally {
            t.unmount();
        }
    },
};

async function scenario(t) {
    await bootAccepted(t);
    const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'DISKFULL', ev: { phases: 3, max_current: 16 } });

    // 1. Offline: a few MeterValues are queued on disk.  Then the disk fills.
    t.csms.setOffline(true);
    await pollUntil(async () => (await t.cp.status()).online === false, 5000);
    await t.sleep(t.scaled(SAMPLE) * 3.5);
    fillDisk(t.disk);
    const mOnline = t.csms.mark();
    t.csms.setOffline(false);
    await t.csms.waitFor('MeterValues', null, 15000, { since: mOnline, rule: 'queued MeterValues are delivered after the reconnect (OCPP 1.6 §4.7)' });
    await t.sleep(3000);
    const mvs = t.csms.calls('MeterValues', mOnline);
    const stamps = mvs.map((e) => e.payload.meterValue[0].timestamp);
    t.atLeast(mvs.length, 2, 'the MeterValues queued while offline are delivered (OCPP 1.6 §4.7)');
    t.equal(new Set(stamps).size, stamps.length, 'with the disk full, no answered message is sent again (the delete is retried, not the send)', stamps.slice(0, 20));
    t.ok(mvs.length < 20, 'no resend loop: a bounded number of MeterValues in 3 s', mvs.length);

    // 2. Still full: the transaction stops; its StopTransaction goes out at once.
    const before = await t.cp.connector(1);
    const mStop = t.csms.mark();
    await t.cp.unplug(1);
    const stop = await t.csms.waitForAnswered('StopTransaction', null, t.scaled(5) + 3000,
        { since: mStop, rule: 'with the disk full and the central system online, StopTransaction is sent at once (kept in memory)' });
    t.equal(stop.payload.transactionId, txId, 'the StopTransaction names the transaction (OCPP 1.6 §4.10)');
    t.equal(stop.payload.reason, 'EVDisconnected', 'the StopTransaction keeps its real reason, not Reboot (OCPP 1.6 §7.40)');
    t.atLeast(stop.payload.meterStop, before.energy_wh, 'meterStop is the register at the stop, not an older stored value (OCPP 1.6 §6.49)');
    const energies = t.csms.calls('MeterValues').map((e) => measurand(e.payload, 'Energy.Active.Import.Register')).filter((x) => x !== undefined);
    t.atLeast(stop.payload.meterStop, Math.max(...energies), 'meterStop is not below any sent energy register (OCPP 1.6 §6.49)');

    // 3. The storage fault was reported on connector 0, once.
    // Counted as changes: the reconnect re-sends every connector's status
    // (OCPP 1.6 §4.9), which is not a second report.
    const conn0 = t.csms.calls('StatusNotification').filter((e) => e.payload.connectorId === 0);
    const faults = conn0.filter((e, i) => e.payload.errorCode === 'OtherError' && (i === 0 || conn0[i - 1].payload.errorCode !== 'OtherError'));
    t.equal(faults.length, 1, 'the storage fault is reported once with StatusNotification connector 0 errorCode OtherError (OCPP 1.6 §4.9)', conn0.map((e) => e.payload));
    t.match(faults[0].payload, { vendorErrorCode: 'StorageFull', info: 'storage full' }, 'the StatusNotification says that storage is full (info, vendorErrorCode)');
    const log = t.cp.readLog();
    t.equal((log.match(/transaction messages are kept in memory/g) || []).length, 1, 'the storage fault is logged once, not per message');
    t.ok((log.match(/disk is full/g) || []).length <= 1, 'SQLite\'s full-disk error is logged once, not per write', (log.match(/.*disk is full.*/g) || []).slice(0, 5));
    t.ok((await t.cp.status()).online, 'the station is online and answers its control socket throughout');

    // A charging profile the disk cannot take is Rejected, not Accepted and lost at the next restart.
    const profile = {
        connectorId: 0,
        csChargingProfiles: {
            chargingProfileId: 77, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
            chargingSchedule: { chargingRateUnit: 'A', startSchedule: new Date(Date.now() - 3600e3).toISOString(), chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
        },
    };
    const sp = await t.csms.call('SetChargingProfile', profile);
    t.equal(sp.status, 'Rejected', 'with the disk full a SetChargingProfile that cannot be stored is Rejected (what is Accepted survives a restart)');

    // 4. Room again: connector 0 reports NoError; every deferred write lands.
    const mFree = t.csms.mark();
    freeDisk(t.disk);
    await t.csms.waitFor('StatusNotification', (p) => p.connectorId === 0 && p.errorCode === 'NoError', t.scaled(10) + 5000,
        { since: mFree, rule: 'once the disk has room, connector 0 reports NoError again (OCPP 1.6 §4.9)' });
    const sp2 = await t.csms.call('SetChargingProfile', profile);
    t.equal(sp2.status, 'Accepted', 'with room again the same profile is Accepted');

    // 5. A clean restart: nothing is sent twice, nothing stopped again.
    await t.sleep(500);
    await t.cp.stop();
    const mRestart = t.csms.mark();
    await t.start();
    await bootAccepted(t, { since: mRestart, timeoutMs: 15000 });
    await t.sleep(t.scaled(SAMPLE));
    t.equal(t.csms.calls('StopTransaction').length, 1, 'after the restart the transaction is not stopped a second time (no StopTransaction(Reboot))',
        t.csms.calls('StopTransaction').map((e) => e.payload));
    const allStamps = t.csms.calls('MeterValues').map((e) => e.payload.meterValue[0].timestamp);
    t.equal(new Set(allStamps).size, allStamps.length, 'no MeterValues arrived twice over the whole run');
    t.equal(t.csms.calls('StartTransaction').length, 1, 'one StartTransaction over the whole run');
    const comp = await t.csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600 });
    t.equal(comp.status, 'Accepted', 'GetCompositeSchedule after the restart (OCPP 1.6 §5.7)');
    t.equal(comp.chargingSchedule && comp.chargingSchedule.chargingSchedulePeriod[0].limit, 10, 'the profile Accepted once the disk had room survived the restart');
}
