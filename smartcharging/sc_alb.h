/*
 * sc_alb.h - Active Load Balancing: what the grid connection has left for
 * the station, per grid phase, from a live meter (pure: no I/O, no clock).
 *
 * The meter reads the whole building at the connection point, import
 * positive and export (PV) negative.  The budget for the station's EVs is
 *
 *     budget = SmartMeter-MaxCurrent - other load
 *     other load = reading - own EV current   (SmartMeterIncludesCharger)
 *                = reading                     (the meter leaves the station out)
 *
 * so export raises the budget (docs/balancing.md has the PV vectors).  The
 * meter sees the station's EVs late (its own averaging, the telegram or
 * poll period, the EV's reaction to a new offer): subtracting the EV current
 * of *now* from a reading of *then* would read every change of the EV's own
 * draw as a change of the other load and make the loop ring.  So the own
 * current is kept as a short history and averaged over the span a reading
 * reflects (window_ms), and the budget only rises once the own current has
 * been steady for two such spans; it falls at once.  tests/test_sc_alb.c
 * closes the loop with a lagging EV and meter and checks it settles.
 *
 * No reading within stale_ms: the budget is Safe-MaxCurrent until the next
 * fresh reading (safe mode).
 */
#ifndef SC_ALB_H
#define SC_ALB_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_time.h"
#include "smartcharging/sc_phase.h"

/* Own-current samples kept: one per driver tick (100 ms) covers 6.4 s,
 * more than two windows of the slowest source polled each second. */
#define SC_ALB_OWN_SAMPLES 64

/* The own current counts as steady when it moved less than this over two
 * windows: below the 1 A resolution of a DSMR current. */
#define SC_ALB_STEADY_MA 1000

struct sc_alb_config {
	int32_t grid_max_ma;	/* SmartMeter-MaxCurrent, per phase */
	int32_t safe_ma;	/* Safe-MaxCurrent, per phase */
	bool includes_charger;	/* SmartMeterIncludesCharger */
	int64_t stale_ms;	/* no reading for this long: safe mode */
	int64_t window_ms;	/* the span one reading reflects */
};

struct sc_alb_sample {
	cp_mono_t at;
	int32_t ma[SC_PHASES];
};

struct sc_alb_state {
	struct sc_alb_sample own[SC_ALB_OWN_SAMPLES];	/* ring, oldest first from head */
	unsigned head, count;
	bool have;			/* a reading was taken */
	cp_mono_t reading_at;
	int32_t reading_ma[SC_PHASES];	/* the last reading */
	int32_t other_ma[SC_PHASES];	/* the other load it gave */
	int32_t budget_ma[SC_PHASES];	/* what it allows */
};

enum sc_alb_mode {
	SC_ALB_LIVE = 0,	/* the budget follows the meter */
	SC_ALB_SAFE,		/* no fresh reading: Safe-MaxCurrent */
};

void sc_alb_init(struct sc_alb_state *st);

/* The station's own EV current per grid phase at `now` (each driver tick). */
void sc_alb_own(struct sc_alb_state *st, cp_mono_t now, const int32_t own_ma[SC_PHASES]);

/* A fresh reading per grid phase (import positive, export negative). */
void sc_alb_reading(struct sc_alb_state *st, const struct sc_alb_config *cfg, cp_mono_t now,
    const int32_t reading_ma[SC_PHASES]);

/* The budget per grid phase at `now`; *until gets the instant the mode
 * changes by itself (a live budget turning safe), 0 if never. */
enum sc_alb_mode sc_alb_budget(const struct sc_alb_state *st, const struct sc_alb_config *cfg,
    cp_mono_t now, int32_t budget_ma[SC_PHASES], cp_mono_t *until);

#endif
