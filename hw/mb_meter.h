/*
 * mb_meter.h - the grid meter over Modbus TCP (active load balancing): a
 * master that polls a meter once per second on the station's event loop,
 * with no thread and no blocking call.
 *
 * Driving it (the loop reads the clock once per event and passes it):
 *
 *	mb_meter_init(&m, "192.168.0.5", 502, 5, &map);
 *	loop:
 *		fd = mb_meter_fd(&m);		   watch it (it changes on every
 *						   reconnect; -1 while there is none)
 *		for POLLIN when fd >= 0, for POLLOUT when mb_meter_wants_write()
 *		poll timeout: mb_meter_next_deadline(&m) - now
 *		on POLLIN:	mb_meter_on_readable(&m, now)
 *		on POLLOUT:	mb_meter_on_writable(&m, now)
 *		always:		mb_meter_on_timer(&m, now)  (cheap when nothing is due)
 *	mb_meter_close(&m);
 *
 * What it does: connects (non-blocking connect, at most MB_METER_CONNECT_MS),
 * then polls every MB_METER_POLL_MS: the read requests of the map's plan
 * (mb_map.h), one at a time, each answered within MB_METER_TIMEOUT_MS.  A
 * poll whose every answer arrived and decoded is a reading; the last one
 * and the time it arrived stay available.  A Modbus exception response
 * counts as a failed poll and an exception, the reading is not applied and
 * the connection stays.  A timeout, a refused or lost connection, or an
 * answer that is not the one asked for (its framing, transaction, unit,
 * function or size) closes the connection; the next attempt comes after a
 * back-off that starts at MB_METER_BACKOFF_MIN_MS and doubles up to
 * MB_METER_BACKOFF_MAX_MS, and falls back to the minimum after a good
 * reading.  Losing the readings is logged once per episode (CP_WARN "hw"),
 * their return once (CP_INFO).
 *
 * Counters: polls_ok (readings), polls_failed (polls started that gave no
 * reading, and connection attempts that failed; polls are not attempted
 * while disconnected), exceptions, timeouts (answers and connections that
 * took too long), reconnects (connection attempts after the first).
 *
 * Time: every deadline is in the cp_mono_t the caller passes.  Under
 * --time-scale the caller decides which clock that is; the timeouts assume
 * it runs at about real speed.
 */
#ifndef HW_MB_METER_H
#define HW_MB_METER_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_time.h"
#include "hw/mb_map.h"

#define MB_METER_POLL_MS 1000
/* A meter on the LAN answers in tens of milliseconds; a second without an
 * answer means the link or the meter is gone. */
#define MB_METER_TIMEOUT_MS 1000
/* A SYN nobody answers would otherwise wait for the kernel's two minutes. */
#define MB_METER_CONNECT_MS 3000
#define MB_METER_BACKOFF_MIN_MS 1000
#define MB_METER_BACKOFF_MAX_MS 30000

enum mb_meter_state {
	MB_METER_IDLE,		/* no socket; next attempt at retry_at */
	MB_METER_CONNECTING,	/* connect() in progress */
	MB_METER_READY,		/* connected; next poll at poll_at */
	MB_METER_WAITING,	/* a request is out; answer due by deadline */
};

struct mb_meter_counters {
	uint32_t polls_ok;
	uint32_t polls_failed;
	uint32_t exceptions;
	uint32_t timeouts;
	uint32_t reconnects;
};

struct mb_meter {
	/* configuration */
	uint32_t ip;			/* network byte order */
	uint16_t port;
	uint8_t unit;
	struct mb_map map;
	char name[32];			/* "a.b.c.d:port/unit" for logs */
	/* connection */
	enum mb_meter_state state;
	int fd;
	bool attempted;			/* a connection was tried before */
	cp_mono_t retry_at, poll_at, deadline;
	int64_t backoff_ms;
	/* the poll in progress */
	struct mb_poll poll;
	int cur;			/* request in flight: poll.req[cur] */
	uint16_t tid;
	uint8_t tx[MB_READ_REQ_LEN];
	int tx_len, tx_off;
	uint8_t rx[MB_MAX_ADU];
	int rx_len;
	/* results */
	bool have_reading;
	struct mb_reading reading;
	cp_mono_t reading_at;
	bool lost;			/* in a loss episode (logged) */
	uint32_t lost_polls;
	struct mb_meter_counters cnt;
};

/* host: dotted IPv4.  map is copied.  No socket yet: the first connect is
 * due at once (mb_meter_next_deadline says so).  0 or -EINVAL (host not an
 * IPv4 address, port 0, a map mb_map_plan refuses). */
int mb_meter_init(struct mb_meter *m, const char *host, uint16_t port, uint8_t unit,
		  const struct mb_map *map);
/* Closes the socket; the meter stays usable (the next on_timer reconnects
 * without back-off). */
void mb_meter_close(struct mb_meter *m);

int mb_meter_fd(const struct mb_meter *m);
bool mb_meter_wants_write(const struct mb_meter *m);
void mb_meter_on_readable(struct mb_meter *m, cp_mono_t now);
void mb_meter_on_writable(struct mb_meter *m, cp_mono_t now);
void mb_meter_on_timer(struct mb_meter *m, cp_mono_t now);
cp_mono_t mb_meter_next_deadline(const struct mb_meter *m);

/* The last good reading and when it arrived: true, or false when there has
 * been none since init.  Its age is the caller's to judge. */
bool mb_meter_reading(const struct mb_meter *m, struct mb_reading *out, cp_mono_t *at);
const struct mb_meter_counters *mb_meter_counters(const struct mb_meter *m);

#endif
