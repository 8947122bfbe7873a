'use strict';
// OCTT TC_037_2 Offline start transaction, invalid idTag, StopTransactionOnInvalidId
// false: the offline start is later answered Invalid; the charge point only
// stops energy delivery (SuspendedEVSE) and keeps the transaction until the EV
// leaves (OCPP 1.6 §9.1 StopTransactionOnInvalidId: "otherwise only stop energy delivery").
const { bootAccepted, pollConnector, waitStatus } = require('../lib/steps');
const { pollUntil } = require('../lib/util');
const { expectConnector } = require('../lib/lb');

module.exports = {
    title: 'TC_037_2 offline start answered Invalid with StopTransactionOnInvalidId=false → SuspendedEVSE, transaction kept until unplug',
    timeScale: 10,
    connectors: 2,
    config: {
        LocalAuthorizeOffline: 'true', AllowOfflineTxForUnknownId: 'true', StopTransactionOnInvalidId: 'false',
        MaxEnergyOnInvalidId: 0, MeterValueSampleInterval: 0,
    },
    timeoutMs: 60000,
    setup(t) {
        t.csms.reply('StartTransaction', (p, c) => ({ transactionId: c.nextTransactionId(), idTagInfo: { status: p.idTag === 'BADOFF372' ? 'Invalid' : 'Accepted' } }));
    },
    async run(t) {
        await bootAccepted(t);
        t.csms.setOffline(true);
        t.ok(await pollUntil(async () => (await t.cp.status()).online === false, 5000), 'test setup: the charge point notices it is offline', await t.cp.status());
        await t.cp.plug(1, { phases: 3, min_current: 6, max_current: 16 });
        await t.cp.tag(1, 'BADOFF372');
        const ch = await pollConnector(t, 1, (c) => c.ocpp_status === 'Charging', 10000);
        t.ok(ch, 'offline with AllowOfflineTxForUnknownId=true the unknown tag starts a transaction (OCPP 1.6 §3.5, §9.1)', await t.cp.connector(1));
        await expectConnector(t, 1, (c) => c.import_a.every((a) => a > 5), t.scaled(60) + 3000, 'test setup: the EV draws current offline');

        let m = t.csms.mark();
        t.csms.setOffline(false);
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'BADOFF372', 20000,
            { since: m, rule: 'after the reconnect the offline start is delivered (OCPP 1.6 §4.7)' });
        const txId = start.reply.payload.transactionId;
        const susp = await waitStatus(t, 1, 'SuspendedEVSE', { since: start.index, timeoutMs: 5000,
            rule: 'an offline start answered Invalid with StopTransactionOnInvalidId=false stops energy delivery: SuspendedEVSE (OCPP 1.6 §3.5, §9.1, OCTT TC_037_2)' });
        t.equal(susp.payload.errorCode, 'NoError', 'a refused idTag is not a fault (OCPP 1.6 §7.6)');
        const c = await expectConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000,
            'after the Invalid answer nothing is offered and the EV stops drawing (MaxEnergyOnInvalidId 0, OCPP 1.6 §3.5)');
        t.equal(c.transaction_id, txId, 'the transaction is kept under the central system\'s transactionId (OCPP 1.6 §9.1 StopTransactionOnInvalidId=false)');
        await t.sleep(t.scaled(20));
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'with StopTransactionOnInvalidId=false the transaction is not stopped by the Invalid answer (OCPP 1.6 §9.1, OCTT TC_037_2)');
        t.equal(t.csms.calls('StartTransaction', m).length, 1, 'the queued StartTransaction is delivered once, even when answered Invalid (OCPP 1.6 §4.7)');
        const still = await t.cp.connector(1);
        t.equal(still.offered_a, 0, 'energy delivery stays stopped (OCPP 1.6 §3.5)');
        t.ok(!t.csms.calls('StatusNotification', susp.index + 1).some((e) => e.payload.connectorId === 1 && e.payload.status === 'Charging'),
            'the connector does not go back to Charging for an Invalid idTag (OCPP 1.6 §3.5)', t.csms.calls('StatusNotification', susp.index + 1).map((e) => e.payload));

        m = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000,
            { since: m, rule: 'the kept transaction ends when the EV leaves (StopTransactionOnEVSideDisconnect, OCPP 1.6 §4.10, OCTT TC_037_2)' });
        t.equal(stop.payload.reason, 'EVDisconnected', 'the reason is EVDisconnected (OCPP 1.6 §7.33)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
        await waitStatus(t, 1, 'Available', { since: m, timeoutMs: 5000, rule: 'with the EV gone the connector is Available (OCPP 1.6 §7.7)' });
    },
};
