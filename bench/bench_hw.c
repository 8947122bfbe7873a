/*
 * bench_hw.c - figures for the Mode 3 driver on the simulator:
 *  - latency from a limit change (hw_station_set_offer) to the pilot: in
 *    wall time and in control cycles (within one cycle);
 *  - how long the simulated EV takes to follow (simulated ms);
 *  - cost of one control tick (hw_station_poll, 2 sockets charging);
 *  - cost of one overcurrent monitor sample.
 * Prints its figures; it is not a timed test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cp_log.h"
#include "hw/hw.h"
#include "hw/hw_oc.h"
#include "hw/hw_sim.h"

static int64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

#define N 100000
static int64_t samples[N];

int main(void)
{
	static hw_sim sim;
	static hw_station hw;
	int64_t now = 0;

	cp_log_set_level(CP_LOG_ERROR);
	hw_sim_init(&sim, 2);
	hw_station_init(&hw, &hw_sim_ops, &sim, 2);
	hw_sim_plug(&sim, 1, 3, 6000, 32000);
	hw_sim_plug(&sim, 2, 1, 6000, 32000);
	hw_station_set_offer(&hw, 1, 16000, cp_mono(now));
	hw_station_set_offer(&hw, 2, 16000, cp_mono(now));
	for (int i = 0; i < 30; i++)
		hw_station_poll(&hw, cp_mono(now += 100));

	/* 1. limit change -> pilot duty, alternating 10 A / 20 A */
	int late = 0;
	for (int i = 0; i < N; i++) {
		int32_t ma = (i & 1) ? 20000 : 10000;
		int64_t t0 = ns_now();
		hw_station_set_offer(&hw, 1, ma, cp_mono(now));
		int64_t t1 = ns_now();
		if (hw_ma_from_duty(sim.sock[0].duty) != ma)
			late++;
		samples[i] = t1 - t0;
	}
	qsort(samples, N, sizeof(samples[0]), cmp64);
	printf("offer -> pilot: p50 %lld ns, p99 %lld ns, max %lld ns; "
	       "control cycles until the PWM shows it: 0 (%d of %d not on the pilot at return)\n",
	       (long long)samples[N / 2], (long long)samples[N * 99 / 100],
	       (long long)samples[N - 1], late, N);

	/* 2. the simulated EV following a change (simulated time, 100 ms ticks) */
	hw_station_set_offer(&hw, 1, 32000, cp_mono(now));
	for (int i = 0; i < 30; i++)
		hw_station_poll(&hw, cp_mono(now += 100));
	hw_station_set_offer(&hw, 1, 16000, cp_mono(now));
	int64_t start = now;
	while (hw_station_status(&hw, 1)->current_ma[0] != 16000 && now - start < 10000)
		hw_station_poll(&hw, cp_mono(now += 100));
	printf("simulated EV 32 A -> 16 A settled after %lld ms simulated\n",
	       (long long)(now - start));

	/* 3. one control tick, both sockets charging */
	int64_t t0 = ns_now();
	for (int i = 0; i < N; i++)
		hw_station_poll(&hw, cp_mono(now += 100));
	int64_t t1 = ns_now();
	printf("hw_station_poll (sim, 2 sockets): %.0f ns per tick\n", (double)(t1 - t0) / N);

	/* 4. overcurrent monitor sample */
	hw_oc oc;
	hw_oc_trip trip;
	int32_t cur[3] = { 16000, 16200, 15900 };
	int trips = 0;
	hw_oc_reset(&oc);
	t0 = ns_now();
	for (int i = 0; i < N; i++)
		trips += hw_oc_update(&oc, 16000, cur, cp_mono(i * 100), &trip);
	t1 = ns_now();
	printf("hw_oc_update: %.1f ns per sample (%d trips)\n", (double)(t1 - t0) / N, trips);
	return 0;
}
