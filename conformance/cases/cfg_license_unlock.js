'use strict';
// feature licensing (docs/balancing.md): with a vendor public key
// provisioned through --config and no license, SLB/ALB/SCN are locked: their
// switches are Rejected and a lone EV gets only the static half of
// Station-MaxCurrent.  A license issued by tools/cp-license for this station
// (SLB+ALB) is RebootRequired, write-only, refused when forged or edited, and
// after the reboot unlocks exactly SLB and ALB.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { bootAccepted, startLocalTransaction, waitStatus } = require('../lib/steps');
const { waitOffered } = require('../lib/sc_sched');

const SCALE = 30;

function licenseTool() {
    if (process.env.OCPP_CP_LICENSE) return process.env.OCPP_CP_LICENSE;
    const bin = path.resolve(process.env.OCPP_CP || './ocpp-cp');
    return path.join(path.dirname(bin), 'tools', 'cp-license');
}

async function getValue(t, key) {
    const r = await t.csms.call('GetConfiguration', { key: [key] });
    const k = (r.configurationKey || []).find((x) => x.key === key);
    return k ? k.value : undefined;
}

async function change(t, key, value) {
    return (await t.csms.call('ChangeConfiguration', { key, value })).status;
}

/** Plug + tag on connector 1, wait until the offer settles past probing, return it; then unplug. */
async function loneEvOffer(t, tag, expect, rule) {
    const { txId } = await startLocalTransaction(t, { connector: 1, idTag: tag, ev: { phases: 3, max_current: 32 } });
    const c = await waitOffered(t, 1, (a) => a === expect, t.scaled(60) + 5000);
    t.ok(c, rule, await t.cp.connector(1));
    const m = t.csms.mark();
    await t.cp.unplug(1);
    await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000, { since: m, rule: 'test setup: unplugging stops the transaction' });
    await waitStatus(t, 1, 'Available', { since: m });
}

module.exports = {
    title: 'licensing: locked features refused, forged keys refused, a cp-license key unlocks SLB+ALB after a reboot',
    timeScale: SCALE,
    connectors: 2,
    timeoutMs: 60000,
    async setup(t) {
        const tool = licenseTool();
        if (!fs.existsSync(tool)) t.skip(`tools/cp-license not built at ${tool} (make tools/cp-license, or set OCPP_CP_LICENSE)`);
        const keysFile = path.join(t.dir, 'vendor-keys.txt');
        fs.writeFileSync(keysFile, execFileSync(tool, ['genkey']));
        const pub = fs.readFileSync(keysFile, 'utf8').match(/^LicensePublicKey=(.*)$/m)[1];
        const issue = (id, features) => execFileSync(tool, ['issue', '--keys', keysFile, '--id', id, '--features', features]).toString().trim();
        t.lic = {
            pub,
            good: issue(t.cp.o.id, 'SLB+ALB'),
            otherStation: issue(t.cp.o.id + 'X', 'SLB+ALB+SCN'),
        };
        // Same signature, one more feature: must not verify.
        t.lic.edited = t.lic.good.replace('CPL1.SLB+ALB.', 'CPL1.SLB+ALB+SCN.');
        t.ok(t.lic.edited !== t.lic.good, 'test setup: the edited key differs from the issued one', t.lic);
        // First-boot provisioning of the vendor key (--config sets provisioning-only keys).
        t.cp.configPath = path.join(t.dir, 'config.txt');
        fs.writeFileSync(t.cp.configPath, `LicensePublicKey=${pub}\nMeterValueSampleInterval=0\n`);
    },
    async run(t) {
        await bootAccepted(t);
        t.equal(await getValue(t, 'UnlockedFeatures'), '', 'with a vendor public key and no license nothing is unlocked: UnlockedFeatures is empty (docs/balancing.md)');
        const pk = await t.csms.call('GetConfiguration', { key: ['LicensePublicKey'] });
        t.equal(pk.configurationKey, [{ key: 'LicensePublicKey', readonly: true, value: t.lic.pub }],
            'LicensePublicKey holds the --config value and is read-only over OCPP (the README key reference: settable only by local provisioning)');
        t.equal(await change(t, 'LicensePublicKey', t.lic.pub), 'Rejected', 'ChangeConfiguration of LicensePublicKey is Rejected (the README key reference provisioning-only)');
        t.equal(await change(t, 'UnlockedFeatures', 'SLB,ALB,SCN'), 'Rejected', 'UnlockedFeatures cannot be written: derived from the license only (the README key reference)');

        const alb = await getValue(t, 'Active-LoadBalancing');
        for (const [key, value, feature] of [['Active-LoadBalancing', 'On', 'ALB'], ['Static-LoadBalancing', 'On', 'SLB'], ['SCN-IsEnabled', 'true', 'SCN']]) {
            t.equal(await change(t, key, value), 'Rejected', `${key}=${value} is Rejected while ${feature} is locked (docs/balancing.md feature licensing)`);
        }
        t.equal(await getValue(t, 'Active-LoadBalancing'), alb, 'a Rejected switch keeps its stored value');
        await loneEvOffer(t, 'TAGLOCK1', 16,
            'SLB locked → static charging: a lone EV gets Station-MaxCurrent 32 split equally over 2 sockets = 16 A (docs/balancing.md static charging, feature licensing)');

        for (const [what, key] of [['issued for another station', t.lic.otherStation], ['edited to add SCN', t.lic.edited], ['malformed', 'CPL1.SLB.notasignature']]) {
            t.equal(await change(t, 'FeatureLicenseKey', key), 'Rejected', `a license key ${what} is Rejected (cannot be forged by editing; bound to the station identity)`);
        }
        const m0 = t.csms.mark();
        t.equal(await change(t, 'FeatureLicenseKey', t.lic.good), 'RebootRequired', 'a valid license key for this station is RebootRequired (docs/station-model.md, the README key reference FeatureLicenseKey)');
        t.equal(await getValue(t, 'UnlockedFeatures'), '', 'before the reboot the running license is unchanged (unlocks after reboot)');
        t.equal(await change(t, 'Active-LoadBalancing', 'On'), 'Rejected', 'before the reboot ALB is still locked (license takes effect after reboot)');

        const all = await t.csms.call('GetConfiguration', {});
        t.ok(!(all.configurationKey || []).some((k) => k.key === 'FeatureLicenseKey'), 'FeatureLicenseKey is write-only: not in the full GetConfiguration (the README key reference)', all.configurationKey.map((k) => k.key));
        const asked = await t.csms.call('GetConfiguration', { key: ['FeatureLicenseKey'] });
        t.ok(!(asked.configurationKey || []).some((k) => k.key === 'FeatureLicenseKey'), 'FeatureLicenseKey asked for by name is not returned (the README key reference write-only)', asked);
        const leaked = t.csms.log.slice(m0).filter((e) => e.dir === 'in' && e.raw.includes(t.lic.good.split('.')[2]));
        t.equal(leaked.length, 0, 'the license text never appears in a frame from the charge point (the README key reference write-only)');

        const m = t.csms.mark();
        t.equal((await t.csms.call('Reset', { type: 'Soft' })).status, 'Accepted', 'Reset Soft is Accepted (OCPP 1.6 §5.14)');
        const boot = await t.csms.waitFor('BootNotification', null, 15000, { since: m, rule: 'after Reset the daemon boots again (docs/station-model.md)' });
        await bootAccepted(t, { since: boot.index });
        t.equal(await getValue(t, 'UnlockedFeatures'), 'SLB,ALB', 'after the reboot the license unlocks exactly its features: UnlockedFeatures = SLB,ALB (docs/balancing.md)');
        t.equal(await change(t, 'Static-LoadBalancing', 'On'), 'Accepted', 'with SLB unlocked Static-LoadBalancing=On is Accepted (docs/balancing.md feature licensing)');
        await loneEvOffer(t, 'TAGLOCK2', 32,
            'SLB unlocked and on: a lone EV gets the whole Station-MaxCurrent 32 A (docs/balancing.md SLB shares over sockets in use)');
        // ALB is licensed now: its switch is Accepted (README "Live grid data").
        t.equal(await change(t, 'Active-LoadBalancing', 'On'), 'Accepted', 'with ALB unlocked Active-LoadBalancing=On is Accepted (docs/balancing.md feature licensing)');
        const albKey = await t.csms.call('GetConfiguration', { key: ['Active-LoadBalancing'] });
        t.equal(albKey.configurationKey, [{ key: 'Active-LoadBalancing', readonly: false, value: 'On' }], 'Active-LoadBalancing reads On, writable');
        t.equal(await change(t, 'Active-LoadBalancing', 'Off'), 'Accepted', 'and can be switched Off again');
        t.equal(await change(t, 'SCN-IsEnabled', 'true'), 'Rejected', 'SCN is not in the license: SCN-IsEnabled=true stays Rejected (docs/balancing.md)');

        // The license survives a power loss.
        const m2 = t.csms.mark();
        await t.restart();
        await bootAccepted(t, { since: m2 });
        t.equal(await getValue(t, 'UnlockedFeatures'), 'SLB,ALB', 'the license survives a SIGKILL: UnlockedFeatures = SLB,ALB after a restart');
    },
};
