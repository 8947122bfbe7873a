/*
 * view.c - one member's view of a Smart Charging Network and the rule that
 * lets it raise its sockets (docs/scn.md, "The view and the allocation").
 * Pure: the caller passes the announcements and the time.
 */
#include "station/scn/view.h"

#include <errno.h>
#include <string.h>

#include "smartcharging/sc_phase.h"

void scn_config_default(struct scn_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->socket_safe_ma = 6000;
	cfg->peer_timeout_ms = 5 * 1000;
	cfg->alternating_ms = 900 * 1000;
	cfg->probe_ma = 14000;
}

static int config_check(const struct scn_config *cfg)
{
	if (cfg->total_static_ma < 0 || cfg->total_safe_ma < 0 || cfg->socket_safe_ma < 0 ||
	    cfg->peer_timeout_ms <= 0 || cfg->alternating_ms < 0 || cfg->probe_ma < 0)
		return -EINVAL;
	return 0;
}

int scn_view_init(struct scn_view *v, const struct scn_config *cfg)
{
	if (config_check(cfg) != 0)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->cfg = *cfg;
	v->cfg.network[SCN_NAME_MAX] = '\0';
	for (unsigned i = 0; i < CP_MAX_SCN_SOCKETS; i++)
		v->owner[i] = -1;
	v->state = SCN_VIEW_ALONE;
	return 0;
}

/* ------------------------------------------------------------ phases */

/*
 * Grid phases of an announced socket.  phase_map is the socket's own
 * conductor order on the grid (its sender has already applied the station's
 * internal rotation), so it reads as a one-socket station on that order.
 * Before the EV's phase count is known every live conductor counts
 * (sc_balance.h: the safe guess).  0 for a malformed map.
 */
static unsigned socket_phases(const struct scn_socket_info *s, bool all_conductors)
{
	struct sc_phase_topology topo = {
		.feeds = 1, .sockets = 1,
		.connected = (enum sc_phase_order)s->phase_map,
	};
	struct sc_phase_map map;

	if (s->phase_map < SC_ORDER_L1 || s->phase_map > SC_ORDER_L3L2L1)
		return 0;
	topo.phases = s->phase_map <= SC_ORDER_L3 ? 1 : 3;
	if (sc_phase_map_socket(&topo, 1, &map) != 0)
		return 0;
	if (all_conductors || s->ev_phases == 0)
		return sc_phase_mask_ev(&map, SC_PHASES);
	return sc_phase_mask_ev(&map, s->ev_phases);
}

/* ----------------------------------------------------------- members */

static int announce_check(const struct scn_view *v, const struct scn_announce *a)
{
	if (memchr(a->network, '\0', sizeof(a->network)) == NULL ||
	    strcmp(a->network, v->cfg.network) != 0)
		return -ENOENT;
	if (a->n_sockets > CP_MAX_CONNECTORS || a->station_max_ma < 0)
		return -EINVAL;
	for (unsigned p = 0; p < SC_PHASES; p++)
		if (a->has_budget && !a->budget_safe && a->budget_ma[p] < 0)
			return -EINVAL;
	for (unsigned k = 0; k < a->n_sockets; k++) {
		const struct scn_socket_info *s = &a->sock[k];

		if (socket_phases(s, true) == 0 || s->ev_phases > SC_PHASES ||
		    s->max_ma < 0 || s->min_ma < 0 || s->setpoint_ma < 0)
			return -EINVAL;
		for (unsigned p = 0; p < SC_PHASES; p++)
			if (s->draw_ma[p] < 0)
				return -EINVAL;
	}
	return 0;
}

static int member_find(const struct scn_view *v, uint32_t id)
{
	unsigned lo = 0, hi = v->n_members;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (v->member[mid].ann.member == id)
			return (int)mid;
		if (v->member[mid].ann.member < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(int)lo - 1;
}

/* Does the view change with this announcement (anything the epoch or the
 * budget tree reads, apart from currents)? */
static bool announce_differs(const struct scn_announce *old, const struct scn_announce *a)
{
	if (old->n_sockets != a->n_sockets || old->has_budget != a->has_budget ||
	    old->budget_safe != a->budget_safe)
		return true;
	for (unsigned k = 0; k < a->n_sockets; k++)
		if (old->sock[k].id != a->sock[k].id ||
		    old->sock[k].phase_map != a->sock[k].phase_map ||
		    old->sock[k].ev_phases != a->sock[k].ev_phases ||
		    old->sock[k].in_use != a->sock[k].in_use)
			return true;
	return false;
}

/* FNV-1a, 32 bits: small, fixed, and the same on every member. */
static uint32_t hash_u32(uint32_t h, uint32_t x)
{
	for (unsigned b = 0; b < 4; b++) {
		h ^= (x >> (8 * b)) & 0xffu;
		h *= 16777619u;
	}
	return h;
}

static bool member_live(const struct scn_member *m)
{
	return !m->lost;
}

/*
 * Everything derived from the member table, in one place, after any change:
 *  1. socket IDs a live member announces end a lost member's reservation
 *     for them (a member that restarted comes back under a new member ID);
 *     a lost member with nothing left to reserve leaves the table;
 *  2. each socket ID goes to the live member that has been in the view
 *     longest (heard first); the others' sockets with it are refused, as is
 *     an ID out of range;
 *  3. the view's hash, over the member IDs, every socket's ID, owner, phases and
 *     in_use, the reserved sockets and the kind of budget: all in ID order,
 *     so that the same view gives the same epoch on every member;
 *  4. the state: joined while a peer is live, isolated once none is left.
 */
static void view_recompute(struct scn_view *v)
{
	uint8_t claimed[CP_MAX_SCN_SOCKETS] = { 0 };
	uint16_t by_order[CP_MAX_SCN_SOCKETS];
	unsigned n = 0, peers = 0;
	uint32_t h = 2166136261u;
	bool safe = false, source = false;

	/* 1. */
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		for (unsigned k = 0; member_live(m) && k < m->ann.n_sockets; k++)
			if (m->ann.sock[k].id < CP_MAX_SCN_SOCKETS)
				claimed[m->ann.sock[k].id] = 1;
	}
	for (unsigned i = 0; i < v->n_members; ) {
		const struct scn_member *m = &v->member[i];
		bool reserve = false;

		for (unsigned k = 0; m->lost && k < m->ann.n_sockets; k++)
			if (m->ann.sock[k].id >= CP_MAX_SCN_SOCKETS ||
			    !claimed[m->ann.sock[k].id])
				reserve = true;
		if (m->lost && !reserve) {
			memmove(&v->member[i], &v->member[i + 1],
				sizeof(v->member[0]) * (v->n_members - i - 1));
			v->n_members--;
			continue;
		}
		i++;
	}

	/* 2. */
	for (unsigned i = 0; i < v->n_members; i++) {
		unsigned j = n++;

		while (j > 0 && v->member[by_order[j - 1]].order > v->member[i].order) {
			by_order[j] = by_order[j - 1];
			j--;
		}
		by_order[j] = (uint16_t)i;
	}
	for (unsigned i = 0; i < CP_MAX_SCN_SOCKETS; i++)
		v->owner[i] = -1;
	v->n_refused = 0;
	for (unsigned j = 0; j < n; j++) {
		const struct scn_member *m = &v->member[by_order[j]];

		if (!member_live(m))
			continue;
		for (unsigned k = 0; k < m->ann.n_sockets; k++) {
			uint16_t id = m->ann.sock[k].id;
			struct scn_refusal *r;

			if (id < CP_MAX_SCN_SOCKETS && v->owner[id] < 0) {
				v->owner[id] = (int16_t)by_order[j];
				continue;
			}
			if (v->n_refused >= CP_MAX_SCN_SOCKETS)
				continue;
			r = &v->refused[v->n_refused++];
			r->id = id;
			r->member = m->ann.member;
			r->holder = id < CP_MAX_SCN_SOCKETS ?
			    v->member[v->owner[id]].ann.member : m->ann.member;
		}
	}

	/* 3. */
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		if (!member_live(m)) {
			/* The meter or EMS left with it: safe current. */
			if (m->ann.has_budget)
				safe = source = true;
			continue;
		}
		h = hash_u32(h, m->ann.member);
		if (!m->self)
			peers++;
		if (m->ann.has_budget) {
			source = true;
			safe |= m->ann.budget_safe;
		}
	}
	h = hash_u32(h, 0xffffffffu);
	for (unsigned id = 0; id < CP_MAX_SCN_SOCKETS; id++) {
		const struct scn_member *m;

		if (v->owner[id] < 0)
			continue;
		m = &v->member[v->owner[id]];
		for (unsigned k = 0; k < m->ann.n_sockets; k++) {
			const struct scn_socket_info *s = &m->ann.sock[k];

			if (s->id != id)
				continue;
			h = hash_u32(h, id);
			h = hash_u32(h, m->ann.member);
			h = hash_u32(h, socket_phases(s, false) | (s->in_use ? 0x100u : 0));
			break;
		}
	}
	h = hash_u32(h, 0xfffffffeu);
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		for (unsigned k = 0; m->lost && k < m->ann.n_sockets; k++)
			if (m->ann.sock[k].id >= CP_MAX_SCN_SOCKETS ||
			    !claimed[m->ann.sock[k].id])
				h = hash_u32(hash_u32(h, m->ann.member), m->ann.sock[k].id);
	}
	h = hash_u32(h, (source ? 1u : 0) | (safe ? 2u : 0));
	v->view_hash = h;
	v->decided = false;

	/* 4. */
	if (peers > 0)
		v->state = SCN_VIEW_JOINED;
	else if (v->state == SCN_VIEW_JOINED)
		v->state = SCN_VIEW_ISOLATED;
}

static int view_store(struct scn_view *v, const struct scn_announce *a, cp_mono_t now,
		      bool self)
{
	struct scn_member *m;
	bool changed;
	int i;

	i = member_find(v, a->member);
	if (i < 0) {
		unsigned at = (unsigned)(-i - 1);

		if (v->n_members >= CP_MAX_SCN_SOCKETS)
			return -ENOSPC;
		memmove(&v->member[at + 1], &v->member[at],
			sizeof(v->member[0]) * (v->n_members - at));
		v->n_members++;
		m = &v->member[at];
		memset(m, 0, sizeof(*m));
		m->order = v->next_order++;
		m->self = self;
		changed = true;
	} else {
		m = &v->member[i];
		changed = m->lost || announce_differs(&m->ann, a);
		if (m->lost) {
			/* Back after a loss: a newcomer again, so that the
			 * member that kept its IDs meanwhile keeps them. */
			m->lost = false;
			m->order = v->next_order++;
		}
	}
	m->ann = *a;
	m->last_heard = now;
	if (changed)
		view_recompute(v);
	return 0;
}

int scn_view_heard(struct scn_view *v, const struct scn_announce *a, cp_mono_t now)
{
	int rc = announce_check(v, a);

	if (rc != 0)
		return rc;
	if (v->has_self && a->member == v->self_id)
		return -ENOENT;
	return view_store(v, a, now, false);
}

int scn_view_self(struct scn_view *v, const struct scn_announce *self, cp_mono_t now)
{
	int rc = announce_check(v, self);

	if (rc != 0)
		return rc;
	if (v->has_self && self->member != v->self_id)
		return -EINVAL;
	if (!v->has_self && member_find(v, self->member) >= 0)
		return -EEXIST;
	rc = view_store(v, self, now, true);
	if (rc != 0)
		return rc;
	v->has_self = true;
	v->self_id = self->member;
	return 0;
}

void scn_view_decided(struct scn_view *v, const struct sc_balance_output *out)
{
	uint32_t h = v->view_hash;

	for (unsigned id = 0; id < CP_MAX_SCN_SOCKETS; id++)
		if (v->owner[id] >= 0)
			h = hash_u32(hash_u32(h, id), (uint32_t)out->setpoint_ma[id]);
	/* 0 reads as "no epoch yet" in a log; keep it out. */
	v->epoch = h != 0 ? h : 1;
	v->decided = true;
}

unsigned scn_view_expire(struct scn_view *v, cp_mono_t now,
			 uint16_t lost_ids[CP_MAX_SCN_SOCKETS])
{
	unsigned n = 0;
	bool changed = false;

	for (unsigned i = 0; i < v->n_members; i++) {
		struct scn_member *m = &v->member[i];

		if (m->self || m->lost || now.ms - m->last_heard.ms < v->cfg.peer_timeout_ms)
			continue;
		m->lost = true;
		changed = true;
		for (unsigned k = 0; k < m->ann.n_sockets && n < CP_MAX_SCN_SOCKETS; k++)
			lost_ids[n++] = m->ann.sock[k].id;
	}
	if (changed)
		view_recompute(v);
	return n;
}

cp_mono_t scn_view_next_deadline(const struct scn_view *v)
{
	cp_mono_t next = { SC_BALANCE_NEVER };

	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		if (!m->self && !m->lost && m->last_heard.ms + v->cfg.peer_timeout_ms < next.ms)
			next.ms = m->last_heard.ms + v->cfg.peer_timeout_ms;
	}
	return next;
}

uint32_t scn_view_epoch(const struct scn_view *v)
{
	return v->epoch;
}

enum scn_view_state scn_view_state(const struct scn_view *v)
{
	return v->state;
}

const char *scn_view_state_name(enum scn_view_state state)
{
	switch (state) {
	case SCN_VIEW_ALONE:
		return "alone";
	case SCN_VIEW_JOINED:
		return "joined";
	case SCN_VIEW_ISOLATED:
		return "isolated";
	default:
		return "?";
	}
}

unsigned scn_view_members(const struct scn_view *v)
{
	unsigned n = 0;

	for (unsigned i = 0; i < v->n_members; i++)
		n += member_live(&v->member[i]);
	return n;
}

bool scn_view_consistent(const struct scn_view *v)
{
	if (!v->has_self || !v->decided)
		return false;
	for (unsigned i = 0; i < v->n_members; i++)
		if (member_live(&v->member[i]) && v->member[i].ann.epoch != v->epoch)
			return false;
	return true;
}

const struct scn_refusal *scn_view_refused(const struct scn_view *v, unsigned *n)
{
	*n = v->n_refused;
	return v->refused;
}

/* -------------------------------------------------------- allocation */

static int32_t max3(const int32_t x[SC_PHASES])
{
	int32_t m = x[0];

	for (unsigned p = 1; p < SC_PHASES; p++)
		if (x[p] > m)
			m = x[p];
	return m;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* One station node under the root and its owned sockets below it. */
static void input_station(const struct scn_view *v, unsigned mi, int32_t cap_ma,
			  struct sc_balance_input *in)
{
	const struct scn_member *m = &v->member[mi];
	int16_t node = -1;

	for (unsigned k = 0; k < m->ann.n_sockets; k++) {
		const struct scn_socket_info *s = &m->ann.sock[k];
		struct sc_balance_socket_in *si;

		if (s->id >= CP_MAX_SCN_SOCKETS || v->owner[s->id] != (int16_t)mi)
			continue;
		if (node < 0) {
			node = (int16_t)in->n_budgets++;
			in->budget[node].parent = 0;
			for (unsigned p = 0; p < SC_PHASES; p++)
				in->budget[node].max_ma[p] = m->ann.station_max_ma;
		}
		si = &in->socket[s->id];
		si->budget = node;
		si->phases = (uint8_t)socket_phases(s, false);
		si->in_use = s->in_use;
		si->max_ma = min32(s->max_ma, cap_ma);
		si->draw_ma = max3(s->draw_ma);
		if (s->id >= in->n_sockets)
			in->n_sockets = (uint16_t)(s->id + 1);
	}
}

/* A lost member whose sockets a live member announces again: it came back
 * under a new member id (a restart), so the old one stands for nothing. */
static bool reclaimed(const struct scn_view *v, const struct scn_member *m)
{
	if (m->ann.n_sockets == 0)
		return false;
	for (unsigned k = 0; k < m->ann.n_sockets; k++) {
		uint16_t id = m->ann.sock[k].id;
		if (id >= CP_MAX_SCN_SOCKETS || v->owner[id] < 0 || v->member[v->owner[id]].lost)
			return false;
	}
	return true;
}

int scn_view_balance_input(const struct scn_view *v, const struct scn_config *cfg,
			   struct sc_balance_input *in)
{
	int64_t budget[SC_PHASES], reserved[SC_PHASES] = { 0 };
	unsigned known = 0;
	bool source = false, safe = false;

	memset(in, 0, sizeof(*in));
	if (config_check(cfg) != 0)
		return -EINVAL;
	sc_balance_config_default(&in->cfg);
	in->cfg.mode = SC_BALANCE_SHARED;
	if (cfg->alternating_ms > 0)
		in->cfg.alternating_ms = cfg->alternating_ms;
	if (cfg->probe_ma > 0)
		in->cfg.probe_ma = cfg->probe_ma;

	in->n_budgets = 1;
	in->budget[0].parent = -1;
	/* Every slot exists, idle, under the root, so that the index is the
	 * socket ID whatever the view holds. */
	for (unsigned i = 0; i < CP_MAX_SCN_SOCKETS; i++)
		in->socket[i].id = (uint16_t)i;

	if (v->state == SCN_VIEW_ISOLATED ||
	    (v->state == SCN_VIEW_ALONE && cfg->socket_count == 0)) {
		/* The others reserve SCN-SocketSafeCurrent for each of our
		 * sockets and nothing more.  Alone from the start, without
		 * SCN-SocketCount to say how many sockets are missing, the
		 * same: every member starts alone, and each taking the whole
		 * budget for a period would overload the connection. */
		for (unsigned p = 0; p < SC_PHASES; p++)
			in->budget[0].max_ma[p] = SC_ALLOC_UNLIMITED;
		for (unsigned i = 0; i < v->n_members; i++)
			if (v->member[i].self)
				input_station(v, i, cfg->socket_safe_ma, in);
		return 0;
	}

	for (unsigned p = 0; p < SC_PHASES; p++)
		budget[p] = cfg->total_static_ma;
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		if (!m->ann.has_budget || (m->lost && reclaimed(v, m)))
			continue;
		if (!source) {
			for (unsigned p = 0; p < SC_PHASES; p++)
				budget[p] = INT64_MAX;
			source = true;
		}
		/* Several sources: the lowest per phase; a lost one took
		 * its meter along. */
		for (unsigned p = 0; p < SC_PHASES; p++) {
			int64_t b = m->lost || m->ann.budget_safe ?
			    cfg->total_safe_ma : m->ann.budget_ma[p];

			if (b < budget[p])
				budget[p] = b;
		}
		safe |= m->lost || m->ann.budget_safe;
	}
	in->cfg.serve_low_ids_first = safe;

	/* A lost member may still draw SCN-SocketSafeCurrent on each of its
	 * sockets, on every live conductor: reserve it until it is heard
	 * again.  So for any socket of SCN-SocketCount not in the view, on
	 * every phase. */
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *m = &v->member[i];

		for (unsigned k = 0; k < m->ann.n_sockets; k++) {
			const struct scn_socket_info *s = &m->ann.sock[k];
			unsigned mask;

			if (!m->lost) {
				known += s->id < CP_MAX_SCN_SOCKETS && v->owner[s->id] == (int16_t)i;
				continue;
			}
			if (s->id < CP_MAX_SCN_SOCKETS && v->owner[s->id] >= 0)
				continue;	/* claimed again by a live member */
			known++;
			mask = socket_phases(s, true);
			for (unsigned p = 0; p < SC_PHASES; p++)
				if (mask & (1u << p))
					reserved[p] += cfg->socket_safe_ma;
		}
	}
	if (cfg->socket_count > known)
		for (unsigned p = 0; p < SC_PHASES; p++)
			reserved[p] += (int64_t)(cfg->socket_count - known) * cfg->socket_safe_ma;
	for (unsigned p = 0; p < SC_PHASES; p++) {
		int64_t b = budget[p] - reserved[p];

		in->budget[0].max_ma[p] = b < 0 ? 0 : b > INT32_MAX ? INT32_MAX : (int32_t)b;
	}

	for (unsigned i = 0; i < v->n_members; i++)
		if (member_live(&v->member[i]))
			input_station(v, i, INT32_MAX, in);
	return 0;
}

/* --------------------------------------------------------- the rule */

int scn_view_apply(const struct scn_view *v, uint16_t id, int32_t computed_ma,
		   int32_t current_ma, cp_mono_t now, int32_t *out_ma)
{
	const struct scn_member *m;
	bool ours = false;

	*out_ma = min32(computed_ma, current_ma);
	if (!v->has_self || id >= CP_MAX_SCN_SOCKETS || v->owner[id] < 0)
		return -ENOENT;
	m = &v->member[v->owner[id]];
	if (!m->self)
		return -ENOENT;
	for (unsigned k = 0; k < m->ann.n_sockets; k++)
		ours |= m->ann.sock[k].id == id;
	if (!ours)
		return -ENOENT;

	/*
	 * A decrease applies at once; an increase only while every live
	 * member, ourselves included, has announced the epoch we hold now.
	 * Why the network then stays under its budget (per phase, per node):
	 *
	 *  - The epoch hashes the view and the engine's setpoint for every
	 *    socket in it (scn_view_decided), so equal epochs mean the same
	 *    view and the same decision D for every socket, whatever history
	 *    (probing, the 14 A class, alternating turns) each member's engine
	 *    keeps.  D sums to at most the budget: the allocator never
	 *    overfills a node.
	 *  - A member announces epoch E only after applying it: it lowered
	 *    each of its sockets to D(s) at once and raised none above D(s).
	 *    So once every live member has announced E, every socket offers
	 *    at most D(s); raising ours to D(ours) keeps the sum within D's.
	 *  - Two members raise together only on the same announced E, both to
	 *    D; a member that moves on to E' lowers at once to D'(s) when that
	 *    is below, and nobody raises on E' before it has announced E'.
	 *    While epochs differ nobody raises, and lowering never adds
	 *    current, so a change of view can only make room.
	 *  - A member that does not announce at all is lost after
	 *    SCN-PeerTimeout and offers at most SCN-SocketSafeCurrent per
	 *    socket (isolated), which the others reserve for it.
	 *
	 * It leans on the view holding every socket that draws: a member
	 * never heard is covered only by SCN-SocketCount (docs/scn.md).
	 */
	if (computed_ma <= current_ma)
		return 0;
	if (!scn_view_consistent(v))
		return 0;
	/* A peer overdue at `now` has not been expired yet: its epoch is
	 * stale, the view may be too. */
	for (unsigned i = 0; i < v->n_members; i++) {
		const struct scn_member *p = &v->member[i];

		if (!p->self && !p->lost && now.ms - p->last_heard.ms >= v->cfg.peer_timeout_ms)
			return 0;
	}
	*out_ma = computed_ma;
	return 0;
}
