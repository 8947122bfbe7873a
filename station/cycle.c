/*
 * cycle.c - the control cycle (README "How it is built"): any input change
 * marks the station dirty; the loop then runs st_evaluate() once.  It gathers
 * a snapshot of every limit of every socket, runs the balancing engine once
 * and the per-socket decision sc_evaluate() (smartcharging/evaluate.c, pure:
 * the one place that decides each socket's offer), hands the offer and
 * display hint to the Mode 3 driver, sends the status changes and arms one
 * timer for the next schedule or balancing change.  Also the driver tick
 * that turns pilot changes into plug / unplug events.
 */
#include "station/station.h"

#include <stdio.h>
#include <string.h>

#include "cp_log.h"
#include "smartcharging/sc_evaluate.h"
#include "smartcharging/sc_phase.h"

#define TAG "station"

/* The driver tick (CP_HW_TICK_MS) is never faster than this in real time. */
#define HW_TICK_MIN_REAL_MS 10

/* ---- the control cycle -------------------------------------------------- */

void st_sc_ctx(struct station *s, struct sc_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->connectors = s->n_conn;
	ctx->voltage_v = cfg_int(&s->cfg, CFG_STATION_NOMINAL_VOLTAGE);
	ctx->station_max_ma = cfg_ma(&s->cfg, CFG_STATION_MAX_CURRENT);
	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		ctx->conn[i].tx_active = st_tx_running(&c->tx);
		ctx->conn[i].tx_id = c->tx_has_id ? c->tx_id : 0;
		ctx->conn[i].tx_start = c->tx_start;
		int32_t feed1 = cfg_ma(&s->cfg, i == 1 ? CFG_CONNECTOR1_MAX_CURRENT
		    : CFG_CONNECTOR2_MAX_CURRENT);
		int32_t feed2 = cfg_ma(&s->cfg, i == 1 ? CFG_CONNECTOR1_2_MAX_CURRENT
		    : CFG_CONNECTOR2_2_MAX_CURRENT);

		/* A socket is held to both of its limits, ConnectorN-MaxCurrent
		 * and ConnectorN.2-MaxCurrent (the second feed of a dual-cable
		 * station): the lower binds. */
		ctx->conn[i].max_ma = feed2 < feed1 ? feed2 : feed1;
	}
}

void st_conn_reload_limits(struct station *s)
{
	enum cfg_suspend_signal sig = (enum cfg_suspend_signal)cfg_enum(&s->cfg,
	    CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL);

	hw_station_set_suspend_mode(&s->hw, sig == CFG_SUSPEND_ON_CLOSE ? HW_SUSPEND_ON_CLOSE
	    : sig == CFG_SUSPEND_ON_OPEN ? HW_SUSPEND_ON_OPEN : HW_SUSPEND_IGNORED);
	/* OCPP 1.6 §9.1.32: release the station-side cable when the EV leaves. */
	hw_station_set_unlock_on_ev_disconnect(&s->hw,
	    cfg_bool(&s->cfg, CFG_UNLOCK_CONNECTOR_ON_EV_SIDE_DISCONNECT));
	st_mark_dirty(s);
}

bool st_tx_may_draw(struct station *s, const struct st_conn *c)
{
	int64_t max_wh, drawn;

	if (!st_tx_running(&c->tx))
		return false;
	if (c->tx.state != ST_TX_DEAUTHORIZED)
		return true;
	/* OCPP 1.6 §9.1 MaxEnergyOnInvalidId: the energy still delivered once
	 * the central system refused the idTag, counted from meterStart. */
	max_wh = cfg_int(&s->cfg, CFG_MAX_ENERGY_ON_INVALID_ID);
	drawn = hw_station_status(&s->hw, c->id)->energy_wh - c->tx_meter_start;
	return drawn < max_wh;
}

void st_mark_dirty(struct station *s)
{
	st_timer_arm_earliest(s, ST_T_EVAL, st_now(s));
}

/* The topology of docs/station-model.md from the configuration keys. */
void st_topology(struct station *s, struct sc_phase_topology *topo)
{
	topo->phases = (uint8_t)cfg_int(&s->cfg, CFG_STATION_PHASES);
	topo->feeds = (uint8_t)cfg_int(&s->cfg, CFG_STATION_FEEDS);
	topo->sockets = (uint8_t)s->n_conn;
	topo->connected = (enum sc_phase_order)(cfg_enum(&s->cfg, CFG_PHASE_CONNECTED) + 1);
	topo->feed[0] = (enum sc_phase_order)cfg_int(&s->cfg, CFG_SCN_PHASE_MAPPING_1);
	topo->feed[1] = (enum sc_phase_order)cfg_int(&s->cfg, CFG_SCN_PHASE_MAPPING_2);
}

/* The snapshot of socket i for sc_evaluate: every limit, the hardware's
 * state and the session, but not yet the balancing share.  What the EV
 * itself could take is not in it: the station sees that only as what the
 * EV draws (the balancing engine's input). */
static void socket_snapshot(struct station *s, int i, const struct sc_ctx *ctx,
    int32_t tx_ma, struct sc_eval_in *in)
{
	const struct st_conn *c = &s->conn[i];
	const hw_socket_status *hs = hw_station_status(&s->hw, i);

	*in = (struct sc_eval_in){
		.connector_ma = ctx->conn[i].max_ma,
		.tx_ma = tx_ma,
		.ev_connected = hs->ev_connected,
		.cable_ma = hs->cable_ma,
		.fault = hs->fault != HW_FAULT_NONE || !c->operative,
		.suspended = hs->suspended,
		.tx_active = st_tx_running(&c->tx),
		.may_draw = st_tx_may_draw(s, c),
		.share_ma = SC_LIMIT_NONE,
		.balance_reason = SC_BALANCE_OFF,
	};
}

/* Fills the balancing engine's input: one budget node for the station
 * (Station-MaxCurrent, or ChargePointMaxProfile now when lower, per grid
 * phase) and every socket of the station under it, each with what it could
 * take (sc_evaluate_max) and what it draws. */
static void balance_input(struct station *s, const struct sc_eval_in *snap,
    int32_t cpmax_ma)
{
	struct sc_balance_input *in = &s->balance_in;
	struct sc_phase_topology topo;
	int32_t budget = cfg_ma(&s->cfg, CFG_STATION_MAX_CURRENT);
	int16_t station_node;
	bool shared;

	if (cpmax_ma != SC_LIMIT_NONE && cpmax_ma < budget)
		budget = cpmax_ma;
	st_topology(s, &topo);
	sc_balance_config_default(&in->cfg);
	/* Static charging when no balancing feature is on (docs/balancing.md):
	 * Static-LoadBalancing here, Active-LoadBalancing below (the SCN is not
	 * implemented, its switch is read-only). */
	shared = cfg_feature_unlocked(&s->cfg, CFG_FEATURE_SLB) &&
	    cfg_bool(&s->cfg, CFG_STATIC_LOAD_BALANCING);
	in->cfg.mode = shared ? SC_BALANCE_SHARED : SC_BALANCE_STATIC;
	in->cfg.probe_ma = cfg_ma(&s->cfg, CFG_CHAMELEON_MIN_CURRENT);
	in->cfg.alternating_ms = (int64_t)cfg_int(&s->cfg, CFG_SCN_ALTERNATING_PERIOD) * 1000;
	in->n_budgets = 1;
	in->budget[0].parent = -1;
	for (int k = 0; k < SC_PHASES; k++)
		in->budget[0].max_ma[k] = budget < 0 ? 0 : budget;
	{
		/* Active load balancing: what the grid connection has left,
		 * per grid phase, above the station (docs/balancing.md). */
		int32_t grid[SC_PHASES];
		bool safe;
		/* In a Smart Charging Network the meter's budget is the
		 * network's: announced to every member (scn/member.c), not
		 * kept for this station. */
		if (!s->scn.on && st_grid_budget(s, grid, &safe)) {
			in->n_budgets = 2;
			in->budget[1] = in->budget[0];
			in->budget[1].parent = 0;
			for (int k = 0; k < SC_PHASES; k++)
				in->budget[0].max_ma[k] = grid[k] < 0 ? 0 : grid[k];
			/* Balancing shares out what the meter allows: ALB on is
			 * balancing on, whatever Static-LoadBalancing says. */
			in->cfg.mode = SC_BALANCE_SHARED;
		}
	}
	in->n_sockets = (uint16_t)s->n_conn;
	station_node = (int16_t)(in->n_budgets - 1);
	for (int i = 1; i <= s->n_conn; i++) {
		struct sc_balance_socket_in *so = &in->socket[i - 1];
		const struct st_conn *c = &s->conn[i];
		const hw_socket_status *hs = hw_station_status(&s->hw, i);
		struct sc_phase_map map;
		int32_t draw = 0;

		memset(so, 0, sizeof(*so));
		so->id = (uint16_t)(cfg_int(&s->cfg, CFG_SCN_SOCKET_ID) + i - 1);
		so->budget = station_node;
		{
			/* An EMS setpoint (or Safe-MaxCurrent without one), and
			 * the socket's share of a Smart Charging Network, are a
			 * budget of the socket's own under the station's. */
			int32_t ems_ma, scn_ma, own = -1;
			bool ems_safe;
			if (st_grid_ems_limit(s, i, &ems_ma, &ems_safe))
				own = ems_ma;
			if (st_scn_share(s, i, &scn_ma) && (own < 0 || scn_ma < own))
				own = scn_ma;
			if (own >= 0 && in->n_budgets < CP_MAX_SC_BUDGETS) {
				struct sc_alloc_budget *b = &in->budget[in->n_budgets];
				b->parent = so->budget;
				for (int k = 0; k < SC_PHASES; k++)
					b->max_ma[k] = own;
				so->budget = (int16_t)in->n_budgets++;
				in->cfg.mode = SC_BALANCE_SHARED;
			}
		}
		if (sc_phase_map_socket(&topo, (unsigned)i, &map) == 0)
			so->phases = (uint8_t)sc_phase_mask_ev(&map,
			    hs->ev_phases > 0 ? (unsigned)hs->ev_phases : 3);
		else
			so->phases = SC_PHASE_ALL;
		so->in_use = snap[i].may_draw && c->plugged;
		so->max_ma = sc_evaluate_max(&snap[i]);
		for (int k = 0; k < HW_CONDUCTORS; k++)
			if (hs->current_ma[k] > draw)
				draw = hs->current_ma[k];
		so->draw_ma = draw;
	}
}

/* The display message of each hint (docs/mode3.md). */
static const enum hw_display hint_display[] = {
	[SC_HINT_NONE] = HW_DISPLAY_AUTO,
	[SC_HINT_REDUCED] = HW_DISPLAY_REDUCED,
	[SC_HINT_WAITING_POWER] = HW_DISPLAY_WAITING_POWER,
	[SC_HINT_ALTERNATING] = HW_DISPLAY_ALTERNATING,
};

/* Applies socket i's decision: the setpoint to the driver, the display
 * hint, the result the status and the control socket read. */
static void socket_apply(struct station *s, int i, const struct sc_eval_out *res,
    enum sc_balance_reason reason, cp_mono_t mono)
{
	struct st_conn *c = &s->conn[i];

	if (res->pause != (enum sc_pause)c->pause)
		CP_DEBUG(TAG, "connector %d: %s%s (%s binds)", i,
		    res->pause == SC_PAUSE_NONE ? "offering" : "paused: ",
		    res->pause == SC_PAUSE_NONE ? "" : sc_pause_name(res->pause),
		    sc_source_name(res->binding));
	c->applied_ma = res->offer_ma;
	c->binding = res->binding;
	c->balance_reason = (uint8_t)reason;
	c->pause = (uint8_t)res->pause;
	hw_station_set_offer(&s->hw, i, res->offer_ma, mono);
	hw_station_set_display_hint(&s->hw, i, hint_display[res->hint]);
}

/* The control cycle: gather, decide (smartcharging/, pure), apply. */
void st_evaluate(struct station *s)
{
	struct sc_ctx ctx;
	struct sc_eval_in snap[CP_MAX_CONNECTORS + 1];
	cp_utc_t now = st_utc(s), next = cp_utc(CP_UTC_NEVER);
	cp_mono_t mono = st_now(s);
	int32_t cpmax_ma = SC_LIMIT_NONE;

	s->eval_count++;
	st_timer_cancel(s, ST_T_EVAL);
	st_sc_ctx(s, &ctx);
	for (int i = 1; i <= s->n_conn; i++) {
		int32_t conn_ma = SC_LIMIT_NONE, cp_ma = SC_LIMIT_NONE;
		cp_utc_t nc = cp_utc(CP_UTC_NEVER);

		sc_profile_limit_now(&s->profiles, &ctx, i, now, &conn_ma, &cp_ma, &nc);
		if (nc.s < next.s)
			next = nc;
		s->conn[i].profile_ma = conn_ma;
		cpmax_ma = cp_ma;	/* station-wide: the same for every connector */
		socket_snapshot(s, i, &ctx, conn_ma, &snap[i]);
	}

	balance_input(s, snap, cpmax_ma);
	if (sc_balance_step(&s->balance, &s->balance_in, mono, &s->balance_out) < 0)
		CP_ERR(TAG, "balancing input rejected: every socket paused");

	for (int i = 1; i <= s->n_conn; i++) {
		struct sc_eval_out res;

		snap[i].share_ma = s->balance_out.setpoint_ma[i - 1];
		snap[i].balance_reason = (enum sc_balance_reason)s->balance_out.reason[i - 1];
		sc_evaluate(&snap[i], &res);
		socket_apply(s, i, &res, snap[i].balance_reason, mono);
	}
	if (next.s != CP_UTC_NEVER) {
		int64_t ms = (next.s - now.s) * 1000;
		st_timer_arm_in(s, ST_T_SCHEDULE, ms > 0 ? ms : 0);
	} else {
		st_timer_cancel(s, ST_T_SCHEDULE);
	}
	if (s->balance_out.next_change.ms != SC_BALANCE_NEVER)
		st_timer_arm(s, ST_T_BALANCE, s->balance_out.next_change);
	else
		st_timer_cancel(s, ST_T_BALANCE);
	for (int i = 0; i <= s->n_conn; i++)
		st_conn_send_status(s, i, false);
}

/* ---- driver tick ------------------------------------------------------------ */

void st_hw_tick(struct station *s)
{
	cp_mono_t now = st_now(s);
	int64_t tick = CP_HW_TICK_MS;

	hw_station_poll(&s->hw, now);
	st_grid_tick(s);
	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];
		const hw_socket_status *hs = hw_station_status(&s->hw, i);

		if (hs->seq == c->hw_seq)
			continue;
		c->hw_seq = hs->seq;
		if (hs->ev_connected && !c->plugged) {
			c->plugged = true;
			CP_INFO(TAG, "connector %d: EV connected", i);
			st_conn_tx_event(s, c, ST_TXE_PLUG, NULL, NULL);
		} else if (!hs->ev_connected && c->plugged) {
			c->plugged = false;
			CP_INFO(TAG, "connector %d: EV disconnected", i);
			st_conn_tx_event(s, c, ST_TXE_UNPLUG, NULL, NULL);
		} else {
			/* A fault (e.g. the lock) that held a start back may
			 * have cleared. */
			st_conn_tx_event(s, c, ST_TXE_HW, NULL, NULL);
		}
	}
	/* A refused transaction that used up MaxEnergyOnInvalidId stops drawing
	 * within a tick. */
	for (int i = 1; i <= s->n_conn; i++) {
		struct st_conn *c = &s->conn[i];

		if (c->tx.state == ST_TX_DEAUTHORIZED && c->applied_ma > 0 &&
		    !st_tx_may_draw(s, c)) {
			CP_INFO(TAG, "connector %d: MaxEnergyOnInvalidId reached: energy delivery stops", i);
			st_mark_dirty(s);
		}
	}
	/* Keep the tick at ~100 ms of station time but no faster than 10 ms real. */
	if (s->clock.scale * HW_TICK_MIN_REAL_MS > tick)
		tick = (int64_t)(s->clock.scale * HW_TICK_MIN_REAL_MS);
	st_timer_arm_in(s, ST_T_HW_TICK, tick);
}
