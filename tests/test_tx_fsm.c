/*
 * test_tx_fsm.c - a connector's authorization and transaction machine
 * (station/tx_fsm.c): every cell of the table in docs/status.md §3, each
 * with the EV plugged in or not, the Authorize.req bookkeeping, the
 * ConnectionTimeOut deadline, a Scheduled Inoperative, and the sessions of
 * OCPP 1.6 §4.8-4.10 / §5.11 played as event sequences.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "station/tx_fsm.h"

#define IDLE ST_TX_IDLE
#define AUTH ST_TX_AUTHORIZED
#define RUN ST_TX_RUNNING
#define DEAUTH ST_TX_DEAUTHORIZED
#define FIN ST_TX_FINISHING
#define FINAUTH ST_TX_FINISHING_AUTHORIZED

#define CANCEL ST_TXA_CANCEL_TIMEOUT
#define ARM ST_TXA_ARM_TIMEOUT
#define DROP ST_TXA_DROP_REMOTE
#define START ST_TXA_START
#define STOP ST_TXA_STOP
#define INOP ST_TXA_INOPERATIVE

#define NOW 100000
#define TIMEOUT_S 60

/* One cell: from a state, with the EV plugged in (P) or not, without a
 * fault, StopTransactionOnEVSideDisconnect and StopTransactionOnInvalidId
 * true, ConnectionTimeOut 60 s. */
struct cell {
	enum st_tx_state from;
	enum st_tx_event ev;
	bool plugged;
	int rc;
	enum st_tx_state to;
	unsigned actions;
	const char *reason;
};

static const struct cell table[] = {
	/* Accepted: plug first starts, tag first waits ConnectionTimeOut. */
	{ IDLE, ST_TXE_ACCEPTED, false, 0, AUTH, CANCEL | ARM, NULL },
	{ IDLE, ST_TXE_ACCEPTED, true, 0, RUN, CANCEL | START, NULL },
	{ AUTH, ST_TXE_ACCEPTED, false, 0, AUTH, CANCEL | ARM, NULL },
	{ AUTH, ST_TXE_ACCEPTED, true, 0, RUN, CANCEL | START, NULL },
	{ RUN, ST_TXE_ACCEPTED, true, -1, RUN, 0, NULL },
	{ RUN, ST_TXE_ACCEPTED, false, -1, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_ACCEPTED, true, -1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_ACCEPTED, true, 0, FINAUTH, CANCEL | ARM, NULL },
	{ FINAUTH, ST_TXE_ACCEPTED, true, 0, FINAUTH, CANCEL | ARM, NULL },
	/* Cancel: the same card again before the EV came. */
	{ IDLE, ST_TXE_CANCEL, false, -1, IDLE, 0, NULL },
	{ AUTH, ST_TXE_CANCEL, false, 0, IDLE, CANCEL | DROP, NULL },
	{ RUN, ST_TXE_CANCEL, true, -1, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_CANCEL, true, -1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_CANCEL, true, -1, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_CANCEL, true, 0, FIN, CANCEL | DROP, NULL },
	/* Timeout. */
	{ IDLE, ST_TXE_TIMEOUT, false, -1, IDLE, 0, NULL },
	{ AUTH, ST_TXE_TIMEOUT, false, 0, IDLE, CANCEL | DROP, NULL },
	{ AUTH, ST_TXE_TIMEOUT, true, -1, AUTH, 0, NULL },	/* held back by a fault */
	{ RUN, ST_TXE_TIMEOUT, true, -1, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_TIMEOUT, true, -1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_TIMEOUT, true, -1, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_TIMEOUT, true, 0, FIN, CANCEL | DROP, NULL },
	/* Plug (the input already says plugged). */
	{ IDLE, ST_TXE_PLUG, true, 0, IDLE, 0, NULL },
	{ AUTH, ST_TXE_PLUG, true, 0, RUN, CANCEL | START, NULL },
	{ RUN, ST_TXE_PLUG, true, 0, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_PLUG, true, 0, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_PLUG, true, 0, IDLE, 0, NULL },
	{ FINAUTH, ST_TXE_PLUG, true, 0, RUN, CANCEL | START, NULL },
	/* Unplug. */
	{ IDLE, ST_TXE_UNPLUG, false, 0, IDLE, 0, NULL },
	{ AUTH, ST_TXE_UNPLUG, false, 0, AUTH, 0, NULL },
	{ RUN, ST_TXE_UNPLUG, false, 0, IDLE, STOP, "EVDisconnected" },
	{ DEAUTH, ST_TXE_UNPLUG, false, 0, IDLE, STOP, "EVDisconnected" },
	{ FIN, ST_TXE_UNPLUG, false, 0, IDLE, 0, NULL },
	{ FINAUTH, ST_TXE_UNPLUG, false, 0, AUTH, 0, NULL },
	/* Hardware changed, no fault now. */
	{ IDLE, ST_TXE_HW, true, 0, IDLE, 0, NULL },
	{ AUTH, ST_TXE_HW, false, 0, AUTH, 0, NULL },
	{ AUTH, ST_TXE_HW, true, 0, RUN, CANCEL | START, NULL },
	{ RUN, ST_TXE_HW, true, 0, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_HW, true, 0, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_HW, true, 0, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_HW, true, 0, FINAUTH, 0, NULL },
	/* Stop (reason Remote here). */
	{ IDLE, ST_TXE_STOP, false, -1, IDLE, 0, NULL },
	{ AUTH, ST_TXE_STOP, false, -1, AUTH, 0, NULL },
	{ RUN, ST_TXE_STOP, true, 0, FIN, STOP, "Remote" },
	{ RUN, ST_TXE_STOP, false, 0, IDLE, STOP, "Remote" },
	{ DEAUTH, ST_TXE_STOP, true, 0, FIN, STOP, "Remote" },
	{ FIN, ST_TXE_STOP, true, -1, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_STOP, true, -1, FINAUTH, 0, NULL },
	/* The start could not be recorded. */
	{ IDLE, ST_TXE_START_FAILED, true, -1, IDLE, 0, NULL },
	{ AUTH, ST_TXE_START_FAILED, true, -1, AUTH, 0, NULL },
	{ RUN, ST_TXE_START_FAILED, true, 0, AUTH, 0, NULL },
	{ DEAUTH, ST_TXE_START_FAILED, true, -1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_START_FAILED, true, -1, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_START_FAILED, true, -1, FINAUTH, 0, NULL },
	/* StartTransaction.conf refused the idTag (StopTransactionOnInvalidId
	 * true here; false in test_refused_start_without_stop). */
	{ IDLE, ST_TXE_START_REFUSED, false, -1, IDLE, 0, NULL },
	{ AUTH, ST_TXE_START_REFUSED, false, -1, AUTH, 0, NULL },
	{ RUN, ST_TXE_START_REFUSED, true, 0, FIN, STOP, "DeAuthorized" },
	{ DEAUTH, ST_TXE_START_REFUSED, true, -1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_START_REFUSED, true, -1, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_START_REFUSED, true, -1, FINAUTH, 0, NULL },
	/* ChangeAvailability Inoperative: Scheduled (1) while one runs; a
	 * card waiting for an EV is dropped. */
	{ IDLE, ST_TXE_INOPERATIVE, false, 0, IDLE, 0, NULL },
	{ AUTH, ST_TXE_INOPERATIVE, false, 0, IDLE, CANCEL | DROP, NULL },
	{ RUN, ST_TXE_INOPERATIVE, true, 1, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_INOPERATIVE, true, 1, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_INOPERATIVE, true, 0, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_INOPERATIVE, true, 0, FIN, CANCEL | DROP, NULL },
	/* Operative changes no state. */
	{ IDLE, ST_TXE_OPERATIVE, false, 0, IDLE, 0, NULL },
	{ AUTH, ST_TXE_OPERATIVE, false, 0, AUTH, 0, NULL },
	{ RUN, ST_TXE_OPERATIVE, true, 0, RUN, 0, NULL },
	{ DEAUTH, ST_TXE_OPERATIVE, true, 0, DEAUTH, 0, NULL },
	{ FIN, ST_TXE_OPERATIVE, true, 0, FIN, 0, NULL },
	{ FINAUTH, ST_TXE_OPERATIVE, true, 0, FINAUTH, 0, NULL },
};
#define N_CELLS (sizeof(table) / sizeof(table[0]))

static struct st_tx_input input(bool plugged)
{
	struct st_tx_input in = {
		.plugged = plugged,
		.stop_on_ev_disconnect = true,
		.stop_on_invalid_id = true,
		.connection_timeout_s = TIMEOUT_S,
		.reason = "Remote",
	};
	return in;
}

static void test_every_cell(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CELLS; i++) {
		const struct cell *t = &table[i];
		struct st_tx_fsm f = { .state = t->from };
		struct st_tx_input in = input(t->plugged);
		struct st_tx_output out;
		int rc = st_tx_step(&f, t->ev, &in, cp_mono(NOW), &out);

		if (rc != t->rc || f.state != t->to || out.actions != t->actions)
			fail_msg("%s -(%s%s)-> rc %d %s actions %#x; table: rc %d %s actions %#x",
			    st_tx_state_name(t->from), st_tx_event_name(t->ev),
			    t->plugged ? ", plugged" : "", rc, st_tx_state_name(f.state),
			    out.actions, t->rc, st_tx_state_name(t->to), t->actions);
		if (t->reason)
			assert_string_equal(out.reason, t->reason);
		if (out.actions & ARM)
			assert_int_equal(out.deadline.ms, NOW + TIMEOUT_S * 1000);
	}
}

/* Every state meets every event of the table above at least once, so no
 * cell is left to chance. */
static void test_table_covers_every_pair(void **state)
{
	(void)state;
	for (int s = 0; s < ST_TX_STATE_COUNT; s++)
		for (int e = ST_TXE_ACCEPTED; e < ST_TXE_EVENT_COUNT; e++) {
			bool seen = false;
			for (size_t i = 0; i < N_CELLS && !seen; i++)
				seen = table[i].from == (enum st_tx_state)s && table[i].ev == (enum st_tx_event)e;
			if (!seen)
				fail_msg("no cell for %s x %s", st_tx_state_name(s), st_tx_event_name(e));
		}
	assert_string_equal(st_tx_state_name(ST_TX_STATE_COUNT), "?");
	assert_string_equal(st_tx_event_name(ST_TXE_EVENT_COUNT), "?");
}

/* A fault holds a plug-first start back without a deadline: the EV is
 * there; the start comes with the hardware event that clears it. */
static void test_fault_holds_the_start(void **state)
{
	struct st_tx_fsm f = { 0 };
	struct st_tx_input in = input(true);
	struct st_tx_output out;

	(void)state;
	in.fault = true;
	assert_int_equal(st_tx_step(&f, ST_TXE_ACCEPTED, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, AUTH);
	assert_int_equal(out.actions, 0);
	assert_int_equal(st_tx_step(&f, ST_TXE_HW, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, AUTH);
	in.fault = false;
	assert_int_equal(st_tx_step(&f, ST_TXE_HW, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, RUN);
	assert_int_equal(out.actions, CANCEL | START);
	/* The same from the other side: a plug while faulted waits too. */
	f.state = AUTH;
	in.fault = true;
	assert_int_equal(st_tx_step(&f, ST_TXE_PLUG, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, AUTH);
	assert_int_equal(out.actions, 0);
	f.state = FINAUTH;
	assert_int_equal(st_tx_step(&f, ST_TXE_PLUG, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, AUTH);
}

/* ConnectionTimeOut 0: no deadline at all. */
static void test_no_timeout_no_deadline(void **state)
{
	struct st_tx_fsm f = { 0 };
	struct st_tx_input in = input(false);
	struct st_tx_output out;

	(void)state;
	in.connection_timeout_s = 0;
	assert_int_equal(st_tx_step(&f, ST_TXE_ACCEPTED, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, AUTH);
	assert_int_equal(out.actions, CANCEL);
}

/* StopTransactionOnEVSideDisconnect false: the transaction stays. */
static void test_unplug_keeps_the_transaction(void **state)
{
	struct st_tx_fsm f = { .state = RUN };
	struct st_tx_input in = input(false);
	struct st_tx_output out;

	(void)state;
	in.stop_on_ev_disconnect = false;
	assert_int_equal(st_tx_step(&f, ST_TXE_UNPLUG, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, RUN);
	assert_int_equal(out.actions, 0);
	/* Plugged back in, it goes on. */
	in.plugged = true;
	assert_int_equal(st_tx_step(&f, ST_TXE_PLUG, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, RUN);
}

/* StopTransactionOnInvalidId false: the transaction goes on, Deauthorized
 * (energy only up to MaxEnergyOnInvalidId, the control cycle's rule). */
static void test_refused_start_without_stop(void **state)
{
	struct st_tx_fsm f = { .state = RUN };
	struct st_tx_input in = input(true);
	struct st_tx_output out;

	(void)state;
	in.stop_on_invalid_id = false;
	assert_int_equal(st_tx_step(&f, ST_TXE_START_REFUSED, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.state, DEAUTH);
	assert_int_equal(out.actions, 0);
	assert_true(st_tx_running(&f));
}

/* One Authorize.req at a time per connector; a stop check only while a
 * transaction runs, a start check only while none does. */
static void test_authorize_bookkeeping(void **state)
{
	struct st_tx_fsm f = { 0 };
	struct st_tx_input in = input(false);
	struct st_tx_output out;

	(void)state;
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_DONE, &in, cp_mono(NOW), &out), -1);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_STOP, &in, cp_mono(NOW), &out), -1);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_START, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.ask, ST_ASK_START);
	/* A second card while the first is being asked replaces it. */
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_START, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_DONE, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.ask, ST_ASK_NONE);
	assert_int_equal(f.state, IDLE);

	f.state = RUN;
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_START, &in, cp_mono(NOW), &out), -1);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_STOP, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.ask, ST_ASK_STOP);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_STOP, &in, cp_mono(NOW), &out), -1);
	assert_int_equal(st_tx_step(&f, ST_TXE_ASK_DONE, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(f.ask, ST_ASK_NONE);
	assert_int_equal(out.actions, 0);
}

/* ChangeAvailability Inoperative during a transaction is Scheduled and
 * applies with the stop; Operative before the end cancels it. */
static void test_scheduled_inoperative(void **state)
{
	struct st_tx_fsm f = { .state = RUN };
	struct st_tx_input in = input(true);
	struct st_tx_output out;

	(void)state;
	assert_int_equal(st_tx_step(&f, ST_TXE_INOPERATIVE, &in, cp_mono(NOW), &out), 1);
	assert_true(f.inoperative_at_end);
	assert_int_equal(st_tx_step(&f, ST_TXE_STOP, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(out.actions, STOP | INOP);
	assert_false(f.inoperative_at_end);
	assert_int_equal(f.state, FIN);

	f.state = RUN;
	assert_int_equal(st_tx_step(&f, ST_TXE_INOPERATIVE, &in, cp_mono(NOW), &out), 1);
	assert_int_equal(st_tx_step(&f, ST_TXE_OPERATIVE, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(st_tx_step(&f, ST_TXE_STOP, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(out.actions, STOP);

	/* An EV that leaves ends it the same way. */
	f.state = RUN;
	in.plugged = false;
	assert_int_equal(st_tx_step(&f, ST_TXE_INOPERATIVE, &in, cp_mono(NOW), &out), 1);
	assert_int_equal(st_tx_step(&f, ST_TXE_UNPLUG, &in, cp_mono(NOW), &out), 0);
	assert_int_equal(out.actions, STOP | INOP);
	assert_int_equal(f.state, IDLE);
}

/* Sessions as the standard describes them, as event sequences. */
struct step {
	enum st_tx_event ev;
	bool plugged;
	enum st_tx_state to;
	unsigned actions;
};

static void play(const struct step *steps, size_t n)
{
	struct st_tx_fsm f = { 0 };

	for (size_t i = 0; i < n; i++) {
		struct st_tx_input in = input(steps[i].plugged);
		struct st_tx_output out;

		in.reason = "Local";
		if (st_tx_step(&f, steps[i].ev, &in, cp_mono(NOW + (int64_t)i * 1000), &out) < 0)
			fail_msg("step %zu (%s) refused in %s", i, st_tx_event_name(steps[i].ev),
			    st_tx_state_name(f.state));
		if (f.state != steps[i].to || out.actions != steps[i].actions)
			fail_msg("step %zu (%s): %s actions %#x, expected %s %#x", i,
			    st_tx_event_name(steps[i].ev), st_tx_state_name(f.state), out.actions,
			    st_tx_state_name(steps[i].to), steps[i].actions);
	}
}

static void test_sessions(void **state)
{
	/* Tag first, online (§4.8 Authorize then §4.10 StartTransaction). */
	static const struct step tag_first[] = {
		{ ST_TXE_ASK_START, false, IDLE, 0 },
		{ ST_TXE_ASK_DONE, false, IDLE, 0 },
		{ ST_TXE_ACCEPTED, false, AUTH, CANCEL | ARM },
		{ ST_TXE_PLUG, true, RUN, CANCEL | START },
		{ ST_TXE_STOP, true, FIN, STOP },
		{ ST_TXE_UNPLUG, false, IDLE, 0 },
	};
	/* Plug first, a card accepted from the local list while offline. */
	static const struct step plug_first_offline[] = {
		{ ST_TXE_PLUG, true, IDLE, 0 },
		{ ST_TXE_ACCEPTED, true, RUN, CANCEL | START },
		{ ST_TXE_UNPLUG, false, IDLE, STOP },
	};
	/* Finishing, a new card, the EV leaves and comes back: a new
	 * transaction (OCPP 1.6 §4.9 F2 then B3). */
	static const struct step restart[] = {
		{ ST_TXE_PLUG, true, IDLE, 0 },
		{ ST_TXE_ACCEPTED, true, RUN, CANCEL | START },
		{ ST_TXE_STOP, true, FIN, STOP },
		{ ST_TXE_ACCEPTED, true, FINAUTH, CANCEL | ARM },
		{ ST_TXE_UNPLUG, false, AUTH, 0 },
		{ ST_TXE_PLUG, true, RUN, CANCEL | START },
	};
	/* RemoteStartTransaction, no EV within ConnectionTimeOut. */
	static const struct step remote_timeout[] = {
		{ ST_TXE_ACCEPTED, false, AUTH, CANCEL | ARM },
		{ ST_TXE_TIMEOUT, false, IDLE, CANCEL | DROP },
	};
	(void)state;
	play(tag_first, sizeof(tag_first) / sizeof(tag_first[0]));
	play(plug_first_offline, sizeof(plug_first_offline) / sizeof(plug_first_offline[0]));
	play(restart, sizeof(restart) / sizeof(restart[0]));
	play(remote_timeout, sizeof(remote_timeout) / sizeof(remote_timeout[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_cell),
		cmocka_unit_test(test_table_covers_every_pair),
		cmocka_unit_test(test_fault_holds_the_start),
		cmocka_unit_test(test_no_timeout_no_deadline),
		cmocka_unit_test(test_unplug_keeps_the_transaction),
		cmocka_unit_test(test_refused_start_without_stop),
		cmocka_unit_test(test_authorize_bookkeeping),
		cmocka_unit_test(test_scheduled_inoperative),
		cmocka_unit_test(test_sessions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
