/*
 * bench_cycle.c - cost of the pure part of one control cycle for 2 and 128
 * sockets: every socket's decision (smartcharging/evaluate.c) around one
 * balancing step, no I/O.  The station's gathering of inputs (configuration
 * reads, profile "limit now") and the driver writes are not in it.
 *
 * Two paths over the same inputs, in the same run:
 *  - "evaluate": sc_evaluate_max per socket, sc_balance_step, sc_evaluate per
 *    socket: what station/cycle.c runs now;
 *  - "before": the previous cycle, kept here only as a baseline: the limit
 *    stack filled source by source and applied twice per socket (before and
 *    after the share), plus the display hint worked out beside it.
 * Both must give the same offers (checked); the figures are per cycle, the
 * control cycle's budget is 100 ms (docs/limits.md).
 *
 * The sockets: dual-socket stations of 32 A under a network budget of 12 A
 * per socket (so the budget binds and some sockets pause), a mix of cables,
 * profiles, a fault and a suspended pair, every EV drawing what it is
 * offered; time advances 100 ms per cycle.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "smartcharging/sc_evaluate.h"

#define CYCLES 20000

static struct sc_balance_state bst;
static struct sc_balance_input bin;
static struct sc_balance_output bout;
static struct sc_eval_in snap[CP_MAX_SCN_SOCKETS];
static int32_t offers[2][CP_MAX_SCN_SOCKETS];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void build(unsigned n)
{
	unsigned stations = (n + 1) / 2;
	int32_t net = (int32_t)(12000 * n);

	sc_balance_init(&bst);
	memset(&bin, 0, sizeof(bin));
	sc_balance_config_default(&bin.cfg);
	bin.n_budgets = (uint16_t)(1 + stations);
	bin.budget[0] = (struct sc_alloc_budget){ .parent = -1, .max_ma = { net, net, net } };
	for (unsigned s = 0; s < stations; s++)
		bin.budget[1 + s] = (struct sc_alloc_budget){ .parent = 0,
			.max_ma = { 32000, 32000, 32000 } };
	bin.n_sockets = (uint16_t)n;
	for (unsigned i = 0; i < n; i++) {
		snap[i] = (struct sc_eval_in){
			.connector_ma = i % 4 == 3 ? 16000 : 32000,
			.tx_ma = i % 5 == 1 ? 10000 : SC_LIMIT_NONE,
			.ev_connected = i % 7 != 6,
			.cable_ma = i % 3 == 2 ? 20000 : 32000,
			.fault = i % 31 == 30,
			.suspended = i % 53 == 52,
			.tx_active = i % 7 != 6,
			.may_draw = i % 7 != 6,
			.share_ma = SC_LIMIT_NONE,
		};
		bin.socket[i] = (struct sc_balance_socket_in){
			.id = (uint16_t)i, .budget = (int16_t)(1 + i / 2),
			.phases = SC_PHASE_ALL, .in_use = snap[i].may_draw,
		};
	}
}

/* The previous station/cycle.c, steps copied as they were (less the
 * simulator's EV maximum, which the snapshot no longer has). */
static void cycle_before(unsigned n, cp_mono_t now)
{
	struct sc_limit_inputs lim[CP_MAX_SCN_SOCKETS];
	int32_t own[CP_MAX_SCN_SOCKETS];

	for (unsigned i = 0; i < n; i++) {
		const struct sc_eval_in *s = &snap[i];
		struct sc_limit_result r;

		sc_limit_inputs_init(&lim[i]);
		if (s->tx_ma != SC_LIMIT_NONE)
			sc_limit_set(&lim[i], SC_SRC_PROFILE, s->tx_ma);
		sc_limit_set(&lim[i], SC_SRC_CONNECTOR, s->connector_ma);
		if (s->cable_ma > 0 || s->ev_connected)
			sc_limit_set(&lim[i], SC_SRC_CABLE, s->cable_ma);
		if (s->suspended)
			sc_limit_stop(&lim[i], SC_SRC_SUSPEND);
		if (s->fault)
			sc_limit_stop(&lim[i], SC_SRC_FAULT);
		sc_limit_apply(&lim[i], &r);
		own[i] = r.lowest_ma == SC_LIMIT_NONE ? SC_LIMIT_MAX : r.lowest_ma;
		if (r.paused && r.lowest_ma != SC_LIMIT_NONE && r.lowest_ma < CP_MIN_CHARGE_MA)
			own[i] = r.lowest_ma < 0 ? 0 : r.lowest_ma;
		bin.socket[i].max_ma = own[i];
	}
	sc_balance_step(&bst, &bin, now, &bout);
	for (unsigned i = 0; i < n; i++) {
		struct sc_limit_inputs in = lim[i];
		struct sc_limit_result res;
		volatile int hint = 0;
		int32_t share = bout.setpoint_ma[i];

		if (share < own[i] && own[i] >= CP_MIN_CHARGE_MA)
			sc_limit_set(&in, SC_SRC_BALANCING, share);
		sc_limit_apply(&in, &res);
		if (!snap[i].may_draw)
			res.applied_ma = 0;
		if (snap[i].tx_active && bout.reason[i] == SC_BALANCE_ALTERNATING)
			hint = 1;
		else if (snap[i].tx_active && res.applied_ma == 0)
			hint = 2;
		else if (snap[i].tx_active && res.binding == SC_SRC_BALANCING &&
			 res.applied_ma < own[i])
			hint = 3;
		(void)hint;
		offers[0][i] = res.applied_ma;
		bin.socket[i].draw_ma = res.applied_ma;
	}
}

static void cycle_evaluate(unsigned n, cp_mono_t now)
{
	for (unsigned i = 0; i < n; i++)
		bin.socket[i].max_ma = sc_evaluate_max(&snap[i]);
	sc_balance_step(&bst, &bin, now, &bout);
	for (unsigned i = 0; i < n; i++) {
		struct sc_eval_out out;

		snap[i].share_ma = bout.setpoint_ma[i];
		snap[i].balance_reason = (enum sc_balance_reason)bout.reason[i];
		sc_evaluate(&snap[i], &out);
		offers[1][i] = out.offer_ma;
		bin.socket[i].draw_ma = out.offer_ma;
	}
}

/* ns per cycle over CYCLES cycles, 100 ms of station time apart. */
static double run(unsigned n, int which)
{
	double t0, t1;

	build(n);
	t0 = now_ns();
	for (int k = 0; k < CYCLES; k++) {
		if (which == 0)
			cycle_before(n, cp_mono((int64_t)k * 100));
		else
			cycle_evaluate(n, cp_mono((int64_t)k * 100));
	}
	t1 = now_ns();
	return (t1 - t0) / CYCLES;
}

int main(void)
{
	static const unsigned sizes[] = { 2, 128 };
	int rc = 0;

	printf("control cycle, pure part (balancing step + every socket's decision), "
	       "%d cycles 100 ms apart\n", CYCLES);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned n = sizes[k];
		/* Interleaved twice so that neither path always runs on a
		 * colder machine. */
		double b1 = run(n, 0), e1 = run(n, 1), b2 = run(n, 0), e2 = run(n, 1);
		double b = b1 < b2 ? b1 : b2, e = e1 < e2 ? e1 : e2;

		printf("  %3u sockets: evaluate %8.0f ns/cycle (%.0f ns/socket), "
		       "before %8.0f ns/cycle: %.2fx\n", n, e, e / n, b, e / b);
		if (memcmp(offers[0], offers[1], sizeof(offers[0][0]) * n) != 0) {
			printf("  %3u sockets: the two paths disagree\n", n);
			rc = 1;
		}
	}
	return rc;
}
