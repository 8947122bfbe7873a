'use strict';
// The control socket answers anything malformed or unknown with
// {"ok":false,"error":"..."} and keeps running.
const { bootAccepted } = require('../lib/steps');

module.exports = {
    title: 'control socket: malformed or unknown requests → ok:false with an error; daemon keeps running',
    connectors: 2,
    timeoutMs: 30000,
    async run(t) {
        await bootAccepted(t);
        const raw = [
            { why: 'a line that is not JSON', req: 'this is not json' },
            { why: 'a JSON array', req: '[1,2,3]' },
            { why: 'a request without cmd', req: '{"connector":1}' },
            { why: 'an unknown command', req: '{"cmd":"teleport","connector":1}' },
            { why: 'plug on a connector that does not exist', req: '{"cmd":"plug","connector":3}' },
            { why: 'plug on connector 0', req: '{"cmd":"plug","connector":0}' },
            { why: 'plug with 4 phases', req: '{"cmd":"plug","connector":1,"phases":4}' },
            { why: 'plug with a string current', req: '{"cmd":"plug","connector":1,"max_current":"lots"}' },
            { why: 'plug with 2.5 phases (an integer field, not rounded)', req: '{"cmd":"plug","connector":1,"phases":2.5}' },
            { why: 'plug on connector 1.5', req: '{"cmd":"plug","connector":1.5}' },
            { why: 'plug on connector 1e10 (beyond int: C11 6.3.1.4)', req: '{"cmd":"plug","connector":1e10}' },
            { why: 'plug on connector 4294967297 (wraps to 1 as a 32-bit int)', req: '{"cmd":"plug","connector":4294967297}' },
            { why: 'cable with a 20.5 A rating (an integer field)', req: '{"cmd":"cable","connector":1,"rating":20.5}' },
            { why: 'tag without id_tag', req: '{"cmd":"tag","connector":1}' },
            { why: 'tag with an id_tag over 20 chars (CiString20)', req: '{"cmd":"tag","connector":1,"id_tag":"ABCDEFGHIJKLMNOPQRSTU"}' },
        ];
        for (const r of raw) {
            const reply = await t.cp.controlRaw(r.req).catch((e) => ({ transport: e.message }));
            t.ok(reply && reply.ok === false && typeof reply.error === 'string' && reply.error.length > 0,
                `${r.why}: answered {"ok":false,"error":"..."} (README control socket)`, reply);
        }
        const st = await t.cp.status();
        t.ok(st.connectors.every((c) => c.ocpp_status === 'Available'), 'rejected control requests change nothing', st.connectors);
        t.equal(t.csms.calls('StatusNotification').filter((e) => e.payload.status !== 'Available').length, 0,
            'rejected control requests send nothing to the central system');
    },
};
