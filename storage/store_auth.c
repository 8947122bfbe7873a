/*
 * store_auth.c - the store's records of who may charge and what the CSMS
 * set: charging profiles, the Local Authorization List and the
 * authorization cache, reservations and the security event log.
 * Statements and the handle come from store.c (store_int.h).
 */
#include "storage/store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "cp_log.h"
#include "storage/store_int.h"

#define TAG "store"

/* The key of the list version in meta. */
static const char META_LIST_VERSION[] = "auth_list_version";

/* ---- profiles --------------------------------------------------------- */

int store_profile_put(store *st, int id, int connector, const char *json_text)
{
	if (!store__str_ok(json_text, STORE_MAX_PAYLOAD) || connector < 0)
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_PROF_PUT);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, id);
	sqlite3_bind_int(s, 2, connector);
	store__bind_text(s, 3, json_text);
	return store__run(st, s, "profile put");
}

int store_profile_delete(store *st, int id)
{
	sqlite3_stmt *s = store__prep(st, S_PROF_DEL);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, id);
	return store__run_one(st, s, "profile delete");
}

int store_profile_clear(store *st)
{
	return store__run(st, store__prep(st, S_PROF_CLEAR), "profile clear");
}

int store_profile_foreach(store *st, store_profile_cb cb, void *ctx)
{
	int64_t last = INT64_MIN;

	if (!cb)
		return -EINVAL;
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_PROF_NEXT);
		if (!s)
			return st->prep_rc;
		sqlite3_bind_int64(s, 1, last);
		int rc = store__row(st, s, "profile foreach");
		if (rc <= 0)
			return rc;
		int id = sqlite3_column_int(s, 0);
		int connector = sqlite3_column_int(s, 1);
		rc = store__copy_text(s, 2, st->json_buf, STORE_MAX_PAYLOAD + 1);
		sqlite3_reset(s);
		if (rc < 0) {
			CP_ERR(TAG, "profile foreach: profile %d is larger than a frame", id);
			return -EBADMSG;
		}
		last = id;
		rc = cb(ctx, id, connector, st->json_buf);
		if (rc)
			return rc;
	}
}

/* ---- Local Authorization List and cache ------------------------------- */

static void auth_from_row(sqlite3_stmt *s, store_auth_entry *e)
{
	memset(e, 0, sizeof(*e));
	store__copy_text(s, 0, e->id_tag, sizeof(e->id_tag));
	store__copy_text(s, 1, e->status, sizeof(e->status));
	e->has_expiry = sqlite3_column_type(s, 2) != SQLITE_NULL;
	e->expiry_utc = cp_utc(sqlite3_column_int64(s, 2));
	store__copy_text(s, 3, e->parent_id_tag, sizeof(e->parent_id_tag));
}

static bool entry_ok(const store_auth_entry *e, bool removal_allowed)
{
	if (!e->id_tag[0] || !store__str_ok(e->id_tag, CP_MAX_ID_TAG))
		return false;
	if (e->remove)
		return removal_allowed;
	return e->status[0] && store__str_ok(e->status, STORE_STATUS_LEN - 1) &&
	       store__str_ok(e->parent_id_tag, CP_MAX_ID_TAG);
}

static int auth_put(store *st, enum stmt id, const store_auth_entry *e)
{
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, e->id_tag);
	store__bind_text(s, 2, e->status);
	if (e->has_expiry)
		sqlite3_bind_int64(s, 3, e->expiry_utc.s);
	store__bind_text(s, 4, e->parent_id_tag[0] ? e->parent_id_tag : NULL);
	return store__run(st, s, "auth put");
}

static int auth_lookup(store *st, enum stmt id, const char *id_tag, store_auth_entry *out)
{
	if (!id_tag || !id_tag[0] || !store__str_ok(id_tag, CP_MAX_ID_TAG))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, id_tag);
	int rc = store__row(st, s, "auth lookup");
	if (rc <= 0)
		return rc < 0 ? rc : -ENOENT;
	if (out)
		auth_from_row(s, out);
	sqlite3_reset(s);
	return 0;
}

static int meta_set(store *st, const char *key, int64_t value)
{
	sqlite3_stmt *s = store__prep(st, S_META_SET);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, value);
	return store__run(st, s, "meta set");
}

int store_list_version(store *st, int *version)
{
	if (!version)
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_META_GET);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, META_LIST_VERSION);
	int rc = store__row(st, s, "list version");
	if (rc < 0)
		return rc;
	*version = rc ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return 0;
}

/* Applies entries and the version; the caller holds the savepoint. */
static int list_apply(store *st, int version, const store_auth_entry *entries,
		      size_t n, size_t max_entries)
{
	int rc = 0, count;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (entries[i].remove) {
			sqlite3_stmt *s = store__prep(st, S_LIST_DEL);
			if (!s)
				return st->prep_rc;
			store__bind_text(s, 1, entries[i].id_tag);
			rc = store__run(st, s, "list delete");
		} else {
			rc = auth_put(st, S_LIST_PUT, &entries[i]);
		}
	}
	if (rc == 0)
		rc = store__count_query(st, S_LIST_COUNT, &count, "list count");
	if (rc == 0 && (size_t)count > max_entries) {
		CP_WARN(TAG, "local list would hold %d entries, more than %zu: not changed",
			count, max_entries);
		rc = -E2BIG;
	}
	if (rc == 0)
		rc = meta_set(st, META_LIST_VERSION, version);
	return rc;
}

int store_list_replace(store *st, int version, const store_auth_entry *entries,
		       size_t n, size_t max_entries)
{
	if (n && !entries)
		return -EINVAL;
	if (n > max_entries)
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		if (!entry_ok(&entries[i], false))
			return -EINVAL;
	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	rc = store__run(st, store__prep(st, S_LIST_CLEAR), "list clear");
	if (rc == 0)
		rc = list_apply(st, version, entries, n, max_entries);
	return store__op_end(st, rc);
}

int store_list_update(store *st, int version, const store_auth_entry *entries,
		      size_t n, size_t max_entries)
{
	if (n && !entries)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!entry_ok(&entries[i], true))
			return -EINVAL;
	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	rc = list_apply(st, version, entries, n, max_entries);
	return store__op_end(st, rc);
}

int store_list_lookup(store *st, const char *id_tag, store_auth_entry *out)
{
	return auth_lookup(st, S_LIST_GET, id_tag, out);
}

int store_list_count(store *st, int *count)
{
	if (!count)
		return -EINVAL;
	return store__count_query(st, S_LIST_COUNT, count, "list count");
}

int store_cache_put(store *st, const store_auth_entry *entry)
{
	if (!entry || !entry_ok(entry, false))
		return -EINVAL;
	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	rc = auth_put(st, S_CACHE_PUT, entry);
	if (rc == 0) {
		sqlite3_stmt *s = store__prep(st, S_CACHE_TRIM);
		if (s)
			sqlite3_bind_int(s, 1, CP_MAX_AUTH_CACHE);
		rc = store__run(st, s, "cache trim");
	}
	return store__op_end(st, rc);
}

int store_cache_lookup(store *st, const char *id_tag, store_auth_entry *out)
{
	return auth_lookup(st, S_CACHE_GET, id_tag, out);
}

int store_cache_delete(store *st, const char *id_tag)
{
	if (!id_tag || !store__str_ok(id_tag, CP_MAX_ID_TAG))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_CACHE_DEL);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, id_tag);
	return store__run_one(st, s, "cache delete");
}

int store_cache_clear(store *st)
{
	return store__run(st, store__prep(st, S_CACHE_CLEAR), "cache clear");
}

int store_cache_count(store *st, int *count)
{
	if (!count)
		return -EINVAL;
	return store__count_query(st, S_CACHE_COUNT, count, "cache count");
}

/* ---- reservations ----------------------------------------------------- */

static void res_from_row(sqlite3_stmt *s, store_reservation *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int(s, 0);
	r->connector = sqlite3_column_int(s, 1);
	store__copy_text(s, 2, r->id_tag, sizeof(r->id_tag));
	store__copy_text(s, 3, r->parent_id_tag, sizeof(r->parent_id_tag));
	r->expiry_utc = cp_utc(sqlite3_column_int64(s, 4));
}

int store_reservation_put(store *st, const store_reservation *r)
{
	if (!r || r->connector < 0 || !r->id_tag[0] || !store__str_ok(r->id_tag, CP_MAX_ID_TAG) ||
	    !store__str_ok(r->parent_id_tag, CP_MAX_ID_TAG))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_RES_PUT);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, r->id);
	sqlite3_bind_int(s, 2, r->connector);
	store__bind_text(s, 3, r->id_tag);
	store__bind_text(s, 4, r->parent_id_tag[0] ? r->parent_id_tag : NULL);
	sqlite3_bind_int64(s, 5, r->expiry_utc.s);
	return store__run(st, s, "reservation put");
}

int store_reservation_get(store *st, int id, store_reservation *out)
{
	sqlite3_stmt *s = store__prep(st, S_RES_GET);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, id);
	int rc = store__row(st, s, "reservation get");
	if (rc <= 0)
		return rc < 0 ? rc : -ENOENT;
	if (out)
		res_from_row(s, out);
	sqlite3_reset(s);
	return 0;
}

int store_reservation_delete(store *st, int id)
{
	sqlite3_stmt *s = store__prep(st, S_RES_DEL);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, id);
	return store__run_one(st, s, "reservation delete");
}

int store_reservation_foreach(store *st, store_reservation_cb cb, void *ctx)
{
	store_reservation r;
	int64_t last = INT64_MIN;

	if (!cb)
		return -EINVAL;
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_RES_NEXT);
		if (!s)
			return st->prep_rc;
		sqlite3_bind_int64(s, 1, last);
		int rc = store__row(st, s, "reservation foreach");
		if (rc <= 0)
			return rc;
		res_from_row(s, &r);
		sqlite3_reset(s);
		last = r.id;
		rc = cb(ctx, &r);
		if (rc)
			return rc;
	}
}

/* ---- security log ----------------------------------------------------- */

int store_seclog_add(store *st, cp_utc_t utc, const char *type, const char *tech_info)
{
	if (!type || !type[0] || !store__str_ok(type, STORE_SECLOG_TYPE_LEN - 1) ||
	    (tech_info && !store__str_ok(tech_info, STORE_SECLOG_INFO_LEN - 1)))
		return -EINVAL;
	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store__prep(st, S_SEC_ADD);
	if (s) {
		sqlite3_bind_int64(s, 1, utc.s);
		store__bind_text(s, 2, type);
		store__bind_text(s, 3, tech_info && tech_info[0] ? tech_info : NULL);
	}
	rc = store__run(st, s, "seclog add");
	if (rc == 0) {
		s = store__prep(st, S_SEC_TRIM);
		if (s)
			sqlite3_bind_int(s, 1, CP_MAX_SECLOG);
		rc = store__run(st, s, "seclog trim");
	}
	return store__op_end(st, rc);
}

int store_seclog_foreach(store *st, cp_utc_t from, cp_utc_t to, store_seclog_cb cb, void *ctx)
{
	store_seclog_event ev;
	int64_t last = INT64_MIN;

	if (!cb)
		return -EINVAL;
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_SEC_NEXT);
		if (!s)
			return st->prep_rc;
		sqlite3_bind_int64(s, 1, last);
		sqlite3_bind_int64(s, 2, from.s);
		sqlite3_bind_int64(s, 3, to.s);
		int rc = store__row(st, s, "seclog foreach");
		if (rc <= 0)
			return rc;
		memset(&ev, 0, sizeof(ev));
		ev.seq = sqlite3_column_int64(s, 0);
		ev.utc = cp_utc(sqlite3_column_int64(s, 1));
		store__copy_text(s, 2, ev.type, sizeof(ev.type));
		store__copy_text(s, 3, ev.tech_info, sizeof(ev.tech_info));
		sqlite3_reset(s);
		last = ev.seq;
		rc = cb(ctx, &ev);
		if (rc)
			return rc;
	}
}

int store_seclog_count(store *st, int *count)
{
	if (!count)
		return -EINVAL;
	return store__count_query(st, S_SEC_COUNT, count, "seclog count");
}
