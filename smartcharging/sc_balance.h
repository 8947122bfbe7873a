/*
 * sc_balance.h - the local balancing engine: static charging, SLB, probing,
 * redistribution and alternating (docs/balancing.md, 2.4, 2.5, 4.1, 6.1).
 *
 * Pure: no clock, no I/O, no globals, no malloc.  Owned by the
 * allocator/balancing area of smartcharging/.
 *
 * One engine for every budget source: the caller passes the budgets as a
 * tree of per-phase limits (see sc_alloc.h), so SLB (Station-MaxCurrent,
 * or ChargePointMaxProfile now when lower), ALB (SmartMeter-MaxCurrent minus
 * other load, per phase) and SCN (the network budget over many stations)
 * differ only in the numbers the caller fills in.
 *
 * Usage, once per control cycle and whenever an input changes:
 *
 *     struct sc_balance_state st;            // caller-owned, long-lived
 *     sc_balance_init(&st);
 *     ...
 *     sc_balance_step(&st, &in, now, &out);  // in/out caller-owned
 *     apply out.setpoint_ma[i] as socket i's "balancing share";
 *     arm one timer for out.next_change.
 *
 * Socket index i must name the same physical socket at every step (SCN: the
 * socket ID's slot).  The state keeps per-socket session history: probing,
 * the 6 A / 14 A class, redistribution, and when it was last paused.
 */
#ifndef SC_BALANCE_H
#define SC_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "smartcharging/sc_alloc.h"

/* next_change when nothing is scheduled. */
#define SC_BALANCE_NEVER INT64_MAX

/* The lowest current of EVs that cannot charge below 14 A ("14 A EVs"); the
 * IEC 61851-1 minimum is CP_MIN_CHARGE_MA. */
#define SC_BALANCE_MIN14_MA 14000

enum sc_balance_mode {
	/* SLB, ALB and SCN all off (docs/balancing.md): the station budget is split
	 * equally over all sockets under it, in use or not, no redistribution,
	 * no alternating. */
	SC_BALANCE_STATIC = 0,
	/* SLB / ALB / SCN: the allocator over the sockets in use. */
	SC_BALANCE_SHARED,
};

/* Timings and thresholds; sc_balance_config_default() fills the defaults of docs/balancing.md. */
struct sc_balance_config {
	enum sc_balance_mode mode;
	int32_t probe_ma;               /* Chameleon-MinCurrent (default 14 A) */
	int64_t probe_ms;               /* probing phase length: 60 s (docs/balancing.md) */
	int64_t alternating_ms;         /* SCN-AlternatingPeriod: 900 s */
	int32_t shortfall_ma;           /* redistribution: draws this much less ... */
	int64_t shortfall_ms;           /* ... for this long: 3 A, 3 min (docs/balancing.md) */
	int32_t margin_ma;              /* reduced allocation = draw + margin */
	int32_t draw_on_ma;             /* an EV drawing at least this "draws" */
	int64_t classify_ms;            /* time a 14 A EV gets to stop drawing */
	/* Under SCN-TotalSafeCurrent the occupied sockets with the lowest IDs
	 * are served first and nobody rotates (docs/balancing.md, docs/balancing.md
	 * "Priorities differ by situation"); otherwise false: alternating. */
	bool serve_low_ids_first;
};

struct sc_balance_socket_in {
	uint16_t id;                    /* socket ID (SCN-SocketID + k): tie-breaks */
	int16_t budget;                 /* deepest budget node it hangs under */
	uint8_t phases;                 /* grid phase mask of the EV (sc_phase_mask_ev);
					 * before the EV's phase count is known, every
					 * live conductor of the socket (the safe guess) */
	bool in_use;                    /* EV connected and charging authorized */
	int32_t max_ma;                 /* min of connector max, cable, EV, profile now */
	int32_t draw_ma;                /* highest phase current it draws now */
};

struct sc_balance_input {
	struct sc_balance_config cfg;
	uint16_t n_budgets;
	uint16_t n_sockets;
	struct sc_alloc_budget budget[CP_MAX_SC_BUDGETS];
	/* Every socket under the budgets, in use or not: static mode splits
	 * over all of them. */
	struct sc_balance_socket_in socket[CP_MAX_SCN_SOCKETS];
};

enum sc_balance_reason {
	SC_BALANCE_OFF = 0,             /* not in use: 0 */
	SC_BALANCE_SHARE,               /* its share of the budget */
	SC_BALANCE_REDUCED,             /* share lowered to what the EV draws (4.1) */
	SC_BALANCE_PROBING,             /* probing current (2.5) */
	SC_BALANCE_ALTERNATING,         /* paused for its turn: SuspendedEVSE (2.4) */
	SC_BALANCE_LIMITED,             /* its own limits or share are below its minimum: 0 */
	SC_BALANCE_BUDGET,              /* the budgets above it cannot give its minimum
					 * even to it alone: 0, no turn to wait for */
};

/* Name for logs and the control socket ("share", "alternating", ...). */
const char *sc_balance_reason_name(enum sc_balance_reason reason);

struct sc_balance_output {
	int32_t setpoint_ma[CP_MAX_SCN_SOCKETS];
	uint8_t reason[CP_MAX_SCN_SOCKETS];     /* enum sc_balance_reason */
	uint8_t min14[CP_MAX_SCN_SOCKETS];      /* 1 = classified as a 14 A EV */
	cp_mono_t next_change;                  /* step again by then at the latest */
};

enum sc_balance_probe {
	SC_PROBE_PENDING = 0,           /* session started, not offered current yet */
	SC_PROBE_RUNNING,               /* offered the probing current until probe_end */
	SC_PROBE_DONE,                  /* class known or still to be confirmed */
};

enum sc_balance_class {
	SC_CLASS_UNKNOWN = 0,           /* behaves as 6 A until seen below 14 A */
	SC_CLASS_6A,                    /* kept drawing when offered < 14 A */
	SC_CLASS_14A,                   /* stopped drawing when offered < 14 A */
};

/* Per-socket history; read-only for the caller (tests and status output). */
struct sc_balance_sock_state {
	bool session;                   /* in use at the previous step */
	bool alt_paused;                /* paused for alternating */
	bool reduced;                   /* redistribution cap active */
	bool checking;                  /* watching for a 14 A EV to stop */
	bool drew14;                    /* seen drawing while offered >= 14 A */
	uint8_t probe;                  /* enum sc_balance_probe */
	uint8_t cls;                    /* enum sc_balance_class */
	int32_t last_ma;                /* setpoint of the previous step */
	int32_t cap_ma;                 /* redistribution cap while reduced */
	cp_mono_t probe_end;
	cp_mono_t served_since;         /* start of its current run without a pause */
	cp_mono_t paused_since;
	cp_mono_t shortfall_since;      /* ms = SC_BALANCE_NEVER when none */
	cp_mono_t check_end;
};

struct sc_balance_state {
	struct sc_balance_sock_state sock[CP_MAX_SCN_SOCKETS];
	cp_mono_t alt_next;             /* end of the alternating period, or NEVER */
	/* Scratch for the allocator, kept here so that a step needs no large
	 * stack frame or heap; meaningless between steps. */
	struct sc_alloc_request rq;
	struct sc_alloc_result rs;
};

/* The defaults (docs/balancing.md): mode SHARED, probe 14 A for 60 s, alternating 900 s,
 * redistribution after 3 A for 3 min with a 1 A margin. */
void sc_balance_config_default(struct sc_balance_config *cfg);

/* Forgets every session: all sockets idle, no alternating period. */
void sc_balance_init(struct sc_balance_state *st);

/*
 * One evaluation at `now`.  Updates *st, writes *out.  Returns 0, or
 * -EINVAL for a malformed input (counts above the limits, a budget tree or
 * socket the allocator rejects, a negative current, a probe current or
 * period <= 0); then *st is unchanged and every setpoint is 0.
 */
int sc_balance_step(struct sc_balance_state *st, const struct sc_balance_input *in,
		    cp_mono_t now, struct sc_balance_output *out);

#endif
