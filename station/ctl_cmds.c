/*
 * ctl_cmds.c - the control socket's commands ('s names are a contract:
 * extend, never rename).  A table of commands; each refuses bad arguments
 * with a precise error and changes nothing.
 */
#include "station/station.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cp_json.h"
#include "cp_log.h"

typedef void (*ctl_fn)(struct station *s, const cJSON *req, cJSON *reply);

static bool get_connector(struct station *s, const cJSON *req, cJSON *reply, int *out)
{
	int64_t v;

	if (cp_json_int(req, "connector", 1, s->n_conn, &v) < 0) {
		char msg[64];
		snprintf(msg, sizeof(msg), "\"connector\" must be 1..%d", s->n_conn);
		st_control_fail(reply, msg);
		return false;
	}
	*out = (int)v;
	return true;
}

/* Reads an optional number; false (and an error reply) if present but bad. */
static bool opt_num(const cJSON *req, const char *name, double lo, double hi,
    double *out, cJSON *reply)
{
	const cJSON *v = cJSON_GetObjectItem(req, name);
	char msg[96];

	if (!v)
		return true;
	if (!cJSON_IsNumber(v) || isnan(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi) {
		snprintf(msg, sizeof(msg), "\"%s\" must be a number from %g to %g", name, lo, hi);
		st_control_fail(reply, msg);
		return false;
	}
	*out = v->valuedouble;
	return true;
}

/* Reads an optional integer (cp_json_int): false (and an error reply) if
 * present but not an integer in lo..hi; 2.5 phases is refused, not cut. */
static bool opt_int(const cJSON *req, const char *name, int lo, int hi, int *out,
    cJSON *reply)
{
	int64_t v;
	int rc = cp_json_int(req, name, lo, hi, &v);
	char msg[96];

	if (rc == -ENOENT)
		return true;
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "\"%s\" must be an integer from %d to %d", name, lo, hi);
		st_control_fail(reply, msg);
		return false;
	}
	*out = (int)v;
	return true;
}

static void sim_only(struct station *s, cJSON *reply)
{
	st_control_fail(reply, "this command needs the simulator (--hw sim)");
}

static void cmd_plug(struct station *s, const cJSON *req, cJSON *reply)
{
	int c, phases = 3;
	double minc = 6, maxc = 32;

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!get_connector(s, req, reply, &c) ||
	    !opt_int(req, "phases", 1, 3, &phases, reply) ||
	    !opt_num(req, "min_current", 6, 80, &minc, reply) ||
	    !opt_num(req, "max_current", 6, 80, &maxc, reply))
		return;
	if (minc > maxc)
		return st_control_fail(reply, "\"min_current\" above \"max_current\"");
	if (hw_sim_plug(&s->sim, c, phases, (int32_t)(minc * 1000), (int32_t)(maxc * 1000)) < 0)
		return st_control_fail(reply, hw_sim_last_error(&s->sim));
	st_hw_tick(s);
}

static void cmd_unplug(struct station *s, const cJSON *req, cJSON *reply)
{
	int c;

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!get_connector(s, req, reply, &c))
		return;
	if (hw_sim_unplug(&s->sim, c) < 0)
		return st_control_fail(reply, hw_sim_last_error(&s->sim));
	st_hw_tick(s);
}

static void cmd_tag(struct station *s, const cJSON *req, cJSON *reply)
{
	const char *tag = cJSON_GetStringValue(cJSON_GetObjectItem(req, "id_tag"));
	int c, rc;

	if (!get_connector(s, req, reply, &c))
		return;
	if (!tag || !tag[0] || strlen(tag) > CP_MAX_ID_TAG)
		return st_control_fail(reply, "\"id_tag\" must be a string of 1..20 characters");
	rc = st_conn_present_tag(s, c, tag);
	if (rc == -EBUSY)
		st_control_fail(reply, "a transaction of another idTag runs on this connector");
	else if (rc == -EADDRINUSE)
		st_control_fail(reply, "connector is reserved for another idTag");
	else if (rc == -EPERM)
		st_control_fail(reply, "connector is unavailable");
	else if (rc == -EACCES)
		st_control_fail(reply, "offline and the idTag is not known locally");
}

static void cmd_ev(struct station *s, const cJSON *req, cJSON *reply)
{
	const cJSON *full = cJSON_GetObjectItem(req, "full");
	double maxc = -1, minc = -1, draw = -1;
	int c, phases = -1;

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!get_connector(s, req, reply, &c) ||
	    !opt_num(req, "max_current", 6, 80, &maxc, reply) ||
	    !opt_num(req, "min_current", 6, 80, &minc, reply) ||
	    !opt_int(req, "phases", 1, 3, &phases, reply) ||
	    !opt_num(req, "draw_factor", 0, 3, &draw, reply))
		return;
	if (full && !cJSON_IsBool(full))
		return st_control_fail(reply, "\"full\" must be true or false");
	if ((maxc >= 0 && hw_sim_ev_set(&s->sim, c, HW_SIM_EV_MAX_MA, (int32_t)(maxc * 1000)) < 0) ||
	    (minc >= 0 && hw_sim_ev_set(&s->sim, c, HW_SIM_EV_MIN_MA, (int32_t)(minc * 1000)) < 0) ||
	    (phases >= 0 && hw_sim_ev_set(&s->sim, c, HW_SIM_EV_PHASES, phases) < 0) ||
	    (draw >= 0 && hw_sim_ev_set(&s->sim, c, HW_SIM_EV_DRAW_PERMILLE,
		(int32_t)(draw * 1000 + 0.5)) < 0) ||
	    (full && hw_sim_ev_set(&s->sim, c, HW_SIM_EV_FULL, cJSON_IsTrue(full)) < 0))
		return st_control_fail(reply, hw_sim_last_error(&s->sim));
	st_mark_dirty(s);
}

static void cmd_cable(struct station *s, const cJSON *req, cJSON *reply)
{
	int c, rating = 32;

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!get_connector(s, req, reply, &c) || !opt_int(req, "rating", 0, 63, &rating, reply))
		return;
	if (hw_sim_cable(&s->sim, c, rating) < 0)
		return st_control_fail(reply, hw_sim_last_error(&s->sim));
	st_hw_tick(s);
}

static void cmd_fault(struct station *s, const cJSON *req, cJSON *reply)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(req, "type"));
	const cJSON *active = cJSON_GetObjectItem(req, "active");
	int c, ft;

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!get_connector(s, req, reply, &c))
		return;
	ft = type ? hw_sim_fault_parse(type) : -1;
	if (ft < 0)
		return st_control_fail(reply, "\"type\" must be diode, lock, ev_error or ventilation");
	if (!cJSON_IsBool(active))
		return st_control_fail(reply, "\"active\" must be true or false");
	if (hw_sim_fault(&s->sim, c, (enum hw_sim_fault)ft, cJSON_IsTrue(active)) < 0)
		return st_control_fail(reply, hw_sim_last_error(&s->sim));
	st_hw_tick(s);
}

static void cmd_suspend_signal(struct station *s, const cJSON *req, cJSON *reply)
{
	const cJSON *closed = cJSON_GetObjectItem(req, "closed");

	if (!s->sim_backend)
		return sim_only(s, reply);
	if (!cJSON_IsBool(closed))
		return st_control_fail(reply, "\"closed\" must be true or false");
	hw_sim_suspend_contact(&s->sim, cJSON_IsTrue(closed));
	st_hw_tick(s);
	st_mark_dirty(s);
}

static void cmd_status(struct station *s, const cJSON *req, cJSON *reply)
{
	st_conn_status_json(s, reply);
}

/* ---- configuration (the same registry and path as OCPP 1.6 §5.8, §5.3) ---- */

static void add_key(cJSON *keys, const char *name, const char *value, bool readonly)
{
	cJSON *k = cJSON_CreateObject();

	cJSON_AddStringToObject(k, "key", name);
	cJSON_AddBoolToObject(k, "readonly", readonly);
	if (value)
		cJSON_AddStringToObject(k, "value", value);
	cJSON_AddItemToArray(keys, k);
}

static int list_visit(void *ctx, const char *name, const char *value, bool readonly)
{
	add_key(ctx, name, value, readonly);
	return 0;
}

static void cmd_config_get(struct station *s, const cJSON *req, cJSON *reply)
{
	const cJSON *k = cJSON_GetObjectItem(req, "key");
	char buf[CFG_VALUE_MAX], msg[96];
	bool ro;
	int id;

	if (!k) {
		cJSON *keys = cJSON_CreateArray();

		/* GetConfiguration's walk, then the write-only keys it skips:
		 * named so that the operator knows they can be set, never
		 * with a value (security whitepaper: AuthorizationKey is
		 * write-only), as the HTTP API lists them (docs/http.md). */
		cfg_foreach_readable(&s->cfg, list_visit, keys);
		for (int i = 0; i < CFG__COUNT; i++)
			if (cfg_table[i].access == CFG_W)
				add_key(keys, cfg_table[i].name, NULL, false);
		cJSON_AddItemToObject(reply, "configurationKey", keys);
		return;
	}
	if (!cJSON_IsString(k) || !k->valuestring[0])
		return st_control_fail(reply, "\"key\" must be a non-empty string");
	id = cfg_lookup(k->valuestring);
	if (id >= 0 && cfg_table[id].access == CFG_W) {
		snprintf(msg, sizeof(msg), "%s is write-only: its value is never shown",
		    cfg_table[id].name);
		return st_control_fail(reply, msg);
	}
	if (cfg_get_by_name(&s->cfg, k->valuestring, buf, sizeof(buf), &ro) < 0) {
		snprintf(msg, sizeof(msg), "unknown key %.50s", k->valuestring);
		return st_control_fail(reply, msg);
	}
	/* Answered under the name asked for, as GetConfiguration does. */
	cJSON_AddStringToObject(reply, "key", k->valuestring);
	cJSON_AddStringToObject(reply, "value", buf);
	cJSON_AddBoolToObject(reply, "readonly", ro);
}

/* ChangeConfiguration's path itself: cfg_change validates, stores and runs
 * the change listener, so a key set here takes effect (and is reported, as
 * a security event for AuthorizationKey) exactly as one set by the central
 * system.  Its value is CiString500 there (OCPP 1.6 §5.3), so here too. */
static void cmd_config_set(struct station *s, const cJSON *req, cJSON *reply)
{
	const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(req, "key"));
	const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(req, "value"));
	enum cfg_status st;

	if (!key || !key[0])
		return st_control_fail(reply, "\"key\" must be a non-empty string");
	if (!value || strlen(value) > CP_MAX_CONFIG_VALUE)
		return st_control_fail(reply, "\"value\" must be a string of at most 500 characters");
	st = cfg_change(&s->cfg, key, value);
	CP_INFO("control", "config_set %s: %s", key, cfg_status_name(st));
	cJSON_AddStringToObject(reply, "status", cfg_status_name(st));
	if (st == CFG_REJECTED || st == CFG_NOT_SUPPORTED)
		cJSON_AddStringToObject(reply, "reason", cfg_error(&s->cfg));
}

static const struct {
	const char *name;
	ctl_fn fn;
} commands[] = {
	{ "plug", cmd_plug },
	{ "unplug", cmd_unplug },
	{ "tag", cmd_tag },
	{ "ev", cmd_ev },
	{ "cable", cmd_cable },
	{ "fault", cmd_fault },
	{ "suspend_signal", cmd_suspend_signal },
	{ "status", cmd_status },
	{ "config_get", cmd_config_get },
	{ "config_set", cmd_config_set },
};

void st_control_handle(void *ctx, const cJSON *req, cJSON *reply)
{
	struct station *s = ctx;
	const char *cmd = cJSON_GetStringValue(cJSON_GetObjectItem(req, "cmd"));

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			st_event_begin(s);
			commands[i].fn(s, req, reply);
			st_event_end(s);
			return;
		}
	}
	st_control_fail(reply, "unknown command");
}
