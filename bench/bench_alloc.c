/*
 * bench_alloc.c - cost of one allocation (sc_alloc_run) and one balancing
 * step (sc_balance_step) for 2, 8, 32 and 128 sockets on three phases.
 *
 * The request is an SCN of dual-socket stations (a network budget, one node
 * per station, 32 A each) with a mix of 1-, 2- and 3-phase EVs, 6 A and
 * 14 A minima and profile-capped sockets, in three network budgets: 40 A
 * per socket (the stations bind), 12 A per socket (the network's phases
 * bind) and 4 A per socket (some sockets must pause).  The figures must stay far below the
 * 100 ms control cycle (docs/limits.md).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "smartcharging/sc_alloc.h"
#include "smartcharging/sc_balance.h"

static struct sc_alloc_request rq;
static struct sc_alloc_result rs;
static struct sc_balance_state bst;
static struct sc_balance_input bin;
static struct sc_balance_output bout;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* per_socket_ma: network budget per phase divided by the socket count. */
static void build(unsigned n, int32_t per_socket_ma)
{
	static const uint8_t masks[] = { SC_PHASE_ALL, SC_PHASE_L3, SC_PHASE_L1,
					 SC_PHASE_L3 | SC_PHASE_L2, SC_PHASE_ALL, SC_PHASE_L2 };
	unsigned stations = (n + 1) / 2;
	int64_t net = (int64_t)per_socket_ma * n;

	memset(&rq, 0, sizeof(rq));
	rq.n_budgets = (uint16_t)(1 + stations);
	rq.budget[0] = (struct sc_alloc_budget){ .parent = -1,
		.max_ma = { (int32_t)net, (int32_t)net, (int32_t)net } };
	for (unsigned s = 0; s < stations; s++)
		rq.budget[1 + s] = (struct sc_alloc_budget){ .parent = 0,
			.max_ma = { 32000, 32000, 32000 } };
	rq.n_sockets = (uint16_t)n;
	for (unsigned i = 0; i < n; i++)
		rq.socket[i] = (struct sc_alloc_socket){
			.active = i % 7 != 6,
			.phases = masks[i % sizeof(masks)],
			.budget = (int16_t)(1 + i / 2),
			.min_ma = i % 5 == 4 ? 14000 : 6000,
			.max_ma = i % 4 == 3 ? 10000 : 32000,
		};
}

static double bench_alloc(unsigned n, int32_t per_socket_ma)
{
	unsigned iters = 1000;
	double t0, dt;

	build(n, per_socket_ma);
	for (;;) {
		t0 = now_ns();
		for (unsigned k = 0; k < iters; k++) {
			if (sc_alloc_run(&rq, &rs) != 0)
				return -1;
			__asm__ volatile("" ::: "memory");
		}
		dt = now_ns() - t0;
		if (dt > 2e8 || iters >= (1u << 24))
			break;
		iters *= 4;
	}
	return dt / iters;
}

/* A whole balancing step, sessions past probing, over the same network. */
static double bench_step(unsigned n, int32_t per_socket_ma)
{
	unsigned iters = 1000;
	int64_t t = 0;
	double t0, dt;

	build(n, per_socket_ma);
	sc_balance_init(&bst);
	memset(&bin, 0, sizeof(bin));
	sc_balance_config_default(&bin.cfg);
	bin.n_budgets = rq.n_budgets;
	memcpy(bin.budget, rq.budget, sizeof(rq.budget[0]) * rq.n_budgets);
	bin.n_sockets = rq.n_sockets;
	for (unsigned i = 0; i < n; i++)
		bin.socket[i] = (struct sc_balance_socket_in){
			.id = (uint16_t)i, .budget = rq.socket[i].budget,
			.phases = rq.socket[i].phases, .in_use = rq.socket[i].active,
			.max_ma = rq.socket[i].max_ma, .draw_ma = 6000 };
	/* Past probing. */
	sc_balance_step(&bst, &bin, cp_mono(0), &bout);
	sc_balance_step(&bst, &bin, cp_mono(61000), &bout);
	t = 61000;
	for (;;) {
		t0 = now_ns();
		for (unsigned k = 0; k < iters; k++) {
			t += 100;       /* a 100 ms control cycle */
			if (sc_balance_step(&bst, &bin, cp_mono(t), &bout) != 0)
				return -1;
			__asm__ volatile("" ::: "memory");
		}
		dt = now_ns() - t0;
		if (dt > 2e8 || iters >= (1u << 22))
			break;
		iters *= 4;
	}
	return dt / iters;
}

int main(void)
{
	static const unsigned sizes[] = { 2, 8, 32, 128 };
	static const struct {
		const char *name;
		int32_t per_socket_ma;
	} regimes[] = {
		{ "network 40 A/socket", 40000 },
		{ "network 12 A/socket", 12000 },
		{ "network 4 A/socket", 4000 },
	};

	printf("sc_alloc_run: ns per allocation, three phases, SCN of dual-socket stations\n");
	printf("%-26s %10s %10s %10s %10s %12s\n", "regime", "2", "8", "32", "128",
	       "128 vs 2");
	for (size_t r = 0; r < sizeof(regimes) / sizeof(regimes[0]); r++) {
		double ns[4];

		for (size_t s = 0; s < 4; s++)
			ns[s] = bench_alloc(sizes[s], regimes[r].per_socket_ma);
		printf("%-26s %10.0f %10.0f %10.0f %10.0f %11.1fx\n", regimes[r].name,
		       ns[0], ns[1], ns[2], ns[3], ns[3] / ns[0]);
	}

	printf("\nsc_balance_step: ns per control cycle (same networks, sessions running)\n");
	printf("%-26s %10s %10s %10s %10s %12s\n", "regime", "2", "8", "32", "128",
	       "128 vs 2");
	for (size_t r = 0; r < sizeof(regimes) / sizeof(regimes[0]); r++) {
		double ns[4];

		for (size_t s = 0; s < 4; s++)
			ns[s] = bench_step(sizes[s], regimes[r].per_socket_ma);
		printf("%-26s %10.0f %10.0f %10.0f %10.0f %11.1fx\n", regimes[r].name,
		       ns[0], ns[1], ns[2], ns[3], ns[3] / ns[0]);
	}
	return 0;
}
