'use strict';
// OCTT TC_071 Clock-aligned meter values: with ClockAlignedDataInterval and
// MeterValuesAlignedData set, MeterValues with context Sample.Clock come at
// timestamps aligned to the interval (on the daemon's clock).
const { bootAccepted, startLocalTransaction, sampledValues, parseTime } = require('../lib/steps');

const ALIGN = 60; // s, daemon clock: 2 s real at --time-scale 30

module.exports = {
    title: 'TC_071 clock-aligned MeterValues (Sample.Clock) at multiples of ClockAlignedDataInterval',
    timeScale: 30,
    connectors: 2,
    config: { ClockAlignedDataInterval: ALIGN, MeterValuesAlignedData: 'Energy.Active.Import.Register', MeterValueSampleInterval: 0 },
    timeoutMs: 40000,
    async run(t) {
        await bootAccepted(t);
        const { txId } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0071' });
        const got = [];
        let since = t.csms.mark();
        while (got.length < 2) {
            const e = await t.csms.waitFor('MeterValues', (p) => p.connectorId === 1 && sampledValues(p).some((s) => s.context === 'Sample.Clock'), t.scaled(ALIGN) * 2 + 3000,
                { since, rule: `MeterValues with context Sample.Clock every ClockAlignedDataInterval (${ALIGN} s scaled) (OCPP 1.6 §3.16.2, §9.1)` });
            got.push(e);
            since = e.index + 1;
        }
        for (const e of got) {
            const svs = sampledValues(e.payload).filter((s) => s.context === 'Sample.Clock');
            t.ok(svs.some((s) => s.measurand === 'Energy.Active.Import.Register'), 'clock-aligned samples hold the MeterValuesAlignedData measurands (OCPP 1.6 §9.1)', svs);
            const ts = parseTime(e.payload.meterValue[0].timestamp) / 1000;
            const off = ((ts % ALIGN) + ALIGN) % ALIGN;
            t.ok(off < 2 || off > ALIGN - 2, `clock-aligned timestamps fall on multiples of ${ALIGN} s of the clock (OCPP 1.6 §3.16.2)`, e.payload.meterValue[0].timestamp);
            if (e.payload.transactionId !== undefined) t.equal(e.payload.transactionId, txId, 'aligned MeterValues during a transaction name it (OCPP 1.6 §4.7)');
        }
        const gap = (parseTime(got[1].payload.meterValue[0].timestamp) - parseTime(got[0].payload.meterValue[0].timestamp)) / 1000;
        t.near(gap, ALIGN, 1, 'consecutive clock-aligned samples are one interval apart (OCPP 1.6 §3.16.2)');
    },
};
