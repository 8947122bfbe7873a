/*
 * ems_server.c - the EMS Modbus TCP slave's sockets (ems_server.h).
 *
 * libmodbus creates the listening socket (modbus_new_tcp and
 * modbus_tcp_listen).  Requests are not read with modbus_receive: it reads
 * a frame to its end inside one call, waiting in select() for the rest of
 * a frame that arrived in pieces (up to its byte timeout, and with no
 * indication timeout set, for as long as the master likes), so one slow or
 * hostile master would stall the station's loop.  Each master has a frame
 * buffer instead; mb_adu_length() says when a request is whole, and
 * ems_handle() (pure) builds the answer, which goes out with one
 * non-blocking send.
 */
#include "hw/ems_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <modbus.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "hw"
/* Connections the kernel may queue before we accept them. */
#define EMS_BACKLOG 4

static void init_slots(struct ems_server *srv)
{
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++) {
		srv->m[i].fd = -1;
		srv->m[i].rx_len = 0;
	}
}

int ems_server_open(struct ems_server *srv, const char *bind_addr, uint16_t port)
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr a;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	modbus_t *ctx;
	int fd, flags, rc;

	memset(srv, 0, sizeof(*srv));
	srv->listen_fd = -1;
	init_slots(srv);
	if (!bind_addr)
		bind_addr = "0.0.0.0";
	/* libmodbus reads any text starting with '0' as "every address";
	 * hand it the canonical form of a checked address. */
	if (inet_pton(AF_INET, bind_addr, &a) != 1 || !inet_ntop(AF_INET, &a, ip, sizeof(ip)))
		return -EINVAL;
	ctx = modbus_new_tcp(ip, port);
	if (!ctx)
		return errno ? -errno : -ENOMEM;
	fd = modbus_tcp_listen(ctx, EMS_BACKLOG);
	if (fd < 0) {
		rc = errno ? -errno : -EIO;
		modbus_free(ctx);
		return rc;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		rc = -errno;
		close(fd);
		modbus_free(ctx);
		return rc;
	}
	srv->ctx = ctx;
	srv->listen_fd = fd;
	srv->port = ntohs(sa.sin_port);
	CP_INFO(TAG, "EMS Modbus TCP slave listening on %s:%u", ip, (unsigned)srv->port);
	return 0;
}

static void drop_master(struct ems_server *srv, struct ems_master *m, const char *why)
{
	if (why) {
		srv->cnt.dropped++;
		CP_INFO(TAG, "EMS master closed: %s", why);
	}
	close(m->fd);
	m->fd = -1;
	m->rx_len = 0;
}

void ems_server_close(struct ems_server *srv)
{
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++)
		if (srv->m[i].fd >= 0)
			drop_master(srv, &srv->m[i], NULL);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	if (srv->ctx)
		modbus_free(srv->ctx);
	srv->ctx = NULL;
}

uint16_t ems_server_port(const struct ems_server *srv)
{
	return srv->port;
}

int ems_server_fds(const struct ems_server *srv, int fds[1 + CP_MAX_EMS_MASTERS])
{
	int n = 0;

	if (srv->listen_fd < 0)
		return 0;
	fds[n++] = srv->listen_fd;
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++)
		if (srv->m[i].fd >= 0)
			fds[n++] = srv->m[i].fd;
	return n;
}

int ems_server_masters(const struct ems_server *srv)
{
	int n = 0;

	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++)
		n += srv->m[i].fd >= 0;
	return n;
}

static void accept_all(struct ems_server *srv, cp_mono_t now)
{
	for (;;) {
		int one = 1, i;
		int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				CP_WARN(TAG, "EMS accept: %s", strerror(errno));
			return;
		}
		for (i = 0; i < CP_MAX_EMS_MASTERS && srv->m[i].fd >= 0; i++)
			;
		if (i == CP_MAX_EMS_MASTERS) {
			srv->cnt.refused++;
			CP_WARN(TAG, "EMS master refused: %d already connected",
				CP_MAX_EMS_MASTERS);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		srv->m[i].fd = fd;
		srv->m[i].rx_len = 0;
		srv->m[i].last = now;
		CP_DEBUG(TAG, "EMS master connected (%d of %d)", ems_server_masters(srv),
			 CP_MAX_EMS_MASTERS);
	}
}

/* Answers every whole request in m->rx; false when m was closed. */
static bool serve(struct ems_server *srv, struct ems_master *m, cp_mono_t now,
		  const struct ems_snapshot *snap, struct ems_state *st)
{
	uint8_t rsp[MB_MAX_ADU];

	for (;;) {
		int len = mb_adu_length(m->rx, (size_t)m->rx_len), n;
		ssize_t sent;

		if (len < 0) {
			drop_master(srv, m, "not Modbus TCP framing");
			return false;
		}
		if (len == 0)
			return true;
		n = ems_handle(st, snap, now, m->rx, (size_t)len, rsp);
		if (n < 0) {
			drop_master(srv, m, "not Modbus TCP framing");
			return false;
		}
		srv->cnt.requests++;
		if (rsp[7] & 0x80)
			srv->cnt.exceptions++;
		sent = send(m->fd, rsp, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (sent != n) {
			drop_master(srv, m, sent < 0 ? strerror(errno) : "answer not taken");
			return false;
		}
		m->last = now;
		memmove(m->rx, m->rx + len, (size_t)(m->rx_len - len));
		m->rx_len -= len;
	}
}

void ems_server_on_readable(struct ems_server *srv, int fd, cp_mono_t now,
			    const struct ems_snapshot *snap, struct ems_state *st)
{
	if (fd < 0)
		return;
	if (fd == srv->listen_fd) {
		accept_all(srv, now);
		return;
	}
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++) {
		struct ems_master *m = &srv->m[i];
		ssize_t n;

		if (m->fd != fd)
			continue;
		n = recv(fd, m->rx + m->rx_len, sizeof(m->rx) - (size_t)m->rx_len, MSG_DONTWAIT);
		if (n == 0) {
			CP_DEBUG(TAG, "EMS master disconnected");
			drop_master(srv, m, NULL);
		} else if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				drop_master(srv, m, strerror(errno));
		} else {
			m->rx_len += (int)n;
			serve(srv, m, now, snap, st);
		}
		return;
	}
}

void ems_server_on_timer(struct ems_server *srv, cp_mono_t now)
{
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++)
		if (srv->m[i].fd >= 0 && now.ms - srv->m[i].last.ms >= EMS_IDLE_MS)
			drop_master(srv, &srv->m[i], "idle for 60 s");
}

cp_mono_t ems_server_next_deadline(const struct ems_server *srv)
{
	int64_t t = INT64_MAX;

	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++)
		if (srv->m[i].fd >= 0 && srv->m[i].last.ms + EMS_IDLE_MS < t)
			t = srv->m[i].last.ms + EMS_IDLE_MS;
	return cp_mono(t);
}
