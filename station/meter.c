/*
 * meter.c - meter values: periodic (MeterValueSampleInterval), clock-aligned
 * (ClockAlignedDataInterval), the transactionData of StopTransaction, and the
 * per-grid-phase currents that the control socket and MeterValues report.
 */
#include "station/station.h"

#include <stdio.h>
#include <string.h>

#include "cp_log.h"
#include "smartcharging/sc_phase.h"

#define TAG "meter"

/* ---- meter values ---------------------------------------------------------- */

void st_grid_currents(struct station *s, int connector, const hw_socket_status *hs,
    int32_t grid[3])
{
	struct sc_phase_topology topo;
	struct sc_phase_map map;

	grid[0] = grid[1] = grid[2] = 0;
	st_topology(s, &topo);
	if (sc_phase_map_socket(&topo, (unsigned)connector, &map) < 0) {
		/* Topology outside docs/station-model.md: report conductors as phases. */
		memcpy(grid, hs->current_ma, sizeof(int32_t) * 3);
		return;
	}
	sc_phase_add_currents(&map, hs->current_ma, grid);
}

static bool measurand_on(const char *list, const char *m)
{
	size_t n = strlen(m);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		while (l && *p == ' ') {
			p++;
			l--;
		}
		if (l == n && strncmp(p, m, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static void add_value(cJSON *arr, const char *context, const char *measurand,
    const char *phase, const char *unit, double v, int decimals)
{
	cJSON *o = cJSON_CreateObject();
	char buf[32];

	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	cJSON_AddStringToObject(o, "value", buf);
	cJSON_AddStringToObject(o, "context", context);
	cJSON_AddStringToObject(o, "measurand", measurand);
	if (phase)
		cJSON_AddStringToObject(o, "phase", phase);
	cJSON_AddStringToObject(o, "location", "Outlet");
	cJSON_AddStringToObject(o, "unit", unit);
	cJSON_AddItemToArray(arr, o);
}

/* One meterValue element ({timestamp, sampledValue[]}) for a connector with
 * the measurands configured in `list`. */
cJSON *st_meter_sample(struct station *s, struct st_conn *c, const char *context,
    const char *list)
{
	const hw_socket_status *hs = hw_station_status(&s->hw, c->id);
	cJSON *mv = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	static const char *const phase_names[3] = { "L1", "L2", "L3" };
	char ts[OCPP_TIME_LEN];
	int32_t grid[3];
	double power = 0;
	int32_t meter_w;

	st_grid_currents(s, c->id, hs, grid);
	if (st_meters_power(s, c->id, &meter_w))
		power = meter_w;
	else
		for (int k = 0; k < 3; k++)
			power += (double)hs->current_ma[k] / 1000.0 * (double)hs->voltage_mv[k] / 1000.0;
	st_timestamp(s, ts);
	cJSON_AddStringToObject(mv, "timestamp", ts);
	if (measurand_on(list, "Energy.Active.Import.Register"))
		add_value(arr, context, "Energy.Active.Import.Register", NULL, "Wh",
		    (double)hs->energy_wh, 0);
	if (measurand_on(list, "Current.Import"))
		for (int k = 0; k < 3; k++)
			add_value(arr, context, "Current.Import", phase_names[k], "A",
			    grid[k] / 1000.0, 1);
	if (measurand_on(list, "Current.Offered"))
		add_value(arr, context, "Current.Offered", NULL, "A",
		    (hs->offered_ma / 100) / 10.0, 1);
	if (measurand_on(list, "Power.Active.Import"))
		add_value(arr, context, "Power.Active.Import", NULL, "W", power, 0);
	if (measurand_on(list, "Voltage"))
		for (int k = 0; k < 3; k++)
			add_value(arr, context, "Voltage", phase_names[k], "V",
			    hs->voltage_mv[k] / 1000.0, 1);
	if (measurand_on(list, "Current.Import") && cJSON_GetArraySize(arr) == 0)
		add_value(arr, context, "Current.Import", NULL, "A", 0, 1);
	if (cJSON_GetArraySize(arr) == 0) {
		/* sampledValue must not be empty: fall back to the register. */
		add_value(arr, context, "Energy.Active.Import.Register", NULL, "Wh",
		    (double)hs->energy_wh, 0);
	}
	cJSON_AddItemToObject(mv, "sampledValue", arr);
	return mv;
}

cJSON *st_conn_meter_sample(struct station *s, struct st_conn *c, const char *context)
{
	return st_meter_sample(s, c, context, cfg_str(&s->cfg, CFG_METER_VALUES_SAMPLED_DATA));
}

/* TriggerMessage(MeterValues) (OCPP 1.6 §5.17): during a transaction the
 * values belong to it and carry its transactionId, so they take the
 * transaction queue (the id is filled in at send time, also when the
 * StartTransaction is not confirmed yet). */
void st_meter_send_trigger(struct station *s, struct st_conn *c)
{
	cJSON *p = cJSON_CreateObject(), *arr = cJSON_CreateArray();

	cJSON_AddNumberToObject(p, "connectorId", c->id);
	cJSON_AddItemToArray(arr, st_conn_meter_sample(s, c, "Trigger"));
	if (st_tx_running(&c->tx)) {
		cJSON_AddNumberToObject(p, "transactionId", 0);	/* filled at send */
		cJSON_AddItemToObject(p, "meterValue", arr);
		st_send_tx(s, "MeterValues", p, c->tx_local_id);
	} else {
		cJSON_AddItemToObject(p, "meterValue", arr);
		st_send(s, "MeterValues", p, NULL, NULL);
	}
}

static void send_meter_values(struct station *s, struct st_conn *c, const char *context,
    const char *list)
{
	cJSON *p = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	const hw_socket_status *hs = hw_station_status(&s->hw, c->id);

	cJSON_AddNumberToObject(p, "connectorId", c->id);
	cJSON_AddItemToArray(arr, st_meter_sample(s, c, context, list));
	if (st_tx_running(&c->tx)) {
		cJSON_AddNumberToObject(p, "transactionId", 0);	/* filled at send */
		cJSON_AddItemToObject(p, "meterValue", arr);
		store_tx_update_meter(s->db, c->tx_local_id, hs->energy_wh, st_utc(s));
		st_send_tx(s, "MeterValues", p, c->tx_local_id);
	} else {
		cJSON_AddItemToObject(p, "meterValue", arr);
		st_send(s, "MeterValues", p, NULL, NULL);
	}
}

void st_tx_data_add(struct st_conn *c, cJSON *mv);

/* Persist each socket's meter register (simulator: restored at start). */
void st_conn_save_meters(struct station *s)
{
	char key[32];

	for (int i = 1; i <= s->n_conn; i++) {
		snprintf(key, sizeof(key), "meter.%d", i);
		store_state_set_int(s->db, key, hw_station_status(&s->hw, i)->energy_wh);
	}
}

/* Arms the sample timer for the earliest due connector. */
static void sample_rearm(struct station *s)
{
	bool any = false;
	cp_mono_t first = cp_mono(0);

	for (int i = 1; i <= s->n_conn; i++) {
		const struct st_conn *c = &s->conn[i];
		if (st_tx_running(&c->tx) && c->sample_due.ms > 0 && (!any || c->sample_due.ms < first.ms)) {
			first = c->sample_due;
			any = true;
		}
	}
	if (any)
		st_timer_arm(s, ST_T_SAMPLE, first);
	else
		st_timer_cancel(s, ST_T_SAMPLE);
}

/* MeterValueSampleInterval counts from each transaction's own start
 * (OCPP 1.6 §9.1.23), so every connector has its own due time. */
void st_sample_schedule(struct station *s, struct st_conn *c)
{
	int iv = cfg_int(&s->cfg, CFG_METER_VALUE_SAMPLE_INTERVAL);

	c->sample_due = iv > 0 ? cp_mono(st_now(s).ms + (int64_t)iv * 1000) : cp_mono(0);
	sample_rearm(s);
}

void st_sample_timer(struct station *s)
{
	int iv = cfg_int(&s->cfg, CFG_METER_VALUE_SAMPLE_INTERVAL);
	cp_mono_t now = st_now(s);
	bool sent = false;

	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		if (!st_tx_running(&c->tx) || c->sample_due.ms <= 0 || c->sample_due.ms > now.ms)
			continue;
		send_meter_values(s, c, "Sample.Periodic",
		    cfg_str(&s->cfg, CFG_METER_VALUES_SAMPLED_DATA));
		/* Keep the rhythm of the transaction's start; skip missed ones. */
		c->sample_due.ms += (int64_t)iv * 1000;
		if (iv <= 0)
			c->sample_due.ms = 0;
		else if (c->sample_due.ms <= now.ms)
			c->sample_due.ms = now.ms + (int64_t)iv * 1000;
		sent = true;
	}
	if (sent)
		st_conn_save_meters(s);
	sample_rearm(s);
}

void st_aligned_timer(struct station *s)
{
	int iv = cfg_int(&s->cfg, CFG_CLOCK_ALIGNED_DATA_INTERVAL);
	int64_t now_ms, next;

	if (iv <= 0)
		return;
	now_ms = st_utc_ms(s);
	/* Fire on the clock: at midnight UTC + k x interval (OCPP 1.6 §9.1.6). */
	if (s->timer_at[ST_T_ALIGNED].ms != 0) {
		const char *stop_aligned = cfg_str(&s->cfg, CFG_STOP_TXN_ALIGNED_DATA);
		for (int i = 1; i <= s->n_conn; i++) {
			struct st_conn *c = &s->conn[i];
			const char *list = cfg_str(&s->cfg, CFG_METER_VALUES_ALIGNED_DATA);
			if (list && list[0])
				send_meter_values(s, c, "Sample.Clock", list);
			if (st_tx_running(&c->tx) && stop_aligned && stop_aligned[0])
				st_tx_data_add(c, st_meter_sample(s, c, "Sample.Clock", stop_aligned));
		}
	}
	next = ((now_ms / 1000) / iv + 1) * iv * 1000;
	st_timer_arm_in(s, ST_T_ALIGNED, next - now_ms);
}

/* Keeps a meterValue element for StopTransaction.transactionData (OCPP 1.6
 * §9.1.27/28: StopTxnSampledData begin/end, StopTxnAlignedData clock
 * samples), bounded by CP_MAX_TX_DATA: the oldest clock sample goes first. */
void st_tx_data_add(struct st_conn *c, cJSON *mv)
{
	if (!c->tx_data)
		c->tx_data = cJSON_CreateArray();
	if (cJSON_GetArraySize(c->tx_data) >= CP_MAX_TX_DATA)
		cJSON_DeleteItemFromArray(c->tx_data,
		    cJSON_GetArraySize(c->tx_data) > 1 ? 1 : 0);
	cJSON_AddItemToArray(c->tx_data, mv);
}
