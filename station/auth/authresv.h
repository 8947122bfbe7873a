/*
 * authresv.h - Local Authorization List management and reservations
 * (OCPP 1.6 §3.5.3, §5.13, §5.15, §5.16, §5.1, feature profiles
 * LocalAuthListManagement and Reservation).
 *
 * Two layers:
 *
 *   resv_core.c   the pure part: the reservation table and every decision
 *                 on it (ReserveNow's answer, which idTag may use a
 *                 connector, which connector a connector-0 reservation holds
 *                 back, expiry) and the reading of a SendLocalList request.
 *                 No clock, no store, no station: `now` and a snapshot of the
 *                 connectors are passed in (tests/test_resv_core.c).
 *   localauth.c   SendLocalList / GetLocalListVersion and the local
 *                 authorization lookup (list before cache, expiry honoured).
 *   reservation.c ReserveNow / CancelReservation, persistence, the expiry
 *                 timer (ST_T_RESERVATION) and the hooks connector.c calls.
 *
 * Ownership: the reservation table lives in struct station (member
 * `authresv`) and mirrors the store's reservation rows; the store is
 * written first, the table after, so a crash never leaves a reservation
 * the central system was not told about.
 */
#ifndef ST_AUTHRESV_H
#define ST_AUTHRESV_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "ocpp/ocpp.h"
#include "storage/store.h"

/* Reservations held at once.  Every accepted reservation holds one
 * connector (its own, or for connector 0 one of the free ones, OCPP 1.6
 * §5.13), so there can never be more than there are connectors. */
#define ST_RESV_MAX CP_MAX_CONNECTORS

/* ---- pure core: reservations ------------------------------------------- */

/* What a reservation decision needs to know of one connector. */
enum st_resv_conn {
	ST_RC_FREE = 0,		/* idle: no EV, no authorization, no transaction */
	ST_RC_BUSY,		/* EV plugged, tag authorized or transaction */
	ST_RC_FAULTED,
	ST_RC_UNAVAILABLE,	/* Inoperative (ChangeAvailability) */
};

struct st_resv_view {
	int n_conn;
	bool zero_supported;		/* ReserveConnectorZeroSupported */
	bool station_unavailable;	/* connector 0 Inoperative */
	enum st_resv_conn conn[CP_MAX_CONNECTORS + 1];	/* [1..n_conn] */
};

struct st_resv_table {
	int n;
	store_reservation r[ST_RESV_MAX];
};

/* ReservationStatus (OCPP 1.6 §7.39). */
enum st_resv_status {
	ST_RESV_ACCEPTED = 0, ST_RESV_FAULTED, ST_RESV_OCCUPIED, ST_RESV_REJECTED,
	ST_RESV_UNAVAILABLE,
};
const char *st_resv_status_name(enum st_resv_status st);

/* ReserveNow.  A reservation with the id of an existing one replaces it
 * (it is judged as if the old one were gone; refused, the old one stays).
 * Accepted: *t holds r.  Anything else: *t is unchanged. */
enum st_resv_status st_resv_reserve(struct st_resv_table *t, const struct st_resv_view *v,
    const store_reservation *r, cp_utc_t now);
/* Removes reservation id: 0 or -ENOENT. */
int st_resv_remove(struct st_resv_table *t, int id);
/* Index of reservation id in t->r, or -1. */
int st_resv_find(const struct st_resv_table *t, int id);

/* May `tag` (whose parentIdTag is `parent`, NULL or "" for none) use
 * `connector`?  A reserved connector admits only the reservation's idTag or
 * parentIdTag (§5.13); a connector-0 reservation keeps one free connector
 * for its idTag, so another tag may take a connector only if enough free
 * ones remain.  *resv_id (may be NULL) receives the reservation the tag
 * would use (a transaction started so ends it), or -1. */
bool st_resv_admits(const struct st_resv_table *t, const struct st_resv_view *v,
    int connector, const char *tag, const char *parent, int *resv_id);
/* Like st_resv_admits before the tag's parent is known: true if the tag is
 * admitted, or could be once its parentIdTag matches a reservation's. */
bool st_resv_may_admit(const struct st_resv_table *t, const struct st_resv_view *v,
    int connector, const char *tag);
/* Is the connector held for a reservation, i.e. reports Reserved: it has
 * its own reservation, or it is free and every free connector is needed
 * by the connector-0 reservations. */
bool st_resv_held(const struct st_resv_table *t, const struct st_resv_view *v, int connector);
/* Removes the reservations that end at or before now; their ids go to
 * ids[0..max) and the count removed is returned. */
int st_resv_expire(struct st_resv_table *t, cp_utc_t now, int *ids, int max);
/* Removes the reservations of one connector (0: the connector-0 ones), which
 * end when it becomes Faulted or Unavailable (§5.13); like st_resv_expire. */
int st_resv_drop_connector(struct st_resv_table *t, int connector, int *ids, int max);
/* Earliest expiryDate, or CP_UTC_NEVER when the table is empty. */
cp_utc_t st_resv_next_expiry(const struct st_resv_table *t);

/* ---- pure core: SendLocalList ------------------------------------------ */

struct st_llist_req {
	bool full;			/* updateType Full (else Differential) */
	int version;			/* listVersion */
	size_t n;			/* entries used */
};

/* Reads a schema-valid SendLocalList.req into entries[0..cap).  Returns 0,
 * -E2BIG (more than cap entries: SendLocalListMaxLength), -ENODATA (an
 * entry of a Full update has no idTagInfo: OccurenceConstraintViolation),
 * -EINVAL (an idTag twice, a negative listVersion, a bad expiryDate); why
 * says which. */
int st_llist_parse(const cJSON *req, store_auth_entry *entries, size_t cap,
    struct st_llist_req *out, char *why, size_t whylen);
/* The status a stored list or cache entry stands for at `now`: an Accepted
 * entry past its expiryDate is Expired (OCPP 1.6 §7.15 IdTagInfo). */
const char *st_auth_entry_status(const store_auth_entry *e, cp_utc_t now);
/* GetLocalListVersion's answer for a stored version and entry count: 0 for
 * an empty list (OCPP 1.6 §6.21: 0 means empty). */
int st_llist_reported_version(int stored_version, int count);

/* ---- station glue ------------------------------------------------------- */

struct station;

struct st_authresv {
	bool loaded;			/* reservations read from the store */
	struct st_resv_table resv;
};

/* localauth.c: the inbound actions, and the local lookup connector.c uses:
 * the Local Authorization List (when LocalAuthListEnabled) before the
 * Authorization Cache (when AuthorizationCacheEnabled); *out gets the
 * entry with its status made effective (Expired past expiryDate).
 * 0 or -ENOENT (in neither). */
int st_h_send_local_list(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_h_get_local_list_version(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_auth_local(struct station *s, const char *tag, store_auth_entry *out);

/* reservation.c */
int st_h_reserve_now(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_h_cancel_reservation(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
/* ST_T_RESERVATION fired: ends the expired reservations. */
void st_resv_timer(struct station *s);
/* Hooks of connector.c.  conn_reserved: the idle connector reports
 * Reserved.  conn_down: the connector (0: the station) is Faulted or
 * Unavailable, its reservations end.  may_allow: before authorizing (the
 * parent may still come with Authorize.conf).  allows: with the parent
 * known (NULL: look it up locally).  for_start: the reservation a
 * transaction of tag on connector ends (-1: none); used: it started. */
bool st_resv_conn_reserved(struct station *s, int connector);
void st_resv_conn_down(struct station *s, int connector);
bool st_resv_may_allow(struct station *s, int connector, const char *tag);
bool st_resv_allows(struct station *s, int connector, const char *tag, const char *parent);
int st_resv_for_start(struct station *s, int connector, const char *tag, const char *parent);
void st_resv_used(struct station *s, int resv_id);
/* The connector reserved for tag by a connector-specific reservation, or 0. */
int st_resv_connector_for(struct station *s, const char *tag);

#endif
