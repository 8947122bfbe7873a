/*
 * loop.c - station timers on the scaled clock.
 *
 * A fixed table of deadlines (one per purpose, STYLE 7: no allocation) and a
 * single libwebsockets timer armed for the earliest one, converted to real
 * time.  Nothing polls: when no deadline is armed the loop sleeps in poll().
 */
#include "station/station.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cp_log.h"

#define TAG "clock"

static void timer_fire(lws_sorted_usec_list_t *sul);

/*
 * The clock is read once per event: st_event_begin() at the start of
 * whatever the loop dispatches (a timer, a frame, a control line, a worker's
 * result) takes the station time and UTC, and everything that event does
 * sees that one instant through st_now() / st_utc() / st_timestamp(), and
 * the real monotonic time the RPC deadlines run on through st_real().
 * Outside an event (start-up) they read the clock.  Events nest (a reply
 * handled inside a timer's send): the outermost one's instant holds.
 */
void st_event_begin(struct station *s)
{
	if (s->ev_depth++ == 0) {
		s->ev_mono = st_clock_mono(&s->clock);
		s->ev_utc_ms = st_clock_utc_ms(&s->clock);
		s->ev_real = st_clock_real_mono();
	}
}

void st_event_end(struct station *s)
{
	if (s->ev_depth > 0)
		s->ev_depth--;
	if (s->ev_depth == 0)
		st_http_touch(s);	/* live clients see what the event changed */
}

cp_mono_t st_now(const struct station *s)
{
	return s->ev_depth ? s->ev_mono : st_clock_mono(&s->clock);
}

cp_real_t st_real(const struct station *s)
{
	return s->ev_depth ? s->ev_real : st_clock_real_mono();
}

int64_t st_utc_ms(const struct station *s)
{
	return s->ev_depth ? s->ev_utc_ms : st_clock_utc_ms(&s->clock);
}

cp_utc_t st_utc(const struct station *s)
{
	int64_t ms = st_utc_ms(s);

	return cp_utc(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
}

void st_timestamp(const struct station *s, char buf[OCPP_TIME_LEN])
{
	int64_t ms = st_utc_ms(s);
	char base[OCPP_TIME_LEN];

	ocpp_time_format(cp_utc(ms / 1000), base);
	/* Keep milliseconds: with --time-scale many events share a second. */
	if (strlen(base) == 20 && base[19] == 'Z') {
		base[19] = '\0';
		snprintf(buf, OCPP_TIME_LEN, "%s.%03dZ", base, (int)(ms % 1000));
	} else {
		snprintf(buf, OCPP_TIME_LEN, "%s", base);
	}
}

/* After a step of the wall clock: the timers armed for a UTC instant
 * (reservation expiryDate, charging schedule periods, clock-aligned meter
 * data on the UTC clock face) are armed again from the new UTC.  Timers for
 * durations (heartbeat, sampling, timeouts) are monotonic and stay. */
static void rearm_utc_timers(struct station *s)
{
	st_resv_timer(s);
	st_fw_rearm(s);
	st_evaluate(s);
	if (s->timer_armed[ST_T_ALIGNED]) {
		/* 0: re-arm for the next boundary without sending a sample. */
		s->timer_at[ST_T_ALIGNED].ms = 0;
		st_aligned_timer(s);
	}
}

void st_clock_follow(struct station *s, const char *action, const char *current_time)
{
	int64_t central_ms, step;
	int rc = cp_time_parse_ms(current_time, &central_ms);

	if (rc == 0)
		rc = st_clock_sync(&s->clock, central_ms, &step);
	if (rc < 0) {
		CP_WARN(TAG, "%s.conf currentTime \"%s\" not followed: %s", action,
		    current_time ? current_time : "(none)",
		    rc == -ERANGE ? "outside 1970..9999" : "not a date-time");
		return;
	}
	if (step == 0)
		return;
	{
		long long step_s = (long long)((step + (step < 0 ? -500 : 500)) / 1000);
		char info[64];

		CP_INFO(TAG, "clock stepped by %+lld s to the central system's time (%s.conf)",
		    step_s, action);
		if (s->ev_depth)	/* the event goes on in the new time */
			s->ev_utc_ms = st_clock_utc_ms(&s->clock);
		/* Security whitepaper: "SettingSystemTime", stamped in the new time. */
		snprintf(info, sizeof(info), "%+lld s from %s.conf currentTime", step_s, action);
		st_sec_event(s, "SettingSystemTime", info);
	}
	rearm_utc_timers(s);
}

static void rearm(struct station *s)
{
	bool any = false;
	cp_mono_t first = cp_mono(0);

	for (int i = 0; i < ST_T_COUNT; i++) {
		if (s->timer_armed[i] && (!any || s->timer_at[i].ms < first.ms)) {
			first = s->timer_at[i];
			any = true;
		}
	}
	if (!any) {
		lws_sul_cancel(&s->timer_sul);
		return;
	}
	lws_sul_schedule(s->lws, 0, &s->timer_sul, timer_fire,
	    (lws_usec_t)st_clock_real_delay_us(&s->clock, first));
}

void st_timer_init(struct station *s)
{
	memset(s->timer_armed, 0, sizeof(s->timer_armed));
	memset(&s->timer_sul, 0, sizeof(s->timer_sul));
}

void st_timer_arm(struct station *s, enum st_timer_id t, cp_mono_t at)
{
	s->timer_at[t] = at;
	s->timer_armed[t] = true;
	rearm(s);
}

void st_timer_arm_earliest(struct station *s, enum st_timer_id t, cp_mono_t at)
{
	if (!s->timer_armed[t] || at.ms < s->timer_at[t].ms)
		st_timer_arm(s, t, at);
}

void st_timer_arm_in(struct station *s, enum st_timer_id t, int64_t ms)
{
	st_timer_arm(s, t, cp_mono(st_now(s).ms + ms));
}

void st_timer_cancel(struct station *s, enum st_timer_id t)
{
	s->timer_armed[t] = false;
	rearm(s);
}

static void dispatch(struct station *s, enum st_timer_id t)
{
	switch (t) {
	case ST_T_HW_TICK:
		st_hw_tick(s);
		break;
	case ST_T_BOOT:
		st_sender_boot_timer(s);
		break;
	case ST_T_HEARTBEAT:
		st_sender_heartbeat(s);
		break;
	case ST_T_SAMPLE:
		st_sample_timer(s);
		break;
	case ST_T_ALIGNED:
		st_aligned_timer(s);
		break;
	case ST_T_SCHEDULE:
	case ST_T_EVAL:
	case ST_T_BALANCE:
		st_evaluate(s);
		break;
	case ST_T_QUEUE:
		st_sender_queue_timer(s);
		break;
	case ST_T_AUTH_TIMEOUT:
		st_auth_timeout(s);
		break;
	case ST_T_REBOOT:
		st_request_reboot(s);
		break;
	case ST_T_RESERVATION:
		st_resv_timer(s);
		break;
	case ST_T_SCN:
		st_scn_period(s);
		break;
	case ST_T_FIRMWARE:
		st_fw_timer(s, FW_KIND_FIRMWARE);
		break;
	case ST_T_DIAGNOSTICS:
		st_fw_timer(s, FW_KIND_DIAGNOSTICS);
		break;
	default:
		break;
	}
}

static void timer_fire(lws_sorted_usec_list_t *sul)
{
	struct station *s = lws_container_of(sul, struct station, timer_sul);
	cp_mono_t now;

	st_event_begin(s);
	now = st_now(s);
	for (int i = 0; i < ST_T_COUNT; i++) {
		if (s->timer_armed[i] && s->timer_at[i].ms <= now.ms) {
			s->timer_armed[i] = false;
			dispatch(s, (enum st_timer_id)i);
		}
	}
	st_event_end(s);
	rearm(s);
}

/* A live configuration change reaches the timers and the limits that depend
 * on it (the connection's own keys are main.c's). */
void st_cfg_apply(struct station *s, enum cfg_id id)
{
	switch (id) {
	case CFG_HEARTBEAT_INTERVAL:
		st_sender_rearm_heartbeat(s);
		break;
	case CFG_METER_VALUE_SAMPLE_INTERVAL:
		/* The new interval counts from now for every running transaction. */
		for (int i = 1; i <= s->n_conn; i++)
			st_sample_schedule(s, &s->conn[i]);
		break;
	case CFG_CLOCK_ALIGNED_DATA_INTERVAL:
		s->timer_at[ST_T_ALIGNED].ms = 0;
		st_aligned_timer(s);
		break;
	case CFG_FEATURE_LICENSE_KEY:
	case CFG_ACTIVE_LOAD_BALANCING:
	case CFG_ALB_PROTOCOL_SELECTION:
	case CFG_ALB_P1_DEVICE:
	case CFG_ALB_P1_MODE:
	case CFG_MBTCPSMART_IS_ENABLED:
	case CFG_MBTCPSMART_SLAVE_METER_MODEL:
	case CFG_MBTCPSMART_IP_ADDRESS:
	case CFG_MBTCPSMART_PORT:
	case CFG_MBTCPSMART_SLAVE_UNIT_ID:
	case CFG_MBTCPSMART_CUSTOM_MAP_L1:
	case CFG_MBTCPSMART_CUSTOM_MAP_L2:
	case CFG_MBTCPSMART_CUSTOM_MAP_L3:
	case CFG_SAFE_MAX_CURRENT:
	case CFG_SMART_METER_MAX_CURRENT:
	case CFG_SMART_METER_INCLUDES_CHARGER:
	case CFG_MBS_SLAVE_TCPIP:
	case CFG_MBS_SLAVE_TCPIP_PORT:
	case CFG_MBS_SLAVE_TCPIP_MODE:
	case CFG_MBS_SLAVE_TCPIP_VALIDITY_TIME:
	case CFG_SCN_IS_ENABLED:
	case CFG_SCN_NETWORK_NAME:
	case CFG_SCN_SOCKET_ID:
	case CFG_SCN_SOCKET_COUNT:
	case CFG_SCN_TOTAL_STATIC_CURRENT:
	case CFG_SCN_TOTAL_SAFE_CURRENT:
	case CFG_SCN_SOCKET_SAFE_CURRENT:
	case CFG_SCN_PORT:
	case CFG_SCN_MULTICAST_GROUP:
	case CFG_SCN_PEER_TIMEOUT:
	case CFG_SCN_AUTH_KEY:
	case CFG_SCN_INTERFACE:
		/* The meter connection, the EMS listener and the SCN
		 * membership start again with the new settings. */
		st_grid_configure(s);
		st_scn_configure(s);
		st_conn_reload_limits(s);
		break;
	case CFG_METER_DEVICE:
	case CFG_METER_BAUD:
	case CFG_METER_PARITY:
	case CFG_METER_MODEL:
	case CFG_METER_UNIT_ID_1:
	case CFG_METER_UNIT_ID_2:
	case CFG_METER_CUSTOM_FUNCTION:
	case CFG_METER_CUSTOM_CURRENT_L1:
	case CFG_METER_CUSTOM_CURRENT_L2:
	case CFG_METER_CUSTOM_CURRENT_L3:
	case CFG_METER_CUSTOM_VOLTAGE_L1:
	case CFG_METER_CUSTOM_VOLTAGE_L2:
	case CFG_METER_CUSTOM_VOLTAGE_L3:
	case CFG_METER_CUSTOM_POWER:
	case CFG_METER_CUSTOM_ENERGY:
		/* The meter bus starts again with the new settings. */
		st_meters_configure(s);
		break;
	default:
		st_conn_reload_limits(s);
		break;
	}
}
