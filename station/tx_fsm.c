/*
 * tx_fsm.c - a connector's authorization and transaction (tx_fsm.h), pure.
 *
 * Written like OpenBSD bgpd's bgp_fsm(): one switch over the event, the
 * state deciding inside, and every state change through one function.  The
 * table it implements is in docs/status.md §3.
 */
#include "station/tx_fsm.h"

#include <stddef.h>

static const char *const state_names[ST_TX_STATE_COUNT] = {
	[ST_TX_IDLE] = "Idle",
	[ST_TX_AUTHORIZED] = "Authorized",
	[ST_TX_RUNNING] = "Running",
	[ST_TX_DEAUTHORIZED] = "Deauthorized",
	[ST_TX_FINISHING] = "Finishing",
	[ST_TX_FINISHING_AUTHORIZED] = "FinishingAuthorized",
};

static const char *const event_names[ST_TXE_EVENT_COUNT] = {
	[ST_TXE_ASK_START] = "AskStart",
	[ST_TXE_ASK_STOP] = "AskStop",
	[ST_TXE_ASK_DONE] = "AskDone",
	[ST_TXE_ACCEPTED] = "Accepted",
	[ST_TXE_CANCEL] = "Cancel",
	[ST_TXE_TIMEOUT] = "Timeout",
	[ST_TXE_PLUG] = "Plug",
	[ST_TXE_UNPLUG] = "Unplug",
	[ST_TXE_HW] = "Hw",
	[ST_TXE_STOP] = "Stop",
	[ST_TXE_START_FAILED] = "StartFailed",
	[ST_TXE_START_REFUSED] = "StartRefused",
	[ST_TXE_INOPERATIVE] = "Inoperative",
	[ST_TXE_OPERATIVE] = "Operative",
};

const char *st_tx_state_name(enum st_tx_state s)
{
	return (unsigned)s < ST_TX_STATE_COUNT ? state_names[s] : "?";
}

const char *st_tx_event_name(enum st_tx_event e)
{
	return (unsigned)e < ST_TXE_EVENT_COUNT ? event_names[e] : "?";
}

static void change_state(struct st_tx_fsm *f, enum st_tx_state to)
{
	f->state = to;
}

/* A transaction starts: the deadline for the EV is met. */
static void start(struct st_tx_fsm *f, struct st_tx_output *out)
{
	change_state(f, ST_TX_RUNNING);
	out->actions |= ST_TXA_CANCEL_TIMEOUT | ST_TXA_START;
}

/* The running transaction ends, with the EV still there or not; an
 * Inoperative that waited for it applies now (OCPP 1.6 §5.2). */
static void stop(struct st_tx_fsm *f, const struct st_tx_input *in, const char *reason,
    struct st_tx_output *out)
{
	change_state(f, in->plugged ? ST_TX_FINISHING : ST_TX_IDLE);
	out->actions |= ST_TXA_STOP;
	out->reason = reason;
	if (f->inoperative_at_end) {
		f->inoperative_at_end = false;
		out->actions |= ST_TXA_INOPERATIVE;
	}
}

/* A card waiting for its EV no longer counts (the same card again,
 * ConnectionTimeOut, Inoperative): -1 when no card waits. */
static int drop_card(struct st_tx_fsm *f, struct st_tx_output *out)
{
	if (f->state == ST_TX_AUTHORIZED)
		change_state(f, ST_TX_IDLE);
	else if (f->state == ST_TX_FINISHING_AUTHORIZED)
		change_state(f, ST_TX_FINISHING);
	else
		return -1;
	out->actions |= ST_TXA_CANCEL_TIMEOUT | ST_TXA_DROP_REMOTE;
	return 0;
}

/* A card was accepted and the EV is not (yet) usable: it has
 * ConnectionTimeOut to be plugged in (OCPP 1.6 §9.1.3). */
static void await_ev(struct st_tx_fsm *f, enum st_tx_state to, const struct st_tx_input *in,
    cp_mono_t now, struct st_tx_output *out)
{
	change_state(f, to);
	out->actions |= ST_TXA_CANCEL_TIMEOUT;
	if (in->connection_timeout_s > 0) {
		out->actions |= ST_TXA_ARM_TIMEOUT;
		out->deadline = cp_mono(now.ms + (int64_t)in->connection_timeout_s * 1000);
	}
}

int st_tx_step(struct st_tx_fsm *f, enum st_tx_event ev, const struct st_tx_input *in,
    cp_mono_t now, struct st_tx_output *out)
{
	out->actions = 0;
	out->reason = NULL;
	out->deadline = cp_mono(0);

	switch (ev) {
	case ST_TXE_ASK_START:
		if (st_tx_running(f) || f->ask == ST_ASK_STOP)
			return -1;
		f->ask = ST_ASK_START;
		return 0;
	case ST_TXE_ASK_STOP:
		if (!st_tx_running(f) || f->ask != ST_ASK_NONE)
			return -1;
		f->ask = ST_ASK_STOP;
		return 0;
	case ST_TXE_ASK_DONE:
		if (f->ask == ST_ASK_NONE)
			return -1;
		f->ask = ST_ASK_NONE;
		return 0;
	case ST_TXE_ACCEPTED:
		switch (f->state) {
		case ST_TX_IDLE:
		case ST_TX_AUTHORIZED:
			/* Plug first: the transaction starts now, unless a
			 * fault (a failed lock) holds it back until it
			 * clears (ST_TXE_HW).  Tag first: wait for the EV. */
			if (in->plugged && !in->fault)
				start(f, out);
			else if (in->plugged)
				change_state(f, ST_TX_AUTHORIZED);
			else
				await_ev(f, ST_TX_AUTHORIZED, in, now, out);
			return 0;
		case ST_TX_FINISHING:
		case ST_TX_FINISHING_AUTHORIZED:
			/* The EV of the ended transaction is still plugged:
			 * the new one starts when an EV is plugged in again. */
			await_ev(f, ST_TX_FINISHING_AUTHORIZED, in, now, out);
			return 0;
		default:
			return -1;
		}
	case ST_TXE_CANCEL:
		return drop_card(f, out);
	case ST_TXE_TIMEOUT:
		/* An EV that is plugged in but held back by a fault keeps its
		 * authorization; otherwise the card no longer counts. */
		if (f->state == ST_TX_AUTHORIZED && in->plugged)
			return -1;
		return drop_card(f, out);
	case ST_TXE_PLUG:
		switch (f->state) {
		case ST_TX_FINISHING:
			change_state(f, ST_TX_IDLE);
			return 0;
		case ST_TX_FINISHING_AUTHORIZED:
		case ST_TX_AUTHORIZED:
			if (!in->fault)
				start(f, out);
			else
				change_state(f, ST_TX_AUTHORIZED);
			return 0;
		default:
			return 0;
		}
	case ST_TXE_UNPLUG:
		switch (f->state) {
		case ST_TX_RUNNING:
		case ST_TX_DEAUTHORIZED:
			/* OCPP 1.6 §9.1.30: with StopTransactionOnEVSideDisconnect
			 * false the transaction stays, SuspendedEV. */
			if (in->stop_on_ev_disconnect)
				stop(f, in, "EVDisconnected", out);
			return 0;
		case ST_TX_FINISHING:
			change_state(f, ST_TX_IDLE);
			return 0;
		case ST_TX_FINISHING_AUTHORIZED:
			change_state(f, ST_TX_AUTHORIZED);
			return 0;
		default:
			return 0;
		}
	case ST_TXE_HW:
		if (f->state == ST_TX_AUTHORIZED && in->plugged && !in->fault)
			start(f, out);
		return 0;
	case ST_TXE_STOP:
		if (!st_tx_running(f))
			return -1;
		stop(f, in, in->reason ? in->reason : "Local", out);
		return 0;
	case ST_TXE_START_FAILED:
		if (f->state != ST_TX_RUNNING)
			return -1;
		change_state(f, ST_TX_AUTHORIZED);
		return 0;
	case ST_TXE_START_REFUSED:
		/* OCPP 1.6 §5.11: StopTransactionOnInvalidId ends it, else it
		 * goes on without energy past MaxEnergyOnInvalidId. */
		if (f->state != ST_TX_RUNNING)
			return -1;
		if (in->stop_on_invalid_id)
			stop(f, in, "DeAuthorized", out);
		else
			change_state(f, ST_TX_DEAUTHORIZED);
		return 0;
	case ST_TXE_INOPERATIVE:
		if (st_tx_running(f)) {
			f->inoperative_at_end = true;
			return 1;
		}
		/* An Inoperative connector keeps no card waiting for an EV. */
		drop_card(f, out);
		return 0;
	case ST_TXE_OPERATIVE:
		f->inoperative_at_end = false;
		return 0;
	default:
		return -1;
	}
}
