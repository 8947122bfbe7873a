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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plug_charge_unplug, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
