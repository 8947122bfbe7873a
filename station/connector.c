/*
 * connector.c - connectors, authorization, transactions and their status
 * (OCPP 1.6 §4.8-4.10, §5.11-5.17).  The control cycle that turns limits into
 * the offered current is in cycle.c; meter values in meter.c.  Handlers and
 * events change state here and mark the station dirty; they never run the
 * control cycle themselves.
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "hw/led.h"
#include "smartcharging/sc_json.h"
#include "smartcharging/sc_phase.h"

#define TAG "station"


static void copy_tag(char dst[CP_MAX_ID_TAG + 1], const char *src)
{
	snprintf(dst, CP_MAX_ID_TAG + 1, "%s", src ? src : "");
}

/* ---- set-up and recovery ------------------------------------------------- */

void st_conn_init(struct station *s)
{
	char key[32], val[32];

	for (int i = 0; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		memset(c, 0, sizeof(*c));
		c->id = i;
		c->operative = true;
		c->profile_ma = SC_LIMIT_NONE;
		c->binding = SC_SRC_NONE;
		snprintf(key, sizeof(key), "avail.%d", i);
		/* ChangeAvailability survives a reboot (OCPP 1.6 §5.2, TC_034). */
		if (store_state_get(s->db, key, val, sizeof(val)) == 0)
			c->operative = strcmp(val, "Inoperative") != 0;
	}
}

struct recover_ctx {
	struct station *s;
	const char *reason;
};

static int recover_one(void *ctx, const store_tx *tx)
{
	struct recover_ctx *rc = ctx;
	struct station *s = rc->s;
	cJSON *p = cJSON_CreateObject();
	char ts[OCPP_TIME_LEN];
	int64_t local_id = tx->local_id;
	int64_t meter = tx->meter_last_wh;
	cp_utc_t when = tx->meter_last_utc.s ? tx->meter_last_utc : st_utc(s);

	CP_WARN(TAG, "transaction %lld on connector %d was running at shutdown: stopping (%s)",
	    (long long)local_id, tx->connector, rc->reason);
	ocpp_time_format(when, ts);
	cJSON_AddNumberToObject(p, "meterStop", (double)meter);
	cJSON_AddStringToObject(p, "timestamp", ts);
	cJSON_AddStringToObject(p, "reason", rc->reason);
	/* transactionId is filled in by the sender from the transaction row;
	 * the sender ends the transaction and queues this in one commit. */
	cJSON_AddNumberToObject(p, "transactionId", 0);
	st_send_tx(s, "StopTransaction", p, local_id);
	return 0;
}

void st_conn_recover(struct station *s)
{
	int64_t clean = 0;
	struct recover_ctx rc = { .s = s };

	store_state_get_int(s->db, "clean_shutdown", &clean);
	/* A transaction still open after a clean stop (SIGTERM) ends with
	 * Reboot; after a crash or power cut with PowerLoss (OCPP 1.6 §7.40). */
	rc.reason = clean ? "Reboot" : "PowerLoss";
	store_state_set_int(s->db, "clean_shutdown", 0);
	store_tx_open_foreach(s->db, recover_one, &rc);
	{
		int deleted = 0;
		store_tx_prune(s->db, &deleted);
	}
}

/* ---- status ---------------------------------------------------------------- */

/* The snapshot a status is decided from (conn_fsm.h).  Reading it changes
 * nothing: ending a reservation is change_state's. */
static void fsm_input(struct station *s, struct st_conn *c, const hw_socket_status *hs,
    struct st_fsm_input *in)
{
	memset(in, 0, sizeof(*in));
	in->operative = c->operative;
	if (c->id == 0) {
		in->station = true;
		in->all_inoperative = true;
		for (int i = 1; i <= s->n_conn; i++)
			in->all_inoperative = in->all_inoperative && !s->conn[i].operative;
		return;
	}
	in->fault = hs && hs->fault != HW_FAULT_NONE;
	in->tx_active = st_tx_running(&c->tx);
	in->plugged = c->plugged;
	in->offering = c->applied_ma > 0 && st_tx_may_draw(s, c) && hs && hs->offered_ma > 0;
	in->ev_requests = hs && hs->ev_requests;
	in->ev_draws = !c->draw.low || st_now(s).ms - c->draw.low_since.ms < ST_FSM_IDLE_MS;
	in->finishing = st_tx_finishing(&c->tx);
	in->authorized = st_tx_authorized(&c->tx);
	in->reserved = st_resv_conn_reserved(s, c->id);
}

enum st_status st_derive_status(struct station *s, struct st_conn *c,
    const hw_socket_status *hs, const char **error_code)
{
	struct st_fsm_input in;
	enum st_status st;

	fsm_input(s, c, hs, &in);
	st = st_fsm_target(&in);
	*error_code = "NoError";
	if (st == ST_FAULTED) {
		switch (hs->fault) {
		case HW_FAULT_OVERCURRENT: *error_code = "OverCurrentFailure"; break;
		case HW_FAULT_LOCK: *error_code = "ConnectorLockFailure"; break;
		case HW_FAULT_EV_ERROR: *error_code = "EVCommunicationError"; break;
		case HW_FAULT_METER: *error_code = "PowerMeterFailure"; break;
		default: *error_code = "OtherError"; break;
		}
	} else if (c->id == 0 && st == ST_AVAILABLE && s->storage_fault) {
		/* A storage fault is a warning on the charge point: it keeps
		 * charging and sends from memory (OCPP 1.6 §4.9: an errorCode
		 * with a status other than Faulted). */
		*error_code = "OtherError";
	}
	return st;
}

/* Follows the EV's draw while it asks for energy and is offered some: one
 * that draws less than ST_FSM_DRAW_MA for ST_FSM_IDLE_MS is SuspendedEV, not
 * Charging at 0 A.  Re-evaluates when that moment comes. */
static void track_draw(struct station *s, struct st_conn *c, const hw_socket_status *hs)
{
	int32_t drawn = 0;
	cp_mono_t recheck;

	if (!hs || !st_tx_running(&c->tx) || !c->plugged || !hs->ev_requests || hs->offered_ma == 0 ||
	    c->applied_ma == 0) {
		c->draw.low = false;	/* the grace starts again with the next offer */
		return;
	}
	for (int k = 0; k < HW_CONDUCTORS; k++)
		if (hs->current_ma[k] > drawn)
			drawn = hs->current_ma[k];
	st_fsm_draw(&c->draw, drawn, st_now(s), &recheck);
	if (recheck.ms)
		st_timer_arm_earliest(s, ST_T_EVAL, recheck);
}

static void status_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	if (err != OCPP_ERR_NONE)
		CP_WARN(TAG, "StatusNotification failed: %s %s", ocpp_error_name(err), desc);
}

static void report_status(struct station *s, struct st_conn *c, enum st_status st,
    const char *error_code, const hw_socket_status *hs)
{
	cJSON *p = cJSON_CreateObject();
	char ts[OCPP_TIME_LEN];

	cJSON_AddNumberToObject(p, "connectorId", c->id);
	cJSON_AddStringToObject(p, "errorCode", error_code);
	cJSON_AddStringToObject(p, "status", st_status_name(st));
	st_timestamp(s, ts);
	cJSON_AddStringToObject(p, "timestamp", ts);
	if (hs && st == ST_FAULTED && hs->fault_info[0])
		cJSON_AddStringToObject(p, "info", hs->fault_info);
	if (hs && st == ST_FAULTED && hs->vendor_error && hs->vendor_error[0]) {
		cJSON_AddStringToObject(p, "vendorId", "OpenEVSE-Stack");
		cJSON_AddStringToObject(p, "vendorErrorCode", hs->vendor_error);
	}
	if (c->id == 0 && s->storage_fault && strcmp(error_code, "OtherError") == 0) {
		bool full = s->storage_rc == -ENOSPC;
		cJSON_AddStringToObject(p, "info", full ? "storage full" : "storage write error");
		cJSON_AddStringToObject(p, "vendorId", "OpenEVSE-Stack");
		cJSON_AddStringToObject(p, "vendorErrorCode", full ? "StorageFull" : "StorageError");
	}
	CP_INFO(TAG, "connector %d: %s (%s)", c->id, st_status_name(st), error_code);
	c->status = st;
	c->status_known = true;
	snprintf(c->error_code, sizeof(c->error_code), "%s", error_code);
	/* Before the boot is accepted nothing but BootNotification may go
	 * out; every connector's status is sent once it is (OCPP 1.6 §4.2.1). */
	if (s->boot == ST_BOOT_ACCEPTED)
		st_send(s, "StatusNotification", p, status_done, s);
	else
		cJSON_Delete(p);
}

/* change_state: the one place that reports a connector's status and ends
 * its reservations.  The way from the last reported status goes through the
 * OCPP 1.6 §4.9 transition table only (st_fsm_path): an intermediate status
 * the table requires is reported first (its errorCode NoError).  A forced
 * report (boot, reconnect, TriggerMessage) of an unchanged status repeats it. */
static void change_state(struct station *s, struct st_conn *c, enum st_status st,
    const char *error_code, const hw_socket_status *hs)
{
	enum st_status path[2];
	int n = c->status_known ? st_fsm_path(c->status, st, path) : 0;

	for (int i = 0; i + 1 < n; i++)
		report_status(s, c, path[i], "NoError", hs);
	/* A Faulted or Unavailable connector ends its reservations, and an
	 * Unavailable charge point those of connector 0 (OCPP 1.6 §5.13). */
	if ((st == ST_FAULTED || st == ST_UNAVAILABLE) && (!c->status_known || c->status != st))
		st_resv_conn_down(s, c->id);
	report_status(s, c, st, error_code, hs);
}

void st_conn_send_status(struct station *s, int connector, bool force)
{
	struct st_conn *c = &s->conn[connector];
	const hw_socket_status *hs = connector ? hw_station_status(&s->hw, connector) : NULL;
	const char *ec;
	enum st_status st;

	track_draw(s, c, hs);
	st = st_derive_status(s, c, hs, &ec);

	int msd = cfg_int(&s->cfg, CFG_MINIMUM_STATUS_DURATION);
	cp_mono_t now = st_now(s);

	if (!force && c->status_known && st == c->status && strcmp(ec, c->error_code) == 0) {
		c->cand_valid = false;
		return;
	}
	/* MinimumStatusDuration (OCPP 1.6 §9.1.22): a new status is reported
	 * only once it has lasted that long; a Faulted one at once. */
	if (!force && c->status_known && msd > 0 && st != ST_FAULTED) {
		if (!c->cand_valid || c->cand_status != st) {
			c->cand_valid = true;
			c->cand_status = st;
			c->cand_since = now;
		}
		if (now.ms - c->cand_since.ms < (int64_t)msd * 1000) {
			st_timer_arm_earliest(s, ST_T_EVAL,
			    cp_mono(c->cand_since.ms + (int64_t)msd * 1000));
			return;
		}
	}
	c->cand_valid = false;
	change_state(s, c, st, ec, hs);
}

void st_conn_on_boot_accepted(struct station *s)
{
	/* After boot (and after a reconnect) the central system learns every
	 * connector's state (OCPP 1.6 §4.9). */
	for (int i = 0; i <= s->n_conn; i++)
		st_conn_send_status(s, i, true);
}

/* ---- the transaction machine's events and actions ------------------------- */

static void drop_remote_profile(struct st_conn *c)
{
	cJSON_Delete(c->remote_profile);
	c->remote_profile = NULL;
}

/* Records the transaction and its StartTransaction in one commit.  Negative:
 * nothing was recorded (the disk refused it). */
static int start_tx(struct station *s, struct st_conn *c)
{
	const hw_socket_status *hs = hw_station_status(&s->hw, c->id);
	cJSON *p = cJSON_CreateObject();
	char ts[OCPP_TIME_LEN];
	int64_t local_id;
	cp_utc_t now = st_utc(s);
	/* The reservation this start ends, if any (OCPP 1.6 §5.13). */
	int resv = st_resv_for_start(s, c->id, c->auth_tag, c->auth_parent);
	int rc;

	st_timestamp(s, ts);
	cJSON_AddNumberToObject(p, "connectorId", c->id);
	cJSON_AddStringToObject(p, "idTag", c->auth_tag);
	cJSON_AddNumberToObject(p, "meterStart", (double)hs->energy_wh);
	cJSON_AddStringToObject(p, "timestamp", ts);
	if (resv >= 0)
		cJSON_AddNumberToObject(p, "reservationId", resv);
	rc = st_tx_record_start(s, c->id, c->auth_tag, hs->energy_wh, now, resv, p, &local_id);
	if (rc < 0) {
		CP_ERR(TAG, "connector %d: cannot record a transaction (%d): not started", c->id, rc);
		return rc;
	}
	if (resv >= 0)
		st_resv_used(s, resv);
	c->tx_local_id = local_id;
	c->tx_has_id = false;
	c->tx_id = 0;
	copy_tag(c->tx_tag, c->auth_tag);
	copy_tag(c->tx_parent, c->auth_parent);
	c->tx_start = now;
	c->tx_meter_start = hs->energy_wh;

	cJSON_Delete(c->tx_data);
	c->tx_data = NULL;
	{
		const char *stop_list = cfg_str(&s->cfg, CFG_STOP_TXN_SAMPLED_DATA);
		if (stop_list && stop_list[0])
			st_tx_data_add(c, st_meter_sample(s, c, "Transaction.Begin", stop_list));
	}
	CP_INFO(TAG, "connector %d: transaction %lld started for %s", c->id,
	    (long long)local_id, c->tx_tag);
	st_sample_schedule(s, c);
	return 0;
}

/* Ends the transaction in the store and queues StopTransaction in one commit
 * (kept in memory if the disk is full). */
static void stop_tx(struct station *s, struct st_conn *c, const char *reason, const char *id_tag)
{
	const hw_socket_status *hs = hw_station_status(&s->hw, c->id);
	cJSON *p = cJSON_CreateObject(), *data;
	char ts[OCPP_TIME_LEN];
	const char *stop_list;

	st_timestamp(s, ts);
	if (id_tag && id_tag[0])
		cJSON_AddStringToObject(p, "idTag", id_tag);
	cJSON_AddNumberToObject(p, "meterStop", (double)hs->energy_wh);
	cJSON_AddStringToObject(p, "timestamp", ts);
	cJSON_AddNumberToObject(p, "transactionId", 0);	/* filled at send */
	/* Sent even for Local, the default, so logs on both sides agree. */
	cJSON_AddStringToObject(p, "reason", reason);
	stop_list = cfg_str(&s->cfg, CFG_STOP_TXN_SAMPLED_DATA);
	if (stop_list && stop_list[0])
		st_tx_data_add(c, st_meter_sample(s, c, "Transaction.End", stop_list));
	data = c->tx_data;
	c->tx_data = NULL;
	if (data && cJSON_GetArraySize(data) > 0)
		cJSON_AddItemToObject(p, "transactionData", data);
	else
		cJSON_Delete(data);
	st_conn_save_meters(s);
	CP_INFO(TAG, "connector %d: transaction %lld stopped (%s)", c->id,
	    (long long)c->tx_local_id, reason);
	st_send_tx(s, "StopTransaction", p, c->tx_local_id);
	if (sc_store_end_transaction(&s->profiles, c->id, NULL) > 0)
		st_profiles_persist(s);
}

/* The earliest ConnectionTimeOut deadline of any connector. */
static void arm_auth_timer(struct station *s)
{
	cp_mono_t first = cp_mono(0);

	for (int i = 1; i <= s->n_conn; i++) {
		cp_mono_t d = s->conn[i].auth_deadline;
		if (d.ms && (!first.ms || d.ms < first.ms))
			first = d;
	}
	if (first.ms)
		st_timer_arm(s, ST_T_AUTH_TIMEOUT, first);
	else
		st_timer_cancel(s, ST_T_AUTH_TIMEOUT);
}

int st_conn_tx_event(struct station *s, struct st_conn *c, enum st_tx_event ev,
    const char *reason, const char *id_tag)
{
	const hw_socket_status *hs = c->id ? hw_station_status(&s->hw, c->id) : NULL;
	struct st_tx_input in = {
		.plugged = c->plugged,
		.fault = hs && hs->fault != HW_FAULT_NONE,
		.stop_on_ev_disconnect = cfg_bool(&s->cfg, CFG_STOP_TRANSACTION_ON_EV_SIDE_DISCONNECT),
		.stop_on_invalid_id = cfg_bool(&s->cfg, CFG_STOP_TRANSACTION_ON_INVALID_ID),
		.connection_timeout_s = cfg_int(&s->cfg, CFG_CONNECTION_TIMEOUT),
		.reason = reason,
	};
	struct st_tx_output out;
	enum st_tx_state was = c->tx.state;
	int rc = st_tx_step(&c->tx, ev, &in, st_now(s), &out);

	if (rc < 0)
		return rc;
	if (c->tx.state != was)
		CP_DEBUG(TAG, "connector %d: %s -(%s)-> %s", c->id, st_tx_state_name(was),
		    st_tx_event_name(ev), st_tx_state_name(c->tx.state));
	if (out.actions & ST_TXA_CANCEL_TIMEOUT)
		c->auth_deadline = cp_mono(0);
	if (out.actions & ST_TXA_ARM_TIMEOUT)
		c->auth_deadline = out.deadline;
	if (out.actions & (ST_TXA_CANCEL_TIMEOUT | ST_TXA_ARM_TIMEOUT))
		arm_auth_timer(s);
	if (out.actions & ST_TXA_DROP_REMOTE)
		drop_remote_profile(c);
	if ((out.actions & ST_TXA_START) && start_tx(s, c) < 0)
		st_conn_tx_event(s, c, ST_TXE_START_FAILED, NULL, NULL);
	if (out.actions & ST_TXA_STOP)
		stop_tx(s, c, out.reason, id_tag);
	if (out.actions & ST_TXA_INOPERATIVE)
		st_conn_set_availability(s, c->id, false);
	st_mark_dirty(s);
	return rc;
}

void st_conn_stop_tx(struct station *s, struct st_conn *c, const char *reason,
    const char *id_tag)
{
	st_conn_tx_event(s, c, ST_TXE_STOP, reason ? reason : "Local", id_tag);
}

void st_conn_start_confirmed(struct station *s, int64_t local_id, int64_t tx_id,
    const char *status, const char *parent)
{
	/* The sender stored tx_id with the dequeue (or keeps it in memory). */
	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		if (!st_tx_running(&c->tx) || c->tx_local_id != local_id)
			continue;
		c->tx_has_id = true;
		c->tx_id = tx_id;
		if (parent && parent[0])
			copy_tag(c->tx_parent, parent);
		if (c->remote_profile) {
			struct sc_profile prof;
			char why[128];
			cJSON_DeleteItemFromObject(c->remote_profile, "transactionId");
			cJSON_AddNumberToObject(c->remote_profile, "transactionId", (double)tx_id);
			st_conn_reload_limits(s);
			if (sc_profile_from_json(c->remote_profile, c->id, &prof, why, sizeof(why)) == 0) {
				struct sc_ctx ctx;
				st_sc_ctx(s, &ctx);
				if (sc_store_set(&s->profiles, &prof, &ctx, NULL, why, sizeof(why)) == 0)
					st_profiles_persist(s);
				else
					CP_WARN(TAG, "RemoteStart profile refused: %s", why);
			}
			drop_remote_profile(c);
		}
		/* OCPP 1.6 §5.11 / TC_037: an (offline) start that the central
		 * system refuses. */
		if (status && strcmp(status, "Accepted") != 0)
			st_conn_tx_event(s, c, ST_TXE_START_REFUSED, NULL, NULL);
	}
}

/* ---- authorization ---------------------------------------------------------- */

static bool tag_eq(const char *a, const char *b)
{
	return a && b && a[0] && strcasecmp(a, b) == 0;
}

static void authorized(struct station *s, struct st_conn *c, const char *tag,
    const char *parent)
{
	/* A reserved connector takes only the reservation's idTag or
	 * parentIdTag (OCPP 1.6 §5.13), known for certain only now. */
	if (!st_resv_allows(s, c->id, tag, parent)) {
		CP_INFO(TAG, "connector %d is reserved: %s may not use it", c->id, tag);
		st_mark_dirty(s);
		return;
	}
	if (st_tx_running(&c->tx)) {
		CP_INFO(TAG, "connector %d: a transaction runs, %s starts nothing", c->id, tag);
		return;
	}
	copy_tag(c->auth_tag, tag);
	copy_tag(c->auth_parent, parent);
	st_conn_tx_event(s, c, ST_TXE_ACCEPTED, NULL, NULL);
}

struct auth_req {
	struct station *s;
	int connector;
};
static struct auth_req auth_reqs[CP_MAX_CONNECTORS + 1];

static void authorize_done(void *user, ocpp_error err, const cJSON *payload, const char *desc);

/* Sends an Authorize.req for tag; the answer comes to authorize_done. */
static int ask(struct station *s, struct st_conn *c, enum st_tx_event ev, const char *tag)
{
	cJSON *p;

	if (st_conn_tx_event(s, c, ev, NULL, NULL) < 0)
		return -EBUSY;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "idTag", tag);
	copy_tag(c->pending_tag, tag);
	auth_reqs[c->id].s = s;
	auth_reqs[c->id].connector = c->id;
	return st_send(s, "Authorize", p, authorize_done, &auth_reqs[c->id]);
}

static void authorize_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct auth_req *ar = user;
	struct station *s = ar->s;
	struct st_conn *c = &s->conn[ar->connector];
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(payload, "idTagInfo");
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "status"));
	const char *parent = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "parentIdTag"));
	enum st_tx_ask was = c->tx.ask;

	st_conn_tx_event(s, c, ST_TXE_ASK_DONE, NULL, NULL);
	if (was == ST_ASK_STOP) {
		/* Another card during a transaction: it ends it when it shares
		 * the transaction's parentIdTag (OCPP 1.6 §3.5.4, TC_069). */
		if (err == OCPP_ERR_NONE && status && strcmp(status, "Accepted") == 0 &&
		    st_tx_running(&c->tx) && tag_eq(parent, c->tx_parent))
			st_conn_stop_tx(s, c, "Local", c->pending_tag);
		else
			CP_INFO(TAG, "connector %d: %s may not stop this transaction", c->id,
			    c->pending_tag);
		return;
	}
	if (err != OCPP_ERR_NONE || !status) {
		CP_WARN(TAG, "Authorize for %s failed: %s %s", c->pending_tag,
		    ocpp_error_name(err), desc);
		return;
	}
	/* The cache learns every answer, except for tags the Local
	 * Authorization List already decides (OCPP 1.6 §3.5.1). */
	if (cfg_bool(&s->cfg, CFG_AUTHORIZATION_CACHE_ENABLED) &&
	    !(cfg_bool(&s->cfg, CFG_LOCAL_AUTH_LIST_ENABLED) &&
	    store_list_lookup(s->db, c->pending_tag, &(store_auth_entry){ 0 }) == 0)) {
		store_auth_entry e;
		memset(&e, 0, sizeof(e));
		copy_tag(e.id_tag, c->pending_tag);
		snprintf(e.status, sizeof(e.status), "%s", status);
		copy_tag(e.parent_id_tag, parent);
		store_cache_put(s->db, &e);
	}
	if (strcmp(status, "Accepted") == 0) {
		CP_INFO(TAG, "connector %d: %s authorized", c->id, c->pending_tag);
		authorized(s, c, c->pending_tag, parent);
	} else {
		CP_INFO(TAG, "connector %d: %s not authorized (%s)", c->id, c->pending_tag, status);
		/* A RemoteStart whose Authorize is refused starts nothing. */
		drop_remote_profile(c);
	}
}

/* Offline authorization (OCPP 1.6 §3.5): the Local Authorization List
 * first, then the cache (st_auth_local: an expired entry reads Expired), both
 * only with LocalAuthorizeOffline; an unknown tag only with
 * AllowOfflineTxForUnknownId. */
static bool offline_lookup(struct station *s, const char *tag, char parent[CP_MAX_ID_TAG + 1])
{
	store_auth_entry e;

	parent[0] = '\0';
	if (st_auth_local(s, tag, &e) == 0) {
		copy_tag(parent, e.parent_id_tag);
		return cfg_bool(&s->cfg, CFG_LOCAL_AUTHORIZE_OFFLINE) &&
		    strcmp(e.status, "Accepted") == 0;
	}
	return cfg_bool(&s->cfg, CFG_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID);
}

int st_conn_present_tag(struct station *s, int connector, const char *tag)
{
	struct st_conn *c = &s->conn[connector];
	char parent[CP_MAX_ID_TAG + 1];

	if (st_tx_running(&c->tx)) {
		/* The same card (or one with the same parent) ends the session
		 * (OCPP 1.6 §3.5.4, TC_068/069). */
		if (tag_eq(tag, c->tx_tag)) {
			st_conn_stop_tx(s, c, "Local", tag);
			return 0;
		}
		if (c->tx_parent[0] && offline_lookup(s, tag, parent) && tag_eq(parent, c->tx_parent)) {
			st_conn_stop_tx(s, c, "Local", tag);
			return 0;
		}
		if (c->tx_parent[0] && s->online && s->boot == ST_BOOT_ACCEPTED)
			return ask(s, c, ST_TXE_ASK_STOP, tag);
		return -EBUSY;
	}
	if (!c->operative)
		return -EPERM;
	if (st_tx_authorized(&c->tx) && tag_eq(tag, c->auth_tag)) {
		/* Second swipe before plugging in: cancel. */
		st_conn_tx_event(s, c, ST_TXE_CANCEL, NULL, NULL);
		return 0;
	}
	/* Another idTag on a reserved connector is refused without asking
	 * the central system (OCTT TC_046_1), unless its parent may match. */
	if (!st_resv_may_allow(s, connector, tag)) {
		CP_INFO(TAG, "connector %d is reserved: %s refused", connector, tag);
		return -EADDRINUSE;
	}
	copy_tag(c->pending_tag, tag);
	if (s->online && s->boot == ST_BOOT_ACCEPTED) {
		bool local = cfg_bool(&s->cfg, CFG_LOCAL_PRE_AUTHORIZE);
		if (local) {
			/* List before cache, expiryDate honoured; anything but
			 * Accepted goes to the central system (§3.5). */
			store_auth_entry e;
			if (st_auth_local(s, tag, &e) == 0 && strcmp(e.status, "Accepted") == 0) {
				authorized(s, c, tag, e.parent_id_tag);
				return 0;
			}
		}
		return ask(s, c, ST_TXE_ASK_START, tag);
	}
	if (cfg_bool(&s->cfg, CFG_LOCAL_AUTHORIZE_OFFLINE) || cfg_bool(&s->cfg, CFG_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID)) {
		if (offline_lookup(s, tag, parent)) {
			CP_INFO(TAG, "connector %d: %s authorized offline", connector, tag);
			authorized(s, c, tag, parent);
			return 0;
		}
	}
	CP_INFO(TAG, "connector %d: %s cannot be authorized offline", connector, tag);
	return -EACCES;
}

void st_auth_timeout(struct station *s)
{
	cp_mono_t now = st_now(s);

	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		if (!c->auth_deadline.ms || c->auth_deadline.ms > now.ms)
			continue;
		c->auth_deadline = cp_mono(0);
		if (st_conn_tx_event(s, c, ST_TXE_TIMEOUT, NULL, NULL) == 0)
			CP_INFO(TAG, "connector %d: no EV within ConnectionTimeOut, authorization dropped", i);
	}
	arm_auth_timer(s);
}

/* A connector that takes a new session now: no transaction, no card
 * waiting, no Authorize in flight, Operative, not faulted. */
static bool conn_free(struct station *s, const struct st_conn *c)
{
	const hw_socket_status *hs = hw_station_status(&s->hw, c->id);

	return c->tx.state != ST_TX_RUNNING && c->tx.state != ST_TX_DEAUTHORIZED &&
	    !st_tx_authorized(&c->tx) && c->operative && !(hs && hs->fault != HW_FAULT_NONE);
}

int st_conn_remote_start(struct station *s, int connector, const char *tag,
    const cJSON *profile)
{
	struct st_conn *c;

	if (connector == 0) {
		/* No connector given: the one reserved for this idTag, else
		 * the first free one that a reservation does not hold. */
		connector = st_resv_connector_for(s, tag);
		for (int i = 1; i <= s->n_conn && !connector; i++)
			if (conn_free(s, &s->conn[i]) && st_resv_may_allow(s, i, tag))
				connector = i;
		if (!connector)
			return -EBUSY;
	}
	if (connector < 1 || connector > s->n_conn)
		return -EINVAL;
	c = &s->conn[connector];
	if (!conn_free(s, c))
		return -EBUSY;
	/* Reserved for someone else: Rejected (OCPP 1.6 §5.13).  Without an
	 * Authorize to come, the parent must be known now. */
	if (cfg_bool(&s->cfg, CFG_AUTHORIZE_REMOTE_TX_REQUESTS) && s->online
	    ? !st_resv_may_allow(s, connector, tag) : !st_resv_allows(s, connector, tag, NULL))
		return -EBUSY;
	drop_remote_profile(c);
	c->remote_profile = profile ? cJSON_Duplicate(profile, 1) : NULL;
	if (cfg_bool(&s->cfg, CFG_AUTHORIZE_REMOTE_TX_REQUESTS) && s->online) {
		ask(s, c, ST_TXE_ASK_START, tag);
		return 0;
	}
	authorized(s, c, tag, NULL);
	return 0;
}

int st_conn_remote_stop(struct station *s, int64_t transaction_id)
{
	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		if (st_tx_running(&c->tx) && c->tx_has_id && c->tx_id == transaction_id) {
			st_conn_stop_tx(s, c, "Remote", NULL);
			return 0;
		}
	}
	return -ENOENT;
}

int st_conn_unlock(struct station *s, int connector)
{
	enum hw_unlock_result r;

	st_conn_stop_tx(s, &s->conn[connector], "UnlockCommand", NULL);
	r = hw_station_unlock(&s->hw, connector, st_now(s));
	st_mark_dirty(s);
	return r == HW_UNLOCK_UNLOCKED ? 0 : r == HW_UNLOCK_FAILED ? -EIO : -ENOTSUP;
}

int st_conn_set_availability(struct station *s, int connector, bool operative)
{
	int first = connector ? connector : 0, last = connector ? connector : s->n_conn;
	bool scheduled = false;
	char key[32];

	for (int i = first; i <= last; i++) {
		struct st_conn *c = &s->conn[i];
		snprintf(key, sizeof(key), "avail.%d", i);
		store_state_set(s->db, key, operative ? "Operative" : "Inoperative");
		if (i > 0 && st_conn_tx_event(s, c, operative ? ST_TXE_OPERATIVE : ST_TXE_INOPERATIVE,
		    NULL, NULL) == 1) {
			scheduled = true;
			continue;
		}
		c->operative = operative;
		if (i > 0)
			hw_station_set_enabled(&s->hw, i, operative, st_now(s));
	}
	st_mark_dirty(s);
	return scheduled ? 1 : 0;
}

/* ---- status for the control socket ----------------------------------------- */

/* The limit that binds: a balancing share under active load balancing is
 * named for the meter budget when that is tighter than the station's
 * (`alb`, or `safe` while the meter's data is lost). */
static const char *binding_name(struct station *s, const struct st_conn *c)
{
	int32_t grid[3];
	bool safe;

	int32_t ems;
	bool ems_safe;

	int32_t scn;

	if (c->binding != SC_SRC_BALANCING)
		return sc_source_name(c->binding);
	if (st_scn_share(s, c->id, &scn) && c->applied_ma >= scn - 100)
		return "scn";
	if (st_grid_ems_limit(s, c->id, &ems, &ems_safe) && c->applied_ma >= ems - 100)
		return ems_safe ? "safe" : "ems";
	if (st_grid_budget(s, grid, &safe)) {
		int32_t station = s->balance_in.budget[1].max_ma[0];
		for (int k = 0; k < 3; k++)
			if (grid[k] < station)
				return safe ? "safe" : "alb";
	}
	return sc_source_name(c->binding);
}

void st_conn_status_json(struct station *s, cJSON *out)
{
	cJSON *arr = cJSON_CreateArray();
	char ts[OCPP_TIME_LEN];

	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		const hw_socket_status *hs = hw_station_status(&s->hw, i);
		cJSON *o = cJSON_CreateObject(), *imp = cJSON_CreateArray();
		int32_t grid[3];
		const char *ec;
		char led[HW_LED_JSON_LEN];

		st_grid_currents(s, i, hs, grid);
		cJSON_AddNumberToObject(o, "id", i);
		cJSON_AddStringToObject(o, "ocpp_status",
		    st_status_name(c->status_known ? c->status : st_derive_status(s, c, hs, &ec)));
		cJSON_AddStringToObject(o, "pilot", hw_pilot_name(hs->pilot));
		cJSON_AddNumberToObject(o, "offered_a", (hs->offered_ma / 100) / 10.0);
		for (int k = 0; k < 3; k++)
			cJSON_AddItemToArray(imp, cJSON_CreateNumber((grid[k] / 100) / 10.0));
		cJSON_AddItemToObject(o, "import_a", imp);
		cJSON_AddNumberToObject(o, "energy_wh", (double)hs->energy_wh);
		if (st_tx_running(&c->tx) && c->tx_has_id)
			cJSON_AddNumberToObject(o, "transaction_id", (double)c->tx_id);
		else
			cJSON_AddNullToObject(o, "transaction_id");
		cJSON_AddBoolToObject(o, "transaction_active", st_tx_running(&c->tx));
		cJSON_AddStringToObject(o, "binding",
		    hs->binding == HW_BIND_CABLE ? "cable" :
		    hs->binding == HW_BIND_SUSPEND ? "suspend" :
		    hs->binding == HW_BIND_FAULT ? "fault" : binding_name(s, c));
		cJSON_AddNumberToObject(o, "applied_a", (c->applied_ma / 100) / 10.0);
		cJSON_AddStringToObject(o, "balancing", sc_balance_reason_name(
		    (enum sc_balance_reason)c->balance_reason));
		cJSON_AddStringToObject(o, "display", hw_display_text(hs->display));
		cJSON_AddRawToObject(o, "led", hw_led_json(hs->display, led));
		cJSON_AddStringToObject(o, "fault", hw_fault_name(hs->fault));
		cJSON_AddBoolToObject(o, "authorized", st_tx_authorized(&c->tx));
		cJSON_AddBoolToObject(o, "operative", c->operative);
		cJSON_AddNumberToObject(o, "cable_a", hs->cable_ma / 1000.0);
		cJSON_AddBoolToObject(o, "locked", hs->locked);
		st_meters_status_json(s, i, o);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddItemToObject(out, "connectors", arr);
	st_grid_status_json(s, out);
	st_scn_status_json(s, out);
	cJSON_AddBoolToObject(out, "online", s->online && s->boot == ST_BOOT_ACCEPTED);
	cJSON_AddStringToObject(out, "boot",
	    s->boot == ST_BOOT_ACCEPTED ? "Accepted" : s->boot == ST_BOOT_PENDING ? "Pending" :
	    s->boot == ST_BOOT_REJECTED ? "Rejected" : "None");
	cJSON_AddNumberToObject(out, "security_profile", cfg_int(&s->cfg, CFG_SECURITY_PROFILE));
	st_timestamp(s, ts);
	cJSON_AddStringToObject(out, "now", ts);
	{
		int n = 0;
		store_queue_count(s->db, &n);
		cJSON_AddNumberToObject(out, "queued_tx_messages", n);
		/* Transaction messages the disk could not take (sender.c). */
		cJSON_AddNumberToObject(out, "memory_tx_messages", s->memtx_count);
		cJSON_AddBoolToObject(out, "storage_fault", s->storage_fault);
	}
}
