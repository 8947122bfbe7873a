/*
 * oc.c - overcurrent protection monitor (docs/mode3.md, docs/balancing.md).  Pure: the
 * station passes the offer, the currents and the time.
 */
#include "hw/hw_oc.h"

#include <stdio.h>
#include <string.h>

/* Lower edge of each band in percent of the offer, and how long x may stay
 * at or above it (docs/mode3.md).  The vendor's table ends at 150 %; above it we
 * trip as fast as in the last band (docs/balancing.md). */
static const struct {
	int32_t pct;
	int64_t delay_ms;
} bands[HW_OC_BANDS] = {
	{ .pct = 100, .delay_ms = 1200 * 1000 },
	{ .pct = 105, .delay_ms = 100 * 1000 },
	{ .pct = 112, .delay_ms = 5 * 1000 },
	{ .pct = 120, .delay_ms = 2 * 1000 },
};

void hw_oc_reset(hw_oc *oc)
{
	memset(oc, 0, sizeof(*oc));
}

static void stop_timers(hw_oc *oc)
{
	for (int k = 0; k < HW_OC_BANDS; k++)
		oc->running[k] = false;
}

void hw_oc_note_offer(hw_oc *oc, int32_t offered_ma, cp_mono_t now)
{
	/* Lowering the offer gives the EV time to follow; resuming from a
	 * pause does not (it starts from nothing). */
	if (oc->offered_ma > 0 && offered_ma < oc->offered_ma) {
		oc->grace = true;
		oc->lowered_at = now;
	}
	oc->offered_ma = offered_ma;
}

int hw_oc_band(int32_t offered_ma, int32_t actual_ma)
{
	if (offered_ma <= 0)
		return -1;
	/* Integer comparison so a current exactly on an edge is in the
	 * higher band, as "100 % <= x < 105 %" says. */
	for (int k = HW_OC_BANDS - 1; k >= 0; k--)
		if ((int64_t)actual_ma * 100 >= (int64_t)offered_ma * bands[k].pct)
			return k;
	return -1;
}

int hw_oc_update(hw_oc *oc, int32_t offered_ma, const int32_t current_ma[3],
		 cp_mono_t now, hw_oc_trip *trip)
{
	if (offered_ma <= 0) {
		hw_oc_reset(oc);
		return 0;
	}
	hw_oc_note_offer(oc, offered_ma, now);
	if (oc->grace) {
		if (now.ms - oc->lowered_at.ms < HW_OC_GRACE_MS) {
			stop_timers(oc);
			return 0;
		}
		oc->grace = false;
	}

	int32_t actual = current_ma[0];
	for (int i = 1; i < 3; i++)
		if (current_ma[i] > actual)
			actual = current_ma[i];
	if (actual - offered_ma < HW_OC_TOLERANCE_MA) {
		stop_timers(oc);
		return 0;
	}

	int band = hw_oc_band(offered_ma, actual);
	for (int k = 0; k < HW_OC_BANDS; k++) {
		if (k > band) {
			oc->running[k] = false;
			continue;
		}
		if (!oc->running[k]) {
			oc->running[k] = true;
			oc->since[k] = now;
		}
		if (now.ms - oc->since[k].ms >= bands[k].delay_ms) {
			if (trip) {
				trip->allowed_ma = offered_ma;
				trip->actual_ma = actual;
				trip->band = k;
			}
			hw_oc_reset(oc);
			return 1;
		}
	}
	return 0;
}

static int fmt_amps(char *buf, unsigned len, int32_t ma)
{
	if (ma % 1000 == 0)
		return snprintf(buf, len, "%dA", (int)(ma / 1000));
	return snprintf(buf, len, "%d.%dA", (int)(ma / 1000), (int)(ma % 1000 / 100));
}

int hw_oc_format_info(char *buf, unsigned len, int32_t allowed_ma, int32_t actual_ma)
{
	char a[16], b[16];

	fmt_amps(a, sizeof(a), allowed_ma);
	fmt_amps(b, sizeof(b), actual_ma);
	return snprintf(buf, len, "Overcurrent detected allowed %s actual %s", a, b);
}
