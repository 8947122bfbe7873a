/*
 * test_sc_alloc.c - the per-phase allocator against the vectors of docs/balancing.md
 * (3.1.1.1 A-I, 4.1, 4.1.1, 6.1.1.3, the SCN split of 6.1.1.3) and a
 * randomized property test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc_alloc.h"
#include "smartcharging/sc_phase.h"

#define A(x) ((int32_t)((x) * 1000))

static struct sc_alloc_request rq;
static struct sc_alloc_result rs;

/* One dual-socket (or single-socket) station as in docs/station-model.md. */
struct station_case {
	const char *what;
	struct sc_phase_topology topo;
	int32_t station_max;            /* Station-MaxCurrent, per phase */
	int32_t grid_max;               /* 0: no grid budget above the station */
	int32_t conn_max[2];            /* Connector<N>-MaxCurrent */
	unsigned ev[2];                 /* EV phases per socket, 0 = not in use */
	int32_t expect[2];
};

#define ONE_FEED_1PH { .phases = 1, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 }
#define ONE_FEED_3PH { .phases = 3, .feeds = 1, .sockets = 2, .connected = SC_ORDER_L1L2L3 }
#define TWO_FEED_1PH(a, b) { .phases = 1, .feeds = 2, .sockets = 2, .feed = { a, b } }
#define TWO_FEED_3PH { .phases = 3, .feeds = 2, .sockets = 2, \
		       .feed = { SC_ORDER_L1L2L3, SC_ORDER_L1L2L3 } }

/* docs/balancing.md, 25 A per phase, EVs on both sockets; key values docs/balancing.md. */
static const struct station_case scenarios[] = {
	{ .what = "A: 1ph single feed, 1ph+1ph", .topo = ONE_FEED_1PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 1 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "B: 3ph EVs on a 1ph station = A", .topo = ONE_FEED_1PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 3, 3 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "C: 1ph two feeds on L1 and L2",
	  .topo = TWO_FEED_1PH(SC_ORDER_L1, SC_ORDER_L2), .station_max = A(50),
	  .conn_max = { A(25), A(25) }, .ev = { 1, 1 }, .expect = { A(25), A(25) } },
	{ .what = "C: both feeds on L1, supply 25 A on L1 -> as A",
	  .topo = TWO_FEED_1PH(SC_ORDER_L1, SC_ORDER_L1), .station_max = A(50), .grid_max = A(25),
	  .conn_max = { A(25), A(25) }, .ev = { 1, 1 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "C: both feeds on L1, supply 2x25 A -> 25/25",
	  .topo = TWO_FEED_1PH(SC_ORDER_L1, SC_ORDER_L1), .station_max = A(50),
	  .conn_max = { A(25), A(25) }, .ev = { 1, 1 }, .expect = { A(25), A(25) } },
	{ .what = "D: 3ph+2ph EVs on 1ph two feeds = C",
	  .topo = TWO_FEED_1PH(SC_ORDER_L1, SC_ORDER_L2), .station_max = A(50),
	  .conn_max = { A(25), A(25) }, .ev = { 3, 2 }, .expect = { A(25), A(25) } },
	{ .what = "E: 3ph single feed, 1ph+1ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 1 }, .expect = { A(25), A(25) } },
	{ .what = "F: 2ph+1ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 2, 1 }, .expect = { A(25), A(25) } },
	{ .what = "F: 1ph+2ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 2 }, .expect = { A(25), A(25) } },
	{ .what = "G: 2ph+2ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 2, 2 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "H: 3ph+1ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 3, 1 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "H: 1ph+3ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 3 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "H: 3ph+2ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 3, 2 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "H: 2ph+3ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 2, 3 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "H: 3ph+3ph", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 3, 3 }, .expect = { A(12.5), A(12.5) } },
	/* I is checked for every combination in test_scenario_i. */
	/* Product table 4.1 (single feed, 25 A). */
	{ .what = "4.1: 1ph station, one socket in use", .topo = ONE_FEED_1PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 0 }, .expect = { A(25), 0 } },
	{ .what = "4.1: one 3ph EV alone", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 0, 3 }, .expect = { 0, A(25) } },
	{ .what = "4.1: one 1ph EV alone", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(32), A(32) }, .ev = { 1, 0 }, .expect = { A(25), 0 } },
	/* Connector max binds before the station budget. */
	{ .what = "connector max 16 leaves the rest", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(16), A(32) }, .ev = { 3, 3 }, .expect = { A(12.5), A(12.5) } },
	{ .what = "connector max 8 leaves 17", .topo = ONE_FEED_3PH, .station_max = A(25),
	  .conn_max = { A(8), A(32) }, .ev = { 3, 3 }, .expect = { A(8), A(17) } },
};

static void build_station(const struct station_case *c)
{
	int station;

	memset(&rq, 0, sizeof(rq));
	if (c->grid_max) {
		rq.budget[rq.n_budgets++] = (struct sc_alloc_budget){
			.parent = -1, .max_ma = { c->grid_max, c->grid_max, c->grid_max } };
	}
	station = rq.n_budgets;
	rq.budget[rq.n_budgets++] = (struct sc_alloc_budget){
		.parent = (int16_t)(station - 1),
		.max_ma = { c->station_max, c->station_max, c->station_max } };
	rq.n_sockets = c->topo.sockets;
	for (unsigned k = 0; k < c->topo.sockets; k++) {
		struct sc_phase_map m;

		assert_int_equal(sc_phase_map_socket(&c->topo, k + 1, &m), 0);
		rq.socket[k] = (struct sc_alloc_socket){
			.active = c->ev[k] > 0,
			.phases = (uint8_t)sc_phase_mask_ev(&m, c->ev[k]),
			.budget = (int16_t)station,
			.min_ma = A(6),
			.max_ma = c->conn_max[k],
		};
	}
}

static void test_station_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct station_case *c = &scenarios[i];

		print_message("%s\n", c->what);
		build_station(c);
		assert_int_equal(sc_alloc_run(&rq, &rs), 0);
		for (unsigned k = 0; k < 2; k++) {
			assert_int_equal(rs.setpoint_ma[k], c->expect[k]);
			assert_int_equal(rs.state[k], c->ev[k] ? SC_ALLOC_RUN : SC_ALLOC_OFF);
		}
	}
}

/* I: three phases, two feeds, Station-MaxCurrent 50, connector max 25:
 * every combination of 1-, 2- and 3-phase EVs gets the full 25 A. */
static void test_scenario_i(void **state)
{
	(void)state;
	for (unsigned a = 1; a <= 3; a++) {
		for (unsigned b = 1; b <= 3; b++) {
			struct station_case c = {
				.topo = TWO_FEED_3PH, .station_max = A(50),
				.conn_max = { A(25), A(25) }, .ev = { a, b },
			};

			build_station(&c);
			assert_int_equal(sc_alloc_run(&rq, &rs), 0);
			assert_int_equal(rs.setpoint_ma[0], A(25));
			assert_int_equal(rs.setpoint_ma[1], A(25));
		}
	}
}

/* Product table 4.1: the kW figures follow from the currents at 230 V
 * (rounded down to 0.1 kW as the table does). */
static void test_product_table_kw(void **state)
{
	static const struct {
		unsigned ev[2];
		unsigned kw10[2];               /* kW x 10 */
	} rows[] = {
		{ .ev = { 3, 0 }, .kw10 = { 172, 0 } },
		{ .ev = { 3, 3 }, .kw10 = { 86, 86 } },
		{ .ev = { 3, 1 }, .kw10 = { 86, 28 } },
		{ .ev = { 1, 1 }, .kw10 = { 57, 57 } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct station_case c = { .topo = ONE_FEED_3PH, .station_max = A(25),
					  .conn_max = { A(32), A(32) },
					  .ev = { rows[i].ev[0], rows[i].ev[1] } };

		build_station(&c);
		assert_int_equal(sc_alloc_run(&rq, &rs), 0);
		for (unsigned k = 0; k < 2; k++) {
			int64_t mw = (int64_t)rs.setpoint_ma[k] * 230 * rows[i].ev[k];

			assert_int_equal(mw / 100000, rows[i].kw10[k]);
		}
	}
}

/* 4.1.1: one 14 A EV (socket 0) and one 6 A EV (socket 1) sharing one
 * budget on the same phases. */
static void test_14a_and_6a(void **state)
{
	static const struct {
		int32_t budget;
		int32_t expect[2];
		uint8_t st[2];
	} rows[] = {
		{ A(32), { A(16), A(16) }, { SC_ALLOC_RUN, SC_ALLOC_RUN } },
		{ A(25), { A(14), A(11) }, { SC_ALLOC_RUN, SC_ALLOC_RUN } },
		{ A(20), { A(14), A(6) }, { SC_ALLOC_RUN, SC_ALLOC_RUN } },
		/* < 20 A: not both; the pause order (index here) decides. */
		{ A(19.9), { 0, A(19.9) }, { SC_ALLOC_PAUSED, SC_ALLOC_RUN } },
		{ A(13.9), { 0, A(13.9) }, { SC_ALLOC_PAUSED, SC_ALLOC_RUN } },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&rq, 0, sizeof(rq));
		rq.n_budgets = 1;
		rq.budget[0] = (struct sc_alloc_budget){
			.parent = -1, .max_ma = { rows[i].budget, rows[i].budget, rows[i].budget } };
		rq.n_sockets = 2;
		rq.socket[0] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
			.min_ma = A(14), .max_ma = A(32) };
		rq.socket[1] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
			.min_ma = A(6), .max_ma = A(32) };
		assert_int_equal(sc_alloc_run(&rq, &rs), 0);
		for (unsigned k = 0; k < 2; k++) {
			assert_int_equal(rs.setpoint_ma[k], rows[i].expect[k]);
			assert_int_equal(rs.state[k], rows[i].st[k]);
		}
	}
}

/* 4.1.2: two 6 A EVs alternate only below 2 x 6 A. */
static void test_alternating_threshold(void **state)
{
	static const struct {
		int32_t budget;
		unsigned running;
	} rows[] = {
		{ A(12), 2 }, { A(11.9), 1 }, { A(6), 1 }, { A(5.9), 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned running = 0;

		memset(&rq, 0, sizeof(rq));
		rq.n_budgets = 1;
		rq.budget[0] = (struct sc_alloc_budget){ .parent = -1,
			.max_ma = { rows[i].budget, rows[i].budget, rows[i].budget } };
		rq.n_sockets = 2;
		for (unsigned k = 0; k < 2; k++)
			rq.socket[k] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L1,
				.min_ma = A(6), .max_ma = A(32) };
		assert_int_equal(sc_alloc_run(&rq, &rs), 0);
		for (unsigned k = 0; k < 2; k++) {
			running += rs.state[k] == SC_ALLOC_RUN;
			/* Never between 0 and 6 A. */
			assert_true(rs.setpoint_ma[k] == 0 || rs.setpoint_ma[k] >= A(6));
		}
		assert_int_equal(running, rows[i].running);
	}
}

/* 6.1.1.3: 24 A over six sockets in use: IDs 0 and 1 pause, 2-5 get 6 A. */
static void test_scn_24a_six_sockets(void **state)
{
	(void)state;
	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = 1;
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(24), A(24), A(24) } };
	rq.n_sockets = 6;
	for (unsigned k = 0; k < 6; k++)
		rq.socket[k] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
			.min_ma = A(6), .max_ma = A(32) };
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	for (unsigned k = 0; k < 6; k++) {
		assert_int_equal(rs.state[k], k < 2 ? SC_ALLOC_PAUSED : SC_ALLOC_RUN);
		assert_int_equal(rs.setpoint_ma[k], k < 2 ? 0 : A(6));
	}

	/* The caller's pause order wins over the index. */
	rq.n_pause_order = 2;
	rq.pause_order[0] = 2;
	rq.pause_order[1] = 3;
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	for (unsigned k = 0; k < 6; k++)
		assert_int_equal(rs.state[k], (k == 2 || k == 3) ? SC_ALLOC_PAUSED : SC_ALLOC_RUN);
}

/*
 * 6.1.1.3, figure 6.2: network budget 40 A, three stations, four sockets in
 * use: 10 A each, 20 A to the dual-socket station with both in use.
 */
static void build_scn(int32_t station0_max)
{
	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = 4;
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(40), A(40), A(40) } };
	rq.budget[1] = (struct sc_alloc_budget){ .parent = 0,
		.max_ma = { station0_max, station0_max, station0_max } };
	rq.budget[2] = (struct sc_alloc_budget){ .parent = 0, .max_ma = { A(32), A(32), A(32) } };
	rq.budget[3] = (struct sc_alloc_budget){ .parent = 0, .max_ma = { A(32), A(32), A(32) } };
	rq.n_sockets = 5;
	/* Station 0: sockets 0 and 1 in use; station 1: socket 2 in use and
	 * socket 3 free; station 2: single socket 4. */
	for (unsigned k = 0; k < 5; k++)
		rq.socket[k] = (struct sc_alloc_socket){
			.active = k != 3, .phases = SC_PHASE_ALL,
			.budget = (int16_t)(k < 2 ? 1 : k < 4 ? 2 : 3),
			.min_ma = A(6), .max_ma = A(32) };
}

static void test_scn_40a(void **state)
{
	(void)state;
	build_scn(A(32));
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	assert_int_equal(rs.setpoint_ma[0], A(10));
	assert_int_equal(rs.setpoint_ma[1], A(10));
	assert_int_equal(rs.setpoint_ma[0] + rs.setpoint_ma[1], A(20));
	assert_int_equal(rs.setpoint_ma[2], A(10));
	assert_int_equal(rs.setpoint_ma[3], 0);
	assert_int_equal(rs.state[3], SC_ALLOC_OFF);
	assert_int_equal(rs.setpoint_ma[4], A(10));

	/* The SCN respects the station's own max (6.1.1.4): a 16 A station
	 * gives 8 A to each of its sockets, the rest goes to the others. */
	build_scn(A(16));
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	assert_int_equal(rs.setpoint_ma[0], A(8));
	assert_int_equal(rs.setpoint_ma[1], A(8));
	assert_int_equal(rs.setpoint_ma[2], A(12));
	assert_int_equal(rs.setpoint_ma[4], A(12));
}

/* A socket whose own limits are below its minimum is not served and takes
 * nothing from the others. */
static void test_unservable(void **state)
{
	(void)state;
	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = 1;
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(25), A(25), A(25) } };
	rq.n_sockets = 2;
	rq.socket[0] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
		.min_ma = A(6), .max_ma = A(4) };
	rq.socket[1] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
		.min_ma = A(6), .max_ma = A(32) };
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	assert_int_equal(rs.state[0], SC_ALLOC_UNSERVABLE);
	assert_int_equal(rs.setpoint_ma[0], 0);
	assert_int_equal(rs.setpoint_ma[1], A(25));
}

/* Pausing targets the overloaded phase, and a pause made unnecessary by a
 * later one is given back. */
static void test_pause_only_where_it_helps(void **state)
{
	(void)state;
	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = 1;
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(10), A(32), A(32) } };
	rq.n_sockets = 3;
	/* Socket 0 on L2 only: pausing it would not help L1. */
	rq.socket[0] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L2,
		.min_ma = A(6), .max_ma = A(32) };
	rq.socket[1] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L1,
		.min_ma = A(6), .max_ma = A(32) };
	rq.socket[2] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L1,
		.min_ma = A(6), .max_ma = A(32) };
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	assert_int_equal(rs.state[0], SC_ALLOC_RUN);
	assert_int_equal(rs.setpoint_ma[0], A(32));
	assert_int_equal(rs.state[1], SC_ALLOC_PAUSED);
	assert_int_equal(rs.setpoint_ma[2], A(10));

	/* Sockets on L1+L2, L1 and L2 with L1 = 11 A and L2 = 6 A: both phases
	 * are over their budget with three 6 A minima... */
	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = 1;
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(11), A(6), A(32) } };
	rq.n_sockets = 3;
	rq.socket[0] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L1 | SC_PHASE_L2,
		.min_ma = A(6), .max_ma = A(32) };
	rq.socket[1] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L1,
		.min_ma = A(6), .max_ma = A(32) };
	rq.socket[2] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_L2,
		.min_ma = A(6), .max_ma = A(32) };
	rq.n_pause_order = 3;
	rq.pause_order[0] = 1;          /* pausing 1 fixes L1 (12 > 11) */
	rq.pause_order[1] = 0;          /* then 0 for L2 (12 > 6) */
	rq.pause_order[2] = 2;
	assert_int_equal(sc_alloc_run(&rq, &rs), 0);
	/* ... and once 0 paused, 1 fits again on L1: given back. */
	assert_int_equal(rs.state[0], SC_ALLOC_PAUSED);
	assert_int_equal(rs.state[1], SC_ALLOC_RUN);
	assert_int_equal(rs.state[2], SC_ALLOC_RUN);
	assert_int_equal(rs.setpoint_ma[1], A(11));
	assert_int_equal(rs.setpoint_ma[2], A(6));
}

struct bad_request {
	const char *what;
	void (*mutate)(struct sc_alloc_request *r);
};

static void bad_parent(struct sc_alloc_request *r) { r->budget[0].parent = 0; }
static void bad_budget(struct sc_alloc_request *r) { r->budget[0].max_ma[1] = -1; }
static void bad_node(struct sc_alloc_request *r) { r->socket[0].budget = 1; }
static void bad_mask(struct sc_alloc_request *r) { r->socket[0].phases = 0; }
static void bad_mask_bits(struct sc_alloc_request *r) { r->socket[0].phases = 0x8; }
static void bad_min(struct sc_alloc_request *r) { r->socket[0].min_ma = 0; }
static void bad_max(struct sc_alloc_request *r) { r->socket[0].max_ma = -5; }
static void bad_count(struct sc_alloc_request *r) { r->n_sockets = CP_MAX_SCN_SOCKETS + 1; }
static void bad_order_dup(struct sc_alloc_request *r)
{
	r->n_pause_order = 2;
	r->pause_order[0] = 1;
	r->pause_order[1] = 1;
}
static void bad_order_range(struct sc_alloc_request *r)
{
	r->n_pause_order = 1;
	r->pause_order[0] = 7;
}
static void bad_depth(struct sc_alloc_request *r)
{
	r->n_budgets = CP_MAX_SC_DEPTH + 1;
	for (int b = 0; b <= CP_MAX_SC_DEPTH; b++)
		r->budget[b] = (struct sc_alloc_budget){ .parent = (int16_t)(b - 1),
			.max_ma = { A(10), A(10), A(10) } };
	r->socket[0].budget = CP_MAX_SC_DEPTH;
}

static const struct bad_request bad_requests[] = {
	{ "root is its own parent", bad_parent },
	{ "negative budget", bad_budget },
	{ "socket budget out of range", bad_node },
	{ "empty phase mask", bad_mask },
	{ "phase bit beyond L3", bad_mask_bits },
	{ "zero minimum", bad_min },
	{ "negative max", bad_max },
	{ "too many sockets", bad_count },
	{ "repeated pause order entry", bad_order_dup },
	{ "pause order out of range", bad_order_range },
	{ "budget chain too deep", bad_depth },
};

static void test_bad_requests(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_requests) / sizeof(bad_requests[0]); i++) {
		print_message("%s\n", bad_requests[i].what);
		memset(&rq, 0, sizeof(rq));
		rq.n_budgets = 1;
		rq.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { A(25), A(25), A(25) } };
		rq.n_sockets = 2;
		for (unsigned k = 0; k < 2; k++)
			rq.socket[k] = (struct sc_alloc_socket){ .active = true, .phases = SC_PHASE_ALL,
				.min_ma = A(6), .max_ma = A(32) };
		bad_requests[i].mutate(&rq);
		memset(&rs, 0x5a, sizeof(rs));
		assert_int_equal(sc_alloc_check(&rq), -EINVAL);
		assert_int_equal(sc_alloc_run(&rq, &rs), -EINVAL);
		assert_int_equal(rs.setpoint_ma[0], 0);
		assert_int_equal(rs.state[0], SC_ALLOC_OFF);
	}
}

/* --- randomized properties --------------------------------------------- */

static uint64_t rng_state = 0x5eed6a11c0ffeeULL;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seed, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t rnd(uint32_t n)
{
	return rng() % n;
}

static void random_request(void)
{
	unsigned nb = 1 + rnd(6);
	unsigned ns = rnd(10) == 0 ? 1 + rnd(CP_MAX_SCN_SOCKETS) : 1 + rnd(12);

	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = (uint16_t)nb;
	for (unsigned b = 0; b < nb; b++) {
		rq.budget[b].parent = (int16_t)(b == 0 ? -1 : (int)rnd(b + 1) - 1);
		for (unsigned p = 0; p < SC_PHASES; p++)
			rq.budget[b].max_ma[p] = rnd(8) == 0 ? SC_ALLOC_UNLIMITED
				: (int32_t)(rnd(ns * 20 + 1) * 1000 + rnd(1000));
	}
	rq.n_sockets = (uint16_t)ns;
	for (unsigned i = 0; i < ns; i++) {
		static const uint8_t masks[] = { 1, 2, 4, 3, 6, 5, 7, 7, 7 };

		rq.socket[i] = (struct sc_alloc_socket){
			.active = rnd(5) != 0,
			.phases = masks[rnd(sizeof(masks))],
			.budget = (int16_t)rnd(nb),
			.min_ma = rnd(4) == 0 ? A(14) : A(6),
			.max_ma = (int32_t)rnd(41) * 1000 + (rnd(2) ? 500 : 0),
		};
	}
	if (rnd(2)) {
		uint16_t perm[CP_MAX_SCN_SOCKETS];

		for (unsigned i = 0; i < ns; i++)
			perm[i] = (uint16_t)i;
		for (unsigned i = ns; i > 1; i--) {
			unsigned j = rnd(i);
			uint16_t t = perm[i - 1];

			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		rq.n_pause_order = (uint16_t)rnd(ns + 1);
		memcpy(rq.pause_order, perm, sizeof(perm[0]) * rq.n_pause_order);
	}
}

/* Does socket i load constraint (node, p)? */
static bool loads(unsigned i, int node, unsigned p)
{
	if (!(rq.socket[i].phases & (1u << p)))
		return false;
	for (int up = rq.socket[i].budget; up >= 0; up = rq.budget[up].parent)
		if (up == node)
			return true;
	return false;
}

static void check_properties(void)
{
	int64_t used[CP_MAX_SC_BUDGETS][SC_PHASES];
	unsigned running[CP_MAX_SC_BUDGETS][SC_PHASES];

	memset(used, 0, sizeof(used));
	memset(running, 0, sizeof(running));
	for (unsigned i = 0; i < rq.n_sockets; i++) {
		const struct sc_alloc_socket *s = &rq.socket[i];
		int32_t sp = rs.setpoint_ma[i];

		if (!s->active) {
			assert_int_equal(rs.state[i], SC_ALLOC_OFF);
			assert_int_equal(sp, 0);
			continue;
		}
		/* Never between 0 and the minimum, never above the max. */
		assert_true(sp == 0 || sp >= s->min_ma);
		assert_true(sp <= s->max_ma);
		assert_int_equal(rs.state[i] == SC_ALLOC_UNSERVABLE, s->max_ma < s->min_ma);
		assert_int_equal(rs.state[i] == SC_ALLOC_RUN, sp > 0);
		if (sp == 0)
			continue;
		for (unsigned b = 0; b < rq.n_budgets; b++)
			for (unsigned p = 0; p < SC_PHASES; p++)
				if (loads(i, (int)b, p)) {
					used[b][p] += sp;
					running[b][p]++;
				}
	}
	/* No phase budget exceeded at any level. */
	for (unsigned b = 0; b < rq.n_budgets; b++)
		for (unsigned p = 0; p < SC_PHASES; p++)
			assert_true(used[b][p] <= rq.budget[b].max_ma[p]);

	for (unsigned i = 0; i < rq.n_sockets; i++) {
		const struct sc_alloc_socket *s = &rq.socket[i];
		bool bottleneck = false;

		if (rs.state[i] == SC_ALLOC_PAUSED) {
			/* A pause was needed: its minimum does not fit now. */
			bool fits = true;

			for (unsigned b = 0; b < rq.n_budgets; b++)
				for (unsigned p = 0; p < SC_PHASES; p++)
					if (loads(i, (int)b, p) &&
					    used[b][p] + s->min_ma > rq.budget[b].max_ma[p])
						fits = false;
			assert_false(fits);
			continue;
		}
		if (rs.state[i] != SC_ALLOC_RUN || rs.setpoint_ma[i] == s->max_ma)
			continue;
		/* Max-min fair: a socket below its max sits on an exhausted
		 * constraint (less than 1 mA per running socket left) in which
		 * nobody raised above its floor got more than it did. */
		for (unsigned b = 0; b < rq.n_budgets && !bottleneck; b++) {
			for (unsigned p = 0; p < SC_PHASES && !bottleneck; p++) {
				bool highest = true;

				if (!loads(i, (int)b, p) ||
				    rq.budget[b].max_ma[p] - used[b][p] >= running[b][p])
					continue;
				for (unsigned j = 0; j < rq.n_sockets; j++)
					if (rs.state[j] == SC_ALLOC_RUN && loads(j, (int)b, p) &&
					    rs.setpoint_ma[j] > rq.socket[j].min_ma &&
					    rs.setpoint_ma[j] > rs.setpoint_ma[i])
						highest = false;
				bottleneck = highest;
			}
		}
		assert_true(bottleneck);
	}
}

static void test_random_properties(void **state)
{
	unsigned paused = 0, capped = 0;

	(void)state;
	for (unsigned n = 0; n < 20000; n++) {
		random_request();
		assert_int_equal(sc_alloc_run(&rq, &rs), 0);
		check_properties();
		for (unsigned i = 0; i < rq.n_sockets; i++) {
			paused += rs.state[i] == SC_ALLOC_PAUSED;
			capped += rs.state[i] == SC_ALLOC_RUN && rs.setpoint_ma[i] == rq.socket[i].max_ma;
		}
	}
	/* The generator must exercise both pausing and capping. */
	assert_true(paused > 1000);
	assert_true(capped > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_station_scenarios),
		cmocka_unit_test(test_scenario_i),
		cmocka_unit_test(test_product_table_kw),
		cmocka_unit_test(test_14a_and_6a),
		cmocka_unit_test(test_alternating_threshold),
		cmocka_unit_test(test_scn_24a_six_sockets),
		cmocka_unit_test(test_scn_40a),
		cmocka_unit_test(test_unservable),
		cmocka_unit_test(test_pause_only_where_it_helps),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_random_properties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
