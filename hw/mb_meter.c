/*
 * mb_meter.c - Modbus TCP master for the grid meter (mb_meter.h).
 *
 * The frames are built and parsed here with the pure codec (mb_map.c), not
 * by libmodbus.  libmodbus reads an answer to its end inside one call
 * (modbus_receive_confirmation): after the first bytes it waits in select()
 * for the rest, up to its byte timeout, and on a timeout it returns with
 * the bytes it read gone.  A meter or a gateway that sends one answer in
 * two TCP segments would stall the station's loop for that wait or leave
 * the stream without framing.  Here the bytes are buffered until
 * mb_adu_length() sees a whole frame: no call ever waits.
 *
 * One request is in flight at a time (Modbus Messaging on TCP/IP
 * Implementation Guide V1.0b §4.2.1 allows more, but a meter need not), so
 * an answer must carry the transaction id of the last request; anything
 * else means the stream is no longer what we think it is and the
 * connection is dropped.
 */
#include "hw/mb_meter.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "hw"

static cp_mono_t after(cp_mono_t t, int64_t ms)
{
	return cp_mono(t.ms + ms);
}

static bool due(cp_mono_t now, cp_mono_t at)
{
	return now.ms >= at.ms;
}

int mb_meter_init(struct mb_meter *m, const char *host, uint16_t port, uint8_t unit,
		  const struct mb_map *map)
{
	struct in_addr a;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (!host || inet_pton(AF_INET, host, &a) != 1 || port == 0 || !map ||
	    mb_map_plan(map, &m->poll) < 0)
		return -EINVAL;
	m->ip = a.s_addr;
	m->port = port;
	m->unit = unit;
	m->map = *map;
	snprintf(m->name, sizeof(m->name), "%s:%u/%u", host, (unsigned)port, (unsigned)unit);
	m->state = MB_METER_IDLE;
	m->retry_at = cp_mono(INT64_MIN);
	m->backoff_ms = MB_METER_BACKOFF_MIN_MS;
	return 0;
}

static void drop_socket(struct mb_meter *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	m->rx_len = 0;
	m->tx_len = m->tx_off = 0;
}

/* Every state change goes through here with its side effects: leaving
 * the connection closes the socket, the states that wait for the meter
 * arm their deadline.  Connection changes are logged (debug); the
 * once-a-second ready/waiting cycle is not. */
static void change_state(struct mb_meter *m, enum mb_meter_state s, cp_mono_t now)
{
	static const char *const names[] = {
		[MB_METER_IDLE] = "idle", [MB_METER_CONNECTING] = "connecting",
		[MB_METER_READY] = "ready", [MB_METER_WAITING] = "waiting",
	};

	if (s <= MB_METER_CONNECTING || m->state <= MB_METER_CONNECTING)
		CP_DEBUG(TAG, "modbus meter %s: %s -> %s", m->name, names[m->state], names[s]);
	switch (s) {
	case MB_METER_IDLE:
		drop_socket(m);
		break;
	case MB_METER_CONNECTING:
		m->deadline = after(now, MB_METER_CONNECT_MS);
		break;
	case MB_METER_READY:
		break;
	case MB_METER_WAITING:
		m->deadline = after(now, MB_METER_TIMEOUT_MS);
		break;
	default:
		assert(!"a meter state nobody defined");
		break;
	}
	m->state = s;
}

void mb_meter_close(struct mb_meter *m)
{
	change_state(m, MB_METER_IDLE, cp_mono(0));
	m->retry_at = cp_mono(INT64_MIN);
}

/* A poll that gave no reading: counted, and logged once per episode. */
__attribute__((format(printf, 2, 3)))
static void poll_failed(struct mb_meter *m, const char *fmt, ...)
{
	char why[96];
	va_list ap;

	m->cnt.polls_failed++;
	m->lost_polls++;
	if (m->lost)
		return;
	m->lost = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	CP_WARN(TAG, "modbus meter %s: no reading (%s); retrying", m->name, why);
}

/* Gives up the connection: the next attempt after the back-off. */
__attribute__((format(printf, 3, 4)))
static void fail(struct mb_meter *m, cp_mono_t now, const char *fmt, ...)
{
	char why[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	poll_failed(m, "%s", why);
	CP_DEBUG(TAG, "modbus meter %s: %s; next attempt in %lld ms", m->name, why,
		 (long long)m->backoff_ms);
	change_state(m, MB_METER_IDLE, now);
	m->retry_at = after(now, m->backoff_ms);
	m->backoff_ms *= 2;
	if (m->backoff_ms > MB_METER_BACKOFF_MAX_MS)
		m->backoff_ms = MB_METER_BACKOFF_MAX_MS;
}

static void connected(struct mb_meter *m, cp_mono_t now)
{
	change_state(m, MB_METER_READY, now);
	m->poll_at = now;
}

static void start_connect(struct mb_meter *m, cp_mono_t now)
{
	struct sockaddr_in sa;
	int one = 1;

	if (m->attempted)
		m->cnt.reconnects++;
	m->attempted = true;
	m->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		fail(m, now, "socket: %s", strerror(errno));
		return;
	}
	/* Requests are 12 bytes: send each at once, not after Nagle's wait. */
	setsockopt(m->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(m->port);
	sa.sin_addr.s_addr = m->ip;
	if (connect(m->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		connected(m, now);
	} else if (errno == EINPROGRESS) {
		change_state(m, MB_METER_CONNECTING, now);
	} else {
		fail(m, now, "connect: %s", strerror(errno));
	}
}

static void check_connect(struct mb_meter *m, cp_mono_t now)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(m->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0)
		connected(m, now);
	else if (err != EINPROGRESS && err != EALREADY)
		fail(m, now, "connect: %s", strerror(err));
}

static void flush_tx(struct mb_meter *m, cp_mono_t now)
{
	while (m->tx_off < m->tx_len) {
		ssize_t n = send(m->fd, m->tx + m->tx_off, (size_t)(m->tx_len - m->tx_off),
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				fail(m, now, "send: %s", strerror(errno));
			return;
		}
		m->tx_off += (int)n;
	}
}

static void send_request(struct mb_meter *m, cp_mono_t now)
{
	const struct mb_read_req *r = &m->poll.req[m->cur];

	m->tid++;
	m->tx_len = mb_adu_read_request(m->tx, m->tid, m->unit, r->addr, r->count);
	m->tx_off = 0;
	change_state(m, MB_METER_WAITING, now);
	flush_tx(m, now);
}

static void start_poll(struct mb_meter *m, cp_mono_t now)
{
	/* Keep the once-a-second rhythm; after a stall, start it afresh. */
	m->poll_at = after(m->poll_at, MB_METER_POLL_MS);
	if (due(now, m->poll_at))
		m->poll_at = after(now, MB_METER_POLL_MS);
	m->cur = 0;
	send_request(m, now);
}

static void poll_done(struct mb_meter *m, cp_mono_t now)
{
	struct mb_reading rd;
	int rc = mb_map_reading(&m->map, &m->poll, &rd);

	change_state(m, MB_METER_READY, now);
	if (rc < 0) {
		poll_failed(m, "a value out of range");
		return;
	}
	m->reading = rd;
	m->reading_at = now;
	m->have_reading = true;
	m->cnt.polls_ok++;
	m->backoff_ms = MB_METER_BACKOFF_MIN_MS;
	if (m->lost)
		CP_INFO(TAG, "modbus meter %s: readings again after %u failed polls",
			m->name, (unsigned)m->lost_polls);
	m->lost = false;
	m->lost_polls = 0;
}

/* One whole frame in rx (len bytes) while WAITING. */
static void on_frame(struct mb_meter *m, int len, cp_mono_t now)
{
	const struct mb_read_req *r = &m->poll.req[m->cur];
	int rc = mb_adu_read_response(m->rx, (size_t)len, m->tid, m->unit, r->count,
				      m->poll.regs[m->cur]);

	if (rc < 0) {
		fail(m, now, "an answer that does not match the request");
		return;
	}
	if (rc > 0) {
		/* The meter is there and refuses: keep the connection, try
		 * again at the next poll. */
		m->cnt.exceptions++;
		change_state(m, MB_METER_READY, now);
		poll_failed(m, "exception 0x%02x reading %u registers at %u", rc,
			    (unsigned)r->count, (unsigned)r->addr);
		return;
	}
	if (++m->cur < m->poll.n)
		send_request(m, now);
	else
		poll_done(m, now);
}

void mb_meter_on_readable(struct mb_meter *m, cp_mono_t now)
{
	ssize_t n;
	int len;

	if (m->fd < 0)
		return;
	if (m->state == MB_METER_CONNECTING) {
		check_connect(m, now);
		return;
	}
	n = recv(m->fd, m->rx + m->rx_len, sizeof(m->rx) - (size_t)m->rx_len, MSG_DONTWAIT);
	if (n == 0) {
		fail(m, now, "connection closed by the meter");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			fail(m, now, "recv: %s", strerror(errno));
		return;
	}
	m->rx_len += (int)n;
	if (m->state != MB_METER_WAITING) {
		fail(m, now, "data nobody asked for");
		return;
	}
	len = mb_adu_length(m->rx, (size_t)m->rx_len);
	if (len < 0) {
		fail(m, now, "a frame that is not Modbus TCP");
		return;
	}
	if (len == 0)
		return;		/* the rest is on its way */
	if (len != m->rx_len) {
		/* Only one request is out: one frame can come back. */
		fail(m, now, "data nobody asked for");
		return;
	}
	m->rx_len = 0;
	on_frame(m, len, now);
}

void mb_meter_on_writable(struct mb_meter *m, cp_mono_t now)
{
	if (m->fd < 0)
		return;
	if (m->state == MB_METER_CONNECTING)
		check_connect(m, now);
	else if (m->state == MB_METER_WAITING)
		flush_tx(m, now);
}

void mb_meter_on_timer(struct mb_meter *m, cp_mono_t now)
{
	switch (m->state) {
	case MB_METER_IDLE:
		if (due(now, m->retry_at))
			start_connect(m, now);
		break;
	case MB_METER_CONNECTING:
		if (due(now, m->deadline)) {
			m->cnt.timeouts++;
			fail(m, now, "no connection within %d ms", MB_METER_CONNECT_MS);
		}
		break;
	case MB_METER_READY:
		if (due(now, m->poll_at))
			start_poll(m, now);
		break;
	case MB_METER_WAITING:
		if (due(now, m->deadline)) {
			m->cnt.timeouts++;
			fail(m, now, "no answer within %d ms", MB_METER_TIMEOUT_MS);
		}
		break;
	default:
		/* Fail closed: a state nobody set. */
		CP_ERR(TAG, "modbus meter %s: state %d", m->name, (int)m->state);
		mb_meter_close(m);
		break;
	}
}

cp_mono_t mb_meter_next_deadline(const struct mb_meter *m)
{
	switch (m->state) {
	case MB_METER_IDLE:
		return m->retry_at;
	case MB_METER_READY:
		return m->poll_at;
	default:
		return m->deadline;
	}
}

int mb_meter_fd(const struct mb_meter *m)
{
	return m->fd;
}

bool mb_meter_wants_write(const struct mb_meter *m)
{
	return m->fd >= 0 && (m->state == MB_METER_CONNECTING ||
			      (m->state == MB_METER_WAITING && m->tx_off < m->tx_len));
}

bool mb_meter_reading(const struct mb_meter *m, struct mb_reading *out, cp_mono_t *at)
{
	if (!m->have_reading)
		return false;
	if (out)
		*out = m->reading;
	if (at)
		*at = m->reading_at;
	return true;
}

const struct mb_meter_counters *mb_meter_counters(const struct mb_meter *m)
{
	return &m->cnt;
}
