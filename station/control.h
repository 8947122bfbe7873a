/*
 * control.h - the local control socket: newline-delimited JSON over a Unix
 * stream socket, one JSON reply line per request line.  Used by installers,
 * the demo and the conformance suite to drive the simulator and read status.
 */
#ifndef ST_CONTROL_H
#define ST_CONTROL_H

#include <cjson/cJSON.h>
#include <libwebsockets.h>

/* Fills reply for one request.  reply starts as {"ok":true}; a handler that
 * refuses the request calls st_control_fail(). */
typedef void (*st_control_fn)(void *ctx, const cJSON *req, cJSON *reply);

struct st_control {
	int listen_fd;
	char path[108];
	int clients;		/* connected clients, at most CP_MAX_CONTROL_CLIENTS */
	st_control_fn fn;
	void *ctx;
};

extern const struct lws_protocols st_control_protocol;

int st_control_open(struct st_control *c, struct lws_vhost *vh, const char *path,
    st_control_fn fn, void *ctx);
void st_control_close(struct st_control *c);
void st_control_fail(cJSON *reply, const char *error);
/* One request line (NUL-terminated, newline removed) through the envelope
 * check and fn: the reply object, owned by the caller; NULL only when out of
 * memory.  The socket code and the fuzz harness (fuzz/) share it. */
cJSON *st_control_reply(st_control_fn fn, void *ctx, const char *line);

#endif
