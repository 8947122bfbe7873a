/*
 * test_clock.c - the scaled station clock and its correction from the
 * central system's currentTime (station/clock.h), on an injected host clock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "station/clock.h"

#define LAUNCH_UTC_S INT64_C(1795878000)	/* 2026-11-28T15:00:00Z */

struct fake_host {
	int64_t mono_us;
	int64_t realtime_us;
};

static int64_t fake_mono(void *ctx)
{
	return ((struct fake_host *)ctx)->mono_us;
}

static int64_t fake_realtime(void *ctx)
{
	return ((struct fake_host *)ctx)->realtime_us;
}

/* Real time passes on the host: both of its clocks advance. */
static void pass(struct fake_host *h, int64_t ms)
{
	h->mono_us += ms * 1000;
	h->realtime_us += ms * 1000;
}

struct fixture {
	struct fake_host host;
	struct st_clock_source src;
	struct st_clock clock;
};

static void setup_clock(struct fixture *f, double scale)
{
	f->host.mono_us = INT64_C(5000000000);
	f->host.realtime_us = LAUNCH_UTC_S * 1000000;
	f->src = (struct st_clock_source){
		.mono_us = fake_mono, .realtime_us = fake_realtime, .ctx = &f->host,
	};
	st_clock_init(&f->clock, scale, &f->src);
}

/* A station that booted with its clock an hour slow takes the central
 * system's time; monotonic time and timer delays do not move. */
static void test_sync_steps_utc_only(void **state)
{
	struct fixture f;
	int64_t step = -1;

	(void)state;
	setup_clock(&f, 1.0);
	pass(&f.host, 1500);
	cp_mono_t mono = st_clock_mono(&f.clock);
	int64_t delay = st_clock_real_delay_us(&f.clock, cp_mono(mono.ms + 10000));

	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 1 + 3600) * 1000, &step), 0);
	assert_int_equal(step, 3600000 - 500);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 1 + 3600);
	assert_int_equal(st_clock_mono(&f.clock).ms, mono.ms);
	assert_int_equal(st_clock_real_delay_us(&f.clock, cp_mono(mono.ms + 10000)), delay);

	/* A later Heartbeat.conf with another offset: followed again. */
	pass(&f.host, 10000);
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 11 - 7200) * 1000, &step), 0);
	assert_int_equal(step, -(3600000 + 7200000));
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 11 - 7200);

	/* Milliseconds count: an answer of ...:00.750Z read at ...:00.250 is
	 * half a second ahead, no step; 2.5 s ahead steps by exactly that. */
	setup_clock(&f, 1.0);
	pass(&f.host, 250);
	assert_int_equal(st_clock_sync(&f.clock, LAUNCH_UTC_S * 1000 + 750, &step), 0);
	assert_int_equal(step, 0);
	assert_int_equal(st_clock_sync(&f.clock, LAUNCH_UTC_S * 1000 + 2750, &step), 0);
	assert_int_equal(step, 2500);
	assert_int_equal(st_clock_utc_ms(&f.clock), LAUNCH_UTC_S * 1000 + 2750);
}

/* Under ST_CLOCK_STEP_MIN_MS the clock is left alone (currentTime has whole
 * seconds and arrives a round trip late). */
static void test_sync_threshold(void **state)
{
	struct fixture f;
	int64_t step = -1;

	(void)state;
	setup_clock(&f, 1.0);
	pass(&f.host, 250);
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 1) * 1000, &step), 0);
	assert_int_equal(step, 0);
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S - 1) * 1000, &step), 0);
	assert_int_equal(step, 0);
	assert_int_equal(st_clock_utc_ms(&f.clock), LAUNCH_UTC_S * 1000 + 250);
	/* 2.25 s behind: ST_CLOCK_STEP_MIN_MS reached. */
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S - 2) * 1000, &step), 0);
	assert_int_equal(step, -2250);
	assert_int_equal(st_clock_utc_ms(&f.clock), (LAUNCH_UTC_S - 2) * 1000);
}

/* --time-scale: the station's UTC runs `scale` times faster from the launch
 * UTC.  A central system whose clock agrees with the host's causes no step
 * however far the scaled clock has run ahead; one an hour ahead moves the
 * launch UTC by an hour, and the scaled time since launch is kept. */
static void test_sync_time_scale(void **state)
{
	struct fixture f;
	int64_t step = -1;

	(void)state;
	setup_clock(&f, 20.0);
	pass(&f.host, 10000);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 200);
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 10) * 1000, &step), 0);
	assert_int_equal(step, 0);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 200);

	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 10 + 3600) * 1000, &step), 0);
	assert_int_equal(step, 3600000);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 3600 + 200);
	assert_int_equal(st_clock_mono(&f.clock).ms, 200000);
	pass(&f.host, 1000);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S + 3600 + 220);
	assert_int_equal(st_clock_sync(&f.clock, (LAUNCH_UTC_S + 11 + 3600) * 1000, &step), 0);
	assert_int_equal(step, 0);
}

/* A central time no OCPP timestamp can carry changes nothing. */
static void test_sync_refuses_out_of_range(void **state)
{
	struct fixture f;
	int64_t step = -1;

	(void)state;
	setup_clock(&f, 1.0);
	assert_int_equal(st_clock_sync(&f.clock, (-1) * 1000, &step), -ERANGE);
	assert_int_equal(step, 0);
	assert_int_equal(st_clock_sync(&f.clock, (ST_CLOCK_CENTRAL_MAX_S + 1) * 1000, &step),
	    -ERANGE);
	assert_int_equal(st_clock_utc(&f.clock).s, LAUNCH_UTC_S);
	assert_int_equal(st_clock_sync(&f.clock, (ST_CLOCK_CENTRAL_MIN_S) * 1000, &step), 0);
	assert_int_equal(st_clock_utc(&f.clock).s, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_steps_utc_only),
		cmocka_unit_test(test_sync_threshold),
		cmocka_unit_test(test_sync_time_scale),
		cmocka_unit_test(test_sync_refuses_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
