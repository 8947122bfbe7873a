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
#include "station/firmware.h"

#define TAG "sender"
/* Boot retry when the central system gave no usable interval. */
#define BOOT_RETRY_DEFAULT_S 30

static void pump(struct station *s);

/* ---- BootNotification ---------------------------------------------------- */

static void boot_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;
	const char *status;
	int interval;

	s->sending = false;
	if (err != OCPP_ERR_NONE) {
		CP_WARN(TAG, "BootNotification failed: %s %s", ocpp_error_name(err), desc);
		if (s->online)
			st_timer_arm_in(s, ST_T_BOOT, (int64_t)BOOT_RETRY_DEFAULT_S * 1000);
		return;
	}
	status = cJSON_GetStringValue(cJSON_GetObjectItem(payload, "status"));
	interval = cp_json_int(cJSON_GetNumberValue(cJSON_GetObjectItem(payload, "interval")));
	CP_INFO(TAG, "BootNotification %s, interval %d", status ? status : "?", interval);
	if (status && strcmp(status, "Accepted") == 0) {
		bool first = s->boot != ST_BOOT_ACCEPTED;
		s->boot = ST_BOOT_ACCEPTED;
		s->boot_interval_s = interval > 0 ? interval : 0;
		/* The central system sets the heartbeat interval (OCPP 1.6 §4.2);
		 * keep it in HeartbeatInterval so GetConfiguration shows it. */
		if (interval > 0) {
			char v[16];
			snprintf(v, sizeof(v), "%d", interval);
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
	cJSON_AddStringToObject(p, "chargePointSerialNumber", s->opt.id);
	cJSON_AddStringToObject(p, "chargeBoxSerialNumber", s->opt.id);
	{
		/* The installed image's version once a firmware update ran. */
		const char *v = st_fw_version(s);
		char ver[51];	/* CiString50: a longer name would fail the schema */
		snprintf(ver, sizeof(ver), "%s", v && v[0] ? v : PACKAGE_VERSION);
		cJSON_AddStringToObject(p, "firmwareVersion", ver);
	}
	rc = ocpp_rpc_call(&s->rpc, "BootNotification", p, boot_done, s, st_clock_real_mono());
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
	(void)user;
	if (err != OCPP_ERR_NONE)
		CP_WARN(TAG, "Heartbeat failed: %s %s", ocpp_error_name(err), desc);
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
	    &memq_inflight, st_clock_real_mono());
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

/* ---- the durable transaction queue --------------------------------------- */

int st_send_tx(struct station *s, const char *action, cJSON *payload, int64_t tx_local_id)
{
	char *text = cJSON_PrintUnformatted(payload);
	int rc;

	cJSON_Delete(payload);
	if (!text)
		return -ENOMEM;
	rc = store_queue_push(s->db, action, text, tx_local_id, NULL);
	free(text);
	if (rc < 0) {
		CP_ERR(TAG, "could not persist %s: %d", action, rc);
		return rc;
	}
	s->queue_maybe = true;
	pump(s);
	return 0;
}

static void queue_done(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;
	store_qmsg *q = s->qmsg;
	int max_attempts, retry_s;

	s->sending = false;
	if (err == OCPP_ERR_NONE) {
		/* Delivered: off the queue first, so that whatever the answer
		 * triggers (a DeAuthorized stop) cannot send it again. */
		store_queue_delete(s->db, q->seq);
		if (strcmp(q->action, "StartTransaction") == 0) {
			const cJSON *info = cJSON_GetObjectItem(payload, "idTagInfo");
			int tx_id = cp_json_int(cJSON_GetNumberValue(cJSON_GetObjectItem(payload, "transactionId")));
			st_conn_start_confirmed(s, q->tx_local_id, tx_id,
			    cJSON_GetStringValue(cJSON_GetObjectItem(info, "status")),
			    cJSON_GetStringValue(cJSON_GetObjectItem(info, "parentIdTag")));
		} else if (strcmp(q->action, "StopTransaction") == 0 && q->tx_local_id >= 0) {
			store_tx_delete(s->db, q->tx_local_id);
		}
		pump(s);
		return;
	}
	if (err == OCPP_ERR_TIMEOUT || err == OCPP_ERR_DISCONNECTED) {
		/* Not a failure to process: send again once online (§4.7). */
		CP_WARN(TAG, "%s #%lld not answered (%s), will resend", q->action,
		    (long long)q->seq, ocpp_error_name(err));
		pump(s);
		return;
	}
	max_attempts = cfg_int(&s->cfg, CFG_TRANSACTION_MESSAGE_ATTEMPTS);
	retry_s = cfg_int(&s->cfg, CFG_TRANSACTION_MESSAGE_RETRY_INTERVAL);
	if (q->attempts + 1 >= max_attempts) {
		CP_ERR(TAG, "%s #%lld failed %d times (%s %s): dropped", q->action,
		    (long long)q->seq, q->attempts + 1, ocpp_error_name(err), desc);
		if (strcmp(q->action, "StopTransaction") == 0 && q->tx_local_id >= 0)
			store_tx_delete(s->db, q->tx_local_id);
		store_queue_delete(s->db, q->seq);
	} else {
		int64_t wait = (int64_t)retry_s * (q->attempts + 1);
		CP_WARN(TAG, "%s #%lld failed (%s %s), retry %d in %lld s", q->action,
		    (long long)q->seq, ocpp_error_name(err), desc, q->attempts + 2,
		    (long long)wait);
		store_queue_bump_attempt(s->db, q->seq, cp_utc(st_utc(s).s + wait));
	}
	pump(s);
}

static bool pump_queue(struct station *s)
{
	store_qmsg *q = s->qmsg;
	cJSON *payload;
	int rc;

	/* The durable queue is usually empty: do not ask SQLite on every
	 * inbound frame (the RPC path is hot), only after something was
	 * queued and until the queue reads empty again. */
	if (!s->queue_maybe)
		return false;
	if (store_queue_peek(s->db, q) < 0) {
		s->queue_maybe = false;
		return false;
	}
	if (q->next_try_utc.s > st_utc(s).s) {
		st_timer_arm_in(s, ST_T_QUEUE, (q->next_try_utc.s - st_utc(s).s) * 1000);
		return false;
	}
	payload = cJSON_Parse(q->payload);
	if (!payload) {
		CP_ERR(TAG, "queued %s #%lld is not JSON: dropped", q->action, (long long)q->seq);
		store_queue_delete(s->db, q->seq);
		return pump_queue(s);
	}
	if (q->tx_local_id >= 0 && strcmp(q->action, "StartTransaction") != 0) {
		store_tx tx;
		if (store_tx_get(s->db, q->tx_local_id, &tx) < 0 || !tx.has_transaction_id) {
			/* Its StartTransaction was never confirmed (dropped after its
			 * attempts): there is no transactionId to refer to. */
			CP_ERR(TAG, "%s #%lld refers to a transaction without id: dropped",
			    q->action, (long long)q->seq);
			cJSON_Delete(payload);
			store_queue_delete(s->db, q->seq);
			return pump_queue(s);
		}
		cJSON_DeleteItemFromObject(payload, "transactionId");
		cJSON_AddNumberToObject(payload, "transactionId", tx.transaction_id);
	}
	rc = ocpp_rpc_call(&s->rpc, q->action, payload, queue_done, s, st_clock_real_mono());
	if (rc == 0) {
		s->sending = true;
		return true;
	}
	if (rc == -EINVAL) {
		CP_ERR(TAG, "queued %s #%lld fails its schema: dropped", q->action, (long long)q->seq);
		store_queue_delete(s->db, q->seq);
		return pump_queue(s);
	}
	return false;
}

static void pump(struct station *s)
{
	if (!s->online || s->sending || ocpp_rpc_busy(&s->rpc))
		return;
	if (s->boot != ST_BOOT_ACCEPTED)
		return;
	if (pump_memq(s))
		return;
	pump_queue(s);
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
