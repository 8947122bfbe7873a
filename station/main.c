/*
 * main.c - `ocpp-cp`, the charge point daemon.
 *
 * Command line (a contract other tests rely on: extend, never rename):
 *   --url URL --id ID --db PATH --connectors N --hw sim|linux --control PATH
 *   --time-scale X --config FILE --log-level error|warn|info|debug
 *   --firmware-installer PATH --hw-root DIR --ca-file PATH
 * Exit codes: 0 after SIGINT/SIGTERM and a clean shutdown, 2 on bad
 * arguments (one-line reason on stderr; also an unreadable --ca-file, a
 * --config line that does not apply, and a ws:// URL when SecurityProfile
 * is 2 or 3), 1 when start-up fails (database, --control path, hardware).
 */
#include "station/station.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cp_log.h"
#include "hw/hw_linux.h"
#include "smartcharging/sc_json.h"

#define TAG "main"

/* Reset: how long (station time) we wait for the StopTransactions to be
 * delivered before rebooting anyway; they stay queued in SQLite. */
#define RESET_GRACE_MS 5000

static struct station the_station;
static volatile sig_atomic_t got_signal;

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: ocpp-cp --url ws://host:port/path --id ID [options]\n"
	    "  --url URL          central system base URL (ws:// or wss://); the id is appended\n"
	    "  --id ID            charge point identity (at most 48 characters)\n"
	    "  --serial S         BootNotification serial numbers (at most 25 characters;\n"
	    "                     default: the identity when it fits, else none)\n"
	    "  --db PATH          SQLite database (default ocpp-cp.db)\n"
	    "  --connectors N     number of sockets, 1 or 2 (default 2)\n"
	    "  --hw sim|linux     hardware backend (default sim)\n"
	    "  --control PATH     Unix socket for local control and the simulator\n"
	    "  --time-scale X     run the station clock X times faster (default 1)\n"
	    "  --config FILE      Key=Value configuration applied on first boot\n"
	    "  --log-level L      error|warn|info|debug (default info)\n"
	    "  --hw-root DIR      --hw linux: root of the sysfs tree (default /)\n"
	    "  --ca-file PATH     wss://: trust these CA certificates (PEM) instead of the system's\n"
	    "                     (and besides installed CentralSystemRootCertificates)\n"
	    "  --http ADDR:PORT   serve the installer page and its API (docs/http.md); needs\n"
	    "                     the Installer-Password key\n"
	    "  --http-root DIR    the page's files (default " CP_WEB_DIR ")\n"
	    "  --http-cert PEM, --http-key PEM\n"
	    "                     serve it over HTTPS with this certificate and key\n"
	    "  --security-fallback SECONDS\n"
	    "                     after SecurityProfile was raised, go back to the previous\n"
	    "                     profile if no connection comes up in this time (5..3600,\n"
	    "                     default 120)\n"
	    "  --firmware-installer PATH\n"
	    "                     UpdateFirmware runs `PATH FILE` to install a downloaded\n"
	    "                     image (exit 0 = installed); default: accept a non-empty file\n"
	    "  --help             this text\n"
	    "\n"
	    "Exit codes: 0 after SIGINT or SIGTERM (a clean shutdown), 1 start-up failed,\n"
	    "2 bad arguments (the reason on stderr).\n");
}

static int bad_args(const char *why)
{
	fprintf(stderr, "ocpp-cp: %s\n", why);
	return 2;
}

/* --ca-file: a file that cannot be read or holds no PEM certificate would
 * make every wss:// connection fail verification, retried for ever; it is
 * a bad argument instead, said at once. */
static int check_ca_file(const char *path)
{
	char why[PATH_MAX + 96];
	FILE *f = fopen(path, "r");
	X509 *x;

	if (!f) {
		snprintf(why, sizeof(why), "--ca-file %s: cannot read it: %s", path, strerror(errno));
		return bad_args(why);
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	if (!x) {
		snprintf(why, sizeof(why), "--ca-file %s: no PEM certificate in it "
		    "(expected -----BEGIN CERTIFICATE-----)", path);
		return bad_args(why);
	}
	X509_free(x);
	return 0;
}

static int parse_args(int argc, char **argv, struct st_options *o)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "id", required_argument, NULL, 'i' },
		{ "serial", required_argument, NULL, 'S' },
		{ "db", required_argument, NULL, 'd' },
		{ "connectors", required_argument, NULL, 'n' },
		{ "hw", required_argument, NULL, 'w' },
		{ "control", required_argument, NULL, 'c' },
		{ "time-scale", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "hw-root", required_argument, NULL, 'r' },
		{ "ca-file", required_argument, NULL, 'a' },
		{ "firmware-installer", required_argument, NULL, 'F' },
		{ "security-fallback", required_argument, NULL, 'B' },
		{ "http", required_argument, NULL, 'H' },
		{ "http-root", required_argument, NULL, 'R' },
		{ "http-cert", required_argument, NULL, 'C' },
		{ "http-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	char *end;

	memset(o, 0, sizeof(*o));
	o->db = "ocpp-cp.db";
	o->connectors = 2;
	o->hw = "sim";
	o->time_scale = 1.0;
	o->log_level = CP_LOG_INFO;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': o->url = optarg; break;
		case 'i': o->id = optarg; break;
		case 'S':
			if (!optarg[0] || strlen(optarg) > CP_MAX_SERIAL)
				return bad_args("--serial must be 1 to 25 characters (CiString25)");
			for (const char *p = optarg; *p; p++)
				if (*p < 0x20 || *p > 0x7e)
					return bad_args("--serial must be printable ASCII");
			o->serial = optarg;
			break;
		case 'd': o->db = optarg; break;
		case 'n':
			o->connectors = (int)strtol(optarg, &end, 10);
			if (*end || o->connectors < 1 || o->connectors > CP_MAX_CONNECTORS)
				return bad_args("--connectors must be 1 or 2");
			break;
		case 'w':
			if (strcmp(optarg, "sim") != 0 && strcmp(optarg, "linux") != 0)
				return bad_args("--hw must be sim or linux");
			o->hw = optarg;
			break;
		case 'c': o->control = optarg; break;
		case 't':
			o->time_scale = strtod(optarg, &end);
			if (*end || !(o->time_scale > 0) || o->time_scale > 100000)
				return bad_args("--time-scale must be a number above 0 (at most 100000)");
			break;
		case 'f': o->config_file = optarg; break;
		case 'r': o->hw_root = optarg; break;
		case 'a':
			if (check_ca_file(optarg) != 0)
				return 2;
			o->ca_file = optarg;
			break;
		case 'H': {
			char addr[64];
			int port;
			if (st_http_parse_listen(optarg, addr, sizeof(addr), &port) < 0)
				return bad_args("--http must be ADDR:PORT (e.g. 127.0.0.1:8080)");
			o->http.listen = optarg;
			break;
		}
		case 'R': o->http.root = optarg; break;
		case 'C': o->http.cert = optarg; break;
		case 'K': o->http.key = optarg; break;
		case 'B': {
			long v = strtol(optarg, &end, 10);
			if (*end || v < 5 || v > 3600)
				return bad_args("--security-fallback must be 5 to 3600 seconds");
			o->security_fallback_ms = v * 1000;
			break;
		}
		case 'F':
			if (access(optarg, X_OK) < 0)
				return bad_args("--firmware-installer must name an executable file");
			o->firmware_installer = optarg;
			break;
		case 'l':
			if (cp_log_parse_level(optarg, &o->log_level) < 0)
				return bad_args("--log-level must be error, warn, info or debug");
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return bad_args(optind > 0 && optind <= argc ? "unknown or incomplete option (see --help)"
			    : "bad arguments");
		}
	}
	if (optind < argc)
		return bad_args("unexpected argument (see --help)");
	if (!o->url)
		return bad_args("--url is required");
	if (strncmp(o->url, "ws://", 5) != 0 && strncmp(o->url, "wss://", 6) != 0)
		return bad_args("--url must start with ws:// or wss://");
	if ((o->http.cert != NULL) != (o->http.key != NULL))
		return bad_args("--http-cert and --http-key go together");
	if ((o->http.root || o->http.cert) && !o->http.listen)
		return bad_args("--http-root, --http-cert and --http-key need --http");
	if (o->http.listen && !o->http.root)
		o->http.root = CP_WEB_DIR;
	if (!o->id || !o->id[0])
		return bad_args("--id is required");
	if (strlen(o->id) > CP_MAX_IDENTITY)
		return bad_args("--id is longer than 48 characters");
	return 0;
}

/* Security profiles 2 and 3 are TLS only (OCPP 1.6 security whitepaper §2:
 * "TLS with Basic Authentication", "TLS with Client Side Certificates"),
 * and a profile may never be lowered: with one of them stored or
 * provisioned, a ws:// URL would send the AuthorizationKey in the clear.
 * Refused before anything connects, like any other bad argument. */
static int check_security_profile(const struct cfg *c, const char *url)
{
	int sp = cfg_int(c, CFG_SECURITY_PROFILE);

	if (sp >= 2 && strncmp(url, "ws://", 5) == 0) {
		fprintf(stderr, "ocpp-cp: SecurityProfile is %d, which needs a wss:// --url; "
		    "refusing to connect to %s without TLS\n", sp, url);
		return 2;
	}
	/* Profiles 1 and 2 authenticate with Basic credentials: without an
	 * AuthorizationKey the station could not log in. */
	if ((sp == 1 || sp == 2) && !cfg_str(c, CFG_AUTHORIZATION_KEY)[0]) {
		fprintf(stderr, "ocpp-cp: SecurityProfile is %d, which needs an AuthorizationKey "
		    "(Basic authentication); provision one with --config\n", sp);
		return 2;
	}
	return 0;
}

/* ---- glue: configuration store, websocket <-> rpc ------------------------- */

static int cfg_load(void *ctx, const char *key, char *buf, size_t n)
{
	return store_config_get(ctx, key, buf, n);
}

static int cfg_save(void *ctx, const char *key, const char *value)
{
	return store_config_set(ctx, key, value);
}

static const struct cfg_store_ops cfg_ops = { cfg_load, cfg_save };

/*
 * Call timeouts run in real time (README "Time").  One timer, armed for the
 * session's next deadline (ocpp_rpc_next_deadline) after every change of the
 * RPC state: a CALL sent (rpc_send), an answer received (on_ws_text), a
 * timeout (rpc_tick_cb), the connection lost (on_ws_close).  Without an
 * outstanding CALL nothing is armed: nothing polls.
 */
static void rpc_tick_cb(lws_sorted_usec_list_t *sul);
static lws_sorted_usec_list_t rpc_sul;

static void rpc_arm(struct station *s)
{
	cp_real_t when;
	int64_t ms;

	if (!ocpp_rpc_next_deadline(&s->rpc, &when)) {
		lws_sul_cancel(&rpc_sul);
		return;
	}
	ms = when.ms - st_clock_real_mono().ms;
	lws_sul_schedule(s->lws, 0, &rpc_sul, rpc_tick_cb,
	    ms > 0 ? (lws_usec_t)ms * LWS_US_PER_MS : 0);
}

/* From inside the session (its transport op): run rpc_tick_cb at the next
 * turn of the loop, which ticks (nothing is due yet) and arms the timer
 * for the deadline the session has set by then. */
static void rpc_arm_soon(void)
{
	lws_sul_schedule(the_station.lws, 0, &rpc_sul, rpc_tick_cb, 0);
}

static void rpc_tick_cb(lws_sorted_usec_list_t *sul)
{
	struct station *s = &the_station;

	(void)sul;
	st_event_begin(s);
	ocpp_rpc_tick(&s->rpc, st_real(s));
	st_event_end(s);
	rpc_arm(s);
}

static int rpc_send(void *tctx, const char *text, size_t len)
{
	/* A CALL going out sets the session's deadline once ocpp_rpc_call
	 * returns: the timer is armed for it then. */
	rpc_arm_soon();
	return ws_client_send(tctx, text, len);
}

static const ocpp_transport_ops rpc_ops = { rpc_send };

static void on_ws_open(void *user)
{
	st_event_begin(user);
	st_sec_on_open(user);
	st_sender_on_open(user);
	st_event_end(user);
}

static void on_ws_text(void *user, const char *buf, size_t len)
{
	struct station *s = user;

	st_event_begin(s);
	ocpp_rpc_on_text(&s->rpc, buf, len, st_real(s));
	st_sender_pump(s);
	st_fw_poll(s);
	st_event_end(s);
	rpc_arm(s);
}

static void on_ws_oversize(void *user, const char *prefix, size_t len)
{
	struct station *s = user;

	ocpp_rpc_on_oversize(&s->rpc, prefix, len);
}

static void on_ws_close(void *user)
{
	struct station *s = user;

	st_event_begin(user);
	st_sec_on_close(s, ws_client_last_error(&s->ws));
	st_sender_on_close(user);
	st_event_end(user);
	rpc_arm(user);
}

static void on_replied(void *ctx, const char *action, ocpp_error err)
{
	st_sec_on_replied(ctx, action, err);
	st_sender_pump(ctx);
}


static lws_sorted_usec_list_t reauth_sul;

static void reauth_cb(lws_sorted_usec_list_t *sul)
{
	ws_client_restart(&the_station.ws);
}

/* A live configuration change: the connection's keys here, the rest in
 * st_cfg_apply (loop.c). */
static void on_cfg_change(void *ctx, enum cfg_id id)
{
	struct station *s = ctx;

	switch (id) {
	case CFG_AUTHORIZATION_KEY:
		/* Reconnect with the new credentials once the answer to the
		 * ChangeConfiguration is out (security whitepaper §3.2). */
		st_sec_apply_credentials(s);
		lws_sul_schedule(s->lws, 0, &reauth_sul, reauth_cb, 1000 * LWS_US_PER_MS);
		/* Whitepaper security event; the key itself is never logged. */
		st_sec_event(s, "ReconfigurationOfSecurityParameters", "AuthorizationKey changed");
		break;
	case CFG_SECURITY_PROFILE:
		st_sec_profile_applied(s);
		break;
	case CFG_WEB_SOCKET_PING_INTERVAL:
		ws_client_set_ping_interval(&s->ws, cfg_int(&s->cfg, CFG_WEB_SOCKET_PING_INTERVAL));
		break;
	default:
		st_cfg_apply(s, id);
		break;
	}
}

/* ---- reset and shutdown -------------------------------------------------- */


void st_request_reboot(struct station *s)
{
	int n = 0;

	if (!s->reboot_since.ms)
		s->reboot_since = st_now(s);
	store_queue_count(s->db, &n);
	n += (int)s->memtx_count;
	/* RESET_GRACE_MS of station time, like every station timer. */
	if (n > 0 && s->online && st_now(s).ms - s->reboot_since.ms < RESET_GRACE_MS) {
		/* Let the StopTransactions out first (OCPP 1.6 §5.14). */
		st_timer_arm_in(s, ST_T_REBOOT, 200);
		return;
	}
	s->stopping = true;
	s->exit_code = 100;	/* re-exec */
	lws_cancel_service(s->lws);
}

static void on_signal(int sig)
{
	got_signal = sig;
}

static int open_hw(struct station *s)
{
	int rc;

	if (strcmp(s->opt.hw, "sim") == 0) {
		s->sim_backend = true;
		rc = hw_sim_init(&s->sim, s->n_conn);
		/* The simulated meter keeps its register across restarts, as a
		 * real one does (meterStart never goes backwards). */
		for (int i = 1; rc == 0 && i <= s->n_conn; i++) {
			char key[32];
			int64_t wh = 0;
			snprintf(key, sizeof(key), "meter.%d", i);
			if (store_state_get_int(s->db, key, &wh) == 0)
				hw_sim_set_energy(&s->sim, i, wh);
		}
		if (rc == 0)
			rc = hw_station_init(&s->hw, &hw_sim_ops, &s->sim, s->n_conn);
		return rc;
	}
	/* Linux: sysfs PWM, GPIO and IIO ADC files under --hw-root (default
	 * "/"; a fake tree in tests).  The wiring is in hw/README.md. */
	{
		static hw_linux lx;
		hw_linux_config lc;

		hw_linux_config_defaults(&lc, s->opt.hw_root ? s->opt.hw_root : "/");
		rc = hw_linux_init(&lx, &lc, s->n_conn);
		if (rc < 0) {
			CP_ERR(TAG, "--hw linux: %s", hw_linux_last_error(&lx));
			return rc;
		}
		return hw_station_init(&s->hw, &hw_linux_ops, &lx, s->n_conn);
	}
}

int main(int argc, char **argv)
{
	struct station *s = &the_station;
	struct lws_context_creation_info info;
	static const struct lws_protocols *protocols_list;
	static struct lws_protocols protocols[7];
	ocpp_rpc_config rc_cfg;
	int rc;

	rc = parse_args(argc, argv, &s->opt);
	if (rc)
		return rc;
	cp_log_set_level(s->opt.log_level);
	s->argv = argv;
	s->n_conn = s->opt.connectors;
	st_clock_init(&s->clock, s->opt.time_scale, NULL);
	srand((unsigned)(getpid() ^ (unsigned)st_clock_real_mono().ms));

	rc = store_open(&s->db, s->opt.db);
	if (rc < 0) {
		CP_ERR(TAG, "cannot open database %s: %s", s->opt.db, strerror(-rc));
		return 1;
	}
	rc = cfg_init(&s->cfg, &cfg_ops, s->db, s->n_conn, s->opt.id);
	if (rc < 0) {
		CP_ERR(TAG, "configuration: %s", cfg_error(&s->cfg));
		return 1;
	}
	/* The transport and the certificates a SecurityProfile needs, before
	 * --config may set one. */
	cfg_set_transport(&s->cfg, strncmp(s->opt.url, "wss://", 6) == 0 ?
	    CFG_TRANSPORT_TLS : CFG_TRANSPORT_PLAIN);
	st_sec_init(s, s->opt.security_fallback_ms);
	if (s->opt.config_file) {
		/* A dry run on a copy without a store first: a file that would
		 * give a SecurityProfile the URL cannot honour stores nothing. */
		struct cfg *dry = malloc(sizeof(*dry));

		if (!dry)
			return 1;
		*dry = s->cfg;
		dry->ops = NULL;
		dry->listener = NULL;
		rc = cfg_provision_file(dry, s->opt.config_file);
		if (rc < 0) {
			fprintf(stderr, "ocpp-cp: --config %s: %s\n", s->opt.config_file, cfg_error(dry));
			free(dry);
			return 2;
		}
		rc = check_security_profile(dry, s->opt.url);
		free(dry);
		if (rc)
			return rc;
		rc = cfg_provision_file(&s->cfg, s->opt.config_file);
		if (rc < 0) {
			fprintf(stderr, "ocpp-cp: --config %s: %s\n", s->opt.config_file, cfg_error(&s->cfg));
			return 2;
		}
	}
	rc = check_security_profile(&s->cfg, s->opt.url);
	if (rc)
		return rc;
	/* Again: the profile --config may have provisioned. */
	st_sec_init(s, s->opt.security_fallback_ms);
	s->qmsg = malloc(sizeof(*s->qmsg));
	s->queue_maybe = true;	/* whatever the last run left queued */
	if (!s->qmsg)
		return 1;
	if (open_hw(s) < 0)
		return 1;
	st_profiles_load(s);
	sc_balance_init(&s->balance);

	memset(&info, 0, sizeof(info));
	protocols[0] = ws_client_protocol;
	protocols[0].user = &s->ws;	/* receives the client SSL_CTX (ws.h) */
	protocols[1] = st_control_protocol;
	protocols[2] = st_fw_protocol;
	protocols[3] = st_grid_protocol;
	protocols[4] = st_scn_protocol;
	protocols[5] = st_meters_protocol;
	protocols_list = protocols;
	info.protocols = protocols_list;
	info.port = CONTEXT_PORT_NO_LISTEN;
	/* OpenSSL's global state costs about 4 MB of RSS: only for wss://. */
	info.options = strncmp(s->opt.url, "wss://", 6) == 0 || s->opt.http.cert ?
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
	/* wss://: the server certificate is verified against the system's CAs,
	 * or against --ca-file (a private PKI, security profile 2). */
	info.client_ssl_ca_filepath = s->opt.ca_file;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.fd_limit_per_thread = 64;
	lws_set_log_level(s->opt.log_level >= CP_LOG_DEBUG ? (LLL_ERR | LLL_WARN) : LLL_ERR, NULL);
	s->lws = lws_create_context(&info);
	if (!s->lws) {
		CP_ERR(TAG, "libwebsockets context failed");
		return 1;
	}
	s->vhost = lws_get_vhost_by_name(s->lws, "default");

	memset(&rc_cfg, 0, sizeof(rc_cfg));
	rc_cfg.ops = &rpc_ops;
	rc_cfg.tctx = &s->ws;
	rc_cfg.actions = st_actions;
	rc_cfg.nactions = st_n_actions;
	rc_cfg.ctx = s;
	rc_cfg.replied = on_replied;
	rc_cfg.admit_state = st_admit_state;
	rc_cfg.id_seed = (uint32_t)rand();
	rc_cfg.frame = s->opt.http.listen ? st_http_frame : NULL;
	{
		static const char *const secrets[] = { "AuthorizationKey", "SCN-AuthKey", NULL };
		rc_cfg.secret_keys = secrets;
	}
	if (ocpp_rpc_init(&s->rpc, &rc_cfg) < 0) {
		CP_ERR(TAG, "rpc init failed");
		return 1;
	}
	{
		static const struct ws_client_cbs cbs = {
			on_ws_open, on_ws_text, on_ws_oversize, on_ws_close,
		};
		if (ws_client_init(&s->ws, s->lws, s->vhost, s->opt.url, s->opt.id, &cbs, s) < 0) {
			fprintf(stderr, "ocpp-cp: --url %s is not a valid ws:// or wss:// URL\n", s->opt.url);
			return 2;
		}
	}
	/* wss://: trusted roots and the client certificate on the SSL_CTX. */
	if (ws_client_tls_ctx(&s->ws))
		st_sec_tls_ready(s, ws_client_tls_ctx(&s->ws));
	st_sec_apply_credentials(s);
	ws_client_set_ping_interval(&s->ws, cfg_int(&s->cfg, CFG_WEB_SOCKET_PING_INTERVAL));

	if (s->opt.http.listen) {
		rc = st_http_open(s, &s->opt.http);
		if (rc == -EPERM) {
			fprintf(stderr, "ocpp-cp: --http needs the Installer-Password key (set it with "
			    "ChangeConfiguration or --config); refusing to serve the page without a password\n");
			return 2;
		}
		if (rc < 0) {
			CP_ERR(TAG, "--http %s: cannot listen there (%s)", s->opt.http.listen,
			    rc == -EADDRINUSE ? "address in use or not available" : strerror(-rc));
			return 1;
		}
	}
	if (s->opt.control) {
		rc = st_control_open(&s->control, s->vhost, s->opt.control, st_control_handle, s);
		if (rc < 0) {
			CP_ERR(TAG, "control socket %s: %s", s->opt.control, strerror(-rc));
			return 1;
		}
		s->control_open = true;
	}

	st_timer_init(s);
	st_conn_init(s);
	for (int i = 1; i <= s->n_conn; i++)
		if (!s->conn[i].operative)
			hw_station_set_enabled(&s->hw, i, false, st_now(s));
	st_conn_recover(s);
	st_fw_init(s, s->opt.firmware_installer);
	/* Whitepaper "StartupOfTheDevice": every start, re-execs after Reset
	 * included (those also logged ResetOrReboot when the Reset came). */
	st_sec_event(s, "StartupOfTheDevice", PACKAGE_VERSION);
	cfg_set_listener(&s->cfg, on_cfg_change, s);
	st_conn_reload_limits(s);
	st_grid_configure(s);
	st_scn_configure(s);
	st_meters_configure(s);
	st_hw_tick(s);
	st_aligned_timer(s);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	CP_INFO(TAG, "ocpp-cp %s: %s as %s, %d connector(s), hw %s, time scale %g",
	    PACKAGE_VERSION, s->opt.url, s->opt.id, s->n_conn, s->opt.hw, s->opt.time_scale);
	ws_client_start(&s->ws);

	while (!got_signal && !s->stopping) {
		if (lws_service(s->lws, 0) < 0)
			break;
	}

	CP_INFO(TAG, "shutting down%s", s->exit_code == 100 ? " for reboot" : "");
	ws_client_stop(&s->ws);
	if (s->control_open)
		st_control_close(&s->control);
	lws_sul_cancel(&rpc_sul);
	st_fw_shutdown(s);
	st_sec_free(s);
	st_http_close(s);
	st_grid_close(s);
	st_scn_close(s);
	st_meters_close(s);
	lws_context_destroy(s->lws);
	ws_client_free(&s->ws);
	st_conn_save_meters(s);
	store_state_set_int(s->db, "clean_shutdown", s->exit_code == 100 ? 0 : 1);
	store_close(s->db);
	/* What the flood limiter still holds back is said before we go. */
	cp_log_flush();
	if (s->exit_code == 100) {
		/* Reset: restart in place so a new BootNotification follows. */
		execv("/proc/self/exe", s->argv);
		CP_ERR(TAG, "re-exec failed: %s", strerror(errno));
		return 1;
	}
	return 0;
}
