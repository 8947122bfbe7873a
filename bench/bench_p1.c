/*
 * bench_p1.c - P1 telegram parser throughput on a realistic DSMR 5.0
 * 3-phase telegram (every standard object, an M-Bus gas meter, an empty
 * text message): telegrams per second and microseconds per telegram, fed
 * whole and in 64-byte pieces (what one serial read gives at 115200 baud).
 * A meter sends one telegram a second, so anything near 10^5/s is idle
 * time for the loop.  Prints its figures; it is not a timed test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/p1.h"
#include "tests/p1_samples.h"

#define TELEGRAM P1_SAMPLE_DSMR50

static int64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Feeds the telegram `rounds` times in pieces of `piece` bytes; returns
 * the readings (all of them, or the bench is wrong). */
static long run(struct p1_parser *p, const uint8_t *t, size_t n, size_t piece, long rounds)
{
	long readings = 0;
	volatile int32_t sink = 0;

	for (long k = 0; k < rounds; k++) {
		for (size_t at = 0; at < n; ) {
			size_t len = piece < n - at ? piece : n - at;

			for (size_t off = 0; off < len; ) {
				struct p1_reading r;
				bool got;

				off += p1_feed(p, t + at + off, len - off, &r, &got);
				if (got) {
					readings++;
					sink += r.current_ma[2];
				}
			}
			at += len;
		}
	}
	(void)sink;
	return readings;
}

int main(void)
{
	static struct p1_parser p;
	static uint8_t t[2048];
	const long rounds = 200000;
	size_t n = strlen(TELEGRAM);

	memcpy(t, TELEGRAM, n);
	n += (size_t)snprintf((char *)t + n, sizeof(t) - n, "%04X\r\n",
			      p1_crc16(0, t, n));
	p1_init(&p, P1_DSMR45);
	if (run(&p, t, n, n, 1000) != 1000) {
		fprintf(stderr, "bench_p1: the telegram was not accepted\n");
		return 1;
	}

	static const struct { const char *what; size_t piece; } modes[] = {
		{ "whole telegram per feed", 0 },
		{ "64-byte pieces", 64 },
	};
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		size_t piece = modes[m].piece ? modes[m].piece : n;
		int64_t t0 = ns_now();
		long got = run(&p, t, n, piece, rounds);
		int64_t dt = ns_now() - t0;

		if (got != rounds) {
			fprintf(stderr, "bench_p1: %ld of %ld telegrams read\n", got, rounds);
			return 1;
		}
		printf("p1 parser, DSMR 5.0 3-phase telegram (%zu bytes), %s: "
		       "%.0f telegrams/s, %.2f us per telegram, %.0f MB/s\n",
		       n, modes[m].what, rounds * 1e9 / (double)dt,
		       (double)dt / rounds / 1000.0,
		       (double)n * rounds * 1e3 / (double)dt);
	}
	return 0;
}
