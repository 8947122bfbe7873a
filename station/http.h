/*
 * http.h - the installer page and its HTTP API (docs/http.md), served by the
 * daemon's own libwebsockets context: a second vhost listening on --http,
 * with HTTP Basic authentication against the Installer-Password hash.
 */
#ifndef STATION_HTTP_H
#define STATION_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "cp_limits.h"

/* The OCPP frames /api/frames can show, and how much of each is kept. */
#define ST_HTTP_FRAMES 200
#define ST_HTTP_FRAME_MAX 2048
/* The live feed: pushed at least this often, and at most this often on
 * changes (ms, real time). */
#define ST_HTTP_LIVE_PERIOD_MS 1000
#define ST_HTTP_LIVE_MIN_MS 200
/* Largest request body (PUT /api/config/KEY). */
#define ST_HTTP_BODY_MAX 2048

struct station;

struct st_http_frame {
	int64_t utc_ms;
	bool in;
	uint32_t len;			/* of the whole frame */
	char text[ST_HTTP_FRAME_MAX + 1];
};

struct st_http {
	bool on;
	struct lws_vhost *vh;
	char root[CP_MAX_PATH + 1];	/* the page's files */
	/* The Authorization header last verified, as its SHA-256, and the
	 * password hash it matched: PBKDF2 runs once per password, not per
	 * request. */
	bool ok_valid;
	unsigned char ok_digest[32];
	char ok_hash[128];
	struct st_http_frame *ring;	/* ST_HTTP_FRAMES, allocated with --http */
	unsigned ring_head, ring_count;
	/* Live feed. */
	int n_live;
	bool push_armed;
	int64_t push_at_ms;		/* when the armed push fires (real time) */
	int64_t last_push_ms;		/* real time */
	lws_sorted_usec_list_t push_sul;
};

struct st_http_options {
	const char *listen;		/* --http ADDR:PORT */
	const char *root;		/* --http-root */
	const char *cert, *key;		/* --http-cert / --http-key */
};

/* Parses "ADDR:PORT" (an IPv4 address, "localhost" or "*" / "0.0.0.0").
 * 0 or -EINVAL. */
int st_http_parse_listen(const char *text, char *addr, size_t addrlen, int *port);
/* After the context exists.  0, or a negative errno with the reason logged
 * (exit 1); -EPERM: no Installer-Password (exit 2). */
int st_http_open(struct station *s, const struct st_http_options *o);
void st_http_close(struct station *s);
/* Something the status shows may have changed (st_event_end). */
void st_http_touch(struct station *s);
/* ocpp_rpc_config.frame: keeps the frame for /api/frames. */
void st_http_frame(void *ctx, bool in, const char *text, size_t len);

#endif
