/*
 * conn_fsm.h - the connector status machine of OCPP 1.6 §4.9, pure.
 *
 * A connector's status is decided in two steps, both here and both free of
 * I/O, clocks and globals:
 *
 *   1. st_fsm_target(): the status a snapshot of the connector means (the
 *      decision list of OCPP 1.6 §4.9 / §7.7 written out as numbered steps);
 *   2. st_fsm_path(): how to get there from the status last reported using
 *      only the transitions of the OCPP 1.6 status transition table (§4.9,
 *      A2..I8): the target itself when the table allows it, else one
 *      intermediate status.  A transition the table does not list can
 *      therefore never be reported.
 *
 * The station (connector.c) takes the snapshot, and its change_state is the
 * one place that reports a status (StatusNotification) and ends a
 * reservation.  docs/status.md has the table and the decision list.
 */
#ifndef ST_CONN_FSM_H
#define ST_CONN_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_time.h"

/* OCPP 1.6 ChargePointStatus (§7.7), in the order of the §4.9 table's rows
 * (A Available ... I Faulted). */
enum st_status {
	ST_AVAILABLE = 0, ST_PREPARING, ST_CHARGING, ST_SUSPENDED_EV,
	ST_SUSPENDED_EVSE, ST_FINISHING, ST_RESERVED, ST_UNAVAILABLE, ST_FAULTED,
	ST_STATUS_COUNT
};
const char *st_status_name(enum st_status s);

/* An EV in state C drawing less than this (on every conductor) is not
 * charging: it is SuspendedEV once that has lasted ST_FSM_IDLE_MS (station
 * time).  0.5 A is above a meter's noise floor and far below the 6 A minimum
 * any charging EV draws. */
#define ST_FSM_DRAW_MA 500
#define ST_FSM_IDLE_MS 5000

/* Everything a connector's status depends on, taken at one instant. */
struct st_fsm_input {
	bool station;		/* connector 0: the charge point as a whole */
	bool operative;		/* ChangeAvailability: Operative */
	bool all_inoperative;	/* connector 0: every connector is Inoperative */
	bool fault;		/* the hardware reports a fault on this connector */
	bool tx_active;		/* a transaction runs on it */
	bool plugged;		/* an EV is connected (pilot B or C) */
	bool offering;		/* the station offers current to this transaction */
	bool ev_requests;	/* pilot state C: the EV asks for energy */
	bool ev_draws;		/* it drew at least ST_FSM_DRAW_MA lately (st_fsm_draw) */
	bool finishing;		/* the transaction ended with the EV still plugged */
	bool authorized;	/* a card was accepted, waiting for the cable */
	bool reserved;		/* a reservation holds this connector */
};

/* The status the snapshot means. */
enum st_status st_fsm_target(const struct st_fsm_input *in);

/* True when OCPP 1.6 §4.9 allows reporting `to` after `from`. */
bool st_fsm_allowed(enum st_status from, enum st_status to);

/* The statuses to report, in order, to go from `from` to `to` through
 * allowed transitions only.  Returns how many (0 when from == to, else 1 or
 * 2); path[n - 1] is always `to`. */
int st_fsm_path(enum st_status from, enum st_status to, enum st_status path[2]);

/* Whether an EV in state C is drawing, with ST_FSM_IDLE_MS of grace after
 * its draw fell below ST_FSM_DRAW_MA (an EV ramping up, or a short dip, is
 * not a suspension). */
struct st_fsm_draw {
	bool low;		/* below the threshold since low_since */
	cp_mono_t low_since;
};
/* Feeds one reading (drawn_ma: the highest conductor current); returns
 * whether the EV counts as drawing now.  *recheck gets the instant at which
 * the answer changes without a new reading (0 when it does not). */
bool st_fsm_draw(struct st_fsm_draw *d, int32_t drawn_ma, cp_mono_t now, cp_mono_t *recheck);

#endif
