'use strict';
// A database on a small tmpfs the case mounts (root only), filled to the
// last byte and freed again: the full-disk cases' shared set-up.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { onCleanup } = require('./util');

/** In a case's setup(t): mounts the tmpfs and points the daemon's --db at it (skips without root). */
function mountSmallDisk(t, size = '6m') {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) t.skip('mounting a small tmpfs needs root');
    const disk = path.join(t.dir, 'disk');
    fs.mkdirSync(disk);
    try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', disk], { stdio: 'pipe' });
    } catch (e) {
        t.skip(`cannot mount a tmpfs here (${String(e.stderr || e.message).trim()})`);
    }
    t.disk = disk;
    t.unmount = onCleanup(() => { try { execFileSync('umount', ['-l', disk]); } catch (e) { /* gone */ } });
    t.cp.db = path.join(disk, 'cp.db');
}

/** Fills the disk until the filesystem refuses another byte. */
function fillDisk(dir) {
    const fd = fs.openSync(path.join(dir, 'filler'), 'w');
    for (const size of [1 << 16, 4096, 512]) {
        const buf = Buffer.alloc(size, 0x55);
        try { for (;;) fs.writeSync(fd, buf); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
    }
    fs.closeSync(fd);
}

function freeDisk(dir) { fs.rmSync(path.join(dir, 'filler'), { force: true }); }

module.exports = { mountSmallDisk, fillDisk, freeDisk };
