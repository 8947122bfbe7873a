/*
 * resv_core.c - the pure part of reservations and of SendLocalList: decisions
 * on a snapshot of the connectors, the reservation table and `now`, nothing
 * else (see authresv.h).
 */
#include "station/auth/authresv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cp_json.h"

static const char *const resv_status_names[] = {
	[ST_RESV_ACCEPTED] = "Accepted",
	[ST_RESV_FAULTED] = "Faulted",
	[ST_RESV_OCCUPIED] = "Occupied",
	[ST_RESV_REJECTED] = "Rejected",
	[ST_RESV_UNAVAILABLE] = "Unavailable",
};

const char *st_resv_status_name(enum st_resv_status st)
{
	return (unsigned)st <= ST_RESV_UNAVAILABLE ? resv_status_names[st] : "Rejected";
}

/* IdToken is a CiString: compared case-insensitively (OCPP 1.6 §7.27). */
static bool tag_eq(const char *a, const char *b)
{
	return a && b && a[0] && b[0] && strcasecmp(a, b) == 0;
}

int st_resv_find(const struct st_resv_table *t, int id)
{
	for (int i = 0; i < t->n; i++)
		if (t->r[i].id == id)
			return i;
	return -1;
}

int st_resv_remove(struct st_resv_table *t, int id)
{
	int i = st_resv_find(t, id);

	if (i < 0)
		return -ENOENT;
	t->r[i] = t->r[--t->n];
	return 0;
}

/* The reservation of one connector (not connector 0), or -1. */
static int specific_on(const struct st_resv_table *t, int connector)
{
	for (int i = 0; i < t->n; i++)
		if (connector > 0 && t->r[i].connector == connector)
			return i;
	return -1;
}

static int zero_count(const struct st_resv_table *t)
{
	int z = 0;

	for (int i = 0; i < t->n; i++)
		z += t->r[i].connector == 0;
	return z;
}

/* Free connectors without a reservation of their own, except one. */
static int free_unreserved(const struct st_resv_table *t, const struct st_resv_view *v,
    int except)
{
	int f = 0;

	for (int i = 1; i <= v->n_conn; i++)
		if (i != except && v->conn[i] == ST_RC_FREE && specific_on(t, i) < 0)
			f++;
	return f;
}

/* §5.13: "the incoming idTag or the parent idTag match the idTag or parent
 * idTag of the reservation". */
static bool resv_match(const store_reservation *r, const char *tag, const char *parent)
{
	return tag_eq(tag, r->id_tag) || tag_eq(parent, r->id_tag) ||
	    tag_eq(tag, r->parent_id_tag) || tag_eq(parent, r->parent_id_tag);
}

static enum st_resv_status judge_connector(const struct st_resv_table *t,
    const struct st_resv_view *v, int c)
{
	switch (v->conn[c]) {
	case ST_RC_FAULTED:
		return ST_RESV_FAULTED;
	case ST_RC_UNAVAILABLE:
		return ST_RESV_UNAVAILABLE;
	case ST_RC_BUSY:
		return ST_RESV_OCCUPIED;
	case ST_RC_FREE:
		break;
	default:
		return ST_RESV_REJECTED;
	}
	if (v->station_unavailable)
		return ST_RESV_UNAVAILABLE;
	/* Reserved already, for the same or another idTag: Occupied (§5.13). */
	if (specific_on(t, c) >= 0)
		return ST_RESV_OCCUPIED;
	/* Taking this connector would break a connector-0 reservation's
	 * promise of a free connector. */
	if (free_unreserved(t, v, c) < zero_count(t))
		return ST_RESV_OCCUPIED;
	return ST_RESV_ACCEPTED;
}

static enum st_resv_status judge_station(const struct st_resv_table *t,
    const struct st_resv_view *v)
{
	bool all_faulted = true, all_down = true;

	if (!v->zero_supported)
		return ST_RESV_REJECTED;
	if (v->station_unavailable)
		return ST_RESV_UNAVAILABLE;
	if (free_unreserved(t, v, -1) > zero_count(t))
		return ST_RESV_ACCEPTED;
	for (int i = 1; i <= v->n_conn; i++) {
		all_faulted = all_faulted && v->conn[i] == ST_RC_FAULTED;
		all_down = all_down && (v->conn[i] == ST_RC_FAULTED || v->conn[i] == ST_RC_UNAVAILABLE);
	}
	if (v->n_conn > 0 && all_faulted)
		return ST_RESV_FAULTED;
	if (v->n_conn > 0 && all_down)
		return ST_RESV_UNAVAILABLE;
	return ST_RESV_OCCUPIED;
}

enum st_resv_status st_resv_reserve(struct st_resv_table *t, const struct st_resv_view *v,
    const store_reservation *r, cp_utc_t now)
{
	struct st_resv_table rest = *t;
	enum st_resv_status st;

	if (!r || r->connector < 0 || r->connector > v->n_conn || !r->id_tag[0])
		return ST_RESV_REJECTED;
	st_resv_remove(&rest, r->id);	/* same id: replaced (§5.13) */
	st = r->connector == 0 ? judge_station(&rest, v) : judge_connector(&rest, v, r->connector);
	if (st != ST_RESV_ACCEPTED)
		return st;
	/* Already over: nothing to hold (not a case the spec names). */
	if (r->expiry_utc.s <= now.s || rest.n >= ST_RESV_MAX)
		return ST_RESV_REJECTED;
	rest.r[rest.n++] = *r;
	*t = rest;
	return ST_RESV_ACCEPTED;
}

bool st_resv_admits(const struct st_resv_table *t, const struct st_resv_view *v,
    int connector, const char *tag, const char *parent, int *resv_id)
{
	int k = specific_on(t, connector), z = zero_count(t);
	int dummy;

	if (!resv_id)
		resv_id = &dummy;
	*resv_id = -1;
	if (k >= 0) {
		if (!resv_match(&t->r[k], tag, parent))
			return false;
		*resv_id = t->r[k].id;
		return true;
	}
	if (z == 0)
		return true;
	for (int i = 0; i < t->n; i++) {
		if (t->r[i].connector == 0 && resv_match(&t->r[i], tag, parent)) {
			*resv_id = t->r[i].id;
			return true;
		}
	}
	/* Someone else: only while enough free connectors stay for the
	 * connector-0 reservations without this one. */
	return free_unreserved(t, v, connector) >= z;
}

bool st_resv_may_admit(const struct st_resv_table *t, const struct st_resv_view *v,
    int connector, const char *tag)
{
	int k = specific_on(t, connector);

	if (st_resv_admits(t, v, connector, tag, NULL, NULL))
		return true;
	if (k >= 0)
		return t->r[k].parent_id_tag[0] != '\0';
	for (int i = 0; i < t->n; i++)
		if (t->r[i].connector == 0 && t->r[i].parent_id_tag[0])
			return true;
	return false;
}

bool st_resv_held(const struct st_resv_table *t, const struct st_resv_view *v, int connector)
{
	int z;

	if (connector < 1 || connector > v->n_conn)
		return false;
	if (specific_on(t, connector) >= 0)
		return true;
	z = zero_count(t);
	return z > 0 && v->conn[connector] == ST_RC_FREE && free_unreserved(t, v, -1) <= z;
}

/* Removes every reservation for which pred holds; ids out as documented. */
static int remove_where(struct st_resv_table *t, bool (*pred)(const store_reservation *, int64_t),
    int64_t arg, int *ids, int max)
{
	int n = 0;

	for (int i = 0; i < t->n;) {
		if (!pred(&t->r[i], arg)) {
			i++;
			continue;
		}
		if (ids && n < max)
			ids[n] = t->r[i].id;
		n++;
		t->r[i] = t->r[--t->n];
	}
	return n;
}

static bool ended_by(const store_reservation *r, int64_t now)
{
	return r->expiry_utc.s <= now;
}

static bool on_connector(const store_reservation *r, int64_t connector)
{
	return r->connector == connector;
}

int st_resv_expire(struct st_resv_table *t, cp_utc_t now, int *ids, int max)
{
	return remove_where(t, ended_by, now.s, ids, max);
}

int st_resv_drop_connector(struct st_resv_table *t, int connector, int *ids, int max)
{
	return remove_where(t, on_connector, connector, ids, max);
}

cp_utc_t st_resv_next_expiry(const struct st_resv_table *t)
{
	cp_utc_t next = cp_utc(CP_UTC_NEVER);

	for (int i = 0; i < t->n; i++)
		if (t->r[i].expiry_utc.s < next.s)
			next = t->r[i].expiry_utc;
	return next;
}

/* ---- SendLocalList ------------------------------------------------------ */

int st_llist_parse(const cJSON *req, store_auth_entry *entries, size_t cap,
    struct st_llist_req *out, char *why, size_t whylen)
{
	int64_t ver;
	int vrc = cp_json_int(req, "listVersion", INT32_MIN, INT32_MAX, &ver);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(req, "updateType"));
	const cJSON *list = cJSON_GetObjectItem(req, "localAuthorizationList"), *it;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (vrc == -ERANGE) {
		snprintf(why, whylen, "listVersion is beyond int");
		return -EINVAL;
	}
	if (vrc < 0 || !type) {
		snprintf(why, whylen, "listVersion and updateType are required");
		return -ENODATA;
	}
	out->full = strcmp(type, "Full") == 0;
	out->version = (int)ver;
	/* -1 is GetLocalListVersion's "not supported"; no list has it. */
	if (out->version < 0) {
		snprintf(why, whylen, "listVersion %d is negative", out->version);
		return -EINVAL;
	}
	if (list && (size_t)cJSON_GetArraySize(list) > cap) {
		snprintf(why, whylen, "%d entries, more than SendLocalListMaxLength (%zu)",
		    cJSON_GetArraySize(list), cap);
		return -E2BIG;
	}
	cJSON_ArrayForEach(it, list) {
		const char *tag = cJSON_GetStringValue(cJSON_GetObjectItem(it, "idTag"));
		const cJSON *info = cJSON_GetObjectItem(it, "idTagInfo");
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(info, "status"));
		const char *expiry = cJSON_GetStringValue(cJSON_GetObjectItem(info, "expiryDate"));
		const char *parent = cJSON_GetStringValue(cJSON_GetObjectItem(info, "parentIdTag"));
		store_auth_entry *e = &entries[n];

		if (!tag || strlen(tag) > CP_MAX_ID_TAG) {
			snprintf(why, whylen, "entry %zu has no valid idTag", n);
			return -EINVAL;
		}
		memset(e, 0, sizeof(*e));
		snprintf(e->id_tag, sizeof(e->id_tag), "%s", tag);
		/* §6.38: idTagInfo is required in a Full update; absent in a
		 * Differential one it removes the entry. */
		if (!info) {
			if (out->full) {
				snprintf(why, whylen, "entry %s of a Full update has no idTagInfo", tag);
				return -ENODATA;
			}
			e->remove = true;
		} else {
			if (!status || strlen(status) >= sizeof(e->status)) {
				snprintf(why, whylen, "entry %s has no valid idTagInfo.status", tag);
				return -EINVAL;
			}
			snprintf(e->status, sizeof(e->status), "%s", status);
			if (expiry) {
				if (ocpp_time_parse(expiry, &e->expiry_utc) < 0) {
					snprintf(why, whylen, "entry %s: expiryDate %s is not a date-time", tag, expiry);
					return -EINVAL;
				}
				e->has_expiry = true;
			}
			if (parent && strlen(parent) > CP_MAX_ID_TAG) {
				snprintf(why, whylen, "entry %s: parentIdTag too long", tag);
				return -EINVAL;
			}
			snprintf(e->parent_id_tag, sizeof(e->parent_id_tag), "%s", parent ? parent : "");
		}
		/* One idTag once: a list that names a card twice says two
		 * different things about it. */
		for (size_t j = 0; j < n; j++) {
			if (strcasecmp(entries[j].id_tag, e->id_tag) == 0) {
				snprintf(why, whylen, "idTag %s appears twice", tag);
				return -EINVAL;
			}
		}
		n++;
	}
	out->n = n;
	return 0;
}

const char *st_auth_entry_status(const store_auth_entry *e, cp_utc_t now)
{
	if (strcmp(e->status, "Accepted") == 0 && e->has_expiry && e->expiry_utc.s <= now.s)
		return "Expired";
	return e->status;
}

int st_llist_reported_version(int stored_version, int count)
{
	return count == 0 ? 0 : stored_version;
}
