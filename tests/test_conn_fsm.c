/*
 * test_conn_fsm.c - the connector status machine (station/conn_fsm.c):
 * every cell of the OCPP 1.6 §4.9 transition table, paths that never take a
 * transition the table leaves out, the decision list for each scenario that
 * changes a status, and the SuspendedEV draw rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "station/conn_fsm.h"

/* The table's row letters. */
#define A ST_AVAILABLE
#define B ST_PREPARING
#define C ST_CHARGING
#define D ST_SUSPENDED_EV
#define E ST_SUSPENDED_EVSE
#define F ST_FINISHING
#define G ST_RESERVED
#define H ST_UNAVAILABLE
#define I ST_FAULTED

/* OCPP 1.6 §4.9, written out once more as the transitions it lists (A2 is
 * Available -> Preparing ...), independently of the matrix in conn_fsm.c. */
static const struct { int from, to; const char *name; } listed[] = {
	{ A, B, "A2" }, { A, C, "A3" }, { A, D, "A4" }, { A, E, "A5" }, { A, G, "A7" }, { A, H, "A8" }, { A, I, "A9" },
	{ B, A, "B1" }, { B, C, "B3" }, { B, D, "B4" }, { B, E, "B5" }, { B, F, "B6" }, { B, I, "B9" },
	{ C, A, "C1" }, { C, D, "C4" }, { C, E, "C5" }, { C, F, "C6" }, { C, H, "C8" }, { C, I, "C9" },
	{ D, A, "D1" }, { D, C, "D3" }, { D, E, "D5" }, { D, F, "D6" }, { D, H, "D8" }, { D, I, "D9" },
	{ E, A, "E1" }, { E, C, "E3" }, { E, D, "E4" }, { E, F, "E6" }, { E, H, "E8" }, { E, I, "E9" },
	{ F, A, "F1" }, { F, B, "F2" }, { F, H, "F8" }, { F, I, "F9" },
	{ G, A, "G1" }, { G, B, "G2" }, { G, H, "G8" }, { G, I, "G9" },
	{ H, A, "H1" }, { H, B, "H2" }, { H, C, "H3" }, { H, D, "H4" }, { H, E, "H5" }, { H, I, "H9" },
	{ I, A, "I1" }, { I, B, "I2" }, { I, C, "I3" }, { I, D, "I4" }, { I, E, "I5" }, { I, F, "I6" }, { I, G, "I7" }, { I, H, "I8" },
};
#define N_LISTED (sizeof(listed) / sizeof(listed[0]))

static bool is_listed(int from, int to)
{
	for (size_t i = 0; i < N_LISTED; i++)
		if (listed[i].from == from && listed[i].to == to)
			return true;
	return false;
}

/* Each of the 53 rows is allowed, and nothing else of the 81 cells is. */
static void test_every_cell_of_the_table(void **state)
{
	(void)state;
	assert_int_equal(N_LISTED, 53);
	for (int f = 0; f < ST_STATUS_COUNT; f++)
		for (int t = 0; t < ST_STATUS_COUNT; t++) {
			if (st_fsm_allowed(f, t) != is_listed(f, t))
				fail_msg("%s -> %s: allowed %d, the table says %d", st_status_name(f),
				    st_status_name(t), st_fsm_allowed(f, t), is_listed(f, t));
		}
	assert_false(st_fsm_allowed(ST_STATUS_COUNT, A));
	assert_false(st_fsm_allowed(A, ST_STATUS_COUNT));
}

/* Every listed transition is reachable as one step; every other pair is
 * reached through one intermediate, and no step of any path is unlisted. */
static void test_paths_use_listed_transitions_only(void **state)
{
	(void)state;
	for (int f = 0; f < ST_STATUS_COUNT; f++)
		for (int t = 0; t < ST_STATUS_COUNT; t++) {
			enum st_status path[2];
			int n = st_fsm_path(f, t, path);
			if (f == t) {
				assert_int_equal(n, 0);
				continue;
			}
			assert_true(n == 1 || n == 2);
			assert_int_equal(path[n - 1], t);
			if (is_listed(f, t))
				assert_int_equal(n, 1);
			int at = f;
			for (int i = 0; i < n; i++) {
				if (!is_listed(at, path[i]))
					fail_msg("path %s -> %s takes %s -> %s", st_status_name(f),
					    st_status_name(t), st_status_name(at), st_status_name(path[i]));
				at = path[i];
			}
		}
}

/* The pairs the table leaves out that a station meets: how they are bridged. */
static void test_bridges(void **state)
{
	(void)state;
	static const struct { int from, to, via; } cases[] = {
		{ B, H, A },	/* ChangeAvailability Inoperative with a cable in, no transaction */
		{ F, G, A },	/* reserved while the last EV still had its cable in */
		{ G, C, B },	/* the reserving card starts at once */
		{ A, F, B },
		{ C, B, A },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum st_status path[2];
		assert_int_equal(st_fsm_path(cases[i].from, cases[i].to, path), 2);
		assert_int_equal(path[0], cases[i].via);
	}
}

static struct st_fsm_input idle(void)
{
	struct st_fsm_input in = { .operative = true };
	return in;
}

static struct st_fsm_input charging(void)
{
	struct st_fsm_input in = idle();
	in.tx_active = in.plugged = in.offering = in.ev_requests = in.ev_draws = true;
	return in;
}

/* The scenarios that change a status, one decision-list step each. */
static void test_decision_list(void **state)
{
	(void)state;
	struct st_fsm_input in;

	in = idle();
	assert_int_equal(st_fsm_target(&in), A);
	in.reserved = true;				/* ReserveNow */
	assert_int_equal(st_fsm_target(&in), G);
	in.authorized = true;				/* card first, then the cable */
	assert_int_equal(st_fsm_target(&in), B);
	in = idle();
	in.plugged = true;				/* cable first */
	assert_int_equal(st_fsm_target(&in), B);

	in = charging();
	assert_int_equal(st_fsm_target(&in), C);
	in.ev_draws = false;				/* C but drawing < 0.5 A for a while */
	assert_int_equal(st_fsm_target(&in), D);
	in = charging();
	in.ev_requests = false;				/* full: back to state B */
	assert_int_equal(st_fsm_target(&in), D);
	in = charging();
	in.offering = false;				/* probing / alternating pause / budget / suspend contact / profile 0 A */
	assert_int_equal(st_fsm_target(&in), E);
	in = charging();
	in.plugged = false;				/* cable out, the transaction lives on */
	assert_int_equal(st_fsm_target(&in), D);
	in = charging();
	in.fault = true;				/* overcurrent trip, lock, diode, ventilation */
	assert_int_equal(st_fsm_target(&in), I);
	in = charging();
	in.operative = false;				/* ChangeAvailability Scheduled */
	assert_int_equal(st_fsm_target(&in), C);
	in.tx_active = false;				/* ... applies once it ends */
	assert_int_equal(st_fsm_target(&in), H);

	in = idle();
	in.plugged = in.finishing = true;		/* stopped, EV still in */
	assert_int_equal(st_fsm_target(&in), F);
	in = idle();
	in.tx_active = in.plugged = true;		/* offline start refused (Invalid): no energy */
	assert_int_equal(st_fsm_target(&in), E);

	/* Connector 0: Available, or Unavailable when it or every connector is Inoperative. */
	in = idle();
	in.station = true;
	assert_int_equal(st_fsm_target(&in), A);
	in.all_inoperative = true;
	assert_int_equal(st_fsm_target(&in), H);
	in.all_inoperative = false;
	in.operative = false;
	assert_int_equal(st_fsm_target(&in), H);
}

/* An EV drawing nothing in state C is SuspendedEV only after ST_FSM_IDLE_MS;
 * a ramp-up or a dip shorter than that is still Charging. */
static void test_draw_rule(void **state)
{
	(void)state;
	struct st_fsm_draw d = { 0 };
	cp_mono_t re;

	assert_true(st_fsm_draw(&d, 0, cp_mono(1000), &re));		/* just entered C */
	assert_int_equal(re.ms, 1000 + ST_FSM_IDLE_MS);
	assert_true(st_fsm_draw(&d, ST_FSM_DRAW_MA - 1, cp_mono(1000 + ST_FSM_IDLE_MS - 1), &re));
	assert_false(st_fsm_draw(&d, 0, cp_mono(1000 + ST_FSM_IDLE_MS), &re));
	assert_int_equal(re.ms, 0);
	assert_true(st_fsm_draw(&d, ST_FSM_DRAW_MA, cp_mono(9000), &re));	/* draws again */
	assert_int_equal(re.ms, 0);
	assert_true(st_fsm_draw(&d, 0, cp_mono(9100), &re));		/* a short dip */
	assert_true(st_fsm_draw(&d, 16000, cp_mono(9200), &re));
	assert_true(st_fsm_draw(&d, 0, cp_mono(9300), &re));		/* the grace starts anew */
	assert_int_equal(re.ms, 9300 + ST_FSM_IDLE_MS);
}

static void test_names(void **state)
{
	(void)state;
	static const char *const want[ST_STATUS_COUNT] = {
		"Available", "Preparing", "Charging", "SuspendedEV", "SuspendedEVSE",
		"Finishing", "Reserved", "Unavailable", "Faulted",
	};
	for (int i = 0; i < ST_STATUS_COUNT; i++)
		assert_string_equal(st_status_name(i), want[i]);
	assert_string_equal(st_status_name(ST_STATUS_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cell_of_the_table),
		cmocka_unit_test(test_paths_use_listed_transitions_only),
		cmocka_unit_test(test_bridges),
		cmocka_unit_test(test_decision_list),
		cmocka_unit_test(test_draw_rule),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
