/*
 * handlers.c - the inbound OCPP action table.  The RPC layer has validated
 * every request against its OCPP 1.6 schema and against the row's admission
 * rules (the connectorId range, the registration status) before a handler
 * runs, so the handlers check only what neither can (the station's state).
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

/* An integer field in min..max through cp_json_int (C11 6.3.1.4: no
 * unchecked double to int).  The schema check has run, so an integer is
 * there when required; what remains is -ENOENT for an absent optional field
 * and -ERANGE for one outside what the handler can act on. */
static int req_int(const cJSON *req, const char *name, int min, int max, int *out)
{
	int64_t v;
	int rc = cp_json_int(req, name, min, max, &v);

	if (rc == 0)
		*out = (int)v;
	return rc;
}

/* An installed profile persists (OCPP 1.6 §5.16): before it is Accepted,
 * make sure the row st_profiles_persist writes can be built and fits the
 * store (STORE_MAX_PAYLOAD).  sc_profile_from_json keeps every time within
 * what formats back, so this fails only on memory or a build whose limits
 * let a profile outgrow a row. */
static int profile_storable(const struct sc_profile *p, char *why, size_t whylen)
{
	cJSON *j = sc_profile_to_json(p, true);
	char *text = j ? cJSON_PrintUnformatted(j) : NULL;
	int rc = 0;

	if (!text) {
		snprintf(why, whylen, "the profile cannot be serialized for the store");
		rc = -ENOMEM;
	} else if (strlen(text) > STORE_MAX_PAYLOAD) {
		snprintf(why, whylen, "the stored profile would take %zu bytes, more than %d",
		    strlen(text), (int)STORE_MAX_PAYLOAD);
		rc = -EMSGSIZE;
	}
	free(text);
	cJSON_Delete(j);
	return rc;
}

/* The connectorId of a request its st_actions row admitted: absent (then
 * absent is returned) or a connector of the row's range. */
static int admitted_connector(const cJSON *req, int absent)
{
	int c = absent;

	if (req_int(req, "connectorId", INT32_MIN, INT32_MAX, &c) < 0)
		c = absent;
	return c;
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
	int connector = admitted_connector(req, 0);	/* absent: any connector */
	const cJSON *profile = cJSON_GetObjectItem(req, "chargingProfile");
	bool ok = true;

	/* A profile given with RemoteStart must be a TxProfile (OCPP 1.6 §5.11). */
	if (profile) {
		const char *purpose = str(profile, "chargingProfilePurpose");
		struct sc_profile prof;
		char why[160];

		if (!purpose || strcmp(purpose, "TxProfile") != 0) {
			ok = false;
		} else if (sc_profile_from_json(profile, connector, &prof, why, sizeof(why)) < 0 ||
		    profile_storable(&prof, why, sizeof(why)) < 0) {
			/* It is installed only at StartTransaction.conf: refuse
			 * now what could not be installed and kept then. */
			CP_INFO(TAG, "RemoteStartTransaction rejected: %s", why);
			ok = false;
		}
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
	int64_t id;

	/* An id beyond CP_MAX_TRANSACTION_ID was never handed to this station,
	 * so no transaction of it runs: Rejected (OCPP 1.6 §5.12). */
	*resp = status_reply(cp_json_int(req, "transactionId", -CP_MAX_TRANSACTION_ID,
	    CP_MAX_TRANSACTION_ID, &id) == 0 && st_conn_remote_stop(s, id) == 0
	    ? "Accepted" : "Rejected");
	return 0;
}

static int h_reset(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *type = str(req, "type");

	*resp = status_reply("Accepted");
	/* Security whitepaper "ResetOrReboot": queued durably, so it is sent
	 * after the reboot. */
	st_sec_event(s, "ResetOrReboot", type && strcmp(type, "Hard") == 0 ?
	    "Reset.req Hard" : "Reset.req Soft");
	st_station_reset(s, type && strcmp(type, "Hard") == 0);
	return 0;
}

static int h_unlock(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = admitted_connector(req, 0);
	int rc;

	rc = st_conn_unlock(s, connector);
	*resp = status_reply(rc == 0 ? "Unlocked" : rc == -EIO ? "UnlockFailed" : "NotSupported");
	return 0;
}

static int h_change_availability(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = admitted_connector(req, 0);
	const char *type = str(req, "type");
	int rc;

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
	int connector = admitted_connector(req, -1);	/* required: admitted as 0..n */
	const cJSON *cp = cJSON_GetObjectItem(req, "csChargingProfiles");
	struct sc_profile prof;
	struct sc_ctx sctx;
	char why[160];

	if (sc_profile_from_json(cp, connector, &prof, why, sizeof(why)) < 0 ||
	    profile_storable(&prof, why, sizeof(why)) < 0) {
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
	/* Accepted means it survives a restart: a profile the disk cannot
	 * take is Rejected and the stored set is what stays in force. */
	if (st_profiles_persist(s) < 0) {
		CP_WARN(TAG, "SetChargingProfile rejected: it cannot be stored");
		st_profiles_reload(s);
		*resp = status_reply("Rejected");
		return 0;
	}
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
	int rc, n = 0, id = 0;
	bool none;

	memset(&f, 0, sizeof(f));
	/* An id selects alone, else every criterion given must match
	 * (sc_store_clear).  A value no installed profile can hold matches
	 * nothing: Unknown.  So the connectorId is a filter, not admitted
	 * against a range (st_actions): a connector that does not exist holds
	 * no profile. */
	rc = req_int(req, "id", INT32_MIN, INT32_MAX, &id);
	f.has_id = rc != -ENOENT;
	f.id = id;
	none = rc != 0 && rc != -ENOENT;
	rc = req_int(req, "connectorId", INT32_MIN, INT32_MAX, &f.connector);
	f.has_connector = rc != -ENOENT;
	none = none || (!f.has_id && rc != 0 && rc != -ENOENT);
	rc = req_int(req, "stackLevel", INT32_MIN, INT32_MAX, &f.stack_level);
	f.has_stack_level = rc != -ENOENT;
	none = none || (!f.has_id && rc != 0 && rc != -ENOENT);
	if (purpose) {
		f.has_purpose = true;
		f.purpose = (enum sc_purpose)sc_purpose_parse(purpose);
	}
	if (!none)
		n = sc_store_clear(&s->profiles, &f, NULL);
	if (n > 0 && st_profiles_persist(s) < 0) {
		/* Not cleared for good: the stored profiles stay in force. */
		CP_WARN(TAG, "ClearChargingProfile: the change cannot be stored");
		st_profiles_reload(s);
		n = 0;
	}
	if (n > 0)
		st_mark_dirty(s);
	*resp = status_reply(n > 0 ? "Accepted" : "Unknown");
	return 0;
}

static int h_get_composite_schedule(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	int connector = admitted_connector(req, 0), duration = 0;	/* required */
	const char *unit = str(req, "chargingRateUnit");
	struct sc_composite *comp;
	struct sc_ctx sctx;
	cJSON *r;

	if (req_int(req, "duration", 0, INT32_MAX, &duration) < 0) {
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

/* TriggerMessage and ExtendedTriggerMessage (security whitepaper): the
 * messages both can ask for; NULL when `what` is none of them. */
static const char *trigger(struct station *s, const char *what, int connector)
{
	if (strcmp(what, "Heartbeat") == 0) {
		/* The regular path: its answer's currentTime is followed too. */
		st_sender_heartbeat(s);
	} else if (strcmp(what, "StatusNotification") == 0) {
		for (int i = 0; i <= s->n_conn; i++)
			if (connector < 0 || connector == i)
				st_conn_send_status(s, i, true);
	} else if (strcmp(what, "MeterValues") == 0) {
		/* Connector 0 or none: one MeterValues per connector (the
		 * station's meters are its sockets' meters). */
		for (int i = 1; i <= s->n_conn; i++) {
			if (connector > 0 && connector != i)
				continue;
			st_meter_send_trigger(s, &s->conn[i]);
		}
	} else if (strcmp(what, "BootNotification") == 0) {
		s->boot = ST_BOOT_NONE;
		st_timer_arm_in(s, ST_T_BOOT, 0);
	} else {
		return NULL;
	}
	return "Accepted";
}

static int h_trigger_message(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *what = str(req, "requestedMessage");
	int connector = admitted_connector(req, -1);	/* absent: every connector */
	const char *st = trigger(s, what, connector);

	if (!st && strcmp(what, "DiagnosticsStatusNotification") == 0) {
		/* The current status: Idle unless an upload runs (§7.24). */
		st_fw_send_status(s, FW_KIND_DIAGNOSTICS);
		st = "Accepted";
	} else if (!st && strcmp(what, "FirmwareStatusNotification") == 0) {
		st_fw_send_status(s, FW_KIND_FIRMWARE);
		st = "Accepted";
	}
	*resp = status_reply(st ? st : "NotImplemented");
	return 0;
}

/* Security whitepaper, ExtendedTriggerMessage: TriggerMessage's messages,
 * the security ones, and SignChargePointCertificate (a new key pair and
 * its SignCertificate.req). */
static int h_extended_trigger_message(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	const char *what = str(req, "requestedMessage");
	int connector = admitted_connector(req, -1);
	const char *st = trigger(s, what, connector);

	if (!st && strcmp(what, "SignChargePointCertificate") == 0) {
		st = st_sec_sign_certificate(s) == 0 ? "Accepted" : "Rejected";
	} else if (!st && strcmp(what, "FirmwareStatusNotification") == 0) {
		/* The whitepaper's status message: SignedFirmwareStatusNotification. */
		st_fw_send_signed_status(s);
		st = "Accepted";
	} else if (!st && strcmp(what, "LogStatusNotification") == 0) {
		st_fw_send_log_status(s);
		st = "Accepted";
	}
	*resp = status_reply(st ? st : "NotImplemented");
	return 0;
}

/* The registration status and the connector count admission checks a CALL
 * against (ocpp_rpc_config.admit_state). */
void st_admit_state(void *ctx, ocpp_admit_state *st)
{
	const struct station *s = ctx;

	st->n_connectors = s->n_conn;
	st->reg = s->boot == ST_BOOT_ACCEPTED ? OCPP_REG_ACCEPTED :
	    s->boot == ST_BOOT_PENDING ? OCPP_REG_PENDING :
	    s->boot == ST_BOOT_REJECTED ? OCPP_REG_REJECTED : OCPP_REG_NONE;
}

/*
 * The inbound actions and their admission rules, checked once by the RPC
 * session before the handler runs (ocpp_action_row).  A row that names a
 * connector rule answers a connectorId outside it with its refusal, the
 * status OCPP 1.6 §5 gives each action for a connector it does not have:
 *
 *   action                  connectorId          outside (incl. -1)
 *   ChangeAvailability      required, 0..n       Rejected      §5.2
 *   GetCompositeSchedule    required, 0..n       Rejected      §5.7
 *   RemoteStartTransaction  optional, 1..n       Rejected      §5.11 (0 is no
 *                                                              connector to start on)
 *   ReserveNow              required, 0..n       Rejected      §5.13
 *   SetChargingProfile      required, 0..n       Rejected      §5.16
 *   TriggerMessage          optional, 0..n       Rejected      §5.17
 *   UnlockConnector         required, 1..n       NotSupported  §5.18 ("ConnectorId is unknown")
 *   ClearChargingProfile    optional, a filter:  a connector that does not exist
 *                           holds no profile: Unknown (§5.5, from the handler)
 *
 * Registration (OCPP 1.6 §4.2): while Pending every action is answered
 * ("The Charge Point SHOULD respond to these messages") except
 * RemoteStartTransaction and RemoteStopTransaction, which "are not allowed"
 * then and are answered Rejected; while Rejected nothing is answered ("the
 * Charge Point SHALL NOT respond to any Central System initiated message",
 * ocpp_rpc_on_text).  Before the first answer to BootNotification the
 * station answers as when Accepted.
 */
#define CONN(rule, required, refusal) .conn = (rule), .conn_required = (required), \
	.conn_refusal = (refusal)
#define NOT_WHILE_PENDING(refusal) .pending_refusal = (refusal)

const ocpp_action_row st_actions[] = {
	{ .action = "CancelReservation", .handler = st_h_cancel_reservation },
	{ .action = "CertificateSigned", .handler = st_sec_handle_certificate_signed },
	{ .action = "ChangeAvailability", .handler = h_change_availability,
	    CONN(OCPP_CONN_ANY, true, "Rejected") },
	{ .action = "ChangeConfiguration", .handler = h_change_configuration },
	{ .action = "ClearCache", .handler = h_clear_cache },
	{ .action = "ClearChargingProfile", .handler = h_clear_charging_profile },
	{ .action = "DataTransfer", .handler = h_data_transfer },
	{ .action = "DeleteCertificate", .handler = st_sec_handle_delete_certificate },
	{ .action = "ExtendedTriggerMessage", .handler = h_extended_trigger_message,
	    CONN(OCPP_CONN_ANY, false, "Rejected") },
	{ .action = "GetCompositeSchedule", .handler = h_get_composite_schedule,
	    CONN(OCPP_CONN_ANY, true, "Rejected") },
	{ .action = "GetConfiguration", .handler = h_get_configuration },
	{ .action = "GetDiagnostics", .handler = st_fw_handle_get_diagnostics },
	{ .action = "GetInstalledCertificateIds", .handler = st_sec_handle_get_installed_certificate_ids },
	{ .action = "GetLocalListVersion", .handler = st_h_get_local_list_version },
	{ .action = "GetLog", .handler = st_fw_handle_get_log },
	{ .action = "InstallCertificate", .handler = st_sec_handle_install_certificate },
	{ .action = "RemoteStartTransaction", .handler = h_remote_start,
	    CONN(OCPP_CONN_SOCKET, false, "Rejected"), NOT_WHILE_PENDING("Rejected") },
	{ .action = "RemoteStopTransaction", .handler = h_remote_stop, NOT_WHILE_PENDING("Rejected") },
	{ .action = "ReserveNow", .handler = st_h_reserve_now,
	    CONN(OCPP_CONN_ANY, true, "Rejected") },
	{ .action = "Reset", .handler = h_reset },
	{ .action = "SendLocalList", .handler = st_h_send_local_list },
	{ .action = "SetChargingProfile", .handler = h_set_charging_profile,
	    CONN(OCPP_CONN_ANY, true, "Rejected") },
	{ .action = "SignedUpdateFirmware", .handler = st_fw_handle_signed_update_firmware },
	{ .action = "TriggerMessage", .handler = h_trigger_message,
	    CONN(OCPP_CONN_ANY, false, "Rejected") },
	{ .action = "UnlockConnector", .handler = h_unlock,
	    CONN(OCPP_CONN_SOCKET, true, "NotSupported") },
	{ .action = "UpdateFirmware", .handler = st_fw_handle_update_firmware },
};
const size_t st_n_actions = sizeof(st_actions) / sizeof(st_actions[0]);
