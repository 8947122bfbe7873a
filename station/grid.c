/*
 * grid.c - live grid data for active load balancing (grid.h).
 */
#include "station/station.h"

#include <errno.h>
#include <poll.h>
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

void st_grid_configure(struct station *s)
{
	struct st_grid *g = &s->grid;
	cp_mono_t now = st_now(s);
	bool on = cfg_feature_unlocked(&s->cfg, CFG_FEATURE_ALB) &&
	    cfg_bool(&s->cfg, CFG_ACTIVE_LOAD_BALANCING);

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
		p1_port_init(&g->p1, dev && dev[0] ? dev : "/dev/ttyS1", P1_DSMR45, now);
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

void st_grid_tick(struct station *s)
{
	struct st_grid *g = &s->grid;
	cp_mono_t now = st_now(s), until;
	int32_t own[3] = { 0 }, budget[3];
	enum sc_alb_mode mode;

	if (g->source == ST_GRID_OFF)
		return;
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
	stop_source(&s->grid);
}
