#!/usr/bin/env python3
# A DSMR P1 meter on a pseudo-terminal for the conformance cases: the
# station opens the slave side through a symlink (ALB-P1Device), as it would
# a USB P1 cable.  Commands on stdin, one per line:
#   send <base64>   write these bytes to the meter side
#   unplug          close the pty and remove the link (the cable is pulled)
#   plug            a new pty behind the same link (plugged back in)
#   quit
# Each command is answered "ok" on stdout.
import base64
import os
import pty
import sys
import termios
import tty

link = sys.argv[1]
master = slave = -1


def plug():
    global master, slave
    master, slave = pty.openpty()
    tty.setraw(slave)
    attrs = termios.tcgetattr(slave)
    attrs[4] = attrs[5] = termios.B115200
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    name = os.ttyname(slave)
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(name, link)


def unplug():
    global master, slave
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    for fd in (slave, master):
        if fd >= 0:
            os.close(fd)
    master = slave = -1


plug()
print("ok", flush=True)
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "send" and master >= 0:
        os.write(master, base64.b64decode(arg))
    elif cmd == "unplug":
        unplug()
    elif cmd == "plug":
        plug()
    elif cmd == "quit":
        break
    print("ok", flush=True)
unplug()
