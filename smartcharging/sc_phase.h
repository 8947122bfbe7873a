/*
 * sc_phase.h - which grid phase each conductor of a socket lands on.
 *
 * Pure: no clock, no I/O, no globals.  Owned by the allocator/balancing
 * area of smartcharging/.
 *
 * The chain is: grid phase L1..L3  <-  supply cable (Phase-Connected, or
 * SCN-PhaseMapping-1/-2 with two feeds)  <-  the station's internal rotation
 * (docs/station-model.md: a three-phase dual-socket station wires socket 1 as L3L2L1 and
 * socket 2 as L1L2L3 relative to its cable)  <-  the EV, which uses the first
 * n conductors of its socket (docs/station-model.md, docs/balancing.md).
 *
 * Phases are indexed 0..2 (L1..L3) in arrays and as bits 0..2 in masks.
 */
#ifndef SC_PHASE_H
#define SC_PHASE_H

#include <stdint.h>

/* Grid phases; every per-phase array in the balancing code has this size. */
#define SC_PHASES 3

#define SC_PHASE_L1 0x1u
#define SC_PHASE_L2 0x2u
#define SC_PHASE_L3 0x4u
#define SC_PHASE_ALL (SC_PHASE_L1 | SC_PHASE_L2 | SC_PHASE_L3)

/*
 * A supply cable's phase order.  The numeric values are the SCN-PhaseMapping
 * codes of the README key reference (0 = no socket, 1..3 single-phase cable, 4..9 three-phase
 * orders), so a configuration value converts with a cast after a range check.
 * The Phase-Connected strings use the same names.
 */
enum sc_phase_order {
	SC_ORDER_NONE = 0,
	SC_ORDER_L1 = 1,
	SC_ORDER_L2 = 2,
	SC_ORDER_L3 = 3,
	SC_ORDER_L1L2L3 = 4,
	SC_ORDER_L1L3L2 = 5,
	SC_ORDER_L2L1L3 = 6,
	SC_ORDER_L2L3L1 = 7,
	SC_ORDER_L3L1L2 = 8,
	SC_ORDER_L3L2L1 = 9,
};

/* The station's wiring, straight from its topology keys (docs/station-model.md, the README key reference). */
struct sc_phase_topology {
	uint8_t phases;                 /* Station-Phases: 1 or 3 */
	uint8_t feeds;                  /* Station-Feeds: 1 or 2 */
	uint8_t sockets;                /* sockets of this station: 1 or 2 */
	enum sc_phase_order connected;  /* Phase-Connected (used with one feed) */
	enum sc_phase_order feed[2];    /* SCN-PhaseMapping-1/-2 (used with two feeds) */
};

/* One socket's wiring: socket conductor k (0-based) is on grid phase grid[k]. */
struct sc_phase_map {
	uint8_t conductors;             /* live conductors: 1 or 3 */
	int8_t grid[SC_PHASES];         /* 0..2, or -1 past `conductors` */
};

/* "L2L3L1" -> SC_ORDER_L2L3L1 (case-insensitive).  0, or -EINVAL. */
int sc_phase_parse_order(const char *s, enum sc_phase_order *out);

/* Canonical name ("L1L2L3"); "" for SC_ORDER_NONE, NULL when out of range. */
const char *sc_phase_order_name(enum sc_phase_order order);

/*
 * Wiring of socket `socket` (1-based, as in Connector<N>) of the station.
 * Returns 0, -EINVAL for a topology outside docs/station-model.md (phases not 1/3, feeds
 * not 1/2, sockets not 1/2, socket out of range, an order code out of range)
 * or -ENODEV when the socket's feed is SC_ORDER_NONE (SCN-PhaseMapping-2=0).
 *
 * A single-phase station uses only conductor 1 of its cable; a single-phase
 * cable (order L1/L2/L3) has only one live conductor, so no rotation applies.
 */
int sc_phase_map_socket(const struct sc_phase_topology *topo, unsigned socket,
			struct sc_phase_map *out);

/*
 * Grid phase mask of an EV with `ev_phases` (1..3) current-carrying
 * conductors on a socket wired as `map`.  An EV with more conductors than the
 * socket has live ones draws on the live ones only (a 3-phase EV on a 1-phase
 * station charges on one phase, docs/balancing.md B).  0 for ev_phases 0.
 */
unsigned sc_phase_mask_ev(const struct sc_phase_map *map, unsigned ev_phases);

/*
 * Adds a socket's per-conductor currents (conductor 1..3 as index 0..2) to
 * the per-grid-phase totals grid_ma[L1..L3].  Accumulates, so a caller sums a
 * whole station by calling it once per socket on a zeroed array; this is how
 * `import_a` is reported per grid phase.  Conductors that are not live are
 * ignored.
 */
void sc_phase_add_currents(const struct sc_phase_map *map,
			   const int32_t cond_ma[SC_PHASES],
			   int32_t grid_ma[SC_PHASES]);

#endif
