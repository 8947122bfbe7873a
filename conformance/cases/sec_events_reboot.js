'use strict';
// OCPP 1.6 Security Whitepaper (edition 3), use case "Security Event
// Notification": Reset Hard is reported with ResetOrReboot, and after the
// new BootNotification the station reports StartupOfTheDevice and/or
// ResetOrReboot.  Security
// events are delivered like transaction messages: one the central system
// never confirmed (here SettingSystemTime, after the central system moved
// the station's clock by an hour) is sent again after a SIGKILL, the same
// event with its original timestamp.  And one that arose while the
// central system was unreachable (StartupOfTheDevice of a start that never
// got connected) survives a SIGKILL and is sent after the next start, next
// to that start's own.
const { waitSecurityEvent } = require('../lib/pki');
const { bootAccepted } = require('../lib/steps');
const { NO_REPLY } = require('../lib/csms');
const { pollUntil } = require('../lib/util');

const UC = 'Security Event Notification';

module.exports = {
    title: 'Security events: StartupOfTheDevice/ResetOrReboot after Reset Hard; an unconfirmed SettingSystemTime resent after SIGKILL',
    timeScale: 10,
    connectors: 1,
    csms: { bootInterval: 3600 },
    timeoutMs: 90000,
    async run(t) {
        await bootAccepted(t, { connectors: 1 });

        // Reset Hard.
        let m = t.csms.mark();
        let r = await t.csms.call('Reset', { type: 'Hard' });
        t.equal(r.status, 'Accepted', 'Reset Hard is Accepted (OCPP 1.6 §5.14)');
        const boot = await t.csms.waitFor('BootNotification', null, 15000, { since: m, rule: 'after Reset the charge point boots again (OCPP 1.6 §5.14)' });
        await bootAccepted(t, { since: boot.index, connectors: 1 });
        await waitSecurityEvent(t, 'ResetOrReboot', { since: m, timeoutMs: 15000,
            rule: `a Reset is reported with the security event ResetOrReboot (${UC}; security events)` });
        await t.csms.waitFor('SecurityEventNotification', (p) => p.type === 'StartupOfTheDevice' || p.type === 'ResetOrReboot', 15000,
            { since: boot.index, desc: 'StartupOfTheDevice or ResetOrReboot',
                rule: `after the reboot, once its BootNotification is accepted, the station reports StartupOfTheDevice and/or ResetOrReboot (${UC}; security events)` });

        // A security event the central system never confirms, then a power cut.
        t.csms.reply('SecurityEventNotification', (p) => (p.type === 'SettingSystemTime' ? NO_REPLY : {}));
        t.csms.replyOnce('Heartbeat', () => ({ currentTime: new Date(Date.now() + 3600 * 1000).toISOString() }));
        m = t.csms.mark();
        r = await t.csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
        t.equal(r.status, 'Accepted', 'TriggerMessage Heartbeat is Accepted (OCPP 1.6 §5.17)');
        const first = await waitSecurityEvent(t, 'SettingSystemTime', { since: m, timeoutMs: 10000,
            rule: `a Heartbeat.conf that moves the station clock by an hour is reported with the security event SettingSystemTime (${UC}; security events)` });
        await t.cp.kill('SIGKILL');
        t.csms.reply('SecurityEventNotification', {});
        m = t.csms.mark();
        await t.start();
        await bootAccepted(t, { since: m, connectors: 1 });
        await t.csms.waitFor('SecurityEventNotification', (p) => p.type === 'SettingSystemTime' && p.timestamp === first.payload.timestamp, 15000,
            { since: m, desc: `SettingSystemTime of ${first.payload.timestamp}`,
                rule: `a security event the central system did not confirm is sent again after a SIGKILL, the same event (type and timestamp) (${UC}; delivered like transaction messages)` });

        // A start while the central system is unreachable, a power cut, a start online.
        await t.cp.kill('SIGKILL');
        t.csms.setOffline(true);
        m = t.csms.mark();
        await t.start();
        await t.csms.waitForEntry((e) => e.type === 'REFUSED', 15000, { since: m, what: 'a connection attempt while offline' });
        await t.sleep(500);
        await t.cp.kill('SIGKILL');
        t.csms.setOffline(false);
        m = t.csms.mark();
        await t.start();
        const boot3 = await bootAccepted(t, { since: m, connectors: 1 });
        const startups = () => t.csms.calls('SecurityEventNotification', m).filter((x) => x.payload.type === 'StartupOfTheDevice');
        await pollUntil(() => startups().length >= 2, 15000);
        const starts = startups();
        t.ok(starts.length === 2 && starts.every((x) => x.index > boot3.index) && starts[0].payload.timestamp !== starts[1].payload.timestamp,
            `the StartupOfTheDevice of the start that never reached the central system is sent after the SIGKILL and the next start, besides that start's own (${UC}; queued durably while offline)`,
            starts.map((x) => x.payload));
    },
};
