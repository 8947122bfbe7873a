/*
 * test_hw_sim.c - the station driving the simulated EV: the pilot sequence
 * an operator sees, the EV's behaviour (minimum current, ramp, phases,
 * energy, full battery, overdraw), cable, lock and faults.
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
#include "hw/hw_sim.h"

typedef struct {
	hw_sim sim;
	hw_station hw;
	int64_t now;
} rig;

static int setup(void **state)
{
	static rig r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(hw_sim_init(&r.sim, 2), 0);
	assert_int_equal(hw_station_init(&r.hw, &hw_sim_ops, &r.sim, 2), 0);
	r.now = 1000;
	*state = &r;
	return 0;
}

/* Run the 100 ms control tick for ms milliseconds. */
static void run(rig *r, int64_t ms)
{
	for (int64_t t = 0; t < ms; t += 100) {
		r->now += 100;
		hw_station_poll(&r->hw, cp_mono(r->now));
	}
}

static void offer(rig *r, int sock, int32_t ma)
{
	assert_int_equal(hw_station_set_offer(&r->hw, sock, ma, cp_mono(r->now)), 0);
}

static const hw_socket_status *st(rig *r, int sock)
{
	return hw_station_status(&r->hw, sock);
}

static void test_plug_charge_unplug(void **state)
{
	rig *r = *state;

	run(r, 200);
	assert_string_equal(hw_pilot_name(st(r, 1)->pilot), "A");
	assert_false(st(r, 1)->ev_connected);
	assert_int_equal(st(r, 1)->cable_ma, 32000);

	assert_int_equal(hw_sim_plug(&r->sim, 1, 3, 6000, 32000), 0);
	run(r, 200);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_B1);
	assert_true(st(r, 1)->ev_connected);
	assert_true(st(r, 1)->locked);
	assert_int_equal(st(r, 1)->offered_ma, 0);

	offer(r, 1, 16000);
	/* the offer is on the PWM at once, before any poll */
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_B2);
	assert_int_equal(st(r, 1)->offered_ma, 16000);
	assert_int_equal(r->sim.sock[0].out, HW_OUT_PWM);
	assert_int_equal(hw_ma_from_duty(r->sim.sock[0].duty), 16000);

	run(r, 200);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	assert_true(st(r, 1)->contactor);
	assert_true(st(r, 1)->ev_requests);

	run(r, 1500);
	for (int c = 0; c < 3; c++)
		assert_int_equal(st(r, 1)->current_ma[c], 16000);
	assert_true(st(r, 1)->ev_drawing);
	assert_int_equal(st(r, 1)->ev_phases, 3);
	assert_int_equal(st(r, 1)->display, HW_DISPLAY_CHARGING);

	assert_int_equal(hw_sim_unplug(&r->sim, 1), 0);
	run(r, 100);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_A);
	assert_false(st(r, 1)->contactor);
	assert_false(st(r, 1)->locked);
	assert_int_equal(st(r, 1)->current_ma[0], 0);
}


/* Plug, offer and wait until charging. */
static void charge(rig *r, int sock, int phases, int32_t min_ma, int32_t max_ma, int32_t ma)
{
	assert_int_equal(hw_sim_plug(&r->sim, sock, phases, min_ma, max_ma), 0);
	offer(r, sock, ma);
	run(r, 2000);
}

/* A 14 A EV offered 10 A draws nothing and stays connected; offered 14 A
 * it charges. */
static void test_ev_minimum_current(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 14000, 32000, 10000);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	assert_true(st(r, 1)->ev_connected);
	assert_false(st(r, 1)->ev_drawing);
	for (int c = 0; c < 3; c++)
		assert_int_equal(st(r, 1)->current_ma[c], 0);
	offer(r, 1, 14000);
	run(r, 1000);
	assert_int_equal(st(r, 1)->current_ma[0], 14000);

	/* a 6 A EV takes 10 A */
	charge(r, 2, 3, 6000, 32000, 10000);
	assert_int_equal(st(r, 2)->current_ma[2], 10000);
}

/* The EV's own maximum and its phases. */
static void test_ev_max_and_phases(void **state)
{
	rig *r = *state;

	charge(r, 1, 1, 6000, 16000, 32000);
	assert_int_equal(st(r, 1)->offered_ma, 32000);
	assert_int_equal(st(r, 1)->current_ma[0], 16000);
	assert_int_equal(st(r, 1)->current_ma[1], 0);
	assert_int_equal(st(r, 1)->current_ma[2], 0);
	assert_int_equal(st(r, 1)->ev_phases, 1);

	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_PHASES, 2), 0);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_MAX_MA, 20000), 0);
	run(r, 1000);
	assert_int_equal(st(r, 1)->current_ma[0], 20000);
	assert_int_equal(st(r, 1)->current_ma[1], 20000);
	assert_int_equal(st(r, 1)->current_ma[2], 0);
	assert_int_equal(st(r, 1)->ev_phases, 2);
}

/* It ramps like a car: about a second from 0 to 32 A, on the injected
 * clock. */
static void test_ev_ramp(void **state)
{
	rig *r = *state;

	assert_int_equal(hw_sim_plug(&r->sim, 1, 3, 6000, 32000), 0);
	offer(r, 1, 32000);
	run(r, 200);
	assert_true(st(r, 1)->contactor);
	assert_int_equal(st(r, 1)->current_ma[0], 0);
	run(r, 500);
	int32_t mid = st(r, 1)->current_ma[0];
	assert_true(mid > 8000 && mid < 24000);
	run(r, 500);
	assert_int_equal(st(r, 1)->current_ma[0], 32000);

	/* lowered: ramps down, not a step */
	offer(r, 1, 16000);
	run(r, 200);
	assert_true(st(r, 1)->current_ma[0] > 16000);
	run(r, 500);
	assert_int_equal(st(r, 1)->current_ma[0], 16000);
}

/* Energy integrates what it draws: 3 x 16 A x 230 V for an hour. */
static void test_energy(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 6000, 32000, 16000);
	int64_t e0 = st(r, 1)->energy_wh;
	run(r, 3600 * 1000);
	int64_t wh = st(r, 1)->energy_wh - e0;
	assert_true(wh >= 11039 && wh <= 11041);
	/* a paused socket adds nothing */
	offer(r, 1, 0);
	run(r, 2000);
	int64_t e1 = st(r, 1)->energy_wh;
	run(r, 60 * 1000);
	assert_int_equal(st(r, 1)->energy_wh, e1);
}

/* The register is the socket's meter: a second EV continues where the first
 * one left it, never from 0 (meterStart >= the last meterStop). */
static void test_energy_register_survives_plug_ins(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 6000, 32000, 16000);
	run(r, 600 * 1000);
	int64_t first = st(r, 1)->energy_wh;
	assert_true(first > 1000);
	assert_int_equal(hw_sim_unplug(&r->sim, 1), 0);
	run(r, 1000);
	assert_int_equal(st(r, 1)->energy_wh, first);
	assert_int_equal(hw_sim_plug(&r->sim, 1, 1, 6000, 16000), 0);
	run(r, 1000);
	assert_true(st(r, 1)->energy_wh >= first);
}

/* Pause: PWM off, the EV ramps down and goes to B1, the contactor opens
 * because it stopped (well before the timeout); resume charges again. */
static void test_pause_resume(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 6000, 32000, 16000);
	offer(r, 1, 0);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C1);
	assert_int_equal(st(r, 1)->offered_ma, 0);
	run(r, 1000);
	assert_false(st(r, 1)->contactor);
	run(r, 200);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_B1);
	offer(r, 1, 20000);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	assert_int_equal(st(r, 1)->current_ma[1], 20000);
}

/* Battery full: it ramps down and stops asking (B2: SuspendedEV). */
static void test_full(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 6000, 32000, 16000);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_FULL, 1), 0);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_B2);
	assert_false(st(r, 1)->contactor);
	assert_false(st(r, 1)->ev_drawing);
	assert_int_equal(st(r, 1)->offered_ma, 16000);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_FULL, 0), 0);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
}

/* 25 % overdraw trips the overcurrent protection in 2 s; 5 min later it
 * resumes and trips again. */
static void test_overdraw(void **state)
{
	rig *r = *state;

	charge(r, 1, 3, 6000, 32000, 16000);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_DRAW_PERMILLE, 1250), 0);
	run(r, 100);	/* ramping: 19.2 A is already 120 % */
	assert_int_equal(st(r, 1)->current_ma[0], 19200);
	run(r, 1900);
	assert_int_equal(st(r, 1)->current_ma[0], 20000);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	run(r, 100);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_F);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_OVERCURRENT);
	assert_string_equal(st(r, 1)->fault_info, "Overcurrent detected allowed 16A actual 20A");
	assert_string_equal(st(r, 1)->vendor_error, "302");
	assert_int_equal(r->sim.sock[0].display, HW_DISPLAY_OVERCURRENT);
	assert_false(r->sim.sock[0].contactor);
	assert_int_equal(r->sim.sock[0].out, HW_OUT_F);
	run(r, 100);
	assert_int_equal(st(r, 1)->current_ma[0], 0);
	run(r, 300 * 1000);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_NONE);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	run(r, 2500);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_OVERCURRENT);
}

static void test_cable(void **state)
{
	rig *r = *state;

	assert_int_equal(hw_sim_cable(&r->sim, 1, 20), 0);
	charge(r, 1, 3, 6000, 32000, 32000);
	assert_int_equal(st(r, 1)->cable_ma, 20000);
	assert_int_equal(st(r, 1)->offered_ma, 20000);
	assert_int_equal(st(r, 1)->binding, HW_BIND_CABLE);
	assert_int_equal(st(r, 1)->current_ma[0], 20000);
	assert_int_equal(hw_sim_cable(&r->sim, 1, 0), 0);
	run(r, 100);
	assert_int_equal(st(r, 1)->cable_ma, 0);
	assert_int_equal(st(r, 1)->offered_ma, 0);
	assert_int_equal(hw_sim_cable(&r->sim, 1, 25), -EINVAL);
	assert_string_equal(hw_sim_last_error(&r->sim),
			    "cable rating 25: must be 0, 13, 20, 32 or 63");
}

static void test_faults(void **state)
{
	rig *r = *state;

	/* EV error: state E while active */
	charge(r, 1, 3, 6000, 32000, 16000);
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_EV_ERROR, true), 0);
	run(r, 200);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_E);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_EV_ERROR);
	assert_false(st(r, 1)->contactor);
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_EV_ERROR, false), 0);
	run(r, 1500);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_NONE);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);

	/* ventilation: D, never energised here */
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_VENTILATION, true), 0);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_D1);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_VENTILATION);
	assert_false(st(r, 1)->contactor);
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_VENTILATION, false), 0);
	run(r, 1500);
	assert_int_equal(st(r, 1)->fault, HW_FAULT_NONE);

	/* diode: F when the EV asks */
	assert_int_equal(hw_sim_plug(&r->sim, 2, 3, 6000, 32000), 0);
	assert_int_equal(hw_sim_fault(&r->sim, 2, HW_SIM_FAULT_DIODE, true), 0);
	offer(r, 2, 16000);
	run(r, 500);
	assert_int_equal(st(r, 2)->pilot, HW_PILOT_F);
	assert_int_equal(st(r, 2)->fault, HW_FAULT_DIODE);
	assert_false(st(r, 2)->contactor);

	/* lock: UnlockFailed while the motor fails */
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_LOCK, true), 0);
	assert_int_equal(hw_station_unlock(&r->hw, 1, cp_mono(r->now)), HW_UNLOCK_FAILED);
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_LOCK, false), 0);
	assert_int_equal(hw_station_unlock(&r->hw, 1, cp_mono(r->now)), HW_UNLOCK_UNLOCKED);
	assert_false(r->sim.sock[0].locked);
	assert_false(r->sim.sock[0].contactor);

	assert_int_equal(hw_sim_fault_parse("diode"), HW_SIM_FAULT_DIODE);
	assert_int_equal(hw_sim_fault_parse("ventilation"), HW_SIM_FAULT_VENTILATION);
	assert_int_equal(hw_sim_fault_parse("smoke"), -EINVAL);
	assert_int_equal(hw_sim_fault_parse(NULL), -EINVAL);
}

static void test_suspend_contact(void **state)
{
	rig *r = *state;

	hw_station_set_suspend_mode(&r->hw, HW_SUSPEND_ON_CLOSE);
	charge(r, 1, 3, 6000, 32000, 16000);
	charge(r, 2, 1, 6000, 32000, 16000);
	hw_sim_suspend_contact(&r->sim, true);
	run(r, 100);
	/* The driver reports the signal; the daemon's control cycle decides
	 * the pause (smartcharging/evaluate.c) and offers 0. */
	for (int s = 1; s <= 2; s++) {
		assert_true(st(r, s)->suspended);
		assert_int_equal(st(r, s)->display, HW_DISPLAY_SUSPENDED);
		offer(r, s, 0);
		assert_int_equal(st(r, s)->offered_ma, 0);
	}
	run(r, 1500);
	for (int s = 1; s <= 2; s++) {
		assert_int_equal(st(r, s)->current_ma[0], 0);
		assert_int_equal(st(r, s)->display, HW_DISPLAY_SUSPENDED);
	}
	hw_sim_suspend_contact(&r->sim, false);
	run(r, 100);
	assert_false(st(r, 1)->suspended);
	offer(r, 1, 16000);
	offer(r, 2, 16000);
	run(r, 1500);
	assert_int_equal(st(r, 1)->pilot, HW_PILOT_C2);
	assert_int_equal(st(r, 2)->current_ma[0], 16000);
}

static void test_control_validation(void **state)
{
	rig *r = *state;
	static const struct {
		int sock, phases;
		int32_t min_ma, max_ma;
		int err;
		const char *msg;
	} plugs[] = {
		{ .sock = 3, .phases = 3, .min_ma = 6000, .max_ma = 32000, .err = -ENODEV,
		  .msg = "no connector 3" },
		{ .sock = 1, .phases = 4, .min_ma = 6000, .max_ma = 32000, .err = -EINVAL,
		  .msg = "phases 4 out of range 1..3" },
		{ .sock = 1, .phases = 3, .min_ma = 5000, .max_ma = 32000, .err = -EINVAL,
		  .msg = "min_current (mA) 5000 out of range 6000..80000" },
		{ .sock = 1, .phases = 3, .min_ma = 14000, .max_ma = 10000, .err = -EINVAL,
		  .msg = "min_current above max_current" },
	};
	for (size_t i = 0; i < sizeof(plugs) / sizeof(plugs[0]); i++) {
		assert_int_equal(hw_sim_plug(&r->sim, plugs[i].sock, plugs[i].phases,
					     plugs[i].min_ma, plugs[i].max_ma), plugs[i].err);
		assert_string_equal(hw_sim_last_error(&r->sim), plugs[i].msg);
	}
	assert_int_equal(hw_sim_unplug(&r->sim, 1), -ENOTCONN);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_FULL, 1), -ENOTCONN);
	assert_int_equal(hw_sim_plug(&r->sim, 1, 3, 6000, 32000), 0);
	assert_int_equal(hw_sim_plug(&r->sim, 1, 3, 6000, 32000), -EBUSY);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_DRAW_PERMILLE, 5000), -EINVAL);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, HW_SIM_EV_MIN_MA, 40000), -EINVAL);
	assert_int_equal(hw_sim_ev_set(&r->sim, 1, (enum hw_sim_ev_param)99, 1), -EINVAL);
	assert_int_equal(hw_sim_fault(&r->sim, 1, HW_SIM_FAULT_COUNT, true), -EINVAL);
	assert_null(hw_sim_ev_get(&r->sim, 0));
	assert_true(hw_sim_ev_get(&r->sim, 1)->plugged);
}

int main(void)
{
	cp_log_set_level(CP_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plug_charge_unplug, setup),
		cmocka_unit_test_setup(test_ev_minimum_current, setup),
		cmocka_unit_test_setup(test_ev_max_and_phases, setup),
		cmocka_unit_test_setup(test_ev_ramp, setup),
		cmocka_unit_test_setup(test_energy, setup),
		cmocka_unit_test_setup(test_energy_register_survives_plug_ins, setup),
		cmocka_unit_test_setup(test_pause_resume, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_overdraw, setup),
		cmocka_unit_test_setup(test_cable, setup),
		cmocka_unit_test_setup(test_faults, setup),
		cmocka_unit_test_setup(test_suspend_contact, setup),
		cmocka_unit_test_setup(test_control_validation, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
