'use strict';
// OCTT TC_003 Regular charging session, plug-in first: Preparing → Authorize →
// StartTransaction → Charging, MeterValues at MeterValueSampleInterval with the
// configured measurands, unplug → StopTransaction(EVDisconnected) → Available.
const { bootAccepted, startLocalTransaction, pollConnector, waitStatus, sampledValues, measurand, parseTime } = require('../lib/steps');

const SAMPLE = 60; // s, daemon clock: 2 s real at --time-scale 30
const CONN_MAX = 16; // A: Connector1-MaxCurrent, below the station maximum (32 A), so it binds
const EV_MAX = 32;  // A: the EV could take more; a station cannot know that, it sees the draw
const MEASURANDS = ['Energy.Active.Import.Register', 'Current.Import', 'Current.Offered', 'Power.Active.Import', 'Voltage'];

module.exports = {
    title: 'TC_003 plug-in first: Authorize, Start, Charging, MeterValues, unplug → Stop(EVDisconnected)',
    timeScale: 30,
    connectors: 2,
    config: { MeterValueSampleInterval: SAMPLE, MeterValuesSampledData: MEASURANDS.join(','), 'Connector1-MaxCurrent': String(CONN_MAX) },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const { txId, start } = await startLocalTransaction(t, { connector: 1, idTag: 'TAG0003', ev: { phases: 3, min_current: 6, max_current: EV_MAX } });
        t.ok(Number.isInteger(start.payload.meterStart) && start.payload.meterStart >= 0, 'StartTransaction.meterStart is the energy register in Wh (OCPP 1.6 §6.45)', start.payload.meterStart);
        t.ok(parseTime(start.payload.timestamp) !== null, 'StartTransaction.timestamp is an ISO 8601 date-time (OCPP 1.6 §6.45)', start.payload.timestamp);

        const st = await pollConnector(t, 1, (c) => c.offered_a === CONN_MAX, t.scaled(120) + 5000);
        t.ok(st, `offered = lowest of connector max (${CONN_MAX}) and station max (32) once charging is allowed (docs/limits.md; probing of docs/balancing.md may come first)`,
            await t.cp.connector(1));
        t.equal(st.transaction_id, txId, 'the control socket status shows the running transaction id (control socket status)');
        t.equal(st.ocpp_status, 'Charging', 'the control socket status shows Charging (control socket status)');
        const drawing = await pollConnector(t, 1, (c) => c.import_a.every((a) => Math.abs(a - CONN_MAX) <= 0.5), 5000);
        t.ok(drawing, 'a 3-phase EV draws min(offered, its max) on all three grid phases within a few seconds (README control socket, docs/station-model.md)', await t.cp.connector(1));

        // Three periodic samples taken while the EV draws its full current.
        const m = t.csms.mark();
        const mv = [];
        let since = m;
        for (let i = 0; i < 3; i++) {
            const e = await t.csms.waitFor('MeterValues', (p) => p.transactionId === txId, t.scaled(SAMPLE) * 2 + 3000,
                { since, rule: `transaction MeterValues every MeterValueSampleInterval (${SAMPLE} s scaled) with the transactionId (OCPP 1.6 §4.7, §9.1)` });
            mv.push(e);
            since = e.index + 1;
        }
        for (const e of mv) {
            const p = e.payload;
            t.equal(p.connectorId, 1, 'MeterValues carry the connector of the transaction (OCPP 1.6 §4.7)');
            const svs = sampledValues(p);
            for (const name of MEASURANDS) {
                t.ok(svs.some((s) => s.measurand === name), `MeterValues contain every measurand of MeterValuesSampledData: ${name} (OCPP 1.6 §9.1)`, svs);
            }
            for (const ph of ['L1', 'L2', 'L3']) {
                t.ok(svs.some((s) => s.measurand === 'Current.Import' && s.phase === ph), `Current.Import is reported per phase: ${ph}`, svs);
            }
            t.ok(svs.every((s) => (s.context || 'Sample.Periodic') === 'Sample.Periodic'), 'periodic samples have context Sample.Periodic (OCPP 1.6 §7.33)', svs.map((s) => s.context));
        }
        const last = mv[mv.length - 1].payload;
        t.near(measurand(last, 'Current.Offered'), CONN_MAX, 0.1, 'Current.Offered in MeterValues is the offered current (docs/limits.md)');
        for (const ph of ['L1', 'L2', 'L3']) {
            t.near(measurand(last, 'Current.Import', ph), CONN_MAX, 1, `Current.Import ${ph} is what the EV draws (README control socket)`);
        }
        const v = measurand(last, 'Voltage');
        t.between(v, 207, 253, 'Voltage is the nominal 230 V ± 10 % (docs/station-model.md Station-NominalVoltage)');
        t.near(measurand(last, 'Power.Active.Import'), 3 * 230 * CONN_MAX, 0.15 * 3 * 230 * CONN_MAX, 'Power.Active.Import ≈ Σ U·I over the phases (OCPP 1.6 §7.31)');
        const energy = mv.map((e) => measurand(e.payload, 'Energy.Active.Import.Register'));
        for (let i = 1; i < energy.length; i++) t.atLeast(energy[i], energy[i - 1], 'Energy.Active.Import.Register never decreases (OCPP 1.6 §7.31 register)');
        t.ok(energy[energy.length - 1] > energy[0], 'the energy register grows while the EV draws (README control socket integrates)', energy);
        const times = mv.map((e) => parseTime(e.payload.meterValue[0].timestamp));
        for (let i = 1; i < times.length; i++) {
            t.near((times[i] - times[i - 1]) / 1000, SAMPLE, SAMPLE * 0.25, `sample timestamps are MeterValueSampleInterval (${SAMPLE} s) apart on the daemon's clock (OCPP 1.6 §9.1 --time-scale)`);
        }

        const beforeStop = t.csms.mark();
        await t.cp.unplug(1);
        const stop = await t.csms.waitFor('StopTransaction', (p) => p.transactionId === txId, 10000,
            { since: beforeStop, rule: 'unplugging stops the transaction (StopTransactionOnEVSideDisconnect default true, OCPP 1.6 §4.10)' });
        t.equal(stop.payload.reason, 'EVDisconnected', 'StopTransaction.reason is EVDisconnected after the EV unplugs (OCPP 1.6 §7.33 Reason)');
        t.atLeast(stop.payload.meterStop, start.payload.meterStart, 'meterStop >= meterStart (OCPP 1.6 §6.49)');
        t.atLeast(stop.payload.meterStop, energy[energy.length - 1] - 1, 'meterStop >= the last Energy.Active.Import.Register sent (register, OCPP 1.6 §6.49)');
        t.atLeast(parseTime(stop.payload.timestamp), parseTime(start.payload.timestamp), 'StopTransaction.timestamp is not before StartTransaction.timestamp');
        await waitStatus(t, 1, 'Available', { since: beforeStop, rule: 'after the EV left and the transaction stopped the connector is Available (OCPP 1.6 §4.9)' });
        const after = await t.cp.connector(1);
        t.equal(after.transaction_id, null, 'the control socket shows no transaction after the stop (control socket status)');
    },
};
