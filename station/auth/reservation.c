/*
 * reservation.c - ReserveNow / CancelReservation (OCPP 1.6 §5.13, §5.1) on
 * the station: the snapshot the pure core decides on, persistence, the
 * expiry timer and the hooks connector.c calls.
 *
 * Reservations are kept in the store and reloaded on the first use after a
 * start (the station struct is zeroed, so `loaded` starts false); expired
 * ones are dropped then.  Every change marks the station dirty: the control
 * cycle then reports Reserved / Available with StatusNotification.
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cp_json.h"
#include "cp_log.h"

#define TAG "reservation"

static cJSON *status_reply(const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	return r;
}

static void arm_expiry(struct station *s)
{
	cp_utc_t next = st_resv_next_expiry(&s->authresv.resv);
	int64_t ms;

	if (next.s == CP_UTC_NEVER) {
		st_timer_cancel(s, ST_T_RESERVATION);
		return;
	}
	/* expiryDate is wall-clock time; the timers run on the scaled
	 * monotonic clock, which advances at the same rate. */
	ms = next.s * 1000 - st_utc_ms(s);
	st_timer_arm_in(s, ST_T_RESERVATION, ms > 0 ? ms : 0);
}

static int load_one(void *ctx, const store_reservation *r)
{
	struct st_resv_table *t = ctx;

	if (t->n >= ST_RESV_MAX) {
		CP_WARN(TAG, "reservation %d not reloaded: table full", r->id);
		return 0;
	}
	t->r[t->n++] = *r;
	return 0;
}

/* Brings the table in line with the store once per process. */
static struct st_resv_table *table(struct station *s)
{
	struct st_authresv *a = &s->authresv;
	int ids[ST_RESV_MAX], n, rc;

	if (a->loaded)
		return &a->resv;
	a->loaded = true;
	memset(&a->resv, 0, sizeof(a->resv));
	rc = store_reservation_foreach(s->db, load_one, &a->resv);
	if (rc < 0)
		CP_ERR(TAG, "cannot read reservations (%s): none in force", strerror(-rc));
	n = st_resv_expire(&a->resv, st_utc(s), ids, ST_RESV_MAX);
	for (int i = 0; i < n && i < ST_RESV_MAX; i++) {
		CP_INFO(TAG, "reservation %d expired while the station was down", ids[i]);
		store_reservation_delete(s->db, ids[i]);
	}
	if (a->resv.n)
		CP_INFO(TAG, "%d reservation(s) reloaded", a->resv.n);
	arm_expiry(s);
	return &a->resv;
}

/* The snapshot the core decides on. */
static void view(struct station *s, struct st_resv_view *v)
{
	memset(v, 0, sizeof(*v));
	v->n_conn = s->n_conn;
	v->zero_supported = cfg_bool(&s->cfg, CFG_RESERVE_CONNECTOR_ZERO_SUPPORTED);
	v->station_unavailable = !s->conn[0].operative;
	for (int i = 1; i <= s->n_conn; i++) {
		const struct st_conn *c = &s->conn[i];
		const hw_socket_status *hs = hw_station_status(&s->hw, i);

		if (hs && hs->fault != HW_FAULT_NONE)
			v->conn[i] = ST_RC_FAULTED;
		else if (!c->operative && !st_tx_running(&c->tx))
			v->conn[i] = ST_RC_UNAVAILABLE;
		else if (c->tx.state != ST_TX_IDLE || c->tx.ask != ST_ASK_NONE || c->plugged)
			v->conn[i] = ST_RC_BUSY;
		else
			v->conn[i] = ST_RC_FREE;
	}
}

/* Deletes ended reservations from the store; the table already dropped them. */
static void forget(struct station *s, const int *ids, int n, const char *why)
{
	for (int i = 0; i < n && i < ST_RESV_MAX; i++) {
		int rc = store_reservation_delete(s->db, ids[i]);
		CP_INFO(TAG, "reservation %d ended: %s", ids[i], why);
		if (rc < 0 && rc != -ENOENT)
			CP_ERR(TAG, "reservation %d: cannot delete it (%s)", ids[i], strerror(-rc));
	}
	if (n > 0) {
		arm_expiry(s);
		st_mark_dirty(s);
	}
}

/* ---- inbound actions ------------------------------------------------------ */

/* expiryDate in whole seconds, rounded up: the store keeps seconds, and a
 * reservation must not end before the instant the central system gave. */
static int parse_expiry(const char *text, cp_utc_t *out)
{
	const char *dot = strchr(text, '.');

	if (ocpp_time_parse(text, out) < 0)
		return -EINVAL;
	for (const char *p = dot ? dot + 1 : ""; *p >= '0' && *p <= '9'; p++) {
		if (*p != '0') {
			out->s++;
			break;
		}
	}
	return 0;
}

int st_h_reserve_now(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct st_resv_table *t = table(s), before = *t;
	const char *tag = cJSON_GetStringValue(cJSON_GetObjectItem(req, "idTag"));
	const char *parent = cJSON_GetStringValue(cJSON_GetObjectItem(req, "parentIdTag"));
	const char *expiry = cJSON_GetStringValue(cJSON_GetObjectItem(req, "expiryDate"));
	store_reservation r;
	struct st_resv_view v;
	enum st_resv_status st;
	int64_t id, connector;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!tag || !expiry || parse_expiry(expiry, &r.expiry_utc) < 0) {
		/* The schema validator has run: only a bad date gets here. */
		*err = OCPP_ERR_PROPERTY_CONSTRAINT;
		snprintf(desc, desclen, "expiryDate is not a date-time");
		return -EINVAL;
	}
	/* A schema integer without bounds: a reservationId beyond the stored
	 * int is Rejected (OCPP 1.6 §5.13).  The connectorId was admitted as
	 * one of 0..n (st_actions). */
	if (cp_json_int(req, "reservationId", INT32_MIN, INT32_MAX, &id) < 0 ||
	    cp_json_int(req, "connectorId", INT32_MIN, INT32_MAX, &connector) < 0) {
		CP_INFO(TAG, "ReserveNow: reservationId beyond int: Rejected");
		*resp = status_reply("Rejected");
		return 0;
	}
	r.id = (int)id;
	r.connector = (int)connector;
	snprintf(r.id_tag, sizeof(r.id_tag), "%s", tag);
	snprintf(r.parent_id_tag, sizeof(r.parent_id_tag), "%s", parent ? parent : "");
	view(s, &v);
	st = st_resv_reserve(t, &v, &r, st_utc(s));
	if (st == ST_RESV_ACCEPTED) {
		rc = store_reservation_put(s->db, &r);
		if (rc < 0) {
			CP_ERR(TAG, "ReserveNow %d: cannot store it (%s): Rejected", r.id, strerror(-rc));
			*t = before;
			st = ST_RESV_REJECTED;
		} else {
			CP_INFO(TAG, "reservation %d: connector %d for %s%s%s until %s", r.id,
			    r.connector, r.id_tag, r.parent_id_tag[0] ? " / parent " : "",
			    r.parent_id_tag, expiry);
			arm_expiry(s);
			st_mark_dirty(s);
		}
	} else {
		CP_INFO(TAG, "ReserveNow %d on connector %d: %s", r.id, r.connector,
		    st_resv_status_name(st));
	}
	*resp = status_reply(st_resv_status_name(st));
	return 0;
}

int st_h_cancel_reservation(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct st_resv_table *t = table(s);
	int64_t v;
	int id, rc;

	/* §5.1: Accepted for a reservation we hold, otherwise Rejected; an id
	 * beyond int was never stored. */
	if (cp_json_int(req, "reservationId", INT32_MIN, INT32_MAX, &v) < 0) {
		CP_INFO(TAG, "CancelReservation: reservationId beyond int: no such reservation");
		*resp = status_reply("Rejected");
		return 0;
	}
	id = (int)v;
	if (st_resv_find(t, id) < 0) {
		CP_INFO(TAG, "CancelReservation %d: no such reservation", id);
		*resp = status_reply("Rejected");
		return 0;
	}
	rc = store_reservation_delete(s->db, id);
	if (rc < 0 && rc != -ENOENT) {
		CP_ERR(TAG, "CancelReservation %d: cannot delete it (%s)", id, strerror(-rc));
		*resp = status_reply("Rejected");
		return 0;
	}
	st_resv_remove(t, id);
	CP_INFO(TAG, "reservation %d cancelled", id);
	arm_expiry(s);
	st_mark_dirty(s);
	*resp = status_reply("Accepted");
	return 0;
}

/* ---- timer and hooks ------------------------------------------------------ */

void st_resv_timer(struct station *s)
{
	int ids[ST_RESV_MAX];
	int n = st_resv_expire(table(s), st_utc(s), ids, ST_RESV_MAX);

	/* §5.13: at expiryDate the reservation ends and the connector is
	 * Available again (the status follows from the control cycle). */
	forget(s, ids, n, "expired");
	arm_expiry(s);
}

bool st_resv_conn_reserved(struct station *s, int connector)
{
	struct st_resv_view v;

	view(s, &v);
	return st_resv_held(table(s), &v, connector);
}

void st_resv_conn_down(struct station *s, int connector)
{
	int ids[ST_RESV_MAX];
	int n = st_resv_drop_connector(table(s), connector, ids, ST_RESV_MAX);

	forget(s, ids, n, connector ? "connector Faulted or Unavailable"
	    : "charge point Unavailable");
}

bool st_resv_may_allow(struct station *s, int connector, const char *tag)
{
	struct st_resv_view v;
	store_auth_entry e;

	view(s, &v);
	/* A parent known locally decides now, without asking the central system. */
	if (st_auth_local(s, tag, &e) == 0)
		return st_resv_admits(table(s), &v, connector, tag, e.parent_id_tag, NULL);
	return st_resv_may_admit(table(s), &v, connector, tag);
}

bool st_resv_allows(struct station *s, int connector, const char *tag, const char *parent)
{
	struct st_resv_view v;
	store_auth_entry e;

	view(s, &v);
	if (!parent && st_auth_local(s, tag, &e) == 0)
		return st_resv_admits(table(s), &v, connector, tag, e.parent_id_tag, NULL);
	return st_resv_admits(table(s), &v, connector, tag, parent, NULL);
}

int st_resv_for_start(struct station *s, int connector, const char *tag, const char *parent)
{
	struct st_resv_view v;
	int id = -1;

	view(s, &v);
	st_resv_admits(table(s), &v, connector, tag, parent, &id);
	return id;
}

void st_resv_used(struct station *s, int resv_id)
{
	int ids[1] = { resv_id };

	if (resv_id < 0 || st_resv_remove(table(s), resv_id) < 0)
		return;
	/* §5.13: a transaction started for the reserved idTag ends it; the
	 * StartTransaction.req names it. */
	forget(s, ids, 1, "used by a transaction");
}

int st_resv_connector_for(struct station *s, const char *tag)
{
	struct st_resv_table *t = table(s);

	for (int i = 0; i < t->n; i++)
		if (t->r[i].connector > 0 && strcasecmp(t->r[i].id_tag, tag) == 0)
			return t->r[i].connector;
	return 0;
}
