/*
 * ws.c - OCPP-J websocket client (see ws.h).
 *
 * Reconnects forever with exponential back-off and jitter (1 s doubling to
 * 5 min): a central system that is down must not see a storm of connection
 * attempts from every station when it comes back (OCPP-J 1.6 §5.3 leaves the
 * policy to the charge point; this is what operators expect).
 */
#include "ocpp/ws.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "cp_log.h"

#define WS_BACKOFF_MIN_MS 1000
#define WS_BACKOFF_MAX_MS (5 * 60 * 1000)

int ws_backoff_ms(int attempt, int rnd)
{
	int64_t ms = WS_BACKOFF_MIN_MS;

	for (int i = 0; i < attempt && ms < WS_BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > WS_BACKOFF_MAX_MS)
		ms = WS_BACKOFF_MAX_MS;
	/* +-20 % jitter so that stations that lost the same server spread out. */
	ms += (ms * 40 / 100) * (int64_t)rnd / RAND_MAX - ms * 20 / 100;
	return (int)ms;
}

static void percent_encode(char *out, size_t outlen, const char *in)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *in && o + 4 < outlen; in++) {
		unsigned char ch = (unsigned char)*in;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}

int ws_url_parse(const char *url, const char *identity, struct ws_url *out)
{
	char enc[CP_MAX_CONFIG_VALUE * 3 + 1];
	const char *p, *auth_end, *path, *query, *colon = NULL, *host_end;
	size_t hostlen, pathlen;
	int n;

	memset(out, 0, sizeof(*out));
	if (url == NULL || identity == NULL || identity[0] == '\0')
		return -EINVAL;
	if (strncmp(url, "ws://", 5) == 0) {
		p = url + 5;
		out->port = 80;
	} else if (strncmp(url, "wss://", 6) == 0) {
		p = url + 6;
		out->tls = true;
		out->port = 443;
	} else {
		return -EINVAL;
	}
	/* RFC 3986 section 2: no spaces or control characters (they would
	 * break the request line); RFC 6455 section 3: no fragment. */
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f || *q == '#')
			return -EINVAL;
	/* RFC 3986 section 3.2: the authority ends at the path or the query. */
	auth_end = p + strcspn(p, "/?");
	path = *auth_end == '/' ? auth_end : NULL;
	query = strchr(auth_end, '?');
	/* host[:port]; an IPv6 literal in brackets keeps its colons. */
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(auth_end - p));

		if (rb == NULL)
			return -EINVAL;
		host_end = rb + 1;
		if (host_end < auth_end && *host_end != ':')
			return -EINVAL;
		/* The address to resolve is what is between the brackets. */
		if ((size_t)(rb - p - 1) == 0 || (size_t)(rb - p - 1) >= sizeof(out->address))
			return -EINVAL;
		memcpy(out->address, p + 1, (size_t)(rb - p - 1));
		out->address[rb - p - 1] = '\0';
	} else {
		colon = memchr(p, ':', (size_t)(auth_end - p));
		host_end = colon ? colon : auth_end;
	}
	if (host_end < auth_end)
		colon = host_end;
	hostlen = (size_t)(host_end - p);
	if (hostlen == 0 || hostlen >= sizeof(out->address) || memchr(p, '@', hostlen) != NULL)
		return -EINVAL;
	if (*p != '[') {
		memcpy(out->address, p, hostlen);
		out->address[hostlen] = '\0';
	}
	if (colon != NULL) {
		char *end;
		long port;

		if (colon + 1 == auth_end || colon[1] < '0' || colon[1] > '9')
			return -EINVAL;
		port = strtol(colon + 1, &end, 10);
		if (end != auth_end || port <= 0 || port > 65535)
			return -EINVAL;
		out->port = (int)port;
	}
	/* RFC 7230 section 5.4: the port is left out when it is the default
	 * one of the scheme (RFC 6455 section 3: 80 for ws, 443 for wss). */
	if (out->port == (out->tls ? 443 : 80))
		n = snprintf(out->host_header, sizeof(out->host_header), "%.*s", (int)hostlen, p);
	else
		n = snprintf(out->host_header, sizeof(out->host_header), "%.*s:%d", (int)hostlen, p,
		    out->port);
	if (n < 0 || (size_t)n >= sizeof(out->host_header))
		return -EINVAL;

	percent_encode(enc, sizeof(enc), identity);
	if (path == NULL) {
		path = "/";
		pathlen = 1;
	} else {
		pathlen = (size_t)((query ? query : path + strlen(path)) - path);
	}
	n = snprintf(out->path, sizeof(out->path), "%.*s%s%s%s", (int)pathlen, path,
	    path[pathlen - 1] == '/' ? "" : "/", enc, query ? query : "");
	if (n < 0 || (size_t)n >= sizeof(out->path))
		return -EINVAL;
	return 0;
}

int ws_client_init(struct ws_client *c, struct lws_context *ctx,
    struct lws_vhost *vhost, const char *url, const char *identity,
    const struct ws_client_cbs *cbs, void *user)
{
	int r;

	void *ssl_ctx = c->ssl_ctx;	/* set when the vhost was made (ws_callback) */

	memset(c, 0, sizeof(*c));
	c->ssl_ctx = ssl_ctx;
	c->ctx = ctx;
	c->vhost = vhost;
	c->connect_timeout_ms = WS_CONNECT_TIMEOUT_MS;
	c->cbs = *cbs;
	c->user = user;

	r = ws_url_parse(url, identity, &c->url);
	if (r < 0)
		return r;
	c->rx = malloc(CP_MAX_FRAME + 1);
	if (!c->rx)
		return -ENOMEM;
	return 0;
}

static void tx_clear(struct ws_client *c)
{
	while (c->tx_count) {
		free(c->tx[c->tx_head].buf);
		c->tx[c->tx_head].buf = NULL;
		c->tx_head = (c->tx_head + 1) % WS_TX_SLOTS;
		c->tx_count--;
	}
}

void ws_client_free(struct ws_client *c)
{
	lws_sul_cancel(&c->reconnect_sul);
	lws_sul_cancel(&c->watchdog_sul);
	tx_clear(c);
	free(c->rx);
	c->rx = NULL;
}

void ws_client_set_basic_auth(struct ws_client *c, const char *user,
    const uint8_t *pw, size_t pw_len)
{
	unsigned char plain[128];
	size_t ul = strlen(user);
	int n;

	if (!pw || pw_len == 0) {
		c->auth[0] = '\0';
		return;
	}
	if (ul + 1 + pw_len > sizeof(plain)) {
		CP_ERR("ws", "Basic credentials too long, not sent");
		c->auth[0] = '\0';
		return;
	}
	memcpy(plain, user, ul);
	plain[ul] = ':';
	memcpy(plain + ul + 1, pw, pw_len);
	memcpy(c->auth, "Basic ", 6);
	n = EVP_EncodeBlock((unsigned char *)c->auth + 6, plain,
	    (int)(ul + 1 + pw_len));
	c->auth[6 + n] = '\0';
}

void ws_client_set_ping_interval(struct ws_client *c, int seconds)
{
	c->ping_interval_s = seconds > 0 ? seconds : 0;
}

void ws_client_set_connect_timeout(struct ws_client *c, int ms)
{
	c->connect_timeout_ms = ms > 0 ? ms : WS_CONNECT_TIMEOUT_MS;
}

static void schedule_reconnect(struct ws_client *c);
static void attempt_ended(struct ws_client *c, const char *why);

/* An attempt that neither opened nor failed in time is abandoned: its wsi is
 * detached (its later callbacks find no client) and killed, and the attempt
 * ends here, so the next one is scheduled even if libwebsockets never says
 * another word about the old one. */
static void watchdog_cb(lws_sorted_usec_list_t *sul)
{
	struct ws_client *c = lws_container_of(sul, struct ws_client, watchdog_sul);
	char why[64];

	if (!c->attempt_live || c->connected)
		return;
	if (c->wsi) {
		lws_set_opaque_user_data(c->wsi, NULL);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
	}
	snprintf(why, sizeof(why), "neither open nor refused after %d ms: abandoned",
	    c->connect_timeout_ms);
	attempt_ended(c, why);
}

static void do_connect(struct ws_client *c)
{
	struct lws_client_connect_info ci;
	struct lws *wsi;

	if (c->stopping || c->attempt_live)
		return;
	memset(&ci, 0, sizeof(ci));
	memset(&c->retry, 0, sizeof(c->retry));
	if (c->ping_interval_s > 0) {
		c->retry.secs_since_valid_ping = (uint16_t)c->ping_interval_s;
		c->retry.secs_since_valid_hangup = (uint16_t)(c->ping_interval_s * 2 + 10);
	} else {
		c->retry.secs_since_valid_ping = 0xffff;
		c->retry.secs_since_valid_hangup = 0xffff;
	}
	ci.context = c->ctx;
	ci.vhost = c->vhost;
	ci.address = c->url.address;
	ci.port = c->url.port;
	ci.path = c->url.path;
	ci.host = c->url.host_header;
	/* No Origin header: it is what browsers send (RFC 6455 sections 4.1
	 * and 10.2), and central systems that restrict origins refuse a
	 * connection that carries one they do not know. */
	ci.origin = NULL;
	ci.protocol = "ocpp1.6";
	ci.local_protocol_name = ws_client_protocol.name;
	ci.ssl_connection = c->url.tls ? LCCSCF_USE_SSL : 0;
	ci.retry_and_idle_policy = &c->retry;
	ci.opaque_user_data = c;
	/* The query is not logged: it may carry a token. */
	CP_INFO("ws", "connecting to %s://%s%.*s%s", c->url.tls ? "wss" : "ws",
	    c->url.host_header, (int)strcspn(c->url.path, "?"), c->url.path,
	    strchr(c->url.path, '?') ? "?..." : "");
	c->attempt_live = true;
	c->verify_error[0] = '\0';
	c->wsi = NULL;
	lws_sul_schedule(c->ctx, 0, &c->watchdog_sul, watchdog_cb,
	    (lws_usec_t)c->connect_timeout_ms * LWS_US_PER_MS);
	/* The connect call may already fail the attempt through a callback
	 * (then it returns NULL too): in_connect lets that callback, whose wsi
	 * we do not know yet, end it. */
	c->in_connect = true;
	wsi = lws_client_connect_via_info(&ci);
	c->in_connect = false;
	if (!c->attempt_live)
		return;		/* ended inside the call: already rescheduled */
	if (!wsi) {
		attempt_ended(c, "could not start the connection");
		return;
	}
	c->wsi = wsi;
}

static void reconnect_cb(lws_sorted_usec_list_t *sul)
{
	struct ws_client *c = lws_container_of(sul, struct ws_client, reconnect_sul);
	do_connect(c);
}

static void schedule_reconnect(struct ws_client *c)
{
	int ms;

	if (c->stopping)
		return;
	ms = ws_backoff_ms(c->attempts, rand());
	if (c->attempts < 30)
		c->attempts++;
	c->reconnects++;
	CP_INFO("ws", "reconnecting in %d ms", ms);
	lws_sul_schedule(c->ctx, 0, &c->reconnect_sul, reconnect_cb,
	    (lws_usec_t)ms * LWS_US_PER_MS);
}

void ws_client_start(struct ws_client *c)
{
	c->stopping = false;
	do_connect(c);
}

void ws_client_restart(struct ws_client *c)
{
	c->attempts = 0;
	if (c->attempt_live) {
		/* The close callback schedules the reconnect (1 s back-off). */
		if (c->wsi)
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
	} else {
		lws_sul_cancel(&c->reconnect_sul);
		do_connect(c);
	}
}

void ws_client_stop(struct ws_client *c)
{
	c->stopping = true;
	lws_sul_cancel(&c->reconnect_sul);
	lws_sul_cancel(&c->watchdog_sul);
	if (c->wsi)
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

bool ws_client_connected(const struct ws_client *c)
{
	return c->connected;
}

int ws_client_send(struct ws_client *c, const char *text, size_t len)
{
	unsigned slot;
	char *buf;

	if (!c->connected || !c->wsi)
		return -ENOTCONN;
	if (c->tx_count == WS_TX_SLOTS)
		return -ENOBUFS;
	buf = malloc(LWS_PRE + len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf + LWS_PRE, text, len);
	slot = (c->tx_head + c->tx_count) % WS_TX_SLOTS;
	c->tx[slot].buf = buf;
	c->tx[slot].len = len;
	c->tx_count++;
	lws_callback_on_writable(c->wsi);
	return 0;
}

/*
 * The attempt in progress (connecting or open) is over, whichever of its
 * ending callbacks or the watchdog says so first; the later ones find no
 * live attempt and do nothing.  So every attempt ends exactly once: one
 * on_close and one next attempt with the back-off.
 */
static void attempt_ended(struct ws_client *c, const char *why)
{
	bool was = c->connected;

	if (!c->attempt_live)
		return;
	c->attempt_live = false;
	c->connected = false;
	c->wsi = NULL;
	lws_sul_cancel(&c->watchdog_sul);
	c->rx_len = 0;
	c->rx_overflow = false;
	c->rx_paused = false;
	tx_clear(c);
	/* A refused server certificate says more than the library's words. */
	if (!was && c->verify_error[0])
		why = c->verify_error;
	snprintf(c->last_error, sizeof(c->last_error), "%s", why ? why : "");
	why = c->last_error;
	c->verify_error[0] = '\0';
	CP_WARN("ws", "connection %s: %s", was ? "lost" : "failed", why ? why : "");
	if (c->cbs.on_close)
		c->cbs.on_close(c->user);
	schedule_reconnect(c);
}

/* The client whose current attempt wsi is, or NULL: a wsi abandoned by the
 * watchdog, or another protocol's wsi (protocols[0] hears every
 * WSI_DESTROY, and other protocols keep their own opaque data), is not
 * ours.  bound: the wsi must be bound to this protocol, not just unbound. */
static struct ws_client *attempt_of(struct lws *wsi, bool bound)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);
	struct ws_client *c;

	if (p == NULL ? bound : p->callback != ws_client_protocol.callback)
		return NULL;
	c = lws_get_opaque_user_data(wsi);
	if (c == NULL || !c->attempt_live)
		return NULL;
	if (c->wsi == wsi || (c->wsi == NULL && c->in_connect))
		return c;
	return NULL;
}

/*
 * Clients get their SSL_CTX from the vhost; libwebsockets offers it to
 * protocols[0] once, when it is made.  TLS 1.2 is the floor the OCPP 1.6
 * security whitepaper sets for its TLS profiles ("TLS v1.2 or above"): set here,
 * not left to the library's or the system's default.  Under TLS 1.2 only the
 * whitepaper's cipher suites are offered (the ECDHE AES-GCM suites, with RSA
 * and ECDSA server keys); TLS 1.3 keeps OpenSSL's suites, all AEAD.
 * The SSL_CTX is handed to the client that protocols[0].user points to, so
 * its owner can add trusted roots and a client certificate later
 * (ws_client_tls_ctx).
 */
#define WS_TLS12_CIPHERS "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"

static int ws_tls_setup(struct lws *wsi, void *ssl_ctx)
{
	const struct lws_protocols *p;

	if (ssl_ctx == NULL)
		return 0;
	if (!SSL_CTX_set_min_proto_version((SSL_CTX *)ssl_ctx, TLS1_2_VERSION)) {
		CP_ERR("ws", "cannot set TLS 1.2 as the minimum version");
		return -1;
	}
	if (!SSL_CTX_set_cipher_list((SSL_CTX *)ssl_ctx, WS_TLS12_CIPHERS)) {
		CP_ERR("ws", "cannot restrict the TLS 1.2 cipher suites");
		return -1;
	}
	p = lws_vhost_name_to_protocol(lws_get_vhost(wsi), ws_client_protocol.name);
	if (p && p->user)
		((struct ws_client *)p->user)->ssl_ctx = ssl_ctx;
	return 0;
}

void *ws_client_tls_ctx(const struct ws_client *c)
{
	return c->ssl_ctx;
}

const char *ws_client_last_error(const struct ws_client *c)
{
	return c->last_error;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct ws_client *c;

	switch (reason) {
	case LWS_CALLBACK_OPENSSL_LOAD_EXTRA_CLIENT_VERIFY_CERTS:
		return ws_tls_setup(wsi, user);
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* OpenSSL's verdict on the server certificate: the library only
		 * says "SSL err 1" when the handshake fails, so the reason is
		 * kept here for the attempt's end (len: preverify_ok). */
		if (len == 0 && (c = attempt_of(wsi, false)) != NULL && !c->verify_error[0]) {
			X509_STORE_CTX *x = user;
			snprintf(c->verify_error, sizeof(c->verify_error),
			    "server certificate refused: %s (depth %d)",
			    X509_verify_cert_error_string(X509_STORE_CTX_get_error(x)),
			    X509_STORE_CTX_get_error_depth(x));
		}
		return 0;
	/* Every way a connection attempt can end (OCPP-J 1.6 section 5.3 leaves
	 * reconnecting to the charge point; it must never stop). */
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if ((c = attempt_of(wsi, false)) != NULL)
			attempt_ended(c, in ? (const char *)in : "connection error");
		return 0;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if ((c = attempt_of(wsi, false)) != NULL)
			attempt_ended(c, "closed during the handshake");
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if ((c = attempt_of(wsi, false)) != NULL)
			attempt_ended(c, "closed");
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if ((c = attempt_of(wsi, true)) != NULL)
			attempt_ended(c, "connection gone");
		return 0;
	default:
		break;
	}
	c = lws_get_opaque_user_data(wsi);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (c && c->auth[0]) {
			unsigned char **p = (unsigned char **)in, *end = (*p) + len;
			if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
			    (const unsigned char *)c->auth, (int)strlen(c->auth), p, end))
				return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH: {
		/* OCPP-J 1.6 §3.1.2: a server that does not confirm ocpp1.6 is
		 * not spoken to. */
		char proto[32];
		int n = lws_hdr_copy(wsi, proto, sizeof(proto), WSI_TOKEN_PROTOCOL);
		if (n <= 0 || strcmp(proto, "ocpp1.6") != 0) {
			CP_ERR("ws", "server did not agree on subprotocol ocpp1.6 (got \"%s\"): refused",
			    n > 0 ? proto : "");
			return -1;
		}
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if ((c = attempt_of(wsi, false)) == NULL)
			return -1;	/* an abandoned attempt that came through late */
		lws_sul_cancel(&c->watchdog_sul);
		c->connected = true;
		c->attempts = 0;
		c->rx_len = 0;
		c->rx_overflow = false;
		c->rx_paused = false;
		CP_INFO("ws", "connected (subprotocol ocpp1.6)");
		if (c->cbs.on_open)
			c->cbs.on_open(c->user);
		if (c->tx_count)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!c)
			break;
		if (lws_frame_is_binary(wsi)) {
			/* OCPP-J is text only; ignore binary frames. */
			if (lws_is_final_fragment(wsi))
				c->rx_len = 0;
			break;
		}
		if (lws_is_first_fragment(wsi)) {
			c->rx_len = 0;
			c->rx_overflow = false;
		}
		if (!c->rx_overflow) {
			if (c->rx_len + len > CP_MAX_FRAME) {
				size_t keep = CP_MAX_FRAME - c->rx_len;
				memcpy(c->rx + c->rx_len, in, keep);
				c->rx_len += keep;
				c->rx_overflow = true;
			} else {
				memcpy(c->rx + c->rx_len, in, len);
				c->rx_len += len;
			}
		}
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
			if (c->rx_overflow) {
				CP_WARN("ws", "dropped a message larger than %d bytes", CP_MAX_FRAME);
				if (c->cbs.on_oversize)
					c->cbs.on_oversize(c->user, c->rx, c->rx_len > 256 ? 256 : c->rx_len);
			} else {
				c->rx[c->rx_len] = '\0';
				if (c->cbs.on_text)
					c->cbs.on_text(c->user, c->rx, c->rx_len);
			}
			c->rx_len = 0;
			c->rx_overflow = false;
			/* Back-pressure: a peer that sends CALLs faster than their
			 * answers leave (OCPP-J 1.6 section 4.1.1 allows one at a
			 * time) is not read until the ring has drained, so every
			 * CALL is answered and the rest waits in TCP buffers. */
			if (!c->rx_paused && c->tx_count >= WS_TX_PAUSE) {
				c->rx_paused = true;
				lws_rx_flow_control(wsi, 0);
			}
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!c)
			break;
		if (c->rx_paused && c->tx_count <= WS_TX_RESUME) {
			c->rx_paused = false;
			lws_rx_flow_control(wsi, 1);
		}
		if (!c->tx_count)
			break;
		{
			unsigned h = c->tx_head;
			int n = lws_write(wsi, (unsigned char *)c->tx[h].buf + LWS_PRE,
			    c->tx[h].len, LWS_WRITE_TEXT);
			free(c->tx[h].buf);
			c->tx[h].buf = NULL;
			c->tx_head = (h + 1) % WS_TX_SLOTS;
			c->tx_count--;
			if (n < 0)
				return -1;
			if (c->tx_count || c->rx_paused)
				lws_callback_on_writable(wsi);
		}
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols ws_client_protocol = {
	.name = "ocpp-ws-client",
	.callback = ws_callback,
	.per_session_data_size = 0,
	.rx_buffer_size = 16384,
};
