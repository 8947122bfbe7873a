/*
 * test_sc_composite.c - GetCompositeSchedule and the "limit now" query,
 * one test per rule of OCPP 1.6 3.13 / docs/limits.md as documented in sc.h.
 * Expected schedules are written out as tables of (startPeriod, limit).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc.h"

#define T0 1710028800	/* 2024-03-10T00:00:00Z, a Sunday */
#define H 3600

struct exp_period {
	int32_t start;
	int64_t limit;
	int8_t phases;
};

static struct sc_store st;
static struct sc_composite comp;

static struct sc_ctx base_ctx(void)
{
	struct sc_ctx c = {
		.connectors = 2, .voltage_v = 230, .station_max_ma = 32000,
		.conn = { [1] = { .max_ma = 32000 }, [2] = { .max_ma = 32000 } },
	};
	return c;
}

static void add(const struct sc_profile *p)
{
	char why[128];
	int rc = sc_store_set(&st, p, NULL, NULL, why, sizeof(why));
	if (rc)
		print_error("profile %d rejected: %s\n", (int)p->id, why);
	assert_int_equal(rc, 0);
}

static void expect_(const struct exp_period *e, int n, int line)
{
	bool same = comp.n == n;
	for (int i = 0; same && i < n; i++)
		same = comp.p[i].start == e[i].start && comp.p[i].limit == e[i].limit &&
		       comp.p[i].phases == e[i].phases;
	if (!same) {
		print_error("line %d: got %d periods:", line, comp.n);
		for (int i = 0; i < comp.n; i++)
			print_error(" +%d %lld ph%d;", (int)comp.p[i].start, (long long)comp.p[i].limit,
				    comp.p[i].phases);
		print_error("\n");
	}
	assert_true(same);
}
#define EXPECT(...) do { \
	static const struct exp_period e_[] = { __VA_ARGS__ }; \
	expect_(e_, (int)(sizeof(e_) / sizeof(e_[0])), __LINE__); \
} while (0)

static void build(const struct sc_ctx *ctx, int connector, int64_t start, int32_t dur, enum sc_unit u)
{
	assert_int_equal(sc_composite_build(&st, ctx, connector, cp_utc(start), dur, u, &comp), 0);
	assert_int_equal(comp.duration, dur);
	assert_true(comp.n >= 1 && comp.p[0].start == 0);
	assert_true(comp.p[comp.n - 1].start < (dur ? dur : 1));
}

static int setup(void **state)
{
	(void)state;
	sc_store_init(&st);
	return 0;
}

/* Absolute profile at T0 with the given periods (A). */
#define ABS(id_, conn_, purpose_, level_, ...) (struct sc_profile){ .id = id_, .connector = conn_, \
	.purpose = purpose_, .stack_level = level_, .kind = SC_KIND_ABSOLUTE, \
	.sched = { .has_start = true, .start = { T0 }, .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, \
		   .n = (int)(sizeof((struct sc_period[]){ __VA_ARGS__ }) / sizeof(struct sc_period)), \
		   .p = { __VA_ARGS__ } } }

static void test_no_profile_is_hardware_limit(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	ctx.conn[1].max_ma = 20000;
	build(&ctx, 1, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 20000, 0 });
	ctx.station_max_ma = 16000;	/* the lower of connector and station max */
	build(&ctx, 1, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 16000, 0 });
	/* Station: the sum of the sockets, capped by the station max. */
	ctx.station_max_ma = 63000;
	build(&ctx, 0, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 52000, 0 });
	ctx.station_max_ma = 40000;
	build(&ctx, 0, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 40000, 0 });
}

static void test_unknown_connector_rejected(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	assert_int_equal(sc_composite_build(&st, &ctx, 3, cp_utc(T0), 60, SC_UNIT_A, &comp), -EINVAL);
	assert_int_equal(sc_composite_build(&st, &ctx, -1, cp_utc(T0), 60, SC_UNIT_A, &comp), -EINVAL);
	assert_int_equal(sc_composite_build(&st, &ctx, 1, cp_utc(T0), -1, SC_UNIT_A, &comp), -EINVAL);
}

static void test_gaps_filled_and_capped(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }, { 600, 40000, 0 });
	p.sched.start.s = T0 + 600;
	p.sched.duration = 1800;
	add(&p);
	build(&ctx, 1, T0, 3600, SC_UNIT_A);
	/* hardware before, 10 A, 40 A capped to 32 A (= hardware, merged), hardware after */
	EXPECT({ 0, 32000, 0 }, { 600, 10000, 0 }, { 1200, 32000, 0 });
}

static void test_cpmax_caps_connector(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	add(&ABS(1, 0, SC_PURPOSE_CP_MAX, 0, { 0, 10000, 0 }, { 1800, 20000, 0 }));
	add(&ABS(2, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 16000, 0 }));
	build(&ctx, 1, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 1800, 16000, 0 });
	/* Station: min(ChargePointMax, 16 A + 32 A of the idle socket). */
	build(&ctx, 0, T0, 3600, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 1800, 20000, 0 });
}

static void test_station_sums_connectors(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	ctx.station_max_ma = 63000;
	add(&ABS(1, 0, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }, { 600, 8000, 0 }));
	add(&ABS(2, 2, SC_PURPOSE_TX_DEFAULT, 0, { 0, 6000, 0 }));
	build(&ctx, 0, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 16000, 0 }, { 600, 14000, 0 });
	add(&ABS(3, 0, SC_PURPOSE_CP_MAX, 0, { 0, 15000, 0 }));
	build(&ctx, 0, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 15000, 0 }, { 600, 14000, 0 });
}

static void test_higher_stack_level_wins_then_lower_shows(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	add(&ABS(1, 0, SC_PURPOSE_TX_DEFAULT, 1, { 0, 16000, 0 }));
	struct sc_profile hi = ABS(2, 0, SC_PURPOSE_TX_DEFAULT, 5, { 0, 20000, 0 });
	hi.sched.start.s = T0 + 600;
	hi.sched.duration = 600;
	add(&hi);
	build(&ctx, 1, T0, 1800, SC_UNIT_A);
	/* Higher wins even when its limit is higher; lower again after its duration. */
	EXPECT({ 0, 16000, 0 }, { 600, 20000, 0 }, { 1200, 16000, 0 });
}

static void test_connector_txdefault_beats_connector_0(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	add(&ABS(1, 0, SC_PURPOSE_TX_DEFAULT, 9, { 0, 16000, 0 }));
	struct sc_profile own = ABS(2, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 20000, 0 });
	own.sched.duration = 600;
	add(&own);
	build(&ctx, 1, T0, 1200, SC_UNIT_A);
	/* Connector 1's own default, whatever its level, then connector 0's. */
	EXPECT({ 0, 20000, 0 }, { 600, 16000, 0 });
	build(&ctx, 2, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 16000, 0 });
}

static void test_txprofile_overrules_for_whole_transaction(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	ctx.conn[1].tx_active = true;
	ctx.conn[1].tx_id = 7;
	ctx.conn[1].tx_start.s = T0;
	add(&ABS(1, 0, SC_PURPOSE_CP_MAX, 0, { 0, 25000, 0 }));
	add(&ABS(2, 1, SC_PURPOSE_TX_DEFAULT, 3, { 0, 10000, 0 }));
	struct sc_profile tx = { .id = 3, .connector = 1, .purpose = SC_PURPOSE_TX, .kind = SC_KIND_RELATIVE,
				 .sched = { .duration = 600, .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 1,
					    .p = { { 0, 8000, 0 } } } };
	add(&tx);
	build(&ctx, 1, T0 + 300, 1200, SC_UNIT_A);
	/* After the TxProfile ends: ChargePointMax, not the TxDefault. */
	EXPECT({ 0, 8000, 0 }, { 300, 25000, 0 });
	/* Without a transaction the TxProfile is ignored and the default applies. */
	ctx.conn[1].tx_active = false;
	build(&ctx, 1, T0 + 300, 1200, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 });
}

static void test_txprofile_of_other_transaction_ignored(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	ctx.conn[1].tx_active = true;
	ctx.conn[1].tx_id = 7;
	ctx.conn[1].tx_start.s = T0;
	add(&ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }));
	struct sc_profile tx = ABS(2, 1, SC_PURPOSE_TX, 0, { 0, 6000, 0 });
	tx.has_tx_id = true;
	tx.tx_id = 6;
	add(&tx);
	build(&ctx, 1, T0, 600, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 });
	ctx.conn[1].tx_id = 6;
	build(&ctx, 1, T0, 600, SC_UNIT_A);
	EXPECT({ 0, 6000, 0 });
}

static void test_recurring_daily_across_midnight(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	/* Every day 22:00-02:00: 10 A until midnight, then 20 A. */
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING,
				.recurrency = SC_RECUR_DAILY,
				.sched = { .has_start = true, .start = { T0 + 22 * H - 3 * 86400 }, .duration = 4 * H,
					   .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 2,
					   .p = { { 0, 10000, 0 }, { 2 * H, 20000, 0 } } } };
	add(&p);
	build(&ctx, 1, T0 + 21 * H, 6 * H, SC_UNIT_A);	/* 21:00 to 03:00 */
	EXPECT({ 0, 32000, 0 }, { H, 10000, 0 }, { 3 * H, 20000, 0 }, { 5 * H, 32000, 0 });
	/* Nothing before the first occurrence. */
	build(&ctx, 1, T0 + 21 * H - 4 * 86400, 6 * H, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 });
}

static void test_recurring_weekly_wrap(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	/* Sundays 23:00, two hours: the occurrence spans the week boundary. */
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_CP_MAX, .kind = SC_KIND_RECURRING,
				.recurrency = SC_RECUR_WEEKLY,
				.sched = { .has_start = true, .start = { T0 + 23 * H - 7 * 86400 }, .duration = 2 * H,
					   .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 2,
					   .p = { { 0, 8000, 0 }, { H, 12000, 0 } } } };
	add(&p);
	build(&ctx, 1, T0 + 22 * H + 1800, 3 * H, SC_UNIT_A);	/* Sun 22:30 .. Mon 01:30 */
	EXPECT({ 0, 32000, 0 }, { 1800, 8000, 0 }, { 5400, 12000, 0 }, { 9000, 32000, 0 });
	/* The next Sunday is the same; the Wednesday in between is free. */
	build(&ctx, 1, T0 + 7 * 86400 + 22 * H + 1800, 3 * H, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 }, { 1800, 8000, 0 }, { 5400, 12000, 0 }, { 9000, 32000, 0 });
	build(&ctx, 1, T0 + 3 * 86400 + 22 * H + 1800, 3 * H, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 });
}

/* A recurring schedule longer than its period is cut by the next occurrence. */
static void test_recurring_duration_longer_than_day(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING,
				.recurrency = SC_RECUR_DAILY,
				.sched = { .has_start = true, .start = { T0 }, .duration = 30 * H,
					   .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 2,
					   .p = { { 0, 10000, 0 }, { 20 * H, 16000, 0 } } } };
	add(&p);
	build(&ctx, 1, T0 + 19 * H, 6 * H, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { H, 16000, 0 }, { 5 * H, 10000, 0 });
}

static void test_relative_before_and_after_transaction(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RELATIVE,
				.sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 2,
					   .p = { { 0, 10000, 0 }, { 600, 20000, 0 } } } };
	add(&p);
	/* Idle: as for a transaction starting at the query's start. */
	build(&ctx, 1, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 600, 20000, 0 });
	/* Running since T0 - 300: the schedule counts from there. */
	ctx.conn[1].tx_active = true;
	ctx.conn[1].tx_start.s = T0 - 300;
	build(&ctx, 1, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 300, 20000, 0 });
	/* Before its transaction's start the schedule is not in force. */
	ctx.conn[1].tx_start.s = T0 + 100;
	build(&ctx, 1, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 }, { 100, 10000, 0 }, { 700, 20000, 0 });
	/* An Absolute profile without startSchedule behaves the same (7.9). */
	st.p[0].kind = SC_KIND_ABSOLUTE;
	build(&ctx, 1, T0, 1200, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 }, { 100, 10000, 0 }, { 700, 20000, 0 });
}

static void test_validity_boundaries(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = ABS(1, 0, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 });
	p.sched.start.s = T0 - 1000;
	p.has_valid_from = true;
	p.valid_from.s = T0 + 100;	/* in force from this second on */
	p.has_valid_to = true;
	p.valid_to.s = T0 + 200;	/* and no longer at this second */
	add(&p);
	build(&ctx, 1, T0, 300, SC_UNIT_A);
	EXPECT({ 0, 32000, 0 }, { 100, 10000, 0 }, { 200, 32000, 0 });
	build(&ctx, 1, T0 + 199, 2, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 1, 32000, 0 });
}

struct unit_case {
	const char *name;
	enum sc_unit profile_unit;
	int32_t limit;
	int8_t phases;
	int32_t voltage;
	enum sc_unit out_unit;
	int64_t expect;
};

static const struct unit_case unit_cases[] = {
	{ "A in A", SC_UNIT_A, 16000, 0, 230, SC_UNIT_A, 16000 },
	{ "A in W, 3 phases assumed", SC_UNIT_A, 16000, 0, 230, SC_UNIT_W, 11040000 },
	{ "A in W, 1 phase", SC_UNIT_A, 16000, 1, 230, SC_UNIT_W, 3680000 },
	{ "W in W stays exact", SC_UNIT_W, 11000000, 0, 230, SC_UNIT_W, 11000000 },
	{ "W in A rounds down", SC_UNIT_W, 11000000, 0, 230, SC_UNIT_A, 15900 },	/* 15.942 A */
	{ "W in A, 1 phase", SC_UNIT_W, 3680000, 1, 230, SC_UNIT_A, 16000 },
	{ "W in A, 2 phases, 240 V", SC_UNIT_W, 7200000, 2, 240, SC_UNIT_A, 15000 },
	{ "W above hardware capped", SC_UNIT_W, 30000000, 0, 230, SC_UNIT_A, 32000 },
	{ "capped, reported in W", SC_UNIT_W, 30000000, 0, 230, SC_UNIT_W, 22080000 },
};

static void test_units(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(unit_cases) / sizeof(unit_cases[0]); i++) {
		const struct unit_case *c = &unit_cases[i];
		struct sc_ctx ctx = base_ctx();
		ctx.voltage_v = c->voltage;
		sc_store_init(&st);
		struct sc_profile p = ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 0, 0 });
		p.sched.unit = c->profile_unit;
		p.sched.p[0].limit = c->limit;
		p.sched.p[0].phases = c->phases;
		add(&p);
		build(&ctx, 1, T0, 60, c->out_unit);
		if (comp.p[0].limit != c->expect)
			print_error("case '%s': %lld\n", c->name, (long long)comp.p[0].limit);
		assert_int_equal(comp.n, 1);
		assert_int_equal(comp.p[0].limit, c->expect);
		assert_int_equal(comp.p[0].phases, c->phases);
	}
}

/* Limits are compared exactly, not after rounding: 11040 W on 3 phases is
 * exactly 16 A, so a 16 A ChargePointMax does not bind (the W profile's
 * numberPhases is reported, the value is the same either way). */
static void test_mixed_units_compare_exactly(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile w = ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 11000000, 3 });
	w.sched.unit = SC_UNIT_W;
	add(&w);
	add(&ABS(2, 0, SC_PURPOSE_CP_MAX, 0, { 0, 16000, 0 }));
	build(&ctx, 1, T0, 60, SC_UNIT_W);
	EXPECT({ 0, 11000000, 3 });
	build(&ctx, 1, T0, 60, SC_UNIT_A);
	EXPECT({ 0, 15900, 3 });
}

static void test_equal_neighbours_merged(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	add(&ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }, { 60, 10000, 0 }, { 120, 12000, 0 },
		 { 180, 12000, 0 }));
	build(&ctx, 1, T0, 240, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 }, { 120, 12000, 0 });
}

static void test_min_rate_and_phases_carried(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 1 }, { 60, 10000, 0 });
	p.sched.min_rate = 6000;
	add(&p);
	build(&ctx, 1, T0, 120, SC_UNIT_A);
	EXPECT({ 0, 10000, 1 }, { 60, 10000, 0 });
	assert_int_equal(comp.min_rate, 6000);
	build(&ctx, 1, T0, 120, SC_UNIT_W);
	assert_int_equal(comp.min_rate, 6000 * 230);	/* one phase */
	build(&ctx, 2, T0, 120, SC_UNIT_A);
	assert_int_equal(comp.min_rate, -1);
}

static void test_duration_zero_is_one_period(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	add(&ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }, { 1, 12000, 0 }));
	build(&ctx, 1, T0, 0, SC_UNIT_A);
	EXPECT({ 0, 10000, 0 });
}

static void test_too_many_periods_rejected(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING,
				.recurrency = SC_RECUR_DAILY,
				.sched = { .has_start = true, .start = { T0 }, .unit = SC_UNIT_A,
					   .min_rate = SC_LIMIT_NONE, .n = CP_MAX_PERIODS } };
	for (int i = 0; i < CP_MAX_PERIODS; i++)
		p.sched.p[i] = (struct sc_period){ .start = i * 60, .limit = 6000 + (i % 2) * 100 };
	add(&p);
	/* 100 changes a day, for 60 days. */
	assert_int_equal(sc_composite_build(&st, &ctx, 1, cp_utc(T0), 60 * 86400, SC_UNIT_A, &comp),
			 -ENOSPC);
}

/* ---- limit now ---- */

static void test_now_without_profiles(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	int32_t c, s;
	cp_utc_t next;
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0), &c, &s, &next), 0);
	assert_int_equal(c, SC_LIMIT_NONE);
	assert_int_equal(s, SC_LIMIT_NONE);
	assert_true(next.s == CP_UTC_NEVER);
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 5, cp_utc(T0), &c, &s, &next), -EINVAL);
}

static void test_now_and_next_change(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	int32_t c, s;
	cp_utc_t next;
	add(&ABS(1, 1, SC_PURPOSE_TX_DEFAULT, 0, { 0, 10000, 0 }, { 600, 10000, 0 }, { 1200, 16000, 0 }));
	struct sc_profile cp = { .id = 2, .purpose = SC_PURPOSE_CP_MAX, .kind = SC_KIND_RECURRING,
				 .recurrency = SC_RECUR_DAILY,
				 .sched = { .has_start = true, .start = { T0 - 86400 + 2 * H }, .duration = H,
					    .unit = SC_UNIT_W, .min_rate = SC_LIMIT_NONE, .n = 1,
					    .p = { { 0, 3680000, 1 } } } };
	add(&cp);
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0 + 60), &c, &s, &next), 0);
	assert_int_equal(c, 10000);
	assert_int_equal(s, SC_LIMIT_NONE);
	assert_int_equal(next.s, T0 + 1200);	/* 600 is a boundary, not a change */
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0 + 1200), &c, &s, &next), 0);
	assert_int_equal(c, 16000);
	assert_int_equal(next.s, T0 + 2 * H);	/* ChargePointMax starts */
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0 + 2 * H), &c, &s, &next), 0);
	assert_int_equal(s, 16000);		/* 3680 W on one phase */
	assert_int_equal(next.s, T0 + 3 * H);
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 0, cp_utc(T0 + 2 * H), &c, &s, &next), 0);
	assert_int_equal(c, SC_LIMIT_NONE);
	assert_int_equal(s, 16000);
}

static void test_now_idle_relative_is_pinned(void **state)
{
	(void)state;
	struct sc_ctx ctx = base_ctx();
	int32_t c, s;
	cp_utc_t next;
	struct sc_profile p = { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RELATIVE,
				.sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 2,
					   .p = { { 0, 10000, 0 }, { 600, 20000, 0 } } } };
	add(&p);
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0), &c, &s, &next), 0);
	assert_int_equal(c, 10000);
	assert_true(next.s == CP_UTC_NEVER);
	/* With a transaction the schedule runs from its start. */
	ctx.conn[1].tx_active = true;
	ctx.conn[1].tx_start.s = T0 - 100;
	assert_int_equal(sc_profile_limit_now(&st, &ctx, 1, cp_utc(T0), &c, &s, &next), 0);
	assert_int_equal(c, 10000);
	assert_int_equal(next.s, T0 + 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_profile_is_hardware_limit, setup),
		cmocka_unit_test_setup(test_unknown_connector_rejected, setup),
		cmocka_unit_test_setup(test_gaps_filled_and_capped, setup),
		cmocka_unit_test_setup(test_cpmax_caps_connector, setup),
		cmocka_unit_test_setup(test_station_sums_connectors, setup),
		cmocka_unit_test_setup(test_higher_stack_level_wins_then_lower_shows, setup),
		cmocka_unit_test_setup(test_connector_txdefault_beats_connector_0, setup),
		cmocka_unit_test_setup(test_txprofile_overrules_for_whole_transaction, setup),
		cmocka_unit_test_setup(test_txprofile_of_other_transaction_ignored, setup),
		cmocka_unit_test_setup(test_recurring_daily_across_midnight, setup),
		cmocka_unit_test_setup(test_recurring_weekly_wrap, setup),
		cmocka_unit_test_setup(test_recurring_duration_longer_than_day, setup),
		cmocka_unit_test_setup(test_relative_before_and_after_transaction, setup),
		cmocka_unit_test_setup(test_validity_boundaries, setup),
		cmocka_unit_test_setup(test_units, setup),
		cmocka_unit_test_setup(test_mixed_units_compare_exactly, setup),
		cmocka_unit_test_setup(test_equal_neighbours_merged, setup),
		cmocka_unit_test_setup(test_min_rate_and_phases_carried, setup),
		cmocka_unit_test_setup(test_duration_zero_is_one_period, setup),
		cmocka_unit_test_setup(test_too_many_periods_rejected, setup),
		cmocka_unit_test_setup(test_now_without_profiles, setup),
		cmocka_unit_test_setup(test_now_and_next_change, setup),
		cmocka_unit_test_setup(test_now_idle_relative_is_pinned, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
