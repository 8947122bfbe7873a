/*
 * sc_evaluate.h - the one per-socket decision of the control cycle: from a
 * snapshot of every limit of a socket, the balancing engine's share and the
 * hardware's state, the current the socket offers, the source that binds,
 * what the display says and why the socket is paused.
 *
 * Pure: no clock, no I/O, no globals.  The station gathers one
 * struct sc_eval_in per socket, calls sc_evaluate_max() for the balancing
 * engine's input, runs sc_balance_step() once for all sockets, then calls
 * sc_evaluate() per socket with that socket's share and applies the result
 * (the setpoint to the Mode 3 driver, the status to OCPP).
 *
 * What is not here on purpose: the EV's own maximum.  A station cannot know
 * it (IEC 61851-1 basic signalling has no such message); the EV shows it
 * only as what it draws, and the balancing engine's redistribution
 * (docs/balancing.md) gives what it leaves to the other sockets.
 */
#ifndef SC_EVALUATE_H
#define SC_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "smartcharging/sc.h"
#include "smartcharging/sc_balance.h"

/* One socket's inputs, every current in mA, SC_LIMIT_NONE where a source
 * gives no limit.  Owned by the caller; sc_evaluate only reads it. */
struct sc_eval_in {
	/* The socket's own limits.  Station-MaxCurrent and the
	 * ChargePointMaxProfile are not among them: they limit the whole
	 * charge point, so they are the balancing engine's budget and reach
	 * a socket as its share (OCPP 1.6 §3.13.1, docs/balancing.md). */
	int32_t connector_ma;	/* Connector<N>-MaxCurrent, and the lower
				 * Connector<N>.2-MaxCurrent of a second feed */
	int32_t tx_ma;		/* TxProfile, else TxDefaultProfile, now */
	/* The hardware (hw_socket_status). */
	bool ev_connected;	/* pilot not A */
	int32_t cable_ma;	/* cable capacity from PP; 0 = no cable */
	bool fault;		/* a fault, or the connector is Inoperative */
	bool suspended;		/* the suspend contact suspends charging (docs/mode3.md) */
	/* The session. */
	bool tx_active;		/* a transaction runs */
	bool may_draw;		/* ... and may draw energy (authorized, or still
				 * inside MaxEnergyOnInvalidId) */
	/* The balancing engine's answer for this socket (sc_balance_output):
	 * its share of Station-MaxCurrent or the ChargePointMaxProfile now,
	 * whichever is lower; ignored by sc_evaluate_max. */
	int32_t share_ma;	/* its setpoint; 0 when off or paused */
	enum sc_balance_reason balance_reason;
};

/* What the display should say beyond what the driver sees itself
 * (docs/mode3.md); the driver maps it to its message, and faults, the suspend signal
 * and an idle socket take precedence there. */
enum sc_display_hint {
	SC_HINT_NONE = 0,	/* nothing to add: the driver chooses */
	SC_HINT_REDUCED,	/* charging, reduced by load balancing */
	SC_HINT_WAITING_POWER,	/* paused by a profile, a budget, a limit */
	SC_HINT_ALTERNATING,	/* paused for its turn (docs/balancing.md) */
};

/* Why the offer is 0. */
enum sc_pause {
	SC_PAUSE_NONE = 0,	/* offering current */
	SC_PAUSE_FAULT,		/* a fault, or the connector is Inoperative */
	SC_PAUSE_SUSPEND,	/* the suspend signal (docs/mode3.md) */
	SC_PAUSE_NO_SESSION,	/* no transaction that may draw energy */
	SC_PAUSE_LIMIT,		/* the binding limit is below 6 A */
	SC_PAUSE_BUDGET,	/* the budget cannot serve it even alone */
	SC_PAUSE_ALTERNATING,	/* waiting for its turn in the budget */
	SC_PAUSE_COUNT
};

struct sc_eval_out {
	int32_t offer_ma;	/* 0 (paused) or CP_MIN_CHARGE_MA.. in 0.1 A steps */
	enum sc_source binding;	/* the source that set the offer */
	int32_t own_max_ma;	/* the lowest limit but the share (sc_evaluate_max) */
	enum sc_display_hint hint;
	enum sc_pause pause;
};

/* "none", "fault", "suspend", "no_session", "limit", "budget", "alternating". */
const char *sc_pause_name(enum sc_pause p);

/* What the socket could take without the balancing engine: the lowest of
 * its own limits (0 on a fault or suspend), SC_LIMIT_MAX when none is
 * given.  This is the balancing engine's max_ma for the socket. */
int32_t sc_evaluate_max(const struct sc_eval_in *in);

/* The decision list (evaluate.c): fills *out from *in.  Always succeeds;
 * a socket without any limit offers nothing (the connector max is always
 * known, so that is a caller bug, and pausing is the only safe answer). */
void sc_evaluate(const struct sc_eval_in *in, struct sc_eval_out *out);

#endif
