/*
 * conn_fsm.c - the connector status machine of OCPP 1.6 §4.9 (see
 * conn_fsm.h).  Pure: no I/O, no clock, no globals but constant tables.
 */
#include "station/conn_fsm.h"

#include <stddef.h>

static const char *const status_names[ST_STATUS_COUNT] = {
	[ST_AVAILABLE] = "Available",
	[ST_PREPARING] = "Preparing",
	[ST_CHARGING] = "Charging",
	[ST_SUSPENDED_EV] = "SuspendedEV",
	[ST_SUSPENDED_EVSE] = "SuspendedEVSE",
	[ST_FINISHING] = "Finishing",
	[ST_RESERVED] = "Reserved",
	[ST_UNAVAILABLE] = "Unavailable",
	[ST_FAULTED] = "Faulted",
};

const char *st_status_name(enum st_status s)
{
	return (unsigned)s < ST_STATUS_COUNT ? status_names[s] : "?";
}

/*
 * OCPP 1.6 §4.9, the status transition table: row = from, column = to.
 * 53 transitions; the diagonal and the cells the table leaves empty are 0.
 *
 *            A  B  C  D  E  F  G  H  I
 */
#define X 1
static const unsigned char allowed[ST_STATUS_COUNT][ST_STATUS_COUNT] = {
	/* A Available     */ { 0, X, X, X, X, 0, X, X, X },
	/* B Preparing     */ { X, 0, X, X, X, X, 0, 0, X },
	/* C Charging      */ { X, 0, 0, X, X, X, 0, X, X },
	/* D SuspendedEV   */ { X, 0, X, 0, X, X, 0, X, X },
	/* E SuspendedEVSE */ { X, 0, X, X, 0, X, 0, X, X },
	/* F Finishing     */ { X, X, 0, 0, 0, 0, 0, X, X },
	/* G Reserved      */ { X, X, 0, 0, 0, 0, 0, X, X },
	/* H Unavailable   */ { X, X, X, X, X, 0, 0, 0, X },
	/* I Faulted       */ { X, X, X, X, X, X, X, X, 0 },
};
#undef X

bool st_fsm_allowed(enum st_status from, enum st_status to)
{
	if ((unsigned)from >= ST_STATUS_COUNT || (unsigned)to >= ST_STATUS_COUNT)
		return false;
	return allowed[from][to] != 0;
}

int st_fsm_path(enum st_status from, enum st_status to, enum st_status path[2])
{
	/* The intermediates tried, in order: into a session (Charging,
	 * SuspendedEV/EVSE, Finishing) through Preparing, the way a session
	 * begins; anywhere else through Available, the neutral status. */
	static const enum st_status to_session[] = { ST_PREPARING, ST_AVAILABLE };
	static const enum st_status elsewhere[] = { ST_AVAILABLE, ST_PREPARING };
	bool session = to == ST_CHARGING || to == ST_SUSPENDED_EV ||
	    to == ST_SUSPENDED_EVSE || to == ST_FINISHING;
	const enum st_status *via = session ? to_session : elsewhere;

	if (from == to)
		return 0;
	if (st_fsm_allowed(from, to)) {
		path[0] = to;
		return 1;
	}
	for (size_t i = 0; i < 2; i++) {
		if (st_fsm_allowed(from, via[i]) && st_fsm_allowed(via[i], to)) {
			path[0] = via[i];
			path[1] = to;
			return 2;
		}
	}
	/* Every pair of the table is joined by one of the two (unit-tested):
	 * not reached. */
	path[0] = to;
	return 1;
}

/*
 * The decision list.  The first step that applies decides.
 *
 * Connector 0 (the charge point, §7.7: Available, Unavailable or Faulted):
 *   0.1 Inoperative itself, or every connector Inoperative -> Unavailable
 *   0.2 else                                               -> Available
 * A connector:
 *   1. the hardware reports a fault                        -> Faulted
 *   2. Inoperative and no transaction runs                 -> Unavailable
 *      (a transaction keeps the connector in use until it ends: §5.2
 *      ChangeAvailability is Scheduled)
 *   3. a transaction runs:
 *      3.1 the EV is no longer connected                   -> SuspendedEV
 *          (StopTransactionOnEVSideDisconnect=false)
 *      3.2 the station offers no current                   -> SuspendedEVSE
 *      3.3 the EV asks (state C) and draws                 -> Charging
 *      3.4 else (state B, or C without drawing)            -> SuspendedEV
 *   4. an EV is connected: after a transaction             -> Finishing
 *                          before one                      -> Preparing
 *   5. a card was accepted, the cable is awaited           -> Preparing
 *   6. a reservation holds the connector                   -> Reserved
 *   7. else                                                -> Available
 */
enum st_status st_fsm_target(const struct st_fsm_input *in)
{
	if (in->station)
		return (!in->operative || in->all_inoperative) ? ST_UNAVAILABLE : ST_AVAILABLE;
	if (in->fault)
		return ST_FAULTED;
	if (!in->operative && !in->tx_active)
		return ST_UNAVAILABLE;
	if (in->tx_active) {
		if (!in->plugged)
			return ST_SUSPENDED_EV;
		if (!in->offering)
			return ST_SUSPENDED_EVSE;
		if (in->ev_requests && in->ev_draws)
			return ST_CHARGING;
		return ST_SUSPENDED_EV;
	}
	if (in->plugged)
		return in->finishing ? ST_FINISHING : ST_PREPARING;
	if (in->authorized)
		return ST_PREPARING;
	if (in->reserved)
		return ST_RESERVED;
	return ST_AVAILABLE;
}

bool st_fsm_draw(struct st_fsm_draw *d, int32_t drawn_ma, cp_mono_t now, cp_mono_t *recheck)
{
	*recheck = cp_mono(0);
	if (drawn_ma >= ST_FSM_DRAW_MA) {
		d->low = false;
		return true;
	}
	if (!d->low) {
		d->low = true;
		d->low_since = now;
	}
	if (now.ms - d->low_since.ms < ST_FSM_IDLE_MS) {
		*recheck = cp_mono(d->low_since.ms + ST_FSM_IDLE_MS);
		return true;
	}
	return false;
}
