/*
 * canned_cp.c - the latency floor for bench/run-foundation.sh.
 *
 * A minimal libwebsockets client (subprotocol ocpp1.6) that answers every
 * OCPP-J CALL [2,"id",...] with one canned CALLRESULT for a one-key
 * GetConfiguration, copying the id, and does nothing else: no parsing beyond
 * the id, no validation, no storage, no BootNotification.  Whatever the
 * central system measures against it is the cost of the central system, the
 * loopback and libwebsockets; "Speed and footprint" asks for the
 * daemon's figures beside this floor, measured in the same run.
 *
 *   canned_cp --url ws://127.0.0.1:PORT/path --id ID
 *
 * The id is appended to the URL path as the daemon does.  Exits 0 on
 * SIGINT/SIGTERM, 1 when the connection fails or closes, 2 on bad arguments.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

/* The central system sends one CALL at a time; a few slots cover a burst. */
#define CANNED_SLOTS 8
/* OCPP-J 1.6 §4.1.1: message ids are at most 36 characters. */
#define CANNED_MAX_ID 36
#define CANNED_MAX_RX 4096

static const char canned_tail[] =
    "\",{\"configurationKey\":[{\"key\":\"HeartbeatInterval\","
    "\"readonly\":false,\"value\":\"300\"}]}]";

struct canned_reply {
	size_t len;
	unsigned char buf[LWS_PRE + 8 + CANNED_MAX_ID + sizeof(canned_tail)];
};

static struct {
	struct lws_context *ctx;
	struct lws *wsi;
	char rx[CANNED_MAX_RX + 1];
	size_t rx_len;
	int rx_overflow;
	struct canned_reply q[CANNED_SLOTS];
	unsigned q_head, q_count;
	volatile sig_atomic_t stop;
	int exit_code;
} g;

/* Length of the id if text is a CALL [2,"id",...], else -1. */
static int canned_peek_call_id(const char *text, size_t len, const char **id)
{
	size_t i = 0, start;

	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	if (i >= len || text[i++] != '[')
		return -1;
	while (i < len && text[i] == ' ')
		i++;
	if (i >= len || text[i++] != '2')
		return -1;
	while (i < len && text[i] == ' ')
		i++;
	if (i >= len || text[i++] != ',')
		return -1;
	while (i < len && text[i] == ' ')
		i++;
	if (i >= len || text[i++] != '"')
		return -1;
	start = i;
	while (i < len && text[i] != '"' && text[i] != '\\')
		i++;
	if (i >= len || text[i] != '"' || i - start > CANNED_MAX_ID)
		return -1;
	*id = text + start;
	return (int)(i - start);
}

static void canned_queue_reply(struct lws *wsi, const char *id, int idlen)
{
	struct canned_reply *r;
	char *p;

	if (g.q_count == CANNED_SLOTS) {
		fprintf(stderr, "canned_cp: reply queue full, CALL dropped\n");
		return;
	}
	r = &g.q[(g.q_head + g.q_count) % CANNED_SLOTS];
	p = (char *)r->buf + LWS_PRE;
	memcpy(p, "[3,\"", 4);
	memcpy(p + 4, id, (size_t)idlen);
	memcpy(p + 4 + idlen, canned_tail, sizeof(canned_tail) - 1);
	r->len = 4 + (size_t)idlen + sizeof(canned_tail) - 1;
	g.q_count++;
	lws_callback_on_writable(wsi);
}

static int canned_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH: {
		char proto[32];

		/* A server that did not pick ocpp1.6 is not a central system;
		 * lws itself would bind a server that names none to protocol 0.
		 * The handshake headers are gone by CLIENT_ESTABLISHED. */
		if (lws_hdr_copy(wsi, proto, sizeof(proto), WSI_TOKEN_PROTOCOL) <= 0 ||
		    strcmp(proto, "ocpp1.6") != 0) {
			fprintf(stderr, "canned_cp: server did not agree to ocpp1.6\n");
			g.exit_code = 1;
			return 1;
		}
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		g.rx_len = 0;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi)) {
			g.rx_len = 0;
			g.rx_overflow = 0;
		}
		if (g.rx_len + len > CANNED_MAX_RX)
			g.rx_overflow = 1;
		else if (!g.rx_overflow) {
			memcpy(g.rx + g.rx_len, in, len);
			g.rx_len += len;
		}
		if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
			const char *id;
			int idlen = g.rx_overflow ? -1 : canned_peek_call_id(g.rx, g.rx_len, &id);

			if (idlen >= 0)
				canned_queue_reply(wsi, id, idlen);
			g.rx_len = 0;
			g.rx_overflow = 0;
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (g.q_count) {
			struct canned_reply *r = &g.q[g.q_head];

			if (lws_write(wsi, r->buf + LWS_PRE, r->len, LWS_WRITE_TEXT) < (int)r->len)
				return -1;
			g.q_head = (g.q_head + 1) % CANNED_SLOTS;
			if (--g.q_count)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "canned_cp: connection failed: %s\n", in ? (const char *)in : "");
		g.wsi = NULL;
		g.exit_code = 1;
		g.stop = 1;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		g.wsi = NULL;
		if (!g.stop)
			g.exit_code = 1;
		g.stop = 1;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols canned_protocols[] = {
	{ .name = "ocpp1.6", .callback = canned_callback, .rx_buffer_size = CANNED_MAX_RX },
	{ .name = NULL },
};

static void canned_on_signal(int sig)
{
	(void)sig;
	g.stop = 1;
	if (g.ctx)
		lws_cancel_service(g.ctx);
}

static int canned_usage(const char *why)
{
	fprintf(stderr, "canned_cp: %s\nusage: canned_cp --url ws://host:port/path --id ID\n", why);
	return 2;
}

int main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	const char *url = NULL, *id = NULL, *prot, *addr, *upath;
	char ubuf[512], path[640];
	int port, tls;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--url") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--id") && i + 1 < argc)
			id = argv[++i];
		else
			return canned_usage("unknown argument");
	}
	if (!url || !id)
		return canned_usage("--url and --id are required");
	if (strlen(url) >= sizeof(ubuf) || strlen(id) > 64)
		return canned_usage("--url or --id too long");
	memcpy(ubuf, url, strlen(url) + 1);
	if (lws_parse_uri(ubuf, &prot, &addr, &port, &upath))
		return canned_usage("--url is not a valid URL");
	if (strcmp(prot, "ws") && strcmp(prot, "wss"))
		return canned_usage("--url must start with ws:// or wss://");
	tls = !strcmp(prot, "wss");
	/* lws_parse_uri strips the leading '/' of the path. */
	snprintf(path, sizeof(path), "/%s%s%s", upath,
	    upath[0] && upath[strlen(upath) - 1] != '/' ? "/" : "", id);

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = canned_protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	/* One connection: the default (the process fd ulimit) would size the
	 * fd tables for tens of thousands of sockets. */
	info.fd_limit_per_thread = 16;
	if (tls)
		info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	g.ctx = lws_create_context(&info);
	if (!g.ctx) {
		fprintf(stderr, "canned_cp: libwebsockets context failed\n");
		return 1;
	}

	memset(&ci, 0, sizeof(ci));
	ci.context = g.ctx;
	ci.address = addr;
	ci.port = port;
	ci.path = path;
	ci.host = addr;
	ci.origin = addr;
	ci.protocol = "ocpp1.6";
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.pwsi = &g.wsi;

	signal(SIGINT, canned_on_signal);
	signal(SIGTERM, canned_on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (!lws_client_connect_via_info(&ci)) {
		fprintf(stderr, "canned_cp: cannot connect to %s\n", url);
		g.exit_code = 1;
		g.stop = 1;
	}
	while (!g.stop)
		if (lws_service(g.ctx, 0) < 0)
			break;
	lws_context_destroy(g.ctx);
	return g.exit_code;
}
