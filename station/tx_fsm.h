/*
 * tx_fsm.h - a connector's authorization and transaction, as one pure state
 * machine (OCPP 1.6 §4.8-4.10, §5.11, §5.16, §9.1).
 *
 * state × event × input × now -> new state + actions.  No I/O, no clock
 * reads, no globals: the station (connector.c, tx_event) feeds the events,
 * executes the actions it gets back (start or stop a transaction, arm or
 * cancel the ConnectionTimeOut deadline, drop a RemoteStart profile, apply a
 * scheduled Inoperative) and derives the StatusNotification from the state
 * with conn_fsm.h.  docs/status.md §3 has the table; tests/test_tx_fsm.c
 * checks every cell of it.
 */
#ifndef ST_TX_FSM_H
#define ST_TX_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_time.h"

enum st_tx_state {
	ST_TX_IDLE = 0,		/* no card, no transaction */
	ST_TX_AUTHORIZED,	/* a card or RemoteStart accepted: waiting for the
				 * EV (ConnectionTimeOut) or for a fault to clear */
	ST_TX_RUNNING,		/* a transaction runs */
	ST_TX_DEAUTHORIZED,	/* it runs, but the central system refused its
				 * idTag: energy only up to MaxEnergyOnInvalidId */
	ST_TX_FINISHING,	/* it ended with the EV still plugged */
	ST_TX_FINISHING_AUTHORIZED, /* a card accepted while Finishing: the new
				 * transaction starts once the EV is plugged in again */
	ST_TX_STATE_COUNT
};

/* The Authorize.req a connector waits for, if any: one to start a
 * transaction, or one that decides whether another card of the same
 * parentIdTag may end the running one (OCPP 1.6 §3.5.4). */
enum st_tx_ask { ST_ASK_NONE = 0, ST_ASK_START, ST_ASK_STOP };

struct st_tx_fsm {
	enum st_tx_state state;
	enum st_tx_ask ask;
	bool inoperative_at_end;	/* ChangeAvailability Scheduled (§5.2) */
};

enum st_tx_event {
	ST_TXE_ASK_START = 0,	/* an Authorize.req for a start went out */
	ST_TXE_ASK_STOP,	/* an Authorize.req for a stop went out */
	ST_TXE_ASK_DONE,	/* its answer (or error) came */
	ST_TXE_ACCEPTED,	/* an idTag may start: local list, cache, central
				 * system, offline rules or RemoteStartTransaction */
	ST_TXE_CANCEL,		/* the same card again before the EV was plugged */
	ST_TXE_TIMEOUT,		/* the ConnectionTimeOut deadline passed */
	ST_TXE_PLUG,		/* the EV was connected (pilot A -> B/C) */
	ST_TXE_UNPLUG,		/* the EV left (pilot -> A) */
	ST_TXE_HW,		/* the hardware changed otherwise (a fault cleared) */
	ST_TXE_STOP,		/* end the transaction: in->reason says why */
	ST_TXE_START_FAILED,	/* the start could not be recorded */
	ST_TXE_START_REFUSED,	/* StartTransaction.conf idTagInfo not Accepted */
	ST_TXE_INOPERATIVE,	/* ChangeAvailability Inoperative */
	ST_TXE_OPERATIVE,	/* ChangeAvailability Operative */
	ST_TXE_EVENT_COUNT
};

/* What an event is decided with, taken at the same instant. */
struct st_tx_input {
	bool plugged;			/* an EV is connected (pilot B or C) */
	bool fault;			/* the hardware reports a fault */
	bool stop_on_ev_disconnect;	/* StopTransactionOnEVSideDisconnect */
	bool stop_on_invalid_id;	/* StopTransactionOnInvalidId */
	int32_t connection_timeout_s;	/* ConnectionTimeOut; 0 = no deadline */
	const char *reason;		/* ST_TXE_STOP: the StopTransaction reason */
};

/* Actions, executed by the caller in this order. */
#define ST_TXA_CANCEL_TIMEOUT	0x01u	/* forget the ConnectionTimeOut deadline */
#define ST_TXA_ARM_TIMEOUT	0x02u	/* arm it for out->deadline */
#define ST_TXA_DROP_REMOTE	0x04u	/* drop the RemoteStart TxProfile kept for the start */
#define ST_TXA_START		0x08u	/* record and send StartTransaction */
#define ST_TXA_STOP		0x10u	/* record and send StopTransaction (out->reason) */
#define ST_TXA_INOPERATIVE	0x20u	/* apply the Inoperative that was Scheduled */

struct st_tx_output {
	unsigned actions;
	const char *reason;	/* ST_TXA_STOP */
	cp_mono_t deadline;	/* ST_TXA_ARM_TIMEOUT */
};

/* Feeds one event.  Returns 0 when the machine took it (out says what to
 * do; it may be nothing), -1 when the event means nothing in this state (a
 * stop with no transaction, a card while one runs ...): nothing changes and
 * out->actions is 0.  ST_TXE_INOPERATIVE returns 1 when it is Scheduled for
 * the end of the running transaction (the caller answers Scheduled), 0 when
 * it applies now. */
int st_tx_step(struct st_tx_fsm *f, enum st_tx_event ev, const struct st_tx_input *in,
    cp_mono_t now, struct st_tx_output *out);

const char *st_tx_state_name(enum st_tx_state s);
const char *st_tx_event_name(enum st_tx_event e);

/* What the status machine (conn_fsm.h) and the control cycle read. */
static inline bool st_tx_running(const struct st_tx_fsm *f)
{
	return f->state == ST_TX_RUNNING || f->state == ST_TX_DEAUTHORIZED;
}
static inline bool st_tx_authorized(const struct st_tx_fsm *f)
{
	return f->state == ST_TX_AUTHORIZED || f->state == ST_TX_FINISHING_AUTHORIZED;
}
static inline bool st_tx_finishing(const struct st_tx_fsm *f)
{
	return f->state == ST_TX_FINISHING || f->state == ST_TX_FINISHING_AUTHORIZED;
}

#endif
