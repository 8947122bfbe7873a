/* test_ocpp_ws.c - the websocket client's reconnect loop against real
 * sockets on the loopback: every connection attempt that ends (refused, a
 * server that accepts TCP and never answers the HTTP upgrade, an attempt the
 * watchdog abandons) is reported once and followed by exactly one next
 * attempt with the back-off (OCPP-J 1.6 section 5.3 leaves reconnecting to
 * the charge point; it must never stop). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cp_log.h"
#include "ocpp/ws.h"

struct fixture {
	struct lws_context *ctx;
	struct ws_client c;
	int listen_fd;		/* -1: nothing listens on port */
	int port;
	int accepted;		/* TCP connections the stalling server took */
	int fds[64];
	int opens, closes;
};

static void on_open(void *user)
{
	((struct fixture *)user)->opens++;
}

static void on_close(void *user)
{
	((struct fixture *)user)->closes++;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A listening socket on 127.0.0.1 that never reads or answers: the TCP
 * handshake completes (the kernel does it), the HTTP upgrade never does. */
static int stall_server(struct fixture *fx)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		close(fd);
		return -errno;
	}
	fx->listen_fd = fd;
	fx->port = ntohs(sa.sin_port);
	return 0;
}

/* A port nothing listens on: bound, read, closed. */
static int closed_port(struct fixture *fx)
{
	int r = stall_server(fx);

	if (r == 0) {
		close(fx->listen_fd);
		fx->listen_fd = -1;
	}
	return r;
}

static struct fixture *start(int lws_timeout_s, int (*server)(struct fixture *), int watchdog_ms)
{
	static struct lws_protocols protocols[2];
	struct lws_context_creation_info info;
	struct ws_client_cbs cbs = { .on_open = on_open, .on_close = on_close };
	struct fixture *fx = calloc(1, sizeof(*fx));
	char url[64];

	assert_non_null(fx);
	fx->listen_fd = -1;
	assert_int_equal(server(fx), 0);
	/* The daemon's layout: the client's row is protocols[0]. */
	protocols[0] = ws_client_protocol;
	memset(&info, 0, sizeof(info));
	info.protocols = protocols;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.timeout_secs = (unsigned)lws_timeout_s;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	lws_set_log_level(LLL_ERR, NULL);
	fx->ctx = lws_create_context(&info);
	assert_non_null(fx->ctx);
	snprintf(url, sizeof(url), "ws://127.0.0.1:%d/ocpp", fx->port);
	assert_int_equal(ws_client_init(&fx->c, fx->ctx, lws_get_vhost_by_name(fx->ctx, "default"),
	    url, "CP1", &cbs, fx), 0);
	if (watchdog_ms > 0)
		ws_client_set_connect_timeout(&fx->c, watchdog_ms);
	ws_client_start(&fx->c);
	return fx;
}

/* Runs the loop for ms of real time, taking the stalling server's
 * connections as they come. */
static void run_for(struct fixture *fx, int ms)
{
	int64_t end = now_ms() + ms;

	while (now_ms() < end) {
		lws_service(fx->ctx, 0);
		if (fx->listen_fd >= 0) {
			int fd = accept(fx->listen_fd, NULL, NULL);
			if (fd >= 0 && fx->accepted < 64)
				fx->fds[fx->accepted++] = fd;
			else if (fd >= 0)
				close(fd);
		}
	}
}

static void stop(struct fixture *fx)
{
	ws_client_stop(&fx->c);
	lws_context_destroy(fx->ctx);
	ws_client_free(&fx->c);
	for (int i = 0; i < fx->accepted; i++)
		close(fx->fds[i]);
	if (fx->listen_fd >= 0)
		close(fx->listen_fd);
	free(fx);
}

/* Every ended attempt: one on_close, one reconnect, one back-off step. */
static void assert_one_retry_per_attempt(const struct fixture *fx)
{
	if ((int)fx->c.reconnects != fx->closes || fx->c.attempts != fx->closes)
		fail_msg("%d attempts ended, %u reconnects scheduled, back-off step %d",
		    fx->closes, fx->c.reconnects, fx->c.attempts);
}

/*
 * A server that accepts TCP and never answers the upgrade: libwebsockets
 * gives up on the attempt after its timeout (1 s here) and the client must
 * try again after the back-off (1 s +-20 %), then again (2 s): three
 * connections within 6 s, not one connection and silence forever.
 */
static void test_stalled_handshake(void **state)
{
	struct fixture *fx = start(1, stall_server, 0);

	(void)state;
	run_for(fx, 6000);
	assert_int_equal(fx->opens, 0);
	if (fx->accepted < 2)
		fail_msg("%d connection(s) to the stalling server in 6 s: no reconnect after the "
		    "handshake timed out (%d attempts ended)", fx->accepted, fx->closes);
	assert_true(fx->closes >= fx->accepted - 1 && fx->closes <= fx->accepted);
	assert_one_retry_per_attempt(fx);
	stop(fx);
}

/*
 * The same server, libwebsockets' own timeout far away (60 s): the watchdog
 * (300 ms here) abandons each attempt and the next one follows: attempts
 * at about 0, 1.3 and 3.6 s (4.2 s at most with the jitter).
 */
static void test_watchdog(void **state)
{
	struct fixture *fx = start(60, stall_server, 300);

	(void)state;
	run_for(fx, 6000);
	assert_int_equal(fx->opens, 0);
	if (fx->accepted < 3)
		fail_msg("%d connection(s) in 6 s with a 300 ms watchdog", fx->accepted);
	assert_true(fx->closes >= fx->accepted - 1 && fx->closes <= fx->accepted);
	assert_one_retry_per_attempt(fx);
	stop(fx);
}

/* Connection refused: each attempt fails once (CONNECTION_ERROR, then the
 * wsi's destruction, must not count twice) and the back-off doubles:
 * attempts at about 0, 1, 3 s in a 4 s window. */
static void test_refused(void **state)
{
	struct fixture *fx = start(20, closed_port, 0);

	(void)state;
	run_for(fx, 4000);
	assert_int_equal(fx->opens, 0);
	if (fx->closes < 2 || fx->closes > 4)
		fail_msg("%d refused attempts in 4 s (back-off 1 s, 2 s: 3 expected)", fx->closes);
	assert_one_retry_per_attempt(fx);
	stop(fx);
}

/* ---------------------------------------------------------- URL handling */

struct url_case {
	const char *url;
	const char *identity;
	int rc;
	bool tls;
	int port;
	const char *address;
	const char *host_header;
	const char *path;
};

static const struct url_case url_cases[] = {
	/* Default ports: Host without the port (RFC 7230 section 5.4). */
	{ "wss://csms.example.com/ocpp", "CP01", 0, true, 443, "csms.example.com",
	  "csms.example.com", "/ocpp/CP01" },
	{ "ws://csms.example.com/ocpp/", "CP01", 0, false, 80, "csms.example.com",
	  "csms.example.com", "/ocpp/CP01" },
	{ "wss://csms.example.com:443/ocpp", "CP01", 0, true, 443, "csms.example.com",
	  "csms.example.com", "/ocpp/CP01" },
	{ "ws://csms.example.com:80", "CP01", 0, false, 80, "csms.example.com",
	  "csms.example.com", "/CP01" },
	/* Any other port is in the Host header (RFC 6455 section 4.1). */
	{ "wss://csms.example.com:9000/ocpp", "CP01", 0, true, 9000, "csms.example.com",
	  "csms.example.com:9000", "/ocpp/CP01" },
	{ "ws://10.0.0.5:443/", "CP01", 0, false, 443, "10.0.0.5", "10.0.0.5:443", "/CP01" },
	{ "wss://csms.example.com:80/", "CP01", 0, true, 80, "csms.example.com",
	  "csms.example.com:80", "/CP01" },
	/* A query stays after the path, as given; the identity ends the path. */
	{ "wss://host/ocpp?token=abc", "CP01", 0, true, 443, "host", "host", "/ocpp/CP01?token=abc" },
	{ "wss://host:9000/a/b/?t=a%2Fb&x=1", "CP01", 0, true, 9000, "host", "host:9000",
	  "/a/b/CP01?t=a%2Fb&x=1" },
	{ "wss://host?token=abc", "CP01", 0, true, 443, "host", "host", "/CP01?token=abc" },
	{ "ws://host:8080?token=a/b", "CP01", 0, false, 8080, "host", "host:8080", "/CP01?token=a/b" },
	/* Percent-encoding: the identity's, and the base URL's kept as is. */
	{ "wss://host/my%20path", "CP 01/x", 0, true, 443, "host", "host", "/my%20path/CP%2001%2Fx" },
	/* IPv6 literals: brackets in Host, not in the address. */
	{ "ws://[::1]:9000/ocpp", "CP01", 0, false, 9000, "::1", "[::1]:9000", "/ocpp/CP01" },
	{ "wss://[2001:db8::1]/ocpp", "CP01", 0, true, 443, "2001:db8::1", "[2001:db8::1]", "/ocpp/CP01" },
	/* Refused. */
	{ .url = "http://host/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss:///ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://:9000/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host:/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host:0/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host:65536/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host:+80/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host:80x/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host/ocpp#frag", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://user:pw@host/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "ws://[::1/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "ws://[::1]x/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "ws://[]/ocpp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host/ocpp", .identity = "", .rc = -EINVAL },
	{ .url = "wss://host/oc pp", .identity = "CP01", .rc = -EINVAL },
	{ .url = "wss://host/ocpp?a=b\r\nX-Injected: 1", .identity = "CP01", .rc = -EINVAL },
};

static void test_url_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		const struct url_case *c = &url_cases[i];
		struct ws_url u;
		int rc = ws_url_parse(c->url, c->identity, &u);

		if (rc != c->rc)
			fail_msg("%s: rc %d, want %d", c->url, rc, c->rc);
		if (rc < 0)
			continue;
		if (u.tls != c->tls || u.port != c->port || strcmp(u.address, c->address) != 0 ||
		    strcmp(u.host_header, c->host_header) != 0 || strcmp(u.path, c->path) != 0)
			fail_msg("%s: tls %d port %d address %s Host %s path %s\n"
			    " want tls %d port %d address %s Host %s path %s", c->url, u.tls, u.port,
			    u.address, u.host_header, u.path, c->tls, c->port, c->address,
			    c->host_header, c->path);
	}
}

/* A path that does not fit is refused, not cut. */
static void test_url_too_long(void **state)
{
	char url[2048];
	struct ws_url u;

	(void)state;
	snprintf(url, sizeof(url), "wss://host/%01500d", 0);
	assert_int_equal(ws_url_parse(url, "CP01", &u), -EINVAL);
	snprintf(url, sizeof(url), "wss://%0300d/ocpp", 0);
	assert_int_equal(ws_url_parse(url, "CP01", &u), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parse),
		cmocka_unit_test(test_url_too_long),
		cmocka_unit_test(test_stalled_handshake),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_refused),
	};

	/* OCPP_WS_TEST_LOG=1 shows which callback ended each attempt. */
	cp_log_set_level(getenv("OCPP_WS_TEST_LOG") ? CP_LOG_INFO : CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
