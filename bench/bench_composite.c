/*
 * bench_composite.c - what a composite schedule costs.
 *
 * 45 installed profiles (the MaxChargingProfilesInstalled limit) of 100
 * periods each (ChargingScheduleMaxPeriods), mixed kinds (Absolute, Recurring
 * Daily and Weekly, Relative) and all stack levels, over a 7-day window: the
 * largest GetCompositeSchedule the station can be asked.  Prints ns per call
 * of the sweep, of the control cycle's "limit now" query, and the ratio
 * against the per-second oracle measured in the same run (whose answer must
 * be identical).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "smartcharging/composite_oracle.h"
#include "smartcharging/sc.h"

#define START 1710028800	/* 2024-03-10T00:00:00Z */
#define WINDOW (7 * 86400)

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* 100 periods spread over span seconds, limits 6..32 A (or the same in W). */
static void fill(struct sc_profile *p, int32_t span)
{
	struct sc_schedule *s = &p->sched;
	s->n = CP_MAX_PERIODS;
	for (int i = 0; i < s->n; i++) {
		s->p[i].start = i * (span / s->n) + (i ? (int32_t)(rnd() % (uint32_t)(span / s->n / 2)) : 0);
		int32_t amps = 6000 + (int32_t)(rnd() % 261) * 100;
		s->p[i].limit = s->unit == SC_UNIT_A ? amps : amps * 230 * 3;
		s->p[i].phases = (int8_t)(rnd() % 4);
	}
}

/* Worst case for the sweep: daily profiles whose higher stack levels are
 * shorter, so every level shows through for part of every day and every
 * boundary of the visible parts is real work. */
static void build_nested(struct sc_store *st)
{
	static const enum sc_purpose purposes[3] = { SC_PURPOSE_CP_MAX, SC_PURPOSE_TX_DEFAULT,
						     SC_PURPOSE_TX_DEFAULT };
	sc_store_init(st);
	for (int i = 0; i < CP_MAX_PROFILES; i++) {
		struct sc_profile p;
		char why[128];
		memset(&p, 0, sizeof(p));
		p.id = i + 1;
		p.purpose = purposes[i % 3];
		p.connector = i % 3 == 2 ? 1 : 0;
		p.stack_level = i / 3;
		p.kind = SC_KIND_RECURRING;
		p.recurrency = SC_RECUR_DAILY;
		p.sched.unit = SC_UNIT_A;
		p.sched.min_rate = SC_LIMIT_NONE;
		p.sched.has_start = true;
		p.sched.start.s = START - 86400 + (i % 3) * 1200;
		p.sched.duration = (15 - p.stack_level) * 5400;	/* 22.5 h .. 1.5 h */
		fill(&p, 86400);	/* the periods past duration never run */
		if (sc_store_set(st, &p, NULL, NULL, why, sizeof(why)) != 0) {
			fprintf(stderr, "profile %d rejected: %s\n", i, why);
			return;
		}
	}
}

static void build_store(struct sc_store *st)
{
	static const enum sc_purpose purposes[3] = { SC_PURPOSE_CP_MAX, SC_PURPOSE_TX_DEFAULT,
						     SC_PURPOSE_TX_DEFAULT };
	sc_store_init(st);
	for (int i = 0; i < CP_MAX_PROFILES; i++) {
		struct sc_profile p;
		char why[128];
		memset(&p, 0, sizeof(p));
		p.id = i + 1;
		p.purpose = purposes[i % 3];
		p.connector = i % 3 == 2 ? 1 : 0;	/* TxDefault on 0 and on 1 */
		p.stack_level = i / 3;			/* 0..14 per (connector, purpose) */
		p.sched.unit = i % 5 == 0 ? SC_UNIT_W : SC_UNIT_A;
		p.sched.min_rate = SC_LIMIT_NONE;
		switch (i % 4) {
		case 0:
			p.kind = SC_KIND_ABSOLUTE;
			p.sched.has_start = true;
			p.sched.start.s = START - 3600 + (int64_t)(rnd() % 86400);
			fill(&p, WINDOW - 86400);
			break;
		case 1:
			p.kind = SC_KIND_RECURRING;
			p.recurrency = SC_RECUR_DAILY;
			p.sched.has_start = true;
			p.sched.start.s = START - 5 * 86400 + (int64_t)(rnd() % 86400);
			p.sched.duration = 20 * 3600;
			fill(&p, 20 * 3600);
			break;
		case 2:
			p.kind = SC_KIND_RECURRING;
			p.recurrency = SC_RECUR_WEEKLY;
			p.sched.has_start = true;
			p.sched.start.s = START - 9 * 86400 + (int64_t)(rnd() % 86400);
			fill(&p, SC_WEEK_S);
			break;
		default:
			p.kind = SC_KIND_RELATIVE;
			p.sched.duration = 2 * 86400;
			fill(&p, 2 * 86400);
			break;
		}
		if (sc_store_set(st, &p, NULL, NULL, why, sizeof(why)) != 0) {
			fprintf(stderr, "profile %d rejected: %s\n", i, why);
			return;
		}
	}
}

static struct sc_store st;
static struct sc_composite fast, slow;

int main(void)
{
	struct sc_ctx ctx = {
		.connectors = 2, .voltage_v = 230, .station_max_ma = 32000,
		.conn = { [1] = { .tx_active = true, .tx_id = 7, .tx_start = { START - 1800 },
				  .max_ma = 32000 },
			  [2] = { .max_ma = 32000 } },
	};
	for (int run = 0; run < 4; run++) {
	int q = run % 2 ? 0 : 1;
	if (run == 0)
		build_store(&st);
	if (run == 2)
		build_nested(&st);
	if (st.n != CP_MAX_PROFILES) {
		fprintf(stderr, "store holds %d profiles\n", st.n);
		return 1;
	}
	{
		const int reps = 200;
		int rc;
		int64_t t0 = now_ns();
		for (int r = 0; r < reps; r++)
			if ((rc = sc_composite_build(&st, &ctx, q, cp_utc(START), WINDOW, SC_UNIT_A, &fast))) {
				fprintf(stderr, "composite failed: %d\n", rc);
				return 1;
			}
		int64_t per_call = (now_ns() - t0) / reps;

		t0 = now_ns();
		if (sc_oracle_composite(&st, &ctx, q, cp_utc(START), WINDOW, SC_UNIT_A, &slow)) {
			fprintf(stderr, "oracle failed\n");
			return 1;
		}
		int64_t oracle = now_ns() - t0;
		bool same = fast.n == slow.n && fast.min_rate == slow.min_rate;
		for (int i = 0; same && i < fast.n; i++)
			same = fast.p[i].start == slow.p[i].start && fast.p[i].limit == slow.p[i].limit &&
			       fast.p[i].phases == slow.p[i].phases;
		printf("composite %s, connector %d, 7 days, %d profiles x %d periods: %lld ns/call "
		       "(%d periods out); per-second oracle %lld ns; ratio %.0fx; %s\n",
		       run < 2 ? "mixed kinds" : "nested daily", q, st.n, CP_MAX_PERIODS, (long long)per_call, fast.n, (long long)oracle,
		       (double)oracle / (double)per_call, same ? "identical" : "DIFFERENT");
		if (!same)
			return 1;
	}
	}

	const int reps = 20000;
	int64_t t0 = now_ns();
	int32_t c, s;
	cp_utc_t next;
	for (int r = 0; r < reps; r++)
		sc_profile_limit_now(&st, &ctx, 1, cp_utc(START + r * 31), &c, &s, &next);
	printf("limit_now connector 1: %lld ns/call\n", (long long)((now_ns() - t0) / reps));
	return 0;
}
