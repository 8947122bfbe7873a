/*
 * balance.c - sessions, probing, 6/14 A classes, redistribution and
 * alternating around the allocator (see sc_balance.h).
 *
 * A step runs in four parts: validate the input; advance each socket's
 * session (start/end, probe expiry, 14 A check, redistribution); build the
 * allocator request (probing sockets pinned at the probing current, the
 * others between their class minimum and their max, the pause order encoding
 * the alternating rules) or the static split; then record what was decided
 * and when the next timed change falls due.
 */
#include <errno.h>
#include <string.h>

#include "smartcharging/sc_balance.h"

static const char *const reason_names[] = {
	[SC_BALANCE_OFF] = "off",
	[SC_BALANCE_SHARE] = "share",
	[SC_BALANCE_REDUCED] = "reduced",
	[SC_BALANCE_PROBING] = "probing",
	[SC_BALANCE_ALTERNATING] = "alternating",
	[SC_BALANCE_LIMITED] = "limited",
	[SC_BALANCE_BUDGET] = "budget",
};

const char *sc_balance_reason_name(enum sc_balance_reason reason)
{
	if ((unsigned)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "?";
	return reason_names[reason];
}

void sc_balance_config_default(struct sc_balance_config *cfg)
{
	*cfg = (struct sc_balance_config){
		.mode = SC_BALANCE_SHARED,
		/* Chameleon-MinCurrent default: 14 A, so that EVs that need
		 * 14 A can be detected (docs/balancing.md, probing). */
		.probe_ma = 14000,
		.probe_ms = 60 * 1000,          /* "na een minuut" (2.5) */
		.alternating_ms = 900 * 1000,   /* SCN-AlternatingPeriod default */
		.shortfall_ma = 3000,           /* "> 3 A for > 3 minutes" (4.1) */
		.shortfall_ms = 180 * 1000,
		/* Room for the EV to show it wants more: it must be able to draw
		 * visibly above its current draw for us to notice (lift at half
		 * the margin), while 2 A is too little to matter to the others. */
		.margin_ma = 2000,
		/* Below 1 A an EV is not charging: meter noise and the standby
		 * load of an on-board charger stay under it. */
		.draw_on_ma = 1000,
		/* IEC 61851-1 gives an EV 5 s to follow a PWM change; twice that
		 * before deciding that it stopped because the offer was < 14 A. */
		.classify_ms = 10 * 1000,
	};
}

static void balance_reset_socket(struct sc_balance_sock_state *s)
{
	memset(s, 0, sizeof(*s));
	s->shortfall_since.ms = SC_BALANCE_NEVER;
	s->probe_end.ms = SC_BALANCE_NEVER;
	s->check_end.ms = SC_BALANCE_NEVER;
}

void sc_balance_init(struct sc_balance_state *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < CP_MAX_SCN_SOCKETS; i++)
		balance_reset_socket(&st->sock[i]);
	st->alt_next.ms = SC_BALANCE_NEVER;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static void next_at(int64_t *next, int64_t t)
{
	if (t < *next)
		*next = t;
}

static int32_t class_min(const struct sc_balance_sock_state *s)
{
	return s->cls == SC_CLASS_14A ? SC_BALANCE_MIN14_MA : CP_MIN_CHARGE_MA;
}

/* Everything is checked before any state changes, so a bad input leaves
 * the sessions as they were. */
static int balance_check_input(struct sc_balance_state *st, const struct sc_balance_input *in)
{
	const struct sc_balance_config *cfg = &in->cfg;
	struct sc_alloc_request *rq = &st->rq;

	if (in->n_budgets > CP_MAX_SC_BUDGETS || in->n_sockets > CP_MAX_SCN_SOCKETS)
		return -EINVAL;
	if ((cfg->mode != SC_BALANCE_STATIC && cfg->mode != SC_BALANCE_SHARED) ||
	    cfg->probe_ma < CP_MIN_CHARGE_MA || cfg->probe_ms <= 0 ||
	    cfg->alternating_ms <= 0 || cfg->shortfall_ma < 0 || cfg->shortfall_ms < 0 ||
	    cfg->margin_ma < 0 || cfg->draw_on_ma < 0 || cfg->classify_ms < 0)
		return -EINVAL;

	rq->n_budgets = in->n_budgets;
	rq->n_sockets = in->n_sockets;
	rq->n_pause_order = 0;
	memcpy(rq->budget, in->budget, sizeof(in->budget[0]) * in->n_budgets);
	for (unsigned i = 0; i < in->n_sockets; i++) {
		const struct sc_balance_socket_in *si = &in->socket[i];

		if (si->max_ma < 0 || si->draw_ma < 0)
			return -EINVAL;
		/* Static mode counts idle sockets too, so every socket must
		 * name a valid budget node, in use or not. */
		if (si->budget < 0 || si->budget >= in->n_budgets)
			return -EINVAL;
		rq->socket[i] = (struct sc_alloc_socket){
			.active = si->in_use,
			.phases = si->phases,
			.budget = si->budget,
			.min_ma = CP_MIN_CHARGE_MA,
			.max_ma = si->max_ma,
		};
	}
	return sc_alloc_check(rq);
}

/* Session bookkeeping before the allocation: start and end, probe expiry,
 * the 14 A check, redistribution. */
static void balance_advance_socket(struct sc_balance_sock_state *s,
				   const struct sc_balance_socket_in *si,
				   const struct sc_balance_config *cfg, cp_mono_t now)
{
	if (!si->in_use) {
		if (s->session)
			balance_reset_socket(s);
		return;
	}
	if (!s->session) {
		balance_reset_socket(s);
		s->session = true;
		s->served_since = now;
	}
	if (s->probe == SC_PROBE_RUNNING && now.ms >= s->probe_end.ms) {
		s->probe = SC_PROBE_DONE;
		s->probe_end.ms = SC_BALANCE_NEVER;
	}

	if (s->checking) {
		if (s->last_ma < CP_MIN_CHARGE_MA || s->last_ma >= SC_BALANCE_MIN14_MA) {
			/* The offer left the 6..14 A window (paused, or more
			 * current came free): nothing learnt, try again later. */
			s->checking = false;
			s->check_end.ms = SC_BALANCE_NEVER;
		} else if (now.ms >= s->check_end.ms) {
			/* docs/balancing.md: an EV that stopped when offered less than
			 * 14 A needs 14 A; kept for the whole session. */
			s->cls = si->draw_ma < cfg->draw_on_ma ? SC_CLASS_14A : SC_CLASS_6A;
			s->checking = false;
			s->check_end.ms = SC_BALANCE_NEVER;
		}
	}

	if (cfg->mode != SC_BALANCE_SHARED || s->probe != SC_PROBE_DONE ||
	    s->last_ma <= 0 || s->checking) {
		/* Static mode does not redistribute (docs/balancing.md); a paused or
		 * probing socket has no shortfall to measure. */
		s->shortfall_since.ms = SC_BALANCE_NEVER;
		if (s->last_ma <= 0)
			s->reduced = false;
		return;
	}

	if (s->reduced) {
		if (si->draw_ma > s->cap_ma - cfg->margin_ma / 2) {
			/* Using its reduced allocation: it wants more, so it
			 * gets its full share back at this very step. */
			s->reduced = false;
		} else {
			s->cap_ma = si->draw_ma + cfg->margin_ma;
			if (s->cap_ma < class_min(s))
				s->cap_ma = class_min(s);
		}
		return;
	}
	if (s->last_ma - si->draw_ma > cfg->shortfall_ma) {
		if (s->shortfall_since.ms == SC_BALANCE_NEVER)
			s->shortfall_since = now;
		if (now.ms - s->shortfall_since.ms >= cfg->shortfall_ms) {
			/* docs/balancing.md: give what it does not use to the others,
			 * but keep its minimum so that it can resume. */
			s->reduced = true;
			s->shortfall_since.ms = SC_BALANCE_NEVER;
			s->cap_ma = si->draw_ma + cfg->margin_ma;
			if (s->cap_ma < class_min(s))
				s->cap_ma = class_min(s);
		}
	} else {
		s->shortfall_since.ms = SC_BALANCE_NEVER;
	}
}

/*
 * Alternating order, the first paused first (docs/balancing.md, 6.1.1.3):
 *  tier 0  paused in the running period: stays paused (latest-paused first,
 *          so resuming gives back the longest wait first)
 *  tier 1  running: served longest without a pause first, ties lowest ID
 *  tier 2  waiting to probe, lowest ID first
 *  tier 3  probing: others first get less (docs/balancing.md), so it pauses last
 * With serve_low_ids_first (safe current) the order is just highest ID
 * first, so that the lowest IDs are the ones served.
 */
struct pause_key {
	uint8_t tier;
	int64_t t;
	uint16_t id;
	uint16_t idx;
};

static int pause_key_cmp(const struct pause_key *a, const struct pause_key *b)
{
	if (a->tier != b->tier)
		return a->tier < b->tier ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

static void balance_pause_order(struct sc_balance_state *st, const struct sc_balance_input *in)
{
	struct pause_key keys[CP_MAX_SCN_SOCKETS];
	unsigned n = 0;

	for (unsigned i = 0; i < in->n_sockets; i++) {
		const struct sc_balance_sock_state *s = &st->sock[i];
		struct pause_key k = { .id = in->socket[i].id, .idx = (uint16_t)i };

		if (!in->socket[i].in_use)
			continue;
		if (in->cfg.serve_low_ids_first) {
			/* Highest ID pauses first; no history, no rotation. */
			k.t = -(int64_t)in->socket[i].id;
		} else if (s->alt_paused) {
			k.tier = 0;
			k.t = -s->paused_since.ms;
		} else if (s->probe == SC_PROBE_DONE) {
			k.tier = 1;
			k.t = s->served_since.ms;
		} else {
			k.tier = s->probe == SC_PROBE_PENDING ? 2 : 3;
		}
		/* Insertion sort: at most 128 entries, mostly in order already. */
		unsigned j = n++;
		while (j > 0 && pause_key_cmp(&k, &keys[j - 1]) < 0) {
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = k;
	}
	st->rq.n_pause_order = (uint16_t)n;
	for (unsigned j = 0; j < n; j++)
		st->rq.pause_order[j] = keys[j].idx;
}

/* Allocator limits for one in-use socket outside probing. */
static void balance_socket_limits(const struct sc_balance_sock_state *s,
				  const struct sc_balance_socket_in *si,
				  int32_t *min_ma, int32_t *max_ma)
{
	*min_ma = class_min(s);
	*max_ma = s->reduced ? min32(si->max_ma, s->cap_ma) : si->max_ma;
}

/* What the budgets above socket i would give it if it were alone. */
static int32_t balance_alone_cap(const struct sc_balance_input *in, unsigned i)
{
	int32_t cap = INT32_MAX;

	for (int node = in->socket[i].budget; node >= 0; node = in->budget[node].parent)
		for (unsigned p = 0; p < SC_PHASES; p++)
			if (in->socket[i].phases & (1u << p))
				cap = min32(cap, in->budget[node].max_ma[p]);
	return cap;
}

/*
 * SLB/ALB/SCN.  Without a probing socket: one allocation.  With one, the
 * probing sockets have priority (docs/balancing.md) ("other sockets first get less;
 * they pause only if what remains is below their minimum"), so:
 *  pass 1: a probing socket pinned at min(Chameleon-MinCurrent, its max,
 *          what the budgets give it alone), everyone else pinned at its
 *          minimum; the pause order pauses the others first;
 *  pass 2: the probing sockets keep that current, everyone still running
 *          shares the rest.  Pass 2 pauses nobody: the minima fit already.
 * Two probing sockets that do not both fit take turns (the second waits
 * for the first's 60 s) rather than both probing below 14 A, which would
 * hide a 14 A EV.
 */
static int balance_run_shared(struct sc_balance_state *st, const struct sc_balance_input *in)
{
	struct sc_alloc_request *rq = &st->rq;
	uint8_t first[CP_MAX_SCN_SOCKETS];
	bool probing = false;
	int rc;

	for (unsigned i = 0; i < in->n_sockets; i++) {
		const struct sc_balance_sock_state *s = &st->sock[i];
		struct sc_alloc_socket *a = &rq->socket[i];

		if (!in->socket[i].in_use)
			continue;
		balance_socket_limits(s, &in->socket[i], &a->min_ma, &a->max_ma);
		if (s->probe != SC_PROBE_DONE) {
			probing = true;
			a->max_ma = min32(min32(in->cfg.probe_ma, in->socket[i].max_ma),
					  balance_alone_cap(in, i));
			/* Below 6 A it cannot probe: unservable (max < min). */
			a->min_ma = a->max_ma < CP_MIN_CHARGE_MA ? CP_MIN_CHARGE_MA : a->max_ma;
		}
	}
	balance_pause_order(st, in);
	if (!probing)
		return sc_alloc_run(rq, &st->rs);

	for (unsigned i = 0; i < in->n_sockets; i++) {
		struct sc_alloc_socket *a = &rq->socket[i];

		if (in->socket[i].in_use && st->sock[i].probe == SC_PROBE_DONE &&
		    a->max_ma > a->min_ma)
			a->max_ma = a->min_ma;
	}
	rc = sc_alloc_run(rq, &st->rs);
	if (rc != 0)
		return rc;

	for (unsigned i = 0; i < in->n_sockets; i++) {
		struct sc_alloc_socket *a = &rq->socket[i];

		first[i] = st->rs.state[i];
		if (!in->socket[i].in_use)
			continue;
		if (first[i] != SC_ALLOC_RUN) {
			a->active = false;
		} else if (st->sock[i].probe != SC_PROBE_DONE) {
			a->min_ma = a->max_ma = st->rs.setpoint_ma[i];
		} else {
			balance_socket_limits(&st->sock[i], &in->socket[i], &a->min_ma, &a->max_ma);
		}
	}
	rc = sc_alloc_run(rq, &st->rs);
	for (unsigned i = 0; rc == 0 && i < in->n_sockets; i++)
		if (first[i] != SC_ALLOC_RUN)
			st->rs.state[i] = first[i];
	return rc;
}

/* docs/balancing.md: the budget split equally over every socket below it. */
static int32_t balance_static_share(const struct sc_balance_input *in, unsigned i)
{
	int64_t share = INT64_MAX;

	for (int node = in->socket[i].budget; node >= 0; node = in->budget[node].parent) {
		int64_t below = 0, cap = INT64_MAX;

		for (unsigned j = 0; j < in->n_sockets; j++)
			for (int up = in->socket[j].budget; up >= 0; up = in->budget[up].parent)
				if (up == node) {
					below++;
					break;
				}
		for (unsigned p = 0; p < SC_PHASES; p++)
			if ((in->socket[i].phases & (1u << p)) && in->budget[node].max_ma[p] < cap)
				cap = in->budget[node].max_ma[p];
		if (cap != INT64_MAX && below > 0 && cap / below < share)
			share = cap / below;
	}
	return share > INT32_MAX ? INT32_MAX : (int32_t)share;
}

static void balance_run_static(struct sc_balance_state *st, const struct sc_balance_input *in)
{
	for (unsigned i = 0; i < in->n_sockets; i++) {
		int32_t lo, hi, share;

		st->rs.setpoint_ma[i] = 0;
		st->rs.state[i] = SC_ALLOC_OFF;
		if (!in->socket[i].in_use)
			continue;
		balance_socket_limits(&st->sock[i], &in->socket[i], &lo, &hi);
		share = balance_static_share(in, i);
		if (st->sock[i].probe != SC_PROBE_DONE) {
			/* Probing: min(Chameleon-MinCurrent, its limits). */
			lo = CP_MIN_CHARGE_MA;
			hi = min32(in->cfg.probe_ma, hi);
		}
		hi = min32(hi, share);
		if (hi >= lo && hi > 0) {
			st->rs.setpoint_ma[i] = hi;
			st->rs.state[i] = SC_ALLOC_RUN;
		} else {
			st->rs.state[i] = SC_ALLOC_UNSERVABLE;
		}
	}
}

int sc_balance_step(struct sc_balance_state *st, const struct sc_balance_input *in,
		    cp_mono_t now, struct sc_balance_output *out)
{
	const struct sc_balance_config *cfg = &in->cfg;
	int64_t next = SC_BALANCE_NEVER;
	bool any_paused = false;
	int rc;

	memset(out, 0, sizeof(*out));
	out->next_change.ms = SC_BALANCE_NEVER;
	rc = balance_check_input(st, in);
	if (rc != 0)
		return rc;

	for (unsigned i = 0; i < in->n_sockets; i++)
		balance_advance_socket(&st->sock[i], &in->socket[i], cfg, now);

	if (cfg->mode == SC_BALANCE_SHARED && st->alt_next.ms != SC_BALANCE_NEVER &&
	    now.ms >= st->alt_next.ms) {
		/* Period over: whoever waited has not been served at all, so
		 * it ranks as served shortest and the turn passes on. */
		for (unsigned i = 0; i < in->n_sockets; i++) {
			if (st->sock[i].alt_paused) {
				st->sock[i].alt_paused = false;
				st->sock[i].served_since = now;
			}
		}
		st->alt_next.ms = SC_BALANCE_NEVER;
	}

	if (cfg->mode == SC_BALANCE_SHARED) {
		rc = balance_run_shared(st, in);
		if (rc != 0)
			return rc;      /* not reached: the request was checked */
	} else {
		balance_run_static(st, in);
	}

	for (unsigned i = 0; i < in->n_sockets; i++) {
		struct sc_balance_sock_state *s = &st->sock[i];
		const struct sc_balance_socket_in *si = &in->socket[i];
		int32_t sp = st->rs.state[i] == SC_ALLOC_RUN ? st->rs.setpoint_ma[i] : 0;

		out->setpoint_ma[i] = sp;
		if (!si->in_use) {
			out->reason[i] = SC_BALANCE_OFF;
			continue;
		}
		/* Its own limits would allow its minimum but the budgets do
		 * not, even with every other socket paused: a turn would not
		 * help, so it does not alternate. */
		bool short_budget = si->max_ma >= class_min(s) &&
		    balance_alone_cap(in, i) < class_min(s);

		switch (st->rs.state[i]) {
		case SC_ALLOC_RUN:
			if (s->alt_paused)
				s->alt_paused = false;
			if (s->last_ma <= 0)
				s->served_since = now;
			if (s->probe == SC_PROBE_PENDING) {
				s->probe = SC_PROBE_RUNNING;
				s->probe_end.ms = now.ms + cfg->probe_ms;
			}
			if (s->probe != SC_PROBE_DONE)
				out->reason[i] = SC_BALANCE_PROBING;
			else if (s->reduced)
				out->reason[i] = SC_BALANCE_REDUCED;
			else
				out->reason[i] = SC_BALANCE_SHARE;
			break;
		case SC_ALLOC_PAUSED:
			if (short_budget) {
				out->reason[i] = SC_BALANCE_BUDGET;
				s->alt_paused = false;
				break;
			}
			if (!s->alt_paused) {
				s->alt_paused = true;
				s->paused_since = now;
			}
			out->reason[i] = SC_BALANCE_ALTERNATING;
			break;
		default:
			out->reason[i] = short_budget ? SC_BALANCE_BUDGET : SC_BALANCE_LIMITED;
			break;
		}

		/* docs/balancing.md: watch whether an EV that was drawing stops once
		 * it is offered less than 14 A.  One that drew at >= 14 A and
		 * was paused (another socket's probe, its alternating turn)
		 * may come back at 6..14 A straight from 0: it is watched
		 * the same way, else a 14 A EV would wait there forever. */
		if (s->last_ma >= SC_BALANCE_MIN14_MA && si->draw_ma >= cfg->draw_on_ma)
			s->drew14 = true;
		if (s->cls == SC_CLASS_UNKNOWN && s->probe == SC_PROBE_DONE && !s->checking &&
		    sp >= CP_MIN_CHARGE_MA && sp < SC_BALANCE_MIN14_MA &&
		    ((s->last_ma >= SC_BALANCE_MIN14_MA && si->draw_ma >= cfg->draw_on_ma) ||
		     (s->last_ma <= 0 && s->drew14))) {
			s->checking = true;
			s->check_end.ms = now.ms + cfg->classify_ms;
		}
		if (sp == 0) {
			/* Nothing offered, nothing to fall short of. */
			s->shortfall_since.ms = SC_BALANCE_NEVER;
			s->reduced = false;
		}
		s->last_ma = sp;
		any_paused |= s->alt_paused;
		out->min14[i] = s->cls == SC_CLASS_14A;

		next_at(&next, s->probe_end.ms);
		next_at(&next, s->check_end.ms);
		if (s->shortfall_since.ms != SC_BALANCE_NEVER)
			next_at(&next, s->shortfall_since.ms + cfg->shortfall_ms);
	}

	if (!any_paused)
		st->alt_next.ms = SC_BALANCE_NEVER;
	else if (st->alt_next.ms == SC_BALANCE_NEVER)
		st->alt_next.ms = now.ms + cfg->alternating_ms;
	next_at(&next, st->alt_next.ms);
	out->next_change.ms = next;
	return 0;
}
