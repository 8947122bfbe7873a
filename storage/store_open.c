/*
 * store_open.c - opening the SQLite file: its directory and permissions (the
 * database holds the AuthorizationKey: 0600), the pragmas (WAL,
 * synchronous=FULL), the integrity check, the schema version and the
 * migrations that bring an older file up to date; closing it.  The handle
 * and its helpers are store.c's (store_int.h).
 */
#include "storage/store.h"

#include <errno.h>
#include <fcntl.h>
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

	/* 4: installed certificates (OCPP 1.6 Security Whitepaper: InstallCertificate,
	 * CertificateSigned).  Certificates only: private keys never enter the
	 * database (docs/security.md). */
	"CREATE TABLE cert("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" type TEXT NOT NULL,"
	" pem TEXT NOT NULL);"
	"CREATE INDEX cert_type ON cert(type, id);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION must equal the number of migrations");

/* ---- open / close / migrations --------------------------------------- */

static int exec_script(store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		CP_ERR(TAG, "%s: %s (sqlite %d)", what, msg ? msg : sqlite3_errstr(rc), rc);
		sqlite3_free(msg);
		return store__errno(rc);
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
		return store__fail(st, rc, sql);
	buf[0] = '\0';
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store__copy_text(s, 0, buf, buflen);
	else if (rc != SQLITE_DONE)
		rc = store__fail(st, rc, sql);
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
			rc = (r == SQLITE_DONE) ? 0 : store__fail(st, r, what);
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
		rc = store__errno(rc);
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
	return rc == SQLITE_DONE ? 0 : store__fail(st, rc, "set schema version");
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
