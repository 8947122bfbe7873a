/*
 * ws.h - the OCPP-J websocket client on libwebsockets.
 *
 * It knows URLs, the `ocpp1.6` subprotocol, Basic auth, pings, reassembly of
 * fragmented text messages and reconnecting with back-off; it knows nothing
 * of OCPP frames.  Everything runs on the caller's lws context (the daemon's
 * one event loop); there are no threads and no globals.
 */
#ifndef OCPP_WS_H
#define OCPP_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "cp_limits.h"

struct ws_client_cbs {
	/* The handshake completed and the server agreed on ocpp1.6. */
	void (*on_open)(void *user);
	/* One complete text message.  buf is only valid during the call. */
	void (*on_text)(void *user, const char *buf, size_t len);
	/* A message longer than CP_MAX_FRAME was dropped; prefix holds its
	 * first bytes so the caller can still answer it by message id. */
	void (*on_oversize)(void *user, const char *prefix, size_t prefix_len);
	/* The connection is gone (or never came up); a reconnect is scheduled.
	 * Called once per connection attempt that ends. */
	void (*on_close)(void *user);
};

/* A connection attempt (TCP, TLS, HTTP upgrade) that has neither opened nor
 * failed after this long is abandoned and the next one scheduled.
 * libwebsockets bounds each step by its own timeout (20 s by default) and
 * normally reports first, with the precise reason; this bounds the whole
 * attempt whatever happens inside the library. */
#define WS_CONNECT_TIMEOUT_MS 30000

/* Outbound messages waiting for the socket to become writable.  Replies and
 * at most one CALL are in flight at a time, so a small ring suffices. */
#define WS_TX_SLOTS 16
/* Reading stops while this many are waiting (an inbound CALL queues its
 * answer and possibly a follow-up CALL, with room for our own CALLs) and
 * resumes when the ring is down to WS_TX_RESUME. */
#define WS_TX_PAUSE (WS_TX_SLOTS / 2)
#define WS_TX_RESUME (WS_TX_SLOTS / 4)

/*
 * Where and how to connect, from the central system's base URL and the
 * charge point identity (ws_url_parse).
 */
struct ws_url {
	bool tls;			/* wss:// */
	int port;			/* given, or 80 (ws://) / 443 (wss://) */
	char address[256];		/* to resolve: the host, an IPv6 literal without brackets */
	/* The Host header (RFC 6455 section 4.1, RFC 7230 section 5.4): the host
	 * as in the URL, with ":port" when the port is not the scheme's default.
	 * libwebsockets sends it as given, and drops the ":port" for TLS server
	 * name indication and certificate checks. */
	char host_header[264];
	/* The request target: the base path, '/', the percent-encoded identity
	 * as its last segment, then the base URL's "?query" as given. */
	char path[1024];
};

/*
 * Parses url: "ws://" or "wss://", a host (a name, IPv4, or an IPv6
 * literal in brackets), an optional ":port" (1..65535), an optional path
 * and an optional "?query".  A fragment ('#') is refused (RFC 6455
 * section 3 forbids it in a websocket URI), so are spaces and control
 * characters (RFC 3986 section 2), which would break the request line.  The identity is appended as
 * the last path segment, before the query (OCPP-J 1.6 section 3.1.1:
 * the identity ends the path); percent-encoding already in the base URL
 * is kept as it is.  Returns 0, or -EINVAL for anything else (out is then
 * unspecified).
 */
int ws_url_parse(const char *url, const char *identity, struct ws_url *out);

struct ws_client {
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct lws *wsi;
	struct ws_client_cbs cbs;
	void *user;

	struct ws_url url;
	char auth[160];		/* "Basic ..." or empty */
	int ping_interval_s;	/* 0 = no pings */
	lws_retry_bo_t retry;

	bool connected;
	bool stopping;
	/* An attempt is live from do_connect until it ends (refused, closed,
	 * abandoned): exactly one reconnect is scheduled when it ends. */
	bool attempt_live;
	bool in_connect;	/* inside lws_client_connect_via_info */
	int attempts;		/* back-off step; 0 after a successful open */
	unsigned reconnects;	/* reconnects scheduled so far (for tests) */
	int connect_timeout_ms;
	lws_sorted_usec_list_t reconnect_sul;
	lws_sorted_usec_list_t watchdog_sul;

	char *rx;		/* CP_MAX_FRAME + 1 bytes, allocated once */
	size_t rx_len;
	bool rx_overflow;
	bool rx_paused;		/* reading stopped until the tx ring drains */

	struct { char *buf; size_t len; } tx[WS_TX_SLOTS];
	unsigned tx_head, tx_count;

	void *ssl_ctx;		/* the vhost's client SSL_CTX (wss://), kept by ws_client_init */
	char last_error[160];	/* why the last attempt ended */
	char verify_error[128];	/* this attempt: why the server certificate was refused */
};

/* The protocol row to put in the context's protocol list, as protocols[0]:
 * libwebsockets offers the client SSL_CTX to protocols[0] only, and that is
 * where TLS 1.2 is set as the minimum version and the cipher suites are
 * chosen (OCPP 1.6 security whitepaper, security profiles 2 and 3).  Point
 * the copy's .user at the (zeroed or initialised) struct ws_client to
 * receive the SSL_CTX (ws_client_tls_ctx). */
extern const struct lws_protocols ws_client_protocol;

/* Parses url with ws_url_parse.  Returns 0, -EINVAL or -ENOMEM. */
int ws_client_init(struct ws_client *c, struct lws_context *ctx,
    struct lws_vhost *vhost, const char *url, const char *identity,
    const struct ws_client_cbs *cbs, void *user);
void ws_client_free(struct ws_client *c);

/* HTTP Basic: user = identity, password = key bytes (OCPP security profile 1/2). */
void ws_client_set_basic_auth(struct ws_client *c, const char *user,
    const uint8_t *pw, size_t pw_len);
void ws_client_set_ping_interval(struct ws_client *c, int seconds);
/* Overrides WS_CONNECT_TIMEOUT_MS (0 or less: the default). */
void ws_client_set_connect_timeout(struct ws_client *c, int ms);

/* Connects now (first time) or after the back-off delay. */
void ws_client_start(struct ws_client *c);
/* Closes the connection and reconnects at once (e.g. new credentials). */
void ws_client_restart(struct ws_client *c);
void ws_client_stop(struct ws_client *c);

/* The client SSL_CTX (an OpenSSL SSL_CTX *) of a wss:// client, NULL
 * without TLS.  Trusted roots and a client certificate set on it apply to
 * the next connection attempt. */
void *ws_client_tls_ctx(const struct ws_client *c);
/* Why the last connection attempt ended, in libwebsockets' words ("" if
 * none ended yet). */
const char *ws_client_last_error(const struct ws_client *c);

/* Copies text and queues it.  -ENOTCONN offline, -ENOBUFS ring full. */
int ws_client_send(struct ws_client *c, const char *text, size_t len);
bool ws_client_connected(const struct ws_client *c);

/* Reconnect delay for the n-th failed attempt (exported for tests): 1 s
 * doubling to 5 min, with +-20 % jitter drawn from rnd (0..RAND_MAX). */
int ws_backoff_ms(int attempt, int rnd);

#endif
