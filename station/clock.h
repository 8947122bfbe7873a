/*
 * clock.h - the daemon's one clock.
 *
 * It starts at the real time of launch and runs `scale` times faster
 * (--time-scale).  Every station timer and every timestamp sent uses it;
 * websocket pings, call timeouts and reconnect back-off stay in real time
 * (README "Time").  The clock is read once per event and the values are passed down.
 *
 * Wall clock: the station's UTC is "the UTC of launch + the scaled time
 * since launch".  The UTC of launch comes from the host's CLOCK_REALTIME and
 * is corrected from the central system's currentTime (BootNotification.conf,
 * Heartbeat.conf, OCPP 1.6 §4.2 and §4.6: the charge point synchronises its
 * clock with it): the central system's time is real time, so it is compared
 * with the launch UTC plus the *real* time since launch, and with any
 * --time-scale a central system whose clock agrees with the host's causes
 * no step.  A correction moves UTC only; the monotonic timers keep running.
 */
#ifndef ST_CLOCK_H
#define ST_CLOCK_H

#include "cp_time.h"

/* The smallest disagreement with the central system's currentTime that
 * steps the clock.  currentTime arrives one round trip late and many
 * central systems send whole seconds, so a clock that agrees reads up to
 * about a second off; stepping for that would make timestamps jitter. */
#define ST_CLOCK_STEP_MIN_MS 2000

/* The central times the clock follows: 1970-01-01T00:00:00Z (a central
 * system reporting an earlier time has lost its own clock) to
 * 9999-12-31T23:59:59Z (the last instant a four-digit OCPP timestamp can
 * write, so every timestamp the station sends stays writable). */
#define ST_CLOCK_CENTRAL_MIN_S INT64_C(0)
#define ST_CLOCK_CENTRAL_MAX_S INT64_C(253402300799)

/* Where the clock reads the host's clocks: CLOCK_MONOTONIC and
 * CLOCK_REALTIME in microseconds.  Tests replace it. */
struct st_clock_source {
	int64_t (*mono_us)(void *ctx);
	int64_t (*realtime_us)(void *ctx);
	void *ctx;
};

struct st_clock {
	double scale;
	const struct st_clock_source *src;
	int64_t real_mono0_us;	/* CLOCK_MONOTONIC at launch */
	int64_t utc0_ms;	/* CLOCK_REALTIME at launch */
	int64_t offset_ms;	/* correction of utc0_ms from the central system */
};

/* src NULL: the host's clocks. */
void st_clock_init(struct st_clock *c, double scale, const struct st_clock_source *src);
/* Scaled monotonic milliseconds since launch. */
cp_mono_t st_clock_mono(const struct st_clock *c);
/* Scaled wall clock. */
cp_utc_t st_clock_utc(const struct st_clock *c);
int64_t st_clock_utc_ms(const struct st_clock *c);
/* Real microseconds until the scaled monotonic time `at` (0 if past). */
int64_t st_clock_real_delay_us(const struct st_clock *c, cp_mono_t at);
/* Real (unscaled) monotonic milliseconds, for things that stay in real time. */
cp_real_t st_clock_real_mono(void);

/*
 * The central system's time `central_ms` (its currentTime in milliseconds
 * since the epoch, cp_time_parse_ms), read now: when it
 * disagrees with the launch UTC + the real time since launch by
 * ST_CLOCK_STEP_MIN_MS or more, the launch UTC is corrected so the station's
 * UTC follows the central system.  *step_ms is the step (0: none).
 * Monotonic time does not move.  Returns 0, or -ERANGE (nothing changed) for
 * a time outside ST_CLOCK_CENTRAL_MIN_S..ST_CLOCK_CENTRAL_MAX_S.
 */
int st_clock_sync(struct st_clock *c, int64_t central_ms, int64_t *step_ms);

#endif
