/*
 * store.c - the SQLite store: prepared statements, errors, batches and the
 * configuration and state tables.
 *
 * Every statement is prepared once, on its first use, from the table below
 * and reused; values only ever travel as bound parameters.  Multi-row
 * operations run inside a SAVEPOINT so they are atomic both alone and
 * inside a caller's store_begin batch.  The records built on these
 * helpers (store_int.h) live in store_tx.c and store_auth.c; opening a
 * file, its permissions and its migrations in store_open.c.
 */
#include "storage/store.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cp_log.h"
#include "storage/store_int.h"
#include "storage/store_test.h"

#define TAG "store"


#define TX_COLS "local_id, connector, id_tag, meter_start_wh, start_utc, reservation_id, " \
	"transaction_id, meter_last_wh, meter_last_utc, ended, meter_stop_wh, stop_utc, " \
	"reason, stop_id_tag"
#define AUTH_COLS "id_tag, status, expiry_utc, parent_id_tag"
#define RES_COLS "id, connector, id_tag, parent_id_tag, expiry_utc"

/* The schema version that introduced each statement's tables: a handle
 * opened below the latest version (tests only) prepares only those it can. */
static const unsigned char stmt_since[S_COUNT] = {
	[S_META_GET ... S_RES_NEXT] = 2,
	[S_SEC_ADD ... S_SEC_COUNT] = 3,
	[S_CERT_ADD ... S_CERT_COUNT] = 4,
};

static const char *const stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SP_BEGIN] = "SAVEPOINT store_op",
	[S_SP_RELEASE] = "RELEASE store_op",
	[S_SP_ROLLBACK] = "ROLLBACK TO store_op",

	[S_CONFIG_GET] = "SELECT value FROM config WHERE key = ?1",
	[S_CONFIG_SET] = "INSERT INTO config(key, value) VALUES(?1, ?2) "
			 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_CONFIG_DEL] = "DELETE FROM config WHERE key = ?1",
	[S_CONFIG_NEXT] = "SELECT key, value FROM config WHERE key > ?1 ORDER BY key LIMIT 1",
	[S_STATE_GET] = "SELECT value FROM state WHERE key = ?1",
	[S_STATE_SET] = "INSERT INTO state(key, value) VALUES(?1, ?2) "
			"ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_STATE_DEL] = "DELETE FROM state WHERE key = ?1",

	[S_TX_BEGIN] = "INSERT INTO tx(connector, id_tag, meter_start_wh, start_utc, reservation_id, "
		       "meter_last_wh, meter_last_utc) VALUES(?1, ?2, ?3, ?4, ?5, ?3, ?4)",
	[S_TX_SET_REMOTE] = "UPDATE tx SET transaction_id = ?2 WHERE local_id = ?1",
	[S_TX_METER] = "UPDATE tx SET meter_last_wh = ?2, meter_last_utc = ?3 WHERE local_id = ?1",
	[S_TX_END] = "UPDATE tx SET ended = 1, meter_stop_wh = ?2, stop_utc = ?3, reason = ?4, "
		     "stop_id_tag = ?5, meter_last_wh = ?2, meter_last_utc = ?3 "
		     "WHERE local_id = ?1 AND ended = 0",
	[S_TX_GET] = "SELECT " TX_COLS " FROM tx WHERE local_id = ?1",
	[S_TX_OPEN_CONN] = "SELECT " TX_COLS " FROM tx WHERE ended = 0 AND connector = ?1 "
			   "ORDER BY local_id DESC LIMIT 1",
	[S_TX_FIND_REMOTE] = "SELECT " TX_COLS " FROM tx WHERE transaction_id = ?1 "
			     "ORDER BY local_id DESC LIMIT 1",
	[S_TX_DELETE] = "DELETE FROM tx WHERE local_id = ?1",
	[S_TX_PRUNE] = "DELETE FROM tx WHERE ended = 1 AND NOT EXISTS "
		       "(SELECT 1 FROM queue WHERE queue.tx_local_id = tx.local_id)",
	[S_TX_OPEN_NEXT] = "SELECT " TX_COLS " FROM tx WHERE ended = 0 AND local_id > ?1 "
			   "ORDER BY local_id LIMIT 1",

	[S_Q_PUSH] = "INSERT INTO queue(action, payload, tx_local_id) VALUES(?1, ?2, ?3)",
	[S_Q_PEEK] = "SELECT seq, action, payload, tx_local_id, attempts, next_try_utc "
		     "FROM queue WHERE seq > ?1 ORDER BY seq LIMIT 1",
	[S_Q_DELETE] = "DELETE FROM queue WHERE seq = ?1",
	[S_Q_BUMP] = "UPDATE queue SET attempts = attempts + 1, next_try_utc = ?2 WHERE seq = ?1",
	[S_Q_COUNT] = "SELECT count(*) FROM queue",
	[S_Q_OLDEST_ACTION] = "SELECT seq FROM queue WHERE action = ?1 ORDER BY seq LIMIT 1",

	[S_PROF_PUT] = "INSERT OR REPLACE INTO profile(id, connector, json) VALUES(?1, ?2, ?3)",
	[S_PROF_DEL] = "DELETE FROM profile WHERE id = ?1",
	[S_PROF_CLEAR] = "DELETE FROM profile",
	[S_PROF_NEXT] = "SELECT id, connector, json FROM profile WHERE id > ?1 ORDER BY id LIMIT 1",

	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2) "
		       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",

	[S_LIST_CLEAR] = "DELETE FROM auth_list",
	[S_LIST_PUT] = "INSERT OR REPLACE INTO auth_list(" AUTH_COLS ") VALUES(?1, ?2, ?3, ?4)",
	[S_LIST_DEL] = "DELETE FROM auth_list WHERE id_tag = ?1",
	[S_LIST_GET] = "SELECT " AUTH_COLS " FROM auth_list WHERE id_tag = ?1",
	[S_LIST_COUNT] = "SELECT count(*) FROM auth_list",

	[S_CACHE_PUT] = "INSERT OR REPLACE INTO auth_cache(" AUTH_COLS ", stamp) VALUES(?1, ?2, ?3, ?4, "
			"(SELECT coalesce(max(stamp), 0) + 1 FROM auth_cache))",
	[S_CACHE_TRIM] = "DELETE FROM auth_cache WHERE rowid IN "
			 "(SELECT rowid FROM auth_cache ORDER BY stamp DESC LIMIT -1 OFFSET ?1)",
	[S_CACHE_GET] = "SELECT " AUTH_COLS " FROM auth_cache WHERE id_tag = ?1",
	[S_CACHE_DEL] = "DELETE FROM auth_cache WHERE id_tag = ?1",
	[S_CACHE_CLEAR] = "DELETE FROM auth_cache",
	[S_CACHE_COUNT] = "SELECT count(*) FROM auth_cache",

	[S_RES_PUT] = "INSERT OR REPLACE INTO reservation(" RES_COLS ") VALUES(?1, ?2, ?3, ?4, ?5)",
	[S_RES_GET] = "SELECT " RES_COLS " FROM reservation WHERE id = ?1",
	[S_RES_DEL] = "DELETE FROM reservation WHERE id = ?1",
	[S_RES_NEXT] = "SELECT " RES_COLS " FROM reservation WHERE id > ?1 ORDER BY id LIMIT 1",

	[S_Q_DELETE_TX] = "DELETE FROM queue WHERE tx_local_id = ?1",
	[S_Q_DELETE_UPTO] = "DELETE FROM queue WHERE seq <= ?1",
	[S_Q_SET_ATTEMPT] = "UPDATE queue SET attempts = ?2, next_try_utc = ?3 WHERE seq = ?1",

	[S_SEC_ADD] = "INSERT INTO seclog(utc, type, tech_info) VALUES(?1, ?2, ?3)",
	[S_SEC_TRIM] = "DELETE FROM seclog WHERE seq IN "
		       "(SELECT seq FROM seclog ORDER BY seq DESC LIMIT -1 OFFSET ?1)",
	[S_SEC_NEXT] = "SELECT seq, utc, type, tech_info FROM seclog "
		       "WHERE seq > ?1 AND utc >= ?2 AND utc <= ?3 ORDER BY seq LIMIT 1",
	[S_SEC_COUNT] = "SELECT count(*) FROM seclog",

	[S_CERT_ADD] = "INSERT INTO cert(type, pem) VALUES(?1, ?2)",
	[S_CERT_FIND] = "SELECT id FROM cert WHERE type = ?1 AND pem = ?2",
	[S_CERT_DEL] = "DELETE FROM cert WHERE id = ?1",
	[S_CERT_DEL_TYPE] = "DELETE FROM cert WHERE type = ?1",
	[S_CERT_NEXT] = "SELECT id, type, pem FROM cert WHERE id > ?1 AND (?2 IS NULL OR type = ?2) "
			"ORDER BY id LIMIT 1",
	[S_CERT_COUNT] = "SELECT count(*) FROM cert WHERE ?1 IS NULL OR type = ?1",
};

/* ---- errors ----------------------------------------------------------- */

int store__errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_IOERR:
		return -EIO;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_TOOBIG:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
		return -EINVAL;
	default:
		return -EFAULT;
	}
}

/* Logs a failed SQLite call with SQLite's message and maps it to -errno. */
int store__fail(store *st, int rc, const char *what)
{
	/* A full disk fails every write until space is freed: say so once
	 * (the station reports it on its own), not once per write. */
	if ((rc & 0xff) == SQLITE_FULL) {
		if (st->full_reported) {
			CP_DEBUG(TAG, "%s: disk full", what);
			return -ENOSPC;
		}
		st->full_reported = true;
	}
	CP_ERR(TAG, "%s: %s (sqlite %d)", what, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), rc);
	return store__errno(rc);
}

/* ---- statement helpers ------------------------------------------------ */

/* The statement id, reset and unbound, prepared on its first use.  NULL
 * when it cannot be prepared (out of memory, an unreadable schema): the
 * reason is logged and kept in st->prep_rc, which store__run() and
 * store__row() return for a NULL statement; callers that bind first check
 * for NULL. */
sqlite3_stmt *store__prep(store *st, enum stmt id)
{
	sqlite3_stmt *s = st->stmt[id];

	if (!s) {
		/* Never used on a test handle of an older schema. */
		assert(stmt_since[id] <= st->version);
		int r = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					   &st->stmt[id], NULL);
		if (r != SQLITE_OK) {
			st->prep_rc = store__fail(st, r, stmt_sql[id]);
			if (st->prep_rc == 0)
				st->prep_rc = -EFAULT;
			sqlite3_finalize(st->stmt[id]);
			st->stmt[id] = NULL;
			return NULL;
		}
		return st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Binds text or NULL; the text is copied by SQLite (SQLITE_TRANSIENT) so
 * the caller's string need not outlive the call. */
void store__bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Runs a statement that returns no rows. */
int store__run(store *st, sqlite3_stmt *s, const char *what)
{
	if (!s)
		return st->prep_rc;
	/* After an I/O error SQLite may have rolled back the caller's whole
	 * batch; writing on would commit the rest of it piecemeal. */
	if (st->in_batch && sqlite3_get_autocommit(st->db)) {
		CP_ERR(TAG, "%s: the batch was rolled back after an earlier error", what);
		return -EIO;
	}
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store__fail(st, rc, what);
	return 0;
}

/* Runs a write that must touch exactly one existing row: -ENOENT otherwise. */
int store__run_one(store *st, sqlite3_stmt *s, const char *what)
{
	int rc = store__run(st, s, what);
	if (rc < 0)
		return rc;
	return sqlite3_changes(st->db) > 0 ? 0 : -ENOENT;
}

/* Steps a query: 1 = a row is ready, 0 = no row (statement reset), <0 error. */
int store__row(store *st, sqlite3_stmt *s, const char *what)
{
	if (!s)
		return st->prep_rc;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	return store__fail(st, rc, what);
}

int store__copy_text(sqlite3_stmt *s, int col, char *buf, size_t buflen)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;
	if (n + 1 > buflen)
		return -ENOBUFS;
	if (n)
		memcpy(buf, t, n);
	buf[n] = '\0';
	return 0;
}

int store__count_query(store *st, enum stmt id, int *count, const char *what)
{
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	int rc = store__row(st, s, what);
	if (rc < 0)
		return rc;
	*count = rc ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	return 0;
}

bool store__str_ok(const char *s, size_t max)
{
	return s && strnlen(s, max + 1) <= max;
}

static bool key_ok(const char *s)
{
	return s && s[0] && strnlen(s, STORE_MAX_KEY + 1) <= STORE_MAX_KEY;
}

/* ---- internal atomic sections ----------------------------------------- */

/* A SAVEPOINT works both alone (it then is the transaction and RELEASE
 * commits it durably) and nested in a caller's store_begin batch. */
int store__op_begin(store *st)
{
	return store__run(st, store__prep(st, S_SP_BEGIN), "savepoint");
}

/* Ends an atomic section: keeps it when rc >= 0, undoes it otherwise.
 * Returns rc, or the commit's error. */
int store__op_end(store *st, int rc)
{
	if (rc >= 0) {
		int r = store__run(st, store__prep(st, S_SP_RELEASE), "commit");
		if (r == 0)
			return rc;
		rc = r;
	}
	/* SQLite may already have rolled back the whole transaction after an
	 * I/O error or a full disk; then there is no savepoint left. */
	if (!sqlite3_get_autocommit(st->db)) {
		sqlite3_stmt *s = store__prep(st, S_SP_ROLLBACK);
		if (s) {
			sqlite3_step(s);
			sqlite3_reset(s);
		}
		s = store__prep(st, S_SP_RELEASE);
		if (s) {
			sqlite3_step(s);
			sqlite3_reset(s);
		}
	}
	return rc;
}

int store_begin(store *st)
{
	if (st->in_batch)
		return -EBUSY;
	int rc = store__run(st, store__prep(st, S_BEGIN), "begin");
	if (rc == 0)
		st->in_batch = true;
	return rc;
}

void store_full_rearm(store *st)
{
	if (st)
		st->full_reported = false;
}

int store_commit(store *st)
{
	if (!st->in_batch)
		return -EINVAL;
	st->in_batch = false;
	if (sqlite3_get_autocommit(st->db)) {
		/* SQLite rolled the batch back after an earlier error. */
		CP_ERR(TAG, "commit: the batch was already rolled back after an error");
		return -EIO;
	}
	int rc = store__run(st, store__prep(st, S_COMMIT), "commit");
	if (rc < 0 && !sqlite3_get_autocommit(st->db))
		store__run(st, store__prep(st, S_ROLLBACK), "rollback");
	return rc;
}

int store_rollback(store *st)
{
	if (!st->in_batch)
		return -EINVAL;
	st->in_batch = false;
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return store__run(st, store__prep(st, S_ROLLBACK), "rollback");
}

/* ---- key/value tables ------------------------------------------------- */

static int kv_get(store *st, enum stmt id, const char *key, char *buf, size_t buflen)
{
	if (!key_ok(key) || !buf || buflen == 0)
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, key);
	int rc = store__row(st, s, "get");
	if (rc <= 0)
		return rc < 0 ? rc : -ENOENT;
	rc = store__copy_text(s, 0, buf, buflen);
	sqlite3_reset(s);
	return rc;
}

static int kv_set(store *st, enum stmt id, const char *key, const char *value, size_t max)
{
	if (!key_ok(key) || !store__str_ok(value, max))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, key);
	store__bind_text(s, 2, value);
	return store__run(st, s, "set");
}

static int kv_delete(store *st, enum stmt id, const char *key)
{
	if (!key_ok(key))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, id);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, key);
	return store__run_one(st, s, "delete");
}

int store_config_get(store *st, const char *key, char *buf, size_t buflen)
{
	return kv_get(st, S_CONFIG_GET, key, buf, buflen);
}

int store_config_set(store *st, const char *key, const char *value)
{
	return kv_set(st, S_CONFIG_SET, key, value, CP_MAX_CONFIG_VALUE);
}

int store_config_delete(store *st, const char *key)
{
	return kv_delete(st, S_CONFIG_DEL, key);
}

int store_config_foreach(store *st, store_config_cb cb, void *ctx)
{
	char key[STORE_MAX_KEY + 1] = "";
	char value[CP_MAX_CONFIG_VALUE + 1];

	if (!cb)
		return -EINVAL;
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_CONFIG_NEXT);
		if (!s)
			return st->prep_rc;
		store__bind_text(s, 1, key);
		int rc = store__row(st, s, "config foreach");
		if (rc <= 0)
			return rc;
		if (store__copy_text(s, 0, key, sizeof(key)) < 0 || store__copy_text(s, 1, value, sizeof(value)) < 0) {
			/* Written by something other than store_config_set. */
			sqlite3_reset(s);
			CP_ERR(TAG, "config foreach: an over-long key or value in the file");
			return -EBADMSG;
		}
		sqlite3_reset(s);
		rc = cb(ctx, key, value);
		if (rc)
			return rc;
	}
}

int store_state_get(store *st, const char *key, char *buf, size_t buflen)
{
	return kv_get(st, S_STATE_GET, key, buf, buflen);
}

int store_state_set(store *st, const char *key, const char *value)
{
	return kv_set(st, S_STATE_SET, key, value, STORE_MAX_STATE_VALUE);
}

int store_state_delete(store *st, const char *key)
{
	return kv_delete(st, S_STATE_DEL, key);
}

int store_state_get_int(store *st, const char *key, int64_t *out)
{
	char buf[32];
	int rc = store_state_get(st, key, buf, sizeof(buf));
	if (rc == -ENOBUFS)
		return -EINVAL;
	if (rc < 0)
		return rc;
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (end == buf || *end || errno)
		return -EINVAL;
	*out = v;
	return 0;
}

int store_state_set_int(store *st, const char *key, int64_t value)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, value);
	return store_state_set(st, key, buf);
}
