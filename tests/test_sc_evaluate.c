/*
 * test_sc_evaluate.c - the per-socket decision list of the control cycle
 * (smartcharging/evaluate.c): every limit source binding in turn, the
 * balancing share, the 6 A floor of IEC 61851-1 and the 0.1 A steps, the
 * hard stops, the session gate, every pause reason and display hint.
 *
 * One table: each row is a socket that differs from an ordinary one (an EV
 * connected with a 63 A cable, a 32 A connector, a transaction that may
 * draw, no profile, no share yet) in what the row names, and the offer,
 * binding, pause reason, hint and maximum it gets.  Station-MaxCurrent and
 * the ChargePointMaxProfile reach a socket only as its share (rows with
 * share_ma); test_sc_balance covers how the share follows from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc_evaluate.h"

/* A row overrides the ordinary socket's fields: a later designator for the
 * same member is exactly that (C11 6.7.9 p19). */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Woverride-init"
#endif

#define N SC_LIMIT_NONE
#define A(x) ((int32_t)((x) * 1000))

#define SOCKET(...) { \
	.connector_ma = A(32), .tx_ma = N, \
	.ev_connected = true, .cable_ma = A(63), .fault = false, .suspended = false, \
	.tx_active = true, .may_draw = true, \
	.share_ma = N, .balance_reason = SC_BALANCE_SHARE, __VA_ARGS__ }

struct eval_case {
	const char *name;
	struct sc_eval_in in;
	int32_t offer;
	enum sc_source binding;
	enum sc_pause pause;
	enum sc_display_hint hint;
	int32_t own_max;
};

static const struct eval_case cases[] = {
	/* Step 3: each own limit binding in turn. */
	{ "connector max binds", SOCKET(),
	  A(32), SC_SRC_CONNECTOR, SC_PAUSE_NONE, SC_HINT_NONE, A(32) },
	{ "cable binds", SOCKET(.cable_ma = A(20)),
	  A(20), SC_SRC_CABLE, SC_PAUSE_NONE, SC_HINT_NONE, A(20) },
	{ "no cable with an EV: nothing", SOCKET(.cable_ma = 0),
	  0, SC_SRC_CABLE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, 0 },
	{ "a cable without an EV limits already", SOCKET(.ev_connected = false,
	  .cable_ma = A(13), .tx_active = false, .may_draw = false),
	  0, SC_SRC_CABLE, SC_PAUSE_NO_SESSION, SC_HINT_NONE, A(13) },
	{ "no cable, no EV: no cable limit", SOCKET(.ev_connected = false,
	  .cable_ma = 0, .tx_active = false, .may_draw = false),
	  0, SC_SRC_CONNECTOR, SC_PAUSE_NO_SESSION, SC_HINT_NONE, A(32) },
	{ "TxProfile / TxDefaultProfile binds", SOCKET(.tx_ma = A(10)),
	  A(10), SC_SRC_PROFILE, SC_PAUSE_NONE, SC_HINT_NONE, A(10) },
	{ "a connector max of 0", SOCKET(.connector_ma = 0),
	  0, SC_SRC_CONNECTOR, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, 0 },
	{ "tie: profile named before connector", SOCKET(.tx_ma = A(32)),
	  A(32), SC_SRC_PROFILE, SC_PAUSE_NONE, SC_HINT_NONE, A(32) },
	{ "tie: connector named before cable", SOCKET(.cable_ma = A(32)),
	  A(32), SC_SRC_CONNECTOR, SC_PAUSE_NONE, SC_HINT_NONE, A(32) },
	{ "no source at all pauses", SOCKET(.connector_ma = N,
	  .ev_connected = false, .cable_ma = 0),
	  0, SC_SRC_NONE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, SC_LIMIT_MAX },

	/* Step 4: the balancing share. */
	{ "share below its limits binds: reduced", SOCKET(.share_ma = A(13)),
	  A(13), SC_SRC_BALANCING, SC_PAUSE_NONE, SC_HINT_REDUCED, A(32) },
	{ "probing share binds", SOCKET(.share_ma = A(14), .balance_reason = SC_BALANCE_PROBING),
	  A(14), SC_SRC_BALANCING, SC_PAUSE_NONE, SC_HINT_REDUCED, A(32) },
	{ "share equal to its limits: its own limit named", SOCKET(.share_ma = A(32)),
	  A(32), SC_SRC_CONNECTOR, SC_PAUSE_NONE, SC_HINT_NONE, A(32) },
	{ "share above its limits", SOCKET(.share_ma = A(40)),
	  A(32), SC_SRC_CONNECTOR, SC_PAUSE_NONE, SC_HINT_NONE, A(32) },
	{ "share under a profile", SOCKET(.tx_ma = A(16), .share_ma = A(10)),
	  A(10), SC_SRC_BALANCING, SC_PAUSE_NONE, SC_HINT_REDUCED, A(16) },
	{ "a profile under the share", SOCKET(.tx_ma = A(10), .share_ma = A(16)),
	  A(10), SC_SRC_PROFILE, SC_PAUSE_NONE, SC_HINT_NONE, A(10) },
	{ "the whole budget, alone: still the share", SOCKET(.share_ma = A(20)),
	  A(20), SC_SRC_BALANCING, SC_PAUSE_NONE, SC_HINT_REDUCED, A(32) },
	{ "alternating pause", SOCKET(.share_ma = 0, .balance_reason = SC_BALANCE_ALTERNATING),
	  0, SC_SRC_BALANCING, SC_PAUSE_ALTERNATING, SC_HINT_ALTERNATING, A(32) },
	{ "budget pause", SOCKET(.share_ma = 0, .balance_reason = SC_BALANCE_BUDGET),
	  0, SC_SRC_BALANCING, SC_PAUSE_BUDGET, SC_HINT_WAITING_POWER, A(32) },
	{ "share below a 14 A EV's minimum", SOCKET(.share_ma = 0,
	  .balance_reason = SC_BALANCE_LIMITED),
	  0, SC_SRC_BALANCING, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, A(32) },
	{ "a profile of 0 is named, not the share of 0 it causes",
	  SOCKET(.tx_ma = 0, .share_ma = 0, .balance_reason = SC_BALANCE_LIMITED),
	  0, SC_SRC_PROFILE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, 0 },
	{ "a 5 A profile is named, not the share", SOCKET(.tx_ma = A(5), .share_ma = 0,
	  .balance_reason = SC_BALANCE_LIMITED),
	  0, SC_SRC_PROFILE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, A(5) },

	/* Step 5: 0.1 A steps and the 6 A floor. */
	{ "rounded down to 0.1 A", SOCKET(.tx_ma = 16099),
	  A(16), SC_SRC_PROFILE, SC_PAUSE_NONE, SC_HINT_NONE, 16099 },
	{ "exactly 6 A charges", SOCKET(.tx_ma = A(6)),
	  A(6), SC_SRC_PROFILE, SC_PAUSE_NONE, SC_HINT_NONE, A(6) },
	{ "5.99 A pauses", SOCKET(.tx_ma = 5990),
	  0, SC_SRC_PROFILE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, 5990 },
	{ "1 A pauses", SOCKET(.tx_ma = A(1)),
	  0, SC_SRC_PROFILE, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, A(1) },
	{ "a 6.09 A share offers 6.0", SOCKET(.share_ma = 6090),
	  A(6), SC_SRC_BALANCING, SC_PAUSE_NONE, SC_HINT_REDUCED, A(32) },
	{ "a 5.9 A share pauses", SOCKET(.share_ma = 5900),
	  0, SC_SRC_BALANCING, SC_PAUSE_LIMIT, SC_HINT_WAITING_POWER, A(32) },

	/* Steps 1 and 2: the hard stops. */
	{ "fault", SOCKET(.fault = true, .share_ma = 0, .balance_reason = SC_BALANCE_LIMITED),
	  0, SC_SRC_FAULT, SC_PAUSE_FAULT, SC_HINT_WAITING_POWER, 0 },
	{ "suspend signal", SOCKET(.suspended = true, .share_ma = 0,
	  .balance_reason = SC_BALANCE_LIMITED),
	  0, SC_SRC_SUSPEND, SC_PAUSE_SUSPEND, SC_HINT_WAITING_POWER, 0 },
	{ "suspend signal before a session", SOCKET(.suspended = true,
	  .tx_active = false, .may_draw = false),
	  0, SC_SRC_SUSPEND, SC_PAUSE_SUSPEND, SC_HINT_NONE, 0 },
	{ "fault named before suspend", SOCKET(.fault = true, .suspended = true),
	  0, SC_SRC_FAULT, SC_PAUSE_FAULT, SC_HINT_WAITING_POWER, 0 },
	{ "fault beats a profile of 0", SOCKET(.fault = true, .tx_ma = 0),
	  0, SC_SRC_FAULT, SC_PAUSE_FAULT, SC_HINT_WAITING_POWER, 0 },

	/* Step 6: only a transaction that may draw. */
	{ "no transaction", SOCKET(.tx_active = false, .may_draw = false),
	  0, SC_SRC_CONNECTOR, SC_PAUSE_NO_SESSION, SC_HINT_NONE, A(32) },
	{ "past MaxEnergyOnInvalidId", SOCKET(.may_draw = false),
	  0, SC_SRC_CONNECTOR, SC_PAUSE_NO_SESSION, SC_HINT_WAITING_POWER, A(32) },
	{ "no session is named before a low limit", SOCKET(.tx_ma = A(3),
	  .tx_active = false, .may_draw = false),
	  0, SC_SRC_PROFILE, SC_PAUSE_NO_SESSION, SC_HINT_NONE, A(3) },
};

static void test_decision_list(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eval_case *c = &cases[i];
		struct sc_eval_out out;

		memset(&out, 0x5a, sizeof(out));
		sc_evaluate(&c->in, &out);
		if (out.offer_ma != c->offer || out.binding != c->binding ||
		    out.pause != c->pause || out.hint != c->hint || out.own_max_ma != c->own_max)
			print_error("case '%s': %d mA by %s, pause %s, hint %d, max %d\n",
				    c->name, (int)out.offer_ma, sc_source_name(out.binding),
				    sc_pause_name(out.pause), (int)out.hint, (int)out.own_max_ma);
		assert_int_equal(out.offer_ma, c->offer);
		assert_int_equal(out.binding, c->binding);
		assert_int_equal(out.pause, c->pause);
		assert_int_equal(out.hint, c->hint);
		assert_int_equal(out.own_max_ma, c->own_max);
		/* IEC 61851-1: never between 0 and 6 A, always 0.1 A steps. */
		assert_true(out.offer_ma == 0 || out.offer_ma >= CP_MIN_CHARGE_MA);
		assert_int_equal(out.offer_ma % CP_CURRENT_STEP_MA, 0);
		/* The balancing engine's input is the same list without the share. */
		assert_int_equal(sc_evaluate_max(&c->in), c->own_max);
	}
}

/* Sweeping the share over 0..40 A in 1 mA steps: the offer never exceeds a
 * limit, never lies in 1..5999 mA and never rises when the share falls. */
static void test_share_sweep(void **state)
{
	struct sc_eval_in in = SOCKET(.tx_ma = A(20));
	int32_t prev = INT32_MAX;

	(void)state;
	for (int32_t share = A(40); share >= 0; share--) {
		struct sc_eval_out out;

		in.share_ma = share;
		sc_evaluate(&in, &out);
		assert_true(out.offer_ma <= share && out.offer_ma <= A(20));
		assert_true(out.offer_ma == 0 || out.offer_ma >= CP_MIN_CHARGE_MA);
		assert_true(out.offer_ma <= prev);
		assert_int_equal(out.binding, share < A(20) ? SC_SRC_BALANCING : SC_SRC_PROFILE);
		prev = out.offer_ma;
	}
	assert_int_equal(prev, 0);
}

static void test_pause_names(void **state)
{
	(void)state;
	assert_string_equal(sc_pause_name(SC_PAUSE_NONE), "none");
	assert_string_equal(sc_pause_name(SC_PAUSE_BUDGET), "budget");
	assert_string_equal(sc_pause_name(SC_PAUSE_ALTERNATING), "alternating");
	assert_string_equal(sc_pause_name(SC_PAUSE_NO_SESSION), "no_session");
	assert_string_equal(sc_pause_name((enum sc_pause)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decision_list),
		cmocka_unit_test(test_share_sweep),
		cmocka_unit_test(test_pause_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
