/*
 * store_int.h - what the store's own files share (store.c, store_tx.c,
 * store_auth.c); nothing outside storage/ includes it.
 *
 * store.c owns the schema, the statement table (stmt_sql, indexed by enum
 * stmt) and the handle; the other files reach SQLite only through these
 * helpers, so every statement is still prepared once and bound, never
 * formatted.
 */
#ifndef STORAGE_STORE_INT_H
#define STORAGE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "storage/store.h"

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK, S_SP_BEGIN, S_SP_RELEASE, S_SP_ROLLBACK,
	S_CONFIG_GET, S_CONFIG_SET, S_CONFIG_DEL, S_CONFIG_NEXT,
	S_STATE_GET, S_STATE_SET, S_STATE_DEL,
	S_TX_BEGIN, S_TX_SET_REMOTE, S_TX_METER, S_TX_END, S_TX_GET, S_TX_OPEN_CONN,
	S_TX_FIND_REMOTE, S_TX_DELETE, S_TX_PRUNE, S_TX_OPEN_NEXT,
	S_Q_PUSH, S_Q_PEEK, S_Q_DELETE, S_Q_BUMP, S_Q_COUNT, S_Q_OLDEST_ACTION,
	S_PROF_PUT, S_PROF_DEL, S_PROF_CLEAR, S_PROF_NEXT,
	S_META_GET, S_META_SET,
	S_LIST_CLEAR, S_LIST_PUT, S_LIST_DEL, S_LIST_GET, S_LIST_COUNT,
	S_CACHE_PUT, S_CACHE_TRIM, S_CACHE_GET, S_CACHE_DEL, S_CACHE_CLEAR, S_CACHE_COUNT,
	S_RES_PUT, S_RES_GET, S_RES_DEL, S_RES_NEXT,
	S_Q_DELETE_TX, S_Q_DELETE_UPTO, S_Q_SET_ATTEMPT,
	S_SEC_ADD, S_SEC_TRIM, S_SEC_NEXT, S_SEC_COUNT,
	S_CERT_ADD, S_CERT_FIND, S_CERT_DEL, S_CERT_DEL_TYPE, S_CERT_NEXT, S_CERT_COUNT,
	S_COUNT
};

struct store {
	sqlite3 *db;
	/* Prepared on first use (store__prep), not at
	 * open: a statement costs a few KB of heap,
	 * and the daemon uses only some of the ~50 in a run (about 136 KB
	 * for all of them).  NULL until then. */
	sqlite3_stmt *stmt[S_COUNT];
	int prep_rc;		/* -errno of the last failed prepare */
	int version;
	bool in_batch;
	/* Holds one profile's JSON during store_profile_foreach; allocated
	 * once at open so iteration needs no malloc. */
	char *json_buf;
	/* MeterValues dropped from a full queue since open: a station offline
	 * for weeks drops one per sample, so only every 1000th is logged. */
	unsigned long dropped;
	/* A full disk was logged; logged again only after store_full_rearm. */
	bool full_reported;
};

/* ---- errors (store.c) ----------------------------------------------------- */

/* SQLite's result code as -errno. */
int store__errno(int rc);
/* Logs a failed SQLite call (a full disk once) and maps it to -errno. */
int store__fail(store *st, int rc, const char *what);

/* ---- statement helpers (store.c) ----------------------------------------- */

sqlite3_stmt *store__prep(store *st, enum stmt id);
void store__bind_text(sqlite3_stmt *s, int i, const char *v);
int store__run(store *st, sqlite3_stmt *s, const char *what);
int store__run_one(store *st, sqlite3_stmt *s, const char *what);
int store__row(store *st, sqlite3_stmt *s, const char *what);
int store__copy_text(sqlite3_stmt *s, int col, char *buf, size_t buflen);
int store__count_query(store *st, enum stmt id, int *count, const char *what);
bool store__str_ok(const char *s, size_t max);

/* ---- internal atomic sections (store.c) ---------------------------------- */

int store__op_begin(store *st);
int store__op_end(store *st, int rc);

#endif /* STORAGE_STORE_INT_H */
