/*
 * grid.c - live grid data for active load balancing (grid.h).
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "cp_log.h"

#define TAG "alb"

/* No fresh data for this long: Safe-MaxCurrent (docs/balancing.md).  A
 * DSMR 5 meter sends every second, a DSMR 4 one every 10 s: the P1 window
 * is 5 s or two of the meter's own intervals, whichever is longer. */
#define GRID_P1_STALE_MS 5000
#define GRID_P1_STALE_MAX_MS 25000
#define GRID_MODBUS_STALE_MS (3 * MB_METER_POLL_MS)

static const char *const source_names[] = {
	[ST_GRID_OFF] = "off", [ST_GRID_P1] = "p1", [ST_GRID_MODBUS] = "modbus",
	[ST_GRID_NONE] = "none",
};

static void stop_source(struct st_grid *g)
{
	if (g->source == ST_GRID_P1)
		p1_port_close(&g->p1);
	else if (g->source == ST_GRID_MODBUS)
		mb_meter_close(&g->mb);
	g->source = ST_GRID_OFF;
}

static int modbus_map(struct station *s, struct mb_map *map)
{
	struct mb_reg_spec custom[3];
	char why[128];
	static const enum cfg_id keys[3] = {
		CFG_MBTCPSMART_CUSTOM_MAP_L1, CFG_MBTCPSMART_CUSTOM_MAP_L2,
		CFG_MBTCPSMART_CUSTOM_MAP_L3,
	};

	if (cfg_enum(&s->cfg, CFG_MBTCPSMART_SLAVE_METER_MODEL) == CFG_METER_SOCOMEC)
		return mb_map_preset(MB_MODEL_SOCOMEC, NULL, map);
	for (int k = 0; k < 3; k++) {
		if (mb_map_parse(cfg_str(&s->cfg, keys[k]), &custom[k], why, sizeof(why)) < 0) {
			CP_WARN(TAG, "MBTCPSmart-SlaveMeterModel None needs MBTCPSmart-CustomMap-L%d: %s",
			    k + 1, why);
			return -EINVAL;
		}
	}
	return mb_map_preset(MB_MODEL_CUSTOM, custom, map);
}

/* The EMS slave (MbsSlaveTCPIP): listens while it is On; setpoints apply
 * per socket with MbsSlaveTCPIPMode socket (docs/balancing.md). */
static void ems_configure(struct station *s)
{
	struct st_grid *g = &s->grid;
	int port = cfg_int(&s->cfg, CFG_MBS_SLAVE_TCPIP_PORT);
	int mode = cfg_enum(&s->cfg, CFG_MBS_SLAVE_TCPIP_MODE);
	int rc;

	if (g->ems_on)
		ems_server_close(&g->ems_srv);
	g->ems_on = false;
	for (int i = 0; i < CP_MAX_CONNECTORS; i++) {
		g->ems_limit_ma[i] = -1;
		g->ems_safe[i] = false;
	}
	ems_snapshot_init(&g->ems_snap);
	ems_state_init(&g->ems_st, (int64_t)cfg_int(&s->cfg, CFG_MBS_SLAVE_TCPIP_VALIDITY_TIME) * 1000);
	if (!cfg_feature_unlocked(&s->cfg, CFG_FEATURE_ALB) || !cfg_bool(&s->cfg, CFG_MBS_SLAVE_TCPIP))
		return;
	rc = ems_server_open(&g->ems_srv, NULL, (uint16_t)port);
	if (rc < 0) {
		CP_ERR(TAG, "EMS Modbus TCP slave: cannot listen on port %d (%d)", port, rc);
		return;
	}
	g->ems_on = true;
	g->ems_snap.station.mode = mode == CFG_EMS_SOCKET ? EMS_MODE_SOCKET :
	    mode == CFG_EMS_SCN ? EMS_MODE_SCN : EMS_MODE_OFF;
	CP_INFO(TAG, "EMS Modbus TCP slave listening on port %u, mode %s, setpoints valid %d s",
	    ems_server_port(&g->ems_srv), mode == CFG_EMS_SOCKET ? "socket" : mode == CFG_EMS_SCN ? "SCN" : "Off",
	    cfg_int(&s->cfg, CFG_MBS_SLAVE_TCPIP_VALIDITY_TIME));
}

/* ---- the descriptors the event loop watches -------------------------------- */

static void watch_drop(struct st_grid_watch *w)
{
	if (w->wsi) {
		lws_set_opaque_user_data(w->wsi, NULL);
		lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
	w->wsi = NULL;
	w->fd = -1;
}

/* Makes the watched set the sources' descriptors of now. */
static void watch_sync(struct station *s)
{
	struct st_grid *g = &s->grid;
	int want[ST_GRID_WATCH];

	for (int i = 0; i < ST_GRID_WATCH; i++)
		want[i] = -1;
	if (g->source == ST_GRID_P1)
		want[0] = p1_port_fd(&g->p1);
	else if (g->source == ST_GRID_MODBUS)
		want[1] = mb_meter_fd(&g->mb);
	if (g->ems_on) {
		int fds[1 + CP_MAX_EMS_MASTERS];
		int n = ems_server_fds(&g->ems_srv, fds);
		for (int i = 0; i < n && 2 + i < ST_GRID_WATCH; i++)
			want[2 + i] = fds[i];
	}
	for (int i = 0; i < ST_GRID_WATCH; i++) {
		struct st_grid_watch *w = &g->watch[i];
		lws_sock_file_fd_type u;
		int d;

		if (w->fd == want[i] && (w->wsi || want[i] < 0))
			continue;
		watch_drop(w);
		if (want[i] < 0 || !s->vhost)
			continue;
		d = fcntl(want[i], F_DUPFD_CLOEXEC, 3);
		if (d < 0)
			continue;	/* the driver tick still looks at it */
		u.filefd = d;
		w->wsi = lws_adopt_descriptor_vhost(s->vhost, LWS_ADOPT_RAW_FILE_DESC, u,
		    st_grid_protocol.name, NULL);
		if (!w->wsi) {
			close(d);
			continue;
		}
		lws_set_opaque_user_data(w->wsi, w);
		w->fd = want[i];
	}
}

static int grid_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct st_grid_watch *w = lws_get_opaque_user_data(wsi);

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (w && w->s) {
			st_event_begin(w->s);
			st_grid_tick(w->s);
			st_event_end(w->s);
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		/* lws let go of its copy (a hang-up): watched again after the
		 * source's next event, if it keeps the descriptor. */
		if (w && w->wsi == wsi) {
			w->wsi = NULL;
			w->fd = -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols st_grid_protocol = {
	.name = "ocpp-cp-grid",
	.callback = grid_callback,
};

void st_grid_configure(struct station *s)
{
	struct st_grid *g = &s->grid;
	cp_mono_t now = st_now(s);
	bool on;

	if (!g->watch[0].s)
		for (int i = 0; i < ST_GRID_WATCH; i++) {
			g->watch[i].s = s;
			g->watch[i].slot = i;
			g->watch[i].fd = -1;
			g->watch[i].wsi = NULL;
		}
	on = cfg_feature_unlocked(&s->cfg, CFG_FEATURE_ALB) &&
	    cfg_bool(&s->cfg, CFG_ACTIVE_LOAD_BALANCING);
	ems_configure(s);
	stop_source(g);
	sc_alb_init(&g->alb);
	g->mb_seen = 0;
	g->p1_prev = cp_mono(-1);
	g->logged_safe = false;
	memset(&g->cfg, 0, sizeof(g->cfg));
	g->cfg.grid_max_ma = cfg_ma(&s->cfg, CFG_SMART_METER_MAX_CURRENT);
	g->cfg.safe_ma = cfg_ma(&s->cfg, CFG_SAFE_MAX_CURRENT);
	g->cfg.includes_charger = cfg_bool(&s->cfg, CFG_SMART_METER_INCLUDES_CHARGER);
	g->cfg.window_ms = 1000;
	if (!on) {
		watch_sync(s);
		st_mark_dirty(s);
		return;
	}
	g->source = ST_GRID_NONE;
	if (!cfg_is_set(&s->cfg, CFG_SMART_METER_MAX_CURRENT))
		CP_WARN(TAG, "Active-LoadBalancing is On but SmartMeter-MaxCurrent is not set: safe mode");
	else if (cfg_is_set(&s->cfg, CFG_ALB_PROTOCOL_SELECTION) &&
	    cfg_enum(&s->cfg, CFG_ALB_PROTOCOL_SELECTION) == CFG_ALB_DSMR_P1) {
		const char *dev = cfg_str(&s->cfg, CFG_ALB_P1_DEVICE);
		g->source = ST_GRID_P1;
		g->cfg.stale_ms = GRID_P1_STALE_MS;
		p1_port_init(&g->p1, dev && dev[0] ? dev : "/dev/ttyS1",
		    cfg_enum(&s->cfg, CFG_ALB_P1_MODE) == CFG_P1_DSMR23 ? P1_DSMR23 : P1_DSMR45, now);
	} else if (cfg_is_set(&s->cfg, CFG_ALB_PROTOCOL_SELECTION) &&
	    cfg_enum(&s->cfg, CFG_ALB_PROTOCOL_SELECTION) == CFG_ALB_MODBUS_TCP &&
	    cfg_bool(&s->cfg, CFG_MBTCPSMART_IS_ENABLED)) {
		struct mb_map map;
		uint32_t ip = cfg_ipv4(&s->cfg, CFG_MBTCPSMART_IP_ADDRESS);
		char host[16];
		int rc;

		snprintf(host, sizeof(host), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
		    (ip >> 8) & 255, ip & 255);
		rc = modbus_map(s, &map);
		if (rc == 0)
			rc = mb_meter_init(&g->mb, host, (uint16_t)cfg_int(&s->cfg, CFG_MBTCPSMART_PORT),
			    (uint8_t)cfg_int(&s->cfg, CFG_MBTCPSMART_SLAVE_UNIT_ID), &map);
		if (rc == 0) {
			g->source = ST_GRID_MODBUS;
			g->cfg.stale_ms = GRID_MODBUS_STALE_MS;
		} else {
			CP_WARN(TAG, "the Modbus TCP meter %s cannot be used (%d): safe mode", host, rc);
		}
	} else {
		CP_WARN(TAG, "Active-LoadBalancing is On without a meter (ALB-ProtocolSelection, "
		    "MBTCPSmart-IsEnabled): safe mode");
	}
	CP_INFO(TAG, "active load balancing on: source %s, SmartMeter-MaxCurrent %.1f A, Safe-MaxCurrent %.1f A",
	    source_names[g->source], g->cfg.grid_max_ma / 1000.0, g->cfg.safe_ma / 1000.0);
	g->mode = SC_ALB_SAFE;
	for (int k = 0; k < 3; k++)
		g->budget_ma[k] = g->cfg.safe_ma;
	watch_sync(s);
	st_mark_dirty(s);
}

/* A telegram or a poll answered: the meter's current per grid phase. */
static void reading(struct station *s, const int32_t ma[3], cp_mono_t now)
{
	sc_alb_reading(&s->grid.alb, &s->grid.cfg, now, ma);
}

static void p1_reading(void *ctx, const struct p1_reading *r, cp_mono_t now)
{
	struct station *s = ctx;
	struct st_grid *g = &s->grid;
	int32_t ma[3] = { r->current_ma[0], 0, 0 };

	/* A 1-phase meter: the whole connection is L1. */
	if (r->phases == 3)
		memcpy(ma, r->current_ma, sizeof(ma));
	if (g->p1_prev.ms >= 0 && g->alb.have) {
		int64_t gap = now.ms - g->alb.reading_at.ms;
		int64_t stale = 2 * gap > GRID_P1_STALE_MS ? 2 * gap : GRID_P1_STALE_MS;
		g->cfg.stale_ms = stale < GRID_P1_STALE_MAX_MS ? stale : GRID_P1_STALE_MAX_MS;
		g->cfg.window_ms = gap < 10000 ? gap : 10000;
	}
	g->p1_prev = now;
	reading(s, ma, now);
}

static void io(struct station *s, cp_mono_t now)
{
	struct st_grid *g = &s->grid;
	struct pollfd pfd = { .fd = -1 };

	if (g->source == ST_GRID_P1) {
		p1_port_on_timer(&g->p1, now);
		pfd.fd = p1_port_fd(&g->p1);
		pfd.events = POLLIN;
		if (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0)
			p1_port_on_readable(&g->p1, now, p1_reading, s);
	} else if (g->source == ST_GRID_MODBUS) {
		struct mb_reading r;
		cp_mono_t at;

		mb_meter_on_timer(&g->mb, now);
		pfd.fd = mb_meter_fd(&g->mb);
		pfd.events = (short)(POLLIN | (mb_meter_wants_write(&g->mb) ? POLLOUT : 0));
		if (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0) {
			if (pfd.revents & (POLLOUT | POLLERR | POLLHUP))
				mb_meter_on_writable(&g->mb, now);
			if (mb_meter_fd(&g->mb) >= 0 && (pfd.revents & (POLLIN | POLLERR | POLLHUP)))
				mb_meter_on_readable(&g->mb, now);
		}
		if (mb_meter_counters(&g->mb)->polls_ok != g->mb_seen &&
		    mb_meter_reading(&g->mb, &r, &at)) {
			g->mb_seen = mb_meter_counters(&g->mb)->polls_ok;
			reading(s, r.current_ma, at);
		}
	}
}

/* What the EMS reads: the station now. */
static void ems_snapshot(struct station *s)
{
	struct ems_snapshot *e = &s->grid.ems_snap;

	e->station.n_sockets = s->n_conn;
	e->station.max_ma = cfg_ma(&s->cfg, CFG_STATION_MAX_CURRENT);
	/* The network's limits for its budget registers (1417.., 1429). */
	e->station.scn_max_ma = s->scn.on ? s->scn.cfg.total_static_ma : EMS_NA;
	e->station.scn_safe_ma = s->scn.on ? s->scn.cfg.total_safe_ma : EMS_NA;
	for (int i = 1; i <= s->n_conn; i++) {
		const hw_socket_status *hs = hw_station_status(&s->hw, i);
		struct ems_socket *so = &e->sock[i - 1];

		so->max_ma = cfg_ma(&s->cfg, i == 1 ? CFG_CONNECTOR1_MAX_CURRENT : CFG_CONNECTOR2_MAX_CURRENT);
		so->applied_ma = hs->offered_ma;
		for (int k = 0; k < 3; k++) {
			so->current_ma[k] = hs->current_ma[k];
			so->voltage_mv[k] = hs->voltage_mv[k];
			so->power_w[k] = (int32_t)((int64_t)hs->current_ma[k] * hs->voltage_mv[k] / 1000000);
		}
		so->energy_wh = hs->energy_wh;
		snprintf(so->mode3, sizeof(so->mode3), "%s", hw_pilot_name(hs->pilot));
		so->phases = hs->ev_phases;
	}
}

static void ems_tick(struct station *s, cp_mono_t now)
{
	struct st_grid *g = &s->grid;
	int fds[1 + CP_MAX_EMS_MASTERS];
	struct pollfd pfd[1 + CP_MAX_EMS_MASTERS];
	int n;
	bool dirty = false;

	ems_snapshot(s);
	n = ems_server_fds(&g->ems_srv, fds);
	for (int i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	if (n > 0 && poll(pfd, (nfds_t)n, 0) > 0)
		for (int i = 0; i < n; i++)
			if (pfd[i].revents)
				ems_server_on_readable(&g->ems_srv, pfd[i].fd, now, &g->ems_snap, &g->ems_st);
	ems_server_on_timer(&g->ems_srv, now);
	if (g->ems_snap.station.mode != EMS_MODE_SOCKET)
		return;
	for (int i = 1; i <= s->n_conn; i++) {
		int32_t ma;
		bool fresh = ems_setpoint(&g->ems_st, i, now, &ma);

		if (!fresh)
			ma = g->cfg.safe_ma > 0 ? g->cfg.safe_ma : cfg_ma(&s->cfg, CFG_SAFE_MAX_CURRENT);
		if (!fresh && !g->ems_safe[i - 1])
			CP_WARN(TAG, "Enter ActiveLB safeMode: %.1fA (no valid EMS setpoint for socket %d)",
			    ma / 1000.0, i);
		else if (fresh && g->ems_safe[i - 1])
			CP_INFO(TAG, "Leave ActiveLB safeMode: socket %d has an EMS setpoint", i);
		if (g->ems_safe[i - 1] != !fresh || g->ems_limit_ma[i - 1] != ma)
			dirty = true;
		g->ems_safe[i - 1] = !fresh;
		g->ems_limit_ma[i - 1] = ma;
	}
	if (dirty)
		st_mark_dirty(s);
}

bool st_grid_ems_scn_budget(const struct station *s, int32_t budget_ma[3], bool *safe)
{
	const struct st_grid *g = &s->grid;
	cp_mono_t now = st_now(s);
	bool fresh = true;

	if (!g->ems_on || g->ems_snap.station.mode != EMS_MODE_SCN)
		return false;
	for (int k = 0; k < 3; k++)
		if (!ems_scn_setpoint(&g->ems_st, k, now, &budget_ma[k]))
			fresh = false;
	if (!fresh)
		for (int k = 0; k < 3; k++)
			budget_ma[k] = 0;
	*safe = !fresh;
	return true;
}

bool st_grid_ems_limit(const struct station *s, int connector, int32_t *ma, bool *safe)
{
	const struct st_grid *g = &s->grid;

	if (!g->ems_on || g->ems_snap.station.mode != EMS_MODE_SOCKET || connector < 1 ||
	    connector > CP_MAX_CONNECTORS || g->ems_limit_ma[connector - 1] < 0)
		return false;
	*ma = g->ems_limit_ma[connector - 1];
	*safe = g->ems_safe[connector - 1];
	return true;
}

void st_grid_tick(struct station *s)
{
	struct st_grid *g = &s->grid;
	cp_mono_t now = st_now(s), until;
	int32_t own[3] = { 0 }, budget[3];
	enum sc_alb_mode mode;

	/* Every driver tick: nothing to do without a meter or an EMS (their
	 * descriptors were let go when they were switched off). */
	if (!g->ems_on && g->source == ST_GRID_OFF)
		return;
	if (g->ems_on)
		ems_tick(s, now);
	if (g->source == ST_GRID_OFF) {
		watch_sync(s);
		return;
	}
	for (int i = 1; i <= s->n_conn; i++) {
		int32_t grid[3];
		st_grid_currents(s, i, hw_station_status(&s->hw, i), grid);
		for (int k = 0; k < 3; k++)
			own[k] += grid[k];
	}
	sc_alb_own(&g->alb, now, own);
	io(s, now);
	mode = sc_alb_budget(&g->alb, &g->cfg, now, budget, &until);
	if (mode != g->mode) {
		if (mode == SC_ALB_SAFE) {
			if (g->source == ST_GRID_MODBUS)
				CP_WARN(TAG, "Modbus TCP/IP lost, in safe mode max %.1fA", g->cfg.safe_ma / 1000.0);
			CP_WARN(TAG, "Enter ActiveLB safeMode: %.1fA", g->cfg.safe_ma / 1000.0);
		} else {
			CP_INFO(TAG, "Leave ActiveLB safeMode: meter data is back");
		}
	}
	if (mode != g->mode || memcmp(budget, g->budget_ma, sizeof(budget)) != 0) {
		g->mode = mode;
		memcpy(g->budget_ma, budget, sizeof(budget));
		st_mark_dirty(s);
	}
	watch_sync(s);
}

bool st_grid_budget(const struct station *s, int32_t budget_ma[3], bool *safe)
{
	const struct st_grid *g = &s->grid;

	if (g->source == ST_GRID_OFF)
		return false;
	memcpy(budget_ma, g->budget_ma, sizeof(g->budget_ma));
	*safe = g->mode == SC_ALB_SAFE;
	return true;
}

static cJSON *amps3(const int32_t ma[3])
{
	cJSON *a = cJSON_CreateArray();

	for (int k = 0; k < 3; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((ma[k] / 100) / 10.0));
	return a;
}

void st_grid_status_json(struct station *s, cJSON *out)
{
	struct st_grid *g = &s->grid;
	cJSON *o = cJSON_CreateObject();
	cp_mono_t now = st_now(s);

	cJSON_AddStringToObject(o, "source", source_names[g->source]);
	if (g->ems_on) {
		const struct ems_server_counters *c = &g->ems_srv.cnt;
		cJSON *e = cJSON_CreateObject(), *lim = cJSON_CreateArray();

		cJSON_AddNumberToObject(e, "port", ems_server_port(&g->ems_srv));
		cJSON_AddStringToObject(e, "mode", g->ems_snap.station.mode == EMS_MODE_SOCKET ? "socket" :
		    g->ems_snap.station.mode == EMS_MODE_SCN ? "SCN" : "Off");
		cJSON_AddNumberToObject(e, "masters", ems_server_masters(&g->ems_srv));
		cJSON_AddNumberToObject(e, "requests", c->requests);
		cJSON_AddNumberToObject(e, "exceptions", c->exceptions);
		cJSON_AddNumberToObject(e, "refused", c->refused);
		for (int i = 1; i <= s->n_conn; i++) {
			int32_t ma;
			bool safe;
			cJSON *x = cJSON_CreateObject();
			if (st_grid_ems_limit(s, i, &ma, &safe)) {
				cJSON_AddNumberToObject(x, "limit_a", (ma / 100) / 10.0);
				cJSON_AddBoolToObject(x, "safe", safe);
			} else {
				cJSON_AddNullToObject(x, "limit_a");
			}
			cJSON_AddItemToArray(lim, x);
		}
		cJSON_AddItemToObject(e, "sockets", lim);
		cJSON_AddItemToObject(o, "ems", e);
	}
	if (g->source != ST_GRID_OFF) {
		cJSON_AddStringToObject(o, "mode", g->mode == SC_ALB_SAFE ? "safe" : "live");
		cJSON_AddItemToObject(o, "budget_a", amps3(g->budget_ma));
		if (g->alb.have) {
			cJSON_AddItemToObject(o, "reading_a", amps3(g->alb.reading_ma));
			cJSON_AddItemToObject(o, "other_load_a", amps3(g->alb.other_ma));
			cJSON_AddNumberToObject(o, "age_ms", (double)(now.ms - g->alb.reading_at.ms));
		} else {
			cJSON_AddNullToObject(o, "reading_a");
		}
	}
	if (g->source == ST_GRID_P1) {
		const struct p1_parser *p = &g->p1.parser;
		cJSON_AddStringToObject(o, "device", g->p1.path);
		cJSON_AddBoolToObject(o, "device_open", p1_port_fd(&g->p1) >= 0);
		cJSON_AddNumberToObject(o, "telegrams_ok", p->telegrams_ok);
		cJSON_AddNumberToObject(o, "crc_errors", p->crc_errors);
		cJSON_AddNumberToObject(o, "oversize", p->oversize);
		cJSON_AddNumberToObject(o, "bad", p->bad);
		cJSON_AddNumberToObject(o, "reopens", g->p1.reopens);
	} else if (g->source == ST_GRID_MODBUS) {
		const struct mb_meter_counters *c = mb_meter_counters(&g->mb);
		cJSON_AddStringToObject(o, "meter", g->mb.name);
		cJSON_AddNumberToObject(o, "polls_ok", c->polls_ok);
		cJSON_AddNumberToObject(o, "polls_failed", c->polls_failed);
		cJSON_AddNumberToObject(o, "exceptions", c->exceptions);
		cJSON_AddNumberToObject(o, "timeouts", c->timeouts);
		cJSON_AddNumberToObject(o, "reconnects", c->reconnects);
	}
	cJSON_AddItemToObject(out, "grid", o);
}

void st_grid_close(struct station *s)
{
	for (int i = 0; i < ST_GRID_WATCH; i++)
		if (s->grid.watch[i].s)
			watch_drop(&s->grid.watch[i]);
	if (s->grid.ems_on)
		ems_server_close(&s->grid.ems_srv);
	s->grid.ems_on = false;
	stop_source(&s->grid);
}
