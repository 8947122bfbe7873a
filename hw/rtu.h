/*
 * rtu.h - the socket energy meters on one Modbus RTU bus (RS-485 on a
 * serial device): a master that polls each meter about once a second on
 * the station's event loop, one request on the wire at a time, with no
 * thread and no blocking call.
 *
 * Driving it (the loop reads the clock once per event and passes it):
 *
 *	rtu_bus_init(&b, "/dev/ttyUSB0", &line, now);
 *	rtu_bus_add_meter(&b, 1, &map, now);	  one per socket
 *	loop:
 *		fd = rtu_bus_fd(&b);		  watch it for input (it changes
 *						  on every reopen; -1 while closed)
 *		poll timeout: rtu_bus_next_deadline(&b) - now
 *		on POLLIN:	rtu_bus_on_readable(&b, now)
 *		always:		rtu_bus_on_timer(&b, now)  (cheap when nothing is due)
 *	rtu_bus_close(&b);
 *
 * The bus (Modbus over Serial Line V1.02): the master sends a request, the
 * addressed meter answers, and between frames the line stays silent for at
 * least 3.5 character times (§2.5.1.1; a fixed 1.75 ms above 19200 baud).
 * Each meter's poll is its map's reads (hw/rtu_map.h), one after the other;
 * the next meter whose poll is due goes next, so two meters share the
 * line.  An answer must come within RTU_TIMEOUT_MS after the time the
 * request and the longest answer take on the wire.  A poll whose every
 * read was answered and decoded is a reading.  A poll fails on a timeout,
 * an exception answer (the meter is there but refuses the map), a frame
 * that is not the answer asked for (CRC, address, function, length) or a
 * value out of range; the rest of that poll is skipped and the meter's
 * next poll comes in its rhythm.  After a failed read the line must be
 * quiet for 3.5 characters before the next request: a late answer is
 * read and dropped, never taken for the next one.
 *
 * A meter is failed after RTU_FAIL_AFTER polls in a row failed and is
 * good again after one reading: each change is logged once (CP_WARN,
 * CP_INFO "hw") and bumps its seq, like every new reading.
 *
 * The device can go away (a USB adapter unplugged): the bus closes it and
 * reopens after 1 s, 2, 4 ... at most every 30 s, like the P1 port
 * (hw/p1_serial.h); while it is closed every due poll fails, so the
 * meters fail too.
 *
 * Why not libmodbus: its RTU backend reads an answer to its end inside one
 * call, waiting in select() for the rest of the frame (its response and
 * byte timeouts); the station's loop cannot wait.  The frames are built
 * and checked here with the pure codec (hw/rtu_map.c) and the bytes are
 * buffered until a whole answer is in.
 *
 * Time: cp_real_t, real milliseconds: the timeouts and the silence are the
 * serial line's, which --time-scale does not speed up.
 *
 * The bus owns its descriptor: only the bus closes it.  An event loop
 * that closes what it watches must watch a dup() of it instead.
 */
#ifndef HW_RTU_H
#define HW_RTU_H

#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "hw/rtu_map.h"

/* One meter per socket. */
#define RTU_MAX_METERS CP_MAX_CONNECTORS
/* A poll per meter a second: the control cycle reacts to a current
 * change within one driver tick of the reading, and MeterValues are
 * sampled at most once a second. */
#define RTU_POLL_MS 1000
/* Beyond the time the frames take on the wire: energy meters answer
 * within tens of milliseconds. */
#define RTU_TIMEOUT_MS 300
/* Failed polls in a row that make a meter failed: one lost frame on a
 * noisy line is not a failure, three seconds of silence are. */
#define RTU_FAIL_AFTER 3
#define RTU_BACKOFF_MIN_MS 1000
#define RTU_BACKOFF_MAX_MS 30000

enum rtu_parity { RTU_PARITY_NONE, RTU_PARITY_EVEN, RTU_PARITY_ODD };

struct rtu_line {
	int baud;		/* 2400, 4800, 9600, 19200, 38400, 57600 or 115200 */
	enum rtu_parity parity;
};

enum rtu_error {
	RTU_ERR_NONE = 0,
	RTU_ERR_TIMEOUT,	/* no answer in time */
	RTU_ERR_EXCEPTION,	/* an exception answer (code in last_exception) */
	RTU_ERR_FRAME,		/* CRC, address, function or length wrong */
	RTU_ERR_RANGE,		/* a value NaN, infinite or out of range */
	RTU_ERR_DEVICE,		/* the serial device is closed or failed */
};

struct rtu_meter_counters {
	uint32_t polls_ok;
	uint32_t polls_failed;
	uint32_t timeouts;
	uint32_t exceptions;
	uint32_t bad_frames;
};

/* Fields are the bus's; read them, change none. */
struct rtu_meter {
	uint8_t unit;
	struct rtu_map map;
	struct rtu_poll poll;
	int cur;			/* the read of the poll in progress */
	bool polling;			/* a poll is in progress */
	cp_real_t due;			/* the next poll */
	bool have_reading;
	struct rtu_reading reading;
	cp_real_t reading_at;
	uint32_t misses;		/* failed polls in a row */
	bool failed;			/* misses >= RTU_FAIL_AFTER */
	enum rtu_error last_error;
	uint8_t last_exception;
	uint32_t seq;			/* bumped on a reading or a failed change */
	struct rtu_meter_counters cnt;
};

enum rtu_state {
	RTU_CLOSED,	/* no device; reopen at deadline */
	RTU_IDLE,	/* line free; the next poll when one is due */
	RTU_WAITING,	/* a request is out; its answer due by deadline */
	RTU_SILENCE,	/* the line must stay quiet until deadline */
};

struct rtu_bus {
	char path[CP_MAX_PATH];
	struct rtu_line line;
	int fd;
	enum rtu_state state;
	cp_real_t deadline;
	int64_t backoff_ms;
	bool failing;			/* the device failed; not open since */
	int last_error;			/* errno of the last device failure */
	uint32_t reopens;
	uint32_t stray_bytes;		/* input nobody asked for */
	int n;
	struct rtu_meter m[RTU_MAX_METERS];
	int active;			/* meter whose request is out; -1 none */
	int next;			/* where the search for a due poll starts */
	uint16_t expect;		/* registers the request in flight asks for */
	uint8_t rx[RTU_MAX_ADU];
	int rx_len;
	int silence_ms;			/* 3.5 characters, rounded up */
	int char_us;			/* one 11-bit character */
};

/* Whether a line is one rtu_bus_init takes. */
bool rtu_line_ok(const struct rtu_line *line);
/* The line settings the bus applies on top of what tcgetattr gave: raw,
 * 8 data bits, the parity, 1 stop bit with parity and 2 without (Modbus
 * over Serial Line V1.02 §2.5.1: every character 11 bits), no flow
 * control, modem lines ignored, VMIN = VTIME = 0.  Exposed for tests. */
void rtu_line_settings(struct termios *t, const struct rtu_line *line);

/* Sets the bus up for path (copied) and tries to open it at once: 0 when
 * open; otherwise the negative errno of the attempt, and the bus retries
 * on its own -- except for -EINVAL (a line rtu_line_ok refuses) and
 * -ENAMETOOLONG (path of CP_MAX_PATH or more), which leave it closed for
 * good.  No meter yet. */
int rtu_bus_init(struct rtu_bus *b, const char *path, const struct rtu_line *line,
		 cp_real_t now);
/* Adds a meter (map copied); its first poll is due at once.  The index
 * (0..RTU_MAX_METERS-1), -ENOSPC when full, -EINVAL for a unit outside
 * 1..247 or a map rtu_map_plan refuses. */
int rtu_bus_add_meter(struct rtu_bus *b, uint8_t unit, const struct rtu_map *map,
		      cp_real_t now);
/* Closes the device for good (shutdown). */
void rtu_bus_close(struct rtu_bus *b);

int rtu_bus_fd(const struct rtu_bus *b);
void rtu_bus_on_readable(struct rtu_bus *b, cp_real_t now);
void rtu_bus_on_timer(struct rtu_bus *b, cp_real_t now);
cp_real_t rtu_bus_next_deadline(const struct rtu_bus *b);

/* NULL for a bad index. */
const struct rtu_meter *rtu_bus_meter(const struct rtu_bus *b, int i);
/* "not answering", "exception 0x02", "bad frames", "value out of range",
 * "device failed"; "" for RTU_ERR_NONE. */
const char *rtu_error_text(enum rtu_error e);

#endif
