/*
 * p1_serial.h - the P1 port: a serial device (the daemon's default is
 * /dev/ttyS1; a USB adapter is /dev/ttyUSB0 or a udev symlink) read without
 * blocking and fed to the telegram parser (hw/p1.h).
 *
 * Line settings (DSMR 5.0.2 P1 Companion Standard, transfer speed and
 * character formatting): DSMR 4.x and 5.x send 115200 baud 8N1; DSMR 2.2
 * and 3.0 send 9600 baud 7E1, whose parity is checked (a character that
 * fails it reads as NUL, which spoils its line: these telegrams carry no
 * CRC).  Raw mode, no flow control, modem lines ignored (CLOCAL), VMIN = 0
 * and VTIME = 0 so that no read can wait even without O_NONBLOCK.
 *
 * Made for one event loop: watch p1_port_fd() for input and call
 * p1_port_on_readable(); wake at p1_port_next_deadline() and call
 * p1_port_on_timer().  No call blocks or sleeps.
 *
 * The device can go away (a USB adapter unplugged, a pseudo-terminal whose
 * other side closed): the port closes its descriptor and reopens the path
 * after 1 s, then 2, 4, 8, 16 and every 30 s (station time) until it opens;
 * the wait starts again from 1 s once a telegram has been read.  One warning
 * "P1 Device failure: <reason> (<path>)" per failure, however many reopen
 * attempts fail after it, and one info line when telegrams flow again.
 *
 * The port owns its descriptor: only the port closes it.  An event loop
 * that closes what it watches must watch a dup() of it instead.
 */
#ifndef HW_P1_SERIAL_H
#define HW_P1_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "hw/p1.h"

/* Deadline of a port that is open (or closed for good). */
#define P1_PORT_NEVER INT64_MAX
/* Reopen back-off: the first wait, and the longest. */
#define P1_PORT_BACKOFF_MIN_MS 1000
#define P1_PORT_BACKOFF_MAX_MS 30000
/* Bytes read per p1_port_on_readable at most, so a device that never stops
 * sending cannot hold the loop: at 115200 baud this is a third of a second
 * of input; the rest waits for the next round. */
#define P1_PORT_READ_BUDGET 4096

/* Caller-owned.  Fields are the port's; read the counters, change none. */
struct p1_port {
	struct p1_parser parser;	/* its counters: telegrams_ok, crc_errors, ... */
	char path[CP_MAX_PATH];
	enum p1_mode mode;
	int fd;				/* -1 while closed */
	cp_mono_t reopen_at;		/* while closed: the next attempt */
	int64_t backoff_ms;		/* wait after the next failure */
	bool failing;			/* failed, no telegram since */

	uint32_t failures;		/* failures (a run of failed reopens is one) */
	uint32_t reopens;		/* opens after a failure */
	int last_error;			/* errno of the last failure; 0 = none yet */
	cp_mono_t last_reading;		/* when the last telegram came; ms -1 = never */
};

/* Called for each reading, in the order the telegrams came.  It must not
 * close the port. */
typedef void (*p1_reading_cb)(void *ctx, const struct p1_reading *r, cp_mono_t now);

/*
 * Sets the port up for path (copied) and tries to open it at once.
 * Returns 0 when open; otherwise the negative errno of the attempt, and the
 * port retries on its own (p1_port_on_timer) -- except for -ENAMETOOLONG
 * (path longer than CP_MAX_PATH - 1), which leaves it closed for good.
 */
int p1_port_init(struct p1_port *port, const char *path, enum p1_mode mode, cp_mono_t now);

/* The descriptor to watch for input, or -1 while closed.  It changes only
 * when p1_port_on_timer returns 1 (a new one) or p1_port_on_readable
 * returns < 0 (closed). */
int p1_port_fd(const struct p1_port *port);

/*
 * Reads what the device has (at most P1_PORT_READ_BUDGET bytes) and calls
 * cb for each telegram accepted.  Returns how many, or a negative errno
 * when the device failed: the descriptor is then closed and a reopen
 * scheduled.  Nothing happens while closed (returns 0).
 */
int p1_port_on_readable(struct p1_port *port, cp_mono_t now, p1_reading_cb cb, void *ctx);

/* When the reopen is due: tries it.  Returns 1 when the port opened (watch
 * the new p1_port_fd()), 0 when there was nothing to do, or the negative
 * errno of a failed attempt (the next is scheduled). */
int p1_port_on_timer(struct p1_port *port, cp_mono_t now);

/* The next reopen attempt; ms = P1_PORT_NEVER while open. */
cp_mono_t p1_port_next_deadline(const struct p1_port *port);

/* Closes the device for good (shutdown). */
void p1_port_close(struct p1_port *port);

/* The line settings the port applies (above), on top of what tcgetattr
 * gave.  Exposed for tests: a pseudo-terminal keeps the speed but always
 * reports 8 bits without parity. */
void p1_line_settings(struct termios *t, enum p1_mode mode);

#endif
