/*
 * test_scn_view.c - the Smart Charging Network view (docs/scn.md): the
 * allocation vectors of docs/balancing.md run through the real balancing
 * engine on the input the view builds, phase-mapped sharing across
 * stations, the epoch rule for raising, loss and rejoin, duplicate socket
 * IDs, isolation.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "station/scn/view.h"

#define A(x) ((int32_t)((x) * 1000))
#define S(x) ((int64_t)(x) * 1000)

static struct scn_config cfg;

static void config(double total_a)
{
	scn_config_default(&cfg);
	strcpy(cfg.network, "NET1");
	cfg.total_static_ma = A(total_a);
	cfg.total_safe_ma = A(total_a);
	cfg.peer_timeout_ms = S(5);
	/* Chameleon-MinCurrent 6 A: probing does not change the picture. */
	cfg.probe_ma = A(6);
}

/* A member with `n` sockets from `first_id`, Station-MaxCurrent 32 A,
 * three-phase L1L2L3 sockets of 32 A, nothing plugged. */
static void member(struct scn_announce *a, uint32_t id, uint16_t first_id, unsigned n)
{
	memset(a, 0, sizeof(*a));
	strcpy(a->network, "NET1");
	a->member = id;
	a->station_max_ma = A(32);
	a->n_sockets = (uint8_t)n;
	for (unsigned k = 0; k < n; k++)
		a->sock[k] = (struct scn_socket_info){
			.id = (uint16_t)(first_id + k), .phase_map = SC_ORDER_L1L2L3,
			.ev_phases = 3, .min_ma = A(6), .max_ma = A(32) };
}

static void plug(struct scn_announce *a, unsigned k, uint8_t ev_phases)
{
	a->sock[k].in_use = true;
	a->sock[k].ev_phases = ev_phases;
}

/* ------------------------------------------------ a one-view harness */

static struct scn_view view;
static struct sc_balance_state st;
static struct sc_balance_input in;
static struct sc_balance_output out;

/* The view of the member `self_i` of `n`, everyone heard at `now`; then
 * one engine step.  EVs draw what they were offered at the last step. */
static void view_step(struct scn_announce *m, unsigned n, unsigned self_i, int64_t now_ms)
{
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < m[i].n_sockets; k++) {
			int32_t sp = out.setpoint_ma[m[i].sock[k].id];

			for (unsigned p = 0; p < SC_PHASES; p++)
				m[i].sock[k].draw_ma[p] = m[i].sock[k].in_use ? sp : 0;
		}
		if (i == self_i)
			assert_int_equal(scn_view_self(&view, &m[i], cp_mono(now_ms)), 0);
		else
			assert_int_equal(scn_view_heard(&view, &m[i], cp_mono(now_ms)), 0);
	}
	assert_int_equal(scn_view_balance_input(&view, &cfg, &in), 0);
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(now_ms), &out), 0);
}

static void view_reset(void)
{
	assert_int_equal(scn_view_init(&view, &cfg), 0);
	sc_balance_init(&st);
	memset(&out, 0, sizeof(out));
}

static void expect_sp(unsigned id, double amps)
{
	if (out.setpoint_ma[id] != A(amps))
		print_error("socket %u: %d mA (%s), expected %d mA\n", id, out.setpoint_ma[id],
			    sc_balance_reason_name(out.reason[id]), A(amps));
	assert_int_equal(out.setpoint_ma[id], A(amps));
}

/* docs/balancing.md: 40 A over four sockets in use on three stations; the
 * dual-socket station's two sockets get a share each. */
static void test_forty_amps_three_stations(void **state)
{
	struct scn_announce m[3];

	(void)state;
	config(40);
	view_reset();
	member(&m[0], 0x100, 0, 2);
	member(&m[1], 0x200, 2, 1);
	member(&m[2], 0x300, 3, 1);
	plug(&m[0], 0, 3);
	plug(&m[0], 1, 3);
	plug(&m[1], 0, 3);
	plug(&m[2], 0, 3);
	view_step(m, 3, 1, 0);
	view_step(m, 3, 1, S(61));
	view_step(m, 3, 1, S(62));
	expect_sp(0, 10);
	expect_sp(1, 10);
	expect_sp(2, 10);
	expect_sp(3, 10);
	assert_int_equal(scn_view_members(&view), 3);
	assert_int_equal(scn_view_state(&view), SCN_VIEW_JOINED);
	/* Three station nodes under the network. */
	assert_int_equal(in.n_budgets, 4);
	assert_int_equal(in.budget[0].max_ma[0], A(40));

	/* Unplug the single-socket stations: the dual one is limited by its
	 * own Station-MaxCurrent of 32 A: 16 + 16. */
	m[1].sock[0].in_use = false;
	m[2].sock[0].in_use = false;
	view_step(m, 3, 1, S(70));
	expect_sp(0, 16);
	expect_sp(1, 16);
	expect_sp(2, 0);
}

/* docs/balancing.md: 24 A over six sockets in use alternates in pairs,
 * lowest IDs first, across three members. */
static void test_alternating_across_members(void **state)
{
	static const unsigned paused[4][2] = { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 0, 1 } };
	struct scn_announce m[3];

	(void)state;
	config(24);
	view_reset();
	for (unsigned i = 0; i < 3; i++) {
		member(&m[i], 0x10 + i, (uint16_t)(2 * i), 2);
		plug(&m[i], 0, 3);
		plug(&m[i], 1, 3);
	}
	for (unsigned p = 0; p < 4; p++) {
		int64_t t0 = S(900) * p;

		view_step(m, 3, 2, t0);
		view_step(m, 3, 2, t0 + S(61));
		print_message("period %u\n", p + 1);
		for (unsigned id = 0; id < 6; id++) {
			bool is_paused = id == paused[p][0] || id == paused[p][1];

			expect_sp(id, is_paused ? 0 : 6);
			if (is_paused)
				assert_int_equal(out.reason[id], SC_BALANCE_ALTERNATING);
		}
	}
}

/* Single-phase EVs on different grid phases do not compete; a three-phase
 * EV competes with each of them; a two-phase EV with two. */
static void test_phase_mapped_sharing(void **state)
{
	struct scn_announce m[4];

	(void)state;
	config(16);
	view_reset();
	member(&m[0], 1, 0, 1);
	member(&m[1], 2, 1, 1);
	member(&m[2], 3, 2, 1);
	member(&m[3], 4, 3, 1);
	m[0].sock[0].phase_map = SC_ORDER_L1;
	m[1].sock[0].phase_map = SC_ORDER_L2;
	/* A three-phase socket wired L3L2L1: a one-phase EV draws on L3. */
	m[2].sock[0].phase_map = SC_ORDER_L3L2L1;
	plug(&m[0], 0, 1);
	plug(&m[1], 0, 1);
	plug(&m[2], 0, 1);
	view_step(m, 4, 0, 0);
	view_step(m, 4, 0, S(61));
	expect_sp(0, 16);
	expect_sp(1, 16);
	expect_sp(2, 16);
	assert_int_equal(in.socket[2].phases, SC_PHASE_L3);

	/* A three-phase EV: 8 A each on every phase. */
	plug(&m[3], 0, 3);
	view_step(m, 4, 0, S(62));
	view_step(m, 4, 0, S(130));
	expect_sp(0, 8);
	expect_sp(1, 8);
	expect_sp(2, 8);
	expect_sp(3, 8);

	/* Instead a two-phase EV on a socket wired L2L3L1: L2 and L3. */
	m[3].sock[0].in_use = false;
	view_step(m, 4, 0, S(140));
	m[3].sock[0].phase_map = SC_ORDER_L2L3L1;
	plug(&m[3], 0, 2);
	view_step(m, 4, 0, S(141));
	view_step(m, 4, 0, S(210));
	assert_int_equal(in.socket[3].phases, SC_PHASE_L2 | SC_PHASE_L3);
	expect_sp(0, 16);
	expect_sp(1, 8);
	expect_sp(2, 8);
	expect_sp(3, 8);
}

/* Under SCN-TotalSafeCurrent (a budget source lost its meter) the lowest
 * IDs are served first; the engine's serve_low_ids_first does it. */
static void test_safe_budget_serves_low_ids(void **state)
{
	struct scn_announce m[2];

	(void)state;
	config(40);
	cfg.total_safe_ma = A(12);
	view_reset();
	member(&m[0], 1, 0, 2);
	member(&m[1], 2, 2, 2);
	for (unsigned k = 0; k < 2; k++) {
		plug(&m[0], k, 3);
		plug(&m[1], k, 3);
	}
	m[1].has_budget = true;
	m[1].budget_ma[0] = m[1].budget_ma[1] = m[1].budget_ma[2] = A(30);
	view_step(m, 2, 0, 0);
	view_step(m, 2, 0, S(61));
	assert_false(in.cfg.serve_low_ids_first);
	assert_int_equal(in.budget[0].max_ma[1], A(30));	/* the meter's budget */
	expect_sp(0, 7.5);

	m[1].budget_safe = true;
	view_step(m, 2, 0, S(62));
	view_step(m, 2, 0, S(2000));
	assert_true(in.cfg.serve_low_ids_first);
	assert_int_equal(in.budget[0].max_ma[1], A(12));
	expect_sp(0, 6);
	expect_sp(1, 6);
	expect_sp(2, 0);
	expect_sp(3, 0);
}

/* ----------------------------------------- a whole network, one view each */

#define NET_MAX 8

struct sim {
	unsigned n;
	int64_t now;
	bool up[NET_MAX];
	struct scn_announce ann[NET_MAX];		/* what each sends */
	struct scn_view v[NET_MAX];
	struct sc_balance_state st[NET_MAX];
	struct sc_balance_input in;
	struct sc_balance_output out;
	int32_t offer[NET_MAX][CP_MAX_CONNECTORS];	/* applied */
	int32_t computed[NET_MAX][CP_MAX_CONNECTORS];
};

static struct sim net;

static void net_init(unsigned n)
{
	memset(&net, 0, sizeof(net));
	net.n = n;
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(scn_view_init(&net.v[i], &cfg), 0);
		sc_balance_init(&net.st[i]);
		net.up[i] = true;
	}
}

/* One announcement period: each member that is up takes its own state,
 * runs the engine on its view, applies through the rule, then sends; then
 * every announcement reaches every other member that is up.  EVs draw the
 * offer of the previous period. */
static void net_period(void)
{
	for (unsigned i = 0; i < net.n; i++) {
		struct scn_announce *a = &net.ann[i];
		uint16_t lost[CP_MAX_SCN_SOCKETS];

		if (!net.up[i])
			continue;
		scn_view_expire(&net.v[i], cp_mono(net.now), lost);
		assert_int_equal(scn_view_balance_input(&net.v[i], &cfg, &net.in), 0);
		assert_int_equal(sc_balance_step(&net.st[i], &net.in, cp_mono(net.now),
						 &net.out), 0);
		scn_view_decided(&net.v[i], &net.out);
		for (unsigned k = 0; k < a->n_sockets; k++) {
			int32_t sp = net.out.setpoint_ma[a->sock[k].id], o;
			int rc = scn_view_apply(&net.v[i], a->sock[k].id, sp, net.offer[i][k],
						cp_mono(net.now), &o);

			assert_true(rc == 0 || rc == -ENOENT);
			for (unsigned p = 0; p < SC_PHASES; p++)
				a->sock[k].draw_ma[p] = a->sock[k].in_use ? net.offer[i][k] : 0;
			net.computed[i][k] = sp;
			net.offer[i][k] = a->sock[k].in_use ? o : 0;
			a->sock[k].setpoint_ma = net.offer[i][k];
		}
		a->epoch = scn_view_epoch(&net.v[i]);
		a->seq++;
		assert_int_equal(scn_view_self(&net.v[i], a, cp_mono(net.now)), 0);
	}
	for (unsigned i = 0; i < net.n; i++)
		for (unsigned j = 0; j < net.n; j++)
			if (i != j && net.up[i] && net.up[j])
				assert_int_equal(scn_view_heard(&net.v[j], &net.ann[i],
								cp_mono(net.now + 10)), 0);
	net.now += 1000;
}

/* Sum of the offers on grid phase L1 (all sockets here are three-phase). */
static int32_t net_sum(void)
{
	int32_t sum = 0;

	for (unsigned i = 0; i < net.n; i++)
		for (unsigned k = 0; k < net.ann[i].n_sockets; k++)
			sum += net.offer[i][k];
	return sum;
}

static void net_dump(void)
{
	for (unsigned i = 0; i < net.n; i++) {
		print_message("t=%lld m%u up=%d epoch=%08x cons=%d state=%s:", (long long)net.now, i,
			      net.up[i], scn_view_epoch(&net.v[i]), scn_view_consistent(&net.v[i]),
			      scn_view_state_name(scn_view_state(&net.v[i])));
		for (unsigned k = 0; k < net.ann[i].n_sockets; k++)
			print_message(" [%u] %d/%d", net.ann[i].sock[k].id, net.offer[i][k],
				      net.computed[i][k]);
		print_message("\n");
	}
}

static bool net_converged(void)
{
	uint32_t e = 0;

	for (unsigned i = 0; i < net.n; i++) {
		if (!net.up[i])
			continue;
		if (e == 0)
			e = scn_view_epoch(&net.v[i]);
		if (scn_view_epoch(&net.v[i]) != e || !scn_view_consistent(&net.v[i]))
			return false;
		for (unsigned k = 0; k < net.ann[i].n_sockets; k++)
			if (net.ann[i].sock[k].in_use && net.offer[i][k] != net.computed[i][k])
				return false;
	}
	return true;
}

/* Runs periods until converged (at most `max`); returns how many. */
static unsigned net_settle(unsigned max, int32_t budget_ma)
{
	for (unsigned p = 1; p <= max; p++) {
		net_period();
		assert_true(net_sum() <= budget_ma);
		if (net_converged())
			return p;
	}
	net_dump();
	fail_msg("not converged in %u periods", max);
	return 0;
}

/* Two views with different epochs: no one raises; lowering still applies;
 * once both announce the same epoch, the raise goes through.  The same view
 * with a different decision is a different epoch. */
static void test_raise_needs_consistent_epochs(void **state)
{
	static struct sc_balance_output d1, d2;
	struct scn_announce a, b;
	struct scn_view va, vb;
	int32_t o;

	(void)state;
	config(32);
	member(&a, 1, 0, 1);
	member(&b, 2, 1, 1);
	plug(&b, 0, 3);
	d1.setpoint_ma[0] = A(0);
	d1.setpoint_ma[1] = A(16);
	d2 = d1;
	d2.setpoint_ma[0] = A(6);
	assert_int_equal(scn_view_init(&va, &cfg), 0);
	assert_int_equal(scn_view_init(&vb, &cfg), 0);
	assert_int_equal(scn_view_self(&va, &a, cp_mono(0)), 0);
	assert_int_equal(scn_view_self(&vb, &b, cp_mono(0)), 0);

	/* B hears A, A does not hear B yet. */
	assert_int_equal(scn_view_heard(&vb, &a, cp_mono(10)), 0);
	assert_false(scn_view_consistent(&vb));		/* not decided yet */
	scn_view_decided(&vb, &d1);
	assert_false(scn_view_consistent(&vb));
	assert_int_equal(scn_view_apply(&vb, 1, A(16), A(6), cp_mono(20), &o), 0);
	assert_int_equal(o, A(6));		/* no raise */
	assert_int_equal(scn_view_apply(&vb, 1, A(4), A(6), cp_mono(20), &o), 0);
	assert_int_equal(o, A(4));		/* lowering at once */
	b.epoch = scn_view_epoch(&vb);
	assert_int_equal(scn_view_self(&vb, &b, cp_mono(20)), 0);

	/* A hears B and decides the same: the same epoch; A announces it. */
	assert_int_equal(scn_view_heard(&va, &b, cp_mono(1000)), 0);
	scn_view_decided(&va, &d1);
	assert_int_equal(scn_view_epoch(&va), scn_view_epoch(&vb));
	assert_false(scn_view_consistent(&va));	/* we have not announced it yet */
	a.epoch = scn_view_epoch(&va);
	assert_int_equal(scn_view_self(&va, &a, cp_mono(1000)), 0);
	assert_true(scn_view_consistent(&va));
	assert_false(scn_view_consistent(&vb));	/* B has not heard it yet */
	assert_int_equal(scn_view_heard(&vb, &a, cp_mono(1010)), 0);
	assert_true(scn_view_consistent(&vb));
	assert_int_equal(scn_view_apply(&vb, 1, A(16), A(6), cp_mono(1020), &o), 0);
	assert_int_equal(o, A(16));
	/* Not B's socket to set. */
	assert_int_equal(scn_view_apply(&vb, 0, A(16), A(6), cp_mono(1020), &o), -ENOENT);
	assert_int_equal(o, A(6));
	/* A peer overdue but not yet expired: no raise on a stale view. */
	assert_int_equal(scn_view_apply(&vb, 1, A(16), A(6), cp_mono(1010 + S(5)), &o), 0);
	assert_int_equal(o, A(6));

	/* Same view, another decision (another engine history): no raise. */
	scn_view_decided(&va, &d2);
	assert_int_not_equal(scn_view_epoch(&va), scn_view_epoch(&vb));
	assert_false(scn_view_consistent(&va));
	/* A view change undoes the decision until the next one. */
	scn_view_decided(&vb, &d1);
	assert_true(scn_view_consistent(&vb));
	plug(&a, 0, 1);
	assert_int_equal(scn_view_heard(&vb, &a, cp_mono(1030)), 0);
	assert_false(scn_view_consistent(&vb));
}

/* A plug on a running network: the sum never exceeds the budget on the
 * way, and the network settles on the engine's shares in a few periods. */
static void test_network_converges_under_budget(void **state)
{
	unsigned periods;

	(void)state;
	config(32);
	net_init(4);
	for (unsigned i = 0; i < 4; i++) {
		member(&net.ann[i], 0x1000 + i, (uint16_t)(2 * i), 2);
		plug(&net.ann[i], 0, 3);
	}
	/* Past the probing minute. */
	for (unsigned p = 0; p < 70; p++) {
		net_period();
		if (net_sum() > A(32))
			net_dump();
		assert_true(net_sum() <= A(32));
	}
	assert_true(net_converged());
	assert_int_equal(net.offer[0][0], A(8));

	plug(&net.ann[3], 1, 3);
	periods = net_settle(100, A(32));
	print_message("converged after the plug in %u periods\n", periods);
	assert_true(periods <= 4);
	assert_int_equal(net.offer[3][1], A(6));	/* probing at 6 A */
	for (unsigned p = 0; p < 70; p++)
		net_period();
	assert_true(net_converged());
	assert_int_equal(net.offer[0][0], A(6.4));
	assert_int_equal(net.offer[3][1], A(6.4));
}

/* A member goes silent: after SCN-PeerTimeout it leaves the view, its
 * sockets' safe current stays reserved on their phases, the others share
 * what is left.  It comes back: the views agree again within a few
 * periods. */
static void test_loss_and_rejoin(void **state)
{
	uint16_t lost[CP_MAX_SCN_SOCKETS];
	unsigned periods;

	(void)state;
	config(32);
	net_init(3);
	for (unsigned i = 0; i < 3; i++) {
		member(&net.ann[i], 0x20 + i, (uint16_t)(2 * i), 2);
		plug(&net.ann[i], 0, 3);
	}
	net.ann[2].sock[1].phase_map = SC_ORDER_L2;	/* a one-phase cable */
	for (unsigned p = 0; p < 70; p++)
		net_period();
	assert_true(net_converged());
	assert_int_equal(net.offer[0][0], A(32.0 / 3));

	net.up[2] = false;
	for (unsigned p = 0; p < 4; p++)
		net_period();
	assert_int_equal(scn_view_members(&net.v[0]), 3);	/* not yet */
	assert_int_equal(scn_view_next_deadline(&net.v[0]).ms, S(69) + 10 + S(5));
	for (unsigned p = 0; p < 3; p++)
		net_period();
	assert_int_equal(scn_view_members(&net.v[0]), 2);
	assert_int_equal(scn_view_members(&net.v[1]), 2);
	assert_int_equal(scn_view_state(&net.v[0]), SCN_VIEW_JOINED);
	/* Reserved: 6 A on every phase for socket 4 (L1L2L3), 6 A more on
	 * L2 for socket 5. */
	assert_int_equal(scn_view_balance_input(&net.v[0], &cfg, &net.in), 0);
	assert_int_equal(net.in.budget[0].max_ma[0], A(26));
	assert_int_equal(net.in.budget[0].max_ma[1], A(20));
	assert_int_equal(net.in.budget[0].max_ma[2], A(26));
	assert_false(net.in.socket[4].in_use);
	for (unsigned p = 0; p < 5; p++)
		net_period();
	assert_true(net_converged());
	assert_int_equal(net.offer[0][0], A(10));	/* 20 A on L2 over two */
	assert_int_equal(net.offer[1][0], A(10));
	/* Nothing more to report after the first time. */
	assert_int_equal(scn_view_expire(&net.v[0], cp_mono(net.now), lost), 0);

	/* Back: its engine saw the others' sessions end while it was
	 * isolated, so it probes them again for a minute and decides
	 * otherwise meanwhile; nobody raises on that, the sum holds, and the
	 * epochs agree once the probes end. */
	net.up[2] = true;
	periods = net_settle(70, A(32));
	print_message("rejoined: converged in %u periods\n", periods);
	assert_true(periods <= 63);
	assert_int_equal(scn_view_members(&net.v[0]), 3);
	for (unsigned p = 0; p < 3; p++)
		net_period();
	assert_int_equal(net.offer[0][0], A(32.0 / 3));
	assert_int_equal(net.offer[2][0], A(32.0 / 3));
}

/* The lost-socket report, and a member that comes back under a new member
 * ID (it restarted): its old reservation ends. */
static void test_lost_report_and_restart(void **state)
{
	struct scn_announce a, b, c;
	uint16_t lost[CP_MAX_SCN_SOCKETS];

	(void)state;
	config(32);
	view_reset();
	member(&a, 1, 0, 1);
	member(&b, 2, 5, 2);
	member(&c, 9, 1, 1);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&view, &c, cp_mono(S(3))), 0);
	assert_int_equal(scn_view_expire(&view, cp_mono(S(5) - 1), lost), 0);
	assert_int_equal(scn_view_expire(&view, cp_mono(S(5)), lost), 2);
	assert_int_equal(lost[0], 5);
	assert_int_equal(lost[1], 6);
	assert_int_equal(scn_view_balance_input(&view, &cfg, &in), 0);
	assert_int_equal(in.budget[0].max_ma[0], A(20));

	b.member = 3;
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(S(6))), 0);
	assert_int_equal(scn_view_members(&view), 3);
	assert_int_equal(scn_view_balance_input(&view, &cfg, &in), 0);
	assert_int_equal(in.budget[0].max_ma[0], A(32));
}

/* Sockets of SCN-SocketCount the view has never heard of may draw their
 * safe current too. */
static void test_unknown_sockets_reserved(void **state)
{
	struct scn_announce a;

	(void)state;
	config(32);
	cfg.socket_count = 4;
	view_reset();
	member(&a, 1, 0, 2);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(0)), 0);
	assert_int_equal(scn_view_balance_input(&view, &cfg, &in), 0);
	assert_int_equal(in.budget[0].max_ma[0], A(20));
	assert_int_equal(scn_view_state(&view), SCN_VIEW_ALONE);
}

/* Two members announce socket ID 1: the one heard first keeps it, the
 * other's socket takes no share and is reported. */
static void test_duplicate_socket_id_refused(void **state)
{
	struct scn_announce m[3];
	const struct scn_refusal *r;
	unsigned n;

	(void)state;
	config(30);
	view_reset();
	member(&m[0], 0x10, 0, 1);
	member(&m[1], 0x30, 1, 1);
	member(&m[2], 0x20, 1, 1);	/* lower member ID, heard later */
	for (unsigned i = 0; i < 3; i++)
		plug(&m[i], 0, 3);
	view_step(m, 3, 0, 0);
	r = scn_view_refused(&view, &n);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].id, 1);
	assert_int_equal(r[0].member, 0x20);
	assert_int_equal(r[0].holder, 0x30);
	view_step(m, 3, 0, S(61));
	expect_sp(0, 15);
	expect_sp(1, 15);
	assert_int_equal(in.n_budgets, 3);	/* no node for the refused one */

	/* A refused socket is not the refused member's to raise either. */
	{
		struct scn_view v2;
		int32_t o;

		assert_int_equal(scn_view_init(&v2, &cfg), 0);
		assert_int_equal(scn_view_heard(&v2, &m[1], cp_mono(0)), 0);
		assert_int_equal(scn_view_self(&v2, &m[2], cp_mono(0)), 0);
		assert_int_equal(scn_view_apply(&v2, 1, A(10), A(6), cp_mono(0), &o), -ENOENT);
		assert_int_equal(o, A(6));
	}
}

/* Every peer silent: isolated, each of our sockets at most its safe
 * current; a peer heard again ends it. */
static void test_isolation(void **state)
{
	struct scn_announce a, b;
	uint16_t lost[CP_MAX_SCN_SOCKETS];
	int32_t o;

	(void)state;
	config(32);
	cfg.socket_safe_ma = A(8);
	view_reset();
	member(&a, 1, 0, 2);
	member(&b, 2, 2, 1);
	plug(&a, 0, 3);
	plug(&a, 1, 3);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(0)), 0);
	assert_int_equal(scn_view_state(&view), SCN_VIEW_ALONE);
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), 0);
	assert_int_equal(scn_view_state(&view), SCN_VIEW_JOINED);
	assert_int_equal(scn_view_expire(&view, cp_mono(S(5)), lost), 1);
	assert_int_equal(lost[0], 2);
	assert_int_equal(scn_view_state(&view), SCN_VIEW_ISOLATED);
	assert_string_equal(scn_view_state_name(scn_view_state(&view)), "isolated");

	sc_balance_init(&st);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(S(6))), 0);
	assert_int_equal(scn_view_balance_input(&view, &cfg, &in), 0);
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(6)), &out), 0);
	assert_int_equal(sc_balance_step(&st, &in, cp_mono(S(70)), &out), 0);
	expect_sp(0, 8);
	expect_sp(1, 8);
	assert_false(in.socket[2].in_use);
	/* Alone in the view: our own epoch is the only one; raising to the
	 * safe current is allowed once we have announced it. */
	scn_view_decided(&view, &out);
	a.epoch = scn_view_epoch(&view);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(S(70))), 0);
	assert_int_equal(scn_view_apply(&view, 0, A(8), A(0), cp_mono(S(70)), &o), 0);
	assert_int_equal(o, A(8));

	assert_int_equal(scn_view_heard(&view, &b, cp_mono(S(71))), 0);
	assert_int_equal(scn_view_state(&view), SCN_VIEW_JOINED);
}

/* What the caller should filter anyway. */
static void test_rejects(void **state)
{
	struct scn_announce a, b;

	(void)state;
	config(32);
	view_reset();
	member(&a, 1, 0, 1);
	assert_int_equal(scn_view_self(&view, &a, cp_mono(0)), 0);
	member(&b, 2, 1, 1);
	strcpy(b.network, "OTHER");
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), -ENOENT);
	assert_int_equal(scn_view_heard(&view, &a, cp_mono(0)), -ENOENT);	/* our echo */
	member(&b, 2, 1, 1);
	b.n_sockets = CP_MAX_CONNECTORS + 1;
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), -EINVAL);
	member(&b, 2, 1, 1);
	b.sock[0].phase_map = 10;
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), -EINVAL);
	memset(b.network, 'A', sizeof(b.network));	/* no NUL */
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), -ENOENT);
	assert_int_equal(scn_view_members(&view), 1);

	/* An ID out of range is refused, not used as an index. */
	member(&b, 2, CP_MAX_SCN_SOCKETS, 1);
	assert_int_equal(scn_view_heard(&view, &b, cp_mono(0)), 0);
	{
		unsigned n;
		const struct scn_refusal *r = scn_view_refused(&view, &n);

		assert_int_equal(n, 1);
		assert_int_equal(r[0].id, CP_MAX_SCN_SOCKETS);
	}
}

/* Same announcements in another order: the same epoch. */
static void test_epoch_is_order_independent(void **state)
{
	struct scn_announce m[3];
	static const struct sc_balance_output out0;
	struct scn_view v1, v2;

	(void)state;
	config(32);
	for (unsigned i = 0; i < 3; i++)
		member(&m[i], 7 + i * 3, (uint16_t)i, 1);
	plug(&m[1], 0, 1);
	assert_int_equal(scn_view_init(&v1, &cfg), 0);
	assert_int_equal(scn_view_init(&v2, &cfg), 0);
	assert_int_equal(scn_view_self(&v1, &m[0], cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&v1, &m[1], cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&v1, &m[2], cp_mono(0)), 0);
	assert_int_equal(scn_view_self(&v2, &m[2], cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&v2, &m[1], cp_mono(0)), 0);
	assert_int_equal(scn_view_heard(&v2, &m[0], cp_mono(0)), 0);
	scn_view_decided(&v1, &out0);
	scn_view_decided(&v2, &out0);
	assert_int_equal(scn_view_epoch(&v1), scn_view_epoch(&v2));

	/* A plug changes it; a change of current does not. */
	uint32_t e = scn_view_epoch(&v1);

	m[1].sock[0].draw_ma[0] = A(10);
	assert_int_equal(scn_view_heard(&v1, &m[1], cp_mono(1)), 0);
	scn_view_decided(&v1, &out0);
	assert_int_equal(scn_view_epoch(&v1), e);
	plug(&m[2], 0, 3);
	assert_int_equal(scn_view_heard(&v1, &m[2], cp_mono(1)), 0);
	scn_view_decided(&v1, &out0);
	assert_int_not_equal(scn_view_epoch(&v1), e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forty_amps_three_stations),
		cmocka_unit_test(test_alternating_across_members),
		cmocka_unit_test(test_phase_mapped_sharing),
		cmocka_unit_test(test_safe_budget_serves_low_ids),
		cmocka_unit_test(test_raise_needs_consistent_epochs),
		cmocka_unit_test(test_network_converges_under_budget),
		cmocka_unit_test(test_loss_and_rejoin),
		cmocka_unit_test(test_lost_report_and_restart),
		cmocka_unit_test(test_unknown_sockets_reserved),
		cmocka_unit_test(test_duplicate_socket_id_refused),
		cmocka_unit_test(test_isolation),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_epoch_is_order_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
