/*
 * store_tx.c - the store's transaction records and the durable message
 * queue: what a charging session writes and what waits to be sent.
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

/* ---- transactions ----------------------------------------------------- */

static void tx_from_row(sqlite3_stmt *s, store_tx *tx)
{
	memset(tx, 0, sizeof(*tx));
	tx->local_id = sqlite3_column_int64(s, 0);
	tx->connector = sqlite3_column_int(s, 1);
	store__copy_text(s, 2, tx->id_tag, sizeof(tx->id_tag));
	tx->meter_start_wh = sqlite3_column_int64(s, 3);
	tx->start_utc = cp_utc(sqlite3_column_int64(s, 4));
	tx->reservation_id = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 5);
	tx->has_transaction_id = sqlite3_column_type(s, 6) != SQLITE_NULL;
	tx->transaction_id = sqlite3_column_int64(s, 6);
	tx->meter_last_wh = sqlite3_column_int64(s, 7);
	tx->meter_last_utc = cp_utc(sqlite3_column_int64(s, 8));
	tx->ended = sqlite3_column_int(s, 9) != 0;
	tx->meter_stop_wh = sqlite3_column_int64(s, 10);
	tx->stop_utc = cp_utc(sqlite3_column_int64(s, 11));
	store__copy_text(s, 12, tx->reason, sizeof(tx->reason));
	store__copy_text(s, 13, tx->stop_id_tag, sizeof(tx->stop_id_tag));
}

/* Reads at most one transaction row from a bound query. */
static int tx_query(store *st, sqlite3_stmt *s, store_tx *out, const char *what)
{
	int rc = store__row(st, s, what);
	if (rc <= 0)
		return rc < 0 ? rc : -ENOENT;
	if (out)
		tx_from_row(s, out);
	sqlite3_reset(s);
	return 0;
}

int store_tx_begin(store *st, int connector, const char *id_tag,
		   int64_t meter_start_wh, cp_utc_t start_utc,
		   int reservation_id, int64_t *local_id)
{
	if (!store__str_ok(id_tag, CP_MAX_ID_TAG) || connector < 0)
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_TX_BEGIN);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, connector);
	store__bind_text(s, 2, id_tag);
	sqlite3_bind_int64(s, 3, meter_start_wh);
	sqlite3_bind_int64(s, 4, start_utc.s);
	if (reservation_id >= 0)
		sqlite3_bind_int(s, 5, reservation_id);
	int rc = store__run(st, s, "tx begin");
	if (rc == 0 && local_id)
		*local_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_tx_set_remote_id(store *st, int64_t local_id, int64_t transaction_id)
{
	sqlite3_stmt *s = store__prep(st, S_TX_SET_REMOTE);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, local_id);
	sqlite3_bind_int64(s, 2, transaction_id);
	return store__run_one(st, s, "tx set remote id");
}

int store_tx_update_meter(store *st, int64_t local_id, int64_t wh, cp_utc_t utc)
{
	sqlite3_stmt *s = store__prep(st, S_TX_METER);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, local_id);
	sqlite3_bind_int64(s, 2, wh);
	sqlite3_bind_int64(s, 3, utc.s);
	return store__run_one(st, s, "tx update meter");
}

int store_tx_end(store *st, int64_t local_id, int64_t meter_stop_wh,
		 cp_utc_t stop_utc, const char *reason, const char *id_tag)
{
	if ((reason && strlen(reason) >= STORE_REASON_LEN) ||
	    (id_tag && !store__str_ok(id_tag, CP_MAX_ID_TAG)))
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_TX_END);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, local_id);
	sqlite3_bind_int64(s, 2, meter_stop_wh);
	sqlite3_bind_int64(s, 3, stop_utc.s);
	store__bind_text(s, 4, reason && reason[0] ? reason : NULL);
	store__bind_text(s, 5, id_tag && id_tag[0] ? id_tag : NULL);
	int rc = store__run_one(st, s, "tx end");
	if (rc == -ENOENT && store_tx_get(st, local_id, NULL) == 0)
		return -EALREADY;
	return rc;
}

int store_tx_get(store *st, int64_t local_id, store_tx *out)
{
	sqlite3_stmt *s = store__prep(st, S_TX_GET);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, local_id);
	return tx_query(st, s, out, "tx get");
}

int store_tx_get_open_by_connector(store *st, int connector, store_tx *out)
{
	sqlite3_stmt *s = store__prep(st, S_TX_OPEN_CONN);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int(s, 1, connector);
	return tx_query(st, s, out, "tx get open");
}

int store_tx_find_remote(store *st, int64_t transaction_id, store_tx *out)
{
	sqlite3_stmt *s = store__prep(st, S_TX_FIND_REMOTE);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, transaction_id);
	return tx_query(st, s, out, "tx find remote");
}

int store_tx_delete(store *st, int64_t local_id)
{
	sqlite3_stmt *s = store__prep(st, S_TX_DELETE);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, local_id);
	return store__run_one(st, s, "tx delete");
}

int store_tx_prune(store *st, int *deleted)
{
	int rc = store__run(st, store__prep(st, S_TX_PRUNE), "tx prune");
	if (rc == 0 && deleted)
		*deleted = sqlite3_changes(st->db);
	return rc;
}

int store_tx_open_foreach(store *st, store_tx_cb cb, void *ctx)
{
	store_tx tx;
	int64_t last = INT64_MIN;

	if (!cb)
		return -EINVAL;
	for (;;) {
		sqlite3_stmt *s = store__prep(st, S_TX_OPEN_NEXT);
		if (!s)
			return st->prep_rc;
		sqlite3_bind_int64(s, 1, last);
		int rc = tx_query(st, s, &tx, "tx open foreach");
		if (rc == -ENOENT)
			return 0;
		if (rc < 0)
			return rc;
		last = tx.local_id;
		rc = cb(ctx, &tx);
		if (rc)
			return rc;
	}
}

/* ---- message queue ---------------------------------------------------- */

static const char ACTION_METER_VALUES[] = "MeterValues";
static const char ACTION_STOP[] = "StopTransaction";

/* Makes room in a full queue.  Returns 1 when a MeterValues was dropped, 0
 * when the message may be added without (not full, or a StopTransaction),
 * -ENOBUFS when it must be refused. */
static int queue_make_room(store *st, const char *action)
{
	int count, rc;

	rc = store__count_query(st, S_Q_COUNT, &count, "queue count");
	if (rc < 0)
		return rc;
	if (count < CP_MAX_QUEUE)
		return 0;

	sqlite3_stmt *s = store__prep(st, S_Q_OLDEST_ACTION);
	if (!s)
		return st->prep_rc;
	store__bind_text(s, 1, ACTION_METER_VALUES);
	rc = store__row(st, s, "queue oldest");
	if (rc < 0)
		return rc;
	if (rc == 0) {
		if (strcmp(action, ACTION_STOP) == 0) {
			CP_WARN(TAG, "queue full (%d) without MeterValues to drop; "
			        "keeping the StopTransaction beyond the bound", count);
			return 0;
		}
		CP_ERR(TAG, "queue full (%d messages, all Start/Stop): refusing %s", count, action);
		return -ENOBUFS;
	}
	int64_t seq = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	s = store__prep(st, S_Q_DELETE);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, seq);
	rc = store__run(st, s, "queue drop");
	if (rc < 0)
		return rc;
	if (st->dropped++ % 1000 == 0)
		CP_WARN(TAG, "queue full (%d messages): dropped the oldest MeterValues (seq %" PRId64
			"); %lu dropped since start", count, seq, st->dropped);
	return 1;
}

int store_queue_push(store *st, const char *action, const char *payload_json,
		     int64_t tx_local_id, int64_t *seq)
{
	if (!action || !action[0] || strlen(action) >= STORE_ACTION_LEN ||
	    !store__str_ok(payload_json, STORE_MAX_PAYLOAD))
		return -EINVAL;

	int rc = store__op_begin(st);
	if (rc < 0)
		return rc;
	int dropped = queue_make_room(st, action);
	rc = dropped;
	if (rc >= 0) {
		sqlite3_stmt *s = store__prep(st, S_Q_PUSH);
		if (s) {
			store__bind_text(s, 1, action);
			store__bind_text(s, 2, payload_json);
			if (tx_local_id >= 0)
				sqlite3_bind_int64(s, 3, tx_local_id);
		}
		rc = store__run(st, s, "queue push");
	}
	int64_t new_seq = sqlite3_last_insert_rowid(st->db);
	rc = store__op_end(st, rc);
	if (rc < 0)
		return rc;
	if (seq)
		*seq = new_seq;
	return dropped ? STORE_QUEUE_DROPPED : 0;
}

int store_queue_peek(store *st, store_qmsg *out)
{
	return store_queue_peek_after(st, 0, out);
}

int store_queue_peek_after(store *st, int64_t after_seq, store_qmsg *out)
{
	if (!out)
		return -EINVAL;
	sqlite3_stmt *s = store__prep(st, S_Q_PEEK);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, after_seq);
	int rc = store__row(st, s, "queue peek");
	if (rc <= 0)
		return rc < 0 ? rc : -ENOENT;
	out->seq = sqlite3_column_int64(s, 0);
	rc = store__copy_text(s, 1, out->action, sizeof(out->action));
	if (rc == 0)
		rc = store__copy_text(s, 2, out->payload, sizeof(out->payload));
	out->payload_len = strlen(out->payload);
	out->tx_local_id = sqlite3_column_type(s, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 3);
	out->attempts = sqlite3_column_int(s, 4);
	out->next_try_utc = cp_utc(sqlite3_column_int64(s, 5));
	sqlite3_reset(s);
	if (rc < 0) {
		CP_ERR(TAG, "queue peek: message %" PRId64 " is larger than a frame", out->seq);
		return -EBADMSG;
	}
	return 0;
}

int store_queue_delete(store *st, int64_t seq)
{
	sqlite3_stmt *s = store__prep(st, S_Q_DELETE);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, seq);
	return store__run_one(st, s, "queue delete");
}

int store_queue_bump_attempt(store *st, int64_t seq, cp_utc_t next_try_utc)
{
	sqlite3_stmt *s = store__prep(st, S_Q_BUMP);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, seq);
	sqlite3_bind_int64(s, 2, next_try_utc.s);
	return store__run_one(st, s, "queue bump attempt");
}

int store_queue_delete_upto(store *st, int64_t seq)
{
	sqlite3_stmt *s = store__prep(st, S_Q_DELETE_UPTO);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, seq);
	return store__run(st, s, "queue delete up to");
}

int store_queue_bump_to(store *st, int64_t seq, int attempts, cp_utc_t next_try_utc)
{
	sqlite3_stmt *s = store__prep(st, S_Q_SET_ATTEMPT);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, seq);
	sqlite3_bind_int(s, 2, attempts);
	sqlite3_bind_int64(s, 3, next_try_utc.s);
	return store__run_one(st, s, "queue set attempt");
}

int store_queue_count(store *st, int *count)
{
	if (!count)
		return -EINVAL;
	return store__count_query(st, S_Q_COUNT, count, "queue count");
}

int store_queue_delete_tx(store *st, int64_t tx_local_id, int *deleted)
{
	sqlite3_stmt *s = store__prep(st, S_Q_DELETE_TX);
	if (!s)
		return st->prep_rc;
	sqlite3_bind_int64(s, 1, tx_local_id);
	int rc = store__run(st, s, "queue delete tx");
	if (rc == 0 && deleted)
		*deleted = sqlite3_changes(st->db);
	return rc;
}
