/*
 * test_hw_mode3.c - the station's Mode 3 state machine against a scripted
 * fake backend and a fake clock: every pilot transition, the contactor
 * policy, E/F handling, the diode check, the lock, the overcurrent pause and
 * resume, the suspend input on both polarities, the cable capacity, unlock,
 * the display and the change counter.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cp_log.h"
#include "hw/hw.h"

/* ---- a fake backend the test scripts ---- */

typedef struct fake {
	enum hw_cp_level level[CP_MAX_CONNECTORS];
	bool diode_ok[CP_MAX_CONNECTORS];
	int32_t ohm[CP_MAX_CONNECTORS];
	hw_meter_reading meter[CP_MAX_CONNECTORS];
	bool no_meter;
	bool lock_fails;
	bool suspend_closed;
	/* what the station drove */
	enum hw_pilot_out out[CP_MAX_CONNECTORS];
	int duty[CP_MAX_CONNECTORS];
	bool contactor[CP_MAX_CONNECTORS];
	bool locked[CP_MAX_CONNECTORS];
	int contactor_writes;
	enum hw_display shown[CP_MAX_CONNECTORS];
} fake;

static int f_set_pilot(void *ctx, int sock, enum hw_pilot_out out, int duty)
{
	fake *f = ctx;
	f->out[sock - 1] = out;
	f->duty[sock - 1] = duty;
	return 0;
}

static int f_read_pilot(void *ctx, int sock, enum hw_cp_level *l, bool *d)
{
	fake *f = ctx;
	*l = f->out[sock - 1] == HW_OUT_F ? HW_CP_NEG12V : f->level[sock - 1];
	*d = f->diode_ok[sock - 1];
	return 0;
}

static int f_read_prox(void *ctx, int sock, int32_t *ohm)
{
	fake *f = ctx;
	*ohm = f->ohm[sock - 1];
	return 0;
}

static int f_set_contactor(void *ctx, int sock, bool closed)
{
	fake *f = ctx;
	f->contactor[sock - 1] = closed;
	f->contactor_writes++;
	return 0;
}

static int f_set_lock(void *ctx, int sock, bool locked)
{
	fake *f = ctx;
	if (f->lock_fails)
		return -EIO;
	f->locked[sock - 1] = locked;
	return 0;
}

static int f_read_meter(void *ctx, int sock, hw_meter_reading *m)
{
	fake *f = ctx;
	if (f->no_meter)
		return -ENOTSUP;
	*m = f->meter[sock - 1];
	return 0;
}

static int f_read_suspend(void *ctx, bool *closed)
{
	fake *f = ctx;
	*closed = f->suspend_closed;
	return 0;
}

static void f_show(void *ctx, int sock, enum hw_display d)
{
	fake *f = ctx;
	f->shown[sock - 1] = d;
}

static const hw_backend_ops fake_ops = {
	.name = "fake",
	.set_pilot = f_set_pilot,
	.read_pilot = f_read_pilot,
	.read_proximity = f_read_prox,
	.set_contactor = f_set_contactor,
	.set_lock = f_set_lock,
	.read_meter = f_read_meter,
	.read_suspend = f_read_suspend,
	.show_display = f_show,
};

typedef struct rig {
	fake f;
	hw_station hw;
	int64_t now;
} rig;

static rig R;

static int setup(void **state)
{
	memset(&R, 0, sizeof(R));
	for (int i = 0; i < CP_MAX_CONNECTORS; i++) {
		R.f.level[i] = HW_CP_12V;
		R.f.diode_ok[i] = true;
		R.f.ohm[i] = 220;	/* 32 A cable */
	}
	R.now = 10000;
	assert_int_equal(hw_station_init(&R.hw, &fake_ops, &R.f, 1), 0);
	if (state)
		*state = &R;
	return 0;
}

static void poll_for(int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 100) {
		R.now += 100;
		assert_int_equal(hw_station_poll(&R.hw, cp_mono(R.now)), 0);
	}
}

static void poll1(void) { poll_for(100); }

static void offer(int32_t ma)
{
	assert_int_equal(hw_station_set_offer(&R.hw, 1, ma, cp_mono(R.now)), 0);
}

static void draw(int32_t ma, int phases)
{
	for (int c = 0; c < 3; c++)
		R.f.meter[0].current_ma[c] = c < phases ? ma : 0;
}

static const hw_socket_status *S(void) { return hw_station_status(&R.hw, 1); }

/* Bring socket 1 into a pilot state the ordinary way. */
static void reach(enum hw_pilot p)
{
	switch (p) {
	case HW_PILOT_A:
		break;
	case HW_PILOT_B1:
	case HW_PILOT_B2:
		R.f.level[0] = HW_CP_9V;
		offer(p == HW_PILOT_B2 ? 16000 : 0);
		break;
	case HW_PILOT_C1:
	case HW_PILOT_C2:
		R.f.level[0] = HW_CP_6V;
		offer(p == HW_PILOT_C2 ? 16000 : 0);
		break;
	case HW_PILOT_D1:
	case HW_PILOT_D2:
		R.f.level[0] = HW_CP_3V;
		offer(p == HW_PILOT_D2 ? 16000 : 0);
		break;
	case HW_PILOT_E:
		R.f.level[0] = HW_CP_0V;
		break;
	default:
		fail();
	}
	poll1();
	assert_int_equal(S()->pilot, p);
	if (p == HW_PILOT_C2 || p == HW_PILOT_D2) {
		/* the diode check needs a reading with the PWM on: from A
		 * that is one more poll */
		poll1();
		assert_true(R.f.contactor[0]);
	}
}

enum step_kind { LEVEL, OFFER };

/* One transition: from a state, one input, the state and outputs after. */
static const struct transition {
	const char *name;
	bool ventilation;
	enum hw_pilot from;
	enum step_kind kind;
	int value;		/* level or offer in mA */
	enum hw_pilot to;
	enum hw_pilot_out out;
	bool contactor;
	enum hw_fault fault;
} transitions[] = {
	{ "A: offer without EV stays A", .from = HW_PILOT_A, .kind = OFFER, .value = 16000,
	  .to = HW_PILOT_A, .out = HW_OUT_STANDBY },
	{ "A->B1 plug, nothing offered", .from = HW_PILOT_A, .kind = LEVEL, .value = HW_CP_9V,
	  .to = HW_PILOT_B1, .out = HW_OUT_STANDBY },
	{ "A->E", .from = HW_PILOT_A, .kind = LEVEL, .value = HW_CP_0V,
	  .to = HW_PILOT_E, .out = HW_OUT_STANDBY, .fault = HW_FAULT_EV_ERROR },
	{ "B1->B2 offer", .from = HW_PILOT_B1, .kind = OFFER, .value = 16000,
	  .to = HW_PILOT_B2, .out = HW_OUT_PWM },
	{ "B1: 5.9 A is no offer", .from = HW_PILOT_B1, .kind = OFFER, .value = 5900,
	  .to = HW_PILOT_B1, .out = HW_OUT_STANDBY },
	{ "B1->C1 EV asks, no PWM", .from = HW_PILOT_B1, .kind = LEVEL, .value = HW_CP_6V,
	  .to = HW_PILOT_C1, .out = HW_OUT_STANDBY },
	{ "B1->A unplug", .from = HW_PILOT_B1, .kind = LEVEL, .value = HW_CP_12V,
	  .to = HW_PILOT_A, .out = HW_OUT_STANDBY },
	{ "B2->B1 pause", .from = HW_PILOT_B2, .kind = OFFER, .value = 0,
	  .to = HW_PILOT_B1, .out = HW_OUT_STANDBY },
	{ "B2->C2 EV asks: contactor closes", .from = HW_PILOT_B2, .kind = LEVEL,
	  .value = HW_CP_6V, .to = HW_PILOT_C2, .out = HW_OUT_PWM, .contactor = true },
	{ "B2->D1 ventilation asked, none here", .from = HW_PILOT_B2, .kind = LEVEL,
	  .value = HW_CP_3V, .to = HW_PILOT_D1, .out = HW_OUT_STANDBY,
	  .fault = HW_FAULT_VENTILATION },
	{ "B2->D2 with ventilation", .ventilation = true, .from = HW_PILOT_B2, .kind = LEVEL,
	  .value = HW_CP_3V, .to = HW_PILOT_D2, .out = HW_OUT_PWM, .contactor = true },
	{ "B2->E", .from = HW_PILOT_B2, .kind = LEVEL, .value = HW_CP_0V,
	  .to = HW_PILOT_E, .out = HW_OUT_STANDBY, .fault = HW_FAULT_EV_ERROR },
	{ "C1->C2 offer: contactor closes", .from = HW_PILOT_C1, .kind = OFFER, .value = 16000,
	  .to = HW_PILOT_C2, .out = HW_OUT_PWM, .contactor = true },
	{ "C1->B1 EV gives up", .from = HW_PILOT_C1, .kind = LEVEL, .value = HW_CP_9V,
	  .to = HW_PILOT_B1, .out = HW_OUT_STANDBY },
	{ "C2->B2 EV stops asking: open", .from = HW_PILOT_C2, .kind = LEVEL, .value = HW_CP_9V,
	  .to = HW_PILOT_B2, .out = HW_OUT_PWM },
	{ "C2->A unplug under load: open", .from = HW_PILOT_C2, .kind = LEVEL,
	  .value = HW_CP_12V, .to = HW_PILOT_A, .out = HW_OUT_STANDBY },
	{ "C2->E: open", .from = HW_PILOT_C2, .kind = LEVEL, .value = HW_CP_0V,
	  .to = HW_PILOT_E, .out = HW_OUT_STANDBY, .fault = HW_FAULT_EV_ERROR },
	{ "C2->C1 pause: contactor waits for the EV", .from = HW_PILOT_C2, .kind = OFFER,
	  .value = 0, .to = HW_PILOT_C1, .out = HW_OUT_STANDBY, .contactor = true },
	{ "C2: new offer changes the duty only", .from = HW_PILOT_C2, .kind = OFFER,
	  .value = 10000, .to = HW_PILOT_C2, .out = HW_OUT_PWM, .contactor = true },
	{ "C2: a reading between bands changes nothing", .from = HW_PILOT_C2, .kind = LEVEL,
	  .value = HW_CP_INVALID, .to = HW_PILOT_C2, .out = HW_OUT_PWM, .contactor = true },
	{ "D2->D1 pause", .ventilation = true, .from = HW_PILOT_D2, .kind = OFFER, .value = 0,
	  .to = HW_PILOT_D1, .out = HW_OUT_STANDBY, .contactor = true },
	{ "D1->C1 ventilation fault goes with D", .from = HW_PILOT_D1, .kind = LEVEL,
	  .value = HW_CP_6V, .to = HW_PILOT_C1, .out = HW_OUT_STANDBY },
	{ "E->B1 error over", .from = HW_PILOT_E, .kind = LEVEL, .value = HW_CP_9V,
	  .to = HW_PILOT_B1, .out = HW_OUT_STANDBY },
	{ "E->A", .from = HW_PILOT_E, .kind = LEVEL, .value = HW_CP_12V,
	  .to = HW_PILOT_A, .out = HW_OUT_STANDBY },
	{ "E: offer ignored", .from = HW_PILOT_E, .kind = OFFER, .value = 16000,
	  .to = HW_PILOT_E, .out = HW_OUT_STANDBY, .fault = HW_FAULT_EV_ERROR },
};

static void test_transitions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		const struct transition *t = &transitions[i];

		print_message("%s\n", t->name);
		setup(NULL);
		hw_socket_config cfg = { .ventilation = t->ventilation };
		assert_int_equal(hw_station_configure_socket(&R.hw, 1, &cfg), 0);
		reach(t->from);
		if (t->from == HW_PILOT_C2 || t->from == HW_PILOT_D2)
			draw(16000, 3);
		if (t->kind == LEVEL)
			R.f.level[0] = (enum hw_cp_level)t->value;
		else
			offer(t->value);
		poll1();
		assert_string_equal(hw_pilot_name(S()->pilot), hw_pilot_name(t->to));
		assert_int_equal(R.f.out[0], t->out);
		assert_int_equal(R.f.contactor[0], t->contactor);
		assert_int_equal(S()->contactor, t->contactor);
		assert_int_equal(S()->fault, t->fault);
		/* offered_ma is what the PWM offers: 0 without PWM */
		if (t->out != HW_OUT_PWM)
			assert_int_equal(S()->offered_ma, 0);
		else
			assert_int_equal(hw_ma_from_duty(R.f.duty[0]), S()->offered_ma);
		/* the plug is locked whenever an EV is there */
		assert_int_equal(R.f.locked[0], t->to != HW_PILOT_A);
	}
}

static void test_offer_rounding_and_cap(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);
	offer(16049);
	assert_int_equal(S()->offered_ma, 16000);
	assert_int_equal(S()->requested_ma, 16049);
	offer(6099);
	assert_int_equal(S()->offered_ma, 6000);
	assert_int_equal(R.f.duty[0], 1000);
	offer(5999);
	assert_int_equal(S()->pilot, HW_PILOT_C1);
	assert_int_equal(S()->offered_ma, 0);
	assert_int_equal(hw_station_set_offer(&R.hw, 1, -1, cp_mono(R.now)), -EINVAL);
	assert_int_equal(hw_station_set_offer(&R.hw, 2, 16000, cp_mono(R.now)), -EINVAL);
}

/* x2 -> x1: the contactor opens once the EV stopped drawing, or after
 * 6 s if it does not. */
static void test_contactor_opens_after_ev_stops(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);
	draw(16000, 3);
	poll1();
	offer(0);
	poll_for(1000);
	assert_true(R.f.contactor[0]);
	draw(500, 3);	/* below 1 A: stopped */
	poll1();
	assert_false(R.f.contactor[0]);
	assert_int_equal(S()->pilot, HW_PILOT_C1);

	/* the EV keeps drawing: open at the timeout */
	setup(NULL);
	reach(HW_PILOT_C2);
	draw(16000, 3);
	poll1();
	offer(0);
	poll_for(5900);
	assert_true(R.f.contactor[0]);
	poll_for(100);
	assert_false(R.f.contactor[0]);

	/* resumed before the EV stopped: the contactor never opened */
	setup(NULL);
	reach(HW_PILOT_C2);
	draw(16000, 3);
	poll1();
	offer(0);
	poll_for(500);
	int writes = R.f.contactor_writes;
	offer(16000);
	poll_for(7000);
	assert_true(R.f.contactor[0]);
	assert_int_equal(R.f.contactor_writes, writes);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
}

static void test_diode_check(void **state)
{
	(void)state;
	reach(HW_PILOT_B2);
	R.f.diode_ok[0] = false;
	R.f.level[0] = HW_CP_6V;
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_int_equal(S()->fault, HW_FAULT_DIODE);
	assert_false(R.f.contactor[0]);
	assert_int_equal(R.f.out[0], HW_OUT_F);
	assert_int_equal(S()->display, HW_DISPLAY_FAULT);
	/* still failing at the retry: stays F */
	poll_for(6000);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	/* the retry after it is fixed charges */
	R.f.diode_ok[0] = true;
	poll_for(5000);
	assert_int_equal(S()->fault, HW_FAULT_NONE);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	assert_true(R.f.contactor[0]);

	/* From C1 (no PWM) the check happens after the PWM starts and
	 * before the contactor closes. */
	setup(NULL);
	reach(HW_PILOT_C1);
	R.f.diode_ok[0] = false;
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_C1);	/* no PWM: nothing to check */
	offer(16000);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	assert_false(R.f.contactor[0]);
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_int_equal(S()->fault, HW_FAULT_DIODE);
	assert_false(R.f.contactor[0]);
}

static void test_lock_failure(void **state)
{
	(void)state;
	R.f.lock_fails = true;
	R.f.level[0] = HW_CP_9V;
	offer(16000);
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_int_equal(S()->fault, HW_FAULT_LOCK);
	assert_true(S()->ev_connected);
	assert_int_equal(S()->offered_ma, 0);
	assert_int_equal(hw_station_unlock(&R.hw, 1, cp_mono(R.now)), HW_UNLOCK_FAILED);
	poll_for(6000);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	R.f.lock_fails = false;
	poll_for(5000);
	assert_int_equal(S()->fault, HW_FAULT_NONE);
	assert_true(R.f.locked[0]);
	assert_int_equal(S()->pilot, HW_PILOT_B2);
}

static void test_unplug_in_f_clears_fault(void **state)
{
	(void)state;
	/* the fake shows -12 V in F like real hardware; a simulator that can
	 * see the EV reports A: the station leaves F for A */
	R.f.lock_fails = true;
	R.f.level[0] = HW_CP_9V;
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_F);
	R.f.lock_fails = false;
	R.f.level[0] = HW_CP_12V;
	poll_for(5000);
	assert_int_equal(S()->pilot, HW_PILOT_A);
	assert_int_equal(S()->fault, HW_FAULT_NONE);
	assert_false(S()->ev_connected);
}

static void test_unlock(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);
	draw(16000, 3);
	poll1();
	assert_int_equal(hw_station_unlock(&R.hw, 1, cp_mono(R.now)), HW_UNLOCK_UNLOCKED);
	/* never released live */
	assert_false(R.f.contactor[0]);
	assert_false(R.f.locked[0]);
	assert_int_equal(R.f.out[0], HW_OUT_STANDBY);
	assert_int_equal(S()->pilot, HW_PILOT_C1);
	/* nothing is offered until the EV is unplugged */
	offer(16000);
	poll_for(1000);
	assert_int_equal(S()->offered_ma, 0);
	assert_int_equal(S()->binding, HW_BIND_EV_STATE);
	R.f.level[0] = HW_CP_12V;
	poll1();
	R.f.level[0] = HW_CP_9V;
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_B2);
	assert_true(R.f.locked[0]);

	/* a tethered cable has no lock */
	hw_socket_config cfg = { .fixed_cable = true, .fixed_cable_ma = 20000 };
	assert_int_equal(hw_station_configure_socket(&R.hw, 1, &cfg), 0);
	assert_int_equal(hw_station_unlock(&R.hw, 1, cp_mono(R.now)), HW_UNLOCK_NOT_SUPPORTED);
	poll1();
	assert_int_equal(S()->cable_ma, 20000);
	assert_int_equal(S()->offered_ma, 16000);
}

static void test_overcurrent_pause_and_resume(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);	/* 16 A offered */
	draw(20000, 1);		/* 125 %: the 2 s band */
	poll_for(1900);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	poll_for(200);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_int_equal(S()->fault, HW_FAULT_OVERCURRENT);
	assert_string_equal(S()->fault_info, "Overcurrent detected allowed 16A actual 20A");
	assert_string_equal(S()->vendor_error, "302");
	assert_int_equal(S()->display, HW_DISPLAY_OVERCURRENT);
	assert_int_equal(R.f.shown[0], HW_DISPLAY_OVERCURRENT);
	assert_false(R.f.contactor[0]);
	assert_int_equal(R.f.out[0], HW_OUT_F);
	assert_int_equal(S()->offered_ma, 0);
	assert_int_equal(S()->binding, HW_BIND_FAULT);
	assert_true(S()->ev_connected);

	/* 5 minutes in F, then it resumes (the EV still asks) */
	draw(0, 3);
	poll_for(299000);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	poll_for(1000);
	assert_int_equal(S()->fault, HW_FAULT_NONE);
	assert_string_equal(S()->fault_info, "");
	assert_string_equal(S()->vendor_error, "");
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	poll1();	/* diode check with the PWM on, then close */
	assert_true(R.f.contactor[0]);

	/* it persists: trips again */
	draw(20000, 1);
	poll_for(2100);
	assert_int_equal(S()->fault, HW_FAULT_OVERCURRENT);
}

/* Lowering the offer gives the EV 5 s, counted from set_offer. */
static void test_overcurrent_grace(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);
	offer(32000);
	draw(32000, 3);
	poll_for(1000);
	offer(16000);
	poll_for(4900);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	/* grace over: 200 % for 2 s trips */
	poll_for(2000);
	assert_int_equal(S()->pilot, HW_PILOT_C2);
	poll_for(200);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_string_equal(S()->fault_info, "Overcurrent detected allowed 16A actual 32A");
}

/* A backend without a meter: the daemon's readings drive the monitor. */
static void test_external_meter(void **state)
{
	(void)state;
	R.f.no_meter = true;
	reach(HW_PILOT_C2);
	hw_meter_reading m = { .current_ma = { 0, 24000, 0 }, .energy_wh = 77 };
	assert_int_equal(hw_station_set_meter(&R.hw, 1, &m), 0);
	poll_for(2100);
	assert_int_equal(S()->current_ma[1], 24000);
	assert_int_equal(S()->energy_wh, 77);
	assert_int_equal(S()->fault, HW_FAULT_OVERCURRENT);
}

/* The suspend input on both polarities.  The driver reads it and shows the
 * vendor's Suspend Charging Mode message; pausing is the control cycle's
 * decision (test_sc_evaluate "suspend signal"), which it makes by offering
 * 0: the driver follows that within the same call and keeps no second copy
 * of the rule (a suspend does not override the daemon's offer). */
static void test_suspend_polarity(void **state)
{
	(void)state;
	static const struct {
		enum hw_suspend_mode mode;
		bool closed;
		bool suspended;
	} cases[] = {
		{ .mode = HW_SUSPEND_ON_CLOSE, .closed = true, .suspended = true },
		{ .mode = HW_SUSPEND_ON_CLOSE, .closed = false, .suspended = false },
		{ .mode = HW_SUSPEND_ON_OPEN, .closed = false, .suspended = true },
		{ .mode = HW_SUSPEND_ON_OPEN, .closed = true, .suspended = false },
		{ .mode = HW_SUSPEND_IGNORED, .closed = true, .suspended = false },
		{ .mode = HW_SUSPEND_IGNORED, .closed = false, .suspended = false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("mode %d closed %d\n", cases[i].mode, cases[i].closed);
		setup(NULL);
		hw_station_set_suspend_mode(&R.hw, cases[i].mode);
		R.f.suspend_closed = cases[i].mode == HW_SUSPEND_ON_OPEN;
		reach(HW_PILOT_C2);
		draw(16000, 3);
		uint32_t seq = S()->seq;
		R.f.suspend_closed = cases[i].closed;
		poll1();	/* within one control cycle */
		assert_int_equal(S()->suspended, cases[i].suspended);
		assert_int_equal(S()->suspend_contact, cases[i].closed);
		/* The daemon's evaluation runs on the status change. */
		assert_true(S()->seq != seq || !cases[i].suspended);
		assert_int_equal(S()->pilot, HW_PILOT_C2);
		assert_int_equal(S()->offered_ma, 16000);
		if (!cases[i].suspended)
			continue;
		assert_int_equal(S()->display, HW_DISPLAY_SUSPENDED);
		/* The daemon pauses: x2 -> x1 in the same call. */
		offer(0);
		assert_int_equal(S()->pilot, HW_PILOT_C1);
		assert_int_equal(S()->offered_ma, 0);
		assert_int_equal(S()->display, HW_DISPLAY_SUSPENDED);
		/* releasing: the status says so, the daemon resumes */
		seq = S()->seq;
		R.f.suspend_closed = !cases[i].closed;
		poll1();
		assert_false(S()->suspended);
		assert_true(S()->seq != seq);
		assert_int_not_equal(S()->display, HW_DISPLAY_SUSPENDED);
		offer(16000);
		assert_int_equal(S()->pilot, HW_PILOT_C2);
		assert_int_equal(S()->offered_ma, 16000);
	}
}

/* A new session during suspend: the display says suspended from the start,
 * and with the daemon's 0 offer the EV is never offered current. */
static void test_suspend_new_session(void **state)
{
	(void)state;
	hw_station_set_suspend_mode(&R.hw, HW_SUSPEND_ON_CLOSE);
	R.f.suspend_closed = true;
	poll1();
	assert_int_equal(S()->display, HW_DISPLAY_SUSPENDED);
	R.f.level[0] = HW_CP_9V;
	offer(0);
	poll_for(500);
	assert_int_equal(S()->pilot, HW_PILOT_B1);
	assert_int_equal(S()->offered_ma, 0);
	assert_int_equal(S()->display, HW_DISPLAY_SUSPENDED);
}

static void test_cable_capacity(void **state)
{
	(void)state;
	static const struct {
		int32_t ohm;
		int32_t requested, offered;
		enum hw_binding binding;
	} cases[] = {
		{ .ohm = 220, .requested = 32000, .offered = 32000, .binding = HW_BIND_NONE },
		{ .ohm = 680, .requested = 32000, .offered = 20000, .binding = HW_BIND_CABLE },
		{ .ohm = 1500, .requested = 16000, .offered = 13000, .binding = HW_BIND_CABLE },
		{ .ohm = 1500, .requested = 10000, .offered = 10000, .binding = HW_BIND_NONE },
		{ .ohm = 100, .requested = 63000, .offered = 63000, .binding = HW_BIND_NONE },
		{ .ohm = -1, .requested = 16000, .offered = 0, .binding = HW_BIND_CABLE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%d ohm\n", (int)cases[i].ohm);
		setup(NULL);
		R.f.ohm[0] = cases[i].ohm;
		R.f.level[0] = HW_CP_6V;
		offer(cases[i].requested);
		poll_for(200);
		assert_int_equal(S()->cable_ma, hw_cable_ma_from_ohm(cases[i].ohm));
		assert_int_equal(S()->offered_ma, cases[i].offered);
		assert_int_equal(S()->binding, cases[i].binding);
		assert_int_equal(S()->pilot, cases[i].offered ? HW_PILOT_C2 : HW_PILOT_C1);
		assert_int_equal(R.f.contactor[0], cases[i].offered > 0);
	}
}

static void test_disable(void **state)
{
	(void)state;
	reach(HW_PILOT_C2);
	assert_int_equal(hw_station_set_enabled(&R.hw, 1, false, cp_mono(R.now)), 0);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_false(R.f.contactor[0]);
	assert_int_equal(S()->display, HW_DISPLAY_UNAVAILABLE);
	poll_for(1000);
	assert_int_equal(S()->pilot, HW_PILOT_F);
	assert_int_equal(hw_station_set_enabled(&R.hw, 1, true, cp_mono(R.now)), 0);
	poll1();
	assert_int_equal(S()->pilot, HW_PILOT_C2);
}

static void test_display_and_seq(void **state)
{
	(void)state;
	poll1();
	assert_int_equal(S()->display, HW_DISPLAY_IDLE);
	uint32_t seq = S()->seq;
	poll_for(1000);
	assert_int_equal(S()->seq, seq);	/* nothing changed */
	reach(HW_PILOT_B1);
	assert_true(S()->seq > seq);
	assert_int_equal(S()->display, HW_DISPLAY_CONNECTED);
	assert_int_equal(hw_station_set_display_hint(&R.hw, 1, HW_DISPLAY_ALTERNATING), 0);
	assert_int_equal(S()->display, HW_DISPLAY_ALTERNATING);
	assert_int_equal(R.f.shown[0], HW_DISPLAY_ALTERNATING);
	assert_int_equal(hw_station_set_display_hint(&R.hw, 1, HW_DISPLAY_AUTO), 0);
	reach(HW_PILOT_C2);
	draw(16000, 1);
	poll1();
	assert_int_equal(S()->display, HW_DISPLAY_CHARGING);
	assert_int_equal(S()->ev_phases, 1);
	assert_int_equal(hw_station_set_display_hint(&R.hw, 1, HW_DISPLAY_COUNT), -EINVAL);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	hw_station hw;

	assert_int_equal(hw_station_init(&hw, &fake_ops, &R.f, 0), -EINVAL);
	assert_int_equal(hw_station_init(&hw, &fake_ops, &R.f, CP_MAX_CONNECTORS + 1), -EINVAL);
	assert_int_equal(hw_station_init(&hw, NULL, &R.f, 1), -EINVAL);
	assert_null(hw_station_status(&R.hw, 0));
	assert_null(hw_station_status(&R.hw, 2));
	hw_socket_config bad = { .fixed_cable = true, .fixed_cable_ma = 5000 };
	assert_int_equal(hw_station_configure_socket(&R.hw, 1, &bad), -EINVAL);
	assert_int_equal(hw_station_unlock(&R.hw, 3, cp_mono(0)), HW_UNLOCK_NOT_SUPPORTED);
}

int main(void)
{
	cp_log_set_level(CP_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_transitions, setup),
		cmocka_unit_test_setup(test_offer_rounding_and_cap, setup),
		cmocka_unit_test_setup(test_contactor_opens_after_ev_stops, setup),
		cmocka_unit_test_setup(test_diode_check, setup),
		cmocka_unit_test_setup(test_lock_failure, setup),
		cmocka_unit_test_setup(test_unplug_in_f_clears_fault, setup),
		cmocka_unit_test_setup(test_unlock, setup),
		cmocka_unit_test_setup(test_overcurrent_pause_and_resume, setup),
		cmocka_unit_test_setup(test_overcurrent_grace, setup),
		cmocka_unit_test_setup(test_external_meter, setup),
		cmocka_unit_test_setup(test_suspend_polarity, setup),
		cmocka_unit_test_setup(test_suspend_new_session, setup),
		cmocka_unit_test_setup(test_cable_capacity, setup),
		cmocka_unit_test_setup(test_disable, setup),
		cmocka_unit_test_setup(test_display_and_seq, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
