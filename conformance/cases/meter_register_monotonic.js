'use strict';
// Energy.Active.Import.Register is the socket's meter, not the EV's: it only
// counts up, across plug-ins, transactions and restarts, so each
// transaction's meterStart is at least the meterStop of the one before on
// that socket (OCPP 1.6 §6.49 meterStart/meterStop are register readings).
const { bootAccepted, startLocalTransaction } = require('../lib/steps');

module.exports = {
    title: 'Energy register monotonic across plug-ins, transactions and a restart: meterStart >= previous meterStop',
    timeScale: 20,
    connectors: 2,
    async run(t) {
        await bootAccepted(t);
        const stops = [];
        for (let i = 0; i < 3; i++) {
            if (i === 2) {
                // A clean restart between the second and third transaction.
                await t.cp.stop();
                const m = t.csms.mark();
                await t.start();
                await bootAccepted(t, { since: m });
            }
            const m = t.csms.mark();
            const { start } = await startLocalTransaction(t, { connector: 1, idTag: `MONO${i}`, ev: { phases: 3, max_current: 16 } });
            if (stops.length) {
                t.atLeast(start.payload.meterStart, stops[stops.length - 1].meterStop,
                    `transaction ${i + 1}: meterStart is not below the previous transaction's meterStop (the register belongs to the socket)`);
            }
            await t.sleep(t.scaled(60));
            await t.cp.unplug(1);
            const stop = await t.csms.waitForAnswered('StopTransaction', null, 10000, { since: m, rule: 'unplugging ends the transaction (OCPP 1.6 §4.10)' });
            t.ok(stop.payload.meterStop > start.payload.meterStart, `transaction ${i + 1}: the EV drew energy`, { start: start.payload.meterStart, stop: stop.payload.meterStop });
            stops.push(stop.payload);
        }
    },
};
