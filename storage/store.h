/*
 * store.h - everything durable: the one module that speaks SQL.
 *
 * One SQLite file (--db) holds configuration values, small station state,
 * local transactions, the durable queue of transaction-related messages,
 * charging profiles, the Local Authorization List, the Authorization Cache,
 * reservations, the security event log and installed certificates.  The schema belongs to store.c
 * alone and is upgraded by ordered forward migrations when an older file is
 * opened.
 *
 * Durability: WAL journal with synchronous=FULL, so a write that returned 0
 * is on disk (inside a store_begin batch: once store_commit returned 0); a
 * SIGKILL or power loss after that loses nothing (OCPP 1.6 §3.7:
 * transaction messages must not be lost).  Each durable commit costs one
 * fsync (about 0.15 ms on the dev VM's disk, see bench/bench_store.c):
 * group bursts of writes in a batch.
 *
 * Errors: every function returns 0 on success or a negative errno:
 *   -ENOENT   the key / row does not exist (not logged: a normal answer)
 *   -EINVAL   bad argument (NULL, empty key, string longer than its limit)
 *   -ENOBUFS  the caller's buffer is too small for the stored value
 *   -ENOSPC   the disk (or the file's size limit) is full
 *   -EIO      an I/O error below SQLite
 *   -EBUSY    the file is locked by another process beyond the busy timeout
 *   -EBADMSG  the file is not a database or fails its integrity check
 *   -EPROTO   the file's schema is newer than this build understands
 *   -EROFS / -EACCES / -ENOMEM   the file is read-only / not accessible / out of memory
 *   -EFAULT   any other SQLite failure (a bug: logged with the SQL message)
 * and, where a function says so, -EALREADY, -E2BIG or -ENOBUFS.
 * Storage failures are logged (tag "store") with SQLite's own message.
 *
 * Strings: every string argument is read during the call only; the store
 * keeps no pointer to it.  Strings handed to a foreach callback live in the
 * store's buffers and are valid only until the callback returns.
 *
 * Iteration: foreach callbacks may call any store function, including ones
 * that modify the rows being iterated (the store re-seeks by key after each
 * callback).  A callback returns 0 to continue; any other value stops the
 * iteration and is returned by the foreach.
 *
 * Not thread-safe: one store per thread (the daemon has one thread).
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"

typedef struct store store;

/* The schema version this build writes; store_open migrates older files to it. */
#define STORE_SCHEMA_VERSION 4

/* Longest key of the config and state tables.  OCPP keys are CiString50;
 * the margin is for state keys built from a prefix and a number. */
#define STORE_MAX_KEY 64
/* Longest state value: room for a few BootNotification fields together. */
#define STORE_MAX_STATE_VALUE 1024

/* ---- open / close / batches ------------------------------------------- */

/* Opens (creating if absent) the database at path and migrates it.  On
 * success *out is a handle owned by the caller, freed by store_close.
 * path ":memory:" gives a private, non-durable database (for tests).  A
 * corrupt file is reported (-EBADMSG) and left untouched: nothing already
 * stored is ever recreated or lost.  A newer schema gives -EPROTO. */
int store_open(store **out, const char *path);
/* Closes the handle (NULL is allowed).  An open store_begin is rolled back. */
void store_close(store *st);
/* The schema version of the open file (== STORE_SCHEMA_VERSION after open). */
int store_schema_version(const store *st);

/* Groups several writes into one atomic, durable commit.  Not nestable:
 * store_begin inside a batch gives -EBUSY.  The store's own multi-row
 * operations (list update, queue push with eviction) are atomic on their
 * own and may be used inside a batch. */
int store_begin(store *st);
/* A full disk (SQLITE_FULL) is logged once, not per failed write: writes on a
 * nearly full disk fail and succeed by turns.  The owner calls this once it
 * knows the fault is over, so that the next one is logged again. */
void store_full_rearm(store *st);
int store_commit(store *st);
int store_rollback(store *st);

/* ---- configuration values --------------------------------------------- */

/* Keys are OCPP configuration keys (CiString50, compared exactly as stored;
 * the registry canonicalises aliases before calling).  Values up to
 * CP_MAX_CONFIG_VALUE characters. */

/* Copies the value (NUL-terminated) into buf.  0, -ENOENT, -ENOBUFS (buf
 * too small; buf then holds nothing useful) or a storage error. */
int store_config_get(store *st, const char *key, char *buf, size_t buflen);
int store_config_set(store *st, const char *key, const char *value);
/* -ENOENT if the key had no value. */
int store_config_delete(store *st, const char *key);
/* Calls cb for every stored key in key order. */
typedef int (*store_config_cb)(void *ctx, const char *key, const char *value);
int store_config_foreach(store *st, store_config_cb cb, void *ctx);

/* ---- small station state ---------------------------------------------- */

/* Free-form key/value state that is not an OCPP configuration key: per
 * connector availability ("avail.1" = "Inoperative"), the boot counter, the
 * last BootNotification fields, a clean-shutdown marker.  Same return codes
 * as the configuration functions; values up to STORE_MAX_STATE_VALUE. */
int store_state_get(store *st, const char *key, char *buf, size_t buflen);
int store_state_set(store *st, const char *key, const char *value);
int store_state_delete(store *st, const char *key);
/* Integer helpers: values are stored as decimal text.  get gives -EINVAL
 * when the stored text is not an integer. */
int store_state_get_int(store *st, const char *key, int64_t *out);
int store_state_set_int(store *st, const char *key, int64_t value);

/* ---- transactions ----------------------------------------------------- */

/* StopTransaction reasons are at most 14 characters ("EVDisconnected"). */
#define STORE_REASON_LEN 32

/* A local transaction.  local_id is ours, assigned at begin and never
 * reused (not even after store_tx_delete), so queued messages can name the
 * transaction before the central system has given it a transactionId. */
typedef struct store_tx {
	int64_t local_id;
	int connector;
	char id_tag[CP_MAX_ID_TAG + 1];
	int64_t meter_start_wh;
	cp_utc_t start_utc;
	int reservation_id;		/* < 0: none */
	bool has_transaction_id;	/* StartTransaction.conf received */
	/* The central system's id.  64 bits: the OCPP 1.6 schema bounds it
	 * only as "integer", and the tx.transaction_id column has always been
	 * a 64-bit SQLite INTEGER, so files written before keep their ids. */
	int64_t transaction_id;
	int64_t meter_last_wh;		/* last persisted reading (start value at first) */
	cp_utc_t meter_last_utc;
	bool ended;
	int64_t meter_stop_wh;		/* valid when ended */
	cp_utc_t stop_utc;		/* valid when ended */
	char reason[STORE_REASON_LEN];	/* "" for Local (the OCPP default) */
	char stop_id_tag[CP_MAX_ID_TAG + 1]; /* "" if none */
} store_tx;

/* Records a running transaction; *local_id receives its id.  reservation_id
 * < 0 means none.  id_tag at most CP_MAX_ID_TAG characters. */
int store_tx_begin(store *st, int connector, const char *id_tag,
		   int64_t meter_start_wh, cp_utc_t start_utc,
		   int reservation_id, int64_t *local_id);
/* Stores the transactionId from StartTransaction.conf.  -ENOENT if unknown. */
int store_tx_set_remote_id(store *st, int64_t local_id, int64_t transaction_id);
/* Persists the last meter reading of a running transaction, so that a stop
 * after a crash (PowerLoss) reports it.  -ENOENT if unknown. */
int store_tx_update_meter(store *st, int64_t local_id, int64_t wh, cp_utc_t utc);
/* Marks the transaction ended.  reason may be NULL or "" (Local); id_tag
 * may be NULL.  -ENOENT if unknown, -EALREADY if already ended. */
int store_tx_end(store *st, int64_t local_id, int64_t meter_stop_wh,
		 cp_utc_t stop_utc, const char *reason, const char *id_tag);
/* Copies the transaction into *out (caller-owned).  -ENOENT if unknown. */
int store_tx_get(store *st, int64_t local_id, store_tx *out);
/* The running (not ended) transaction on a connector.  -ENOENT if none. */
int store_tx_get_open_by_connector(store *st, int connector, store_tx *out);
/* Finds a transaction by the central system's transactionId.  -ENOENT if none. */
int store_tx_find_remote(store *st, int64_t transaction_id, store_tx *out);
/* Forgets a transaction (after its StopTransaction was confirmed).  -ENOENT if unknown. */
int store_tx_delete(store *st, int64_t local_id);
/* Deletes every ended transaction that no queued message refers to.
 * *deleted (may be NULL) receives the number removed. */
int store_tx_prune(store *st, int *deleted);
/* Calls cb for every transaction not yet ended, oldest first: after an
 * unclean restart these are stopped with reason PowerLoss.  *tx is a store
 * buffer, valid during the callback. */
typedef int (*store_tx_cb)(void *ctx, const store_tx *tx);
int store_tx_open_foreach(store *st, store_tx_cb cb, void *ctx);

/* ---- durable queue of transaction-related messages -------------------- */

/* OCPP action names are short ("StartTransaction", "StopTransaction",
 * "MeterValues"). */
#define STORE_ACTION_LEN 32
/* Largest payload kept: it must fit in one frame with the CALL envelope. */
#define STORE_MAX_PAYLOAD (CP_MAX_FRAME - 256)

/* Positive (success) result of store_queue_push: the queue was full and the
 * oldest MeterValues message was dropped to make room (and logged). */
#define STORE_QUEUE_DROPPED 1

typedef struct store_qmsg {
	int64_t seq;			/* increasing: seq order is send order */
	char action[STORE_ACTION_LEN];
	int64_t tx_local_id;		/* < 0: not tied to a transaction */
	int attempts;			/* failed sends so far */
	cp_utc_t next_try_utc;		/* 0 until the first failure */
	size_t payload_len;
	char payload[STORE_MAX_PAYLOAD + 1]; /* JSON text, NUL-terminated */
} store_qmsg;

/* Appends a message; it is committed to disk before this returns, so send
 * it only after a 0 / STORE_QUEUE_DROPPED result.  payload_json is the
 * CALL payload without transactionId when that is not known yet: the sender
 * fills transactionId from store_tx_get(tx_local_id) at send time.
 * tx_local_id < 0 for a message not tied to a transaction.
 * Bound (CP_MAX_QUEUE): when full, the oldest MeterValues is dropped and
 * STORE_QUEUE_DROPPED returned.  With no MeterValues to drop, a new
 * MeterValues or StartTransaction is refused with -ENOBUFS (the station does
 * not start a transaction it cannot record), while a StopTransaction is
 * always accepted: stops are bounded by the starts already queued.
 * *seq (may be NULL) receives the new message's sequence number. */
int store_queue_push(store *st, const char *action, const char *payload_json,
		     int64_t tx_local_id, int64_t *seq);
/* Copies the oldest message into *out (caller-owned; it is large, keep it
 * static or on the heap).  -ENOENT when the queue is empty. */
int store_queue_peek(store *st, store_qmsg *out);
/* The oldest message with seq > after_seq (messages up to after_seq were
 * answered but their deletion could not be written yet). */
int store_queue_peek_after(store *st, int64_t after_seq, store_qmsg *out);
/* Removes every message with seq <= seq (the deferred deletes above). */
int store_queue_delete_upto(store *st, int64_t seq);
/* Records attempts and the next try of a message (a bump deferred in
 * memory while the disk was full).  -ENOENT if absent. */
int store_queue_bump_to(store *st, int64_t seq, int attempts, cp_utc_t next_try_utc);
/* Removes a message after its CALLRESULT (or after giving up).  -ENOENT if absent. */
int store_queue_delete(store *st, int64_t seq);
/* Counts a failed attempt and records when to retry.  -ENOENT if absent. */
int store_queue_bump_attempt(store *st, int64_t seq, cp_utc_t next_try_utc);
/* Number of queued messages (0 .. CP_MAX_QUEUE + open transactions). */
int store_queue_count(store *st, int *count);
/* Removes every queued message of one transaction (for example when its
 * StartTransaction was given up).  *deleted (may be NULL) gets the number. */
int store_queue_delete_tx(store *st, int64_t tx_local_id, int *deleted);

/* ---- charging profiles ------------------------------------------------ */

/* Profiles are kept as the JSON text of csChargingProfiles (the smart
 * charging core parses them at start-up); chargingProfileId is the key.
 * put replaces a profile with the same id. */
int store_profile_put(store *st, int id, int connector, const char *json_text);
/* -ENOENT if there is no such profile. */
int store_profile_delete(store *st, int id);
int store_profile_clear(store *st);
typedef int (*store_profile_cb)(void *ctx, int id, int connector, const char *json_text);
/* In id order. */
int store_profile_foreach(store *st, store_profile_cb cb, void *ctx);

/* ---- Local Authorization List and Authorization Cache ----------------- */

/* AuthorizationStatus is at most 12 characters ("ConcurrentTx"). */
#define STORE_STATUS_LEN 16

/* idTags are compared case-insensitively (IdToken is a CiString,
 * OCPP 1.6 §7.27), in the list and in the cache. */
typedef struct store_auth_entry {
	char id_tag[CP_MAX_ID_TAG + 1];
	char status[STORE_STATUS_LEN];	/* "Accepted", "Blocked", ... */
	bool has_expiry;
	cp_utc_t expiry_utc;
	char parent_id_tag[CP_MAX_ID_TAG + 1]; /* "" if none */
	/* Only for store_list_update: idTagInfo absent, remove the entry
	 * (OCPP 1.6 §5.15 differential update). */
	bool remove;
} store_auth_entry;

/* The list version (GetLocalListVersion); 0 before any SendLocalList. */
int store_list_version(store *st, int *version);
/* SendLocalList Full: replaces the whole list and its version atomically.
 * Fails with -E2BIG (nothing changed) when n > max_entries. */
int store_list_replace(store *st, int version, const store_auth_entry *entries,
		       size_t n, size_t max_entries);
/* SendLocalList Differential: adds, replaces or (entry.remove) deletes each
 * entry and sets the version, all in one SQL transaction: on any failure
 * (-E2BIG when the list would exceed max_entries, -EINVAL for a bad entry,
 * a storage error) nothing has changed.  Version checks are the caller's. */
int store_list_update(store *st, int version, const store_auth_entry *entries,
		      size_t n, size_t max_entries);
/* Indexed lookup.  -ENOENT if the idTag is not in the list. */
int store_list_lookup(store *st, const char *id_tag, store_auth_entry *out);
int store_list_count(store *st, int *count);

/* The Authorization Cache (OCPP 1.6 §3.5.1): bounded by CP_MAX_AUTH_CACHE;
 * when full, the least recently written entry is evicted. */
int store_cache_put(store *st, const store_auth_entry *entry);
int store_cache_lookup(store *st, const char *id_tag, store_auth_entry *out);
int store_cache_delete(store *st, const char *id_tag);
/* ClearCache. */
int store_cache_clear(store *st);
int store_cache_count(store *st, int *count);

/* ---- reservations ----------------------------------------------------- */

typedef struct store_reservation {
	int id;				/* reservationId */
	int connector;			/* 0: any connector */
	char id_tag[CP_MAX_ID_TAG + 1];
	char parent_id_tag[CP_MAX_ID_TAG + 1]; /* "" if none */
	cp_utc_t expiry_utc;
} store_reservation;

/* Adds or replaces (same id: OCPP 1.6 §5.13) a reservation. */
int store_reservation_put(store *st, const store_reservation *r);
int store_reservation_get(store *st, int id, store_reservation *out);
/* -ENOENT if there is no such reservation. */
int store_reservation_delete(store *st, int id);
typedef int (*store_reservation_cb)(void *ctx, const store_reservation *r);
/* In id order. */
int store_reservation_foreach(store *st, store_reservation_cb cb, void *ctx);

/* ---- security log ----------------------------------------------------- */

/* Security events (OCPP 1.6 Security Whitepaper: SecurityEventNotification
 * types, kept for GetLog SecurityLog).  A rolling log of CP_MAX_SECLOG
 * events: adding to a full log removes the oldest. */
#define STORE_SECLOG_TYPE_LEN 51	/* type is string[0..50] */
#define STORE_SECLOG_INFO_LEN 256	/* techInfo is string[0..255] */

typedef struct store_seclog_event {
	int64_t seq;			/* increasing: log order */
	cp_utc_t utc;
	char type[STORE_SECLOG_TYPE_LEN];
	char tech_info[STORE_SECLOG_INFO_LEN]; /* "" if none */
} store_seclog_event;

/* tech_info may be NULL. */
int store_seclog_add(store *st, cp_utc_t utc, const char *type, const char *tech_info);
typedef int (*store_seclog_cb)(void *ctx, const store_seclog_event *ev);
/* Events with from <= utc <= to, oldest first (GetLog oldestTimestamp /
 * latestTimestamp; pass cp_utc(INT64_MIN) / cp_utc(CP_UTC_NEVER) for all). */
int store_seclog_foreach(store *st, cp_utc_t from, cp_utc_t to, store_seclog_cb cb, void *ctx);
int store_seclog_count(store *st, int *count);

/* ---- installed certificates ------------------------------------------- */

/* Certificates as PEM text, by type: "CentralSystemRootCertificate" and
 * "ManufacturerRootCertificate" (InstallCertificate), and the station's own
 * "ChargePointCertificate" chain (CertificateSigned).  The store checks
 * nothing of the certificate itself: the caller has (station/security). */
#define STORE_CERT_TYPE_LEN 32
/* The largest PEM text: a CertificateSigned chain (CertificateSignedMaxChainSize). */
#define STORE_MAX_CERT_PEM 10000

/* Adds a certificate; *id (may be NULL) receives its id, which is never
 * reused.  The same PEM text already stored under the same type is not added
 * again: *id is the stored one's and -EEXIST is returned.  max_total > 0
 * bounds how many certificates of the types in `counted` (a NULL-terminated
 * list, may be NULL for just `type`) there may be: -E2BIG when full. */
int store_cert_add(store *st, const char *type, const char *pem,
		   const char *const *counted, int max_total, int64_t *id);
/* Replaces every certificate of type by this one, atomically. */
int store_cert_replace(store *st, const char *type, const char *pem, int64_t *id);
/* -ENOENT if there is no such certificate. */
int store_cert_delete(store *st, int64_t id);
/* In id order; type NULL for every type.  pem is a store buffer. */
typedef int (*store_cert_cb)(void *ctx, int64_t id, const char *type, const char *pem);
int store_cert_foreach(store *st, const char *type, store_cert_cb cb, void *ctx);
/* type NULL: all. */
int store_cert_count(store *st, const char *type, int *count);

#endif
