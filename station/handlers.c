/*
 * handlers.c - the inbound OCPP action table.  The RPC layer has validated
 * every request against its OCPP 1.6 schema before a handler runs, so the
 * handlers check only what a schema cannot (connector ranges, state).
 * A handler never runs the control cycle itself: it marks the station dirty.
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_json.h"
#include "cp_log.h"
#include "smartcharging/sc_json.h"

#define TAG "handlers"

static cJSON *status_reply(const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	return r;
}

static int num(const cJSON *req, const char *name, int def)
{
	const cJSON *v = cJSON_GetObjectItem(req, name);

	return cp_json_int_or(v, def);
}

static const char *str(const cJSON *req, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(req, name));
}

/* ---- configuration -------------------------------------------------------- */

struct getconf_ctx {
	cJSON *keys;
	int count;
};

static void add_key(cJSON *keys, const char *name, const char *value, bool readonly)
{
	cJSON *k = cJSON_CreateObject();

	cJSON_AddStringToObject(k, "key", name);
	cJSON_AddBoolToObject(k, "readonly", readonly);
	cJSON_AddStringToObject(k, "value", value);
	cJSON_AddItemToArray(keys, k);
}

static int getconf_visit(void *ctx, const char *name, const char *value, bool readonly)
{
	struct getconf_ctx *g = ctx;

	add_key(g->keys, name, value, readonly);
	g->count++;
	return 0;
}

static int h_get_configuration(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const cJSON *want = cJSON_GetObjectItem(req, "key");
	cJSON *r = cJSON_CreateObject(), *keys = cJSON_CreateArray(), *unknown = cJSON_CreateArray();
	char buf[CFG_VALUE_MAX];
	bool ro;

	if (cJSON_IsArray(want) && cJSON_GetArraySize(want) > 0) {
		const cJSON *k;
		if (cJSON_GetArraySize(want) > cfg_int(&s->cfg, CFG_GET_CONFIGURATION_MAX_KEYS)) {
			cJSON_Delete(r);
			cJSON_Delete(keys);
			cJSON_Delete(unknown);
			*err = OCPP_ERR_OCCURENCE_CONSTRAINT;
			snprintf(desc, desclen, "more keys than GetConfigurationMaxKeys (%d)",
			    cfg_int(&s->cfg, CFG_GET_CONFIGURATION_MAX_KEYS));
			return -EINVAL;
		}
		cJSON_ArrayForEach(k, want) {
			const char *name = cJSON_GetStringValue(k);
			if (name && cfg_get_by_name(&s->cfg, name, buf, sizeof(buf), &ro) >= 0)
				add_key(keys, name, buf, ro);
			else if (name)
				cJSON_AddItemToArray(unknown, cJSON_CreateString(name));
		}
	} else {
		struct getconf_ctx g = { .keys = keys };
		cfg_foreach_readable(&s->cfg, getconf_visit, &g);
	}
	if (cJSON_GetArraySize(keys) > 0)
		cJSON_AddItemToObject(r, "configurationKey", keys);
	else
		cJSON_Delete(keys);
	if (cJSON_GetArraySize(unknown) > 0)
		cJSON_AddItemToObject(r, "unknownKey", unknown);
	else
		cJSON_Delete(unknown);
	*resp = r;
	return 0;
}

static int h_change_configuration(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *key = str(req, "key"), *value = str(req, "value");
	enum cfg_status st = cfg_change(&s->cfg, key, value);

	if (st == CFG_REJECTED)
		CP_INFO(TAG, "ChangeConfiguration %s=%s rejected: %s", key, value, cfg_error(&s->cfg));
	else
		CP_INFO(TAG, "ChangeConfiguration %s: %s", key, cfg_status_name(st));
	*resp = status_reply(cfg_status_name(st));
	return 0;
}

/* ---- transactions ----------------------------------------------------------- */

static int h_remote_start(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = num(req, "connectorId", 0);
	const cJSON *profile = cJSON_GetObjectItem(req, "chargingProfile");
	bool ok = true;

	if (cJSON_GetObjectItem(req, "connectorId") && (connector < 1 || connector > s->n_conn))
		ok = false;
	/* A profile given with RemoteStart must be a TxProfile (OCPP 1.6 §5.11). */
	if (profile) {
		const char *purpose = str(profile, "chargingProfilePurpose");
		if (!purpose || strcmp(purpose, "TxProfile") != 0)
			ok = false;
	}
	if (ok)
		ok = st_conn_remote_start(s, connector, str(req, "idTag"), profile) == 0;
	*resp = status_reply(ok ? "Accepted" : "Rejected");
	return 0;
}

static int h_remote_stop(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;

	*resp = status_reply(st_conn_remote_stop(s, num(req, "transactionId", -1)) == 0
	    ? "Accepted" : "Rejected");
	return 0;
}

static int h_reset(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *type = str(req, "type");

	*resp = status_reply("Accepted");
	st_station_reset(s, type && strcmp(type, "Hard") == 0);
	return 0;
}

static int h_unlock(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = num(req, "connectorId", 0);
	int rc;

	if (connector < 1 || connector > s->n_conn) {
		*resp = status_reply("NotSupported");
		return 0;
	}
	rc = st_conn_unlock(s, connector);
	*resp = status_reply(rc == 0 ? "Unlocked" : rc == -EIO ? "UnlockFailed" : "NotSupported");
	return 0;
}

static int h_change_availability(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = num(req, "connectorId", -1);
	const char *type = str(req, "type");
	int rc;

	if (connector < 0 || connector > s->n_conn) {
		*resp = status_reply("Rejected");
		return 0;
	}
	rc = st_conn_set_availability(s, connector, strcmp(type, "Operative") == 0);
	*resp = status_reply(rc == 1 ? "Scheduled" : "Accepted");
	return 0;
}

static int h_clear_cache(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;

	*resp = status_reply(store_cache_clear(s->db) == 0 ? "Accepted" : "Rejected");
	return 0;
}

/* DataTransfer hooks: one row per vendor extension (vendorId, messageId or
 * NULL for any).  A handler fills data (a string) and returns the status. */
typedef const char *(*dt_fn)(struct station *s, const char *data, char **out);

/* Our own extension: the control socket's status view, for a central
 * system that wants the pilot, the binding limit and the balancing reason. */
static const char *dt_status(struct station *s, const char *data, char **out)
{
	cJSON *o = cJSON_CreateObject();

	st_conn_status_json(s, o);
	*out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return "Accepted";
}

static const struct {
	const char *vendor;
	const char *message;
	dt_fn fn;
} dt_hooks[] = {
	{ "OpenEVSE-Stack", "Status", dt_status },
};

static int h_data_transfer(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *vendor = str(req, "vendorId"), *msg = str(req, "messageId");
	bool vendor_known = false;

	for (size_t i = 0; i < sizeof(dt_hooks) / sizeof(dt_hooks[0]); i++) {
		if (strcmp(vendor, dt_hooks[i].vendor) != 0)
			continue;
		vendor_known = true;
		if (dt_hooks[i].message && (!msg || strcmp(msg, dt_hooks[i].message) != 0))
			continue;
		{
			char *out = NULL;
			const char *st = dt_hooks[i].fn(s, str(req, "data"), &out);
			cJSON *r = status_reply(st);
			if (out)
				cJSON_AddStringToObject(r, "data", out);
			free(out);
			*resp = r;
			return 0;
		}
	}
	/* OCPP 1.6 §4.3: an unknown vendor, or a known one with an unknown
	 * message (TC_062). */
	*resp = status_reply(vendor_known ? "UnknownMessageId" : "UnknownVendorId");
	return 0;
}

/* ---- smart charging --------------------------------------------------------- */

static int h_set_charging_profile(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = num(req, "connectorId", -1);
	const cJSON *cp = cJSON_GetObjectItem(req, "csChargingProfiles");
	struct sc_profile prof;
	struct sc_ctx sctx;
	char why[160];

	if (connector < 0 || connector > s->n_conn ||
	    sc_profile_from_json(cp, connector, &prof, why, sizeof(why)) < 0) {
		if (connector < 0 || connector > s->n_conn)
			snprintf(why, sizeof(why), "connector %d does not exist", connector);
		CP_INFO(TAG, "SetChargingProfile rejected: %s", why);
		*resp = status_reply("Rejected");
		return 0;
	}
	st_sc_ctx(s, &sctx);
	if (sc_store_set(&s->profiles, &prof, &sctx, NULL, why, sizeof(why)) < 0) {
		CP_INFO(TAG, "SetChargingProfile rejected: %s", why);
		*resp = status_reply("Rejected");
		return 0;
	}
	st_profiles_persist(s);
	st_mark_dirty(s);
	*resp = status_reply("Accepted");
	return 0;
}

static int h_clear_charging_profile(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct sc_clear_filter f;
	const char *purpose = str(req, "chargingProfilePurpose");
	int n;

	memset(&f, 0, sizeof(f));
	if (cJSON_GetObjectItem(req, "id")) {
		f.has_id = true;
		f.id = num(req, "id", 0);
	}
	if (cJSON_GetObjectItem(req, "connectorId")) {
		f.has_connector = true;
		f.connector = num(req, "connectorId", 0);
	}
	if (purpose) {
		f.has_purpose = true;
		f.purpose = (enum sc_purpose)sc_purpose_parse(purpose);
	}
	if (cJSON_GetObjectItem(req, "stackLevel")) {
		f.has_stack_level = true;
		f.stack_level = num(req, "stackLevel", 0);
	}
	n = sc_store_clear(&s->profiles, &f, NULL);
	if (n > 0) {
		st_profiles_persist(s);
		st_mark_dirty(s);
	}
	*resp = status_reply(n > 0 ? "Accepted" : "Unknown");
	return 0;
}

static int h_get_composite_schedule(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = num(req, "connectorId", -1);
	int duration = num(req, "duration", 0);
	const char *unit = str(req, "chargingRateUnit");
	struct sc_composite *comp;
	struct sc_ctx sctx;
	cJSON *r;

	if (connector < 0 || connector > s->n_conn) {
		*resp = status_reply("Rejected");
		return 0;
	}
	comp = malloc(sizeof(*comp));
	if (!comp) {
		*err = OCPP_ERR_INTERNAL;
		snprintf(desc, desclen, "out of memory");
		return -ENOMEM;
	}
	st_sc_ctx(s, &sctx);
	if (sc_composite_build(&s->profiles, &sctx, connector, st_utc(s), duration,
	    unit && strcmp(unit, "W") == 0 ? SC_UNIT_W : SC_UNIT_A, comp) < 0) {
		free(comp);
		*resp = status_reply("Rejected");
		return 0;
	}
	r = sc_composite_to_json(comp);
	free(comp);
	if (!r) {
		*err = OCPP_ERR_INTERNAL;
		snprintf(desc, desclen, "could not encode the schedule");
		return -ENOMEM;
	}
	*resp = r;
	return 0;
}

/* ---- remote trigger ------------------------------------------------------- */

static int h_trigger_message(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *what = str(req, "requestedMessage");
	const cJSON *cid = cJSON_GetObjectItem(req, "connectorId");
	int connector = cid ? cp_json_int_or(cid, -1) : -1;

	if (cid && (connector < 0 || connector > s->n_conn)) {
		*resp = status_reply("Rejected");
		return 0;
	}
	if (strcmp(what, "Heartbeat") == 0) {
		st_send(s, "Heartbeat", cJSON_CreateObject(), NULL, NULL);
	} else if (strcmp(what, "StatusNotification") == 0) {
		for (int i = 0; i <= s->n_conn; i++)
			if (connector < 0 || connector == i)
				st_conn_send_status(s, i, true);
	} else if (strcmp(what, "MeterValues") == 0) {
		for (int i = 1; i <= s->n_conn; i++) {
			if (connector > 0 && connector != i)
				continue;
			cJSON *p = cJSON_CreateObject(), *arr = cJSON_CreateArray();
			cJSON_AddNumberToObject(p, "connectorId", i);
			cJSON_AddItemToArray(arr, st_conn_meter_sample(s, &s->conn[i], "Trigger"));
			cJSON_AddItemToObject(p, "meterValue", arr);
			st_send(s, "MeterValues", p, NULL, NULL);
		}
	} else if (strcmp(what, "DiagnosticsStatusNotification") == 0) {
		/* The current status: Idle unless an upload runs (§7.24). */
		st_fw_send_status(s, FW_KIND_DIAGNOSTICS);
	} else if (strcmp(what, "FirmwareStatusNotification") == 0) {
		st_fw_send_status(s, FW_KIND_FIRMWARE);
	} else if (strcmp(what, "BootNotification") == 0) {
		s->boot = ST_BOOT_NONE;
		st_timer_arm_in(s, ST_T_BOOT, 0);
	} else {
		*resp = status_reply("NotImplemented");
		return 0;
	}
	*resp = status_reply("Accepted");
	return 0;
}

const ocpp_action_row st_actions[] = {
	{ "CancelReservation", st_h_cancel_reservation },
	{ "ChangeAvailability", h_change_availability },
	{ "ChangeConfiguration", h_change_configuration },
	{ "ClearCache", h_clear_cache },
	{ "ClearChargingProfile", h_clear_charging_profile },
	{ "DataTransfer", h_data_transfer },
	{ "GetCompositeSchedule", h_get_composite_schedule },
	{ "GetConfiguration", h_get_configuration },
	{ "GetDiagnostics", st_fw_handle_get_diagnostics },
	{ "GetLocalListVersion", st_h_get_local_list_version },
	{ "RemoteStartTransaction", h_remote_start },
	{ "RemoteStopTransaction", h_remote_stop },
	{ "ReserveNow", st_h_reserve_now },
	{ "Reset", h_reset },
	{ "SendLocalList", st_h_send_local_list },
	{ "SetChargingProfile", h_set_charging_profile },
	{ "TriggerMessage", h_trigger_message },
	{ "UnlockConnector", h_unlock },
	{ "UpdateFirmware", st_fw_handle_update_firmware },
};
const size_t st_n_actions = sizeof(st_actions) / sizeof(st_actions[0]);
