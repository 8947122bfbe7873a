'use strict';
// docs/balancing.md static charging (docs/balancing.md): with Static-LoadBalancing
// Off (and ALB / SCN off) Station-MaxCurrent 20 is split equally over both
// sockets whether or not the other one is in use, each share capped by its
// connector max, and nothing is redistributed.  Switching SLB on (live,
// docs/station-model.md) then gives the lone EV the whole budget.
const { bootAccepted } = require('../lib/steps');
const { startSession, expectOffered, expectConnector, probingOver } = require('../lib/lb');

const EV = { phases: 3, min_current: 6, max_current: 32 };

module.exports = {
    title: 'static charging (SLB Off): 20 A split 10/10 in use or not, connector max caps, no redistribution; SLB On → 20',
    timeScale: 30,
    connectors: 2,
    config: { 'Station-MaxCurrent': '20.0', 'Static-LoadBalancing': 'Off' },
    timeoutMs: 60000,
    async run(t) {
        await bootAccepted(t);
        const probe = t.scaled(60) + 3000;
        await startSession(t, { connector: 1, idTag: 'TAGST1', ev: EV });
        await expectConnector(t, 1, (c) => c.offered_a === 10 && c.balancing === 'probing', 3000,
            'static mode probes at min(Chameleon-MinCurrent 14, its share 10) = 10 A (docs/balancing.md: probing in every mode)');
        await probingOver(t, [1], probe);
        const alone = await expectOffered(t, 1, 10, 2000,
            'static charging: one EV alone still gets only half of Station-MaxCurrent 20 A (docs/balancing.md "equally over both sockets", docs/balancing.md)');
        t.equal(alone.ocpp_status, 'Charging', 'the EV charges at its static share (OCPP 1.6 §4.9)');

        await startSession(t, { connector: 2, idTag: 'TAGST2', ev: EV });
        await probingOver(t, [2], probe);
        for (const c of [1, 2]) await expectOffered(t, c, 10, 3000, `static charging: both in use, 10 A each, connector ${c} (docs/balancing.md)`);

        let r = await t.csms.call('ChangeConfiguration', { key: 'Connector2-MaxCurrent', value: '6.0' });
        t.equal(r.status, 'Accepted', 'Connector2-MaxCurrent 6.0 is Accepted and applies live (the README key reference, docs/station-model.md)');
        const c2 = await expectOffered(t, 2, 6, 3000, 'the static share is capped by the connector max: 6 A (docs/balancing.md "each share capped by its connector max")');
        await t.sleep(t.scaled(10));
        await expectOffered(t, 1, 10, 500, 'static charging does not redistribute: socket 1 stays at 10 A although socket 2 uses only 6 (docs/balancing.md)');

        await t.cp.unplug(2);
        await t.sleep(t.scaled(10));
        await expectOffered(t, 1, 10, 500, 'static charging: the share stays 10 A after the other EV left (docs/balancing.md "whether or not the other socket is in use")');

        r = await t.csms.call('ChangeConfiguration', { key: 'Static-LoadBalancing', value: 'On' });
        t.equal(r.status, 'Accepted', 'Static-LoadBalancing On is Accepted and applies live (the README key reference, docs/station-model.md)');
        await expectOffered(t, 1, 20, 3000, 'with SLB on, the only EV in use gets the whole Station-MaxCurrent 20 A (docs/balancing.md SLB: sockets in use)');
        // Last, so that a wrong name does not hide the behaviour above.
        t.equal(c2.binding, 'connector', 'with Connector2-MaxCurrent 6 below its static share 10 the control socket names the connector max as binding (docs/limits.md)');
    },
};
