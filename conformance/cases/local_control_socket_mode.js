'use strict';
// The control socket drives the station (plug, tag, faults), so it is created
// with mode 0660 whatever the umask the daemon was started with: owner and
// the daemon's group only (README, Control socket).
const fs = require('fs');
const path = require('path');

module.exports = {
    title: 'the control socket is created 0660 under umask 000 and 077',
    autoStart: false,
    timeoutMs: 30000,
    async run(t) {
        const real = t.cp.o.bin;
        for (const umask of ['000', '077']) {
            const wrapper = path.join(t.dir, `umask-${umask}.sh`);
            fs.writeFileSync(wrapper, `#!/bin/sh\numask ${umask}\nexec "${real}" "$@"\n`, { mode: 0o755 });
            t.cp.o.bin = wrapper;
            await t.start();
            const mode = fs.statSync(t.cp.sock).mode & 0o777;
            t.equal(mode.toString(8), '660', `umask ${umask}: the control socket is mode 0660 (README, Control socket)`);
            await t.cp.stop();
        }
        t.cp.o.bin = real;
    },
};
