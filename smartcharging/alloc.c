/*
 * alloc.c - per-phase, max-min fair allocator with pausing (see sc_alloc.h).
 *
 * A "constraint" is one (budget node, grid phase) pair: index node * 3 +
 * phase.  Each socket touches the constraints of every node on its path to
 * the root, for every phase in its mask.  Two passes:
 *
 *  1. Pausing.  Sum the minima per constraint; while some constraint is
 *     over its budget, pause the next socket in the pause order that loads
 *     an overloaded constraint (pausing one that loads none helps nobody).
 *     Then give back, latest-paused first, any pause that turned out to be
 *     unnecessary once later sockets were paused.
 *  2. Water-filling.  Every running socket starts at its minimum; a common
 *     level rises and lifts every socket whose value equals it; a socket
 *     freezes at its max or when one of its constraints runs out.  Sockets
 *     whose minimum lies above the level join when the level reaches it.
 *     The result is max-min fair with the minima as floors, to within one
 *     mA per socket (integer division leaves a remainder unused).
 */
#include <errno.h>
#include <string.h>

#include "smartcharging/sc_alloc.h"

#define MAX_CONS (CP_MAX_SC_BUDGETS * SC_PHASES)
#define MAX_SOCK_CONS (CP_MAX_SC_DEPTH * SC_PHASES)

/* Per-call scratch, on the stack: nothing outlives sc_alloc_run(). */
struct work {
	uint16_t ncons[CP_MAX_SCN_SOCKETS];
	uint16_t cons[CP_MAX_SCN_SOCKETS][MAX_SOCK_CONS];
	int64_t used[MAX_CONS];
	uint16_t cnt[MAX_CONS];
	uint8_t over[MAX_CONS];
	uint16_t order[CP_MAX_SCN_SOCKETS];
	uint8_t frozen[CP_MAX_SCN_SOCKETS];
};

static int64_t cons_cap(const struct sc_alloc_request *rq, unsigned c)
{
	return rq->budget[c / SC_PHASES].max_ma[c % SC_PHASES];
}

static int alloc_check_request(const struct sc_alloc_request *rq)
{
	if (rq->n_budgets > CP_MAX_SC_BUDGETS || rq->n_sockets > CP_MAX_SCN_SOCKETS ||
	    rq->n_pause_order > rq->n_sockets)
		return -EINVAL;
	for (unsigned b = 0; b < rq->n_budgets; b++) {
		const struct sc_alloc_budget *n = &rq->budget[b];

		/* Parents before children makes the tree acyclic by construction. */
		if (n->parent < -1 || n->parent >= (int)b)
			return -EINVAL;
		for (unsigned p = 0; p < SC_PHASES; p++)
			if (n->max_ma[p] < 0)
				return -EINVAL;
	}
	for (unsigned i = 0; i < rq->n_sockets; i++) {
		const struct sc_alloc_socket *s = &rq->socket[i];

		if (!s->active)
			continue;
		if (s->budget < 0 || s->budget >= rq->n_budgets || s->min_ma <= 0 ||
		    s->max_ma < 0 || s->phases == 0 || (s->phases & ~SC_PHASE_ALL) != 0)
			return -EINVAL;
	}
	return 0;
}

int sc_alloc_check(const struct sc_alloc_request *rq)
{
	uint8_t seen[CP_MAX_SCN_SOCKETS] = { 0 };
	int rc = alloc_check_request(rq);

	if (rc != 0)
		return rc;
	for (unsigned i = 0; i < rq->n_sockets; i++) {
		unsigned depth = 0;

		if (!rq->socket[i].active)
			continue;
		for (int node = rq->socket[i].budget; node >= 0; node = rq->budget[node].parent)
			if (++depth > CP_MAX_SC_DEPTH)
				return -EINVAL;
	}
	for (unsigned k = 0; k < rq->n_pause_order; k++) {
		unsigned i = rq->pause_order[k];

		if (i >= rq->n_sockets || seen[i])
			return -EINVAL;
		seen[i] = 1;
	}
	return 0;
}

/* Lists the constraints socket i loads; -EINVAL for a chain that is too deep. */
static int alloc_collect_cons(const struct sc_alloc_request *rq, struct work *w, unsigned i)
{
	const struct sc_alloc_socket *s = &rq->socket[i];
	unsigned depth = 0, n = 0;

	for (int node = s->budget; node >= 0; node = rq->budget[node].parent) {
		if (++depth > CP_MAX_SC_DEPTH)
			return -EINVAL;
		for (unsigned p = 0; p < SC_PHASES; p++)
			if (s->phases & (1u << p))
				w->cons[i][n++] = (uint16_t)(node * SC_PHASES + p);
	}
	w->ncons[i] = (uint16_t)n;
	return 0;
}

/* The full pause order: the caller's list, then everyone else by index. */
static int alloc_build_order(const struct sc_alloc_request *rq, struct work *w)
{
	uint8_t seen[CP_MAX_SCN_SOCKETS] = { 0 };
	unsigned n = 0;

	for (unsigned k = 0; k < rq->n_pause_order; k++) {
		unsigned i = rq->pause_order[k];

		if (i >= rq->n_sockets || seen[i])
			return -EINVAL;
		seen[i] = 1;
		w->order[n++] = (uint16_t)i;
	}
	for (unsigned i = 0; i < rq->n_sockets; i++)
		if (!seen[i])
			w->order[n++] = (uint16_t)i;
	return 0;
}

static void alloc_pause(const struct sc_alloc_request *rq, struct work *w,
			struct sc_alloc_result *out)
{
	uint16_t paused[CP_MAX_SCN_SOCKETS];
	unsigned n_paused = 0, n_over = 0;

	memset(w->used, 0, sizeof(w->used[0]) * rq->n_budgets * SC_PHASES);
	for (unsigned i = 0; i < rq->n_sockets; i++)
		if (out->state[i] == SC_ALLOC_RUN)
			for (unsigned k = 0; k < w->ncons[i]; k++)
				w->used[w->cons[i][k]] += rq->socket[i].min_ma;
	for (unsigned c = 0; c < (unsigned)rq->n_budgets * SC_PHASES; c++) {
		w->over[c] = w->used[c] > cons_cap(rq, c);
		n_over += w->over[c];
	}

	for (unsigned k = 0; k < rq->n_sockets && n_over > 0; k++) {
		unsigned i = w->order[k];
		bool helps = false;

		if (out->state[i] != SC_ALLOC_RUN)
			continue;
		for (unsigned j = 0; j < w->ncons[i] && !helps; j++)
			helps = w->over[w->cons[i][j]];
		if (!helps)
			continue;
		out->state[i] = SC_ALLOC_PAUSED;
		paused[n_paused++] = (uint16_t)i;
		for (unsigned j = 0; j < w->ncons[i]; j++) {
			unsigned c = w->cons[i][j];

			w->used[c] -= rq->socket[i].min_ma;
			if (w->over[c] && w->used[c] <= cons_cap(rq, c)) {
				w->over[c] = 0;
				n_over--;
			}
		}
	}

	/* A socket paused early may fit again now that later ones paused on
	 * other phases: resume it rather than waste its budget. */
	while (n_paused > 0) {
		unsigned i = paused[--n_paused];
		bool fits = true;

		for (unsigned j = 0; j < w->ncons[i] && fits; j++) {
			unsigned c = w->cons[i][j];

			fits = w->used[c] + rq->socket[i].min_ma <= cons_cap(rq, c);
		}
		if (!fits)
			continue;
		out->state[i] = SC_ALLOC_RUN;
		for (unsigned j = 0; j < w->ncons[i]; j++)
			w->used[w->cons[i][j]] += rq->socket[i].min_ma;
	}
}

static void alloc_fill(const struct sc_alloc_request *rq, struct work *w,
		       struct sc_alloc_result *out)
{
	const unsigned n = rq->n_sockets, nc = (unsigned)rq->n_budgets * SC_PHASES;
	int64_t level = INT64_MAX;

	/* w->used holds the sum of the running minima from alloc_pause(), and
	 * w->over is all clear; here it marks exhausted constraints. */
	for (unsigned i = 0; i < n; i++) {
		w->frozen[i] = 1;
		if (out->state[i] != SC_ALLOC_RUN)
			continue;
		out->setpoint_ma[i] = rq->socket[i].min_ma;
		if (rq->socket[i].min_ma < rq->socket[i].max_ma) {
			w->frozen[i] = 0;
			if (rq->socket[i].min_ma < level)
				level = rq->socket[i].min_ma;
		}
	}

	for (;;) {
		int64_t delta = INT64_MAX;
		unsigned n_rising = 0;

		memset(w->cnt, 0, sizeof(w->cnt[0]) * nc);
		for (unsigned i = 0; i < n; i++) {
			if (w->frozen[i])
				continue;
			if (out->setpoint_ma[i] > level) {
				/* Waiting for the level to reach its floor. */
				if (out->setpoint_ma[i] - level < delta)
					delta = out->setpoint_ma[i] - level;
				continue;
			}
			n_rising++;
			if (rq->socket[i].max_ma - level < delta)
				delta = rq->socket[i].max_ma - level;
			for (unsigned k = 0; k < w->ncons[i]; k++)
				w->cnt[w->cons[i][k]]++;
		}
		if (n_rising == 0) {
			if (delta == INT64_MAX)
				break;
			level += delta;         /* jump to the next floor */
			continue;
		}
		for (unsigned c = 0; c < nc; c++) {
			if (w->cnt[c] == 0)
				continue;
			int64_t share = w->over[c] ? 0 : (cons_cap(rq, c) - w->used[c]) / w->cnt[c];

			if (share < delta)
				delta = share;
		}

		int64_t rising_at = level;

		level += delta;
		for (unsigned c = 0; c < nc; c++)
			w->used[c] += delta * w->cnt[c];
		for (unsigned i = 0; i < n; i++) {
			bool stop;

			if (w->frozen[i] || out->setpoint_ma[i] > rising_at)
				continue;
			out->setpoint_ma[i] = (int32_t)level;
			stop = level >= rq->socket[i].max_ma;
			/* A constraint with less than one mA left per rising socket
			 * is exhausted: everyone rising in it stops here, and a
			 * socket joining later from a higher floor may not take
			 * the rounding remainder either. */
			for (unsigned k = 0; k < w->ncons[i]; k++) {
				unsigned c = w->cons[i][k];

				if (w->over[c] || cons_cap(rq, c) - w->used[c] < w->cnt[c]) {
					w->over[c] = 1;
					stop = true;
				}
			}
			w->frozen[i] = stop;
		}
	}
}

int sc_alloc_run(const struct sc_alloc_request *rq, struct sc_alloc_result *out)
{
	struct work w;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = alloc_check_request(rq);
	if (rc == 0)
		rc = alloc_build_order(rq, &w);
	for (unsigned i = 0; rc == 0 && i < rq->n_sockets; i++) {
		const struct sc_alloc_socket *s = &rq->socket[i];

		if (!s->active)
			continue;
		rc = alloc_collect_cons(rq, &w, i);
		out->state[i] = s->max_ma < s->min_ma ? SC_ALLOC_UNSERVABLE : SC_ALLOC_RUN;
	}
	if (rc != 0) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	for (unsigned i = 0; i < rq->n_sockets; i++)
		if (out->state[i] != SC_ALLOC_RUN)
			w.ncons[i] = 0;

	alloc_pause(rq, &w, out);
	alloc_fill(rq, &w, out);
	return 0;
}
