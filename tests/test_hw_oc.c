/*
 * test_hw_oc.c - the overcurrent monitor (docs/mode3.md, docs/balancing.md) with a fake
 * clock: every band just under and over its threshold and its delay, the
 * 0.5 A tolerance, the 5 s grace after a lower offer, band timers that keep
 * running when x moves up, and the info string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "hw/hw_oc.h"

/* Feed a constant current on conductor 2 (the highest) from t0 every
 * 100 ms up to t_end inclusive; return the time of the trip or -1. */
static int64_t feed(hw_oc *oc, int32_t offered, int32_t actual, int64_t t0,
		    int64_t t_end, hw_oc_trip *trip)
{
	int32_t cur[3] = { offered / 2, actual, 0 };

	for (int64_t t = t0; t <= t_end; t += 100)
		if (hw_oc_update(oc, offered, cur, cp_mono(t), trip))
			return t;
	return -1;
}

static void test_bands_thresholds_and_delays(void **state)
{
	(void)state;
	/* 20 A offered, so the 0.5 A tolerance is below every band edge. */
	static const struct {
		int32_t actual;
		int64_t trips_after; /* ms; -1 = within the test window never */
		int band;
	} cases[] = {
		{ .actual = 20000, .trips_after = -1 },		/* x = 100 %, excess 0 */
		{ .actual = 20499, .trips_after = -1 },		/* below tolerance */
		{ .actual = 20500, .trips_after = 1200000, .band = 0 },
		{ .actual = 20999, .trips_after = 1200000, .band = 0 },	/* 104.99 % */
		{ .actual = 21000, .trips_after = 100000, .band = 1 },	/* 105 % */
		{ .actual = 22399, .trips_after = 100000, .band = 1 },	/* 111.99 % */
		{ .actual = 22400, .trips_after = 5000, .band = 2 },	/* 112 % */
		{ .actual = 23999, .trips_after = 5000, .band = 2 },	/* 119.99 % */
		{ .actual = 24000, .trips_after = 2000, .band = 3 },	/* 120 % */
		{ .actual = 25000, .trips_after = 2000, .band = 3 },	/* 125 % */
		{ .actual = 40000, .trips_after = 2000, .band = 3 },	/* 200 %: as fast */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hw_oc oc;
		hw_oc_trip trip = { 0 };

		print_message("actual %d mA\n", (int)cases[i].actual);
		hw_oc_reset(&oc);
		if (cases[i].trips_after < 0) {
			assert_int_equal(feed(&oc, 20000, cases[i].actual, 0, 1300000, &trip), -1);
			continue;
		}
		/* just under the delay: no trip; at the delay: trip */
		assert_int_equal(feed(&oc, 20000, cases[i].actual, 0,
				      cases[i].trips_after - 100, &trip), -1);
		assert_int_equal(feed(&oc, 20000, cases[i].actual, cases[i].trips_after,
				      cases[i].trips_after, &trip), cases[i].trips_after);
		assert_int_equal(trip.band, cases[i].band);
		assert_int_equal(trip.allowed_ma, 20000);
		assert_int_equal(trip.actual_ma, cases[i].actual);
	}
}

/* Small offers: the 0.5 A tolerance decides, not the percentage. */
static void test_tolerance_at_6a(void **state)
{
	(void)state;
	hw_oc oc;
	hw_oc_trip trip;

	hw_oc_reset(&oc);
	/* 6.4 A on 6 A is 106.7 % but only 0.4 A over: ignored */
	assert_int_equal(feed(&oc, 6000, 6400, 0, 300000, &trip), -1);
	/* 6.5 A is 108 % and 0.5 A over: 100 s band */
	hw_oc_reset(&oc);
	assert_int_equal(feed(&oc, 6000, 6500, 0, 200000, &trip), 100000);
}

/* A band's timer runs while x is in that band or higher: 99 s in band 1
 * then a short rise to band 2 does not restart band 1's timer. */
static void test_timer_runs_in_higher_band(void **state)
{
	(void)state;
	hw_oc oc;
	hw_oc_trip trip;

	hw_oc_reset(&oc);
	assert_int_equal(feed(&oc, 20000, 21500, 0, 98000, &trip), -1);
	/* 1 s at 113 %: band 2 needs 5 s, band 1 reaches its 100 s */
	assert_int_equal(feed(&oc, 20000, 22600, 98100, 99900, &trip), -1);
	assert_int_equal(feed(&oc, 20000, 22600, 100000, 100000, &trip), 100000);
	assert_int_equal(trip.band, 1);

	/* Dropping below a band stops its timer: 4 s at 113 %, 1 s at
	 * 106 %, 4 s at 113 % again does not trip band 2. */
	hw_oc_reset(&oc);
	assert_int_equal(feed(&oc, 20000, 22600, 0, 4000, &trip), -1);
	assert_int_equal(feed(&oc, 20000, 21200, 4100, 5000, &trip), -1);
	assert_int_equal(feed(&oc, 20000, 22600, 5100, 9000, &trip), -1);
	/* and back within tolerance resets everything */
	assert_int_equal(feed(&oc, 20000, 20000, 9100, 9100, &trip), -1);
	assert_int_equal(feed(&oc, 20000, 21200, 9200, 109100, &trip), -1);
	assert_int_equal(feed(&oc, 20000, 21200, 109200, 109200, &trip), 109200);
}

static void test_grace_after_lowering(void **state)
{
	(void)state;
	hw_oc oc;
	hw_oc_trip trip;
	int32_t at32[3] = { 32000, 32000, 32000 };

	hw_oc_reset(&oc);
	assert_int_equal(hw_oc_update(&oc, 32000, at32, cp_mono(0), &trip), 0);
	/* lowered to 16 A at t = 1000: the EV still draws 32 A (200 %) */
	for (int64_t t = 1000; t < 6000; t += 100)
		assert_int_equal(hw_oc_update(&oc, 16000, at32, cp_mono(t), &trip), 0);
	/* grace over at 6000: the 2 s band starts then */
	assert_int_equal(feed(&oc, 16000, 32000, 6000, 7900, &trip), -1);
	assert_int_equal(feed(&oc, 16000, 32000, 8000, 8000, &trip), 8000);

	/* resuming from a pause is no lowering: no grace */
	hw_oc_reset(&oc);
	assert_int_equal(hw_oc_update(&oc, 0, at32, cp_mono(0), &trip), 0);
	assert_int_equal(feed(&oc, 16000, 32000, 100, 2000, &trip), -1);
	assert_int_equal(feed(&oc, 16000, 32000, 2100, 2100, &trip), 2100);

	/* raising the offer gives no grace either */
	hw_oc_reset(&oc);
	assert_int_equal(feed(&oc, 10000, 10000, 0, 1000, &trip), -1);
	assert_int_equal(feed(&oc, 16000, 20000, 1100, 3000, &trip), -1);
	assert_int_equal(feed(&oc, 16000, 20000, 3100, 3100, &trip), 3100);
}

static void test_pause_resets(void **state)
{
	(void)state;
	hw_oc oc;
	hw_oc_trip trip;
	int32_t cur[3] = { 30000, 0, 0 };

	hw_oc_reset(&oc);
	assert_int_equal(feed(&oc, 20000, 30000, 0, 1900, &trip), -1);
	assert_int_equal(hw_oc_update(&oc, 0, cur, cp_mono(2000), &trip), 0);
	assert_int_equal(feed(&oc, 20000, 30000, 2100, 4000, &trip), -1);
}

static void test_info_string(void **state)
{
	(void)state;
	char buf[64];

	hw_oc_format_info(buf, sizeof(buf), 16000, 20000);
	assert_string_equal(buf, "Overcurrent detected allowed 16A actual 20A");
	hw_oc_format_info(buf, sizeof(buf), 6500, 8160);
	assert_string_equal(buf, "Overcurrent detected allowed 6.5A actual 8.1A");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bands_thresholds_and_delays),
		cmocka_unit_test(test_tolerance_at_6a),
		cmocka_unit_test(test_timer_runs_in_higher_band),
		cmocka_unit_test(test_grace_after_lowering),
		cmocka_unit_test(test_pause_resets),
		cmocka_unit_test(test_info_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
