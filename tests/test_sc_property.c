/*
 * test_sc_property.c - the sweep of composite.c against the per-second
 * oracle on thousands of random profile stacks (fixed seed, so a failure
 * reproduces; the failing case number is printed).
 *
 * The generator aims at the edges: few stack levels (so levels collide and
 * replace each other), schedules, validity and transactions starting close
 * to the window, recurring origins days or weeks back (occurrence and week
 * wrap inside the window), durations that end mid-window, both units and
 * every numberPhases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/composite_oracle.h"
#include "smartcharging/sc.h"

#define CASES 3000
#define BASE 1710028800	/* 2024-03-10T00:00:00Z, a Sunday */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Uniform in [lo, hi]. */
static int64_t pick(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static void random_profile(struct sc_profile *p, const struct sc_ctx *ctx, int64_t w, int id)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->purpose = (enum sc_purpose)pick(0, 2);
	p->stack_level = (int)pick(0, 3);
	if (p->purpose == SC_PURPOSE_CP_MAX)
		p->connector = 0;
	else if (p->purpose == SC_PURPOSE_TX)
		p->connector = (int)pick(1, ctx->connectors);
	else
		p->connector = (int)pick(0, ctx->connectors);
	if (p->purpose == SC_PURPOSE_TX && pick(0, 2)) {
		p->has_tx_id = true;
		p->tx_id = (int32_t)pick(1, 3);
	}
	p->kind = (enum sc_kind)pick(0, 2);
	struct sc_schedule *s = &p->sched;
	switch (p->kind) {
	case SC_KIND_RECURRING:
		p->recurrency = pick(0, 1) ? SC_RECUR_DAILY : SC_RECUR_WEEKLY;
		s->has_start = true;
		/* Some occurrences back, starting near the window. */
		s->start.s = w + pick(-3 * 3600, 2 * 3600) -
			     pick(0, p->recurrency == SC_RECUR_DAILY ? 8 : 2) *
				     (p->recurrency == SC_RECUR_DAILY ? SC_DAY_S : SC_WEEK_S);
		break;
	case SC_KIND_ABSOLUTE:
		s->has_start = pick(0, 3) != 0;
		s->start.s = w + pick(-4 * 3600, 3 * 3600);
		break;
	default:
		if (pick(0, 3) == 0) {	/* ignored for Relative */
			s->has_start = true;
			s->start.s = w + pick(-3600, 3600);
		}
		break;
	}
	if (pick(0, 2) == 0) {
		p->has_valid_from = true;
		p->valid_from.s = w + pick(-3 * 3600, 3 * 3600);
	}
	if (pick(0, 2) == 0) {
		p->has_valid_to = true;
		p->valid_to.s = (p->has_valid_from ? p->valid_from.s : w - 3 * 3600) + pick(1, 6 * 3600);
	}
	s->duration = pick(0, 1) ? 0 : (int32_t)pick(1, 5 * 3600);
	if (pick(0, 5) == 0)	/* longer than a day: cut by the next occurrence */
		s->duration = (int32_t)pick(86000, 200000);
	s->unit = pick(0, 2) ? SC_UNIT_A : SC_UNIT_W;
	s->min_rate = pick(0, 3) ? SC_LIMIT_NONE : (int32_t)pick(0, 80) * 100;
	s->n = (int)pick(1, 8);
	int32_t at = 0;
	for (int i = 0; i < s->n; i++) {
		s->p[i].start = at;
		at += (int32_t)pick(1, pick(0, 1) ? 600 : 3600);
		if (s->unit == SC_UNIT_A)
			s->p[i].limit = (int32_t)pick(0, 250) * 100;
		else
			s->p[i].limit = (int32_t)pick(0, 170000) * 100;
		s->p[i].phases = (int8_t)pick(0, 3);
	}
}

static void random_case(struct sc_store *st, struct sc_ctx *ctx, int64_t *w, int32_t *dur)
{
	static const int32_t maxes[] = { 16000, 25000, 32000, 32000, 63000, 63000 };

	memset(ctx, 0, sizeof(*ctx));
	ctx->connectors = (int)pick(1, CP_MAX_CONNECTORS);
	ctx->voltage_v = pick(0, 3) ? 230 : (int32_t)pick(100, 400);
	ctx->station_max_ma = maxes[pick(0, 5)];
	/* Around midnight often: recurring boundaries land there. */
	*w = BASE + (pick(0, 1) ? pick(-3 * 3600, 3 * 3600) : pick(0, 14 * 86400));
	*dur = pick(0, 30) == 0 ? 0 : (int32_t)pick(1, pick(0, 1) ? 3 * 3600 : 6 * 3600);
	for (int c = 1; c <= ctx->connectors; c++) {
		ctx->conn[c].max_ma = maxes[pick(0, 5)];
		ctx->conn[c].tx_active = pick(0, 4) < 3;
		ctx->conn[c].tx_id = (int32_t)pick(1, 3);
		ctx->conn[c].tx_start.s = *w + pick(-4 * 3600, 3600);
	}
	sc_store_init(st);
	int n = (int)pick(0, 10);
	for (int i = 0; i < n; i++) {
		struct sc_profile p;
		char why[128];
		random_profile(&p, ctx, *w, (int)pick(1, 10));
		/* ctx NULL: a TxProfile for another transaction may stay in
		 * the store, so the filter by transactionId is exercised. */
		assert_int_equal(sc_store_set(st, &p, NULL, NULL, why, sizeof(why)), 0);
	}
}

static void dump(const char *what, const struct sc_composite *c)
{
	fprintf(stderr, "%s: n=%d min_rate=%lld\n", what, c->n, (long long)c->min_rate);
	for (int i = 0; i < c->n && i < 40; i++)
		fprintf(stderr, "  +%d %lld ph%d\n", (int)c->p[i].start, (long long)c->p[i].limit,
			c->p[i].phases);
}

static struct sc_composite fast, slow;

static void test_composite_matches_oracle(void **state)
{
	(void)state;
	int periods = 0;
	for (int k = 0; k < CASES; k++) {
		struct sc_store st;
		struct sc_ctx ctx;
		int64_t w;
		int32_t dur;
		random_case(&st, &ctx, &w, &dur);
		int q = (int)pick(0, ctx.connectors);
		enum sc_unit unit = pick(0, 1) ? SC_UNIT_A : SC_UNIT_W;
		assert_int_equal(sc_composite_build(&st, &ctx, q, cp_utc(w), dur, unit, &fast), 0);
		assert_int_equal(sc_oracle_composite(&st, &ctx, q, cp_utc(w), dur, unit, &slow), 0);
		bool same = fast.n == slow.n && fast.min_rate == slow.min_rate;
		for (int i = 0; same && i < fast.n; i++)
			same = fast.p[i].start == slow.p[i].start && fast.p[i].limit == slow.p[i].limit &&
			       fast.p[i].phases == slow.p[i].phases;
		if (!same) {
			fprintf(stderr, "case %d: connector %d unit %d window %lld+%d\n", k, q, unit,
				(long long)w, (int)dur);
			dump("sweep", &fast);
			dump("oracle", &slow);
		}
		assert_true(same);
		periods += fast.n;
	}
	/* The generator must produce real schedules, not flat lines. */
	fprintf(stderr, "%d cases, %d composite periods\n", CASES, periods);
	assert_true(periods > 2 * CASES);
}

static void test_limit_now_matches_oracle(void **state)
{
	(void)state;
	int changes = 0;
	for (int k = 0; k < CASES; k++) {
		struct sc_store st;
		struct sc_ctx ctx;
		int64_t now;
		int32_t dur, c0, s0, c1, s1;
		cp_utc_t next;
		random_case(&st, &ctx, &now, &dur);
		int q = (int)pick(0, ctx.connectors);
		assert_int_equal(sc_profile_limit_now(&st, &ctx, q, cp_utc(now), &c0, &s0, &next), 0);
		sc_oracle_values_at(&st, &ctx, q, now, &c1, &s1);
		if (c0 != c1 || s0 != s1)
			fprintf(stderr, "case %d: now %d/%d, oracle %d/%d\n", k, c0, s0, c1, s1);
		assert_int_equal(c0, c1);
		assert_int_equal(s0, s1);
		assert_true(next.s > now);
		/* Nothing changes before next_change ... */
		int64_t horizon = next.s == CP_UTC_NEVER ? now + 8 * 3600 : next.s;
		if (horizon > now + 8 * 3600)
			horizon = now + 8 * 3600;
		for (int64_t t = now + 1; t < horizon; t++) {
			sc_oracle_values_at(&st, &ctx, q, t, &c1, &s1);
			if (c1 != c0 || s1 != s0)
				fprintf(stderr, "case %d: change at +%lld before next +%lld\n", k,
					(long long)(t - now), (long long)(next.s - now));
			assert_true(c1 == c0 && s1 == s0);
		}
		/* ... and something does at it. */
		if (next.s != CP_UTC_NEVER && next.s - now < 30 * 86400) {
			sc_oracle_values_at(&st, &ctx, q, next.s, &c1, &s1);
			if (c1 == c0 && s1 == s0)
				fprintf(stderr, "case %d: q %d no change at next +%lld (%d/%d)\n", k, q,
					(long long)(next.s - now), c0, s0);
			if (c1 == c0 && s1 == s0) {
				for (int i = 0; i < st.n; i++) {
					const struct sc_profile *p = &st.p[i];
					fprintf(stderr, " id%d c%d pur%d lvl%d kind%d rec%d vf%d:%lld vt%d:%lld start%d:%lld dur%d unit%d n%d txid%d:%lld\n",
						p->id, p->connector, p->purpose, p->stack_level, p->kind, p->recurrency,
						p->has_valid_from, (long long)(p->valid_from.s - now), p->has_valid_to, (long long)(p->valid_to.s - now),
						p->sched.has_start, (long long)(p->sched.start.s - now), p->sched.duration, p->sched.unit, p->sched.n, p->has_tx_id, (long long)p->tx_id);
					for (int j = 0; j < p->sched.n; j++) fprintf(stderr, "   %d %d ph%d\n", p->sched.p[j].start, p->sched.p[j].limit, p->sched.p[j].phases);
				}
				for (int c = 1; c <= ctx.connectors; c++) fprintf(stderr, " conn%d tx%d id%lld start%lld max%d\n", c, ctx.conn[c].tx_active, (long long)ctx.conn[c].tx_id, (long long)(ctx.conn[c].tx_start.s-now), ctx.conn[c].max_ma);
			}
			assert_true(c1 != c0 || s1 != s0);
			changes++;
		}
	}
	assert_true(changes > CASES / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composite_matches_oracle),
		cmocka_unit_test(test_limit_now_matches_oracle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
