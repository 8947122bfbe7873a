/*
 * composite_oracle.c - per-second reference for composite schedules.
 *
 * Deliberately shares no code with composite.c: every rule of sc.h is
 * written out again in the most direct form, so a property test comparing
 * the two catches a mistake in either.
 */
#include <errno.h>

#include "smartcharging/composite_oracle.h"

#define FOREVER ((int64_t)1 << 62)

/* Index of the period of p in force at t, or -1.  origin is the start of
 * charging (or the query's start); pinned: the first period, always. */
static int period_at(const struct sc_profile *p, int64_t t, int64_t origin, bool pinned)
{
	const struct sc_schedule *s = &p->sched;
	int64_t occ, len = s->duration > 0 ? s->duration : FOREVER;

	if (p->has_valid_from && t < p->valid_from.s)
		return -1;
	if (p->has_valid_to && t >= p->valid_to.s)
		return -1;
	if (p->kind == SC_KIND_RECURRING) {
		int64_t period = p->recurrency == SC_RECUR_WEEKLY ? 7 * 86400 : 86400;
		if (t < s->start.s)
			return -1;
		occ = s->start.s;
		while (occ + period <= t)	/* plainly, one occurrence at a time */
			occ += period;
		if (len > period)
			len = period;
	} else if (p->kind == SC_KIND_ABSOLUTE && s->has_start) {
		occ = s->start.s;
	} else {
		if (pinned)
			return 0;
		occ = origin;
	}
	if (t < occ || t - occ >= len)
		return -1;
	int idx = 0;
	for (int i = 0; i < s->n; i++)
		if (s->p[i].start <= t - occ)
			idx = i;
	return idx;
}

struct pick {
	const struct sc_profile *p;
	int idx;
};

/* Highest stack level of the profiles selected by (purpose, connector). */
static struct pick best_at(const struct sc_store *st, enum sc_purpose purpose, int on_connector,
			   bool need_tx_match, int64_t tx_id, int64_t t, int64_t origin, bool pinned)
{
	struct pick b = { NULL, -1 };
	for (int i = 0; i < st->n; i++) {
		const struct sc_profile *p = &st->p[i];
		if (p->purpose != purpose || p->connector != on_connector)
			continue;
		if (need_tx_match && p->has_tx_id && p->tx_id != tx_id)
			continue;
		int idx = period_at(p, t, origin, pinned);
		if (idx < 0)
			continue;
		if (!b.p || p->stack_level > b.p->stack_level) {
			b.p = p;
			b.idx = idx;
		}
	}
	return b;
}

static bool has_tx_profile(const struct sc_store *st, const struct sc_ctx *ctx, int c)
{
	if (!ctx->conn[c].tx_active)
		return false;
	for (int i = 0; i < st->n; i++) {
		const struct sc_profile *p = &st->p[i];
		if (p->purpose == SC_PURPOSE_TX && p->connector == c &&
		    (!p->has_tx_id || p->tx_id == ctx->conn[c].tx_id))
			return true;
	}
	return false;
}

static struct pick tx_pick(const struct sc_store *st, const struct sc_ctx *ctx, int c,
			   int64_t t, int64_t start, bool pin)
{
	const struct sc_conn_state *cs = &ctx->conn[c];
	int64_t origin = cs->tx_active ? cs->tx_start.s : start;
	bool pinned = !cs->tx_active && pin;

	if (has_tx_profile(st, ctx, c))
		return best_at(st, SC_PURPOSE_TX, c, true, cs->tx_id, t, origin, pinned);
	struct pick b = best_at(st, SC_PURPOSE_TX_DEFAULT, c, false, 0, t, origin, pinned);
	if (!b.p)
		b = best_at(st, SC_PURPOSE_TX_DEFAULT, 0, false, 0, t, origin, pinned);
	return b;
}

/* A period's limit as a fraction of mA: num / den. */
static void frac_of(const struct sc_profile *p, int idx, int32_t volt, int64_t *num, int64_t *den)
{
	const struct sc_period *pe = &p->sched.p[idx];
	*num = pe->limit;
	*den = p->sched.unit == SC_UNIT_A ? 1 : (int64_t)volt * (pe->phases ? pe->phases : 3);
}

static int64_t to_unit(int64_t num, int64_t den, enum sc_unit unit, int phases, int32_t volt)
{
	int64_t milli = unit == SC_UNIT_A ? num / den
					   : num * volt * (phases ? phases : 3) / den;
	return milli - milli % 100;
}

static int64_t hw(const struct sc_ctx *ctx, int c)
{
	return ctx->conn[c].max_ma < ctx->station_max_ma ? ctx->conn[c].max_ma : ctx->station_max_ma;
}

static void value_at(const struct sc_store *st, const struct sc_ctx *ctx, int q, int64_t t,
		     int64_t start, enum sc_unit unit, int64_t *limit, int *phases)
{
	int32_t v = ctx->voltage_v;
	int64_t num, den = 1;
	struct pick cp = best_at(st, SC_PURPOSE_CP_MAX, 0, false, 0, t, start, false);

	*phases = 0;
	if (q > 0) {
		num = hw(ctx, q);
		struct pick tx = tx_pick(st, ctx, q, t, start, false);
		if (tx.p) {
			int64_t n2, d2;
			frac_of(tx.p, tx.idx, v, &n2, &d2);
			*phases = tx.p->sched.p[tx.idx].phases;
			if (n2 * den < num * d2) {
				num = n2;
				den = d2;
			}
		}
	} else {
		num = 0;
		for (int c = 1; c <= ctx->connectors; c++) {
			int64_t m = hw(ctx, c);
			struct pick tx = tx_pick(st, ctx, c, t, start, false);
			if (tx.p) {
				int64_t n2, d2;
				frac_of(tx.p, tx.idx, v, &n2, &d2);
				if (n2 / d2 < m)
					m = n2 / d2;
			}
			num += m;
		}
		if (num > ctx->station_max_ma)
			num = ctx->station_max_ma;
	}
	if (cp.p) {
		int64_t n2, d2;
		frac_of(cp.p, cp.idx, v, &n2, &d2);
		if (*phases == 0)
			*phases = cp.p->sched.p[cp.idx].phases;
		if (n2 * den < num * d2) {
			num = n2;
			den = d2;
		}
	}
	*limit = to_unit(num, den, unit, *phases, v);
}

int sc_oracle_composite(const struct sc_store *st, const struct sc_ctx *ctx, int q,
			cp_utc_t start, int32_t duration, enum sc_unit unit,
			struct sc_composite *out)
{
	if (!ctx || q < 0 || q > ctx->connectors || duration < 0)
		return -EINVAL;
	out->connector = q;
	out->start = start;
	out->duration = duration;
	out->unit = unit;
	out->min_rate = -1;
	out->n = 0;
	int64_t secs = duration > 0 ? duration : 1;
	for (int64_t k = 0; k < secs; k++) {
		int64_t t = start.s + k, limit;
		int phases;
		value_at(st, ctx, q, t, start.s, unit, &limit, &phases);
		if (out->n == 0 || out->p[out->n - 1].limit != limit ||
		    out->p[out->n - 1].phases != phases) {
			if (out->n == CP_MAX_COMPOSITE_PERIODS)
				return -ENOSPC;
			out->p[out->n].start = (int32_t)k;
			out->p[out->n].limit = limit;
			out->p[out->n].phases = (int8_t)phases;
			out->n++;
		}
		if (q > 0 && out->min_rate < 0) {
			struct pick tx = tx_pick(st, ctx, q, t, start.s, false);
			if (tx.p && tx.p->sched.min_rate >= 0) {
				int64_t n2, d2;
				frac_of(tx.p, tx.idx, ctx->voltage_v, &n2, &d2);
				out->min_rate = to_unit(tx.p->sched.min_rate, d2, unit,
							tx.p->sched.p[tx.idx].phases, ctx->voltage_v);
			}
		}
	}
	return 0;
}

void sc_oracle_values_at(const struct sc_store *st, const struct sc_ctx *ctx, int q,
			 int64_t t, int32_t *conn_ma, int32_t *station_ma)
{
	int64_t num, den;
	struct pick cp = best_at(st, SC_PURPOSE_CP_MAX, 0, false, 0, t, t, true);

	*station_ma = SC_LIMIT_NONE;
	*conn_ma = SC_LIMIT_NONE;
	if (cp.p) {
		frac_of(cp.p, cp.idx, ctx->voltage_v, &num, &den);
		*station_ma = (int32_t)(num / den);
	}
	if (q > 0) {
		struct pick tx = tx_pick(st, ctx, q, t, t, true);
		if (tx.p) {
			frac_of(tx.p, tx.idx, ctx->voltage_v, &num, &den);
			*conn_ma = (int32_t)(num / den);
		}
	}
}
