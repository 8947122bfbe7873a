/*
 * clock.h - the daemon's one clock.
 *
 * It starts at the real time of launch and runs `scale` times faster
 * (--time-scale).  Every station timer and every timestamp sent uses it;
 * websocket pings, call timeouts and reconnect back-off stay in real time
 * (SPEC 2a).  The clock is read once per event and the values are passed down.
 */
#ifndef ST_CLOCK_H
#define ST_CLOCK_H

#include "cp_time.h"

struct st_clock {
	double scale;
	int64_t real_mono0_us;	/* CLOCK_MONOTONIC at launch */
	int64_t utc0_ms;	/* CLOCK_REALTIME at launch */
	int64_t offset_ms;	/* manual offset (tests, time sync) */
};

void st_clock_init(struct st_clock *c, double scale);
/* Scaled monotonic milliseconds since launch. */
cp_mono_t st_clock_mono(const struct st_clock *c);
/* Scaled wall clock. */
cp_utc_t st_clock_utc(const struct st_clock *c);
int64_t st_clock_utc_ms(const struct st_clock *c);
/* Real microseconds until the scaled monotonic time `at` (0 if past). */
int64_t st_clock_real_delay_us(const struct st_clock *c, cp_mono_t at);
/* Real (unscaled) monotonic milliseconds, for things that stay in real time. */
cp_mono_t st_clock_real_mono(void);

#endif
