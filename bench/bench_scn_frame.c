/*
 * bench_scn_frame.c - how long the SCN frame codec takes per frame
 * (docs/scn.md "Wire format"): encode and decode of a 2-socket announce,
 * unsigned and with an HMAC-SHA256 tag (decode through the replay window).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "station/scn/frame.h"

#define N 200000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fill(struct scn_announce *a)
{
	memset(a, 0, sizeof(*a));
	strcpy(a->network, "HOME01");
	a->member = 0x12345678;
	a->station_max_ma = 32000;
	a->has_budget = true;
	a->budget_ma[0] = a->budget_ma[1] = a->budget_ma[2] = 40000;
	a->n_sockets = 2;
	for (int i = 0; i < 2; i++) {
		a->sock[i].id = (uint16_t)(10 + i);
		a->sock[i].phase_map = 7;
		a->sock[i].ev_phases = 3;
		a->sock[i].in_use = true;
		a->sock[i].min_ma = 6000;
		a->sock[i].max_ma = 32000;
		a->sock[i].setpoint_ma = 16000;
	}
}

static int run(const char *label, struct scn_auth *tx, struct scn_auth *rx)
{
	static uint8_t buf[N][SCN_FRAME_MAX_LEN];
	struct scn_announce a, out;
	int len = 0;

	fill(&a);
	double t0 = now_s();
	for (int i = 0; i < N; i++) {
		a.seq = (uint32_t)i;
		len = scn_frame_encode(&a, tx, buf[i], sizeof(buf[i]));
		if (len < 0)
			return 1;
	}
	double t1 = now_s();
	for (int i = 0; i < N; i++)
		if (scn_frame_decode(buf[i], (size_t)len, rx, &out, NULL) != 0)
			return 1;
	double t2 = now_s();
	printf("%-8s %3d bytes  encode %6.0f ns  decode %6.0f ns\n", label, len,
	       (t1 - t0) * 1e9 / N, (t2 - t1) * 1e9 / N);
	return 0;
}

int main(void)
{
	static struct scn_auth tx, rx;
	static const uint8_t key[] = "0123456789abcdef0123456789abcdef";

	if (run("plain", NULL, NULL))
		return 1;
	scn_auth_init(&tx, key, 32);
	scn_auth_init(&rx, key, 32);
	if (run("hmac", &tx, &rx))
		return 1;
	return 0;
}
