/*
 * composite.c - composite schedules and the "limit now" query.
 *
 * Both are one sweep over time.  Every profile that can matter for the query
 * gets a cursor that knows its value at the current instant and the next
 * instant that value can change (a period start, the end of its duration, the
 * next recurrence, validFrom/validTo).  Cursors sit in a min-heap keyed by
 * that instant; the sweep jumps from boundary to boundary, re-evaluates only
 * the cursors due, and recombines.  Per purpose class a bit mask of the stack
 * levels in force gives the winner in one instruction.  So the cost is
 * O(boundaries x log profiles), independent of the window's length: a week of
 * seconds is never sampled (tests compare against a sampler in
 * composite_oracle.c, which defines the same rules the slow, obvious way).
 */
#include <errno.h>
#include <string.h>

#include "smartcharging/sc.h"

_Static_assert(CP_MAX_STACK_LEVEL < 32, "stack levels are a uint32_t bit mask");

/* "Never" inside the sweep: far beyond any date, yet far enough from
 * INT64_MAX that adding a schedule offset cannot overflow. */
#define T_INF (INT64_MAX / 4)

/* Purpose classes: one ChargePointMax class for the station, and per
 * connector c its TxProfiles, its own TxDefaultProfiles and connector 0's
 * TxDefaultProfiles evaluated with c's transaction start. */
#define CLS_CPMAX 0
#define CLS_TX(c) (1 + 3 * ((c) - 1))
#define CLS_TXDEF_C(c) (2 + 3 * ((c) - 1))
#define CLS_TXDEF_0(c) (3 + 3 * ((c) - 1))
#define N_CLS (1 + 3 * CP_MAX_CONNECTORS)
/* A connector-0 TxDefaultProfile has one cursor per connector. */
#define MAX_CUR (CP_MAX_PROFILES * CP_MAX_CONNECTORS)

struct cursor {
	const struct sc_profile *p;
	int cls;
	bool pinned;		/* idle Relative in a "now" query: first period only */
	int64_t s0;		/* first (or only) schedule origin */
	int64_t rec;		/* recurrence period, 0 = none */
	int64_t len;		/* active seconds per occurrence, T_INF = open */
	int64_t vf, vt;		/* validity [vf, vt) */
	int64_t occ;		/* origin of the occurrence containing now */
	int idx;		/* period in force, -1 = not in force */
	int64_t next;		/* next instant the value can change, T_INF = never */
	bool parked;		/* hidden below its class's winner: out of the heap */
};

struct sweep {
	const struct sc_ctx *ctx;
	int q;			/* queried connector, 0 = station */
	int c_lo, c_hi;		/* connectors whose Tx level matters */
	bool override[CP_MAX_CONNECTORS + 1];
	int ncur;
	struct cursor cur[MAX_CUR];
	int nheap;
	int16_t heap[MAX_CUR];
	uint32_t mask[N_CLS];
	int16_t slot[N_CLS][CP_MAX_STACK_LEVEL + 1];
	int nparked[N_CLS];
};

/* An exact limit: per-phase current = num / den mA. */
struct lim {
	int64_t num, den;
	int8_t phases;
};

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* ---- one profile's cursor ---- */

static void cursor_eval(struct cursor *c, int64_t t)
{
	const struct sc_schedule *s = &c->p->sched;

	if (t < c->vf) {
		c->idx = -1;
		c->next = c->vf;
		return;
	}
	if (t >= c->vt) {
		c->idx = -1;
		c->next = T_INF;
		return;
	}
	if (c->pinned) {
		c->idx = 0;
		c->next = c->vt;
		return;
	}
	if (t < c->s0) {
		c->idx = -1;
		c->next = min64(c->s0, c->vt);
		return;
	}
	int64_t occ = c->s0;
	if (c->rec) {
		if (c->occ <= t && t - c->occ < c->rec)
			occ = c->occ;	/* same occurrence as last time: no division */
		else
			occ = c->s0 + (t - c->s0) / c->rec * c->rec;
	}
	int64_t occ_next = c->rec ? occ + c->rec : T_INF;
	int64_t off = t - occ;
	if (off >= c->len) {
		c->idx = -1;
		c->next = min64(occ_next, c->vt);
		c->occ = occ;
		return;
	}
	int i;
	if (c->occ == occ && c->idx >= 0 && s->p[c->idx].start <= off) {
		/* The sweep moves forward: usually the next period. */
		i = c->idx;
		while (i + 1 < s->n && s->p[i + 1].start <= off)
			i++;
	} else {
		int lo = 0, hi = s->n - 1;	/* p[0].start == 0 <= off */
		while (lo < hi) {
			int mid = (lo + hi + 1) / 2;
			if (s->p[mid].start <= off)
				lo = mid;
			else
				hi = mid - 1;
		}
		i = lo;
	}
	int64_t end = c->len;
	if (i + 1 < s->n && s->p[i + 1].start < end)
		end = s->p[i + 1].start;
	c->occ = occ;
	c->idx = i;
	c->next = min64(min64(occ + end, occ_next), c->vt);
	if (c->next > T_INF)
		c->next = T_INF;
}

/* Origin of a schedule that runs relative to the start of charging. */
struct origin {
	bool fixed;		/* a transaction gives the origin */
	int64_t t;
};

static void cursor_setup(struct cursor *c, const struct sc_profile *p, int cls,
			 struct origin o, bool pin_floating)
{
	const struct sc_schedule *s = &p->sched;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->cls = cls;
	c->vf = p->has_valid_from ? p->valid_from.s : -T_INF;
	c->vt = p->has_valid_to ? p->valid_to.s : T_INF;
	c->occ = -T_INF;
	c->idx = -1;
	if (p->kind == SC_KIND_RECURRING) {
		c->s0 = s->start.s;
		c->rec = p->recurrency == SC_RECUR_WEEKLY ? SC_WEEK_S : SC_DAY_S;
	} else if (p->kind == SC_KIND_ABSOLUTE && s->has_start) {
		c->s0 = s->start.s;
	} else {
		c->s0 = o.t;
		c->pinned = !o.fixed && pin_floating;
	}
	/* A recurring schedule longer than its period needs no clamp: the
	 * evaluation always picks the latest occurrence, which takes over. */
	c->len = s->duration > 0 ? s->duration : T_INF;
}

/* ---- the heap of cursors by next change ---- */

static bool heap_less(const struct sweep *sw, int a, int b)
{
	return sw->cur[sw->heap[a]].next < sw->cur[sw->heap[b]].next;
}

static void heap_swap(struct sweep *sw, int a, int b)
{
	int16_t t = sw->heap[a];
	sw->heap[a] = sw->heap[b];
	sw->heap[b] = t;
}

static void heap_down(struct sweep *sw, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < sw->nheap && heap_less(sw, l, m))
			m = l;
		if (r < sw->nheap && heap_less(sw, r, m))
			m = r;
		if (m == i)
			return;
		heap_swap(sw, i, m);
		i = m;
	}
}

static void heap_up(struct sweep *sw, int i)
{
	while (i > 0 && heap_less(sw, i, (i - 1) / 2)) {
		heap_swap(sw, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_push(struct sweep *sw, int ci)
{
	sw->heap[sw->nheap] = (int16_t)ci;
	heap_up(sw, sw->nheap++);
}

static void sweep_publish(struct sweep *sw, int ci)
{
	struct cursor *c = &sw->cur[ci];
	uint32_t bit = 1u << c->p->stack_level;

	if (c->idx >= 0) {
		sw->mask[c->cls] |= bit;
		sw->slot[c->cls][c->p->stack_level] = (int16_t)ci;
	} else {
		sw->mask[c->cls] &= ~bit;
	}
}

static int64_t sweep_next(const struct sweep *sw)
{
	return sw->nheap ? sw->cur[sw->heap[0]].next : T_INF;
}

/* Is cursor c hidden by a higher stack level of its class in force? */
static bool hidden(const struct sweep *sw, const struct cursor *c)
{
	return (sw->mask[c->cls] >> c->p->stack_level) >> 1 != 0;
}

/* The class's winner ended: every parked cursor may matter again. */
static void sweep_unpark(struct sweep *sw, int cls, int64_t t)
{
	for (int ci = 0; ci < sw->ncur && sw->nparked[cls]; ci++) {
		struct cursor *c = &sw->cur[ci];
		if (c->cls != cls || !c->parked)
			continue;
		c->parked = false;
		sw->nparked[cls]--;
		cursor_eval(c, t);
		sweep_publish(sw, ci);
		if (c->next < T_INF)
			heap_push(sw, ci);
	}
}

/*
 * Moves every cursor due at t (t == sweep_next()).  Only the highest level
 * in force of a class counts, so a cursor that comes due while a higher
 * level hides it is parked (left out of the heap) instead of stepping
 * through boundaries nobody sees; when a class loses its winner, its parked
 * cursors are re-evaluated at that instant (evaluation needs no history).
 * That keeps the work near the boundaries of the visible profiles.
 */
static void sweep_advance(struct sweep *sw, int64_t t)
{
	while (sw->nheap && sw->cur[sw->heap[0]].next == t) {
		int ci = sw->heap[0];
		struct cursor *c = &sw->cur[ci];
		bool was_top = c->idx >= 0 && !hidden(sw, c);
		cursor_eval(c, t);
		sweep_publish(sw, ci);
		if (c->next >= T_INF || hidden(sw, c)) {
			/* Done, or hidden (a higher level is in force): drop it
			 * from the heap; parked ones come back with unpark. */
			if (c->next < T_INF) {
				c->parked = true;
				sw->nparked[c->cls]++;
				if (c->idx >= 0)
					sw->mask[c->cls] &= ~(1u << c->p->stack_level);
			}
			sw->heap[0] = sw->heap[--sw->nheap];
		}
		heap_down(sw, 0);
		if (was_top && (c->idx < 0 || c->parked))
			sweep_unpark(sw, c->cls, t);
	}
}

static int sweep_init(struct sweep *sw, const struct sc_store *st, const struct sc_ctx *ctx,
		      int q, int64_t t0, bool pin_floating)
{
	if (!ctx || ctx->connectors < 1 || ctx->connectors > CP_MAX_CONNECTORS ||
	    ctx->voltage_v <= 0 || q < 0 || q > ctx->connectors)
		return -EINVAL;
	sw->ctx = ctx;
	sw->q = q;
	sw->c_lo = q ? q : 1;
	sw->c_hi = q ? q : ctx->connectors;
	sw->ncur = 0;
	sw->nheap = 0;
	memset(sw->mask, 0, sizeof(sw->mask));
	memset(sw->slot, 0xff, sizeof(sw->slot));	/* -1: no cursor */
	memset(sw->override, 0, sizeof(sw->override));
	memset(sw->nparked, 0, sizeof(sw->nparked));

	/* A TxProfile for the running transaction overrules every TxDefault
	 * for the whole transaction (docs/limits.md), whether or not it is in force. */
	for (int i = 0; i < st->n; i++) {
		const struct sc_profile *p = &st->p[i];
		int c = p->connector;
		if (p->purpose != SC_PURPOSE_TX || c < sw->c_lo || c > sw->c_hi)
			continue;
		const struct sc_conn_state *cs = &ctx->conn[c];
		if (cs->tx_active && (!p->has_tx_id || p->tx_id == cs->tx_id))
			sw->override[c] = true;
	}

	struct origin floating = { .fixed = false, .t = t0 };
	for (int i = 0; i < st->n; i++) {
		const struct sc_profile *p = &st->p[i];
		int c = p->connector;
		switch (p->purpose) {
		case SC_PURPOSE_CP_MAX:
			if (c == 0)
				cursor_setup(&sw->cur[sw->ncur++], p, CLS_CPMAX, floating, pin_floating);
			break;
		case SC_PURPOSE_TX:
			if (c >= sw->c_lo && c <= sw->c_hi && sw->override[c] &&
			    (!p->has_tx_id || p->tx_id == ctx->conn[c].tx_id)) {
				struct origin o = { .fixed = true, .t = ctx->conn[c].tx_start.s };
				cursor_setup(&sw->cur[sw->ncur++], p, CLS_TX(c), o, pin_floating);
			}
			break;
		case SC_PURPOSE_TX_DEFAULT:
			for (int k = sw->c_lo; k <= sw->c_hi; k++) {
				if (sw->override[k] || (c != 0 && c != k))
					continue;
				const struct sc_conn_state *cs = &ctx->conn[k];
				struct origin o = cs->tx_active
					? (struct origin){ .fixed = true, .t = cs->tx_start.s }
					: floating;
				cursor_setup(&sw->cur[sw->ncur++], p,
					     c == 0 ? CLS_TXDEF_0(k) : CLS_TXDEF_C(k), o, pin_floating);
			}
			break;
		default:
			break;
		}
	}
	for (int ci = 0; ci < sw->ncur; ci++) {
		cursor_eval(&sw->cur[ci], t0);
		sweep_publish(sw, ci);
		if (sw->cur[ci].next < T_INF)
			heap_push(sw, ci);
	}
	return 0;
}

/* ---- combining the classes ---- */

static const struct cursor *winner(const struct sweep *sw, int cls)
{
	uint32_t m = sw->mask[cls];
	if (!m)
		return NULL;
	return &sw->cur[sw->slot[cls][31 - __builtin_clz(m)]];
}

static const struct cursor *tx_level(const struct sweep *sw, int c)
{
	if (sw->override[c])
		return winner(sw, CLS_TX(c));
	const struct cursor *w = winner(sw, CLS_TXDEF_C(c));
	return w ? w : winner(sw, CLS_TXDEF_0(c));
}

static struct lim lim_of(const struct cursor *c, int32_t voltage_v)
{
	const struct sc_schedule *s = &c->p->sched;
	const struct sc_period *pe = &s->p[c->idx];
	struct lim l = { .num = pe->limit, .den = 1, .phases = pe->phases };
	if (s->unit == SC_UNIT_W)
		l.den = (int64_t)voltage_v * (pe->phases ? pe->phases : 3);
	return l;
}

static struct lim lim_ma(int64_t ma)
{
	struct lim l = { .num = ma, .den = 1, .phases = 0 };
	return l;
}

static bool lim_lt(struct lim a, struct lim b)
{
	return a.num * b.den < b.num * a.den;
}

static int64_t lim_floor_ma(struct lim l)
{
	return l.num / l.den;
}

/* Output value: rounded down to the mA/mW, then to 0.1 A / 0.1 W. */
static int64_t lim_out(struct lim l, enum sc_unit unit, int phases, int32_t voltage_v)
{
	int64_t v;
	if (unit == SC_UNIT_A)
		v = l.num / l.den;
	else
		v = l.num * voltage_v * (phases ? phases : 3) / l.den;
	return v / 100 * 100;
}

static int32_t hw_ma(const struct sc_ctx *ctx, int c)
{
	int32_t m = ctx->conn[c].max_ma;
	return m < ctx->station_max_ma ? m : ctx->station_max_ma;
}

struct value {
	int64_t limit;
	int8_t phases;
};

static struct value combine(const struct sweep *sw, enum sc_unit unit)
{
	const struct sc_ctx *ctx = sw->ctx;
	const struct cursor *cp = winner(sw, CLS_CPMAX);
	struct lim best;
	int8_t phases = 0;

	if (sw->q) {
		best = lim_ma(hw_ma(ctx, sw->q));
		const struct cursor *tx = tx_level(sw, sw->q);
		if (tx) {
			struct lim l = lim_of(tx, ctx->voltage_v);
			phases = l.phases;
			if (lim_lt(l, best))
				best = l;
		}
	} else {
		int64_t sum = 0;
		for (int c = sw->c_lo; c <= sw->c_hi; c++) {
			int64_t m = hw_ma(ctx, c);
			const struct cursor *tx = tx_level(sw, c);
			if (tx)
				m = min64(m, lim_floor_ma(lim_of(tx, ctx->voltage_v)));
			sum += m;
		}
		best = lim_ma(min64(sum, ctx->station_max_ma));
	}
	if (cp) {
		struct lim l = lim_of(cp, ctx->voltage_v);
		if (!phases)
			phases = l.phases;
		if (lim_lt(l, best))
			best = l;
	}
	struct value v = { .limit = lim_out(best, unit, phases, ctx->voltage_v), .phases = phases };
	return v;
}

static void min_rate_take(const struct sweep *sw, struct sc_composite *out)
{
	if (out->min_rate >= 0 || !sw->q)
		return;
	const struct cursor *tx = tx_level(sw, sw->q);
	if (!tx || tx->p->sched.min_rate < 0)
		return;
	struct lim l = lim_of(tx, sw->ctx->voltage_v);
	l.num = tx->p->sched.min_rate;
	out->min_rate = lim_out(l, out->unit, l.phases, sw->ctx->voltage_v);
}

static int emit(struct sc_composite *out, int64_t off, struct value v)
{
	if (out->n > 0) {
		struct sc_comp_period *last = &out->p[out->n - 1];
		if (last->limit == v.limit && last->phases == v.phases)
			return 0;
	}
	if (out->n >= CP_MAX_COMPOSITE_PERIODS)
		return -ENOSPC;
	out->p[out->n].start = (int32_t)off;
	out->p[out->n].limit = v.limit;
	out->p[out->n].phases = v.phases;
	out->n++;
	return 0;
}

int sc_composite_build(const struct sc_store *st, const struct sc_ctx *ctx,
		       int connector, cp_utc_t start, int32_t duration,
		       enum sc_unit unit, struct sc_composite *out)
{
	struct sweep sw;

	if (duration < 0 || (unsigned)unit >= SC_UNIT_COUNT)
		return -EINVAL;
	int rc = sweep_init(&sw, st, ctx, connector, start.s, false);
	if (rc)
		return rc;
	out->connector = connector;
	out->start = start;
	out->duration = duration;
	out->unit = unit;
	out->min_rate = -1;
	out->n = 0;

	int64_t end = start.s + duration;
	rc = emit(out, 0, combine(&sw, unit));
	min_rate_take(&sw, out);
	for (int64_t t = sweep_next(&sw); rc == 0 && t < end; t = sweep_next(&sw)) {
		sweep_advance(&sw, t);
		rc = emit(out, t - start.s, combine(&sw, unit));
		min_rate_take(&sw, out);
	}
	return rc;
}

static void now_values(const struct sweep *sw, int32_t *conn_ma, int32_t *station_ma)
{
	const struct cursor *cp = winner(sw, CLS_CPMAX);
	*station_ma = cp ? (int32_t)lim_floor_ma(lim_of(cp, sw->ctx->voltage_v)) : SC_LIMIT_NONE;
	*conn_ma = SC_LIMIT_NONE;
	if (sw->q) {
		const struct cursor *tx = tx_level(sw, sw->q);
		if (tx)
			*conn_ma = (int32_t)lim_floor_ma(lim_of(tx, sw->ctx->voltage_v));
	}
}

int sc_profile_limit_now(const struct sc_store *st, const struct sc_ctx *ctx,
			 int connector, cp_utc_t now, int32_t *conn_ma,
			 int32_t *station_ma, cp_utc_t *next_change)
{
	struct sweep sw;
	int rc = sweep_init(&sw, st, ctx, connector, now.s, true);
	if (rc)
		return rc;
	now_values(&sw, conn_ma, station_ma);
	for (int events = 0; events < SC_LOOKAHEAD_EVENTS; events++) {
		int64_t t = sweep_next(&sw);
		if (t >= T_INF)
			break;
		int32_t c, s;
		sweep_advance(&sw, t);
		now_values(&sw, &c, &s);
		if (c != *conn_ma || s != *station_ma) {
			next_change->s = t;
			return 0;
		}
	}
	/* Out of look-ahead: wake up at the next boundary and look again. */
	next_change->s = sweep_next(&sw) >= T_INF ? CP_UTC_NEVER : sweep_next(&sw);
	return 0;
}
