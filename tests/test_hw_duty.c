/*
 * test_hw_duty.c - the pure IEC 61851-1 conversions: duty from current at
 * the edges of each formula, what an EV reads back, cable capacity from the
 * proximity resistor, pilot level bands, names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hw/hw.h"

static void test_duty_edges(void **state)
{
	(void)state;
	static const struct {
		int32_t ma;
		int duty;	/* 0.01 % */
	} cases[] = {
		{ .ma = 0, .duty = 0 },
		{ .ma = 1000, .duty = 0 },	/* never a duty meaning 1-5 A */
		{ .ma = 5900, .duty = 0 },
		{ .ma = 5999, .duty = 0 },
		{ .ma = 6000, .duty = 1000 },	/* 10 % */
		{ .ma = 16000, .duty = 2667 },	/* 26.67 % */
		{ .ma = 32000, .duty = 5333 },
		{ .ma = 51000, .duty = 8500 },	/* 85 %: last of I / 0.6 */
		{ .ma = 51100, .duty = 8444 },	/* 51.1 / 2.5 + 64 = 84.44 % */
		{ .ma = 63000, .duty = 8920 },
		{ .ma = 80000, .duty = 9600 },	/* 96 % */
		{ .ma = 80100, .duty = 9600 },	/* capped, never above 96 % */
		{ .ma = 200000, .duty = 9600 },
		{ .ma = -5, .duty = 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%d mA\n", (int)cases[i].ma);
		assert_int_equal(hw_duty_from_ma(cases[i].ma), cases[i].duty);
	}
}

static void test_ev_reads_duty(void **state)
{
	(void)state;
	static const struct {
		int duty;
		int32_t ma;
	} cases[] = {
		{ .duty = 0, .ma = 0 },
		{ .duty = 500, .ma = 0 },	/* 5 %: digital communication */
		{ .duty = 799, .ma = 0 },
		{ .duty = 800, .ma = 6000 },	/* 8-10 %: 6 A */
		{ .duty = 999, .ma = 6000 },
		{ .duty = 1000, .ma = 6000 },
		{ .duty = 2667, .ma = 16000 },
		{ .duty = 8500, .ma = 51000 },
		{ .duty = 9600, .ma = 80000 },
		{ .duty = 9700, .ma = 80000 },
		{ .duty = 9701, .ma = 0 },	/* > 97 %: no charging */
		{ .duty = 10000, .ma = 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("duty %d\n", cases[i].duty);
		assert_int_equal(hw_ma_from_duty(cases[i].duty), cases[i].ma);
	}
}

/* Every offer the station can make (6..51 A in 0.1 A steps, and the upper
 * formula) reads back exactly: the PWM carries the offer unchanged.  The
 * standard's own seam: 51-52.5 A encode to 84.4-85 %, which the EV's table
 * reads with the lower formula, so the upper loop starts at 53 A. */
static void test_duty_round_trip(void **state)
{
	(void)state;
	for (int32_t ma = 6000; ma <= 51000; ma += 100)
		assert_int_equal(hw_ma_from_duty(hw_duty_from_ma(ma)), ma);
	for (int32_t ma = 53000; ma <= 80000; ma += 500)
		assert_int_equal(hw_ma_from_duty(hw_duty_from_ma(ma)), ma);
}

static void test_cable_from_resistor(void **state)
{
	(void)state;
	static const struct {
		int32_t ohm;
		int32_t ma;
	} cases[] = {
		{ .ohm = -1, .ma = 0 },		/* open: no cable */
		{ .ohm = 100000, .ma = 0 },
		{ .ohm = 4501, .ma = 0 },
		{ .ohm = 4500, .ma = 13000 },
		{ .ohm = 1500, .ma = 13000 },
		{ .ohm = 1000, .ma = 13000 },
		{ .ohm = 999, .ma = 20000 },
		{ .ohm = 680, .ma = 20000 },
		{ .ohm = 330, .ma = 20000 },
		{ .ohm = 329, .ma = 32000 },
		{ .ohm = 220, .ma = 32000 },
		{ .ohm = 150, .ma = 32000 },
		{ .ohm = 149, .ma = 63000 },
		{ .ohm = 100, .ma = 63000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%d ohm\n", (int)cases[i].ohm);
		assert_int_equal(hw_cable_ma_from_ohm(cases[i].ohm), cases[i].ma);
	}
}

static void test_pilot_levels(void **state)
{
	(void)state;
	static const struct {
		int32_t mv;
		enum hw_cp_level l;
	} cases[] = {
		{ .mv = 14000, .l = HW_CP_INVALID },
		{ .mv = 12000, .l = HW_CP_12V },
		{ .mv = 10500, .l = HW_CP_12V },
		{ .mv = 10499, .l = HW_CP_9V },
		{ .mv = 9000, .l = HW_CP_9V },
		{ .mv = 7499, .l = HW_CP_6V },
		{ .mv = 6000, .l = HW_CP_6V },
		{ .mv = 4499, .l = HW_CP_3V },
		{ .mv = 3000, .l = HW_CP_3V },
		{ .mv = 1499, .l = HW_CP_0V },
		{ .mv = 0, .l = HW_CP_0V },
		{ .mv = -1500, .l = HW_CP_0V },
		{ .mv = -6000, .l = HW_CP_INVALID },
		{ .mv = -12000, .l = HW_CP_NEG12V },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%d mV\n", (int)cases[i].mv);
		assert_int_equal(hw_cp_level_from_mv(cases[i].mv), cases[i].l);
	}
}

static void test_names(void **state)
{
	(void)state;
	static const char *const pilots[] = { "A", "B1", "B2", "C1", "C2", "D1",
					      "D2", "E", "F" };
	for (int i = 0; i < HW_PILOT_COUNT; i++)
		assert_string_equal(hw_pilot_name((enum hw_pilot)i), pilots[i]);
	assert_string_equal(hw_pilot_name(HW_PILOT_COUNT), "?");
	assert_string_equal(hw_fault_name(HW_FAULT_OVERCURRENT), "overcurrent");
	assert_string_equal(hw_display_text(HW_DISPLAY_OVERCURRENT),
		"302: One moment please. Your charging session will resume shortly.");
	assert_string_equal(hw_display_text(HW_DISPLAY_SUSPENDED),
			    "Charging session halted by energy supplier");
	assert_string_equal(hw_display_text(HW_DISPLAY_WAITING_POWER),
			    "Chargepoint ready, waiting for power");
	for (int d = HW_DISPLAY_IDLE; d < HW_DISPLAY_COUNT; d++) {
		assert_true(hw_display_text((enum hw_display)d)[0] != '\0');
		assert_true(hw_display_led((enum hw_display)d)[0] != '\0');
	}
	assert_string_equal(hw_display_text(HW_DISPLAY_COUNT), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duty_edges),
		cmocka_unit_test(test_ev_reads_duty),
		cmocka_unit_test(test_duty_round_trip),
		cmocka_unit_test(test_cable_from_resistor),
		cmocka_unit_test(test_pilot_levels),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
