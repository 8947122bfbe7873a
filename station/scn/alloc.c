/*
 * alloc.c - the allocator's rule (alloc.h).
 *
 * Why the summed offer never exceeds the budget.  Every member offers on
 * each of its sockets exactly the share of the last allocator frame it
 * applied (0 before any).  The allocator publishes, socket by socket,
 * either
 *   - no more than the share it last published (a lowering frame): while
 *     it travels, each socket offers its old share or its new, lower one,
 *     so the sum stays at most the sum of the old shares, which was within
 *     the budget; or
 *   - the engine's targets T, whose sum is within the budget, and only
 *     when no socket goes down (T >= the last share everywhere) and every
 *     member has confirmed, in its announcement, that it applies our last
 *     shares (a frame of ours no older than the first that carried them):
 *     every socket then offers exactly its last share, at most its T, and
 *     raising each one to T keeps the sum at most sum(T).
 * A socket the allocator has published nothing for is bounded by what its
 * owner announces it offers, so a new allocator starts from the shares
 * its predecessor published (heard) or what the members announce.
 */
#include "station/scn/alloc.h"

#include <string.h>

void scn_alloc_init(struct scn_alloc_state *st)
{
	memset(st, 0, sizeof(*st));
}

void scn_alloc_heard(struct scn_alloc_state *st, const struct scn_announce *a)
{
	for (unsigned k = 0; k < a->n_alloc; k++) {
		if (a->alloc[k].id > SCN_SOCKET_ID_MAX)
			continue;
		st->pub_ma[a->alloc[k].id] = a->alloc[k].ma;
		st->pub_known[a->alloc[k].id] = true;
	}
}

/* What socket `id` offers at most, as far as the allocator knows. */
static int32_t bound(const struct scn_alloc_state *st, const struct scn_view *v, unsigned id)
{
	int16_t o = id < CP_MAX_SCN_SOCKETS ? v->owner[id] : -1;
	int32_t announced = 0;

	if (o >= 0)
		for (unsigned k = 0; k < v->member[o].ann.n_sockets; k++)
			if (v->member[o].ann.sock[k].id == id)
				announced = v->member[o].ann.sock[k].setpoint_ma;
	if (st->pub_known[id] && st->pub_ma[id] > announced)
		return st->pub_ma[id];
	return announced;
}

bool scn_alloc(struct scn_alloc_state *st, const struct scn_view *v,
	       const int32_t *target_ma, unsigned n_ids, struct scn_announce *a)
{
	bool lower = false, confirmed = st->pub_seq != 0, same = st->pub_seq != 0;
	unsigned cnt = 0;

	if (n_ids > SCN_SOCKET_ID_MAX + 1)
		n_ids = SCN_SOCKET_ID_MAX + 1;
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		if (!m->lost && !m->self && m->ann.n_sockets > 0 &&
		    (m->ann.epoch < st->same_since || m->ann.epoch > st->pub_seq))
			confirmed = false;
	}
	for (unsigned id = 0; id < n_ids && id < CP_MAX_SCN_SOCKETS; id++)
		if (v->owner[id] >= 0 && target_ma[id] < bound(st, v, id))
			lower = true;
	a->has_alloc = true;
	for (unsigned id = 0; id < n_ids && id < CP_MAX_SCN_SOCKETS && cnt < CP_MAX_SCN_SOCKETS; id++) {
		int32_t b, ma;

		if (v->owner[id] < 0)
			continue;
		b = bound(st, v, id);
		ma = (lower || !confirmed) && target_ma[id] > b ? b : target_ma[id];
		if (!st->pub_known[id] || st->pub_ma[id] != ma)
			same = false;
		a->alloc[cnt].id = (uint16_t)id;
		a->alloc[cnt].ma = ma;
		cnt++;
	}
	a->n_alloc = (uint8_t)cnt;
	a->epoch = a->seq;
	if (!same)
		st->same_since = a->seq;
	st->pub_seq = a->seq;
	scn_alloc_heard(st, a);
	return !lower && confirmed;
}
