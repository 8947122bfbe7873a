/* clock.c - the scaled daemon clock (see clock.h). */
#include "station/clock.h"

#include <time.h>

static int64_t read_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void st_clock_init(struct st_clock *c, double scale)
{
	c->scale = scale > 0 ? scale : 1.0;
	c->real_mono0_us = read_us(CLOCK_MONOTONIC);
	c->utc0_ms = read_us(CLOCK_REALTIME) / 1000;
	c->offset_ms = 0;
}

cp_mono_t st_clock_mono(const struct st_clock *c)
{
	double el = (double)(read_us(CLOCK_MONOTONIC) - c->real_mono0_us);

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

cp_mono_t st_clock_real_mono(void)
{
	return cp_mono(read_us(CLOCK_MONOTONIC) / 1000);
}
