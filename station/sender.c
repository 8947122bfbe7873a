/*
 * sender.c - everything the charge point sends.
 *
 * OCPP-J allows one outstanding CALL.  The order of precedence:
 *   1. BootNotification until it is Accepted; before that nothing else is
 *      sent (OCPP 1.6 §4.2.1: Pending/Rejected only allow the boot retry).
 *   2. The in-memory queue of non-transaction messages (Authorize,
 *      StatusNotification, Heartbeat, DataTransfer...): these may overtake
 *      transaction messages (OCPP 1.6 §4.7).
 *   3. The durable queue in SQLite: StartTransaction, StopTransaction and
 *      transaction MeterValues, strictly in the order they happened, each
 *      written before it is sent and deleted only after its CALLRESULT.
 *      A CALLERROR is retried after TransactionMessageRetryInterval x attempts,
 *      up to TransactionMessageAttempts, then dropped with a log line.
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_json.h"
#include "cp_log.h"
#include "cp_testhook.h"
#include "station/firmware/firmware.h"

#define TAG "sender"
/* Boot retry when the central system gave no usable interval. */
#define BOOT_RETRY_DEFAULT_S 30

static void pump(struct station *s);

/* ---- BootNotification ---------------------------------------------------- */

static void boot_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;
	const char *status;
	int64_t interval = 0;

	s->sending = false;
	if (err != OCPP_ERR_NONE) {
		CP_WARN(TAG, "BootNotification failed: %s %s", ocpp_error_name(err), desc);
		if (s->online)
			st_timer_arm_in(s, ST_T_BOOT, (int64_t)BOOT_RETRY_DEFAULT_S * 1000);
		return;
	}
	/* currentTime is in every answer, Accepted or not (OCPP 1.6 §4.2): the
	 * clock follows it before anything is timestamped. */
	st_clock_follow(s, "BootNotification",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(payload, "currentTime")));
	status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(payload, "status"));
	/* A schema integer beyond int is no usable interval: as if absent. */
	if (cp_json_int(payload, "interval", INT32_MIN, INT32_MAX, &interval) < 0)
		CP_WARN(TAG, "BootNotification interval is not an int: ignored");
	CP_INFO(TAG, "BootNotification %s, interval %lld", status ? status : "?", (long long)interval);
	if (status && strcmp(status, "Accepted") == 0) {
		bool first = s->boot != ST_BOOT_ACCEPTED;
		s->boot = ST_BOOT_ACCEPTED;
		s->boot_interval_s = interval > 0 ? (int)interval : 0;
		/* The central system sets the heartbeat interval (OCPP 1.6 §4.2);
		 * keep it in HeartbeatInterval so GetConfiguration shows it. */
		if (interval > 0) {
			char v[24];
			snprintf(v, sizeof(v), "%lld", (long long)interval);
			cfg_change(&s->cfg, "HeartbeatInterval", v);
		}
		st_timer_cancel(s, ST_T_BOOT);
		if (first)
			st_conn_on_boot_accepted(s);
		st_sender_rearm_heartbeat(s);
		pump(s);
		return;
	}
	s->boot = (status && strcmp(status, "Pending") == 0) ? ST_BOOT_PENDING : ST_BOOT_REJECTED;
	st_timer_arm_in(s, ST_T_BOOT,
	    (int64_t)(interval > 0 ? interval : BOOT_RETRY_DEFAULT_S) * 1000);
}

static void send_boot(struct station *s)
{
	cJSON *p = cJSON_CreateObject();
	int rc;

	cJSON_AddStringToObject(p, "chargePointVendor", "OpenEVSE-Stack");
	cJSON_AddStringToObject(p, "chargePointModel", "ocpp-cp-sim");
	{
		/* CiString25: an identity of 26..48 characters is no serial
		 * number; then the fields are left out (both are optional). */
		const char *serial = s->opt.serial ? s->opt.serial :
		    strlen(s->opt.id) <= CP_MAX_SERIAL ? s->opt.id : NULL;
		if (serial) {
			cJSON_AddStringToObject(p, "chargePointSerialNumber", serial);
			cJSON_AddStringToObject(p, "chargeBoxSerialNumber", serial);
		}
	}
	{
		/* The installed image's version once a firmware update ran. */
		const char *v = st_fw_version(s);
		char ver[51];	/* CiString50: a longer name would fail the schema */
		snprintf(ver, sizeof(ver), "%s", v && v[0] ? v : PACKAGE_VERSION);
		cJSON_AddStringToObject(p, "firmwareVersion", ver);
	}
	rc = ocpp_rpc_call(&s->rpc, "BootNotification", p, boot_done, s, st_real(s));
	if (rc == 0)
		s->sending = true;
	else
		st_timer_arm_in(s, ST_T_BOOT, (int64_t)BOOT_RETRY_DEFAULT_S * 1000);
}

void st_sender_boot_timer(struct station *s)
{
	if (s->online && !s->sending && s->boot != ST_BOOT_ACCEPTED)
		send_boot(s);
}

/* ---- Heartbeat ------------------------------------------------------------- */

void st_sender_rearm_heartbeat(struct station *s)
{
	int iv = cfg_int(&s->cfg, CFG_HEARTBEAT_INTERVAL);

	if (iv > 0 && s->boot == ST_BOOT_ACCEPTED)
		st_timer_arm_in(s, ST_T_HEARTBEAT, (int64_t)iv * 1000);
	else
		st_timer_cancel(s, ST_T_HEARTBEAT);
}

static void heartbeat_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;

	if (err != OCPP_ERR_NONE) {
		CP_WARN(TAG, "Heartbeat failed: %s %s", ocpp_error_name(err), desc);
		return;
	}
	/* OCPP 1.6 §4.6: the charge point may use Heartbeat.conf currentTime
	 * to synchronise its internal clock. */
	st_clock_follow(s, "Heartbeat",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(payload, "currentTime")));
}

void st_sender_heartbeat(struct station *s)
{
	if (s->online && s->boot == ST_BOOT_ACCEPTED)
		st_send(s, "Heartbeat", cJSON_CreateObject(), heartbeat_done, s);
	st_sender_rearm_heartbeat(s);
}

/* ---- the in-memory queue ------------------------------------------------- */

int st_send(struct station *s, const char *action, cJSON *payload,
    ocpp_call_cb cb, void *user)
{
	unsigned slot;

	if (s->memq_count == ST_MEMQ_SLOTS) {
		/* Full (a long time offline): the oldest message goes; statuses
		 * are re-sent on reconnect anyway. */
		struct st_memq_entry *old = &s->memq[s->memq_head];
		CP_WARN(TAG, "message queue full, dropping %s", old->action);
		if (old->cb)
			old->cb(old->user, OCPP_ERR_DISCONNECTED, NULL, "dropped");
		cJSON_Delete(old->payload);
		s->memq_head = (s->memq_head + 1) % ST_MEMQ_SLOTS;
		s->memq_count--;
	}
	slot = (s->memq_head + s->memq_count) % ST_MEMQ_SLOTS;
	s->memq[slot].action = action;
	s->memq[slot].payload = payload;
	s->memq[slot].cb = cb;
	s->memq[slot].user = user;
	s->memq_count++;
	pump(s);
	return 0;
}

struct memq_call {
	struct station *s;
	ocpp_call_cb cb;
	void *user;
};

static struct memq_call memq_inflight;

static void memq_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct memq_call *mc = user;
	struct station *s = mc->s;

	s->sending = false;
	if (mc->cb)
		mc->cb(mc->user, err, payload, desc);
	pump(s);
}

static bool pump_memq(struct station *s)
{
	struct st_memq_entry *e;
	int rc;

	if (!s->memq_count)
		return false;
	e = &s->memq[s->memq_head];
	memq_inflight.s = s;
	memq_inflight.cb = e->cb;
	memq_inflight.user = e->user;
	/* ocpp_rpc_call always takes its payload; keep ours until it is sent. */
	rc = ocpp_rpc_call(&s->rpc, e->action, cJSON_Duplicate(e->payload, 1), memq_done,
	    &memq_inflight, st_real(s));
	if (rc == -EBUSY || rc == -ENOTCONN || rc == -EAGAIN)
		return true;	/* pumped again when the session is idle */
	cJSON_Delete(e->payload);
	e->payload = NULL;
	s->memq_head = (s->memq_head + 1) % ST_MEMQ_SLOTS;
	s->memq_count--;
	if (rc == 0) {
		s->sending = true;
		return true;
	}
	CP_ERR(TAG, "could not send %s: %d", e->action, rc);
	if (e->cb)
		e->cb(e->user, OCPP_ERR_INTERNAL, NULL, "not sent");
	return false;
}

/* ---- storage faults ---------------------------------------------------------
 *
 * Transaction messages are written to SQLite before they are sent.  When a
 * write fails (a full disk, an I/O error) the station goes on: messages that
 * could not be persisted are kept in memory (bounded, ST_MEMTX_SLOTS) and sent
 * while online, a delivered message whose deletion could not be persisted is
 * remembered so that it is never sent again (the delete is retried, not the
 * send), and transactionIds that could not be stored are kept in memory.  The
 * fault is logged once and reported on connector 0 (StatusNotification
 * errorCode OtherError, connector.c) until every deferred write is on disk.
 */

/* Deferred writes are retried at most this often (station time). */
#define STORAGE_RETRY_MS 1000

static void storage_failed(struct station *s, int rc, const char *what)
{
	if (s->storage_fault)
		return;
	s->storage_fault = true;
	s->storage_rc = rc;
	CP_ERR(TAG, "storage: %s failed (%s): transaction messages are kept in memory and sent "
	    "while online until the database can be written again", what, strerror(-rc));
	st_mark_dirty(s);	/* connector 0 reports it */
}

static bool storage_pending(const struct station *s)
{
	return s->memtx_count || s->q_answered_seq || s->n_txid_mem || s->n_txdel_mem ||
	    s->q_retry_seq;
}

static void storage_recovered(struct station *s)
{
	if (!s->storage_fault || storage_pending(s))
		return;
	s->storage_fault = false;
	store_full_rearm(s->db);
	CP_INFO(TAG, "storage: writes succeed again; every deferred write is on disk");
	st_mark_dirty(s);
}

/* The transactionId of a local transaction: the store, or memory when the
 * store could not keep it.  0 when found, -ENOENT when not confirmed yet. */
static int tx_remote_id(struct station *s, int64_t local_id, int64_t *tx_id)
{
	store_tx tx;

	for (int i = 0; i < s->n_txid_mem; i++) {
		if (s->txid_mem[i].local_id == local_id) {
			*tx_id = s->txid_mem[i].tx_id;
			return 0;
		}
	}
	if (store_tx_get(s->db, local_id, &tx) < 0 || !tx.has_transaction_id)
		return -ENOENT;
	*tx_id = tx.transaction_id;
	return 0;
}

static void txid_remember(struct station *s, int64_t local_id, int64_t tx_id)
{
	if (s->n_txid_mem == ST_TXID_MEM) {
		CP_ERR(TAG, "storage: too many transactionIds waiting for the disk; "
		    "forgetting that of transaction %lld", (long long)s->txid_mem[0].local_id);
		memmove(&s->txid_mem[0], &s->txid_mem[1], sizeof(s->txid_mem[0]) * (ST_TXID_MEM - 1));
		s->n_txid_mem--;
	}
	s->txid_mem[s->n_txid_mem].local_id = local_id;
	s->txid_mem[s->n_txid_mem].tx_id = tx_id;
	s->n_txid_mem++;
}

/* A transaction whose StopTransaction was delivered: its row goes. */
static void tx_forget(struct station *s, int64_t local_id)
{
	int rc = store_tx_delete(s->db, local_id);

	if (rc == 0 || rc == -ENOENT) {
		for (int i = 0; i < s->n_txid_mem; i++) {
			if (s->txid_mem[i].local_id == local_id) {
				s->txid_mem[i] = s->txid_mem[--s->n_txid_mem];
				break;
			}
		}
		return;
	}
	storage_failed(s, rc, "deleting a finished transaction");
	for (int i = 0; i < s->n_txdel_mem; i++)
		if (s->txdel_mem[i] == local_id)
			return;
	if (s->n_txdel_mem < ST_TXID_MEM)
		s->txdel_mem[s->n_txdel_mem++] = local_id;
	else
		CP_ERR(TAG, "storage: cannot remember transaction %lld for deletion", (long long)local_id);
}

/* Retries the deferred writes, at most once per STORAGE_RETRY_MS; with none
 * deferred, a small probe write tells whether the disk takes writes again.
 * True when a write succeeded this round: only a write proves the fault over. */
static bool storage_retry(struct station *s)
{
	cp_mono_t now = st_now(s);
	bool wrote = false;
	int rc;

	if (s->storage_retry_at.ms && now.ms < s->storage_retry_at.ms)
		return false;
	s->storage_retry_at = cp_mono(now.ms + STORAGE_RETRY_MS);
	if (s->q_answered_seq) {
		if (store_queue_delete_upto(s->db, s->q_answered_seq) == 0) {
			s->q_answered_seq = 0;
			wrote = true;
		}
	}
	for (int i = 0; i < s->n_txid_mem;) {
		rc = store_tx_set_remote_id(s->db, s->txid_mem[i].local_id, s->txid_mem[i].tx_id);
		wrote = wrote || rc == 0;
		if (rc == 0 || rc == -ENOENT)
			s->txid_mem[i] = s->txid_mem[--s->n_txid_mem];
		else
			i++;
	}
	for (int i = 0; i < s->n_txdel_mem;) {
		rc = store_tx_delete(s->db, s->txdel_mem[i]);
		wrote = wrote || rc == 0;
		if (rc == 0 || rc == -ENOENT)
			s->txdel_mem[i] = s->txdel_mem[--s->n_txdel_mem];
		else
			i++;
	}
	if (s->q_retry_seq) {
		rc = store_queue_bump_to(s->db, s->q_retry_seq, s->q_retry_attempts, s->q_retry_next);
		wrote = wrote || rc == 0;
		if (rc == 0 || rc == -ENOENT)
			s->q_retry_seq = 0;
	}
	if (!wrote && !s->q_answered_seq && !s->q_retry_seq && !s->n_txid_mem && !s->n_txdel_mem)
		wrote = store_state_set_int(s->db, "storage.probe", st_utc(s).s) == 0;
	return wrote;
}

/* ---- the durable transaction queue --------------------------------------- */

/* Writes one transaction message to the queue; a StopTransaction ends its
 * transaction in the same SQLite transaction, so that no crash can leave a
 * transaction ended without its StopTransaction queued (or the reverse). */
static int persist_tx(struct station *s, const char *action, const cJSON *payload,
    int64_t tx_local_id)
{
	char *text = cJSON_PrintUnformatted(payload);
	int rc;

	if (!text)
		return -ENOMEM;
	if (strcmp(action, "StopTransaction") != 0 || tx_local_id < 0) {
		rc = store_queue_push(s->db, action, text, tx_local_id, NULL);
		free(text);
		return rc < 0 ? rc : 0;
	}
	{
		const char *ts = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "timestamp"));
		const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "reason"));
		const char *tag = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "idTag"));
		double meter = cJSON_GetNumberValue(cJSON_GetObjectItem(payload, "meterStop"));
		cp_utc_t when = st_utc(s);

		if (ts)
			ocpp_time_parse(ts, &when);
		rc = store_begin(s->db);
		if (rc == 0) {
			rc = store_tx_end(s->db, tx_local_id, meter >= 0 && meter < 9e15 ? (int64_t)meter : 0,
			    when, reason, tag);
			if (rc == -EALREADY || rc == -ENOENT)
				rc = 0;	/* ended before (a stop retried from memory) */
			CP_KILLPOINT("tx_stop");
			if (rc == 0)
				rc = store_queue_push(s->db, action, text, tx_local_id, NULL);
			if (rc >= 0)
				rc = store_commit(s->db);
			else
				store_rollback(s->db);
		}
	}
	free(text);
	return rc < 0 ? rc : 0;
}

/* Writes the messages kept in memory to the queue, oldest first, while the
 * store takes them.  0 when none is left. */
static int memtx_flush(struct station *s)
{
	while (s->memtx_count) {
		struct st_memtx_entry *e = &s->memtx[s->memtx_head];
		int rc;

		if (s->memtx_inflight)
			return -EBUSY;	/* sent right now: it goes when answered */
		rc = persist_tx(s, e->action, e->payload, e->tx_local_id);
		if (rc < 0)
			return rc;
		cJSON_Delete(e->payload);
		e->payload = NULL;
		s->memtx_head = (s->memtx_head + 1) % ST_MEMTX_SLOTS;
		s->memtx_count--;
		s->queue_maybe = true;
	}
	return 0;
}

static void memtx_pop(struct station *s)
{
	struct st_memtx_entry *e = &s->memtx[s->memtx_head];

	cJSON_Delete(e->payload);
	e->payload = NULL;
	s->memtx_head = (s->memtx_head + 1) % ST_MEMTX_SLOTS;
	s->memtx_count--;
}

/* Keeps a message that could not be persisted; payload is taken. */
static void memtx_push(struct station *s, const char *action, cJSON *payload, int64_t tx_local_id)
{
	struct st_memtx_entry *e;

	if (s->memtx_count == ST_MEMTX_SLOTS) {
		/* Full: the oldest MeterValues not being sent goes (as the
		 * durable queue does); starts and stops are kept. */
		unsigned k, victim = ST_MEMTX_SLOTS;
		for (k = s->memtx_inflight ? 1 : 0; k < s->memtx_count; k++) {
			unsigned i = (s->memtx_head + k) % ST_MEMTX_SLOTS;
			if (strcmp(s->memtx[i].action, "MeterValues") == 0) {
				victim = i;
				break;
			}
		}
		if (victim == ST_MEMTX_SLOTS) {
			CP_ERR(TAG, "storage: %s for transaction %lld can be neither stored nor kept: lost",
			    action, (long long)tx_local_id);
			cJSON_Delete(payload);
			return;
		}
		CP_WARN(TAG, "storage: in-memory queue full: dropping a MeterValues");
		{
			struct st_memtx_entry keep[ST_MEMTX_SLOTS];
			unsigned n = 0;
			cJSON_Delete(s->memtx[victim].payload);
			for (k = 0; k < s->memtx_count; k++) {
				unsigned i = (s->memtx_head + k) % ST_MEMTX_SLOTS;
				if (i != victim)
					keep[n++] = s->memtx[i];
			}
			memcpy(s->memtx, keep, sizeof(keep[0]) * n);
			s->memtx_head = 0;
			s->memtx_count = n;
		}
	}
	e = &s->memtx[(s->memtx_head + s->memtx_count) % ST_MEMTX_SLOTS];
	memset(e, 0, sizeof(*e));
	e->action = strcmp(action, "StartTransaction") == 0 ? "StartTransaction" :
	    strcmp(action, "StopTransaction") == 0 ? "StopTransaction" :
	    strcmp(action, "SecurityEventNotification") == 0 ? "SecurityEventNotification" :
	    "MeterValues";
	e->payload = payload;
	e->tx_local_id = tx_local_id;
	s->memtx_count++;
}

int st_send_tx(struct station *s, const char *action, cJSON *payload, int64_t tx_local_id)
{
	int rc = s->memtx_count ? memtx_flush(s) : 0;

	/* Messages go out in the order they happened: while older ones wait in
	 * memory, a newer one may not overtake them through the store. */
	if (rc == 0) {
		rc = persist_tx(s, action, payload, tx_local_id);
		if (rc == 0) {
			cJSON_Delete(payload);
			storage_recovered(s);
			s->queue_maybe = true;
			pump(s);
			return 0;
		}
		if (rc == -EINVAL || rc == -ENOMEM) {
			CP_ERR(TAG, "could not persist %s: %d", action, rc);
			cJSON_Delete(payload);
			return rc;
		}
	}
	if (rc != -EBUSY)
		storage_failed(s, rc, action);
	CP_DEBUG(TAG, "%s kept in memory (%d)", action, rc);
	memtx_push(s, action, payload, tx_local_id);
	pump(s);
	return 0;
}

int st_tx_record_start(struct station *s, int connector, const char *id_tag,
    int64_t meter_wh, cp_utc_t when, int reservation_id, cJSON *payload, int64_t *local_id)
{
	char *text = NULL;
	int rc;

	if (s->memtx_count && memtx_flush(s) < 0) {
		/* The store cannot take the start behind the messages that
		 * wait in memory: no transaction it cannot record. */
		cJSON_Delete(payload);
		return -ENOSPC;
	}
	text = cJSON_PrintUnformatted(payload);
	cJSON_Delete(payload);
	if (!text)
		return -ENOMEM;
	rc = store_begin(s->db);
	if (rc == 0) {
		rc = store_tx_begin(s->db, connector, id_tag, meter_wh, when, reservation_id, local_id);
		CP_KILLPOINT("tx_start");
		if (rc == 0)
			rc = store_queue_push(s->db, "StartTransaction", text, *local_id, NULL);
		if (rc >= 0)
			rc = store_commit(s->db);
		else
			store_rollback(s->db);
	}
	free(text);
	if (rc < 0) {
		if (rc != -EINVAL)
			storage_failed(s, rc, "recording a transaction");
		return rc;
	}
	storage_recovered(s);
	s->queue_maybe = true;
	pump(s);
	return 0;
}

/* A queued message is done with (answered or given up): it leaves the queue;
 * if the delete cannot be written, it is skipped until the delete is retried,
 * never sent again. */
static void queue_forget(struct station *s, int64_t seq, const char *what)
{
	int rc = store_queue_delete(s->db, seq);

	if (rc < 0 && rc != -ENOENT) {
		storage_failed(s, rc, what);
		if (seq > s->q_answered_seq)
			s->q_answered_seq = seq;
	}
}

/* A StartTransaction was answered: it leaves the queue and its transactionId
 * is stored in one SQLite transaction. */
static void start_answered(struct station *s, int64_t seq, int64_t local_id, int64_t tx_id, bool from_memory)
{
	int rc = store_begin(s->db);

	if (rc == 0) {
		rc = from_memory ? 0 : store_queue_delete(s->db, seq);
		CP_KILLPOINT("start_confirmed");
		if (rc == 0)
			rc = store_tx_set_remote_id(s->db, local_id, tx_id);
		if (rc == 0)
			rc = store_commit(s->db);
		else
			store_rollback(s->db);
	}
	if (rc == 0)
		return;
	storage_failed(s, rc, "recording a confirmed StartTransaction");
	if (!from_memory && seq > s->q_answered_seq)
		s->q_answered_seq = seq;
	txid_remember(s, local_id, tx_id);
}

static void tx_answered(struct station *s, const char *action, int64_t seq,
    int64_t tx_local_id, int64_t tx_id, const cJSON *payload, bool from_memory)
{
	if (strcmp(action, "StartTransaction") == 0) {
		const cJSON *info = cJSON_GetObjectItemCaseSensitive(payload, "idTagInfo");

		start_answered(s, seq, tx_local_id, tx_id, from_memory);
		st_conn_start_confirmed(s, tx_local_id, tx_id,
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "status")),
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "parentIdTag")));
		return;
	}
	if (!from_memory)
		queue_forget(s, seq, "removing a delivered message");
	if (strcmp(action, "StopTransaction") == 0 && tx_local_id >= 0)
		tx_forget(s, tx_local_id);
}

/* Gives up a message after its attempts (OCPP 1.6 §4.7). */
static void tx_given_up(struct station *s, const char *action, int64_t seq,
    int64_t tx_local_id, bool from_memory)
{
	if (strcmp(action, "StopTransaction") == 0 && tx_local_id >= 0)
		tx_forget(s, tx_local_id);
	if (!from_memory)
		queue_forget(s, seq, "removing a message given up");
}

struct tx_call {
	struct station *s;
	bool from_memory;
};

static struct tx_call tx_inflight;

static void queue_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct tx_call *tc = user;
	struct station *s = tc->s;
	bool mem = tc->from_memory;
	store_qmsg *q = s->qmsg;
	struct st_memtx_entry *me = mem ? &s->memtx[s->memtx_head] : NULL;
	const char *action = mem ? me->action : q->action;
	int64_t seq = mem ? 0 : q->seq;
	int64_t tx_local_id = mem ? me->tx_local_id : q->tx_local_id;
	int attempts = mem ? me->attempts : q->attempts;
	int max_attempts, retry_s;
	int64_t tx_id = 0;

	s->sending = false;
	if (mem)
		s->memtx_inflight = false;
	if (!mem && s->q_retry_seq == seq && s->q_retry_attempts > attempts)
		attempts = s->q_retry_attempts;
	/* A transactionId the station cannot send back digit for digit
	 * (CP_MAX_TRANSACTION_ID) is unusable: the reply counts as one that
	 * failed its schema, with the same retries. */
	if (err == OCPP_ERR_NONE && strcmp(action, "StartTransaction") == 0 &&
	    cp_json_int(payload, "transactionId", -CP_MAX_TRANSACTION_ID,
	    CP_MAX_TRANSACTION_ID, &tx_id) < 0) {
		err = OCPP_ERR_PROPERTY_CONSTRAINT;
		desc = "transactionId out of the station's range (|id| < 10^15)";
	}
	if (err == OCPP_ERR_NONE) {
		/* Delivered: off the queue first, so that whatever the answer
		 * triggers (a DeAuthorized stop) cannot send it again. */
		if (mem) {
			/* action is a static string and payload the answer: both
			 * outlive the entry. */
			memtx_pop(s);
			tx_answered(s, action, 0, tx_local_id, tx_id, payload, true);
		} else {
			if (s->q_retry_seq == seq)
				s->q_retry_seq = 0;
			tx_answered(s, action, seq, tx_local_id, tx_id, payload, false);
		}
		pump(s);
		return;
	}
	if (err == OCPP_ERR_TIMEOUT || err == OCPP_ERR_DISCONNECTED) {
		/* Not a failure to process: send again once online (§4.7). */
		CP_WARN(TAG, "%s #%lld not answered (%s), will resend", action,
		    (long long)seq, ocpp_error_name(err));
		pump(s);
		return;
	}
	max_attempts = cfg_int(&s->cfg, CFG_TRANSACTION_MESSAGE_ATTEMPTS);
	/* A central system without the security extension answers
	 * SecurityEventNotification NotImplemented (OCPP-J 4.2.3): asking
	 * again changes nothing and would hold back the transaction messages
	 * queued behind it.  The event stays in the security log. */
	if (strcmp(action, "SecurityEventNotification") == 0 &&
	    (err == OCPP_ERR_NOT_IMPLEMENTED || err == OCPP_ERR_NOT_SUPPORTED))
		max_attempts = attempts + 1;
	retry_s = cfg_int(&s->cfg, CFG_TRANSACTION_MESSAGE_RETRY_INTERVAL);
	if (attempts + 1 >= max_attempts) {
		CP_ERR(TAG, "%s #%lld failed %d times (%s %s): dropped", action,
		    (long long)seq, attempts + 1, ocpp_error_name(err), desc);
		if (mem) {
			memtx_pop(s);
			tx_given_up(s, action, 0, tx_local_id, true);
		} else {
			if (s->q_retry_seq == seq)
				s->q_retry_seq = 0;
			tx_given_up(s, action, seq, tx_local_id, false);
		}
	} else {
		int64_t wait = (int64_t)retry_s * (attempts + 1);
		cp_utc_t next = cp_utc(st_utc(s).s + wait);
		CP_WARN(TAG, "%s #%lld failed (%s %s), retry %d in %lld s", action,
		    (long long)seq, ocpp_error_name(err), desc, attempts + 2,
		    (long long)wait);
		if (mem) {
			me->attempts = attempts + 1;
			me->next_try = next;
		} else if (store_queue_bump_to(s->db, seq, attempts + 1, next) < 0) {
			/* The retry time lives in memory until it can be stored:
			 * never an immediate resend loop. */
			storage_failed(s, -EIO, "counting a failed attempt");
			s->q_retry_seq = seq;
			s->q_retry_attempts = attempts + 1;
			s->q_retry_next = next;
		}
	}
	pump(s);
}

/* Fills in the transactionId of a message tied to a transaction; false when
 * it has none (its StartTransaction was never confirmed). */
static bool fill_tx_id(struct station *s, cJSON *payload, const char *action, int64_t tx_local_id)
{
	int64_t tx_id;

	if (tx_local_id < 0 || strcmp(action, "StartTransaction") == 0)
		return true;
	if (tx_remote_id(s, tx_local_id, &tx_id) < 0)
		return false;
	cJSON_DeleteItemFromObject(payload, "transactionId");
	cJSON_AddNumberToObject(payload, "transactionId", (double)tx_id);
	return true;
}

static bool pump_queue(struct station *s)
{
	store_qmsg *q = s->qmsg;
	cJSON *payload;
	cp_utc_t next_try;
	int rc;

	/* The durable queue is usually empty: do not ask SQLite on every
	 * inbound frame (the RPC path is hot), only after something was
	 * queued and until the queue reads empty again. */
	if (!s->queue_maybe)
		return false;
	/* Messages answered but not yet deleted on disk are skipped. */
	rc = store_queue_peek_after(s->db, s->q_answered_seq, q);
	if (rc < 0) {
		if (rc == -ENOENT)
			s->queue_maybe = false;
		return false;
	}
	next_try = q->next_try_utc;
	if (s->q_retry_seq == q->seq && s->q_retry_next.s > next_try.s)
		next_try = s->q_retry_next;
	if (next_try.s > st_utc(s).s) {
		st_timer_arm_earliest(s, ST_T_QUEUE, cp_mono(st_now(s).ms + (next_try.s - st_utc(s).s) * 1000));
		return true;	/* the order holds: nothing newer overtakes it */
	}
	payload = cJSON_Parse(q->payload);
	if (!payload) {
		CP_ERR(TAG, "queued %s #%lld is not JSON: dropped", q->action, (long long)q->seq);
		queue_forget(s, q->seq, "removing a message given up");
		return pump_queue(s);
	}
	if (!fill_tx_id(s, payload, q->action, q->tx_local_id)) {
		/* Its StartTransaction was never confirmed (dropped after its
		 * attempts): there is no transactionId to refer to. */
		CP_ERR(TAG, "%s #%lld refers to a transaction without id: dropped",
		    q->action, (long long)q->seq);
		cJSON_Delete(payload);
		queue_forget(s, q->seq, "removing a message given up");
		return pump_queue(s);
	}
	tx_inflight.s = s;
	tx_inflight.from_memory = false;
	rc = ocpp_rpc_call(&s->rpc, q->action, payload, queue_done, &tx_inflight, st_real(s));
	if (rc == 0) {
		s->sending = true;
		return true;
	}
	if (rc == -EINVAL) {
		CP_ERR(TAG, "queued %s #%lld fails its schema: dropped", q->action, (long long)q->seq);
		queue_forget(s, q->seq, "removing a message given up");
		return pump_queue(s);
	}
	return true;
}

/* The messages that could not be persisted; all newer than the store's. */
static bool pump_memtx(struct station *s)
{
	struct st_memtx_entry *e;
	cJSON *payload;
	int rc;

	if (!s->memtx_count || s->memtx_inflight)
		return false;
	e = &s->memtx[s->memtx_head];
	if (e->next_try.s > st_utc(s).s) {
		st_timer_arm_earliest(s, ST_T_QUEUE, cp_mono(st_now(s).ms + (e->next_try.s - st_utc(s).s) * 1000));
		return true;
	}
	payload = cJSON_Duplicate(e->payload, 1);
	if (!payload)
		return false;
	if (!fill_tx_id(s, payload, e->action, e->tx_local_id)) {
		CP_ERR(TAG, "%s for transaction %lld has no transactionId: dropped",
		    e->action, (long long)e->tx_local_id);
		cJSON_Delete(payload);
		memtx_pop(s);
		return pump_memtx(s);
	}
	tx_inflight.s = s;
	tx_inflight.from_memory = true;
	rc = ocpp_rpc_call(&s->rpc, e->action, payload, queue_done, &tx_inflight, st_real(s));
	if (rc == 0) {
		s->sending = true;
		s->memtx_inflight = true;
		return true;
	}
	if (rc == -EINVAL) {
		CP_ERR(TAG, "%s kept in memory fails its schema: dropped", e->action);
		memtx_pop(s);
		return pump_memtx(s);
	}
	return true;
}

static void pump(struct station *s)
{
	if (!s->online || s->sending || ocpp_rpc_busy(&s->rpc))
		return;
	if (s->boot != ST_BOOT_ACCEPTED)
		return;
	if (pump_memq(s))
		return;
	if (s->storage_fault) {
		if (storage_retry(s)) {
			if (s->memtx_count && !s->memtx_inflight)
				memtx_flush(s);
			storage_recovered(s);
		}
		if (s->storage_fault)
			st_timer_arm_earliest(s, ST_T_QUEUE, cp_mono(st_now(s).ms + STORAGE_RETRY_MS));
	}
	if (pump_queue(s))
		return;
	pump_memtx(s);
}

void st_sender_pump(struct station *s)
{
	pump(s);
}

void st_sender_queue_timer(struct station *s)
{
	pump(s);
}

/* ---- connection events --------------------------------------------------- */

void st_sender_on_open(struct station *s)
{
	s->online = true;
	s->sending = false;
	if (s->boot != ST_BOOT_ACCEPTED) {
		send_boot(s);
		return;
	}
	/* Reconnect without reboot: no new BootNotification (OCPP 1.6 §4.2). */
	st_conn_on_boot_accepted(s);
	pump(s);
}

void st_sender_on_close(struct station *s)
{
	s->online = false;
	ocpp_rpc_reset(&s->rpc);
	s->sending = false;
	st_timer_cancel(s, ST_T_BOOT);
}
