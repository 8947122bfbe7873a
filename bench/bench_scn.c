/*
 * bench_scn.c - a Smart Charging Network of 128 sockets on 64 simulated
 * members in one process (docs/scn.md "Who decides").  The allocator (the
 * lowest member id) keeps the view, fed every member's announcement each
 * period, runs the balancing engine and the allocator's rule
 * (station/scn/alloc.c); every member applies its sockets' shares from the
 * allocator's frame, encoded and decoded as on the wire.  Prints the
 * periods to convergence after a plug (every offer at the engine's target
 * and stable), the largest sum of offers seen against the budget, the
 * allocator's CPU time per period and the size of its frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/scn/alloc.h"
#include "station/scn/frame.h"
#include "station/scn/view.h"

#define MEMBERS 64
#define PER 2
#define BUDGET_MA 400000	/* SCN-TotalStaticCurrent: 400 A per phase */

static struct scn_config cfg;
static struct scn_view view;		/* the allocator's */
static struct sc_balance_state bst;
static struct scn_alloc_state ast;
static unsigned alloc_idx;
static uint32_t applied_seq[MEMBERS];
static int frame_len;
static double alloc_ns;
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
	scn_view_init(&view, &cfg);
	sc_balance_init(&bst);
	scn_alloc_init(&ast);
	for (unsigned i = 0; i < MEMBERS; i++) {
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
		if (ann[i].member < ann[alloc_idx].member)
			alloc_idx = i;
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
	struct scn_announce *al = &ann[alloc_idx], got;
	uint8_t buf[SCN_FRAME_MAX_LEN];
	uint16_t lost[CP_MAX_SCN_SOCKETS];
	double t0 = cpu_ns();

	/* The allocator: its view, the engine, the rule, its frame. */
	scn_view_expire(&view, cp_mono(now_ms), lost);
	al->seq++;
	scn_view_self(&view, al, cp_mono(now_ms));
	scn_view_balance_input(&view, &cfg, &in);
	sc_balance_step(&bst, &in, cp_mono(now_ms), &out);
	scn_alloc(&ast, &view, out.setpoint_ma, in.n_sockets, al);
	frame_len = scn_frame_encode(al, NULL, buf, sizeof(buf));
	alloc_ns += cpu_ns() - t0;
	if (frame_len < 0 || scn_frame_decode(buf, (size_t)frame_len, NULL, &got, NULL) < 0)
		return;
	/* Every member applies its shares and announces them. */
	for (unsigned i = 0; i < MEMBERS; i++) {
		for (unsigned k = 0; k < PER; k++) {
			struct scn_socket_info *s = &ann[i].sock[k];
			int32_t o = 0;

			for (unsigned j = 0; j < got.n_alloc; j++)
				if (got.alloc[j].id == s->id)
					o = got.alloc[j].ma;
			computed[i][k] = out.setpoint_ma[s->id];
			for (unsigned p = 0; p < SC_PHASES; p++)
				s->draw_ma[p] = s->in_use ? offer[i][k] : 0;
			offer[i][k] = s->in_use ? o : 0;
			s->setpoint_ma = offer[i][k];
		}
		applied_seq[i] = got.seq;
		if (i == alloc_idx)
			continue;
		ann[i].epoch = applied_seq[i];
		ann[i].seq++;
		scn_view_heard(&view, &ann[i], cp_mono(now_ms + 5));
	}
	if (offers_sum() > worst_sum)
		worst_sum = offers_sum();
	now_ms += 1000;
}

static bool converged(void)
{
	for (unsigned i = 0; i < MEMBERS; i++)
		for (unsigned k = 0; k < PER; k++)
			if (ann[i].sock[k].in_use && offer[i][k] != computed[i][k])
				return false;
	return true;
}

/* Periods until every offer is at its target and stays there for three
 * more periods (the first of those counted), or -1. */
static int settle(unsigned max)
{
	unsigned stable = 0, from = 0;

	for (unsigned p = 1; p <= max; p++) {
		period();
		if (!converged()) {
			stable = 0;
			continue;
		}
		if (stable++ == 0)
			from = p;
		if (stable == 4)
			return (int)from;
	}
	return -1;
}

int main(void)
{
	unsigned n_periods = 0;
	int p;

	setup();
	/* 100 of the 128 sockets in use from the start. */
	for (unsigned i = 0; i < MEMBERS; i++)
		for (unsigned k = 0; k < PER; k++)
			ann[i].sock[k].in_use = PER * i + k < 100;

	p = settle(200);
	n_periods += 200;
	printf("start, 100 sockets in use: converged after %d periods (offers %.1f A per phase at most)\n",
	       p, offers_sum() / 1000.0);
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
	n_periods = (unsigned)(now_ms / 1000);
	printf("allocator CPU per period (engine, rule, frame; 128 sockets): %.1f us\n",
	       alloc_ns / 1e3 / n_periods);
	printf("allocator frame: %d bytes (%d with an HMAC tag)\n", frame_len,
	       frame_len + SCN_FRAME_TAG_LEN);
	return worst_sum > BUDGET_MA;
}
