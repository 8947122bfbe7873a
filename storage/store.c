/*
 * store.c - the SQLite store: schema, migrations, prepared statements.
 *
 * Every statement is prepared once, on its first use, from the table below
 * and reused; values only ever travel as bound parameters.  Multi-row
 * operations run inside a SAVEPOINT so they are atomic both alone and
 * inside a caller's store_begin batch.  The records built on these
 * helpers (store_int.h) live in store_tx.c and store_auth.c; this file
 * keeps the handle, batches and the configuration and state tables.
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

/* Each file's schema history: migration N turns a version N-1 file into a
 * version N file.  Append only; never edit a released migration (files in
 * the field were created by it).  A script holds no values, only DDL. */
static const char *const migrations[] = {
	/* 1: configuration, state, transactions, the message queue, profiles. */
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"
	"INSERT INTO schema_version(version) VALUES(0);"
	"CREATE TABLE config(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE state(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
	/* AUTOINCREMENT: a local id is never reused, even after the newest
	 * transaction is deleted, because queued messages refer to it. */
	"CREATE TABLE tx("
	" local_id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" connector INTEGER NOT NULL,"
	" id_tag TEXT NOT NULL,"
	" meter_start_wh INTEGER NOT NULL,"
	" start_utc INTEGER NOT NULL,"
	" reservation_id INTEGER,"
	" transaction_id INTEGER,"
	" meter_last_wh INTEGER NOT NULL,"
	" meter_last_utc INTEGER NOT NULL,"
	" ended INTEGER NOT NULL DEFAULT 0,"
	" meter_stop_wh INTEGER,"
	" stop_utc INTEGER,"
	" reason TEXT,"
	" stop_id_tag TEXT);"
	"CREATE INDEX tx_open ON tx(ended, connector);"
	"CREATE INDEX tx_remote ON tx(transaction_id);"
	/* AUTOINCREMENT again: seq must grow strictly even when the queue
	 * drains to empty, since seq order is the send order. */
	"CREATE TABLE queue("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" action TEXT NOT NULL,"
	" payload TEXT NOT NULL,"
	" tx_local_id INTEGER,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_try_utc INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX queue_action ON queue(action, seq);"
	"CREATE INDEX queue_tx ON queue(tx_local_id);"
	"CREATE TABLE profile(id INTEGER PRIMARY KEY, connector INTEGER NOT NULL, json TEXT NOT NULL);",

	/* 2: Local Authorization List, Authorization Cache, reservations. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE auth_list("
	" id_tag TEXT PRIMARY KEY COLLATE NOCASE NOT NULL,"
	" status TEXT NOT NULL,"
	" expiry_utc INTEGER,"
	" parent_id_tag TEXT) WITHOUT ROWID;"
	/* stamp orders entries by last write, for eviction when full. */
	"CREATE TABLE auth_cache("
	" id_tag TEXT PRIMARY KEY COLLATE NOCASE NOT NULL,"
	" status TEXT NOT NULL,"
	" expiry_utc INTEGER,"
	" parent_id_tag TEXT,"
	" stamp INTEGER NOT NULL);"
	"CREATE INDEX auth_cache_stamp ON auth_cache(stamp);"
	"CREATE TABLE reservation("
	" id INTEGER PRIMARY KEY,"
	" connector INTEGER NOT NULL,"
	" id_tag TEXT NOT NULL,"
	" parent_id_tag TEXT,"
	" expiry_utc INTEGER NOT NULL);",

	/* 3: the security event log (OCPP 1.6 Security Whitepaper, GetLog). */
	"CREATE TABLE seclog("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" utc INTEGER NOT NULL,"
	" type TEXT NOT NULL,"
	" tech_info TEXT);"
	"CREATE INDEX seclog_utc ON seclog(utc);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION must equal the number of migrations");

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
};

/* ---- errors ----------------------------------------------------------- */

static int errno_from_sqlite(int rc)
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
static int fail(store *st, int rc, const char *what)
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
	return errno_from_sqlite(rc);
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
			st->prep_rc = fail(st, r, stmt_sql[id]);
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
		return fail(st, rc, what);
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
	return fail(st, rc, what);
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

/* ---- open / close / migrations --------------------------------------- */

static int exec_script(store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		CP_ERR(TAG, "%s: %s (sqlite %d)", what, msg ? msg : sqlite3_errstr(rc), rc);
		sqlite3_free(msg);
		return errno_from_sqlite(rc);
	}
	return 0;
}

/* Runs a one-shot query (pragmas at open) and copies the first column of
 * its first row into buf ("" when it returns no row). */
static int query_text(store *st, const char *sql, char *buf, size_t buflen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc, sql);
	buf[0] = '\0';
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store__copy_text(s, 0, buf, buflen);
	else if (rc != SQLITE_DONE)
		rc = fail(st, rc, sql);
	sqlite3_finalize(s);
	return rc < 0 ? rc : 0;
}

/* The file's schema version: 0 for a new, empty file. */
static int read_version(store *st, int *version)
{
	char buf[32];
	int rc = query_text(st, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'",
			    buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (strcmp(buf, "0") == 0) {
		rc = query_text(st, "SELECT count(*) FROM sqlite_master", buf, sizeof(buf));
		if (rc < 0)
			return rc;
		if (strcmp(buf, "0") != 0) {
			CP_ERR(TAG, "the database holds tables but no schema_version: not an ocpp-cp database");
			return -EBADMSG;
		}
		*version = 0;
		return 0;
	}
	rc = query_text(st, "SELECT version FROM schema_version", buf, sizeof(buf));
	if (rc < 0)
		return rc;
	char *end;
	long v = strtol(buf, &end, 10);
	if (end == buf || *end || v < 0 || v > INT_MAX) {
		CP_ERR(TAG, "schema_version holds '%s', not a version", buf);
		return -EBADMSG;
	}
	*version = (int)v;
	return 0;
}

/* Refuses a file this build must not touch: a newer schema.  Runs before
 * anything is written, so a refused file is left exactly as it was. */
static int check_version(store *st, int version)
{
	if (version > STORE_SCHEMA_VERSION) {
		CP_ERR(TAG, "database schema version %d is newer than this build understands (%d); "
		       "refusing to open it (use a newer ocpp-cp or another --db)",
		       version, STORE_SCHEMA_VERSION);
		return -EPROTO;
	}
	return 0;
}

/* Applies migrations from the file's version up to target, each in its own
 * transaction with its version bump, so an interrupted upgrade resumes. */
static int migrate(store *st, int version, int target)
{
	int rc;

	for (int v = version + 1; v <= target; v++) {
		char what[64];
		snprintf(what, sizeof(what), "migration to schema version %d", v);
		rc = exec_script(st, "BEGIN IMMEDIATE", what);
		if (rc < 0)
			return rc;
		/* Another process may have migrated while we waited for the lock. */
		int now;
		rc = read_version(st, &now);
		if (rc == 0 && now >= v) {
			rc = exec_script(st, "COMMIT", what);
			if (rc < 0)
				return rc;
			continue;
		}
		if (rc == 0)
			rc = exec_script(st, migrations[v - 1], what);
		if (rc == 0) {
			sqlite3_stmt *s = NULL;
			int r = sqlite3_prepare_v2(st->db, "UPDATE schema_version SET version = ?1", -1, &s, NULL);
			if (r == SQLITE_OK) {
				sqlite3_bind_int(s, 1, v);
				r = sqlite3_step(s);
			}
			rc = (r == SQLITE_DONE) ? 0 : fail(st, r, what);
			sqlite3_finalize(s);
		}
		if (rc == 0)
			rc = exec_script(st, "COMMIT", what);
		if (rc < 0) {
			if (!sqlite3_get_autocommit(st->db))
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		if (version > 0)
			CP_INFO(TAG, "migrated database to schema version %d", v);
	}
	st->version = target;
	return 0;
}

/* quick_check reads every page: O(size), a few ms for a station's file,
 * and the only way to learn of a torn or damaged file before relying on it. */
static int check_integrity(store *st)
{
	char buf[256];
	int rc = query_text(st, "PRAGMA quick_check", buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (strcmp(buf, "ok") != 0) {
		CP_ERR(TAG, "integrity check failed: %s; the file is left as it is", buf);
		return -EBADMSG;
	}
	return 0;
}

static int configure_db(store *st, bool in_memory)
{
	char buf[32];
	int rc;

	/* Another process holding the lock (a backup tool, sqlite3 shell) is
	 * waited for up to this long before -EBUSY. */
	sqlite3_busy_timeout(st->db, 5000);
	rc = query_text(st, "PRAGMA journal_mode=WAL", buf, sizeof(buf));
	if (rc < 0)
		return rc;
	/* An in-memory database (for other modules' tests) has no WAL and
	 * nothing to make durable. */
	if (in_memory && strcmp(buf, "memory") == 0)
		return 0;
	if (strcmp(buf, "wal") != 0) {
		CP_ERR(TAG, "cannot switch the database to WAL mode (journal_mode is '%s')", buf);
		return -EIO;
	}
	/* FULL: every commit syncs the WAL, so a returned write survives a
	 * power loss (NORMAL would lose the last commits). */
	rc = exec_script(st, "PRAGMA synchronous=FULL", "synchronous");
	if (rc < 0)
		return rc;
	return 0;
}

/*
 * Before SQLite's first initialisation: no page-cache bulk.  By default
 * each connection's page cache grabs room for SQLITE_DEFAULT_PCACHE_INITSZ
 * pages in one block up front (about 150 KB of RSS with our page size);
 * without it pages are allocated as they are used, and a station's small
 * database uses few.  sqlite3_config only works before sqlite3_initialize
 * (SQLITE_MISUSE after), hence once, before the first open; if another
 * part of the process initialised SQLite first, we keep its setting.
 */
static void sqlite_configure_once(void)
{
	static bool done;
	int rc;

	if (done)
		return;
	done = true;
	rc = sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
	if (rc != SQLITE_OK)
		CP_DEBUG(TAG, "SQLite already initialised: page cache left as it is (%s)",
			 sqlite3_errstr(rc));
}

/* Drops the group and other bits of an open file: the database holds the
 * AuthorizationKey, the Basic auth password of security profiles 1 and 2
 * (OCPP 1.6 security whitepaper §3.2), which only the daemon's user may
 * read.  A file we may not chmod (another owner) is used with a warning. */
static void tighten_fd(int fd, const char *path)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0 || !(sb.st_mode & 077))
		return;
	if (fchmod(fd, sb.st_mode & 0700) < 0)
		CP_WARN(TAG, "%s has mode %04o and cannot be made 0600: %s", path,
			(unsigned)(sb.st_mode & 07777), strerror(errno));
	else
		CP_INFO(TAG, "%s had mode %04o: now %04o", path, (unsigned)(sb.st_mode & 07777),
			(unsigned)(sb.st_mode & 0700));
}

/* ENOENT or ENOTDIR from creating the file: name the directory at fault. */
static int report_missing_dir(const char *path, int err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat sb;

	if (!slash || (size_t)(slash - path) >= sizeof(dir)) {
		CP_ERR(TAG, "cannot create %s: %s", path, strerror(err));
		return -err;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (!dir[0])
		strcpy(dir, "/");
	if (stat(dir, &sb) < 0 && errno == ENOENT) {
		CP_ERR(TAG, "database directory %s does not exist", dir);
		return -ENOENT;
	}
	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		CP_ERR(TAG, "database directory %s is not a directory", dir);
		return -ENOTDIR;
	}
	CP_ERR(TAG, "cannot create %s: %s", path, strerror(err));
	return -err;
}

/*
 * Creates the database file 0600 (SQLite would create it 0644 & ~umask)
 * and tightens an existing one, with the -wal and -shm files a power cut
 * may have left beside it; the -wal and -shm files SQLite creates later
 * take the database file's mode (SQLite's unix VFS does so on purpose), so
 * all three stay 0600.  Creating the file here also gives a precise error
 * (a missing directory, a real permission problem) where SQLite only says
 * "unable to open database file".  Nothing is written to the file.
 */
static int prepare_files(const char *path)
{
	static const char *const side[] = { "-wal", "-shm" };
	char p[PATH_MAX];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return report_missing_dir(path, e);
		CP_ERR(TAG, "cannot open %s: %s", path, strerror(e));
		return -e;
	}
	tighten_fd(fd, path);
	close(fd);
	for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		if ((size_t)snprintf(p, sizeof(p), "%s%s", path, side[i]) >= sizeof(p))
			return -ENAMETOOLONG;
		fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			continue;	/* none left: SQLite creates it with the database's mode */
		tighten_fd(fd, p);
		close(fd);
	}
	return 0;
}

static int open_at(store **out, const char *path, int target)
{
	int rc;

	if (out)
		*out = NULL;
	if (!out || !path || !path[0] || target < 1 || target > STORE_SCHEMA_VERSION)
		return -EINVAL;

	store *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->json_buf = malloc(STORE_MAX_PAYLOAD + 1);
	if (!st->json_buf) {
		free(st);
		return -ENOMEM;
	}

	if (strcmp(path, ":memory:") != 0) {
		rc = prepare_files(path);
		if (rc < 0)
			goto fail;
	}
	sqlite_configure_once();
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		CP_ERR(TAG, "cannot open %s: %s", path, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		rc = errno_from_sqlite(rc);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);

	/* Everything that may refuse the file runs before the first write
	 * (switching to WAL writes the header). */
	int version = 0;
	rc = check_integrity(st);
	if (rc == 0)
		rc = read_version(st, &version);
	if (rc == 0)
		rc = check_version(st, version);
	if (rc == 0)
		rc = configure_db(st, strcmp(path, ":memory:") == 0);
	if (rc == 0)
		rc = migrate(st, version, target);
	if (rc < 0) {
		CP_ERR(TAG, "cannot use database %s (%s)", path, strerror(-rc));
		goto fail;
	}
	*out = st;
	return 0;
fail:
	store_close(st);
	return rc;
}

int store_open(store **out, const char *path)
{
	return open_at(out, path, STORE_SCHEMA_VERSION);
}

int store_test_open_at(store **out, const char *path, int version)
{
	return open_at(out, path, version);
}

int store_test_set_schema_version(store *st, int version)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "UPDATE schema_version SET version = ?1", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(s, 1, version);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(st, rc, "set schema version");
}

void store_close(store *st)
{
	if (!st)
		return;
	if (st->db && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db)
		sqlite3_close(st->db);
	free(st->json_buf);
	free(st);
}

int store_schema_version(const store *st)
{
	return st->version;
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
