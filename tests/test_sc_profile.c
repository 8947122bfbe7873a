/*
 * test_sc_profile.c - SetChargingProfile validation, replacement,
 * ClearChargingProfile and the end of a transaction (OCPP 1.6 3.13, 5.5,
 * 5.16, 7.7; docs/limits.md).  One row per rule: each fails if its rule is broken.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc.h"

#define T0 1710028800	/* 2024-03-10T00:00:00Z */

/* Two sockets; a transaction (id 42) runs on connector 1. */
static const struct sc_ctx ctx = {
	.connectors = 2, .voltage_v = 230, .station_max_ma = 32000,
	.conn = { [1] = { .tx_active = true, .tx_id = 42, .tx_start = { T0 }, .max_ma = 32000 },
		  [2] = { .max_ma = 32000 } },
};

#define ONE_PERIOD .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 1, \
	.p = { { .start = 0, .limit = 16000 } }

struct check_case {
	const char *name;
	struct sc_profile p;
	int n_periods;		/* > 0: overwrite with n ascending periods */
	int rc;
	const char *why;	/* substring of the reason */
};

static const struct check_case check_cases[] = {
	{ "TxDefault on connector 0", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "TxDefault on connector 2", { .id = 1, .connector = 2, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "ChargePointMax on 0", { .id = 1, .purpose = SC_PURPOSE_CP_MAX, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "ChargePointMax on 1", { .id = 1, .connector = 1, .purpose = SC_PURPOSE_CP_MAX, .sched = { ONE_PERIOD } }, 0, -EINVAL, "only on connector 0" },
	{ "TxProfile on 0", { .id = 1, .purpose = SC_PURPOSE_TX, .sched = { ONE_PERIOD } }, 0, -EINVAL, "connector > 0" },
	{ "TxProfile without transaction", { .id = 1, .connector = 2, .purpose = SC_PURPOSE_TX, .sched = { ONE_PERIOD } }, 0, -EINVAL, "without a transaction" },
	{ "TxProfile in transaction", { .id = 1, .connector = 1, .purpose = SC_PURPOSE_TX, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "TxProfile matching id", { .id = 1, .connector = 1, .purpose = SC_PURPOSE_TX, .has_tx_id = true, .tx_id = 42, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "TxProfile other id", { .id = 1, .connector = 1, .purpose = SC_PURPOSE_TX, .has_tx_id = true, .tx_id = 41, .sched = { ONE_PERIOD } }, 0, -EINVAL, "transaction 41" },
	{ "transactionId on TxDefault", { .id = 1, .connector = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .has_tx_id = true, .tx_id = 42, .sched = { ONE_PERIOD } }, 0, -EINVAL, "transactionId only" },
	{ "connector 3 of 2", { .id = 1, .connector = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, -EINVAL, "does not exist" },
	{ "negative connector", { .id = 1, .connector = -1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, -EINVAL, "does not exist" },
	{ "stackLevel 15", { .id = 1, .stack_level = 15, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, 0, NULL },
	{ "stackLevel 16", { .id = 1, .stack_level = 16, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, -EINVAL, "stackLevel 16" },
	{ "stackLevel -1", { .id = 1, .stack_level = -1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 0, -EINVAL, "stackLevel -1" },
	{ "Recurring complete", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING, .recurrency = SC_RECUR_DAILY, .sched = { .has_start = true, .start = { T0 }, ONE_PERIOD } }, 0, 0, NULL },
	{ "Recurring without startSchedule", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING, .recurrency = SC_RECUR_DAILY, .sched = { ONE_PERIOD } }, 0, -EINVAL, "needs startSchedule" },
	{ "Recurring without recurrencyKind", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .kind = SC_KIND_RECURRING, .sched = { .has_start = true, .start = { T0 }, ONE_PERIOD } }, 0, -EINVAL, "needs recurrencyKind" },
	{ "first startPeriod 5", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 1, .p = { { .start = 5, .limit = 6000 } } } }, 0, -EINVAL, "must be 0" },
	{ "periods not ascending", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 3, .p = { { .start = 0, .limit = 6000 }, { .start = 60, .limit = 7000 }, { .start = 60, .limit = 8000 } } } }, 0, -EINVAL, "not after" },
	{ "no periods", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 0 } }, 0, -EINVAL, "empty" },
	{ "100 periods", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 100, 0, NULL },
	{ "101 periods", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 101, -EINVAL, "ChargingScheduleMaxPeriods" },
	{ "negative limit", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 1, .p = { { .start = 0, .limit = -100 } } } }, 0, -EINVAL, "limit" },
	{ "numberPhases 4", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_A, .min_rate = SC_LIMIT_NONE, .n = 1, .p = { { .start = 0, .limit = 6000, .phases = 4 } } } }, 0, -EINVAL, "numberPhases" },
	{ "unit out of range", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .unit = SC_UNIT_COUNT, .min_rate = SC_LIMIT_NONE, .n = 1 } }, 0, -EINVAL, "chargingRateUnit" },
	{ "negative duration", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { .duration = -1, ONE_PERIOD } }, 0, -EINVAL, "duration" },
	{ "validTo before validFrom", { .id = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .has_valid_from = true, .valid_from = { T0 }, .has_valid_to = true, .valid_to = { T0 }, .sched = { ONE_PERIOD } }, 0, -EINVAL, "validTo" },
};

static void test_check_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];
		struct sc_profile p = c->p;
		char why[160];
		if (c->n_periods) {
			p.sched.n = c->n_periods;
			for (int k = 0; k < c->n_periods && k < CP_MAX_PERIODS; k++)
				p.sched.p[k] = (struct sc_period){ .start = k * 60, .limit = 6000 };
			if (c->n_periods > CP_MAX_PERIODS)	/* n beyond the array is never read */
				p.sched.n = c->n_periods;
		}
		int rc = sc_profile_check(&p, &ctx, why, sizeof(why));
		if (rc != c->rc || (c->why && !strstr(why, c->why)))
			print_error("case '%s': rc %d, reason '%s'\n", c->name, rc, why);
		assert_int_equal(rc, c->rc);
		if (c->why)
			assert_non_null(strstr(why, c->why));
		/* The store answers the same and stays empty on rejection. */
		struct sc_store st;
		sc_store_init(&st);
		assert_int_equal(sc_store_set(&st, &p, &ctx, NULL, why, sizeof(why)), c->rc);
		assert_int_equal(st.n, c->rc ? 0 : 1);
	}
}

/* Without a snapshot (reload at boot) only the state-free rules apply. */
static void test_check_without_ctx(void **state)
{
	(void)state;
	struct sc_profile p = { .id = 1, .connector = 2, .purpose = SC_PURPOSE_TX,
				.sched = { ONE_PERIOD } };
	char why[128];
	assert_int_equal(sc_profile_check(&p, NULL, why, sizeof(why)), 0);
	assert_int_equal(sc_profile_check(&p, &ctx, why, sizeof(why)), -EINVAL);
	p.connector = 0;
	assert_int_equal(sc_profile_check(&p, NULL, why, sizeof(why)), -EINVAL);
}

static struct sc_profile txdef(int32_t id, int connector, int level)
{
	struct sc_profile p = { .id = id, .connector = connector, .stack_level = level,
				.purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } };
	return p;
}

static void test_capacity(void **state)
{
	(void)state;
	struct sc_store st;
	char why[128];
	sc_store_init(&st);
	/* 45 distinct (connector, stackLevel) pairs. */
	for (int i = 0; i < CP_MAX_PROFILES; i++) {
		struct sc_profile p = txdef(i + 1, i % 3, i / 3);
		assert_int_equal(sc_store_set(&st, &p, &ctx, NULL, why, sizeof(why)), 0);
	}
	assert_int_equal(st.n, CP_MAX_PROFILES);
	struct sc_profile extra = txdef(100, 0, 15);
	assert_int_equal(sc_store_set(&st, &extra, &ctx, NULL, why, sizeof(why)), -ENOSPC);
	assert_non_null(strstr(why, "MaxChargingProfilesInstalled"));
	assert_int_equal(st.n, CP_MAX_PROFILES);
	assert_null(sc_store_find(&st, 100));

	/* Replacing is not adding: by id ... */
	struct sc_profile same_id = txdef(1, 0, 15);
	assert_int_equal(sc_store_set(&st, &same_id, &ctx, NULL, why, sizeof(why)), 0);
	assert_int_equal(sc_store_find(&st, 1)->stack_level, 15);
	/* ... and by connector + purpose + stackLevel. */
	struct sc_profile same_slot = txdef(200, 1, 0);	/* slot of id 2 */
	struct sc_removed rm;
	assert_int_equal(sc_store_set(&st, &same_slot, &ctx, &rm, why, sizeof(why)), 0);
	assert_int_equal(rm.n, 1);
	assert_int_equal(rm.id[0], 2);
	assert_int_equal(st.n, CP_MAX_PROFILES);
}

struct replace_case {
	const char *name;
	struct sc_profile first, second;
	int left;		/* profiles in the store afterwards */
};

static const struct replace_case replace_cases[] = {
	{ "same id, other slot", { .id = 1, .stack_level = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
	  { .id = 1, .stack_level = 2, .purpose = SC_PURPOSE_CP_MAX, .sched = { ONE_PERIOD } }, 1 },
	{ "same connector+purpose+level", { .id = 1, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
	  { .id = 2, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 1 },
	{ "other connector", { .id = 1, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
	  { .id = 2, .connector = 1, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 2 },
	{ "other purpose", { .id = 1, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
	  { .id = 2, .stack_level = 3, .purpose = SC_PURPOSE_CP_MAX, .sched = { ONE_PERIOD } }, 2 },
	{ "other level", { .id = 1, .stack_level = 3, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
	  { .id = 2, .stack_level = 4, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } }, 2 },
};

static void test_replacement(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(replace_cases) / sizeof(replace_cases[0]); i++) {
		const struct replace_case *c = &replace_cases[i];
		struct sc_store st;
		char why[128];
		sc_store_init(&st);
		assert_int_equal(sc_store_set(&st, &c->first, &ctx, NULL, why, sizeof(why)), 0);
		assert_int_equal(sc_store_set(&st, &c->second, &ctx, NULL, why, sizeof(why)), 0);
		if (st.n != c->left)
			print_error("case '%s': %d left\n", c->name, st.n);
		assert_int_equal(st.n, c->left);
		/* The newcomer is always the one installed. */
		assert_int_equal(sc_store_find(&st, c->second.id)->purpose, c->second.purpose);
		assert_int_equal(sc_store_find(&st, c->second.id)->stack_level, c->second.stack_level);
	}
}

/* One new profile can replace two: one by id, one by slot. */
static void test_replacement_both_rules(void **state)
{
	(void)state;
	struct sc_store st;
	struct sc_removed rm;
	char why[128];
	sc_store_init(&st);
	struct sc_profile a = txdef(1, 0, 1), b = txdef(2, 0, 2), c = txdef(1, 0, 2);
	assert_int_equal(sc_store_set(&st, &a, &ctx, NULL, why, sizeof(why)), 0);
	assert_int_equal(sc_store_set(&st, &b, &ctx, NULL, why, sizeof(why)), 0);
	assert_int_equal(sc_store_set(&st, &c, &ctx, &rm, why, sizeof(why)), 0);
	assert_int_equal(st.n, 1);
	assert_int_equal(rm.n, 2);
	assert_int_equal(st.p[0].stack_level, 2);
}

struct clear_case {
	const char *name;
	struct sc_clear_filter f;
	int removed;
};

/* Store for the clear cases:
 * id 1 CPMax c0 l0, id 2 TxDefault c0 l0, id 3 TxDefault c1 l1,
 * id 4 TxDefault c2 l1, id 5 TxProfile c1 l1. */
static const struct clear_case clear_cases[] = {
	{ "all", { 0 }, 5 },
	{ "by id", { .has_id = true, .id = 3 }, 1 },
	{ "unknown id", { .has_id = true, .id = 9 }, 0 },
	{ "id wins over other criteria", { .has_id = true, .id = 3, .has_connector = true, .connector = 2 }, 1 },
	{ "by connector 0", { .has_connector = true, .connector = 0 }, 2 },
	{ "by connector 1", { .has_connector = true, .connector = 1 }, 2 },
	{ "by purpose", { .has_purpose = true, .purpose = SC_PURPOSE_TX_DEFAULT }, 3 },
	{ "by stack level", { .has_stack_level = true, .stack_level = 1 }, 3 },
	{ "connector + purpose", { .has_connector = true, .connector = 1, .has_purpose = true, .purpose = SC_PURPOSE_TX }, 1 },
	{ "purpose + level", { .has_purpose = true, .purpose = SC_PURPOSE_TX_DEFAULT, .has_stack_level = true, .stack_level = 0 }, 1 },
	{ "nothing matches", { .has_connector = true, .connector = 2, .has_purpose = true, .purpose = SC_PURPOSE_CP_MAX }, 0 },
};

static void clear_fixture(struct sc_store *st)
{
	char why[128];
	struct sc_profile ps[] = {
		{ .id = 1, .purpose = SC_PURPOSE_CP_MAX, .sched = { ONE_PERIOD } },
		{ .id = 2, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
		{ .id = 3, .connector = 1, .stack_level = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
		{ .id = 4, .connector = 2, .stack_level = 1, .purpose = SC_PURPOSE_TX_DEFAULT, .sched = { ONE_PERIOD } },
		{ .id = 5, .connector = 1, .stack_level = 1, .purpose = SC_PURPOSE_TX, .sched = { ONE_PERIOD } },
	};
	sc_store_init(st);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		assert_int_equal(sc_store_set(st, &ps[i], &ctx, NULL, why, sizeof(why)), 0);
}

static void test_clear(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(clear_cases) / sizeof(clear_cases[0]); i++) {
		const struct clear_case *c = &clear_cases[i];
		struct sc_store st;
		struct sc_removed rm;
		clear_fixture(&st);
		int n = sc_store_clear(&st, &c->f, &rm);
		if (n != c->removed)
			print_error("case '%s': removed %d\n", c->name, n);
		assert_int_equal(n, c->removed);
		assert_int_equal(rm.n, n);
		assert_int_equal(st.n, 5 - n);
		for (int k = 0; k < rm.n; k++)
			assert_null(sc_store_find(&st, rm.id[k]));
	}
}

static void test_end_transaction(void **state)
{
	(void)state;
	struct sc_store st;
	struct sc_removed rm;
	clear_fixture(&st);
	assert_int_equal(sc_store_end_transaction(&st, 2, &rm), 0);
	assert_int_equal(sc_store_end_transaction(&st, 1, &rm), 1);
	assert_int_equal(rm.id[0], 5);
	assert_int_equal(st.n, 4);
	assert_non_null(sc_store_find(&st, 3));	/* TxDefault stays */
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sc_purpose_name(SC_PURPOSE_CP_MAX), "ChargePointMaxProfile");
	assert_int_equal(sc_purpose_parse("TxProfile"), SC_PURPOSE_TX);
	assert_int_equal(sc_purpose_parse("txprofile"), -1);	/* enums are case-sensitive */
	assert_int_equal(sc_kind_parse("Relative"), SC_KIND_RELATIVE);
	assert_int_equal(sc_recurrency_parse("Weekly"), SC_RECUR_WEEKLY);
	assert_int_equal(sc_unit_parse("W"), SC_UNIT_W);
	assert_null(sc_unit_name(SC_UNIT_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_rules),
		cmocka_unit_test(test_check_without_ctx),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_replacement),
		cmocka_unit_test(test_replacement_both_rules),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_end_transaction),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
