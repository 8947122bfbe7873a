'use strict';
// A central system that floods the station with CALLRESULTs for message ids
// it never sent (OCPP-J 1.6 §4.2: such replies are ignored) must not be able
// to fill the station's disk with log lines: at the default log levels a
// repeated line is written a few times and then summed up as "N similar
// lines suppressed" (README, --log-level).  The station keeps serving.
const { bootAccepted } = require('../lib/steps');

const FLOOD = 2000;
const BURST = 10;   // CP_LOG_FLOOD_BURST

module.exports = {
    title: 'a flood of ignored CALLRESULTs writes a bounded log with the count of suppressed lines',
    autoStart: false,
    timeoutMs: 40000,
    async run(t) {
        t.cp.o.logLevel = 'info';
        await t.start();
        await bootAccepted(t);
        for (let i = 0; i < FLOOD; i++) await t.csms.sendRaw(`[3,"flood-${i}",{}]`);
        // The daemon handles frames in order: once it answers a CALL sent after
        // the flood, every flood frame has been seen.
        const r = await t.csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
        t.ok(r && Array.isArray(r.configurationKey), 'the station keeps serving during the flood', r);
        const x = await t.cp.stop();
        t.equal(x && x.code, 0, 'SIGTERM: clean shutdown (README exit codes)');

        const log = t.cp.readLog().split('\n');
        const written = log.filter((l) => /unknown message id "flood-/.test(l)).length;
        t.equal(written, BURST, `the repeated warning is written ${BURST} times, not ${FLOOD} (README, --log-level)`);
        const summary = log.filter((l) => /similar lines suppressed/.test(l));
        t.equal(summary.length, 1, 'one summary line says how many were held back', summary);
        t.ok(summary[0].includes(`${FLOOD - BURST} similar lines suppressed`) && summary[0].includes('unknown message id'),
            `the summary counts exactly the ${FLOOD - BURST} suppressed lines and names them`, summary[0]);
        t.ok(log.length < 200, 'the whole log stays small', log.length);
    },
};
