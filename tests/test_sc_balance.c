/*
 * test_sc_balance.c - the balancing engine over time: static charging, SLB,
 * probing and the 14 A class, redistribution, alternating (docs/balancing.md).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc_balance.h"

#define A(x) ((int32_t)((x) * 1000))
#define S(x) ((int64_t)(x) * 1000)

static struct sc_balance_state st;
static struct sc_balance_input in;
static struct sc_balance_output out;

/* One budget node of `amps` per phase and `n` three-phase sockets under it,
 * none in use, connector max 32 A, probing at `probe` A. */
static void setup(unsigned n, double amps, double probe)
{
	sc_balance_init(&st);
	memset(&in, 0, sizeof(in));
	sc_balance_config_default(&in.cfg);
	in.cfg.probe_ma = A(probe);
	in.n_budgets = 1;
	in.budget[0] = (struct sc_alloc_budget){ .parent = -1,
		.max_ma = { A(amps), A(amps), A(amps) } };
	in.n_sockets = (uint16_t)n;
	for (unsigned i = 0; i < n; i++)
		in.socket[i] = (struct sc_balance_socket_in){
			.id = (uint16_t)i, .budget = 0, .phases = SC_PHASE_ALL,
			.max_ma = A(32) };
}

static void set_budget(double amps)
{
	for (unsigned p = 0; p < SC_PHASES; p++)
		in.budget[0].max_ma[p] = A(amps);
}

/* Plugs in (and authorizes) socket i with an EV that draws `draw` A. */
static void plug(unsigned i, double draw)
{
	in.socket[i].in_use = true;
	in.socket[i].draw_ma = A(draw);
}

static void unplug(unsigned i)
{
	in.socket[i].in_use = false;
	in.socket[i].draw_ma = 0;
}

/* An EV that draws whatever it is offered (a cooperative 6 A EV). */
static void follow_offer(void)
{
	for (unsigned i = 0; i < in.n_sockets; i++)
		if (in.socket[i].in_use)
			in.socket[i].draw_ma = out.setpoint_ma[i];
}

static void step(double t_s)
{
	assert_int_equal(sc_balance_step(&st, &in, cp_mono((int64_t)(t_s * 1000)), &out), 0);
}

static void expect(unsigned i, double amps, enum sc_balance_reason reason)
{
	if (out.setpoint_ma[i] != A(amps) || out.reason[i] != reason)
		print_error("socket %u: %d mA (%s), expected %d mA (%s)\n", i,
			    out.setpoint_ma[i], sc_balance_reason_name(out.reason[i]),
			    A(amps), sc_balance_reason_name(reason));
	assert_int_equal(out.setpoint_ma[i], A(amps));
	assert_int_equal(out.reason[i], reason);
}

/* Probe socket i alone-style: plug at t, let the 60 s pass. */
static void plug_and_probe(unsigned i, double t)
{
	plug(i, 0);
	step(t);
	follow_offer();
	step(t + 60);
	follow_offer();
}

/* --- static charging (docs/balancing.md) -------------------------------------- */

static void test_static_split(void **state)
{
	(void)state;
	setup(2, 32, 14);
	in.cfg.mode = SC_BALANCE_STATIC;

	/* Probing in every mode: min(14, its 16 A half). */
	plug(0, 0);
	step(0);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 0, SC_BALANCE_OFF);
	assert_int_equal(out.next_change.ms, S(60));
	/* Then half of Station-MaxCurrent although socket 2 is free. */
	step(60);
	expect(0, 16, SC_BALANCE_SHARE);
	assert_int_equal(out.next_change.ms, SC_BALANCE_NEVER);

	plug(1, 0);
	step(70);
	expect(0, 16, SC_BALANCE_SHARE);
	expect(1, 14, SC_BALANCE_PROBING);
	step(130);
	expect(1, 16, SC_BALANCE_SHARE);

	/* A connector max of 10 A caps socket 2; its unused 6 A are not
	 * redistributed in static mode. */
	in.socket[1].max_ma = A(10);
	step(140);
	expect(0, 16, SC_BALANCE_SHARE);
	expect(1, 10, SC_BALANCE_SHARE);

	/* No redistribution either when an EV draws far less. */
	in.socket[0].draw_ma = A(2);
	step(200);
	step(500);
	expect(0, 16, SC_BALANCE_SHARE);
}

static void test_static_small_share(void **state)
{
	(void)state;
	/* 10 A station: 5 A halves are below 6 A: the socket cannot charge. */
	setup(2, 10, 14);
	in.cfg.mode = SC_BALANCE_STATIC;
	plug(0, 0);
	step(0);
	expect(0, 0, SC_BALANCE_LIMITED);
	/* 20 A: probing is min(14, 10) = 10 A. */
	set_budget(20);
	step(1);
	expect(0, 10, SC_BALANCE_PROBING);
}

/* --- SLB (docs/balancing.md conformance case) ----------------------------- */

static void test_slb_two_3ph(void **state)
{
	(void)state;
	setup(2, 25, 14);

	plug(0, 0);
	step(0);
	expect(0, 14, SC_BALANCE_PROBING);
	follow_offer();
	step(60);
	expect(0, 25, SC_BALANCE_SHARE);
	follow_offer();

	/* Second EV: it probes at 14, the first gets what remains. */
	plug(1, 0);
	step(100);
	expect(0, 11, SC_BALANCE_SHARE);
	expect(1, 14, SC_BALANCE_PROBING);
	/* Socket 1 drew 25 A and is now offered 11: 10 s to see whether it
	 * is a 14 A EV that stops. */
	assert_int_equal(out.next_change.ms, S(110));
	follow_offer();
	step(110);
	expect(0, 11, SC_BALANCE_SHARE);
	assert_int_equal(out.min14[0], 0);
	assert_int_equal(out.next_change.ms, S(160));
	step(160);
	expect(0, 12.5, SC_BALANCE_SHARE);
	expect(1, 12.5, SC_BALANCE_SHARE);
	follow_offer();

	/* A TxProfile of 8 A on socket 2 (its max): the other gets 17. */
	in.socket[1].max_ma = A(8);
	step(170);
	expect(0, 17, SC_BALANCE_SHARE);
	expect(1, 8, SC_BALANCE_SHARE);
	in.socket[1].max_ma = A(32);
	step(171);
	expect(0, 12.5, SC_BALANCE_SHARE);

	/* Unplug one: the other gets 25 A at once. */
	unplug(1);
	step(180);
	expect(0, 25, SC_BALANCE_SHARE);
	expect(1, 0, SC_BALANCE_OFF);

	/* A new session on socket 2 probes again. */
	plug(1, 0);
	step(200);
	expect(1, 14, SC_BALANCE_PROBING);
}

static void test_slb_cpmax_budget(void **state)
{
	(void)state;
	/* The caller passes min(Station-MaxCurrent, ChargePointMaxProfile). */
	setup(2, 25, 14);
	plug_and_probe(0, 0);
	plug_and_probe(1, 100);
	set_budget(16);
	step(200);
	expect(0, 8, SC_BALANCE_SHARE);
	expect(1, 8, SC_BALANCE_SHARE);
}

/* --- probing (docs/balancing.md) ------------------------------------------------ */

static void test_probe_limits(void **state)
{
	(void)state;
	setup(1, 32, 14);
	in.socket[0].max_ma = A(10);            /* cable of 10 A */
	plug(0, 0);
	step(0);
	expect(0, 10, SC_BALANCE_PROBING);
	step(59.9);
	expect(0, 10, SC_BALANCE_PROBING);
	step(60);
	expect(0, 10, SC_BALANCE_SHARE);

	/* Chameleon-MinCurrent 6 A probes at 6 A. */
	setup(1, 32, 6);
	plug(0, 0);
	step(0);
	expect(0, 6, SC_BALANCE_PROBING);
}

static void test_probe_budget_below_probe(void **state)
{
	(void)state;
	/* A budget below the probing current is one of its limits. */
	setup(1, 10, 14);
	plug(0, 0);
	step(0);
	expect(0, 10, SC_BALANCE_PROBING);

	/* Two EVs authorized at once on 25 A: 14 + 14 does not fit, so they
	 * probe in turn (lowest ID waits), never both below 14 A. */
	setup(2, 25, 14);
	plug(0, 0);
	plug(1, 0);
	step(0);
	expect(0, 0, SC_BALANCE_ALTERNATING);
	expect(1, 14, SC_BALANCE_PROBING);
	follow_offer();
	step(60);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 11, SC_BALANCE_SHARE);
	follow_offer();
	step(120);
	expect(0, 12.5, SC_BALANCE_SHARE);
	expect(1, 12.5, SC_BALANCE_SHARE);
	/* On 32 A: both get the full probing current, then share. */
	setup(2, 32, 14);
	plug(0, 0);
	plug(1, 0);
	step(0);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 14, SC_BALANCE_PROBING);
	step(60);
	expect(0, 16, SC_BALANCE_SHARE);
}

static void test_probe_others_pause_only_below_min(void **state)
{
	(void)state;
	/* 20 A: the running EV keeps 6 A during the other's probe. */
	setup(2, 20, 14);
	plug_and_probe(1, 0);
	plug(0, 0);
	step(100);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 6, SC_BALANCE_SHARE);

	/* 18 A: 4 A would be left, below 6: it pauses for the probe. */
	setup(2, 18, 14);
	plug_and_probe(1, 0);
	plug(0, 0);
	step(100);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 0, SC_BALANCE_ALTERNATING);
	follow_offer();
	/* After probing both fit again (9 + 9); no probing after a pause. */
	step(160);
	expect(0, 9, SC_BALANCE_SHARE);
	expect(1, 9, SC_BALANCE_SHARE);
}

/* The 14 A EV of docs/balancing.md / 4.1.1: draws at 14, stops below 14. */
static void ev14_react(unsigned i)
{
	in.socket[i].draw_ma = out.setpoint_ma[i] >= A(14) ? out.setpoint_ma[i] : 0;
}

static void test_classify_14a_budget_20(void **state)
{
	(void)state;
	setup(2, 20, 14);
	plug_and_probe(1, 0);                   /* a 6 A EV, charging at 20 */
	expect(1, 20, SC_BALANCE_SHARE);

	plug(0, 0);
	step(100);
	expect(0, 14, SC_BALANCE_PROBING);
	expect(1, 6, SC_BALANCE_SHARE);
	ev14_react(0);
	follow_offer();
	in.socket[0].draw_ma = A(14);
	/* Probe over: offered 10 A, the EV was drawing 14. */
	step(160);
	expect(0, 10, SC_BALANCE_SHARE);
	expect(1, 10, SC_BALANCE_SHARE);
	assert_int_equal(out.min14[0], 0);
	assert_int_equal(out.next_change.ms, S(170));
	ev14_react(0);                          /* it stops */
	step(162);
	expect(0, 10, SC_BALANCE_SHARE);
	/* Classified: budget >= 20 A -> 14 + the rest. */
	step(170);
	assert_int_equal(out.min14[0], 1);
	expect(0, 14, SC_BALANCE_SHARE);
	expect(1, 6, SC_BALANCE_SHARE);
	ev14_react(0);

	/* Kept for the session: with more budget it shares fairly again, and
	 * it is never offered 6..13.9 A. */
	set_budget(24);
	step(200);
	expect(0, 14, SC_BALANCE_SHARE);
	expect(1, 10, SC_BALANCE_SHARE);
	set_budget(32);
	step(210);
	expect(0, 16, SC_BALANCE_SHARE);
	assert_int_equal(out.min14[0], 1);
}

static void test_classify_14a_budget_18_alternates(void **state)
{
	(void)state;
	setup(2, 18, 14);
	plug_and_probe(1, 0);
	plug(0, 0);
	step(100);
	expect(1, 0, SC_BALANCE_ALTERNATING);
	in.socket[0].draw_ma = A(14);
	step(160);
	expect(0, 9, SC_BALANCE_SHARE);
	ev14_react(0);
	step(170);
	/* 14 + 6 > 18: alternate.  Socket 1 has been served since 100 s,
	 * socket 2 only since it resumed at 160 s: socket 1 waits first. */
	assert_int_equal(out.min14[0], 1);
	expect(0, 0, SC_BALANCE_ALTERNATING);
	expect(1, 18, SC_BALANCE_SHARE);
	assert_int_equal(out.next_change.ms, S(170 + 900));
	/* Next period: the other turn, the 14 A EV at 18 A. */
	step(1070);
	expect(0, 18, SC_BALANCE_SHARE);
	expect(1, 0, SC_BALANCE_ALTERNATING);
	step(1970);
	expect(0, 0, SC_BALANCE_ALTERNATING);
	expect(1, 18, SC_BALANCE_SHARE);
}

/* The 14 A EV comes first: it charges at 14 and 16 A, pauses while the
 * second socket probes, and comes back at 8 A straight from 0.  It must
 * still be classified (not wait at 8 A, then be cut to 6 A by
 * redistribution, forever): docs/balancing.md, 16 A < 20 A -> alternate. */
static void test_classify_14a_after_pause(void **state)
{
	(void)state;
	setup(2, 16, 14);
	plug_and_probe(0, 0);
	expect(0, 16, SC_BALANCE_SHARE);
	plug(1, 0);
	step(100);
	expect(0, 0, SC_BALANCE_ALTERNATING);
	expect(1, 14, SC_BALANCE_PROBING);
	ev14_react(0);
	in.socket[1].draw_ma = A(14);
	step(160);
	expect(0, 8, SC_BALANCE_SHARE);
	expect(1, 8, SC_BALANCE_SHARE);
	assert_int_equal(out.next_change.ms, S(170));
	ev14_react(0);                          /* does not start at 8 A */
	in.socket[1].draw_ma = A(8);
	step(170);
	assert_int_equal(out.min14[0], 1);
	/* Socket 1 has been served since 100 s, socket 0 since 160 s. */
	expect(0, 16, SC_BALANCE_SHARE);
	expect(1, 0, SC_BALANCE_ALTERNATING);
	step(170 + 900);
	expect(0, 0, SC_BALANCE_ALTERNATING);
	expect(1, 16, SC_BALANCE_SHARE);
}

static void test_classify_6a_confirmed(void **state)
{
	(void)state;
	setup(2, 20, 14);
	plug_and_probe(1, 0);
	plug(0, 0);
	step(100);
	in.socket[0].draw_ma = A(14);
	step(160);
	expect(0, 10, SC_BALANCE_SHARE);
	follow_offer();                         /* keeps drawing at 10 */
	step(170);
	assert_int_equal(out.min14[0], 0);
	expect(0, 10, SC_BALANCE_SHARE);
	/* Confirmed 6 A: at 12 A budget it gets 6, not a pause. */
	set_budget(12);
	step(200);
	expect(0, 6, SC_BALANCE_SHARE);
	expect(1, 6, SC_BALANCE_SHARE);
}

static void test_probe_below_14_cannot_detect(void **state)
{
	(void)state;
	/* Chameleon-MinCurrent 10: a 14 A EV never draws, is never classified
	 * (docs/balancing.md: "zal niet worden gedetecteerd"). */
	setup(2, 20, 10);
	plug_and_probe(1, 0);
	plug(0, 0);
	step(100);
	expect(0, 10, SC_BALANCE_PROBING);
	ev14_react(0);
	step(160);
	expect(0, 10, SC_BALANCE_SHARE);
	step(175);
	assert_int_equal(out.min14[0], 0);
}

/* --- redistribution (docs/balancing.md notice) ---------------------------------- */

static void test_redistribution(void **state)
{
	(void)state;
	setup(2, 25, 14);
	plug_and_probe(0, 0);
	plug_and_probe(1, 100);
	step(160);
	expect(0, 12.5, SC_BALANCE_SHARE);
	follow_offer();

	/* Socket 2's EV draws 5 A of its 12.5 (> 3 A less) from t = 200. */
	in.socket[1].draw_ma = A(5);
	step(200);
	assert_int_equal(out.next_change.ms, S(380));
	step(379);
	expect(1, 12.5, SC_BALANCE_SHARE);
	/* After 3 minutes: lowered to its draw + 2 A margin, rest to socket 1. */
	step(380);
	expect(0, 18, SC_BALANCE_SHARE);
	expect(1, 7, SC_BALANCE_REDUCED);

	/* Fully charged: never below its minimum, so it can resume. */
	in.socket[1].draw_ma = 0;
	step(390);
	expect(0, 19, SC_BALANCE_SHARE);
	expect(1, 6, SC_BALANCE_REDUCED);

	/* It draws again: its share is back at once. */
	in.socket[1].draw_ma = A(6);
	step(400);
	expect(0, 12.5, SC_BALANCE_SHARE);
	expect(1, 12.5, SC_BALANCE_SHARE);
}

static void test_redistribution_threshold(void **state)
{
	(void)state;
	setup(2, 25, 14);
	plug_and_probe(0, 0);
	plug_and_probe(1, 100);
	step(160);
	follow_offer();
	/* Exactly 3 A less is not "more than 3 A". */
	in.socket[1].draw_ma = A(9.5);
	step(200);
	step(600);
	expect(1, 12.5, SC_BALANCE_SHARE);
	/* A shortfall that ends before 3 minutes restarts the clock. */
	in.socket[1].draw_ma = A(5);
	step(700);
	in.socket[1].draw_ma = A(12.5);
	step(800);
	in.socket[1].draw_ma = A(5);
	step(850);
	step(979);
	expect(1, 12.5, SC_BALANCE_SHARE);
	step(1030);
	expect(1, 7, SC_BALANCE_REDUCED);
}

/* A budget that cannot give one socket alone its 6 A is a "budget" pause,
 * not "alternating": there is no turn to wait for, and no alternating
 * period runs.  Also while it has not probed yet, and in static mode. */
static void test_single_socket_budget_pause(void **state)
{
	(void)state;
	setup(1, 16, 14);
	plug(0, 0);
	step(0);
	expect(0, 14, SC_BALANCE_PROBING);
	follow_offer();
	step(60);
	expect(0, 16, SC_BALANCE_SHARE);
	/* Station-MaxCurrent (or a ChargePointMaxProfile) drops to 4 A. */
	set_budget(4);
	step(100);
	expect(0, 0, SC_BALANCE_BUDGET);
	assert_int_equal(out.next_change.ms, SC_BALANCE_NEVER);
	step(1100);
	expect(0, 0, SC_BALANCE_BUDGET);
	/* Room again: it charges at once. */
	set_budget(10);
	step(1200);
	expect(0, 10, SC_BALANCE_SHARE);

	/* Plugged in under a 4 A budget: not yet probed, same reason. */
	setup(1, 4, 14);
	plug(0, 0);
	step(0);
	expect(0, 0, SC_BALANCE_BUDGET);

	/* Static charging (docs/balancing.md), one socket under 4 A: the same. */
	setup(1, 4, 14);
	in.cfg.mode = SC_BALANCE_STATIC;
	plug(0, 0);
	step(0);
	expect(0, 0, SC_BALANCE_BUDGET);

	/* Two sockets under 4 A: neither can charge, neither alternates. */
	setup(2, 4, 6);
	plug(0, 6);
	plug(1, 6);
	step(0);
	expect(0, 0, SC_BALANCE_BUDGET);
	expect(1, 0, SC_BALANCE_BUDGET);
	assert_int_equal(out.next_change.ms, SC_BALANCE_NEVER);
}

/* --- alternating (docs/balancing.md, 6.1.1.3) ----------------------------------- */

static void expect_paused(const unsigned *paused, unsigned n_paused)
{
	for (unsigned i = 0; i < in.n_sockets; i++) {
		bool p = false;

		for (unsigned k = 0; k < n_paused; k++)
			p |= paused[k] == i;
		if (p)
			expect(i, 0, SC_BALANCE_ALTERNATING);
		else
			assert_int_equal(out.setpoint_ma[i], A(6));
	}
}

static void test_alternating_six_sockets(void **state)
{
	static const unsigned period_paused[][2] = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 0, 1 } };

	(void)state;
	/* 24 A over six sockets in use; probing at 6 A (Chameleon-MinCurrent
	 * 6) so that the probe does not change the picture. */
	setup(6, 24, 6);
	for (unsigned i = 0; i < 6; i++)
		plug(i, 6);
	for (unsigned p = 0; p < 4; p++) {
		step(900.0 * p);
		print_message("period %u\n", p + 1);
		expect_paused(period_paused[p], 2);
		assert_true(out.next_change.ms <= S(900 * (p + 1)));
		step(900.0 * p + 61);
		expect_paused(period_paused[p], 2);
		assert_int_equal(out.next_change.ms, S(900 * (p + 1)));
	}
}

static void test_alternating_plug_keeps_history(void **state)
{
	static const unsigned first[] = { 0, 1 }, one[] = { 0 }, mid[] = { 0, 2 },
			      second[] = { 3, 4 };

	(void)state;
	setup(6, 24, 6);
	for (unsigned i = 0; i < 6; i++)
		plug(i, 6);
	step(0);
	step(61);
	expect_paused(first, 2);

	/* Socket 5 leaves mid-period: a waiting socket takes its 6 A at once
	 * (socket 1: of equal waits the lowest ID keeps waiting). */
	unplug(5);
	step(300);
	expect(5, 0, SC_BALANCE_OFF);
	in.n_sockets = 5;
	expect_paused(one, 1);
	in.n_sockets = 6;
	/* It never probed (it waited from the start): it probes now. */
	expect(1, 6, SC_BALANCE_PROBING);
	assert_int_equal(out.next_change.ms, S(360));
	step(360);
	expect(1, 6, SC_BALANCE_SHARE);
	assert_int_equal(out.next_change.ms, S(900));

	/* A new session probes (at 6 A) and pauses last; socket 2, served
	 * longest with the lowest ID, makes room; socket 0 keeps waiting. */
	plug(5, 6);
	step(400);
	expect(5, 6, SC_BALANCE_PROBING);
	expect_paused(mid, 2);
	/* The period still ends at 900 s: 0 and 2 resume; 3 and 4 (served
	 * since 0 s) wait before 1 (since 300 s) and 5 (since 400 s). */
	step(900);
	expect_paused(second, 2);
}

static void test_nobody_starves(void **state)
{
	unsigned served[6] = { 0 };

	(void)state;
	setup(6, 24, 6);
	for (unsigned i = 0; i < 6; i++)
		plug(i, 6);
	for (unsigned p = 0; p < 12; p++) {
		step(900.0 * p);
		step(900.0 * p + 450);
		for (unsigned i = 0; i < 6; i++)
			served[i] += out.setpoint_ma[i] > 0;
	}
	/* 4 of 6 charge at any time: two periods of three each. */
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(served[i], 8);
}

static void test_safe_current_low_ids_first(void **state)
{
	(void)state;
	/* SCN-TotalSafeCurrent 12 A over four sockets: only IDs 0 and 1
	 * charge, in every period. */
	setup(4, 12, 6);
	in.cfg.serve_low_ids_first = true;
	for (unsigned i = 0; i < 4; i++)
		plug(i, 6);
	for (unsigned p = 0; p < 3; p++) {
		step(900.0 * p);
		step(900.0 * p + 61);
		expect(0, 6, SC_BALANCE_SHARE);
		expect(1, 6, SC_BALANCE_SHARE);
		expect(2, 0, SC_BALANCE_ALTERNATING);
		expect(3, 0, SC_BALANCE_ALTERNATING);
	}
}

/* --- bad input ---------------------------------------------------------- */

static void test_bad_input(void **state)
{
	struct sc_balance_state before;

	(void)state;
	setup(2, 25, 14);
	plug(0, 0);
	step(0);
	memcpy(&before, &st, sizeof(st));

	in.socket[1].budget = 3;                /* no such node */
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(1)), &out), -EINVAL);
	assert_int_equal(out.setpoint_ma[0], 0);
	assert_memory_equal(st.sock, before.sock, sizeof(st.sock));
	in.socket[1].budget = 0;

	in.cfg.probe_ma = A(5);                 /* Chameleon-MinCurrent < 6 */
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(1)), &out), -EINVAL);
	in.cfg.probe_ma = A(14);

	in.socket[0].phases = 0;                /* in use without phases */
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(1)), &out), -EINVAL);
	in.socket[0].phases = SC_PHASE_ALL;

	in.socket[0].draw_ma = -1;
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(1)), &out), -EINVAL);
	in.socket[0].draw_ma = 0;

	in.n_sockets = CP_MAX_SCN_SOCKETS + 1;
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(1)), &out), -EINVAL);
	in.n_sockets = 2;
	assert_memory_equal(st.sock, before.sock, sizeof(st.sock));

	step(1);
	expect(0, 14, SC_BALANCE_PROBING);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(sc_balance_reason_name(SC_BALANCE_ALTERNATING), "alternating");
	assert_string_equal(sc_balance_reason_name(SC_BALANCE_PROBING), "probing");
	assert_string_equal(sc_balance_reason_name(SC_BALANCE_BUDGET), "budget");
	assert_string_equal(sc_balance_reason_name((enum sc_balance_reason)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_split),
		cmocka_unit_test(test_static_small_share),
		cmocka_unit_test(test_slb_two_3ph),
		cmocka_unit_test(test_slb_cpmax_budget),
		cmocka_unit_test(test_probe_limits),
		cmocka_unit_test(test_probe_budget_below_probe),
		cmocka_unit_test(test_probe_others_pause_only_below_min),
		cmocka_unit_test(test_classify_14a_budget_20),
		cmocka_unit_test(test_classify_14a_budget_18_alternates),
		cmocka_unit_test(test_classify_14a_after_pause),
		cmocka_unit_test(test_classify_6a_confirmed),
		cmocka_unit_test(test_probe_below_14_cannot_detect),
		cmocka_unit_test(test_redistribution),
		cmocka_unit_test(test_redistribution_threshold),
		cmocka_unit_test(test_single_socket_budget_pause),
		cmocka_unit_test(test_alternating_six_sockets),
		cmocka_unit_test(test_alternating_plug_keeps_history),
		cmocka_unit_test(test_nobody_starves),
		cmocka_unit_test(test_safe_current_low_ids_first),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_reason_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
