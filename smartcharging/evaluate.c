/*
 * evaluate.c - the per-socket decision of the control cycle (sc_evaluate.h).
 *
 * The rule, "lowest limit wins" (docs/limits.md), as a decision list run in
 * order for one socket; each step is one numbered block of sc_evaluate():
 *
 *   1. A fault or an Inoperative connector gives 0 (IEC 61851-1 state F;
 *      OCPP 1.6 §5.2 ChangeAvailability).
 *   2. The suspend signal gives 0 (docs/mode3.md: every session paused, new ones
 *      start paused).
 *   3. The socket's own limits: TxProfile / TxDefaultProfile now,
 *      Connector<N>-MaxCurrent (both feeds), the cable (PP, IEC 61851-1
 *      B.2) once a cable or an EV is there.  The lowest binds; on a tie the
 *      earlier source in enum sc_source order is named.  Their minimum is
 *      what the socket could take: the balancing engine's max for it.
 *   4. The balancing engine's share of the charge point's budget
 *      (Station-MaxCurrent, or the ChargePointMaxProfile now when lower)
 *      binds where it is below that, and only where the socket could
 *      charge at all (a profile of 0 A is named as the reason, not the
 *      share of 0 that follows from it).
 *   5. Rounded down to 0.1 A (OCPP limits carry one decimal); below 6 A the
 *      offer is 0: IEC 61851-1 has no duty cycle for 1..5.9 A.
 *   6. No current outside a transaction that may draw energy: energy is
 *      delivered only after authorization (OCPP 1.6 §3.5), and a refused
 *      idTag only up to MaxEnergyOnInvalidId (§9.1).
 *   7. Why a 0 offer is 0, first match: fault, suspend, no session, the
 *      balancing engine's pause (budget or alternating), a limit.
 *   8. What the display adds during a session (docs/mode3.md): alternating,
 *      waiting for power, reduced by balancing.
 */
#include "smartcharging/sc_evaluate.h"

#include <string.h>

static const char *const pause_names[SC_PAUSE_COUNT] = {
	[SC_PAUSE_NONE] = "none",
	[SC_PAUSE_FAULT] = "fault",
	[SC_PAUSE_SUSPEND] = "suspend",
	[SC_PAUSE_NO_SESSION] = "no_session",
	[SC_PAUSE_LIMIT] = "limit",
	[SC_PAUSE_BUDGET] = "budget",
	[SC_PAUSE_ALTERNATING] = "alternating",
};

const char *sc_pause_name(enum sc_pause p)
{
	if ((unsigned)p >= SC_PAUSE_COUNT)
		return "?";
	return pause_names[p];
}

void sc_evaluate(const struct sc_eval_in *in, struct sc_eval_out *out)
{
	struct sc_limit_inputs lim;
	struct sc_limit_result r;
	int32_t lowest;

	memset(out, 0, sizeof(*out));
	sc_limit_inputs_init(&lim);

	/* 1. Fault or Inoperative: a hard stop, named before anything else. */
	if (in->fault)
		sc_limit_stop(&lim, SC_SRC_FAULT);

	/* 2. The suspend signal: a hard stop too. */
	if (in->suspended)
		sc_limit_stop(&lim, SC_SRC_SUSPEND);

	/* 3. The socket's own limits; the lowest so far is its maximum. */
	sc_limit_set(&lim, SC_SRC_PROFILE, in->tx_ma);
	sc_limit_set(&lim, SC_SRC_CONNECTOR, in->connector_ma);
	if (in->cable_ma > 0 || in->ev_connected)
		sc_limit_set(&lim, SC_SRC_CABLE, in->cable_ma);
	sc_limit_apply(&lim, &r);
	out->own_max_ma = r.lowest_ma == SC_LIMIT_NONE ? SC_LIMIT_MAX : r.lowest_ma;

	out->binding = r.binding;
	lowest = r.lowest_ma;

	/* 4. The balancing share, where it is lower and the socket could
	 *    charge without it. */
	if (in->share_ma != SC_LIMIT_NONE && in->share_ma < out->own_max_ma &&
	    out->own_max_ma >= CP_MIN_CHARGE_MA) {
		lowest = in->share_ma < 0 ? 0 : in->share_ma;
		out->binding = SC_SRC_BALANCING;
	}

	/* 5. 0.1 A steps, 6 A floor. */
	out->offer_ma = sc_limit_round(lowest);

	/* 6. Only a transaction that may draw gets current. */
	if (!in->may_draw)
		out->offer_ma = 0;

	/* 7. The pause reason. */
	if (out->offer_ma > 0)
		out->pause = SC_PAUSE_NONE;
	else if (out->binding == SC_SRC_FAULT)
		out->pause = SC_PAUSE_FAULT;
	else if (out->binding == SC_SRC_SUSPEND)
		out->pause = SC_PAUSE_SUSPEND;
	else if (!in->may_draw)
		out->pause = SC_PAUSE_NO_SESSION;
	else if (out->binding == SC_SRC_BALANCING && in->balance_reason == SC_BALANCE_BUDGET)
		out->pause = SC_PAUSE_BUDGET;
	else if (out->binding == SC_SRC_BALANCING && in->balance_reason == SC_BALANCE_ALTERNATING)
		out->pause = SC_PAUSE_ALTERNATING;
	else
		out->pause = SC_PAUSE_LIMIT;

	/* 8. The display hint, during a session only. */
	if (!in->tx_active)
		out->hint = SC_HINT_NONE;
	else if (out->pause == SC_PAUSE_ALTERNATING)
		out->hint = SC_HINT_ALTERNATING;
	else if (out->offer_ma == 0)
		out->hint = SC_HINT_WAITING_POWER;
	else if (out->binding == SC_SRC_BALANCING && out->offer_ma < out->own_max_ma)
		out->hint = SC_HINT_REDUCED;
	else
		out->hint = SC_HINT_NONE;
}

int32_t sc_evaluate_max(const struct sc_eval_in *in)
{
	struct sc_eval_in own = *in;
	struct sc_eval_out out;

	/* Steps 1-3 alone: the same list without a share. */
	own.share_ma = SC_LIMIT_NONE;
	sc_evaluate(&own, &out);
	return out.own_max_ma;
}
