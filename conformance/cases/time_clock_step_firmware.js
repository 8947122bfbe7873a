'use strict';
// An UpdateFirmware waits for its retrieveDate, a wall-clock instant (OCPP
// 1.6 §5.19).  When Heartbeat.conf's currentTime steps the station's wall
// clock (§4.6), the job waits for the same instant on the new clock: stepped
// an hour ahead, a download due in an hour starts at once, not an hour of
// host time later.
const { bootAccepted } = require('../lib/steps');
const { startFileServer } = require('../lib/fileserver');

const HOUR = 3600 * 1000;
const FW = 'FirmwareStatusNotification';
const iso = (ms) => new Date(ms).toISOString();

module.exports = {
    title: 'a clock step moves a pending UpdateFirmware with it: retrieveDate is wall-clock time',
    timeScale: 1,
    connectors: 2,
    csms: { bootInterval: 3600 },
    timeoutMs: 40000,
    async setup(t) {
        t.files = await startFileServer();
        t.files.put('/fw/image.bin', Buffer.from('IMAGE\n'.repeat(100)));
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        const r = await t.csms.call('UpdateFirmware', { location: t.files.ftpUrl('/fw/image.bin'), retrieveDate: iso(Date.now() + HOUR) });
        t.equal(r, {}, 'UpdateFirmware.conf is an empty object (OCPP 1.6 §6.51)');
        await t.sleep(1500);
        t.equal(t.csms.calls(FW, m).length, 0, 'test setup: nothing is downloaded before retrieveDate');
        // The central system's time is an hour (less 2 s) ahead: the station follows it.
        t.csms.reply('Heartbeat', () => ({ currentTime: iso(Date.now() + HOUR - 2000) }));
        const ch = await t.csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' });
        t.equal(ch.status, 'Accepted', 'test setup: HeartbeatInterval is writable (OCPP 1.6 §9.1)');
        const dl = await t.csms.waitFor(FW, (p) => p.status === 'Downloading', 10000,
            { since: m, rule: 'after the clock stepped to within 2 s of retrieveDate the download starts then, not an hour of host time later (OCPP 1.6 §5.19, §4.6)' });
        t.ok(dl, 'Downloading reported');
        t.ok(/clock stepped by \+3598 s/.test(t.cp.readLog()), 'the daemon logs the step', t.cp.logTail(30));
    },
};
