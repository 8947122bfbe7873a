/*
 * meters.c - the socket energy meters on the Modbus RTU bus (meters.h).
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp_log.h"
#include "hw/rtu.h"

#define TAG "meter"

static void arm(struct station *s);

/* ---- configuration ---------------------------------------------------------- */

static const enum cfg_id unit_keys[CP_MAX_CONNECTORS + 1] = {
	[1] = CFG_METER_UNIT_ID_1, [2] = CFG_METER_UNIT_ID_2,
};

/* One optional custom spec: false when empty, -EINVAL when it does not
 * parse (the key's own check keeps that from being stored). */
static int custom_spec(struct station *s, enum cfg_id id, bool *has, struct mb_reg_spec *out)
{
	const char *text = cfg_str(&s->cfg, id);

	*has = text && text[0];
	if (!*has)
		return 0;
	return mb_map_parse(text, out, NULL, 0);
}

static int build_map(struct station *s, struct rtu_map *map, char *why, size_t whylen)
{
	static const enum cfg_id cur[3] = {
		CFG_METER_CUSTOM_CURRENT_L1, CFG_METER_CUSTOM_CURRENT_L2, CFG_METER_CUSTOM_CURRENT_L3,
	};
	static const enum cfg_id volt[3] = {
		CFG_METER_CUSTOM_VOLTAGE_L1, CFG_METER_CUSTOM_VOLTAGE_L2, CFG_METER_CUSTOM_VOLTAGE_L3,
	};
	struct rtu_custom c;
	int rc = 0;

	switch (cfg_enum(&s->cfg, CFG_METER_MODEL)) {
	case CFG_SMETER_SDM630:
		return rtu_map_preset(RTU_MODEL_SDM630, NULL, map, why, whylen);
	case CFG_SMETER_ABB_B23:
		return rtu_map_preset(RTU_MODEL_ABB_B23, NULL, map, why, whylen);
	default:
		break;
	}
	memset(&c, 0, sizeof(c));
	c.fn = cfg_enum(&s->cfg, CFG_METER_CUSTOM_FUNCTION) == CFG_MFN_HOLDING ?
	    RTU_FN_READ_HOLDING : RTU_FN_READ_INPUT;
	for (int k = 0; k < 3 && rc == 0; k++) {
		rc = custom_spec(s, cur[k], &c.has_current[k], &c.current[k]);
		if (rc == 0)
			rc = custom_spec(s, volt[k], &c.has_voltage[k], &c.voltage[k]);
	}
	if (rc == 0)
		rc = custom_spec(s, CFG_METER_CUSTOM_POWER, &c.has_power, &c.power);
	if (rc == 0)
		rc = custom_spec(s, CFG_METER_CUSTOM_ENERGY, &c.has_energy, &c.energy);
	if (rc < 0) {
		snprintf(why, whylen, "a custom map key does not parse");
		return rc;
	}
	return rtu_map_preset(RTU_MODEL_CUSTOM, &c, map, why, whylen);
}

/* ---- the descriptor the event loop watches ---------------------------------- */

static void watch_drop(struct st_meters *mt)
{
	if (mt->wsi) {
		lws_set_opaque_user_data(mt->wsi, NULL);
		lws_set_timeout(mt->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
	mt->wsi = NULL;
	mt->watch_fd = -1;
}

/* Watches a dup of the bus descriptor of now (it changes on a reopen). */
static void watch_sync(struct station *s)
{
	struct st_meters *mt = &s->meters;
	int want = mt->on ? rtu_bus_fd(&mt->bus) : -1;
	lws_sock_file_fd_type u;
	int d;

	if (mt->watch_fd == want && (mt->wsi || want < 0))
		return;
	watch_drop(mt);
	if (want < 0 || !s->vhost)
		return;
	d = fcntl(want, F_DUPFD_CLOEXEC, 3);
	if (d < 0)
		return;		/* the timer still reads it at the next poll */
	u.filefd = d;
	mt->wsi = lws_adopt_descriptor_vhost(s->vhost, LWS_ADOPT_RAW_FILE_DESC, u,
	    st_meters_protocol.name, NULL);
	if (!mt->wsi) {
		close(d);
		return;
	}
	lws_set_opaque_user_data(mt->wsi, mt);
	mt->watch_fd = want;
}

/* ---- readings and faults to the driver -------------------------------------- */

static void set_fault(struct station *s, int i, const char *info)
{
	struct st_meters *mt = &s->meters;

	if (mt->fault[i] == (info != NULL))
		return;
	mt->fault[i] = info != NULL;
	hw_station_set_meter_fault(&s->hw, i, info, st_now(s));
	st_mark_dirty(s);
}

static void feed(struct station *s, int i, const struct rtu_meter *m)
{
	const hw_socket_status *hs = hw_station_status(&s->hw, i);
	hw_meter_reading r;

	memset(&r, 0, sizeof(r));
	for (int k = 0; k < 3; k++) {
		r.current_ma[k] = m->reading.current_ma[k];
		r.voltage_mv[k] = m->reading.voltage_mv[k];
	}
	r.energy_wh = m->reading.energy_wh;
	/* The register of an import meter only counts up: a lower one is a
	 * replaced or reset meter, reported as it reads (it is the meter the
	 * central system bills from) and logged once. */
	if (r.energy_wh < hs->energy_wh && !s->meters.went_back[i]) {
		s->meters.went_back[i] = true;
		CP_WARN(TAG, "connector %d: meter unit %u register went back from %lld to %lld Wh "
		    "(meter replaced or reset?)", i, (unsigned)m->unit,
		    (long long)hs->energy_wh, (long long)r.energy_wh);
	}
	hw_station_set_meter(&s->hw, i, &r);
}

/* After every event of the bus: new readings to the driver, failures and
 * recoveries to the socket's fault. */
static void apply(struct station *s)
{
	struct st_meters *mt = &s->meters;

	for (int i = 1; i <= s->n_conn; i++) {
		const struct rtu_meter *m = rtu_bus_meter(&mt->bus, mt->index[i]);
		const hw_socket_status *hs = hw_station_status(&s->hw, i);

		if (!m)
			continue;
		if (m->seq != mt->seen[i]) {
			mt->seen[i] = m->seq;
			if (m->failed) {
				char info[64];

				snprintf(info, sizeof(info), "meter unit %u %s", (unsigned)m->unit,
				    m->last_error == RTU_ERR_EXCEPTION ? "refuses the register map" :
				    m->last_error == RTU_ERR_TIMEOUT || m->last_error == RTU_ERR_DEVICE ?
				    "not answering" : rtu_error_text(m->last_error));
				set_fault(s, i, info);
			} else {
				if (m->have_reading)
					feed(s, i, m);
				set_fault(s, i, NULL);
			}
		}
		if (mt->fault[i] && !hs->contactor) {
			/* Without readings the last currents would count as a draw
			 * the balancing keeps room for; with the contactor open
			 * (within 6 s of the offer going, hw/mode3.c) none flows. */
			hw_meter_reading r;

			memset(&r, 0, sizeof(r));
			for (int k = 0; k < 3; k++)
				r.voltage_mv[k] = hs->voltage_mv[k];
			r.energy_wh = hs->energy_wh;
			hw_station_set_meter(&s->hw, i, &r);
		}
	}
}

/* ---- the event loop --------------------------------------------------------- */

static void sul_cb(lws_sorted_usec_list_t *sul)
{
	struct st_meters *mt = lws_container_of(sul, struct st_meters, sul);
	struct station *s = mt->s;

	st_event_begin(s);
	if (mt->on) {
		rtu_bus_on_timer(&mt->bus, st_real(s));
		apply(s);
		watch_sync(s);
	}
	st_event_end(s);
	arm(s);
}

static void arm(struct station *s)
{
	struct st_meters *mt = &s->meters;
	cp_real_t at;
	int64_t ms;

	if (!mt->on || !s->lws) {
		lws_sul_cancel(&mt->sul);
		return;
	}
	at = rtu_bus_next_deadline(&mt->bus);
	if (at.ms == INT64_MAX) {
		lws_sul_cancel(&mt->sul);
		return;
	}
	ms = at.ms == INT64_MIN ? 0 : at.ms - st_clock_real_mono().ms;
	lws_sul_schedule(s->lws, 0, &mt->sul, sul_cb, ms > 0 ? (lws_usec_t)ms * LWS_US_PER_MS : 0);
}

static int meters_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct st_meters *mt = lws_get_opaque_user_data(wsi);

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (mt && mt->s && mt->on) {
			struct station *s = mt->s;

			st_event_begin(s);
			rtu_bus_on_readable(&mt->bus, st_real(s));
			rtu_bus_on_timer(&mt->bus, st_real(s));
			apply(s);
			watch_sync(s);
			st_event_end(s);
			arm(s);
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		/* lws let go of its copy (a hang-up): watched again after the
		 * bus reopens. */
		if (mt && mt->wsi == wsi) {
			mt->wsi = NULL;
			mt->watch_fd = -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols st_meters_protocol = {
	.name = "ocpp-cp-meters",
	.callback = meters_callback,
};

/* ---- start, stop, status ---------------------------------------------------- */

static const char *model_name(int m)
{
	return m == CFG_SMETER_ABB_B23 ? "ABB-B23" : m == CFG_SMETER_CUSTOM ? "Custom" : "SDM630";
}

/* The register each socket had at the last shutdown, until the meter is
 * read (the simulator restores its own, main.c open_hw). */
static void seed(struct station *s)
{
	for (int i = 1; i <= s->n_conn; i++) {
		char key[32];
		int64_t wh = 0;
		hw_meter_reading r;

		snprintf(key, sizeof(key), "meter.%d", i);
		if (store_state_get_int(s->db, key, &wh) < 0 || wh <= 0)
			continue;
		memset(&r, 0, sizeof(r));
		r.energy_wh = wh;
		hw_station_set_meter(&s->hw, i, &r);
	}
}

static void stop(struct station *s)
{
	struct st_meters *mt = &s->meters;

	watch_drop(mt);
	if (mt->on)
		rtu_bus_close(&mt->bus);
	mt->on = false;
	if (s->lws)
		lws_sul_cancel(&mt->sul);
}

/* No usable configuration while Meter-Device names a bus: every socket
 * faults (PowerMeterFailure) rather than charge without a meter. */
static void unusable(struct station *s, const char *why)
{
	char info[64];

	snprintf(s->meters.unusable, sizeof(s->meters.unusable), "%s", why);
	CP_WARN(TAG, "socket meters on %s cannot be used: %s", cfg_str(&s->cfg, CFG_METER_DEVICE), why);
	/* StatusNotification.info is CiString50: the reason is in the log
	 * and in status. */
	snprintf(info, sizeof(info), "meter configuration not usable");
	for (int i = 1; i <= s->n_conn; i++)
		set_fault(s, i, info);
}

void st_meters_configure(struct station *s)
{
	struct st_meters *mt = &s->meters;
	const char *dev = cfg_str(&s->cfg, CFG_METER_DEVICE);
	struct rtu_line line;
	struct rtu_map map;
	cp_real_t now = st_real(s);
	char why[64];
	int rc;

	if (!mt->s) {
		mt->s = s;
		mt->watch_fd = -1;
	}
	if (mt->on) {
		/* The meters go: their last currents no longer flow through
		 * anything the station knows; the register stays. */
		for (int i = 1; i <= s->n_conn; i++) {
			hw_meter_reading r;

			memset(&r, 0, sizeof(r));
			r.energy_wh = hw_station_status(&s->hw, i)->energy_wh;
			hw_station_set_meter(&s->hw, i, &r);
		}
	}
	stop(s);
	mt->unusable[0] = '\0';
	for (int i = 0; i <= CP_MAX_CONNECTORS; i++) {
		mt->index[i] = -1;
		mt->seen[i] = 0;
		mt->went_back[i] = false;
	}
	for (int i = 1; i <= s->n_conn; i++)
		set_fault(s, i, NULL);
	if (s->sim_backend) {
		if (dev && dev[0])
			CP_INFO(TAG, "Meter-Device is set but --hw sim has its own meters: not used");
		return;
	}
	if (!mt->seeded) {
		mt->seeded = true;
		seed(s);
	}
	if (!dev || !dev[0])
		return;
	line.baud = cfg_int(&s->cfg, CFG_METER_BAUD);
	line.parity = cfg_enum(&s->cfg, CFG_METER_PARITY) == CFG_PARITY_EVEN ? RTU_PARITY_EVEN :
	    cfg_enum(&s->cfg, CFG_METER_PARITY) == CFG_PARITY_ODD ? RTU_PARITY_ODD : RTU_PARITY_NONE;
	if (build_map(s, &map, why, sizeof(why)) < 0) {
		unusable(s, why);
		return;
	}
	rc = rtu_bus_init(&mt->bus, dev, &line, now);
	if (rc == -EINVAL || rc == -ENAMETOOLONG) {
		unusable(s, rc == -EINVAL ? "line settings" : "device path too long");
		return;
	}
	mt->on = true;
	for (int i = 1; i <= s->n_conn; i++) {
		mt->index[i] = rtu_bus_add_meter(&mt->bus, (uint8_t)cfg_int(&s->cfg, unit_keys[i]),
		    &map, now);
		if (mt->index[i] >= 0)
			mt->seen[i] = rtu_bus_meter(&mt->bus, mt->index[i])->seq;
	}
	if (s->n_conn > 1)
		snprintf(why, sizeof(why), "units %d and %d", cfg_int(&s->cfg, unit_keys[1]),
		    cfg_int(&s->cfg, unit_keys[2]));
	else
		snprintf(why, sizeof(why), "unit %d", cfg_int(&s->cfg, unit_keys[1]));
	CP_INFO(TAG, "socket meters: %s %s on %s, %d baud, parity %s",
	    model_name(cfg_enum(&s->cfg, CFG_METER_MODEL)), why, dev, line.baud,
	    line.parity == RTU_PARITY_EVEN ? "even" : line.parity == RTU_PARITY_ODD ? "odd" :
	    "none (2 stop bits)");
	watch_sync(s);
	arm(s);
}

bool st_meters_power(struct station *s, int connector, int32_t *watts)
{
	struct st_meters *mt = &s->meters;
	const struct rtu_meter *m;

	if (s->sim_backend || !mt->on || connector < 1 || connector > s->n_conn)
		return false;
	m = rtu_bus_meter(&mt->bus, mt->index[connector]);
	if (!m || !m->have_reading || m->failed || !m->reading.has_power)
		return false;
	*watts = m->reading.power_w;
	return true;
}

void st_meters_status_json(struct station *s, int connector, cJSON *conn)
{
	struct st_meters *mt = &s->meters;
	cJSON *o = cJSON_CreateObject();
	const struct rtu_meter *m = mt->on ? rtu_bus_meter(&mt->bus, mt->index[connector]) : NULL;

	if (s->sim_backend) {
		cJSON_AddStringToObject(o, "source", "sim");
		cJSON_AddBoolToObject(o, "ok", true);
	} else if (!m) {
		cJSON_AddStringToObject(o, "source", mt->unusable[0] ? "rtu" : "none");
		cJSON_AddBoolToObject(o, "ok", false);
		if (mt->unusable[0])
			cJSON_AddStringToObject(o, "error", mt->unusable);
	} else {
		cJSON_AddStringToObject(o, "source", "rtu");
		cJSON_AddBoolToObject(o, "ok", m->have_reading && !m->failed);
		cJSON_AddStringToObject(o, "device", mt->bus.path);
		cJSON_AddBoolToObject(o, "device_open", rtu_bus_fd(&mt->bus) >= 0);
		cJSON_AddStringToObject(o, "model", model_name(cfg_enum(&s->cfg, CFG_METER_MODEL)));
		cJSON_AddNumberToObject(o, "unit", m->unit);
		if (m->have_reading) {
			cJSON_AddNumberToObject(o, "age_ms", (double)(st_real(s).ms - m->reading_at.ms));
			if (m->reading.has_power)
				cJSON_AddNumberToObject(o, "power_w", m->reading.power_w);
			cJSON_AddNumberToObject(o, "energy_wh", (double)m->reading.energy_wh);
		} else {
			cJSON_AddNullToObject(o, "age_ms");
		}
		if (m->last_error != RTU_ERR_NONE)
			cJSON_AddStringToObject(o, "error", rtu_error_text(m->last_error));
		cJSON_AddNumberToObject(o, "polls_ok", m->cnt.polls_ok);
		cJSON_AddNumberToObject(o, "polls_failed", m->cnt.polls_failed);
		cJSON_AddNumberToObject(o, "timeouts", m->cnt.timeouts);
		cJSON_AddNumberToObject(o, "exceptions", m->cnt.exceptions);
		cJSON_AddNumberToObject(o, "bad_frames", m->cnt.bad_frames);
		cJSON_AddNumberToObject(o, "reopens", mt->bus.reopens);
	}
	cJSON_AddItemToObject(conn, "meter", o);
}

void st_meters_close(struct station *s)
{
	if (s->meters.s)
		stop(s);
}
