/*
 * alb.c - Active Load Balancing budget from a live meter (sc_alb.h), pure.
 */
#include "smartcharging/sc_alb.h"

#include <string.h>

void sc_alb_init(struct sc_alb_state *st)
{
	memset(st, 0, sizeof(*st));
}

static const struct sc_alb_sample *sample(const struct sc_alb_state *st, unsigned i)
{
	return &st->own[(st->head + i) % SC_ALB_OWN_SAMPLES];
}

void sc_alb_own(struct sc_alb_state *st, cp_mono_t now, const int32_t own_ma[SC_PHASES])
{
	struct sc_alb_sample *s;

	if (st->count == SC_ALB_OWN_SAMPLES) {
		st->head = (st->head + 1) % SC_ALB_OWN_SAMPLES;
		st->count--;
	}
	s = &st->own[(st->head + st->count) % SC_ALB_OWN_SAMPLES];
	s->at = now;
	memcpy(s->ma, own_ma, sizeof(s->ma));
	st->count++;
}

/* The own current averaged over [now - window, now] (each sample holds
 * until the next one; before the first, the first), and how far it moved
 * over [now - span, now]. */
static void own_stats(const struct sc_alb_state *st, cp_mono_t now, int64_t window,
    int64_t span, int32_t avg[SC_PHASES], int32_t moved[SC_PHASES])
{
	for (int k = 0; k < SC_PHASES; k++) {
		int64_t sum = 0;
		int32_t lo = 0, hi = 0;
		bool any = false;

		for (unsigned i = 0; i < st->count; i++) {
			const struct sc_alb_sample *s = sample(st, i);
			int64_t from = i == 0 ? now.ms - (window > span ? window : span) : s->at.ms;
			int64_t to = i + 1 < st->count ? sample(st, i + 1)->at.ms : now.ms;
			int64_t a = from > now.ms - window ? from : now.ms - window;

			if (to > now.ms)
				to = now.ms;
			if (to > a)
				sum += (int64_t)s->ma[k] * (to - a);
			if (to > now.ms - span || i + 1 == st->count) {
				if (!any || s->ma[k] < lo)
					lo = s->ma[k];
				if (!any || s->ma[k] > hi)
					hi = s->ma[k];
				any = true;
			}
		}
		avg[k] = window > 0 ? (int32_t)(sum / window) : (st->count ? sample(st, st->count - 1)->ma[k] : 0);
		moved[k] = hi - lo;
	}
}

void sc_alb_reading(struct sc_alb_state *st, const struct sc_alb_config *cfg, cp_mono_t now,
    const int32_t reading_ma[SC_PHASES])
{
	int32_t own[SC_PHASES] = { 0 }, moved[SC_PHASES] = { 0 };
	int64_t w = cfg->window_ms > 0 ? cfg->window_ms : 0;

	if (cfg->includes_charger && st->count)
		own_stats(st, now, w, 2 * w, own, moved);
	for (int k = 0; k < SC_PHASES; k++) {
		int64_t other = (int64_t)reading_ma[k] - (cfg->includes_charger ? own[k] : 0);
		int64_t target = (int64_t)cfg->grid_max_ma - other;

		if (target < 0)
			target = 0;
		if (target > INT32_MAX)
			target = INT32_MAX;
		st->reading_ma[k] = reading_ma[k];
		st->other_ma[k] = (int32_t)(other > INT32_MAX ? INT32_MAX : other < INT32_MIN ? INT32_MIN : other);
		/* Down at once; up only on a steady own current, so a reading
		 * taken while the EV was still ramping is not mistaken for room. */
		if (!st->have || target <= st->budget_ma[k] || moved[k] < SC_ALB_STEADY_MA)
			st->budget_ma[k] = (int32_t)target;
	}
	st->have = true;
	st->reading_at = now;
}

enum sc_alb_mode sc_alb_budget(const struct sc_alb_state *st, const struct sc_alb_config *cfg,
    cp_mono_t now, int32_t budget_ma[SC_PHASES], cp_mono_t *until)
{
	*until = cp_mono(0);
	if (!st->have || now.ms - st->reading_at.ms >= cfg->stale_ms) {
		for (int k = 0; k < SC_PHASES; k++)
			budget_ma[k] = cfg->safe_ma > 0 ? cfg->safe_ma : 0;
		return SC_ALB_SAFE;
	}
	for (int k = 0; k < SC_PHASES; k++)
		budget_ma[k] = st->budget_ma[k];
	*until = cp_mono(st->reading_at.ms + cfg->stale_ms);
	return SC_ALB_LIVE;
}
