/*
 * station.h - the daemon: one struct owns every subsystem, one thread, one
 * libwebsockets loop.  The files of station/, by concern:
 *
 * The daemon's core
 *   main.c        command line, start-up, shutdown, re-exec on Reset
 *   loop.c        the station timers on the scaled clock (one lws timer)
 *   clock.c/.h    the scaled station clock (--time-scale)
 *   sender.c      outbound CALLs: BootNotification, the in-memory queue of
 *                 non-transaction messages, the durable transaction queue
 *                 and what happens when the disk cannot take it
 *   conn_fsm.c/.h the connector status machine of OCPP 1.6 §4.9, pure
 *                 (docs/status.md §1-2)
 *   tx_fsm.c/.h   a connector's authorization and transaction as a state
 *                 machine, pure (docs/status.md §3)
 *   connector.c   connectors: feeds both machines their events (tx_event)
 *                 and carries out their actions; change_state
 *   cycle.c       the control cycle (limits -> balancing -> limit stack ->
 *                 driver) and the driver tick
 *   meter.c       meter values, transactionData, per-grid-phase currents
 *   grid.c/.h     live grid data for active load balancing: the DSMR P1 or
 *                 Modbus TCP meter turned into a budget per grid phase; the
 *                 EMS Modbus slave
 *   meters.c/.h   the socket energy meters on a Modbus RTU bus (--hw linux)
 *   handlers.c    the inbound OCPP action table
 *   profiles.c    charging profiles to and from the database; Reset
 *   control.c/.h  the local control socket; ctl_cmds.c its commands
 *   http.c/.h     the installer page and its HTTP API (docs/http.md)
 *
 * config/     the configuration registry (config.h says what lives where):
 *             config.c, config_table.c (one row per key), config_value.c
 *             (value syntax), config_check.c/.h (cross-key rules),
 *             config_provision.c (--config), config_doc.c (the README key
 *             reference), license.c/.h (feature licences)
 * firmware/   firmware update and diagnostics (firmware.h): firmware.c (the
 *             OCPP side), fw_core.c (the pure job state machine), fw_worker.c
 *             and fw_transfer.c (the transfer child), fw_diag.c, fw_tar.c
 * scn/        the Smart Charging Network (docs/scn.md): scn.h (what a member
 *             announces), frame.c (the wire format, pure), view.c (the view
 *             and the raise rule, pure), net.c (the UDP multicast socket),
 *             member.c (this station as a member)
 * security/   the OCPP 1.6 Security Whitepaper (sec.h): sec.c (certificates,
 *             TLS trust, SecurityProfile, security events), cert.c, csr.c
 *             and profile.c (pure)
 * auth/       local authorization and reservations (authresv.h): localauth.c
 *             (local list and cache), reservation.c, resv_core.c (pure)
 */
#ifndef ST_STATION_H
#define ST_STATION_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "cp_limits.h"
#include "cp_log.h"
#include "cp_time.h"
#include "hw/hw.h"
#include "hw/hw_sim.h"
#include "ocpp/ocpp.h"
#include "ocpp/ws.h"
#include "smartcharging/sc.h"
#include "smartcharging/sc_balance.h"
#include "station/auth/authresv.h"
#include "station/clock.h"
#include "station/config/config.h"
#include "station/conn_fsm.h"
#include "station/tx_fsm.h"
#include "station/control.h"
#include "station/firmware/firmware.h"
#include "station/grid.h"
#include "station/http.h"
#include "station/meters.h"
#include "station/scn/member.h"
#include "station/security/sec.h"
#include "storage/store.h"

struct st_options {
	const char *url;
	const char *id;
	const char *serial;		/* --serial; NULL: the identity when it fits */
	const char *db;
	int connectors;
	const char *hw;
	const char *control;
	double time_scale;
	const char *config_file;
	const char *firmware_installer;	/* --firmware-installer, NULL: none */
	const char *hw_root;		/* --hw linux: root of sysfs (default "/") */
	const char *ca_file;		/* --ca-file: CA bundle for wss:// */
	int64_t security_fallback_ms;	/* --security-fallback: a raised SecurityProfile's trial */
	struct st_http_options http;	/* --http, --http-root, --http-cert, --http-key */
	enum cp_log_level log_level;
};


enum st_boot { ST_BOOT_NONE = 0, ST_BOOT_PENDING, ST_BOOT_REJECTED, ST_BOOT_ACCEPTED };

/* Station timers, all on the scaled clock. */
enum st_timer_id {
	ST_T_HW_TICK = 0,	/* driver poll */
	ST_T_BOOT,		/* BootNotification retry (Pending / Rejected / no answer) */
	ST_T_HEARTBEAT,
	ST_T_SAMPLE,		/* MeterValueSampleInterval */
	ST_T_ALIGNED,		/* ClockAlignedDataInterval */
	ST_T_SCHEDULE,		/* next change of a charging schedule */
	ST_T_QUEUE,		/* retry of a failed transaction message */
	ST_T_AUTH_TIMEOUT,	/* ConnectionTimeOut */
	ST_T_REBOOT,		/* Reset: re-exec when the queue drained or at the deadline */
	ST_T_EVAL,		/* deferred control cycle (dirty) */
	ST_T_BALANCE,		/* next change of the balancing engine (probing, alternating) */
	ST_T_FIRMWARE,		/* UpdateFirmware: retrieveDate, retry, busy recheck, reboot */
	ST_T_DIAGNOSTICS,	/* GetDiagnostics: upload retry */
	ST_T_RESERVATION,	/* earliest reservation expiryDate (authresv.h) */
	ST_T_SCN,		/* Smart Charging Network period */
	ST_T_COUNT
};

struct st_conn {
	int id;
	/* Last StatusNotification we queued. */
	enum st_status status;
	bool status_known;
	char error_code[32];
	/* A status waiting out MinimumStatusDuration. */
	bool cand_valid;
	enum st_status cand_status;
	cp_mono_t cand_since;
	/* Authorization and transaction: the state machine of tx_fsm.h; what
	 * follows is the data that goes with its states. */
	struct st_tx_fsm tx;
	char auth_tag[CP_MAX_ID_TAG + 1];	/* ST_TX_AUTHORIZED: the accepted card */
	char auth_parent[CP_MAX_ID_TAG + 1];
	cp_mono_t auth_deadline;		/* ConnectionTimeOut; 0 = none */
	char pending_tag[CP_MAX_ID_TAG + 1];	/* the card an Authorize.req asks for */
	cJSON *remote_profile;		/* TxProfile of RemoteStartTransaction, owned */
	/* The transaction (st_tx_running). */
	int64_t tx_local_id;
	bool tx_has_id;
	int64_t tx_id;			/* the central system's; up to CP_MAX_TRANSACTION_ID */
	char tx_tag[CP_MAX_ID_TAG + 1];
	char tx_parent[CP_MAX_ID_TAG + 1];
	cp_utc_t tx_start;
	int64_t tx_meter_start;
	cJSON *tx_data;			/* meterValue[] for StopTransaction.transactionData, owned */
	cp_mono_t sample_due;		/* next MeterValueSampleInterval sample; 0 = none */
	/* Driver view. */
	struct st_fsm_draw draw;	/* is an EV in state C drawing (SuspendedEV) */
	bool plugged;
	uint32_t hw_seq;
	bool operative;			/* ChangeAvailability */
	/* Control cycle result. */
	int32_t applied_ma;
	enum sc_source binding;
	uint8_t balance_reason;		/* enum sc_balance_reason */
	uint8_t pause;			/* enum sc_pause: why applied_ma is 0 */
	int32_t profile_ma;		/* Tx/TxDefault limit now, SC_LIMIT_NONE if none */
};

#define ST_MEMQ_SLOTS 32
/* Transaction messages kept in memory while the database cannot be written
 * (a full disk): sent while online, lost only if the station restarts before
 * they could be stored.  Starts and stops are never evicted; MeterValues are,
 * oldest first. */
#define ST_MEMTX_SLOTS 16
/* transactionIds, and finished transactions to delete, that wait for the disk. */
#define ST_TXID_MEM (2 * CP_MAX_CONNECTORS + 4)

struct st_memtx_entry {
	const char *action;		/* static: StartTransaction, StopTransaction, MeterValues */
	cJSON *payload;			/* owned */
	int64_t tx_local_id;
	int attempts;
	cp_utc_t next_try;
};

/* A queued non-transaction CALL (Authorize, StatusNotification, Heartbeat...). */
struct st_memq_entry {
	const char *action;
	cJSON *payload;			/* owned */
	ocpp_call_cb cb;
	void *user;
};

struct station {
	struct st_options opt;
	char **argv;			/* for re-exec */
	struct st_clock clock;
	struct lws_context *lws;
	struct lws_vhost *vhost;
	struct ws_client ws;
	ocpp_rpc rpc;
	store *db;
	struct cfg cfg;
	hw_station hw;
	hw_sim sim;
	bool sim_backend;
	struct st_control control;
	struct st_fw fw;		/* firmware update and diagnostics (firmware.c) */
	struct st_authresv authresv;	/* reservations (reservation.c) */
	bool control_open;

	struct sc_store profiles;
	/* The balancing engine (docs/balancing.md): long-lived state, and the input and
	 * output of one step (large: sized for an SCN of 128 sockets). */
	struct sc_balance_state balance;
	struct sc_balance_input balance_in;
	struct sc_balance_output balance_out;

	/* The instant of the event being handled (loop.c, st_event_begin). */
	int ev_depth;
	cp_mono_t ev_mono;
	int64_t ev_utc_ms;
	cp_real_t ev_real;

	/* Timers: one lws sul armed for the earliest deadline. */
	cp_mono_t timer_at[ST_T_COUNT];
	bool timer_armed[ST_T_COUNT];
	lws_sorted_usec_list_t timer_sul;

	/* OCPP session. */
	bool online;
	enum st_boot boot;
	int boot_interval_s;		/* from BootNotification.conf */
	bool sending;			/* our CALL is outstanding */
	struct st_memq_entry memq[ST_MEMQ_SLOTS];
	unsigned memq_head, memq_count;
	bool queue_waiting;		/* head of the durable queue waits for its retry time */
	bool queue_maybe;		/* the durable queue may hold messages */
	store_qmsg *qmsg;		/* buffer for the head of the durable queue */
	/* Storage faults (sender.c): writes deferred while the disk is full. */
	bool storage_fault;		/* reported on connector 0 until all are on disk */
	int storage_rc;			/* the first failure: -ENOSPC for a full disk */
	cp_mono_t storage_retry_at;
	int64_t q_answered_seq;		/* queue messages up to here answered, not yet deleted */
	int64_t q_retry_seq;		/* a failed attempt not yet counted on disk */
	int q_retry_attempts;
	cp_utc_t q_retry_next;
	struct st_memtx_entry memtx[ST_MEMTX_SLOTS];
	unsigned memtx_head, memtx_count;
	bool memtx_inflight;		/* memtx[memtx_head] is being sent */
	struct { int64_t local_id; int64_t tx_id; } txid_mem[ST_TXID_MEM];
	int n_txid_mem;
	int64_t txdel_mem[ST_TXID_MEM];
	int n_txdel_mem;

	struct st_conn conn[CP_MAX_CONNECTORS + 1];	/* [0] = the station */
	struct st_grid grid;				/* active load balancing */
	struct st_meters meters;			/* socket meters (meters.h) */
	struct st_scn scn;				/* Smart Charging Network */
	struct st_sec sec;				/* security whitepaper (security/sec.h) */
	struct st_http http;				/* installer page and API (http.h) */
	int n_conn;

	bool reset_pending;
	bool reset_hard;
	cp_mono_t reboot_since;		/* the reboot waits for the queue since (station time) */
	bool stopping;
	int exit_code;
	uint64_t eval_count;
};

/* loop.c */
void st_timer_init(struct station *s);
void st_timer_arm(struct station *s, enum st_timer_id t, cp_mono_t at);
void st_timer_arm_in(struct station *s, enum st_timer_id t, int64_t ms);
/* Arms t for `at` unless it is already armed for an earlier time. */
void st_timer_arm_earliest(struct station *s, enum st_timer_id t, cp_mono_t at);
void st_timer_cancel(struct station *s, enum st_timer_id t);
/* One instant per event (loop.c): begin/end around everything the loop
 * dispatches; st_now / st_utc / st_utc_ms / st_timestamp read it. */
void st_event_begin(struct station *s);
void st_event_end(struct station *s);
cp_mono_t st_now(const struct station *s);
/* Real (unscaled) monotonic time of the event: RPC deadlines (OCPP-J). */
cp_real_t st_real(const struct station *s);
cp_utc_t st_utc(const struct station *s);
int64_t st_utc_ms(const struct station *s);
void st_timestamp(const struct station *s, char buf[OCPP_TIME_LEN]);
/* A live configuration change: re-arms the timers and reloads the limits
 * that depend on key id. */
void st_cfg_apply(struct station *s, enum cfg_id id);
/* The central system's currentTime from the answer to `action`: steps the
 * wall clock to it (station/clock.h) and re-arms the timers set from UTC. */
void st_clock_follow(struct station *s, const char *action, const char *current_time);

/* sender.c */
void st_sender_on_open(struct station *s);
void st_sender_on_close(struct station *s);
void st_sender_pump(struct station *s);
void st_sender_boot_timer(struct station *s);
void st_sender_queue_timer(struct station *s);
void st_sender_heartbeat(struct station *s);
/* Queue a non-transaction CALL; payload is taken.  Returns 0 or -ENOBUFS. */
int st_send(struct station *s, const char *action, cJSON *payload,
    ocpp_call_cb cb, void *user);
/* Persists a transaction message (kept in memory when the store cannot take
 * it), then pumps; payload is taken.  A StopTransaction also ends its local
 * transaction (meterStop, timestamp, reason and idTag from the payload) in
 * the same SQLite transaction. */
int st_send_tx(struct station *s, const char *action, cJSON *payload, int64_t tx_local_id);
/* Records a new transaction and queues its StartTransaction (payload, taken)
 * in one SQLite transaction.  Negative: nothing was recorded, do not start. */
int st_tx_record_start(struct station *s, int connector, const char *id_tag,
    int64_t meter_wh, cp_utc_t when, int reservation_id, cJSON *payload, int64_t *local_id);
void st_sender_rearm_heartbeat(struct station *s);

/* connector.c */
void st_conn_init(struct station *s);
void st_conn_recover(struct station *s);
void st_mark_dirty(struct station *s);
void st_evaluate(struct station *s);
/* Whether connector c's transaction may draw current: it is authorized, or
 * StartTransaction.conf refused its idTag and it has drawn less than
 * MaxEnergyOnInvalidId since its meterStart (OCPP 1.6 §9.1). */
bool st_tx_may_draw(struct station *s, const struct st_conn *c);
void st_hw_tick(struct station *s);
void st_sample_timer(struct station *s);
void st_sample_schedule(struct station *s, struct st_conn *c);
void st_conn_save_meters(struct station *s);
void st_aligned_timer(struct station *s);
void st_auth_timeout(struct station *s);
void st_conn_on_boot_accepted(struct station *s);
int st_conn_present_tag(struct station *s, int connector, const char *tag);
int st_conn_remote_start(struct station *s, int connector, const char *tag,
    const cJSON *profile);
int st_conn_remote_stop(struct station *s, int64_t transaction_id);
/* Ends c's transaction, if one runs (ST_TXE_STOP). */
void st_conn_stop_tx(struct station *s, struct st_conn *c, const char *reason,
    const char *id_tag);
void st_conn_start_confirmed(struct station *s, int64_t local_id, int64_t tx_id,
    const char *status, const char *parent);
void st_conn_status_json(struct station *s, cJSON *out);
void st_conn_send_status(struct station *s, int connector, bool force);
cJSON *st_conn_meter_sample(struct station *s, struct st_conn *c, const char *context);
void st_conn_reload_limits(struct station *s);
/* The smart charging context (connectors, transactions, maxima) of now. */
void st_sc_ctx(struct station *s, struct sc_ctx *ctx);
int st_conn_unlock(struct station *s, int connector);
int st_conn_set_availability(struct station *s, int connector, bool operative);
void st_station_reset(struct station *s, bool hard);

/* connector.c, shared with cycle.c and meter.c: feeds connector c's
 * transaction machine (tx_fsm.h) one event and carries out its actions.
 * reason: with ST_TXE_STOP; id_tag: the card that stops it, or NULL.
 * Returns st_tx_step's answer. */
int st_conn_tx_event(struct station *s, struct st_conn *c, enum st_tx_event ev,
    const char *reason, const char *id_tag);
enum st_status st_derive_status(struct station *s, struct st_conn *c,
    const hw_socket_status *hs, const char **error_code);

/* meter.c */
struct sc_phase_topology;
void st_topology(struct station *s, struct sc_phase_topology *topo);
void st_grid_currents(struct station *s, int connector, const hw_socket_status *hs,
    int32_t grid[3]);
cJSON *st_meter_sample(struct station *s, struct st_conn *c, const char *context,
    const char *list);
void st_tx_data_add(struct st_conn *c, cJSON *mv);
/* TriggerMessage(MeterValues) for one connector. */
void st_meter_send_trigger(struct station *s, struct st_conn *c);

/* handlers.c */
extern const ocpp_action_row st_actions[];
extern const size_t st_n_actions;
/* ocpp_rpc_config.admit_state for st_actions: the connector count and the
 * registration status (handlers.c). */
void st_admit_state(void *ctx, ocpp_admit_state *st);

/* ctl_cmds.c */
void st_control_handle(void *ctx, const cJSON *req, cJSON *reply);

/* main.c */
void st_request_reboot(struct station *s);
/* Writes the charging profiles in one batch; 0 or the store's error. */
int st_profiles_persist(struct station *s);
/* Back to the stored profiles (after a change that could not be stored). */
void st_profiles_reload(struct station *s);
/* At start: the stored profiles, less the TxProfiles of transactions that
 * did not survive the restart. */
void st_profiles_load(struct station *s);

#endif
