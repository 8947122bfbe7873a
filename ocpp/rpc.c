/*
 * rpc.c - one OCPP-J RPC session per connection (OCPP-J 1.6 section 4):
 * inbound CALLs checked against the schema before any handler runs, one
 * outstanding outbound CALL with a timeout, replies matched by message id.
 *
 * Steady state allocates nothing of its own: frames are parsed from and
 * built into the session's two CP_MAX_FRAME buffers (cJSON trees are the
 * only heap use).  Time is passed in; nothing here reads a clock.
 */
#include "ocpp/ocpp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cp_json.h"
#include "cp_log.h"
#include "ocpp/schemas_gen.h"

#define TAG "ocpp"

/* Frames in the debug log are shown whole up to here: the largest frame
 * that is sent (CP_MAX_OUT_FRAME, more than any frame received, which is at
 * most CP_MAX_FRAME), so an operator reads every exchange from the log.
 * Anything longer, which is never exchanged, is cut with the count of the
 * bytes left out. */
#define RPC_LOG_MAX CP_MAX_OUT_FRAME

/* Bytes of an unknown action name quoted in a CALLERROR description. */
#define RPC_QUOTE_MAX 64

/* How much of an oversize frame is searched for a CALL's id: `[2,"` plus an
 * id of CP_MAX_ECHO_ID characters plus slack for whitespace. */
#define RPC_PEEK_LEN (CP_MAX_ECHO_ID + 32)

/*
 * One debug line per frame, whole up to RPC_LOG_MAX bytes.  Control bytes
 * (JSON whitespace such as a pretty-printer's newlines, or stray ones in a
 * malformed frame) are shown as \n, \r, \t or \xNN, so that a frame stays
 * on its line and cannot forge others.  note, if not NULL, replaces the
 * count of cut bytes (for a message whose rest was never kept).
 */
static void rpc_log_frame_note(const char *dir, const char *buf, size_t len, const char *note)
{
	static const char hex[] = "0123456789abcdef";
	size_t shown = len > RPC_LOG_MAX ? RPC_LOG_MAX : len, ctl = 0, o = 0;
	const char *text = buf;
	char *esc = NULL, cut[80] = "";

	if (cp_log_get_level() < CP_LOG_DEBUG)
		return;
	for (size_t i = 0; i < shown; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			ctl++;
	if (ctl > 0) {
		esc = malloc(shown + ctl * 3 + 1);
		if (esc == NULL) {
			CP_DEBUG(TAG, "%s (a frame of %zu bytes, not shown: out of memory)", dir, len);
			return;
		}
		for (size_t i = 0; i < shown; i++) {
			unsigned char ch = (unsigned char)buf[i];

			if (ch >= 0x20 && ch != 0x7f) {
				esc[o++] = (char)ch;
				continue;
			}
			esc[o++] = '\\';
			if (ch == '\n' || ch == '\r' || ch == '\t') {
				esc[o++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
			} else {
				esc[o++] = 'x';
				esc[o++] = hex[ch >> 4];
				esc[o++] = hex[ch & 15];
			}
		}
		esc[o] = '\0';
		text = esc;
		shown = o;
	}
	if (note != NULL)
		snprintf(cut, sizeof(cut), "... (cut: %s)", note);
	else if (len > RPC_LOG_MAX)
		snprintf(cut, sizeof(cut), "... (cut: %zu more bytes)", len - RPC_LOG_MAX);
	CP_DEBUG(TAG, "%s %.*s%s", dir, (int)shown, text, cut);
	free(esc);
}

static void rpc_log_frame(const char *dir, const char *buf, size_t len)
{
	rpc_log_frame_note(dir, buf, len, NULL);
}

/* A ChangeConfiguration.req of a secret key: logged (and passed to the
 * frame hook) with its value masked.  True when it was one. */
static bool rpc_note_masked(const ocpp_rpc *rpc, const char *buf, size_t len)
{
	cJSON *frame, *payload, *value;
	const char *key;
	char *text;
	bool secret = false;

	if (!memmem(buf, len, "ChangeConfiguration", 19))
		return false;
	frame = cJSON_ParseWithLength(buf, len);
	payload = cJSON_GetArrayItem(frame, 3);
	key = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "key"));
	value = cJSON_GetObjectItem(payload, "value");
	for (size_t i = 0; key && rpc->cfg.secret_keys[i]; i++)
		if (strcasecmp(key, rpc->cfg.secret_keys[i]) == 0)
			secret = true;
	if (!secret || !cJSON_IsString(value) ||
	    !cJSON_IsString(cJSON_GetArrayItem(frame, 2)) ||
	    strcmp(cJSON_GetArrayItem(frame, 2)->valuestring, "ChangeConfiguration") != 0) {
		cJSON_Delete(frame);
		return false;
	}
	cJSON_SetValuestring(value, "***");
	text = cJSON_PrintUnformatted(frame);
	cJSON_Delete(frame);
	if (!text)
		return false;
	rpc_log_frame_note("<<", text, strlen(text), NULL);
	if (rpc->cfg.frame)
		rpc->cfg.frame(rpc->cfg.ctx, true, text, strlen(text));
	free(text);
	return true;
}

struct rpc_msg {
	ocpp_msg_type type;
	const char *id;
	const char *action;	/* CALL */
	ocpp_error code;	/* CALLERROR */
	const char *desc;	/* CALLERROR */
	const cJSON *payload;
};

static int rpc_build(const struct rpc_msg *m, char *buf, size_t size)
{
	switch (m->type) {
	case OCPP_MSG_CALL:
		return ocpp_frame_build_call(buf, size, m->id, m->action, m->payload);
	case OCPP_MSG_CALLRESULT:
		return ocpp_frame_build_result(buf, size, m->id, m->payload);
	case OCPP_MSG_CALLERROR:
		return ocpp_frame_build_error(buf, size, m->id, m->code, m->desc, m->payload);
	default:
		return -EINVAL;
	}
}

/* Builds into tx; a frame that does not fit is retried in a heap buffer
 * (rare: only very large replies) up to CP_MAX_OUT_FRAME. */
static int rpc_emit(ocpp_rpc *rpc, const struct rpc_msg *m)
{
	char *buf = rpc->tx, *heap = NULL;
	size_t size = sizeof(rpc->tx);
	int n, r;

	for (;;) {
		n = rpc_build(m, buf, size);
		if (n != -ENOSPC || size >= CP_MAX_OUT_FRAME)
			break;
		free(heap);
		size = size * 4 < CP_MAX_OUT_FRAME ? size * 4 : CP_MAX_OUT_FRAME;
		heap = malloc(size);
		if (heap == NULL)
			return -ENOMEM;
		buf = heap;
	}
	if (n < 0) {
		free(heap);
		return n;
	}
	/* Payload strings come from anywhere in the station (a provisioned
	 * value, a tag read from a card); one stray byte would make the peer
	 * fail the connection (RFC 6455 section 8.1), and a queued message
	 * would do it again on every reconnect. */
	if (ocpp_utf8_scrub(buf, (size_t)n) > 0)
		CP_ERR(TAG, "%s %s: bytes that are not UTF-8 sent as '?' (bug)",
		    m->type == OCPP_MSG_CALL ? m->action : "reply to", m->id);
	rpc_log_frame(">>", buf, (size_t)n);
	if (rpc->cfg.frame)
		rpc->cfg.frame(rpc->cfg.ctx, false, buf, (size_t)n);
	r = rpc->cfg.ops->send(rpc->cfg.tctx, buf, (size_t)n);
	free(heap);
	return r < 0 ? r : 0;
}

static void rpc_send_error(ocpp_rpc *rpc, const char *id, ocpp_error code, const char *desc)
{
	struct rpc_msg m = {
		.type = OCPP_MSG_CALLERROR, .id = id, .code = code, .desc = desc,
	};
	int r;

	if (!ocpp_error_is_wire(m.code))
		m.code = OCPP_ERR_INTERNAL;
	r = rpc_emit(rpc, &m);
	if (r < 0)
		CP_WARN(TAG, "CALLERROR for %s not sent: %s", id, strerror(-r));
}

/* Ends the outstanding CALL.  The slot is free before cb runs, so cb may
 * send the next CALL. */
static void rpc_finish(ocpp_rpc *rpc, ocpp_error err, const cJSON *payload, const char *desc)
{
	ocpp_call_cb cb = rpc->out.cb;
	void *user = rpc->out.user;

	memset(&rpc->out, 0, sizeof(rpc->out));
	if (cb != NULL)
		cb(user, err, payload, desc ? desc : "");
}

static const ocpp_action_row *rpc_find_row(const ocpp_rpc *rpc, const char *name)
{
	for (size_t i = 0; i < rpc->cfg.nactions; i++)
		if (strcmp(rpc->cfg.actions[i].action, name) == 0)
			return &rpc->cfg.actions[i];
	return NULL;
}

static void rpc_replied(ocpp_rpc *rpc, const char *action, ocpp_error err)
{
	if (rpc->cfg.replied != NULL)
		rpc->cfg.replied(rpc->cfg.ctx, action, err);
}

static ocpp_admit_state rpc_admit_state(const ocpp_rpc *rpc)
{
	ocpp_admit_state st = { .n_connectors = 0, .reg = OCPP_REG_ACCEPTED };

	if (rpc->cfg.admit_state != NULL)
		rpc->cfg.admit_state(rpc->cfg.ctx, &st);
	return st;
}

/* OCPP 1.6 §4.2: "While Rejected, the Charge Point SHALL NOT respond to any
 * Central System initiated message": not a CALLRESULT, not a CALLERROR for
 * a malformed or oversize CALL either.  True (and logged) then. */
static bool rpc_silenced(ocpp_reg reg, const char *what, const char *id)
{
	if (reg != OCPP_REG_REJECTED)
		return false;
	CP_WARN(TAG, "%s %s not answered: the registration is Rejected (OCPP 1.6 §4.2)", what, id);
	return true;
}

/*
 * The row's admission rules (see ocpp_action_row), checked once for every
 * CALL, after the schema check and before the handler.  Returns 0 to run the
 * handler, or 1 with *refusal set to the status to answer instead and why
 * filled for the log.
 */
static int rpc_admit(const ocpp_action_row *row, const ocpp_admit_state *st,
    const cJSON *req, const char **refusal, char *why, size_t whylen)
{
	if (st->reg == OCPP_REG_PENDING && row->pending_refusal != NULL) {
		*refusal = row->pending_refusal;
		snprintf(why, whylen, "not allowed while the registration is Pending (OCPP 1.6 §4.2)");
		return 1;
	}
	if (row->conn != OCPP_CONN_NONE) {
		int64_t min = row->conn == OCPP_CONN_SOCKET ? 1 : 0, c;
		int rc = cp_json_int(req, "connectorId", min, st->n_connectors, &c);

		/* Absent: the schema allowed it (conn_required agrees with
		 * the schema, ocpp_rpc_init). */
		if (rc < 0 && rc != -ENOENT) {
			*refusal = row->conn_refusal;
			snprintf(why, whylen, "connectorId is not a connector %" PRId64 "..%d", min,
			    st->n_connectors);
			return 1;
		}
	}
	return 0;
}

/* The shared checks of every inbound CALL, then its handler (STYLE 5). */
static void rpc_dispatch(ocpp_rpc *rpc, const ocpp_frame *f)
{
	const char *name = ocpp_action_name(f->action);
	const ocpp_action_row *row;
	const char *refusal = NULL;
	char desc[CP_MAX_ERROR_DESC] = "";
	cJSON *resp = NULL;
	ocpp_error e = OCPP_ERR_NONE;
	ocpp_admit_state st = rpc_admit_state(rpc);
	int r;

	if (rpc_silenced(st.reg, name ? name : "a CALL", f->id))
		return;
	if (name == NULL) {
		snprintf(desc, sizeof(desc), "\"%.*s\" is not an OCPP 1.6 action",
		    (int)ocpp_utf8_prefix(f->action, RPC_QUOTE_MAX), f->action);
		e = OCPP_ERR_NOT_IMPLEMENTED;
		goto fail;
	}
	row = rpc_find_row(rpc, name);
	if (row == NULL) {
		snprintf(desc, sizeof(desc), "%s is not supported by this charge point", name);
		e = OCPP_ERR_NOT_SUPPORTED;
		goto fail;
	}
	e = ocpp_validate(name, OCPP_REQ, f->payload, desc, sizeof(desc));
	if (e != OCPP_ERR_NONE)
		goto fail;

	if (rpc_admit(row, &st, f->payload, &refusal, desc, sizeof(desc)) == 1) {
		CP_INFO(TAG, "%s %s: %s: %s", name, f->id, desc, refusal);
		resp = cJSON_CreateObject();
		if (resp == NULL || cJSON_AddStringToObject(resp, "status", refusal) == NULL) {
			cJSON_Delete(resp);
			snprintf(desc, sizeof(desc), "out of memory");
			e = OCPP_ERR_INTERNAL;
			goto fail;
		}
		r = 0;
	} else {
		rpc->dispatching = true;
		r = row->handler(rpc->cfg.ctx, f->payload, &resp, &e, desc, sizeof(desc));
		rpc->dispatching = false;
	}
	if (r < 0) {
		cJSON_Delete(resp);
		if (!ocpp_error_is_wire(e))
			e = OCPP_ERR_INTERNAL;
		if (desc[0] == '\0')
			snprintf(desc, sizeof(desc), "%s failed (%s)", name, strerror(-r));
		goto fail;
	}
	if (resp == NULL && (resp = cJSON_CreateObject()) == NULL) {
		snprintf(desc, sizeof(desc), "out of memory");
		e = OCPP_ERR_INTERNAL;
		goto fail;
	}
	/* A payload that is not an object would make the frame itself invalid. */
	if (!cJSON_IsObject(resp)) {
		CP_ERR(TAG, "%s handler answered a non-object (bug)", name);
		cJSON_Delete(resp);
		snprintf(desc, sizeof(desc), "%s failed", name);
		e = OCPP_ERR_INTERNAL;
		goto fail;
	}
	/* Our own answer failing the schema is our bug: say so loudly, but
	 * send it, since the central system may still make sense of it. */
	if (ocpp_validate(name, OCPP_CONF, resp, desc, sizeof(desc)) != OCPP_ERR_NONE)
		CP_ERR(TAG, "our %s.conf fails its schema (bug): %s", name, desc);
	r = rpc_emit(rpc, &(struct rpc_msg){ .type = OCPP_MSG_CALLRESULT, .id = f->id, .payload = resp });
	cJSON_Delete(resp);
	if (r == -ENOSPC || r == -ENOMEM) {
		CP_ERR(TAG, "%s.conf too large to send", name);
		snprintf(desc, sizeof(desc), "response too large");
		e = OCPP_ERR_INTERNAL;
		goto fail;
	}
	if (r < 0)
		CP_WARN(TAG, "CALLRESULT for %s not sent: %s", f->id, strerror(-r));
	rpc_replied(rpc, name, OCPP_ERR_NONE);
	return;
fail:
	CP_WARN(TAG, "%s %s answered %s: %s", f->action, f->id, ocpp_error_name(e), desc);
	rpc_send_error(rpc, f->id, e, desc);
	rpc_replied(rpc, name ? name : f->action, e);
}

static bool rpc_is_ours(const ocpp_rpc *rpc, const char *id)
{
	return rpc->out.active && strcmp(rpc->out.id, id) == 0;
}

/* FNV-1a, 32 bits: a cheap fingerprint for "logged already" (a collision
 * only hides one debug line). */
static uint32_t rpc_hash(uint32_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

struct rpc_unknown {
	ocpp_rpc *rpc;
	const char *action;
};

/* A property of a CALLRESULT that Action.conf does not name: ignored, and
 * logged at debug the first time per action and path (central systems add
 * the same vendor fields to every answer). */
static void rpc_on_unknown(void *user, const char *path)
{
	struct rpc_unknown *u = user;
	ocpp_rpc *rpc = u->rpc;
	char shown[CP_MAX_ERROR_DESC];
	uint32_t h = rpc_hash(rpc_hash(2166136261u, u->action), "\x1f");

	h = rpc_hash(h, path);
	for (unsigned i = 0; i < rpc->nunknown_seen && i < CP_MAX_UNKNOWN_LOGGED; i++)
		if (rpc->unknown_seen[i] == h)
			return;
	if (rpc->nunknown_seen > CP_MAX_UNKNOWN_LOGGED)
		return;
	if (rpc->nunknown_seen == CP_MAX_UNKNOWN_LOGGED) {
		rpc->nunknown_seen++;
		CP_DEBUG(TAG, "more than %d distinct unknown properties in replies: no longer logged",
		    CP_MAX_UNKNOWN_LOGGED);
		return;
	}
	rpc->unknown_seen[rpc->nunknown_seen++] = h;
	/* The name is the peer's text: no control characters into the log. */
	snprintf(shown, sizeof(shown), "%s", path);
	for (char *p = shown; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	CP_DEBUG(TAG, "%s.conf: unknown property \"%s\" ignored", u->action, shown);
}

static void rpc_on_result(ocpp_rpc *rpc, const ocpp_frame *f)
{
	char desc[CP_MAX_ERROR_DESC];
	struct rpc_unknown u = { .rpc = rpc, .action = rpc->out.action };
	ocpp_error e;

	if (!rpc_is_ours(rpc, f->id)) {
		CP_WARN(TAG, "CALLRESULT for unknown message id \"%s\" ignored", f->id);
		return;
	}
	/* Lenient on what the schema does not name, strict on what it does:
	 * the station reads only the named fields. */
	e = ocpp_validate_lenient(rpc->out.action, OCPP_CONF, f->payload, desc, sizeof(desc),
	    rpc_on_unknown, &u);
	if (e != OCPP_ERR_NONE) {
		CP_WARN(TAG, "%s.conf from the central system fails its schema: %s",
		    rpc->out.action, desc);
		rpc_finish(rpc, e, f->payload, desc);
		return;
	}
	rpc_finish(rpc, OCPP_ERR_NONE, f->payload, "");
}

static void rpc_on_callerror(ocpp_rpc *rpc, const ocpp_frame *f)
{
	if (!rpc_is_ours(rpc, f->id)) {
		CP_WARN(TAG, "CALLERROR for unknown message id \"%s\" ignored", f->id);
		return;
	}
	CP_WARN(TAG, "%s %s refused: %s \"%s\"", rpc->out.action, f->id, f->error_name,
	    f->error_desc);
	rpc_finish(rpc, f->error, f->payload, f->error_desc);
}

static void rpc_on_bad_frame(ocpp_rpc *rpc, const ocpp_frame *f)
{
	if (f->type == OCPP_MSG_CALL && f->id[0] != '\0') {
		if (rpc_silenced(rpc_admit_state(rpc).reg, "malformed CALL", f->id))
			return;
		CP_WARN(TAG, "malformed CALL %s answered %s: %s", f->id,
		    ocpp_error_name(f->fault), f->fault_desc);
		rpc_send_error(rpc, f->id, f->fault, f->fault_desc);
		return;
	}
	/* A broken reply to our CALL still ends it: waiting for the timeout
	 * would only delay the caller's retry. */
	if (f->type != OCPP_MSG_NONE && f->id[0] != '\0' && rpc_is_ours(rpc, f->id)) {
		CP_WARN(TAG, "malformed reply to %s %s: %s", rpc->out.action, f->id, f->fault_desc);
		rpc_finish(rpc, f->fault, NULL, f->fault_desc);
		return;
	}
	CP_WARN(TAG, "dropped malformed frame: %s", f->fault_desc);
}

/* A refusal must be an answer the schema allows: {"status": refusal}
 * valid against Action.conf. */
static int rpc_check_refusal(const ocpp_action_row *row, const char *what, const char *refusal)
{
	char desc[CP_MAX_ERROR_DESC];
	cJSON *p = cJSON_CreateObject();
	int rc = 0;

	if (p == NULL || cJSON_AddStringToObject(p, "status", refusal) == NULL) {
		rc = -ENOMEM;
	} else if (ocpp_validate(row->action, OCPP_CONF, p, desc, sizeof(desc)) != OCPP_ERR_NONE) {
		CP_ERR(TAG, "action table row %s: %s \"%s\" is no %s.conf: %s", row->action, what,
		    refusal, row->action, desc);
		rc = -EINVAL;
	}
	cJSON_Delete(p);
	return rc;
}

/* The admission rules of a row agree with the schema: a connector rule
 * only where Action.req has an integer connectorId, conn_required as the
 * schema requires it, every refusal a valid answer, and a way to learn the
 * state they are checked against. */
static int rpc_check_row(const ocpp_action_row *row, const ocpp_rpc_config *cfg)
{
	const struct ocpp_schema_action *a = NULL;
	const struct ocpp_schema_prop *prop = NULL;

	if (row->conn == OCPP_CONN_NONE && row->pending_refusal == NULL)
		return 0;
	if (cfg->admit_state == NULL) {
		CP_ERR(TAG, "action table row %s: admission rules but no admit_state", row->action);
		return -EINVAL;
	}
	if (row->pending_refusal != NULL && rpc_check_refusal(row, "pending_refusal",
	    row->pending_refusal) < 0)
		return -EINVAL;
	if (row->conn == OCPP_CONN_NONE)
		return 0;
	if (row->conn != OCPP_CONN_ANY && row->conn != OCPP_CONN_SOCKET) {
		CP_ERR(TAG, "action table row %s: no such connector rule %d", row->action, (int)row->conn);
		return -EINVAL;
	}
	for (size_t i = 0; i < OCPP_SCHEMA_ACTION_COUNT && a == NULL; i++)
		if (strcmp(ocpp_schema_actions[i].name, row->action) == 0)
			a = &ocpp_schema_actions[i];
	if (a != NULL) {
		const struct ocpp_schema_node *n = &ocpp_schema_nodes[a->req];
		for (unsigned i = 0; n->type == OCPP_ST_OBJECT && i < n->b && prop == NULL; i++)
			if (strcmp(ocpp_schema_props[n->a + i].name, "connectorId") == 0)
				prop = &ocpp_schema_props[n->a + i];
	}
	if (prop == NULL || ocpp_schema_nodes[prop->node].type != OCPP_ST_INTEGER ||
	    (bool)prop->required != row->conn_required) {
		CP_ERR(TAG, "action table row %s: a connector rule (%s) the schema does not have",
		    row->action, row->conn_required ? "required" : "optional");
		return -EINVAL;
	}
	if (row->conn_refusal == NULL) {
		CP_ERR(TAG, "action table row %s: a connector rule without a refusal", row->action);
		return -EINVAL;
	}
	if (rpc_check_refusal(row, "conn_refusal", row->conn_refusal) < 0)
		return -EINVAL;
	return 0;
}

/* ocpp_rpc_init zeroes everything before rx: the buffers must stay last. */
_Static_assert(offsetof(ocpp_rpc, tx) == offsetof(ocpp_rpc, rx) + sizeof(((ocpp_rpc *)0)->rx) &&
    sizeof(ocpp_rpc) - offsetof(ocpp_rpc, tx) - sizeof(((ocpp_rpc *)0)->tx) < _Alignof(ocpp_rpc),
    "ocpp_rpc: rx and tx must be the last members");

int ocpp_rpc_init(ocpp_rpc *rpc, const ocpp_rpc_config *cfg)
{
	if (rpc == NULL || cfg == NULL || cfg->ops == NULL || cfg->ops->send == NULL ||
	    (cfg->nactions > 0 && cfg->actions == NULL))
		return -EINVAL;
	for (size_t i = 0; i < cfg->nactions; i++) {
		const ocpp_action_row *row = &cfg->actions[i];
		if (!ocpp_action_known(row->action) || row->handler == NULL) {
			CP_ERR(TAG, "action table row %zu (%s): not an OCPP 1.6 action or no handler",
			    i, row->action ? row->action : "(null)");
			return -EINVAL;
		}
		if (rpc_check_row(row, cfg) < 0)
			return -EINVAL;
	}
	/* Only the bookkeeping before the buffers: zeroing 2 x CP_MAX_FRAME
	 * would touch every page of them (about 128 KB of RSS for a daemon
	 * that keeps the session static and mostly idles).  rx is written
	 * before it is parsed and tx before it is sent, so they need no
	 * initial value. */
	memset(rpc, 0, offsetof(ocpp_rpc, rx));
	rpc->cfg = *cfg;
	if (rpc->cfg.call_timeout_ms <= 0)
		rpc->cfg.call_timeout_ms = OCPP_DEFAULT_CALL_TIMEOUT_MS;
	return 0;
}

int ocpp_rpc_on_text(ocpp_rpc *rpc, const char *buf, size_t len, cp_real_t now)
{
	ocpp_frame f;
	int r;

	(void)now;
	if (buf == NULL)
		return -EINVAL;
	if ((cp_log_get_level() >= CP_LOG_DEBUG || rpc->cfg.frame) && rpc->cfg.secret_keys &&
	    len <= CP_MAX_FRAME && rpc_note_masked(rpc, buf, len))
		;	/* logged and passed on with the secret masked */
	else {
		rpc_log_frame("<<", buf, len);
		if (rpc->cfg.frame)
			rpc->cfg.frame(rpc->cfg.ctx, true, buf, len);
	}
	if (len > CP_MAX_FRAME) {
		ocpp_rpc_on_oversize(rpc, buf, len < RPC_PEEK_LEN ? len : RPC_PEEK_LEN);
		return -EMSGSIZE;
	}
	/* A NUL-terminated private copy: cJSON never sees the caller's bytes
	 * past len, and an embedded NUL ends the JSON early (then: rejected). */
	memcpy(rpc->rx, buf, len);
	rpc->rx[len] = '\0';
	r = ocpp_frame_parse(rpc->rx, len, &f);
	if (r < 0) {
		rpc_on_bad_frame(rpc, &f);
	} else {
		switch (f.type) {
		case OCPP_MSG_CALL:
			rpc_dispatch(rpc, &f);
			break;
		case OCPP_MSG_CALLRESULT:
			rpc_on_result(rpc, &f);
			break;
		case OCPP_MSG_CALLERROR:
			rpc_on_callerror(rpc, &f);
			break;
		default:
			r = -EINVAL;
			break;
		}
	}
	ocpp_frame_free(&f);
	return r;
}

void ocpp_rpc_on_oversize(ocpp_rpc *rpc, const char *prefix, size_t len)
{
	char id[CP_MAX_ECHO_ID + 1];
	char desc[CP_MAX_ERROR_DESC];

	if (prefix != NULL && len > 0 && cp_log_get_level() >= CP_LOG_DEBUG) {
		snprintf(desc, sizeof(desc), "the message is over %d bytes; the rest was not kept",
		    CP_MAX_FRAME);
		rpc_log_frame_note("<<", prefix, len, desc);
	}
	if (prefix != NULL && ocpp_frame_peek_call_id(prefix, len, id) == 0) {
		if (rpc_silenced(rpc_admit_state(rpc).reg, "oversize CALL", id))
			return;
		snprintf(desc, sizeof(desc), "frame exceeds the %d-byte limit", CP_MAX_FRAME);
		CP_WARN(TAG, "oversize CALL %s answered FormationViolation", id);
		rpc_send_error(rpc, id, OCPP_ERR_FORMATION, desc);
		return;
	}
	CP_WARN(TAG, "dropped a frame larger than %d bytes", CP_MAX_FRAME);
}

int ocpp_rpc_call(ocpp_rpc *rpc, const char *action, cJSON *payload,
    ocpp_call_cb cb, void *user, cp_real_t now)
{
	char desc[CP_MAX_ERROR_DESC];
	char id[CP_MAX_MSG_ID + 1];
	const char *name = ocpp_action_name(action);
	ocpp_error e;
	int r;

	if (payload == NULL && (payload = cJSON_CreateObject()) == NULL)
		return -ENOMEM;
	if (name == NULL) {
		CP_ERR(TAG, "refusing to send unknown action \"%s\"", action ? action : "(null)");
		r = -EINVAL;
		goto out;
	}
	if (rpc->dispatching) {
		r = -EAGAIN;
		goto out;
	}
	if (rpc->out.active) {
		r = -EBUSY;
		goto out;
	}
	e = ocpp_validate(name, OCPP_REQ, payload, desc, sizeof(desc));
	if (e != OCPP_ERR_NONE) {
		CP_ERR(TAG, "refusing to send %s.req that fails its schema (bug): %s [%s]", name,
		    desc, ocpp_error_name(e));
		r = -EINVAL;
		goto out;
	}
	/* Seed prefix: ids stay distinct across restarts in the central
	 * system's logs; the counter makes them unique per connection. */
	snprintf(id, sizeof(id), "%08" PRIx32 "-%" PRIu64, rpc->cfg.id_seed, ++rpc->next_id);
	r = rpc_emit(rpc, &(struct rpc_msg){ .type = OCPP_MSG_CALL, .id = id, .action = name,
	    .payload = payload });
	if (r < 0) {
		CP_WARN(TAG, "%s not sent: %s", name, strerror(-r));
		goto out;
	}
	rpc->out.active = true;
	memcpy(rpc->out.id, id, sizeof(id));
	rpc->out.action = name;
	rpc->out.cb = cb;
	rpc->out.user = user;
	rpc->out.deadline.ms = now.ms + rpc->cfg.call_timeout_ms;
out:
	cJSON_Delete(payload);
	return r;
}

bool ocpp_rpc_busy(const ocpp_rpc *rpc)
{
	return rpc->out.active;
}

bool ocpp_rpc_next_deadline(const ocpp_rpc *rpc, cp_real_t *when)
{
	if (!rpc->out.active)
		return false;
	if (when != NULL)
		*when = rpc->out.deadline;
	return true;
}

void ocpp_rpc_tick(ocpp_rpc *rpc, cp_real_t now)
{
	char desc[CP_MAX_ERROR_DESC];

	if (!rpc->out.active || now.ms < rpc->out.deadline.ms)
		return;
	snprintf(desc, sizeof(desc), "no answer to %s %s within %" PRId64 " ms", rpc->out.action,
	    rpc->out.id, rpc->cfg.call_timeout_ms);
	CP_WARN(TAG, "%s", desc);
	rpc_finish(rpc, OCPP_ERR_TIMEOUT, NULL, desc);
}

void ocpp_rpc_reset(ocpp_rpc *rpc)
{
	rpc->dispatching = false;
	if (rpc->out.active)
		rpc_finish(rpc, OCPP_ERR_DISCONNECTED, NULL, "connection closed");
}
