/*
 * fuzz_station.c - see fuzz_station.h.
 *
 * The daemon's start-up sequence of station/main.c, without the websocket
 * client and the control socket listener.  main.c keeps its glue (the
 * configuration store ops, the live-change listener, profile persistence,
 * reset) static or in main(), so the few functions the station library
 * expects from it are written again here, each doing what the daemon's does
 * minus the parts that need a websocket connection.
 */
#include "fuzz/fuzz_station.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smartcharging/sc_json.h"

static struct station the_station;
static struct lws_context *fz_lws;
static char fz_dir[64];

/* The action and id of the CALL being answered, for checking the reply. */
static char cur_id[CP_MAX_ECHO_ID + 1];
static const char *cur_action;
static char last_reply[CP_MAX_FRAME + 1];
static char last_call[CP_MAX_FRAME + 1];
static bool is_open;
static int n_replies;		/* CALLRESULT / CALLERROR frames sent */
static char reply_id[CP_MAX_ECHO_ID + 1];
static struct cfg cfg_before;
static struct sc_store profiles_before;
static int64_t shift_ms;	/* how far fz_station_tick moved the clocks */

static void fz_fail(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz: %s: %.*s\n", what, (int)(len > 2000 ? 2000 : len), text);
	abort();
}

/* ---- what main.c provides to the station library ------------------------- */

static int cfg_load(void *ctx, const char *key, char *buf, size_t n)
{
	return store_config_get(ctx, key, buf, n);
}

static int cfg_save(void *ctx, const char *key, const char *value)
{
	return store_config_set(ctx, key, value);
}

static const struct cfg_store_ops cfg_ops = { cfg_load, cfg_save };

/* main.c's on_cfg_change without the websocket keys (AuthorizationKey,
 * WebSocketPingInterval), which only restart or retune the connection. */
static void on_cfg_change(void *ctx, enum cfg_id id)
{
	if (id != CFG_AUTHORIZATION_KEY && id != CFG_WEB_SOCKET_PING_INTERVAL)
		st_cfg_apply(ctx, id);
}

/* The daemon re-executes itself here; the harness only notes it. */
void st_request_reboot(struct station *s)
{
	s->stopping = true;
	s->exit_code = 100;
}

/* ---- the transport: every frame the station sends is checked ----------- */

/* A CALL whose id is 37..CP_MAX_ECHO_ID characters long is answered with a
 * CALLERROR echoing that id (OCPP-J 4.2.3): the one frame the station sends
 * with an id beyond 36 characters.  The rest of it is checked with the id
 * replaced by a short one.  Returns the length of that copy in buf, or 0. */
static size_t long_id_echo(const char *text, size_t len, char *buf, size_t size)
{
	char head[CP_MAX_ECHO_ID + 8];
	size_t h;

	if (strlen(cur_id) <= CP_MAX_MSG_ID)
		return 0;
	snprintf(head, sizeof(head), "[4,\"%s\"", cur_id);
	h = strlen(head);
	if (len < h || memcmp(text, head, h) != 0 || len - h + 6 > size)
		return 0;
	memcpy(buf, "[4,\"x\"", 6);
	memcpy(buf + 6, text + h, len - h);
	return 6 + len - h;
}

static int fz_send(void *tctx, const char *text, size_t len)
{
	static char echo[CP_MAX_FRAME + 16];
	ocpp_frame f;
	char desc[CP_MAX_ERROR_DESC];
	ocpp_error e;
	size_t elen = 0;

	(void)tctx;
	if (ocpp_frame_parse(text, len, &f) < 0) {
		ocpp_frame_free(&f);
		elen = long_id_echo(text, len, echo, sizeof(echo));
		if (!elen || ocpp_frame_parse(echo, elen, &f) < 0)
			fz_fail("the station sent a malformed frame", text, len);
	}
	if (f.type == OCPP_MSG_CALL)
		snprintf(last_call, sizeof(last_call), "%.*s", (int)len, text);
	if (f.type != OCPP_MSG_CALL) {
		snprintf(last_reply, sizeof(last_reply), "%.*s", (int)len, text);
		snprintf(reply_id, sizeof(reply_id), "%s", elen ? cur_id : f.id);
		n_replies++;
	}
	switch (f.type) {
	case OCPP_MSG_CALL:
		e = ocpp_validate(f.action, OCPP_REQ, f.payload, desc, sizeof(desc));
		if (e != OCPP_ERR_NONE)
			fz_fail(desc, text, len);
		break;
	case OCPP_MSG_CALLRESULT:
		if (!cur_action || strcmp(f.id, cur_id) != 0)
			fz_fail("CALLRESULT for no CALL being answered", text, len);
		e = ocpp_validate(cur_action, OCPP_CONF, f.payload, desc, sizeof(desc));
		if (e != OCPP_ERR_NONE)
			fz_fail(desc, text, len);
		break;
	case OCPP_MSG_CALLERROR:
		if (!ocpp_error_is_wire(f.error) || strcmp(ocpp_error_name(f.error), f.error_name) != 0)
			fz_fail("CALLERROR with a code outside OCPP-J 1.6 section 4.2.3", text, len);
		break;
	default:
		fz_fail("unknown message type", text, len);
	}
	ocpp_frame_free(&f);
	return 0;
}

static const ocpp_transport_ops fz_ops = { fz_send };

static void on_replied(void *ctx, const char *action, ocpp_error err)
{
	(void)action;
	(void)err;
	st_sender_pump(ctx);
}

const char *fz_station_last_reply(void)
{
	return last_reply;
}

const char *fz_station_last_call(void)
{
	return last_call;
}

/* ---- set-up and tear-down ------------------------------------------------ */

static void fz_global_init(void)
{
	struct lws_context_creation_info info;
	static struct lws_protocols protocols[3];

	if (fz_lws)
		return;
	/* Quiet at fuzzing speed; FUZZ_LOG=1 to follow one input. */
	cp_log_set_level(getenv("FUZZ_LOG") ? CP_LOG_DEBUG : CP_LOG_ERROR);
	lws_set_log_level(0, NULL);
	snprintf(fz_dir, sizeof(fz_dir), "/tmp/ocpp-cp-fuzz.%d", (int)getpid());
	memset(&info, 0, sizeof(info));
	protocols[0] = st_fw_protocol;
	info.protocols = protocols;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.fd_limit_per_thread = 64;
	fz_lws = lws_create_context(&info);
	if (!fz_lws)
		fz_fail("libwebsockets context", "", 0);
}

struct station *fz_station_open(void)
{
	struct station *s = &the_station;
	ocpp_rpc_config rc;

	fz_global_init();
	if (is_open)	/* a failed test returned without closing */
		fz_station_close(s);
	memset(s, 0, sizeof(*s));
	is_open = true;
	shift_ms = 0;
	last_reply[0] = '\0';
	last_call[0] = '\0';
	s->opt.id = "FUZZ-CP";
	s->opt.db = ":memory:";
	s->opt.connectors = CP_MAX_CONNECTORS;
	s->opt.hw = "sim";
	s->opt.time_scale = 1.0;
	s->n_conn = s->opt.connectors;
	st_clock_init(&s->clock, 1.0, NULL);
	s->lws = fz_lws;
	s->vhost = lws_get_vhost_by_name(fz_lws, "default");
	if (store_open(&s->db, s->opt.db) < 0 ||
	    cfg_init(&s->cfg, &cfg_ops, s->db, s->n_conn, s->opt.id) < 0)
		fz_fail("store / configuration", "", 0);
	s->qmsg = malloc(sizeof(*s->qmsg));
	s->queue_maybe = true;
	s->sim_backend = true;
	if (!s->qmsg || hw_sim_init(&s->sim, s->n_conn) < 0 ||
	    hw_station_init(&s->hw, &hw_sim_ops, &s->sim, s->n_conn) < 0)
		fz_fail("simulated hardware", "", 0);
	sc_store_init(&s->profiles);
	sc_balance_init(&s->balance);

	memset(&rc, 0, sizeof(rc));
	rc.ops = &fz_ops;
	rc.actions = st_actions;
	rc.nactions = st_n_actions;
	rc.ctx = s;
	rc.replied = on_replied;
	rc.admit_state = st_admit_state;
	rc.id_seed = 0;		/* message ids "00000000-N": a corpus can answer them */
	if (ocpp_rpc_init(&s->rpc, &rc) < 0)
		fz_fail("rpc init", "", 0);

	st_timer_init(s);
	st_conn_init(s);
	st_conn_recover(s);
	st_fw_init(s, NULL);
	/* Diagnostics archives and firmware images go to a private directory. */
	snprintf(s->fw.dir, sizeof(s->fw.dir), "%s", fz_dir);
	cfg_set_listener(&s->cfg, on_cfg_change, s);
	st_conn_reload_limits(s);
	st_hw_tick(s);
	st_aligned_timer(s);
	st_sender_on_open(s);
	return s;
}

void fz_station_close(struct station *s)
{
	st_fw_shutdown(s);
	st_sec_free(s);
	st_sender_on_close(s);
	while (s->memq_count) {
		cJSON_Delete(s->memq[s->memq_head].payload);
		s->memq_head = (s->memq_head + 1) % ST_MEMQ_SLOTS;
		s->memq_count--;
	}
	for (int i = 0; i <= s->n_conn; i++) {
		cJSON_Delete(s->conn[i].remote_profile);
		cJSON_Delete(s->conn[i].tx_data);
	}
	lws_sul_cancel(&s->timer_sul);
	free(s->qmsg);
	store_close(s->db);
	s->db = NULL;
	/* Whatever GetDiagnostics / UpdateFirmware left. */
	for (int k = 0; k < FW_KIND_COUNT; k++)
		if (s->fw.path[k][0])
			unlink(s->fw.path[k]);
	rmdir(fz_dir);
	is_open = false;
}

/* ---- inputs ---------------------------------------------------------------- */

/* A refusal: a CALLERROR, or a CALLRESULT whose status says nothing was
 * done (Rejected, NotSupported, Unknown; OCPP 1.6 §7). */
static bool refused(const char *reply)
{
	cJSON *r = cJSON_Parse(reply);
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(r, 2), "status"));
	bool no = cJSON_GetArrayItem(r, 0) && cJSON_GetArrayItem(r, 0)->valueint == 4;

	if (st && (strcmp(st, "Rejected") == 0 || strcmp(st, "NotSupported") == 0 ||
	    strcmp(st, "Unknown") == 0))
		no = true;
	cJSON_Delete(r);
	return no;
}

/* Bad input changes nothing: after a refusal the configuration and the
 * installed charging profiles are as they were. */
static void check_unchanged(const struct station *s, const char *text, size_t len)
{
	if (memcmp(cfg_before.slot, s->cfg.slot, sizeof(s->cfg.slot)) != 0 ||
	    memcmp(cfg_before.pool, s->cfg.pool, sizeof(s->cfg.pool)) != 0 ||
	    cfg_before.unlocked != s->cfg.unlocked)
		fz_fail("a refused CALL changed the configuration", text, len);
	if (profiles_before.n != s->profiles.n ||
	    memcmp(profiles_before.p, s->profiles.p, sizeof(s->profiles.p[0]) * (size_t)s->profiles.n) != 0)
		fz_fail("a refused CALL changed the charging profiles", text, len);
}

void fz_station_ocpp(struct station *s, const char *text, size_t len)
{
	ocpp_frame f;
	bool answer;
	int r;

	/* Remember which CALL a CALLRESULT must answer.  OCPP-J 1.6 section
	 * 4: a CALL with an id gets exactly one answer with that id (a
	 * malformed one a CALLERROR); nothing else is answered.  While the
	 * registration is Rejected no CALL is answered and none changes
	 * anything (OCPP 1.6 §4.2). */
	bool rejected = s->boot == ST_BOOT_REJECTED;

	cur_action = NULL;
	cur_id[0] = '\0';
	r = ocpp_frame_parse(text, len, &f);
	answer = f.type == OCPP_MSG_CALL && f.id[0] != '\0';
	if (answer) {
		cur_action = r == 0 ? ocpp_action_name(f.action) : NULL;
		snprintf(cur_id, sizeof(cur_id), "%s", f.id);
	}
	ocpp_frame_free(&f);
	n_replies = 0;
	if (answer) {
		memcpy(&cfg_before, &s->cfg, sizeof(cfg_before));
		memcpy(&profiles_before, &s->profiles, sizeof(profiles_before));
	}
	ocpp_rpc_on_text(&s->rpc, text, len, cp_real(st_clock_real_mono().ms + shift_ms));
	if (answer && rejected) {
		if (n_replies != 0)
			fz_fail("a CALL was answered while the registration is Rejected", text, len);
		check_unchanged(s, text, len);
		answer = false;
	} else if (answer && (n_replies != 1 || strcmp(reply_id, cur_id) != 0))
		fz_fail("a CALL was not answered exactly once", text, len);
	else if (!answer && n_replies != 0)
		fz_fail("a frame that is not a CALL was answered", text, len);
	if (answer && refused(last_reply))
		check_unchanged(s, text, len);
	cur_action = NULL;
	st_sender_pump(s);
	st_fw_poll(s);
}

void fz_station_tick(struct station *s, long ms)
{
	cp_mono_t now;
	int due = -1;

	if (ms < 1)
		ms = 1;
	if (ms > 7L * 86400 * 1000)
		ms = 7L * 86400 * 1000;
	/* The station clock (scale 1) and the real one the RPC session uses. */
	s->clock.real_mono0_us -= (int64_t)ms * 1000;
	shift_ms += ms;
	ocpp_rpc_tick(&s->rpc, cp_real(st_clock_real_mono().ms + shift_ms));
	now = st_now(s);
	for (int t = 0; t < ST_T_COUNT && due < 0; t++)
		if (s->timer_armed[t] && s->timer_at[t].ms <= now.ms)
			due = t;
	if (due >= 0) {
		/* Re-arming recomputes the libwebsockets timer from the moved
		 * clock: due now.  The cancel makes the service pass return
		 * after running it instead of waiting for the next deadline. */
		st_timer_arm(s, (enum st_timer_id)due, s->timer_at[due]);
		lws_cancel_service(s->lws);
		lws_service(s->lws, 0);
	}
	st_sender_pump(s);
	st_fw_poll(s);
}

void fz_station_control(struct station *s, const char *line, size_t len)
{
	char *copy = malloc(len + 1);
	cJSON *reply, *ok;

	if (!copy)
		return;
	memcpy(copy, line, len);
	copy[len] = '\0';
	reply = st_control_reply(st_control_handle, s, copy);
	/* The reply contract of control.h: {"ok":true,...} or
	 * {"ok":false,"error":"<why>"}. */
	ok = cJSON_GetObjectItem(reply, "ok");
	if (!reply || !cJSON_IsBool(ok) ||
	    (cJSON_IsFalse(ok) && !cJSON_IsString(cJSON_GetObjectItem(reply, "error"))))
		fz_fail("control reply breaks its contract", copy, len);
	cJSON_Delete(reply);
	free(copy);
	st_sender_pump(s);
}

void fz_lines(const uint8_t *data, size_t size,
    void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
	const char *p = (const char *)data, *end = p + size;
	int n = 0;

	while (p < end && n++ < FZ_MAX_LINES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		fn(ctx, p, len);
		p += len + (nl ? 1 : 0);
	}
}
