/*
 * test_sc_phase.c - socket conductor -> grid phase mapping (docs/station-model.md).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "smartcharging/sc_phase.h"

#define L1 SC_PHASE_L1
#define L2 SC_PHASE_L2
#define L3 SC_PHASE_L3

struct mask_case {
	const char *what;
	struct sc_phase_topology topo;
	unsigned socket;
	unsigned ev_phases;
	unsigned mask;
};

static const struct mask_case mask_cases[] = {
	/* docs/station-model.md examples. */
	{ .what = "L1L2L3, 1ph EV on socket 1 -> L3",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 1, .ev_phases = 1, .mask = L3 },
	{ .what = "L1L2L3, 1ph EV on socket 2 -> L1",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 2, .ev_phases = 1, .mask = L1 },
	{ .what = "L2L3L1, 1ph EV on socket 1 -> L1",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L2L3L1 },
	  .socket = 1, .ev_phases = 1, .mask = L1 },
	{ .what = "L2L3L1, 1ph EV on socket 2 -> L2",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L2L3L1 },
	  .socket = 2, .ev_phases = 1, .mask = L2 },
	/* 2-phase EVs use the first two conductors of their socket. */
	{ .what = "L1L2L3, 2ph EV on socket 1 -> L3+L2",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 1, .ev_phases = 2, .mask = L3 | L2 },
	{ .what = "L1L2L3, 2ph EV on socket 2 -> L1+L2",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 2, .ev_phases = 2, .mask = L1 | L2 },
	{ .what = "3ph EV uses all phases",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L3L1L2 },
	  .socket = 1, .ev_phases = 3, .mask = L1 | L2 | L3 },
	/* A single-socket station does not rotate. */
	{ .what = "single socket L3L1L2, 1ph -> L3",
	  .topo = { .phases = 3, .feeds = 1, .sockets = 1, .connected = SC_ORDER_L3L1L2 },
	  .socket = 1, .ev_phases = 1, .mask = L3 },
	/* Two feeds: each socket's own SCN-PhaseMapping, rotation still inside
	 * (docs/balancing.md: both cables L1L2L3 -> EVs on L3 (socket 1) and L1). */
	{ .what = "two feeds both L1L2L3, socket 1 -> L3",
	  .topo = { .phases = 3, .feeds = 2, .sockets = 2,
		    .feed = { SC_ORDER_L1L2L3, SC_ORDER_L1L2L3 } },
	  .socket = 1, .ev_phases = 1, .mask = L3 },
	{ .what = "two feeds L1L2L3/L2L3L1, socket 2 -> L2",
	  .topo = { .phases = 3, .feeds = 2, .sockets = 2,
		    .feed = { SC_ORDER_L1L2L3, SC_ORDER_L2L3L1 } },
	  .socket = 2, .ev_phases = 1, .mask = L2 },
	/* Single-phase stations use conductor 1 of the cable only: a 3ph EV
	 * charges on one phase (docs/balancing.md B, D). */
	{ .what = "1ph station one feed, 3ph EV on socket 1 -> L1",
	  .topo = { .phases = 1, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 1, .ev_phases = 3, .mask = L1 },
	{ .what = "1ph station one feed, socket 2 -> L1",
	  .topo = { .phases = 1, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 2, .ev_phases = 1, .mask = L1 },
	{ .what = "1ph station two feeds mapping 1/2, socket 2 -> L2 (scenario C)",
	  .topo = { .phases = 1, .feeds = 2, .sockets = 2, .feed = { SC_ORDER_L1, SC_ORDER_L2 } },
	  .socket = 2, .ev_phases = 3, .mask = L2 },
	{ .what = "single-phase cable code 3 on a 3ph station -> L3 only",
	  .topo = { .phases = 3, .feeds = 2, .sockets = 2, .feed = { SC_ORDER_L3, SC_ORDER_L1 } },
	  .socket = 1, .ev_phases = 3, .mask = L3 },
};

static void test_mask_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]); i++) {
		const struct mask_case *c = &mask_cases[i];
		struct sc_phase_map m;

		print_message("%s\n", c->what);
		assert_int_equal(sc_phase_map_socket(&c->topo, c->socket, &m), 0);
		assert_int_equal(sc_phase_mask_ev(&m, c->ev_phases), c->mask);
	}
}

static void test_full_rotation(void **state)
{
	struct sc_phase_topology t = { .phases = 3, .feeds = 1, .sockets = 2,
				       .connected = SC_ORDER_L2L3L1 };
	struct sc_phase_map m;

	(void)state;
	/* Socket 1 = cable conductors 3,2,1 = L1,L3,L2. */
	assert_int_equal(sc_phase_map_socket(&t, 1, &m), 0);
	assert_int_equal(m.conductors, 3);
	assert_int_equal(m.grid[0], 0);
	assert_int_equal(m.grid[1], 2);
	assert_int_equal(m.grid[2], 1);
	/* Socket 2 = cable conductors 1,2,3 = L2,L3,L1. */
	assert_int_equal(sc_phase_map_socket(&t, 2, &m), 0);
	assert_int_equal(m.grid[0], 1);
	assert_int_equal(m.grid[1], 2);
	assert_int_equal(m.grid[2], 0);
}

static void test_add_currents(void **state)
{
	struct sc_phase_topology t = { .phases = 3, .feeds = 1, .sockets = 2,
				       .connected = SC_ORDER_L1L2L3 };
	struct sc_phase_map s1, s2;
	const int32_t one_ph[3] = { 16000, 0, 0 };
	const int32_t three_ph[3] = { 10000, 11000, 12000 };
	int32_t grid[3] = { 0, 0, 0 };

	(void)state;
	assert_int_equal(sc_phase_map_socket(&t, 1, &s1), 0);
	assert_int_equal(sc_phase_map_socket(&t, 2, &s2), 0);
	/* 1ph EV on socket 1 shows on grid L3; 3ph EV on socket 2 as is. */
	sc_phase_add_currents(&s1, one_ph, grid);
	sc_phase_add_currents(&s2, three_ph, grid);
	assert_int_equal(grid[0], 10000);
	assert_int_equal(grid[1], 11000);
	assert_int_equal(grid[2], 16000 + 12000);
}

static void test_add_currents_single_phase(void **state)
{
	struct sc_phase_topology t = { .phases = 1, .feeds = 1, .sockets = 1,
				       .connected = SC_ORDER_L2L3L1 };
	struct sc_phase_map m;
	const int32_t cur[3] = { 9000, 7000, 5000 };
	int32_t grid[3] = { 0, 0, 0 };

	(void)state;
	assert_int_equal(sc_phase_map_socket(&t, 1, &m), 0);
	sc_phase_add_currents(&m, cur, grid);
	/* Only conductor 1 is live, on L2. */
	assert_int_equal(grid[0], 0);
	assert_int_equal(grid[1], 9000);
	assert_int_equal(grid[2], 0);
}

static void test_parse_names(void **state)
{
	enum sc_phase_order o;

	(void)state;
	for (int code = SC_ORDER_L1; code <= SC_ORDER_L3L2L1; code++) {
		const char *name = sc_phase_order_name((enum sc_phase_order)code);

		assert_non_null(name);
		assert_int_equal(sc_phase_parse_order(name, &o), 0);
		assert_int_equal(o, code);
	}
	assert_int_equal(sc_phase_parse_order("l2l3l1", &o), 0);
	assert_int_equal(o, SC_ORDER_L2L3L1);
	/* The SCN-PhaseMapping code table of the README key reference. */
	assert_string_equal(sc_phase_order_name((enum sc_phase_order)5), "L1L3L2");
	assert_string_equal(sc_phase_order_name((enum sc_phase_order)7), "L2L3L1");
	assert_string_equal(sc_phase_order_name((enum sc_phase_order)9), "L3L2L1");
	assert_int_equal(sc_phase_parse_order("L1L1L2", &o), -EINVAL);
	assert_int_equal(sc_phase_parse_order("", &o), -EINVAL);
	assert_int_equal(sc_phase_parse_order("L1L2L3 ", &o), -EINVAL);
	assert_null(sc_phase_order_name((enum sc_phase_order)10));
}

struct bad_case {
	struct sc_phase_topology topo;
	unsigned socket;
	int rc;
};

static const struct bad_case bad_cases[] = {
	{ .topo = { .phases = 2, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 1, .rc = -EINVAL },
	{ .topo = { .phases = 3, .feeds = 3, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 1, .rc = -EINVAL },
	{ .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 3, .rc = -EINVAL },
	{ .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 },
	  .socket = 0, .rc = -EINVAL },
	{ .topo = { .phases = 3, .feeds = 1, .sockets = 2, .connected = (enum sc_phase_order)10 },
	  .socket = 1, .rc = -EINVAL },
	{ .topo = { .phases = 3, .feeds = 2, .sockets = 1, .feed = { SC_ORDER_L1L2L3 } },
	  .socket = 1, .rc = -EINVAL },
	/* SCN-PhaseMapping-2 = 0: no second socket. */
	{ .topo = { .phases = 3, .feeds = 2, .sockets = 2,
		    .feed = { SC_ORDER_L1L2L3, SC_ORDER_NONE } },
	  .socket = 2, .rc = -ENODEV },
};

static void test_bad_topology(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct sc_phase_map m;

		assert_int_equal(sc_phase_map_socket(&bad_cases[i].topo, bad_cases[i].socket, &m),
				 bad_cases[i].rc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_cases),
		cmocka_unit_test(test_full_rotation),
		cmocka_unit_test(test_add_currents),
		cmocka_unit_test(test_add_currents_single_phase),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_bad_topology),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
