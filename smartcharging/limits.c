/*
 * limits.c - the per-socket limit stack of docs/limits.md: the applied
 * current is the lowest of every source, rounded down to 0.1 A, and zero
 * (paused) below the 6 A that IEC 61851-1 allows as the smallest charging
 * current.  Each source is one slot, so a source that lands later (the
 * allocator, the EMS, the EV's own limit) is one more input, not a new path.
 */
#include "smartcharging/sc.h"

static const char *const source_names[SC_SRC_COUNT] = {
	[SC_SRC_FAULT] = "fault",
	[SC_SRC_SUSPEND] = "suspend",
	[SC_SRC_PROFILE] = "profile",
	[SC_SRC_BALANCING] = "balancing",
	[SC_SRC_STATION] = "station",
	[SC_SRC_CONNECTOR] = "connector",
	[SC_SRC_CABLE] = "cable",
	[SC_SRC_EV] = "ev",
};

const char *sc_source_name(enum sc_source s)
{
	if ((int)s < 0 || s >= SC_SRC_COUNT)
		return "none";
	return source_names[s];
}

void sc_limit_inputs_init(struct sc_limit_inputs *in)
{
	for (int i = 0; i < SC_SRC_COUNT; i++)
		in->ma[i] = SC_LIMIT_NONE;
}

void sc_limit_set(struct sc_limit_inputs *in, enum sc_source s, int32_t ma)
{
	if ((int)s < 0 || s >= SC_SRC_COUNT || ma == SC_LIMIT_NONE)
		return;
	if (ma < 0)
		ma = 0;
	if (in->ma[s] == SC_LIMIT_NONE || ma < in->ma[s])
		in->ma[s] = ma;
}

void sc_limit_stop(struct sc_limit_inputs *in, enum sc_source s)
{
	sc_limit_set(in, s, 0);
}

void sc_limit_apply(const struct sc_limit_inputs *in, struct sc_limit_result *out)
{
	out->binding = SC_SRC_NONE;
	out->lowest_ma = SC_LIMIT_NONE;
	/* Strictly lower only: on a tie the earlier source in enum order binds. */
	for (int i = 0; i < SC_SRC_COUNT; i++) {
		int32_t v = in->ma[i];
		if (v == SC_LIMIT_NONE)
			continue;
		if (out->lowest_ma == SC_LIMIT_NONE || v < out->lowest_ma) {
			out->lowest_ma = v;
			out->binding = (enum sc_source)i;
		}
	}
	if (out->lowest_ma == SC_LIMIT_NONE) {
		/* No source at all is a caller bug (the connector max is always
		 * known); pausing is the only safe answer. */
		out->applied_ma = 0;
		out->paused = true;
		return;
	}
	out->applied_ma = sc_limit_round(out->lowest_ma);
	out->paused = out->applied_ma == 0;
}

int32_t sc_limit_round(int32_t ma)
{
	int32_t v;

	if (ma == SC_LIMIT_NONE || ma <= 0)
		return 0;
	v = ma / CP_CURRENT_STEP_MA * CP_CURRENT_STEP_MA;
	return v < CP_MIN_CHARGE_MA ? 0 : v;
}
