#!/usr/bin/env python3
# Modbus RTU energy meters on a pseudo-terminal for the conformance cases:
# the station opens the slave side through a symlink (Meter-Device), as it
# would a USB RS-485 adapter; this side answers read requests (function
# 0x03 and 0x04, CRC-16/MODBUS) from a register image per unit address,
# written independently of the station's codec.  Commands on stdin, one
# per line, each answered "ok" on stdout:
#   reg <unit> <addr> <v>...    set 16-bit registers from addr on (decimal)
#   silent <unit> 0|1           stop / resume answering that unit
#   stats                       "ok <unit>:<requests answered> ..." instead
#   quit
import os
import pty
import select
import sys
import tty

link = sys.argv[1]
units = {}        # unit -> {addr: value}
silent = set()
answered = {}
master, slave = pty.openpty()
tty.setraw(slave)
try:
    os.unlink(link)
except FileNotFoundError:
    pass
os.symlink(os.ttyname(slave), link)


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def frame(body):
    c = crc16(body)
    return bytes(body) + bytes([c & 0xFF, c >> 8])


def answer(req):
    unit, fn = req[0], req[1]
    addr = (req[2] << 8) | req[3]
    count = (req[4] << 8) | req[5]
    if unit not in units or unit in silent:
        return None          # nobody at that address, or a meter gone quiet
    if fn not in (3, 4) or not 1 <= count <= 125:
        return frame([unit, fn | 0x80, 1])
    image = units[unit]
    body = [unit, fn, 2 * count]
    for a in range(addr, addr + count):
        v = image.get(a & 0xFFFF, 0)
        body += [v >> 8, v & 0xFF]
    answered[unit] = answered.get(unit, 0) + 1
    return frame(body)


buf = b''
stdin = sys.stdin.buffer
pending = b''
print("ok", flush=True)
while True:
    r, _, _ = select.select([master, stdin], [], [])
    if master in r:
        buf += os.read(master, 512)
        # Requests are 8 bytes: a valid CRC marks one; anything else is
        # dropped a byte at a time until one lines up.
        while len(buf) >= 8:
            if crc16(buf[:8]) == 0:
                out = answer(buf[:8])
                buf = buf[8:]
                if out:
                    os.write(master, out)
            else:
                buf = buf[1:]
    if stdin in r:
        chunk = os.read(stdin.fileno(), 4096)
        if not chunk:
            break
        pending += chunk
        quit_now = False
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            words = line.decode().split()
            if not words:
                continue
            reply = "ok"
            if words[0] == "reg":
                u, a = int(words[1]), int(words[2])
                for k, v in enumerate(words[3:]):
                    units.setdefault(u, {})[(a + k) & 0xFFFF] = int(v) & 0xFFFF
            elif words[0] == "silent":
                u = int(words[1])
                if words[2] == "1":
                    silent.add(u)
                else:
                    silent.discard(u)
            elif words[0] == "stats":
                reply = "ok " + " ".join(f"{u}:{n}" for u, n in sorted(answered.items()))
            elif words[0] == "quit":
                quit_now = True
            print(reply, flush=True)
        if quit_now:
            break
try:
    os.unlink(link)
except FileNotFoundError:
    pass
os.close(slave)
os.close(master)
