/*
 * test_sc_limits.c - the per-socket limit stack (docs/limits.md): lowest source
 * wins and is reported as binding, 0.1 A steps rounded down, nothing between
 * 0 and 6 A (IEC 61851-1), suspend and fault force 0; and the equal split of
 * the station budget.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc.h"

#define N SC_LIMIT_NONE

struct stack_case {
	const char *name;
	int32_t ma[SC_SRC_COUNT];	/* 0 in the table means absent unless listed in zero */
	unsigned zero;			/* bit per source: that source is really 0 */
	int32_t applied;
	enum sc_source binding;
};

#define BIT(s) (1u << (s))

static const struct stack_case stack_cases[] = {
	{ "connector only", { [SC_SRC_CONNECTOR] = 32000 }, 0, 32000, SC_SRC_CONNECTOR },
	{ "profile below connector", { [SC_SRC_PROFILE] = 10000, [SC_SRC_CONNECTOR] = 32000 }, 0, 10000, SC_SRC_PROFILE },
	{ "balancing share", { [SC_SRC_PROFILE] = 20000, [SC_SRC_BALANCING] = 13000, [SC_SRC_CONNECTOR] = 32000 }, 0, 13000, SC_SRC_BALANCING },
	{ "station share", { [SC_SRC_STATION] = 16000, [SC_SRC_CONNECTOR] = 32000 }, 0, 16000, SC_SRC_STATION },
	{ "cable", { [SC_SRC_CABLE] = 20000, [SC_SRC_CONNECTOR] = 32000 }, 0, 20000, SC_SRC_CABLE },
	{ "ev", { [SC_SRC_EV] = 16000, [SC_SRC_CABLE] = 20000, [SC_SRC_CONNECTOR] = 32000 }, 0, 16000, SC_SRC_EV },
	{ "suspend", { [SC_SRC_PROFILE] = 16000, [SC_SRC_CONNECTOR] = 32000 }, BIT(SC_SRC_SUSPEND), 0, SC_SRC_SUSPEND },
	{ "fault", { [SC_SRC_CONNECTOR] = 32000 }, BIT(SC_SRC_FAULT), 0, SC_SRC_FAULT },
	{ "fault beats suspend on a tie", { [SC_SRC_CONNECTOR] = 32000 }, BIT(SC_SRC_FAULT) | BIT(SC_SRC_SUSPEND), 0, SC_SRC_FAULT },
	{ "profile beats balancing on a tie", { [SC_SRC_PROFILE] = 16000, [SC_SRC_BALANCING] = 16000 }, 0, 16000, SC_SRC_PROFILE },
	{ "rounded down to 0.1 A", { [SC_SRC_PROFILE] = 16099 }, 0, 16000, SC_SRC_PROFILE },
	{ "exactly 6 A charges", { [SC_SRC_PROFILE] = 6000 }, 0, 6000, SC_SRC_PROFILE },
	{ "6.09 A offers 6.0", { [SC_SRC_BALANCING] = 6090 }, 0, 6000, SC_SRC_BALANCING },
	{ "5.99 A pauses", { [SC_SRC_PROFILE] = 5999, [SC_SRC_CONNECTOR] = 32000 }, 0, 0, SC_SRC_PROFILE },
	{ "1 A pauses", { [SC_SRC_EV] = 1000 }, 0, 0, SC_SRC_EV },
	{ "a profile of 0 pauses", { [SC_SRC_CONNECTOR] = 32000 }, BIT(SC_SRC_PROFILE), 0, SC_SRC_PROFILE },
	{ "no source pauses", { 0 }, 0, 0, SC_SRC_NONE },
};

static void test_stack(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(stack_cases) / sizeof(stack_cases[0]); i++) {
		const struct stack_case *c = &stack_cases[i];
		struct sc_limit_inputs in;
		struct sc_limit_result r;
		sc_limit_inputs_init(&in);
		for (int s = 0; s < SC_SRC_COUNT; s++) {
			if (c->zero & BIT(s))
				sc_limit_stop(&in, (enum sc_source)s);
			else if (c->ma[s])
				sc_limit_set(&in, (enum sc_source)s, c->ma[s]);
		}
		sc_limit_apply(&in, &r);
		if (r.applied_ma != c->applied || r.binding != c->binding)
			print_error("case '%s': %d by %s\n", c->name, (int)r.applied_ma,
				    sc_source_name(r.binding));
		assert_int_equal(r.applied_ma, c->applied);
		assert_int_equal(r.binding, c->binding);
		assert_int_equal(r.paused, c->applied == 0);
	}
}

/* Several values for one source keep the lowest; absent adds nothing. */
static void test_set_keeps_lowest(void **state)
{
	(void)state;
	struct sc_limit_inputs in;
	struct sc_limit_result r;
	sc_limit_inputs_init(&in);
	sc_limit_set(&in, SC_SRC_PROFILE, 20000);
	sc_limit_set(&in, SC_SRC_PROFILE, 12000);
	sc_limit_set(&in, SC_SRC_PROFILE, 18000);
	sc_limit_set(&in, SC_SRC_PROFILE, N);
	sc_limit_set(&in, SC_SRC_CONNECTOR, 32000);
	sc_limit_apply(&in, &r);
	assert_int_equal(r.applied_ma, 12000);
	assert_int_equal(r.lowest_ma, 12000);
	sc_limit_set(&in, SC_SRC_EV, -5);	/* nonsense from below is 0, never negative */
	sc_limit_apply(&in, &r);
	assert_int_equal(r.applied_ma, 0);
	assert_int_equal(r.binding, SC_SRC_EV);
}

static void test_source_names(void **state)
{
	(void)state;
	static const char *const want[SC_SRC_COUNT] = {
		[SC_SRC_PROFILE] = "profile", [SC_SRC_BALANCING] = "balancing",
		[SC_SRC_STATION] = "station", [SC_SRC_CONNECTOR] = "connector",
		[SC_SRC_CABLE] = "cable", [SC_SRC_EV] = "ev", [SC_SRC_SUSPEND] = "suspend",
		[SC_SRC_FAULT] = "fault",
	};
	for (int s = 0; s < SC_SRC_COUNT; s++)
		assert_string_equal(sc_source_name((enum sc_source)s), want[s]);
	assert_string_equal(sc_source_name(SC_SRC_NONE), "none");
}

/* A ChargePointMax share of 11 A over two sockets goes into the stack as one
 * more input and can bind. */
static void test_share_in_stack(void **state)
{
	(void)state;
	struct sc_limit_inputs in;
	struct sc_limit_result r;
	sc_limit_inputs_init(&in);
	sc_limit_set(&in, SC_SRC_PROFILE, 11000 / 2);
	sc_limit_set(&in, SC_SRC_CONNECTOR, 32000);
	sc_limit_apply(&in, &r);
	/* 5.5 A each: below 6 A the sockets pause, never 5.5 A. */
	assert_int_equal(r.applied_ma, 0);
	assert_int_equal(r.binding, SC_SRC_PROFILE);
	assert_int_equal(r.lowest_ma, 5500);
}

/* The one rounding rule: 0.1 A down, nothing between 0 and 6 A. */
static void test_round(void **state)
{
	(void)state;
	static const struct { int32_t in, out; } cases[] = {
		{ N, 0 }, { -5, 0 }, { 0, 0 }, { 1000, 0 }, { 5999, 0 },
		{ 6000, 6000 }, { 6099, 6000 }, { 16099, 16000 }, { 32000, 32000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(sc_limit_round(cases[i].in), cases[i].out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_set_keeps_lowest),
		cmocka_unit_test(test_source_names),
		cmocka_unit_test(test_share_in_stack),
		cmocka_unit_test(test_round),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
