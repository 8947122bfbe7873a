/*
 * http.c - the installer page and its HTTP API (http.h, docs/http.md).
 *
 * A second libwebsockets vhost on the daemon's one context and loop: HTTP
 * requests and the /api/live websocket come to http_callback.  Every request
 * is authenticated (HTTP Basic, RFC 7617: user "installer", the password
 * checked against the Installer-Password hash) before anything else; the API
 * answers from the same code the control socket and OCPP use, so the page,
 * `ocpp-cpctl` and the central system see one vocabulary and one set of rules.
 */
#include "station/station.h"
#include "station/http.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cp_log.h"
#include "station/config/secret.h"

#define TAG "http"
#define USER "installer"

struct http_pss {
	bool live;		/* the /api/live websocket */
	uint32_t live_sum;	/* of the status last sent, without "now" */
	int64_t live_ms;	/* when (real time) */
	bool put;		/* PUT /api/config/KEY: collecting the body */
	bool body_overflow;
	unsigned deferred;	/* an error to answer once the body is read */
	const char *deferred_why;
	char key[64];
	size_t body_len;
	char body[ST_HTTP_BODY_MAX + 1];
};

static struct station *station_of(struct lws *wsi)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);

	return p ? p->user : NULL;
}

/* ---- answers ---------------------------------------------------------------- */

/* Whether the request announced a body (its length, or chunks). */
static bool has_body(struct lws *wsi)
{
	return lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 ||
	    lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0;
}

/* One whole answer: status line, headers, body.  libwebsockets keeps what
 * the socket cannot take yet and sends it as it drains. */
static int reply(struct lws *wsi, unsigned code, const char *ctype, const char *body, size_t len)
{
	static const char challenge[] = "Basic realm=\"ocpp-cp\", charset=\"UTF-8\"";
	uint8_t hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof(hdr) - 1;
	unsigned char *b;
	int n;

	if (lws_add_http_common_headers(wsi, code, ctype, (lws_filepos_t)len, &p, end))
		return -1;
	if (code == HTTP_STATUS_UNAUTHORIZED &&
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"WWW-Authenticate:",
	    (const unsigned char *)challenge, (int)strlen(challenge), &p, end))
		return -1;
	if (lws_add_http_header_by_name(wsi, (const unsigned char *)"Cache-Control:",
	    (const unsigned char *)"no-store", 8, &p, end))
		return -1;
	/* After a request with a body the connection is not reused (the
	 * library ends it once the answer is out): say so, so that a client
	 * does not send its next request into a closing socket. */
	if (has_body(wsi) && lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
	    (const unsigned char *)"close", 5, &p, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	if (len) {
		b = malloc(LWS_PRE + len);
		if (!b)
			return -1;
		memcpy(b + LWS_PRE, body, len);
		n = lws_write(wsi, b + LWS_PRE, len, LWS_WRITE_HTTP_FINAL);
		free(b);
		if (n < 0)
			return -1;
	}
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int reply_json(struct lws *wsi, unsigned code, cJSON *j)
{
	char *text = j ? cJSON_PrintUnformatted(j) : NULL;
	int rc;

	cJSON_Delete(j);
	if (!text)
		return reply(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR, "application/json",
		    "{\"error\":\"out of memory\"}", 25);
	rc = reply(wsi, code, "application/json", text, strlen(text));
	free(text);
	return rc;
}

static int reply_error(struct lws *wsi, unsigned code, const char *why)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "error", why);
	return reply_json(wsi, code, j);
}

/* ---- authentication ---------------------------------------------------------- */

/* Whether the request carries user "installer" and the Installer-Password.
 * No password set: nobody gets in. */
static bool authorized(struct station *s, struct lws *wsi)
{
	struct st_http *h = &s->http;
	const char *hash = cfg_str(&s->cfg, CFG_INSTALLER_PASSWORD);
	char hdr[512], dec[384];
	unsigned char digest[32];
	unsigned int dlen = 0;
	int n, ok;

	if (!hash || !secret_is_hash(hash))
		return false;
	n = lws_hdr_copy(wsi, hdr, sizeof(hdr), WSI_TOKEN_HTTP_AUTHORIZATION);
	if (n <= 6 || strncasecmp(hdr, "Basic ", 6) != 0)
		return false;
	/* The same header as the last one that passed, for the same password:
	 * no PBKDF2 again (it costs tens of milliseconds by design). */
	if (!EVP_Digest(hdr, (size_t)n, digest, &dlen, EVP_sha256(), NULL))
		return false;
	if (h->ok_valid && strcmp(h->ok_hash, hash) == 0 &&
	    CRYPTO_memcmp(digest, h->ok_digest, sizeof(digest)) == 0)
		return true;
	n = lws_b64_decode_string(hdr + 6, dec, sizeof(dec) - 1);
	if (n <= 0)
		return false;
	dec[n] = '\0';
	if (strncmp(dec, USER ":", sizeof(USER)) != 0)
		return false;
	ok = secret_verify(dec + sizeof(USER), hash) == 1;
	OPENSSL_cleanse(dec, sizeof(dec));
	if (ok) {
		memcpy(h->ok_digest, digest, sizeof(digest));
		snprintf(h->ok_hash, sizeof(h->ok_hash), "%s", hash);
		h->ok_valid = true;
	}
	return ok;
}

/* ---- the API ------------------------------------------------------------------ */

static cJSON *status_json(struct station *s)
{
	cJSON *j = cJSON_CreateObject();

	if (j)
		st_conn_status_json(s, j);
	return j;
}

static const ocpp_action_row *action_row(const char *name)
{
	for (size_t i = 0; i < st_n_actions; i++)
		if (strcmp(st_actions[i].action, name) == 0)
			return &st_actions[i];
	return NULL;
}

/* Runs the OCPP handler of `action` on req (which the caller has checked as
 * the schema would) inside one station event. */
static cJSON *run_action(struct station *s, const char *action, cJSON *req)
{
	const ocpp_action_row *row = action_row(action);
	ocpp_error err = OCPP_ERR_NONE;
	char desc[CP_MAX_ERROR_DESC];
	cJSON *resp = NULL;

	if (!row)
		return NULL;
	st_event_begin(s);
	row->handler(s, req, &resp, &err, desc, sizeof(desc));
	st_event_end(s);
	return err == OCPP_ERR_NONE ? resp : (cJSON_Delete(resp), NULL);
}

static int api_config_get(struct station *s, struct lws *wsi)
{
	cJSON *req = cJSON_CreateObject(), *resp = run_action(s, "GetConfiguration", req);
	cJSON *keys = cJSON_GetObjectItem(resp, "configurationKey");

	cJSON_Delete(req);
	if (!keys)
		return reply_error(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR, "no configuration");
	/* Write-only keys: listed, without a value (never readable). */
	for (int i = 0; i < CFG__COUNT; i++) {
		cJSON *k;

		if (cfg_table[i].access != CFG_W)
			continue;
		k = cJSON_CreateObject();
		cJSON_AddStringToObject(k, "key", cfg_table[i].name);
		cJSON_AddBoolToObject(k, "readonly", false);
		cJSON_AddItemToArray(keys, k);
	}
	cJSON_DeleteItemFromObject(resp, "unknownKey");
	return reply_json(wsi, HTTP_STATUS_OK, resp);
}

static int api_config_put(struct station *s, struct lws *wsi, struct http_pss *pss)
{
	cJSON *body, *r;
	const char *value;
	enum cfg_status st;

	if (pss->body_overflow)
		return reply_error(wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE, "body larger than 2048 bytes");
	pss->body[pss->body_len] = '\0';
	body = cJSON_ParseWithLength(pss->body, pss->body_len);
	value = cJSON_GetStringValue(cJSON_GetObjectItem(body, "value"));
	if (!value) {
		cJSON_Delete(body);
		return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "expected {\"value\":\"...\"}");
	}
	/* Exactly ChangeConfiguration's path: validation, storage, live effect. */
	st_event_begin(s);
	st = cfg_change(&s->cfg, pss->key, value);
	st_event_end(s);
	CP_INFO(TAG, "PUT /api/config/%s: %s", pss->key, cfg_status_name(st));
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "status", cfg_status_name(st));
	if (st == CFG_REJECTED || st == CFG_NOT_SUPPORTED)
		cJSON_AddStringToObject(r, "reason", cfg_error(&s->cfg));
	cJSON_Delete(body);
	return reply_json(wsi, HTTP_STATUS_OK, r);
}

/* A query argument as a whole number in lo..hi: 0, -ENOENT absent, -EINVAL. */
static int arg_int(struct lws *wsi, const char *name, long lo, long hi, long *out)
{
	char buf[64], *end;
	const char *v = lws_get_urlarg_by_name(wsi, name, buf, sizeof(buf));

	if (!v)
		return -ENOENT;
	*out = strtol(v, &end, 10);
	if (!*v || *end || *out < lo || *out > hi)
		return -EINVAL;
	return 0;
}

static int api_composite(struct station *s, struct lws *wsi)
{
	char unit[16];
	const char *u = lws_get_urlarg_by_name(wsi, "unit=", unit, sizeof(unit));
	long connector, duration;
	cJSON *req, *resp;

	if (arg_int(wsi, "connector=", 0, s->n_conn, &connector) < 0)
		return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "connector must be 0..NumberOfConnectors");
	if (arg_int(wsi, "duration=", 1, 31 * 86400, &duration) < 0)
		return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "duration must be 1..2678400 seconds");
	if (u && strcmp(u, "A") != 0 && strcmp(u, "W") != 0)
		return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "unit must be A or W");
	req = cJSON_CreateObject();
	cJSON_AddNumberToObject(req, "connectorId", (double)connector);
	cJSON_AddNumberToObject(req, "duration", (double)duration);
	if (u)
		cJSON_AddStringToObject(req, "chargingRateUnit", u);
	resp = run_action(s, "GetCompositeSchedule", req);
	cJSON_Delete(req);
	if (!resp)
		return reply_error(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR, "no schedule");
	return reply_json(wsi, HTTP_STATUS_OK, resp);
}

static int api_frames(struct station *s, struct lws *wsi)
{
	struct st_http *h = &s->http;
	long want = ST_HTTP_FRAMES;
	cJSON *j, *arr;
	int rc = arg_int(wsi, "n=", 1, ST_HTTP_FRAMES, &want);

	if (rc == -EINVAL)
		return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "n must be 1..200");
	j = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(j, "frames");
	for (unsigned k = h->ring_count > (unsigned)want ? h->ring_count - (unsigned)want : 0;
	    k < h->ring_count; k++) {
		const struct st_http_frame *f = &h->ring[(h->ring_head + k) % ST_HTTP_FRAMES];
		char ts[OCPP_TIME_LEN];
		cJSON *o = cJSON_CreateObject();

		ocpp_time_format(cp_utc(f->utc_ms / 1000), ts);
		cJSON_AddStringToObject(o, "time", ts);
		cJSON_AddStringToObject(o, "dir", f->in ? "in" : "out");
		cJSON_AddStringToObject(o, "text", f->text);
		if (f->len > ST_HTTP_FRAME_MAX)
			cJSON_AddNumberToObject(o, "length", f->len);
		cJSON_AddItemToArray(arr, o);
	}
	return reply_json(wsi, HTTP_STATUS_OK, j);
}

void st_http_frame(void *ctx, bool in, const char *text, size_t len)
{
	struct station *s = ctx;
	struct st_http *h = &s->http;
	struct st_http_frame *f;
	size_t keep = len > ST_HTTP_FRAME_MAX ? ST_HTTP_FRAME_MAX : len;

	if (!h->ring)
		return;
	if (h->ring_count == ST_HTTP_FRAMES) {
		f = &h->ring[h->ring_head];
		h->ring_head = (h->ring_head + 1) % ST_HTTP_FRAMES;
	} else {
		f = &h->ring[(h->ring_head + h->ring_count++) % ST_HTTP_FRAMES];
	}
	f->utc_ms = st_utc_ms(s);
	f->in = in;
	f->len = (uint32_t)len;
	memcpy(f->text, text, keep);
	f->text[keep] = '\0';
}

/* ---- static files ----------------------------------------------------------------- */

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *mime; } m[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".js", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".ico", "image/x-icon" }, { ".json", "application/json" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(dot, m[i].ext) == 0)
			return m[i].mime;
	return "application/octet-stream";
}

/* Only plain names under the root: letters, digits, '-', '_', '.', '/',
 * no "..", no hidden files. */
static bool safe_path(const char *uri)
{
	if (uri[0] != '/' || strstr(uri, "..") || strstr(uri, "/.") || strstr(uri, "//"))
		return false;
	for (const char *p = uri; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_./", *p))
			return false;
	return true;
}

static int serve_file(struct station *s, struct lws *wsi, const char *uri)
{
	char path[CP_MAX_PATH + 256];
	struct stat st;
	int n;

	if (strcmp(uri, "/") == 0)
		uri = "/index.html";
	if (!safe_path(uri))
		return reply_error(wsi, HTTP_STATUS_NOT_FOUND, "not found");
	snprintf(path, sizeof(path), "%s%s", s->http.root, uri);
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return reply_error(wsi, HTTP_STATUS_NOT_FOUND, "not found");
	n = lws_serve_http_file(wsi, path, mime_of(path), NULL, 0);
	if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
		return -1;
	return 0;
}

/* ---- requests ----------------------------------------------------------------- */

/* An error answer; for a request with a body, once the body has been read
 * (answering first and closing would cut the client off mid-send). */
static int refuse(struct lws *wsi, struct http_pss *pss, unsigned code, const char *why)
{
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0) {
		pss->deferred = code;
		pss->deferred_why = why;
		return 0;
	}
	return reply_error(wsi, code, why);
}

static int on_http(struct station *s, struct lws *wsi, struct http_pss *pss, const char *uri)
{
	char *u = NULL;
	int ulen = 0, meth = lws_http_get_uri_and_method(wsi, &u, &ulen);
	bool get = meth == LWSHUMETH_GET, put = meth == LWSHUMETH_PUT;

	if (!authorized(s, wsi)) {
		CP_INFO(TAG, "%s: 401 (no or wrong credentials)", uri);
		return refuse(wsi, pss, HTTP_STATUS_UNAUTHORIZED, "credentials required (user installer)");
	}
	if (strncmp(uri, "/api/", 5) != 0) {
		if (!get)
			return refuse(wsi, pss, HTTP_STATUS_METHOD_NOT_ALLOWED, "GET only");
		return serve_file(s, wsi, uri);
	}
	if (strncmp(uri, "/api/config/", 12) == 0 && put) {
		const char *key = uri + 12;

		if (!key[0] || strlen(key) >= sizeof(pss->key))
			return refuse(wsi, pss, HTTP_STATUS_BAD_REQUEST, "no such key");
		snprintf(pss->key, sizeof(pss->key), "%s", key);
		pss->put = true;
		pss->body_len = 0;
		pss->body_overflow = false;
		if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0)
			return reply_error(wsi, HTTP_STATUS_LENGTH_REQUIRED, "send the body with a Content-Length");
		if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
			return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "expected {\"value\":\"...\"}");
		return 0;	/* the body follows */
	}
	if (!get)
		return refuse(wsi, pss, HTTP_STATUS_METHOD_NOT_ALLOWED, "method not allowed here");
	if (strcmp(uri, "/api/status") == 0)
		return reply_json(wsi, HTTP_STATUS_OK, status_json(s));
	if (strcmp(uri, "/api/config") == 0)
		return api_config_get(s, wsi);
	if (strcmp(uri, "/api/composite") == 0)
		return api_composite(s, wsi);
	if (strcmp(uri, "/api/frames") == 0)
		return api_frames(s, wsi);
	return reply_error(wsi, HTTP_STATUS_NOT_FOUND, "no such endpoint");
}

/* ---- the live feed ---------------------------------------------------------------- */

static void push_cb(lws_sorted_usec_list_t *sul)
{
	struct st_http *h = lws_container_of(sul, struct st_http, push_sul);

	h->push_armed = false;
	if (h->n_live > 0 && h->vh)
		lws_callback_on_writable_all_protocol_vhost(h->vh, lws_vhost_name_to_protocol(h->vh, "http"));
}

/* Schedules the next look at the status in in_ms, or sooner when one is
 * already due sooner. */
static void arm_push(struct station *s, int64_t in_ms)
{
	struct st_http *h = &s->http;
	int64_t at = st_clock_real_mono().ms + (in_ms > 0 ? in_ms : 0);

	if (h->n_live == 0 || (h->push_armed && h->push_at_ms <= at))
		return;
	h->push_armed = true;
	h->push_at_ms = at;
	lws_sul_schedule(s->lws, 0, &h->push_sul, push_cb,
	    (lws_usec_t)(in_ms > 0 ? in_ms : 0) * LWS_US_PER_MS);
}

void st_http_touch(struct station *s)
{
	struct st_http *h = &s->http;
	int64_t since;

	if (!h->on || h->n_live == 0)
		return;
	since = st_clock_real_mono().ms - h->last_push_ms;
	arm_push(s, since >= ST_HTTP_LIVE_MIN_MS ? 0 : ST_HTTP_LIVE_MIN_MS - since);
}

/* FNV-1a (a change detector, not a security measure). */
static uint32_t sum_of(const char *t)
{
	uint32_t h = 2166136261u;

	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 16777619u;
	return h;
}

/* One status to a live client: when it changed (its clock aside), or when a
 * period has passed since the last one. */
static int live_write(struct station *s, struct lws *wsi, struct http_pss *pss)
{
	struct st_http *h = &s->http;
	cJSON *j = status_json(s), *now_item;
	char *text, *cmp;
	int64_t now = st_clock_real_mono().ms;
	uint32_t sum;
	unsigned char *b;
	size_t len;
	int n;

	if (!j)
		return -1;
	now_item = cJSON_DetachItemFromObject(j, "now");
	cmp = cJSON_PrintUnformatted(j);
	sum = cmp ? sum_of(cmp) : 0;
	free(cmp);
	if (pss->live_ms && sum == pss->live_sum && now - pss->live_ms < ST_HTTP_LIVE_PERIOD_MS) {
		cJSON_Delete(now_item);
		cJSON_Delete(j);
		arm_push(s, ST_HTTP_LIVE_PERIOD_MS - (now - pss->live_ms));
		return 0;
	}
	if (now_item)
		cJSON_AddItemToObject(j, "now", now_item);
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!text)
		return -1;
	len = strlen(text);
	b = malloc(LWS_PRE + len);
	if (!b) {
		free(text);
		return -1;
	}
	memcpy(b + LWS_PRE, text, len);
	n = lws_write(wsi, b + LWS_PRE, len, LWS_WRITE_TEXT);
	free(b);
	free(text);
	pss->live_sum = sum;
	pss->live_ms = now;
	h->last_push_ms = now;
	arm_push(s, ST_HTTP_LIVE_PERIOD_MS);
	return n < 0 ? -1 : 0;
}

static int http_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct station *s = station_of(wsi);
	struct http_pss *pss = user;
	char uri[256];

	if (!s)
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		memset(pss, 0, sizeof(*pss));
		snprintf(uri, sizeof(uri), "%s", in ? (const char *)in : "/");
		return on_http(s, wsi, pss, uri);
	case LWS_CALLBACK_HTTP_BODY:
		if (!pss->put || pss->deferred)
			return 0;	/* read and dropped */
		if (pss->body_len + len > ST_HTTP_BODY_MAX)
			pss->body_overflow = true;
		else {
			memcpy(pss->body + pss->body_len, in, len);
			pss->body_len += len;
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (pss->deferred)
			return reply_error(wsi, pss->deferred, pss->deferred_why);
		if (!pss->put)
			return reply_error(wsi, HTTP_STATUS_BAD_REQUEST, "unexpected body");
		pss->put = false;
		return api_config_put(s, wsi, pss);
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* The websocket upgrade: /api/live only, with the credentials. */
		if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0 ||
		    strcmp(uri, "/api/live") != 0 || !authorized(s, wsi)) {
			CP_INFO(TAG, "websocket upgrade refused (path or credentials)");
			return 1;
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		memset(pss, 0, sizeof(*pss));
		pss->live = true;
		s->http.n_live++;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return pss->live ? live_write(s, wsi, pss) : 0;
	case LWS_CALLBACK_RECEIVE:
		return 0;	/* the feed is one way; what a client says is ignored */
	case LWS_CALLBACK_CLOSED:
		if (pss->live && s->http.n_live > 0)
			s->http.n_live--;
		pss->live = false;
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static struct lws_protocols http_protocols[] = {
	{ .name = "http", .callback = http_callback,
	  .per_session_data_size = sizeof(struct http_pss), .rx_buffer_size = 4096 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ---- start, stop ---------------------------------------------------------------- */

int st_http_parse_listen(const char *text, char *addr, size_t addrlen, int *port)
{
	const char *colon = text ? strrchr(text, ':') : NULL;
	char *end;
	long p;

	if (!colon || colon == text || (size_t)(colon - text) >= addrlen)
		return -EINVAL;
	p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 1 || p > 65535)
		return -EINVAL;
	memcpy(addr, text, (size_t)(colon - text));
	addr[colon - text] = '\0';
	if (strcmp(addr, "*") == 0)
		snprintf(addr, addrlen, "0.0.0.0");
	*port = (int)p;
	return 0;
}

int st_http_open(struct station *s, const struct st_http_options *o)
{
	struct st_http *h = &s->http;
	struct lws_context_creation_info info;
	char addr[64];
	int port;

	if (st_http_parse_listen(o->listen, addr, sizeof(addr), &port) < 0)
		return -EINVAL;
	if (!secret_is_hash(cfg_str(&s->cfg, CFG_INSTALLER_PASSWORD)))
		return -EPERM;
	snprintf(h->root, sizeof(h->root), "%s", o->root);
	h->ring = calloc(ST_HTTP_FRAMES, sizeof(*h->ring));
	if (!h->ring)
		return -ENOMEM;
	http_protocols[0].user = s;
	memset(&info, 0, sizeof(info));
	info.vhost_name = "http";
	info.port = port;
	info.iface = strcmp(addr, "0.0.0.0") == 0 ? NULL : addr;
	info.protocols = http_protocols;
	info.ssl_cert_filepath = o->cert;
	info.ssl_private_key_filepath = o->key;
	info.options = o->cert ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
	h->vh = lws_create_vhost(s->lws, &info);
	if (!h->vh) {
		free(h->ring);
		h->ring = NULL;
		return -EADDRINUSE;
	}
	h->on = true;
	CP_INFO(TAG, "installer page on %s://%s:%d/ (files from %s)", o->cert ? "https" : "http",
	    addr, port, h->root);
	return 0;
}

void st_http_close(struct station *s)
{
	struct st_http *h = &s->http;

	lws_sul_cancel(&h->push_sul);
	free(h->ring);
	h->ring = NULL;
	h->on = false;
}
