/*
 * member.c - this station as a Smart Charging Network member (member.h).
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "scn"

static uint32_t random_member(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (uint32_t)rand() ^ ((uint32_t)getpid() << 16);
	return v ? v : 1;
}

static void scn_stop(struct station *s)
{
	struct st_scn *n = &s->scn;

	if (n->wsi) {
		lws_set_opaque_user_data(n->wsi, NULL);
		lws_set_timeout(n->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		n->wsi = NULL;
	}
	scn_net_close(&n->net);
	n->on = false;
	st_timer_cancel(s, ST_T_SCN);
}

void st_scn_configure(struct station *s)
{
	struct st_scn *n = &s->scn;
	const char *name = cfg_str(&s->cfg, CFG_SCN_NETWORK_NAME);
	const char *key = cfg_str(&s->cfg, CFG_SCN_AUTH_KEY);
	uint32_t g = cfg_ipv4(&s->cfg, CFG_SCN_MULTICAST_GROUP);
	char group[16];
	int rc;

	scn_stop(s);
	memset(n->share_ma, 0, sizeof(n->share_ma));
	if (!cfg_feature_unlocked(&s->cfg, CFG_FEATURE_SCN) || !cfg_bool(&s->cfg, CFG_SCN_IS_ENABLED)) {
		st_mark_dirty(s);
		return;
	}
	scn_config_default(&n->cfg);
	snprintf(n->cfg.network, sizeof(n->cfg.network), "%s", name ? name : "");
	n->cfg.total_static_ma = cfg_ma(&s->cfg, CFG_SCN_TOTAL_STATIC_CURRENT);
	n->cfg.total_safe_ma = cfg_is_set(&s->cfg, CFG_SCN_TOTAL_SAFE_CURRENT) ?
	    cfg_ma(&s->cfg, CFG_SCN_TOTAL_SAFE_CURRENT) : n->cfg.total_static_ma;
	n->cfg.socket_safe_ma = cfg_ma(&s->cfg, CFG_SCN_SOCKET_SAFE_CURRENT);
	n->cfg.socket_count = (uint16_t)(cfg_is_set(&s->cfg, CFG_SCN_SOCKET_COUNT) ?
	    cfg_int(&s->cfg, CFG_SCN_SOCKET_COUNT) : 0);
	n->cfg.peer_timeout_ms = (int64_t)cfg_int(&s->cfg, CFG_SCN_PEER_TIMEOUT) * 1000;
	n->cfg.alternating_ms = (int64_t)cfg_int(&s->cfg, CFG_SCN_ALTERNATING_PERIOD) * 1000;
	n->cfg.probe_ma = cfg_ma(&s->cfg, CFG_CHAMELEON_MIN_CURRENT);
	n->first_id = (uint16_t)cfg_int(&s->cfg, CFG_SCN_SOCKET_ID);
	if (!n->cfg.network[0]) {
		CP_WARN(TAG, "SCN-IsEnabled is True but SCN-NetworkName is not set: not joining");
		st_mark_dirty(s);
		return;
	}
	if (scn_view_init(&n->view, &n->cfg) < 0) {
		CP_ERR(TAG, "the SCN configuration is not usable: not joining");
		st_mark_dirty(s);
		return;
	}
	scn_auth_init(&n->auth, (const uint8_t *)(key ? key : ""), key ? strlen(key) : 0);
	sc_balance_init(&n->bal);
	n->member = random_member();
	n->seq = 0;
	scn_alloc_init(&n->alloc);
	n->applied_from = n->applied_seq = 0;
	n->allocator = false;
	snprintf(group, sizeof(group), "%u.%u.%u.%u", g >> 24, (g >> 16) & 255, (g >> 8) & 255, g & 255);
	rc = scn_net_open(&n->net, cfg_str(&s->cfg, CFG_SCN_INTERFACE), group,
	    (uint16_t)cfg_int(&s->cfg, CFG_SCN_PORT));
	if (rc < 0) {
		CP_ERR(TAG, "cannot join %s:%d on %s (%d): each socket falls back to SCN-SocketSafeCurrent",
		    group, cfg_int(&s->cfg, CFG_SCN_PORT), cfg_str(&s->cfg, CFG_SCN_INTERFACE), rc);
		/* Joined or not, the member offers no more than its safe
		 * current until it hears the others. */
	} else if (s->vhost) {
		lws_sock_file_fd_type u;
		int d = fcntl(scn_net_fd(&n->net), F_DUPFD_CLOEXEC, 3);

		u.filefd = d;
		n->wsi = d >= 0 ? lws_adopt_descriptor_vhost(s->vhost, LWS_ADOPT_RAW_FILE_DESC, u,
		    st_scn_protocol.name, NULL) : NULL;
		if (n->wsi)
			lws_set_opaque_user_data(n->wsi, s);
		else if (d >= 0)
			close(d);
	}
	n->on = true;
	/* Nothing until the allocator hands out shares (one period when we
	 * are it). */
	for (int i = 0; i < CP_MAX_CONNECTORS; i++)
		n->share_ma[i] = 0;
	CP_INFO(TAG, "member %08x of SCN %s on %s (%s:%d), sockets %u..%u%s", n->member, n->cfg.network,
	    n->net.ifname, group, cfg_int(&s->cfg, CFG_SCN_PORT), n->first_id,
	    n->first_id + s->n_conn - 1, n->auth.key_len ? ", frames signed" : "");
	if (n->cfg.socket_count && (int64_t)n->cfg.socket_count * n->cfg.socket_safe_ma >
	    (int64_t)n->cfg.total_static_ma)
		CP_WARN(TAG, "SCN-SocketSafeCurrent %.1f A x %u sockets exceeds SCN-TotalStaticCurrent %.1f A: "
		    "only the first sockets reach the safe current", n->cfg.socket_safe_ma / 1000.0,
		    n->cfg.socket_count, n->cfg.total_static_ma / 1000.0);
	st_timer_arm_in(s, ST_T_SCN, 0);
	st_mark_dirty(s);
}

/* Our announcement: our sockets as the control cycle last saw them. */
static void own_announce(struct station *s, struct scn_announce *a)
{
	struct st_scn *n = &s->scn;
	int32_t grid[3];
	bool safe;

	memset(a, 0, sizeof(*a));
	snprintf(a->network, sizeof(a->network), "%s", n->cfg.network);
	a->member = n->member;
	a->seq = ++n->seq;
	a->station_max_ma = cfg_ma(&s->cfg, CFG_STATION_MAX_CURRENT);
	/* The member that reads the meter, or that an EMS writes the
	 * network's budget to, announces it. */
	if (st_grid_ems_scn_budget(s, grid, &safe) || st_grid_budget(s, grid, &safe)) {
		a->has_budget = true;
		a->budget_safe = safe;
		memcpy(a->budget_ma, grid, sizeof(grid));
	}
	a->n_sockets = (uint8_t)s->n_conn;
	for (int i = 1; i <= s->n_conn; i++) {
		struct scn_socket_info *so = &a->sock[i - 1];
		const struct st_conn *c = &s->conn[i];
		const hw_socket_status *hs = hw_station_status(&s->hw, i);
		int map = cfg_int(&s->cfg, i == 1 ? CFG_SCN_PHASE_MAPPING_1 : CFG_SCN_PHASE_MAPPING_2);

		so->id = (uint16_t)(n->first_id + i - 1);
		so->phase_map = (uint8_t)(map >= 1 && map <= 9 ? map : 4);
		so->ev_phases = (uint8_t)(hs->ev_phases > 0 && hs->ev_phases <= 3 ? hs->ev_phases : 0);
		so->in_use = c->plugged && st_tx_may_draw(s, c);
		so->min_ma = 6000;
		so->max_ma = s->balance_in.socket[i - 1].max_ma;
		st_grid_currents(s, i, hs, grid);
		for (int k = 0; k < 3; k++)
			so->draw_ma[k] = grid[k] > 0 ? grid[k] : 0;
		so->setpoint_ma = n->share_ma[i - 1];
	}
}

/* The allocator: the live member with the lowest member id (ourselves
 * included), the same on every member whose view is the same. */
static uint32_t allocator_of(const struct st_scn *n)
{
	uint32_t low = n->member;

	for (unsigned i = 0; i < n->view.n_members; i++) {
		const struct scn_member *m = &n->view.member[i];
		if (!m->lost && m->ann.member < low)
			low = m->ann.member;
	}
	return low;
}

/* Our sockets take the shares of an allocator frame. */
static void apply_shares(struct station *s, const struct scn_announce *a)
{
	struct st_scn *n = &s->scn;
	bool changed = false;

	for (int i = 1; i <= s->n_conn; i++) {
		uint16_t id = (uint16_t)(n->first_id + i - 1);
		int32_t share = 0;

		for (unsigned k = 0; k < a->n_alloc; k++)
			if (a->alloc[k].id == id)
				share = a->alloc[k].ma;
		if (share != n->share_ma[i - 1]) {
			CP_DEBUG(TAG, "socket %u: share %.1f A from %08x", id, share / 1000.0, a->member);
			changed = true;
		}
		n->share_ma[i - 1] = share;
	}
	scn_alloc_heard(&n->alloc, a);
	n->applied_from = a->member;
	n->applied_seq = a->seq;
	if (changed)
		st_mark_dirty(s);
}

void st_scn_period(struct station *s)
{
	struct st_scn *n = &s->scn;
	cp_mono_t now = st_now(s);
	uint16_t lost[CP_MAX_SCN_SOCKETS];
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN];
	unsigned nl, nref;
	int len;

	if (!n->on)
		return;
	nl = scn_view_expire(&n->view, now, lost);
	for (unsigned i = 0; i < nl; i++)
		CP_WARN(TAG, "Lost connection with other socket (id: %u)!", lost[i]);
	scn_view_refused(&n->view, &nref);
	if (nref != n->refused_logged) {
		unsigned cnt;
		const struct scn_refusal *r = scn_view_refused(&n->view, &cnt);
		for (unsigned i = 0; i < cnt; i++)
			CP_WARN(TAG, "socket id %u is announced by members %08x and %08x: %08x takes no share until fixed",
			    r[i].id, r[i].holder, r[i].member, r[i].member);
		n->refused_logged = nref;
	}
	{
		/* SCN-SocketCount against what the network shows. */
		unsigned seen = 0;
		for (unsigned id = 0; id < CP_MAX_SCN_SOCKETS; id++)
			if (n->view.owner[id] >= 0 && !n->view.member[n->view.owner[id]].lost)
				seen++;
		if (seen != n->sockets_seen && n->cfg.socket_count && seen != n->cfg.socket_count &&
		    scn_view_state(&n->view) == SCN_VIEW_JOINED)
			CP_WARN(TAG, "SCN-SocketCount is %u but the network shows %u sockets",
			    n->cfg.socket_count, seen);
		n->sockets_seen = seen;
	}
	own_announce(s, &a);
	if (allocator_of(n) == n->member) {
		if (!n->allocator)
			CP_INFO(TAG, "this station allocates the network's shares (lowest member id)");
		n->allocator = true;
		/* Our own sockets as we announce them now. */
		scn_view_self(&n->view, &a, now);
		if (scn_view_balance_input(&n->view, &n->cfg, &n->in) == 0 &&
		    sc_balance_step(&n->bal, &n->in, now, &n->out) == 0) {
			/* The engine's targets through the allocator's rule
			 * (alloc.c); the frame about to go out carries them and
			 * we apply them with it. */
			scn_alloc(&n->alloc, &n->view, n->out.setpoint_ma, n->in.n_sockets, &a);
			apply_shares(s, &a);
		}
	} else {
		if (n->allocator)
			CP_INFO(TAG, "another member allocates the network's shares");
		n->allocator = false;
		/* Which allocator frame our shares come from: the allocator
		 * raises only once every member applies its last one. */
		a.epoch = n->applied_seq;
		/* The network's budget as this member sees it (status). */
		scn_view_balance_input(&n->view, &n->cfg, &n->in);
	}
	/* Announced with the shares now applied. */
	for (int i = 1; i <= s->n_conn; i++)
		a.sock[i - 1].setpoint_ma = n->share_ma[i - 1];
	len = scn_frame_encode(&a, &n->auth, buf, sizeof(buf));
	if (len > 0 && scn_net_fd(&n->net) >= 0)
		scn_net_send(&n->net, buf, (size_t)len);
	scn_view_self(&n->view, &a, now);
	st_timer_arm_in(s, ST_T_SCN, SCN_PERIOD_MS);
}

/* Every datagram waiting: decoded, checked, heard. */
static void scn_receive(struct station *s)
{
	struct st_scn *n = &s->scn;
	uint8_t buf[SCN_FRAME_MAX_LEN + 64];
	struct scn_announce a;
	cp_mono_t now = st_now(s);
	int len, why;

	for (int k = 0; k < 64; k++) {
		len = scn_net_recv(&n->net, buf, sizeof(buf));
		if (len == -EAGAIN)
			break;
		if (len < 0) {
			n->frames_bad++;
			continue;
		}
		if (scn_frame_decode(buf, (size_t)len, &n->auth, &a, &why) < 0) {
			n->frames_bad++;
			continue;
		}
		if (a.member == n->member)
			continue;	/* our own, looped back */
		if (strcmp(a.network, n->cfg.network) != 0) {
			n->frames_other_net++;
			continue;
		}
		n->frames_in++;
		scn_view_heard(&n->view, &a, now);
		/* The allocator's shares apply the moment they arrive (a
		 * lowering at once); older or another member's are ignored. */
		if (a.has_alloc && a.member == allocator_of(n) &&
		    (a.member != n->applied_from || a.seq > n->applied_seq))
			apply_shares(s, &a);
	}
}

static int scn_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct station *s = lws_get_opaque_user_data(wsi);

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (s && s->scn.on) {
			st_event_begin(s);
			scn_receive(s);
			st_event_end(s);
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (s && s->scn.wsi == wsi)
			s->scn.wsi = NULL;
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols st_scn_protocol = {
	.name = "ocpp-cp-scn",
	.callback = scn_callback,
};

bool st_scn_share(const struct station *s, int connector, int32_t *ma)
{
	if (!s->scn.on || connector < 1 || connector > CP_MAX_CONNECTORS)
		return false;
	*ma = s->scn.share_ma[connector - 1];
	return true;
}

void st_scn_status_json(struct station *s, cJSON *out)
{
	struct st_scn *n = &s->scn;
	cJSON *o, *members, *socks, *budget, *use;
	cp_mono_t now = st_now(s);
	int32_t use_ma[3] = { 0, 0, 0 };
	unsigned n_sockets = 0;

	if (!n->on)
		return;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "network", n->cfg.network);
	{
		char id[9];
		snprintf(id, sizeof(id), "%08x", n->member);
		cJSON_AddStringToObject(o, "member", id);
	}
	cJSON_AddStringToObject(o, "state", scn_view_state_name(scn_view_state(&n->view)));
	cJSON_AddBoolToObject(o, "allocator", n->allocator);
	members = cJSON_AddArrayToObject(o, "members");
	socks = cJSON_AddArrayToObject(o, "sockets");
	for (unsigned m = 0; m < n->view.n_members; m++) {
		const struct scn_member *mb = &n->view.member[m];
		cJSON *x = cJSON_CreateObject();
		char id[9];

		snprintf(id, sizeof(id), "%08x", mb->ann.member);
		cJSON_AddStringToObject(x, "member", id);
		cJSON_AddBoolToObject(x, "self", mb->self);
		cJSON_AddBoolToObject(x, "lost", mb->lost);
		cJSON_AddNumberToObject(x, "age_ms", (double)(now.ms - mb->last_heard.ms));
		cJSON_AddItemToArray(members, x);
		for (unsigned k = 0; k < mb->ann.n_sockets; k++) {
			const struct scn_socket_info *si = &mb->ann.sock[k];
			cJSON *y = cJSON_CreateObject(), *cur = cJSON_CreateArray();

			cJSON_AddNumberToObject(y, "id", si->id);
			cJSON_AddStringToObject(y, "member", id);
			cJSON_AddBoolToObject(y, "in_use", si->in_use);
			for (int p = 0; p < 3; p++) {
				cJSON_AddItemToArray(cur, cJSON_CreateNumber((si->draw_ma[p] / 100) / 10.0));
				if (!mb->lost)
					use_ma[p] += si->draw_ma[p];
			}
			cJSON_AddItemToObject(y, "current_a", cur);
			cJSON_AddNumberToObject(y, "setpoint_a", (si->setpoint_ma / 100) / 10.0);
			cJSON_AddItemToArray(socks, y);
			n_sockets++;
		}
	}
	budget = cJSON_AddArrayToObject(o, "budget_a");
	use = cJSON_AddArrayToObject(o, "use_a");
	for (int p = 0; p < 3; p++) {
		cJSON_AddItemToArray(budget, cJSON_CreateNumber((n->in.budget[0].max_ma[p] / 100) / 10.0));
		cJSON_AddItemToArray(use, cJSON_CreateNumber((use_ma[p] / 100) / 10.0));
	}
	cJSON_AddNumberToObject(o, "socket_count", n->cfg.socket_count);
	cJSON_AddNumberToObject(o, "sockets_seen", n_sockets);
	cJSON_AddNumberToObject(o, "frames_in", n->frames_in);
	cJSON_AddNumberToObject(o, "frames_bad", n->frames_bad);
	cJSON_AddNumberToObject(o, "frames_unauthenticated",
	    n->auth.stats.n[SCN_FRAME_E_AUTH_MISSING] + n->auth.stats.n[SCN_FRAME_E_AUTH_BAD] +
	    n->auth.stats.n[SCN_FRAME_E_AUTH_UNEXPECTED] + n->auth.stats.n[SCN_FRAME_E_REPLAY]);
	cJSON_AddNumberToObject(o, "frames_other_network", n->frames_other_net);
	cJSON_AddItemToObject(out, "scn", o);
}

void st_scn_close(struct station *s)
{
	scn_stop(s);
}
