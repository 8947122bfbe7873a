'use strict';
// OCTT TC_070 Sampled meter values: with MeterValueSampleInterval x and
// ClockAlignedDataInterval 0, a transaction sends MeterValues every x seconds
// counted from its start (OCPP 1.6 §9.1 MeterValueSampleInterval: "samples are
// acquired and transmitted periodically at this interval from the start of
// the charging transaction"), context Sample.Periodic, one sampledValue per
// measurand of MeterValuesSampledData (read back with GetConfiguration), no
// location EV except SoC.  A second transaction counts from its own start.
const { bootAccepted, startLocalTransaction, sampledValues, parseTime } = require('../lib/steps');

const SAMPLE = 60; // s, daemon clock: 2 s real at --time-scale 30
const MEASURANDS = ['Energy.Active.Import.Register', 'Current.Import', 'Power.Active.Import'];
const UNITS = { 'Energy.Active.Import.Register': ['Wh', 'kWh'], 'Current.Import': ['A'], 'Power.Active.Import': ['W', 'kW'] };

async function samples(t, txId, n, since) {
    const got = [];
    for (let i = 0; i < n; i++) {
        const e = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(SAMPLE) * 2 + 3000,
            { since, rule: `transaction MeterValues every MeterValueSampleInterval (${SAMPLE} s scaled) (OCPP 1.6 §9.1, OCTT TC_070 step 1)` });
        got.push(e);
        since = e.index + 1;
    }
    return got;
}

module.exports = {
    title: 'TC_070 sampled MeterValues: Sample.Periodic every MeterValueSampleInterval from the transaction start, configured measurands',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, ClockAlignedDataInterval: 0 },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const ch = await t.csms.call('ChangeConfiguration', { key: 'MeterValuesSampledData', value: MEASURANDS.join(',') });
        t.equal(ch.status, 'Accepted', 'test setup: MeterValuesSampledData is writable (OCPP 1.6 §9.1)');
        const g = await t.csms.call('GetConfiguration', { key: ['MeterValuesSampledData'] });
        const key = (g.configurationKey || []).find((k) => k.key === 'MeterValuesSampledData');
        t.ok(key, 'GetConfiguration returns MeterValuesSampledData (OCPP 1.6 §5.8, OCTT TC_070 reusable state)', g);
        const configured = key.value.split(',').map((s) => s.trim()).filter(Boolean);
        t.equal(configured, MEASURANDS, 'GetConfiguration returns the measurands just set (OCPP 1.6 §5.3)');

        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0070', ev: { phases: 3, max_current: 16 } });
        const mv = await samples(t, txId, 3, start.index);
        const startTs = parseTime(start.payload.timestamp);
        const ts = mv.map((e) => parseTime(e.payload.meterValue[0].timestamp));
        t.near((ts[0] - startTs) / 1000, SAMPLE, SAMPLE * 0.25, `the first sample comes one MeterValueSampleInterval (${SAMPLE} s) after the transaction start (OCPP 1.6 §9.1)`);
        for (let i = 1; i < ts.length; i++) {
            t.near((ts[i] - ts[i - 1]) / 1000, SAMPLE, SAMPLE * 0.25, `consecutive samples are MeterValueSampleInterval (${SAMPLE} s) apart (OCPP 1.6 §9.1, OCTT TC_070)`);
        }
        for (const e of mv) {
            t.equal(e.payload.connectorId, 1, 'MeterValues carry the connector of the transaction (OCPP 1.6 §6.32)');
            const svs = sampledValues(e.payload);
            t.ok(svs.length > 0, 'MeterValues hold sampled values (OCPP 1.6 §6.32)', e.payload);
            t.ok(svs.every((s) => s.context === 'Sample.Periodic'), 'periodic samples have context Sample.Periodic (OCPP 1.6 §7.34, OCTT TC_070)', svs.map((s) => s.context));
            for (const name of MEASURANDS) {
                t.ok(svs.some((s) => s.measurand === name), `there is a sampledValue for each configured measurand: ${name} (OCPP 1.6 §9.1, OCTT TC_070)`, svs);
            }
            t.ok(svs.every((s) => MEASURANDS.includes(s.measurand)), 'only configured measurands are sampled (OCPP 1.6 §9.1 MeterValuesSampledData)', svs.map((s) => s.measurand));
            t.ok(svs.every((s) => s.location !== 'EV' || s.measurand === 'SoC'), 'no sampledValue has location EV except SoC (OCTT TC_070)', svs);
            t.ok(svs.every((s) => s.format === undefined || s.format === 'Raw'), 'values are Raw (the default format) (OCPP 1.6 §7.51, OCTT TC_070)', svs);
            t.ok(svs.every((s) => s.unit === undefined || UNITS[s.measurand].includes(s.unit)), 'units fit their measurand (OCPP 1.6 §7.50)', svs);
            t.ok(svs.every((s) => Number.isFinite(Number(s.value))), 'Raw values are numbers (OCPP 1.6 §7.51)', svs);
        }
        let m = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 5000, { since: m, rule: 'test setup: unplugging stops the transaction (OCPP 1.6 §4.10)' });

        // A second transaction, started part-way through what was the first one's interval.
        await t.sleep(t.scaled(SAMPLE * 0.4));
        t.equal(t.csms.calls('MeterValues', stop.index + 1).map((e) => e.payload), [],
            'without a transaction no sampled MeterValues are sent (OCPP 1.6 §9.1: MeterValueSampleInterval is for charging session data)');
        const second = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0070B', ev: { phases: 3, max_current: 16 } });
        const mv2 = await samples(t, second.txId, 2, second.start.index);
        const s2 = parseTime(second.start.payload.timestamp);
        t.near((parseTime(mv2[0].payload.meterValue[0].timestamp) - s2) / 1000, SAMPLE, SAMPLE * 0.25,
            `a later transaction's first sample also comes MeterValueSampleInterval (${SAMPLE} s) after its own start (OCPP 1.6 §9.1 "from the start of the charging transaction")`);
    },
};
