/*
 * hw_oc.h - overcurrent protection (docs/mode3.md, docs/balancing.md) as a pure monitor:
 * feed it the offered current and the measured conductor currents with the
 * time, it says when to trip.  Pausing, the 5 minute resume and the status
 * fields are the station's job (hw/mode3.c).
 *
 * x = highest conductor current / offered current.  It counts only while the
 * excess is at least 0.5 A (meter tolerance) and not within 5 s after the
 * offer was lowered (the EV's reaction time, IEC 61851-1).  Bands and their
 * delays: 100 % <= x < 105 %: 1200 s, 105-112 %: 100 s, 112-120 %: 5 s,
 * >= 120 %: 2 s.  A band's timer runs while x is in that band or higher, so
 * a current wandering between bands never restarts the slower timers.
 */
#ifndef HW_HW_OC_H
#define HW_HW_OC_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_time.h"

#define HW_OC_BANDS 4
/* Excess below this is meter tolerance, not overcurrent (docs/balancing.md). */
#define HW_OC_TOLERANCE_MA 500
/* The EV may take this long to follow a lowered PWM (docs/balancing.md; IEC 61851-1
 * gives the EV 5 s to react to a duty change). */
#define HW_OC_GRACE_MS 5000
/* Pause after a trip before the session resumes (docs/mode3.md). */
#define HW_OC_PAUSE_MS (5 * 60 * 1000)

typedef struct hw_oc {
	int32_t offered_ma;         /* last offer seen */
	bool grace;                 /* within HW_OC_GRACE_MS of lowering */
	cp_mono_t lowered_at;
	bool running[HW_OC_BANDS];  /* band timer running */
	cp_mono_t since[HW_OC_BANDS];
} hw_oc;

typedef struct hw_oc_trip {
	int32_t allowed_ma;
	int32_t actual_ma;
	int band;                   /* 0..3: which band's delay ran out */
} hw_oc_trip;

void hw_oc_reset(hw_oc *oc);
/* One sample.  offered_ma 0 (paused) stops monitoring and resets it.
 * Returns 1 and fills *trip when a band's delay has run out (the monitor is
 * then reset), else 0. */
int hw_oc_update(hw_oc *oc, int32_t offered_ma, const int32_t current_ma[3],
		 cp_mono_t now, hw_oc_trip *trip);
/* Tell the monitor about an offer change as soon as it is made, so the
 * 5 s grace starts then (hw_oc_update calls it too). */
void hw_oc_note_offer(hw_oc *oc, int32_t offered_ma, cp_mono_t now);
/* Band of a ratio (0..3), -1 below 100 %: for tests and logs. */
int hw_oc_band(int32_t offered_ma, int32_t actual_ma);
/* "Overcurrent detected allowed 16A actual 20A" (whole amperes when exact,
 * else one decimal, e.g. "allowed 6.5A").  Returns snprintf's result. */
int hw_oc_format_info(char *buf, unsigned len, int32_t allowed_ma, int32_t actual_ma);

#endif
