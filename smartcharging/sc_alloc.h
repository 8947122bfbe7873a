/*
 * sc_alloc.h - per-phase, max-min fair current allocator (docs/balancing.md).
 *
 * Pure: no clock, no I/O, no globals, no malloc.  Owned by the
 * allocator/balancing area of smartcharging/.
 *
 * Model.  Budgets form a tree: each node limits, per grid phase, the sum of
 * the setpoints of the sockets below it that draw on that phase (a socket
 * loads every phase in its mask with its whole setpoint).  Typical trees:
 *   one station (SLB):  [0] station, Station-MaxCurrent (or the lower
 *                       ChargePointMaxProfile) on each phase
 *   ALB:                [0] grid = SmartMeter-MaxCurrent - other load per
 *                       phase, [1] station (parent 0)
 *   SCN:                [0] network budget, [1..k] stations (parent 0),
 *                       optionally a feed node per cable below its station.
 * A socket's own limits (connector max, cable, EV, profile, redistribution
 * cap) are its max_ma, so a capped socket's unused share goes to the others.
 *
 * Result.  Every running socket gets a setpoint in [min_ma, max_ma]; a
 * socket is never offered between 0 and its minimum (IEC 61851-1: below 6 A
 * the EV must pause).  When the minima do not all fit, sockets are paused in
 * the caller's pause order (the balancing layer encodes the
 * alternating rules of docs/balancing.md in that order) until they do.  Among the running
 * sockets the setpoints are max-min fair with the minima as floors: the
 * lowest setpoint is as high as possible, then the next, and so on
 * ("water-filling" over all phases and levels at once).
 *
 * Cost: O(sockets * (sockets + budgets)) at worst, no allocation; see
 * bench/bench_alloc.c for figures.
 */
#ifndef SC_ALLOC_H
#define SC_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"
#include "smartcharging/sc_phase.h"

/* A budget without a limit on that phase. */
#define SC_ALLOC_UNLIMITED INT32_MAX

struct sc_alloc_budget {
	int16_t parent;                 /* index of the parent node, -1 for a root;
					 * must be lower than this node's own index */
	int32_t max_ma[SC_PHASES];      /* per grid phase, >= 0 */
};

struct sc_alloc_socket {
	bool active;                    /* wants current (in use); inactive -> OFF */
	uint8_t phases;                 /* grid phase mask (sc_phase_mask_ev), non-zero when active */
	int16_t budget;                 /* deepest budget node this socket hangs under */
	int32_t min_ma;                 /* lowest current it can charge with: 6000 or 14000 */
	int32_t max_ma;                 /* all its own limits combined, >= 0 */
};

struct sc_alloc_request {
	uint16_t n_budgets;
	uint16_t n_sockets;
	struct sc_alloc_budget budget[CP_MAX_SC_BUDGETS];
	struct sc_alloc_socket socket[CP_MAX_SCN_SOCKETS];
	/* Socket indices, the first paused first when the minima do not fit.
	 * Sockets not listed pause after all listed ones, lowest index first.
	 * With n_pause_order 0 the order is simply the socket index. */
	uint16_t n_pause_order;
	uint16_t pause_order[CP_MAX_SCN_SOCKETS];
};

enum sc_alloc_state {
	SC_ALLOC_OFF = 0,               /* inactive: 0 */
	SC_ALLOC_RUN,                   /* charging at setpoint_ma >= min_ma */
	SC_ALLOC_PAUSED,                /* its minimum did not fit: 0 (alternating) */
	SC_ALLOC_UNSERVABLE,            /* its own max_ma is below its min_ma: 0 */
};

struct sc_alloc_result {
	int32_t setpoint_ma[CP_MAX_SCN_SOCKETS];
	uint8_t state[CP_MAX_SCN_SOCKETS];      /* enum sc_alloc_state */
};

/*
 * Computes one setpoint per socket.  Reads *rq, writes *out (both owned by
 * the caller; nothing is kept).  Returns 0, or -EINVAL for a malformed
 * request (a count above the limits, a parent index not below its node, a
 * budget chain deeper than CP_MAX_SC_DEPTH, a negative budget or current,
 * min_ma <= 0 or an empty phase mask on an active socket, a pause_order
 * entry out of range or repeated); *out is then all zero and OFF.
 */
int sc_alloc_run(const struct sc_alloc_request *rq, struct sc_alloc_result *out);

/* The validation sc_alloc_run() does, alone: 0 or -EINVAL. */
int sc_alloc_check(const struct sc_alloc_request *rq);

#endif
