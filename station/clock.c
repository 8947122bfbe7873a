/* clock.c - the scaled daemon clock (see clock.h). */
#include "station/clock.h"

#include <errno.h>
#include <stddef.h>
#include <time.h>

static int64_t read_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t host_mono_us(void *ctx)
{
	(void)ctx;
	return read_us(CLOCK_MONOTONIC);
}

static int64_t host_realtime_us(void *ctx)
{
	(void)ctx;
	return read_us(CLOCK_REALTIME);
}

static const struct st_clock_source host_source = {
	.mono_us = host_mono_us,
	.realtime_us = host_realtime_us,
};

static int64_t real_elapsed_us(const struct st_clock *c)
{
	return c->src->mono_us(c->src->ctx) - c->real_mono0_us;
}

void st_clock_init(struct st_clock *c, double scale, const struct st_clock_source *src)
{
	c->scale = scale > 0 ? scale : 1.0;
	c->src = src ? src : &host_source;
	c->real_mono0_us = c->src->mono_us(c->src->ctx);
	c->utc0_ms = c->src->realtime_us(c->src->ctx) / 1000;
	c->offset_ms = 0;
}

cp_mono_t st_clock_mono(const struct st_clock *c)
{
	double el = (double)real_elapsed_us(c);

	return cp_mono((int64_t)(el * c->scale / 1000.0));
}

int64_t st_clock_utc_ms(const struct st_clock *c)
{
	return c->utc0_ms + c->offset_ms + st_clock_mono(c).ms;
}

cp_utc_t st_clock_utc(const struct st_clock *c)
{
	return cp_utc(st_clock_utc_ms(c) / 1000);
}

int64_t st_clock_real_delay_us(const struct st_clock *c, cp_mono_t at)
{
	int64_t d = at.ms - st_clock_mono(c).ms;

	if (d <= 0)
		return 0;
	return (int64_t)((double)d * 1000.0 / c->scale) + 1;
}

cp_real_t st_clock_real_mono(void)
{
	return cp_real(read_us(CLOCK_MONOTONIC) / 1000);
}

int st_clock_sync(struct st_clock *c, int64_t central_ms, int64_t *step_ms)
{
	/* The launch UTC as corrected so far, plus the real time since. */
	int64_t ours = c->utc0_ms + c->offset_ms + real_elapsed_us(c) / 1000;
	int64_t step;

	*step_ms = 0;
	if (central_ms < ST_CLOCK_CENTRAL_MIN_S * 1000 ||
	    central_ms > ST_CLOCK_CENTRAL_MAX_S * 1000 + 999)
		return -ERANGE;
	step = central_ms - ours;
	if (step > -ST_CLOCK_STEP_MIN_MS && step < ST_CLOCK_STEP_MIN_MS)
		return 0;
	c->offset_ms += step;
	*step_ms = step;
	return 0;
}
