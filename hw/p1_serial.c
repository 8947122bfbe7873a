/*
 * p1_serial.c - the P1 serial port (hw/p1_serial.h): open, line settings,
 * non-blocking reads into the parser, and the reopen back-off.
 */
#include "hw/p1_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "p1"

void p1_line_settings(struct termios *t, enum p1_mode mode)
{
	speed_t speed = mode == P1_DSMR23 ? B9600 : B115200;

	cfmakeraw(t);
	/* What cfmakeraw leaves from an earlier user of the line: case
	 * mapping (it would change the bytes under the CRC), flow control,
	 * parity handling. */
	t->c_iflag &= ~(tcflag_t)(IUCLC | IXOFF | IXANY | IGNPAR | INPCK | ISTRIP);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
	t->c_cflag |= CLOCAL | CREAD;
	if (mode == P1_DSMR23) {
		/* 7E1 (DSMR 2.2 / 3.0): no CRC, so parity is the only check. */
		t->c_cflag |= CS7 | PARENB;
		t->c_iflag |= INPCK | ISTRIP;
	} else {
		t->c_cflag |= CS8;
	}
	t->c_cc[VMIN] = 0;
	t->c_cc[VTIME] = 0;
	cfsetispeed(t, speed);
	cfsetospeed(t, speed);
}

/* Opens path with the line settings of mode; returns the descriptor or a
 * negative errno. */
static int open_device(const char *path, enum p1_mode mode)
{
	struct termios t;
	int fd, err;

	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (tcgetattr(fd, &t) < 0)
		goto fail;
	p1_line_settings(&t, mode);
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		goto fail;
	/* Whatever waited in the driver belongs to a telegram half gone. */
	(void)tcflush(fd, TCIFLUSH);
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

/* The device failed or would not open: note it, log it once per run of
 * failures, and schedule the next attempt. */
static void failed(struct p1_port *port, int err, cp_mono_t now)
{
	port->last_error = err;
	if (!port->failing) {
		port->failing = true;
		port->failures++;
		CP_WARN(TAG, "P1 Device failure: %s (%s)", strerror(err), port->path);
	} else {
		CP_DEBUG(TAG, "P1 device %s still failing: %s; next try in %lld ms",
			 port->path, strerror(err), (long long)port->backoff_ms);
	}
	port->reopen_at = cp_mono(now.ms + port->backoff_ms);
	port->backoff_ms *= 2;
	if (port->backoff_ms > P1_PORT_BACKOFF_MAX_MS)
		port->backoff_ms = P1_PORT_BACKOFF_MAX_MS;
}

static int try_open(struct p1_port *port, cp_mono_t now)
{
	int fd = open_device(port->path, port->mode);

	if (fd < 0) {
		failed(port, -fd, now);
		return fd;
	}
	port->fd = fd;
	port->reopen_at = cp_mono(P1_PORT_NEVER);
	/* A telegram half read before the failure must not join the new bytes. */
	p1_resync(&port->parser);
	if (port->failing) {
		port->reopens++;
		CP_DEBUG(TAG, "P1 device %s reopened", port->path);
	}
	return 0;
}

static void lost(struct p1_port *port, int err, cp_mono_t now)
{
	close(port->fd);
	port->fd = -1;
	failed(port, err, now);
}

int p1_port_init(struct p1_port *port, const char *path, enum p1_mode mode, cp_mono_t now)
{
	size_t n = strlen(path);

	p1_init(&port->parser, mode);
	port->mode = mode;
	port->fd = -1;
	port->failing = false;
	port->failures = 0;
	port->reopens = 0;
	port->last_error = 0;
	port->last_reading = cp_mono(-1);
	port->backoff_ms = P1_PORT_BACKOFF_MIN_MS;
	port->reopen_at = cp_mono(P1_PORT_NEVER);
	if (n >= sizeof(port->path)) {
		port->path[0] = '\0';
		port->last_error = ENAMETOOLONG;
		CP_ERR(TAG, "P1 device path too long (%zu characters)", n);
		return -ENAMETOOLONG;
	}
	memcpy(port->path, path, n + 1);
	return try_open(port, now);
}

int p1_port_fd(const struct p1_port *port)
{
	return port->fd;
}

/* read() gave 0 on a descriptor the loop saw readable.  With VMIN = VTIME =
 * 0 that is also what an empty line gives, so ask poll(): a device that is
 * gone (a hung-up tty) reports POLLHUP or POLLERR. */
static bool hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 0) < 0)
		return false;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

int p1_port_on_readable(struct p1_port *port, cp_mono_t now, p1_reading_cb cb, void *ctx)
{
	uint8_t chunk[512];
	size_t total = 0;
	int readings = 0;

	if (port->fd < 0)
		return 0;
	while (total < P1_PORT_READ_BUDGET) {
		ssize_t r = read(port->fd, chunk, sizeof(chunk));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* EIO, ENXIO, ENODEV: the device is gone. */
			int err = errno;
			lost(port, err, now);
			return -err;
		}
		if (r == 0) {
			if (total == 0 && hung_up(port->fd)) {
				lost(port, ENODEV, now);
				return -ENODEV;
			}
			break;
		}
		total += (size_t)r;
		for (size_t off = 0; off < (size_t)r; ) {
			struct p1_reading rd;
			bool got;

			off += p1_feed(&port->parser, chunk + off, (size_t)r - off, &rd, &got);
			if (!got)
				continue;
			readings++;
			port->last_reading = now;
			if (port->failing) {
				port->failing = false;
				CP_INFO(TAG, "P1 device %s: telegrams again", port->path);
			}
			port->backoff_ms = P1_PORT_BACKOFF_MIN_MS;
			if (cb)
				cb(ctx, &rd, now);
		}
	}
	return readings;
}

int p1_port_on_timer(struct p1_port *port, cp_mono_t now)
{
	int rc;

	if (port->fd >= 0 || port->reopen_at.ms == P1_PORT_NEVER || now.ms < port->reopen_at.ms)
		return 0;
	rc = try_open(port, now);
	return rc < 0 ? rc : 1;
}

cp_mono_t p1_port_next_deadline(const struct p1_port *port)
{
	return port->fd >= 0 ? cp_mono(P1_PORT_NEVER) : port->reopen_at;
}

void p1_port_close(struct p1_port *port)
{
	if (port->fd >= 0)
		close(port->fd);
	port->fd = -1;
	port->reopen_at = cp_mono(P1_PORT_NEVER);
	p1_resync(&port->parser);
}
