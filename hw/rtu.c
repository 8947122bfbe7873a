/*
 * rtu.c - the Modbus RTU master of the socket meters (rtu.h): the serial
 * device, the request scheduler, the answer framing and the reopen
 * back-off.  Why the frames are ours and not libmodbus's: rtu.h.
 */
#include "hw/rtu.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "hw"

/* Bytes read per rtu_bus_on_readable at most, so a line that never stops
 * sending cannot hold the loop. */
#define RTU_READ_BUDGET 1024

static const struct {
	int baud;
	speed_t speed;
} speeds[] = {
	{ 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 }, { 19200, B19200 },
	{ 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
};

static speed_t speed_of(int baud)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].baud == baud)
			return speeds[i].speed;
	return 0;
}

bool rtu_line_ok(const struct rtu_line *line)
{
	return line && speed_of(line->baud) != 0 &&
	    (line->parity == RTU_PARITY_NONE || line->parity == RTU_PARITY_EVEN ||
	     line->parity == RTU_PARITY_ODD);
}

void rtu_line_settings(struct termios *t, const struct rtu_line *line)
{
	speed_t speed = speed_of(line->baud);

	cfmakeraw(t);
	t->c_iflag &= ~(tcflag_t)(IUCLC | IXON | IXOFF | IXANY | IGNPAR | PARMRK | ISTRIP);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
	t->c_cflag |= CS8 | CLOCAL | CREAD;
	switch (line->parity) {
	case RTU_PARITY_EVEN:
		t->c_cflag |= PARENB;
		t->c_iflag |= INPCK;
		break;
	case RTU_PARITY_ODD:
		t->c_cflag |= PARENB | PARODD;
		t->c_iflag |= INPCK;
		break;
	default:
		/* Without parity two stop bits keep the character at 11 bits;
		 * a meter set to one stop bit reads them as idle line. */
		t->c_cflag |= CSTOPB;
		t->c_iflag &= ~(tcflag_t)INPCK;
		break;
	}
	t->c_cc[VMIN] = 0;
	t->c_cc[VTIME] = 0;
	cfsetispeed(t, speed);
	cfsetospeed(t, speed);
}

static cp_real_t after(cp_real_t t, int64_t ms)
{
	return cp_real(t.ms + ms);
}

static bool due(cp_real_t now, cp_real_t at)
{
	return now.ms >= at.ms;
}

/* Milliseconds n characters take on the wire, rounded up. */
static int64_t wire_ms(const struct rtu_bus *b, int n)
{
	return ((int64_t)n * b->char_us + 999) / 1000;
}

const char *rtu_error_text(enum rtu_error e)
{
	switch (e) {
	case RTU_ERR_NONE: return "";
	case RTU_ERR_TIMEOUT: return "not answering";
	case RTU_ERR_EXCEPTION: return "exception answer";
	case RTU_ERR_FRAME: return "bad frames";
	case RTU_ERR_RANGE: return "value out of range";
	case RTU_ERR_DEVICE: return "device failed";
	default: return "?";
	}
}

/* ---- the device -------------------------------------------------------- */

static int open_device(const char *path, const struct rtu_line *line)
{
	struct termios t;
	int fd, err;

	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &t) < 0)
		goto fail;
	rtu_line_settings(&t, line);
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		goto fail;
	(void)tcflush(fd, TCIOFLUSH);
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

/* The device failed or would not open: logged once per run of failures,
 * the next attempt after the back-off. */
static void device_failed(struct rtu_bus *b, int err, cp_real_t now)
{
	b->last_error = err;
	if (!b->failing) {
		b->failing = true;
		CP_WARN(TAG, "meter bus %s: %s; reopening", b->path, strerror(err));
	} else {
		CP_DEBUG(TAG, "meter bus %s still failing: %s; next try in %lld ms",
			 b->path, strerror(err), (long long)b->backoff_ms);
	}
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->rx_len = 0;
	b->state = RTU_CLOSED;
	b->deadline = after(now, b->backoff_ms);
	b->backoff_ms *= 2;
	if (b->backoff_ms > RTU_BACKOFF_MAX_MS)
		b->backoff_ms = RTU_BACKOFF_MAX_MS;
}

static int try_open(struct rtu_bus *b, cp_real_t now)
{
	int fd = open_device(b->path, &b->line);

	if (fd < 0) {
		device_failed(b, -fd, now);
		return fd;
	}
	b->fd = fd;
	b->rx_len = 0;
	b->backoff_ms = RTU_BACKOFF_MIN_MS;
	if (b->failing) {
		b->failing = false;
		b->reopens++;
		CP_INFO(TAG, "meter bus %s: open again", b->path);
	}
	/* Whatever a half-sent frame left on the line dies out first. */
	b->state = RTU_SILENCE;
	b->deadline = after(now, b->silence_ms);
	return 0;
}

int rtu_bus_init(struct rtu_bus *b, const char *path, const struct rtu_line *line,
		 cp_real_t now)
{
	size_t n = path ? strlen(path) : 0;
	int bits_us;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->active = -1;
	b->state = RTU_CLOSED;
	b->deadline = cp_real(INT64_MAX);
	b->backoff_ms = RTU_BACKOFF_MIN_MS;
	if (!path || !rtu_line_ok(line))
		return -EINVAL;
	if (n >= sizeof(b->path)) {
		CP_ERR(TAG, "meter bus: device path too long (%zu characters)", n);
		return -ENAMETOOLONG;
	}
	memcpy(b->path, path, n + 1);
	b->line = *line;
	/* Modbus over Serial Line V1.02 §2.5.1.1: 11 bits a character; the
	 * 3.5-character silence is fixed at 1.75 ms above 19200 baud. */
	bits_us = 1000000 / line->baud;
	b->char_us = 11 * bits_us + (11 * (1000000 % line->baud) + line->baud - 1) / line->baud;
	b->silence_ms = line->baud > 19200 ? 2 : (int)((7 * (int64_t)b->char_us / 2 + 999) / 1000);
	if (b->silence_ms < 2)
		b->silence_ms = 2;
	return try_open(b, now);
}

int rtu_bus_add_meter(struct rtu_bus *b, uint8_t unit, const struct rtu_map *map,
		      cp_real_t now)
{
	struct rtu_meter *m;

	if (b->n >= RTU_MAX_METERS)
		return -ENOSPC;
	if (unit < RTU_UNIT_MIN || unit > RTU_UNIT_MAX || !map)
		return -EINVAL;
	m = &b->m[b->n];
	memset(m, 0, sizeof(*m));
	if (rtu_map_plan(map, &m->poll) < 0)
		return -EINVAL;
	m->unit = unit;
	m->map = *map;
	m->due = now;
	return b->n++;
}

void rtu_bus_close(struct rtu_bus *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->path[0] = '\0';	/* for good: no reopen */
	b->state = RTU_CLOSED;
	b->deadline = cp_real(INT64_MAX);
	b->active = -1;
	b->rx_len = 0;
}

int rtu_bus_fd(const struct rtu_bus *b)
{
	return b->fd;
}

const struct rtu_meter *rtu_bus_meter(const struct rtu_bus *b, int i)
{
	return i >= 0 && i < b->n ? &b->m[i] : NULL;
}

/* ---- polls ------------------------------------------------------------- */

/* A poll that gave no reading: counted; the meter fails after
 * RTU_FAIL_AFTER of them in a row (logged once). */
static void poll_failed(struct rtu_bus *b, struct rtu_meter *m, enum rtu_error e)
{
	m->polling = false;
	m->cnt.polls_failed++;
	m->last_error = e;
	if (++m->misses >= RTU_FAIL_AFTER && !m->failed) {
		m->failed = true;
		m->seq++;
		if (e == RTU_ERR_EXCEPTION)
			CP_WARN(TAG, "meter unit %u on %s: exception 0x%02x, %u polls in a row failed",
				(unsigned)m->unit, b->path, (unsigned)m->last_exception,
				(unsigned)m->misses);
		else
			CP_WARN(TAG, "meter unit %u on %s: %s, %u polls in a row failed",
				(unsigned)m->unit, b->path, rtu_error_text(e), (unsigned)m->misses);
	}
}

static void poll_done(struct rtu_bus *b, struct rtu_meter *m, cp_real_t now)
{
	struct rtu_reading rd;

	if (rtu_map_reading(&m->map, &m->poll, &rd) < 0) {
		poll_failed(b, m, RTU_ERR_RANGE);
		return;
	}
	m->polling = false;
	m->reading = rd;
	m->reading_at = now;
	m->have_reading = true;
	m->cnt.polls_ok++;
	if (m->failed)
		CP_INFO(TAG, "meter unit %u on %s: readings again after %u failed polls",
			(unsigned)m->unit, b->path, (unsigned)m->misses);
	m->failed = false;
	m->misses = 0;
	m->last_error = RTU_ERR_NONE;
	m->seq++;
}

/* The line is to stay quiet for 3.5 characters (and longer after a read
 * that went wrong: until no byte came for that long). */
static void silence(struct rtu_bus *b, cp_real_t now)
{
	b->active = -1;
	b->rx_len = 0;
	b->state = RTU_SILENCE;
	b->deadline = after(now, b->silence_ms);
}

/* Sends read m->cur of meter i's poll. */
static void send_read(struct rtu_bus *b, int i, cp_real_t now)
{
	struct rtu_meter *m = &b->m[i];
	const struct mb_read_req *r = &m->poll.read[m->cur];
	uint8_t tx[RTU_REQ_LEN];
	ssize_t n;

	if (rtu_read_request(tx, m->unit, m->map.fn, r->addr, r->count) < 0) {
		/* A planned map always makes a request: fail closed. */
		poll_failed(b, m, RTU_ERR_FRAME);
		return;
	}
	do
		n = write(b->fd, tx, sizeof(tx));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
		poll_failed(b, m, RTU_ERR_DEVICE);
		device_failed(b, errno, now);
		return;
	}
	if (n != (ssize_t)sizeof(tx)) {
		/* The output queue is full: nothing drains it, the device is
		 * stuck.  A part of a frame went out: silence first. */
		poll_failed(b, m, RTU_ERR_DEVICE);
		silence(b, now);
		return;
	}
	b->active = i;
	b->expect = r->count;
	b->rx_len = 0;
	b->state = RTU_WAITING;
	b->deadline = after(now, wire_ms(b, RTU_REQ_LEN + 5 + 2 * r->count) + RTU_TIMEOUT_MS);
}

/* The meter whose poll goes next: one in progress, else the earliest due,
 * searching from b->next so that equals take turns.  -1 when none is due. */
static int pick(struct rtu_bus *b, cp_real_t now)
{
	int best = -1;

	for (int k = 0; k < b->n; k++) {
		int i = (b->next + k) % b->n;

		if (b->m[i].polling)
			return i;
		if (due(now, b->m[i].due) && (best < 0 || b->m[i].due.ms < b->m[best].due.ms))
			best = i;
	}
	return best;
}

static void start_poll(struct rtu_meter *m, cp_real_t now)
{
	/* Keep the once-a-second rhythm; after a stall, start it afresh. */
	m->due = after(m->due, RTU_POLL_MS);
	if (due(now, m->due))
		m->due = after(now, RTU_POLL_MS);
	m->cur = 0;
	m->polling = true;
}

static void run_idle(struct rtu_bus *b, cp_real_t now)
{
	int i = pick(b, now);

	if (i < 0)
		return;
	if (!b->m[i].polling)
		start_poll(&b->m[i], now);
	b->next = (i + 1) % b->n;
	send_read(b, i, now);
}

/* While the device is closed every due poll fails. */
static void run_closed(struct rtu_bus *b, cp_real_t now)
{
	for (int i = 0; i < b->n; i++) {
		struct rtu_meter *m = &b->m[i];

		if (m->polling || due(now, m->due)) {
			if (!m->polling)
				start_poll(m, now);
			poll_failed(b, m, RTU_ERR_DEVICE);
		}
	}
}

/* A whole answer is in rx while WAITING. */
static void on_answer(struct rtu_bus *b, int len, cp_real_t now)
{
	struct rtu_meter *m = &b->m[b->active];
	int rc = rtu_read_answer(b->rx, (size_t)len, m->unit, m->map.fn, b->expect,
				 m->poll.regs[m->cur]);

	if (rc < 0) {
		m->cnt.bad_frames++;
		poll_failed(b, m, RTU_ERR_FRAME);
	} else if (rc > 0) {
		m->cnt.exceptions++;
		m->last_exception = (uint8_t)rc;
		CP_DEBUG(TAG, "meter unit %u: exception 0x%02x reading %u registers at 0x%04x",
			 (unsigned)m->unit, rc, (unsigned)b->expect,
			 (unsigned)m->poll.read[m->cur].addr);
		poll_failed(b, m, RTU_ERR_EXCEPTION);
	} else if (++m->cur >= m->poll.n) {
		poll_done(b, m, now);
	}
	/* Between two frames, even of one poll, the line rests. */
	silence(b, now);
}

/* read() gave 0 on a descriptor the loop saw readable.  With VMIN = VTIME =
 * 0 that is also what an empty line gives, so ask poll(): a device that is
 * gone reports POLLHUP or POLLERR. */
static bool hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 0) < 0)
		return false;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void rtu_bus_on_readable(struct rtu_bus *b, cp_real_t now)
{
	uint8_t chunk[RTU_MAX_ADU];
	size_t total = 0;

	while (b->fd >= 0 && total < RTU_READ_BUDGET) {
		ssize_t r = read(b->fd, chunk, sizeof(chunk));
		int len;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (b->active >= 0)
				poll_failed(b, &b->m[b->active], RTU_ERR_DEVICE);
			b->active = -1;
			device_failed(b, errno, now);
			return;
		}
		if (r == 0) {
			if (total == 0 && hung_up(b->fd)) {
				if (b->active >= 0)
					poll_failed(b, &b->m[b->active], RTU_ERR_DEVICE);
				b->active = -1;
				device_failed(b, ENODEV, now);
			}
			return;
		}
		total += (size_t)r;
		if (b->state != RTU_WAITING) {
			/* Nobody asked: a late answer, noise, another master.
			 * The silence starts again from this byte. */
			b->stray_bytes += (uint32_t)r;
			if (b->state == RTU_SILENCE || b->state == RTU_IDLE) {
				b->state = RTU_SILENCE;
				b->deadline = after(now, b->silence_ms);
			}
			continue;
		}
		if ((size_t)b->rx_len + (size_t)r > sizeof(b->rx)) {
			b->m[b->active].cnt.bad_frames++;
			poll_failed(b, &b->m[b->active], RTU_ERR_FRAME);
			silence(b, now);
			continue;
		}
		memcpy(b->rx + b->rx_len, chunk, (size_t)r);
		b->rx_len += (int)r;
		len = rtu_answer_length(b->rx, (size_t)b->rx_len, b->m[b->active].map.fn);
		if (len < 0 || (len > 0 && len != b->rx_len)) {
			/* Not the answer, or more than one frame: the rest
			 * is read and dropped in the silence. */
			b->m[b->active].cnt.bad_frames++;
			poll_failed(b, &b->m[b->active], RTU_ERR_FRAME);
			silence(b, now);
		} else if (len > 0) {
			on_answer(b, len, now);
		}
	}
}

void rtu_bus_on_timer(struct rtu_bus *b, cp_real_t now)
{
	switch (b->state) {
	case RTU_CLOSED:
		run_closed(b, now);
		if (b->path[0] && due(now, b->deadline))
			(void)try_open(b, now);
		break;
	case RTU_WAITING:
		if (!due(now, b->deadline))
			break;
		assert(b->active >= 0);
		b->m[b->active].cnt.timeouts++;
		CP_DEBUG(TAG, "meter unit %u: no answer within %lld ms",
			 (unsigned)b->m[b->active].unit, (long long)(now.ms - b->deadline.ms) +
			 wire_ms(b, RTU_REQ_LEN + 5 + 2 * b->expect) + RTU_TIMEOUT_MS);
		poll_failed(b, &b->m[b->active], RTU_ERR_TIMEOUT);
		silence(b, now);
		break;
	case RTU_SILENCE:
		if (!due(now, b->deadline))
			break;
		b->state = RTU_IDLE;
		run_idle(b, now);
		break;
	case RTU_IDLE:
		run_idle(b, now);
		break;
	default:
		/* Fail closed: a state nobody set. */
		CP_ERR(TAG, "meter bus %s: state %d", b->path, (int)b->state);
		silence(b, now);
		break;
	}
}

cp_real_t rtu_bus_next_deadline(const struct rtu_bus *b)
{
	cp_real_t first = cp_real(INT64_MAX);

	switch (b->state) {
	case RTU_WAITING:
	case RTU_SILENCE:
		return b->deadline;
	case RTU_CLOSED:
		if (b->path[0])
			first = b->deadline;
		break;
	default:
		break;
	}
	/* IDLE, CLOSED: the earliest poll (closed: to count it failed). */
	for (int i = 0; i < b->n; i++) {
		if (b->m[i].polling)
			return b->state == RTU_CLOSED ? b->deadline : cp_real(INT64_MIN);
		if (b->m[i].due.ms < first.ms)
			first = b->m[i].due;
	}
	return first;
}
