'use strict';
// MaxEnergyOnInvalidId (OCPP 1.6 §9.1): with StopTransactionOnInvalidId=false
// a transaction whose StartTransaction.conf refuses the idTag may still draw
// this much energy, counted from its meterStart; then energy delivery stops
// (SuspendedEVSE) and the transaction is kept.  A live change of the key
// applies to the running transaction (README key reference: "live").
const { bootAccepted, pollConnector, waitStatus } = require('../lib/steps');

const LIMIT_WH = 150;
// A tick of the control cycle at 16 A × 230 V × 3 is well under 1 Wh; the
// margin covers the meter's whole-Wh register and the status round trip.
const MARGIN_WH = 15;

module.exports = {
    title: 'MaxEnergyOnInvalidId: a refused transaction draws that many Wh from meterStart, then SuspendedEVSE (kept)',
    timeScale: 10,
    connectors: 2,
    config: { StopTransactionOnInvalidId: 'false', MaxEnergyOnInvalidId: LIMIT_WH, MeterValueSampleInterval: 0 },
    timeoutMs: 60000,
    setup(t) {
        t.csms.reply('StartTransaction', (p, c) => ({ transactionId: c.nextTransactionId(), idTagInfo: { status: p.idTag === 'BADMAXE1' ? 'Invalid' : 'Accepted' } }));
    },
    async run(t) {
        await bootAccepted(t);
        const m = t.csms.mark();
        await t.cp.plug(1, { phases: 3, min_current: 6, max_current: 16 });
        await t.cp.tag(1, 'BADMAXE1');
        const start = await t.csms.waitForAnswered('StartTransaction', (p) => p.idTag === 'BADMAXE1', 10000,
            { since: m, rule: 'test setup: the transaction starts (Authorize accepted the tag)' });
        t.equal(start.reply.payload.idTagInfo.status, 'Invalid', 'test setup: StartTransaction.conf refuses the idTag');
        const meterStart = start.payload.meterStart;

        // Within the allowance the EV keeps charging.
        const drawing = await pollConnector(t, 1, (c) => c.offered_a > 0 && c.import_a.some((a) => a > 5)
            && c.energy_wh - meterStart < LIMIT_WH, 10000);
        t.ok(drawing, `after the refusal the transaction still draws current while below MaxEnergyOnInvalidId ${LIMIT_WH} Wh (OCPP 1.6 §9.1)`, await t.cp.connector(1));

        const susp = await waitStatus(t, 1, 'SuspendedEVSE', { since: start.index, timeoutMs: 30000,
            rule: 'once MaxEnergyOnInvalidId is used up energy delivery stops: SuspendedEVSE (OCPP 1.6 §9.1, §3.5)' });
        t.equal(susp.payload.errorCode, 'NoError', 'a refused idTag is not a fault (OCPP 1.6 §7.6)');
        const c = await pollConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000);
        t.ok(c, 'nothing is offered and the EV stops drawing', await t.cp.connector(1));
        const drawn = c ? c.energy_wh - meterStart : -1;
        t.between(drawn, LIMIT_WH, LIMIT_WH + MARGIN_WH, `the transaction drew MaxEnergyOnInvalidId ${LIMIT_WH} Wh from its meterStart, not less and barely more (OCPP 1.6 §9.1)`);
        t.equal(t.csms.calls('StopTransaction', m).length, 0, 'with StopTransactionOnInvalidId=false the transaction is kept (OCPP 1.6 §9.1)');

        // A live raise gives the same transaction more energy at once.
        const r = await t.csms.call('ChangeConfiguration', { key: 'MaxEnergyOnInvalidId', value: String(LIMIT_WH + 100) });
        t.equal(r.status, 'Accepted', 'ChangeConfiguration MaxEnergyOnInvalidId is Accepted: it applies live (README key reference)');
        const again = await pollConnector(t, 1, (x) => x.offered_a > 0, 5000);
        t.ok(again, 'a raised MaxEnergyOnInvalidId lets the refused transaction draw again (live)', await t.cp.connector(1));
        await waitStatus(t, 1, 'SuspendedEVSE', { since: susp.index + 1, timeoutMs: 30000,
            rule: 'and energy delivery stops again at the new limit (OCPP 1.6 §9.1)' });
        const c2 = await pollConnector(t, 1, (x) => x.offered_a === 0 && x.import_a.every((a) => a === 0), t.scaled(10) + 2000);
        t.between(c2 ? c2.energy_wh - meterStart : -1, LIMIT_WH + 100, LIMIT_WH + 100 + MARGIN_WH, 'the second stop is at the raised limit');
    },
};
