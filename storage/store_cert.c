/*
 * store_cert.c - installed certificates (store.h, "installed certificates").
 * PEM text by type; what a certificate must be is decided before it gets
 * here (station/security/cert.c).
 */
#include "storage/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "storage/store_int.h"

static bool type_ok(const char *type)
{
	return type && type[0] && store__str_ok(type, STORE_CERT_TYPE_LEN - 1);
}

static int count_type(store *st, const char *type, int *count)
{
	sqlite3_stmt *s = store__prep(st, S_CERT_COUNT);

	if (!s)
		return st->prep_rc;
	if (type)
		store__bind_text(s, 1, type);
	else
		sqlite3_bind_null(s, 1);
	int rc = store__row(st, s, "cert count");
	if (rc < 0)
		return rc;
	*count = rc ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return 0;
}

/* The id of the same (type, pem), 0 if none. */
static int find(store *st, const char *type, const char *pem, int64_t *id)
{
	sqlite3_stmt *s = store__prep(st, S_CERT_FIND);

	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, type);
	store__bind_text(s, 2, pem);
	int rc = store__row(st, s, "cert find");
	if (rc < 0)
		return rc;
	*id = rc ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return 0;
}

static int insert(store *st, const char *type, const char *pem, int64_t *id)
{
	sqlite3_stmt *s = store__prep(st, S_CERT_ADD);

	if (s) {
		store__bind_text(s, 1, type);
		store__bind_text(s, 2, pem);
	}
	int rc = store__run(st, s, "cert add");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_cert_add(store *st, const char *type, const char *pem,
		   const char *const *counted, int max_total, int64_t *id)
{
	int64_t found = 0;
	int total = 0, n, rc;

	if (!type_ok(type) || !pem || !pem[0] || !store__str_ok(pem, STORE_MAX_CERT_PEM))
		return -EINVAL;
	rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	rc = find(st, type, pem, &found);
	if (rc == 0 && found) {
		if (id)
			*id = found;
		rc = -EEXIST;
	}
	if (rc == 0 && max_total > 0) {
		if (!counted) {
			rc = count_type(st, type, &total);
		} else {
			for (size_t i = 0; rc == 0 && counted[i]; i++) {
				rc = count_type(st, counted[i], &n);
				total += rc == 0 ? n : 0;
			}
		}
		if (rc == 0 && total >= max_total)
			rc = -E2BIG;
	}
	if (rc == 0)
		rc = insert(st, type, pem, id);
	/* -EEXIST and -E2BIG change nothing: end the savepoint as a success. */
	if (rc == -EEXIST || rc == -E2BIG) {
		int end = store__op_end(st, 0);
		return end < 0 ? end : rc;
	}
	return store__op_end(st, rc);
}

int store_cert_replace(store *st, const char *type, const char *pem, int64_t *id)
{
	if (!type_ok(type) || !pem || !pem[0] || !store__str_ok(pem, STORE_MAX_CERT_PEM))
		return -EINVAL;
	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store__prep(st, S_CERT_DEL_TYPE);
	if (s)
		store__bind_text(s, 1, type);
	rc = store__run(st, s, "cert replace");
	if (rc == 0)
		rc = insert(st, type, pem, id);
	return store__op_end(st, rc);
}

int store_cert_delete(store *st, int64_t id)
{
	sqlite3_stmt *s = store__prep(st, S_CERT_DEL);

	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, id);
	int rc = store__run(st, s, "cert delete");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
	return rc;
}

static int cert_loop(store *st, const char *type, store_cert_cb cb, void *ctx,
		     char *t, char *pem, int64_t last);

int store_cert_foreach(store *st, const char *type, store_cert_cb cb, void *ctx)
{
	char t[STORE_CERT_TYPE_LEN];
	int64_t last = 0;
	char *pem;
	int rc;

	if (!cb || (type && !type_ok(type)))
		return -EINVAL;
	/* Per call, so that a callback may iterate again (nested foreach). */
	pem = malloc(STORE_MAX_CERT_PEM + 1);
	if (!pem)
		return -ENOMEM;
	rc = cert_loop(st, type, cb, ctx, t, pem, last);
	free(pem);
	return rc;
}

static int cert_loop(store *st, const char *type, store_cert_cb cb, void *ctx,
		     char *t, char *pem, int64_t last)
{
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_CERT_NEXT);
		if (!s)
			return st->prep_rc;
		sqlite3_bind_int64(s, 1, last);
		if (type)
			store__bind_text(s, 2, type);
		else
			sqlite3_bind_null(s, 2);
		int rc = store__row(st, s, "cert foreach");
		if (rc <= 0)
			return rc;
		last = sqlite3_column_int64(s, 0);
		rc = store__copy_text(s, 1, t, STORE_CERT_TYPE_LEN);
		if (rc == 0)
			rc = store__copy_text(s, 2, pem, STORE_MAX_CERT_PEM + 1);
		sqlite3_reset(s);
		if (rc < 0)
			continue;	/* a row this build cannot hold: skipped */
		rc = cb(ctx, last, t, pem);
		if (rc)
			return rc;
	}
}

int store_cert_count(store *st, const char *type, int *count)
{
	if (!count || (type && !type_ok(type)))
		return -EINVAL;
	return count_type(st, type, count);
}
