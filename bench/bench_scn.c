/*
 * bench_scn.c - a Smart Charging Network of 128 sockets on 64 simulated
 * members in one process (docs/scn.md).  Each member has its own view, fed
 * every other member's announcement each period, runs the balancing engine
 * on it and applies its own sockets through the epoch rule.  Prints the
 * periods to convergence after a plug (every epoch equal and consistent,
 * every offer at its computed setpoint), the largest sum of offers seen
 * against the budget, and the CPU time per period per member.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/scn/view.h"

#define MEMBERS 64
#define PER 2
#define BUDGET_MA 400000	/* SCN-TotalStaticCurrent: 400 A per phase */

static struct scn_config cfg;
static struct scn_view view[MEMBERS];
static struct sc_balance_state bst[MEMBERS];
static struct scn_announce ann[MEMBERS];
static int32_t offer[MEMBERS][PER], computed[MEMBERS][PER];
static struct sc_balance_input in;
static struct sc_balance_output out;
static int64_t now_ms;
static int32_t worst_sum;

static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void setup(void)
{
	scn_config_default(&cfg);
	strcpy(cfg.network, "BENCH");
	cfg.total_static_ma = cfg.total_safe_ma = BUDGET_MA;
	cfg.socket_count = MEMBERS * PER;
	for (unsigned i = 0; i < MEMBERS; i++) {
		scn_view_init(&view[i], &cfg);
		sc_balance_init(&bst[i]);
		memset(&ann[i], 0, sizeof(ann[i]));
		strcpy(ann[i].network, "BENCH");
		ann[i].member = 0x9e3779b9u * (i + 1);
		ann[i].station_max_ma = 32000;
		ann[i].n_sockets = PER;
		for (unsigned k = 0; k < PER; k++)
			ann[i].sock[k] = (struct scn_socket_info){
				.id = (uint16_t)(PER * i + k),
				.phase_map = (uint8_t)(SC_ORDER_L1L2L3 + (i % 6)),
				.ev_phases = (uint8_t)(1 + (i + k) % 3),
				.min_ma = 6000, .max_ma = 32000 };
	}
}

/* The highest per-phase sum of the offers. */
static int32_t offers_sum(void)
{
	int32_t sum[SC_PHASES] = { 0 }, m = 0;

	for (unsigned i = 0; i < MEMBERS; i++)
		for (unsigned k = 0; k < PER; k++) {
			const struct scn_socket_info *s = &ann[i].sock[k];
			struct sc_phase_topology topo = { .phases = 3, .feeds = 1, .sockets = 1,
				.connected = (enum sc_phase_order)s->phase_map };
			struct sc_phase_map map;
			unsigned mask;

			sc_phase_map_socket(&topo, 1, &map);
			mask = sc_phase_mask_ev(&map, s->ev_phases);
			for (unsigned p = 0; p < SC_PHASES; p++)
				if (mask & (1u << p))
					sum[p] += offer[i][k];
		}
	for (unsigned p = 0; p < SC_PHASES; p++)
		if (sum[p] > m)
			m = sum[p];
	return m;
}

static void period(void)
{
	for (unsigned i = 0; i < MEMBERS; i++) {
		uint16_t lost[CP_MAX_SCN_SOCKETS];

		scn_view_expire(&view[i], cp_mono(now_ms), lost);
		scn_view_balance_input(&view[i], &cfg, &in);
		sc_balance_step(&bst[i], &in, cp_mono(now_ms), &out);
		scn_view_decided(&view[i], &out);
		for (unsigned k = 0; k < PER; k++) {
			struct scn_socket_info *s = &ann[i].sock[k];
			int32_t o;

			computed[i][k] = out.setpoint_ma[s->id];
			scn_view_apply(&view[i], s->id, computed[i][k], offer[i][k],
				       cp_mono(now_ms), &o);
			for (unsigned p = 0; p < SC_PHASES; p++)
				s->draw_ma[p] = s->in_use ? offer[i][k] : 0;
			offer[i][k] = s->in_use ? o : 0;
			s->setpoint_ma = offer[i][k];
		}
		ann[i].epoch = scn_view_epoch(&view[i]);
		ann[i].seq++;
		scn_view_self(&view[i], &ann[i], cp_mono(now_ms));
	}
	for (unsigned i = 0; i < MEMBERS; i++)
		for (unsigned j = 0; j < MEMBERS; j++)
			if (i != j)
				scn_view_heard(&view[j], &ann[i], cp_mono(now_ms + 5));
	if (offers_sum() > worst_sum)
		worst_sum = offers_sum();
	now_ms += 1000;
}

static bool converged(void)
{
	for (unsigned i = 0; i < MEMBERS; i++) {
		if (scn_view_epoch(&view[i]) != scn_view_epoch(&view[0]) ||
		    !scn_view_consistent(&view[i]))
			return false;
		for (unsigned k = 0; k < PER; k++)
			if (offer[i][k] != computed[i][k])
				return false;
	}
	return true;
}

/* Periods until converged and stable for two more, or -1. */
static int settle(unsigned max)
{
	for (unsigned p = 1; p <= max; p++) {
		period();
		if (converged()) {
			period();
			period();
			if (converged())
				return (int)p;
		}
	}
	return -1;
}

int main(void)
{
	double t0, t1;
	unsigned n_periods = 0;
	int p;

	setup();
	/* 100 of the 128 sockets in use from the start. */
	for (unsigned i = 0; i < MEMBERS; i++)
		for (unsigned k = 0; k < PER; k++)
			ann[i].sock[k].in_use = PER * i + k < 100;

	t0 = cpu_ns();
	p = settle(200);
	n_periods += 200;
	printf("start, 100 sockets in use: converged after %d periods\n", p);
	for (unsigned q = 0; q < 70; q++)
		period();
	n_periods += 70;

	worst_sum = 0;
	ann[55].sock[0].in_use = true;		/* socket 110 */
	p = settle(200);
	printf("plug socket 110: converged after %d periods\n", p);
	for (unsigned q = 0; q < 70; q++)
		period();
	ann[10].sock[1].in_use = false;		/* socket 21 */
	p = settle(200);
	printf("unplug socket 21: converged after %d periods\n", p);
	printf("largest per-phase sum of offers: %.1f A of %.1f A\n",
	       worst_sum / 1000.0, BUDGET_MA / 1000.0);
	t1 = cpu_ns();
	n_periods = (unsigned)(now_ms / 1000);
	printf("CPU per period per member (64 members, 128 sockets, all hearing all): "
	       "%.1f us\n", (t1 - t0) / 1e3 / n_periods / MEMBERS);
	return worst_sum > BUDGET_MA;
}
