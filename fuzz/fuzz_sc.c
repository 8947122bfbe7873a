/*
 * fuzz_sc.c - libFuzzer target: SetChargingProfile to composite schedule.
 *
 * Input: a JSON object
 *   {"now": "<date-time>", "connectors": 1..2, "voltage": V, "stationMax": mA,
 *    "conn": [{"tx": bool, "txId": n, "txStart": seconds from now, "max": mA}, ...],
 *    "set": [<SetChargingProfile.req>, ...],
 *    "get": [{"connectorId": n, "duration": s, "chargingRateUnit": "A"|"W"}, ...]}
 * Every "set" goes the daemon's way: the OCPP 1.6 schema, then
 * sc_profile_from_json, then sc_store_set against the context.  Checked:
 *   - a refused profile leaves the store as it was;
 *   - an installed profile survives persistence: sc_profile_to_json(p, true)
 *     read back with sc_profile_from_json(-1) is the same profile;
 *   - every "get": sc_composite_build equals the per-second oracle
 *     (smartcharging/composite_oracle.c), and sc_profile_limit_now equals
 *     the oracle's value at `now` with no change before next_change.
 * A mismatch aborts: the fuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "ocpp/ocpp.h"
#include "smartcharging/composite_oracle.h"
#include "smartcharging/sc.h"
#include "smartcharging/sc_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The oracle costs seconds x profiles x periods: these bounds keep one input
 * in the milliseconds while leaving every rule reachable ("now" moves the
 * window over any recurrence boundary; week-long windows are the unit
 * tests' job). */
#define FZ_MAX_SET 8
#define FZ_MAX_GET 3
#define FZ_MAX_WINDOW_S 28800
#define FZ_LIMIT_HORIZON_S 3600
/* The oracle finds a recurring profile's occurrence by stepping one day or
 * week at a time from startSchedule (deliberately plain); a profile that
 * started centuries before `now` would make one input take minutes.  Such a
 * profile is left out: a year back covers every rule of the recurrence. */
#define FZ_MAX_RECUR_BACK_S (400 * 86400LL)

static struct sc_composite fast, slow;

/* A number field clamped to [lo, hi] (def when absent or not a number),
 * without converting an out-of-range double (C11 6.3.1.4). */
static int64_t field(const cJSON *o, const char *name, int64_t lo, int64_t hi, int64_t def)
{
	const cJSON *v = cJSON_GetObjectItem(o, name);
	double d;

	if (!cJSON_IsNumber(v))
		return def;
	d = v->valuedouble;
	if (!(d >= (double)lo))
		return lo;
	if (!(d <= (double)hi))
		return hi;
	return (int64_t)d;
}

static void fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz: %s\ninput: %.*s\n", what, (int)(size > 4000 ? 4000 : size),
	    (const char *)data);
	abort();
}

static void dump(const char *what, const struct sc_composite *c)
{
	fprintf(stderr, "%s: n=%d min_rate=%lld\n", what, c->n, (long long)c->min_rate);
	for (int i = 0; i < c->n && i < 40; i++)
		fprintf(stderr, "  +%d %lld ph%d\n", (int)c->p[i].start, (long long)c->p[i].limit,
		    c->p[i].phases);
}

static void read_ctx(const cJSON *in, int64_t now, struct sc_ctx *ctx)
{
	const cJSON *conn = cJSON_GetObjectItem(in, "conn");

	memset(ctx, 0, sizeof(*ctx));
	ctx->connectors = (int)field(in, "connectors", 1, CP_MAX_CONNECTORS, CP_MAX_CONNECTORS);
	ctx->voltage_v = (int32_t)field(in, "voltage", 1, 1000, 230);
	ctx->station_max_ma = (int32_t)field(in, "stationMax", 0, 1000000, 32000);
	for (int c = 1; c <= ctx->connectors; c++) {
		const cJSON *o = cJSON_GetArrayItem(conn, c - 1);
		ctx->conn[c].tx_active = cJSON_IsTrue(cJSON_GetObjectItem(o, "tx"));
		ctx->conn[c].tx_id = (int32_t)field(o, "txId", INT32_MIN, INT32_MAX, 1);
		ctx->conn[c].tx_start.s = now + field(o, "txStart", -30 * 86400, 30 * 86400, 0);
		ctx->conn[c].max_ma = (int32_t)field(o, "max", 0, 1000000, 32000);
	}
}

static void set_profiles(const cJSON *in, struct sc_store *st, const struct sc_ctx *ctx,
    int64_t now, const uint8_t *data, size_t size)
{
	const cJSON *set = cJSON_GetObjectItem(in, "set"), *req;
	int n = 0;

	cJSON_ArrayForEach(req, set) {
		static struct sc_store before;
		struct sc_profile p, back;
		char why[160];
		int connector;
		cJSON *j;

		if (n++ >= FZ_MAX_SET)
			break;
		/* The RPC layer answers a CALLERROR before the handler runs. */
		if (ocpp_validate("SetChargingProfile", OCPP_REQ, req, NULL, 0) != OCPP_ERR_NONE)
			continue;
		/* The handler's range check of connectorId (schema: an integer). */
		connector = (int)field(req, "connectorId", -1, CP_MAX_CONNECTORS + 1, -1);
		if (connector < 0 || connector > ctx->connectors)
			continue;
		if (sc_profile_from_json(cJSON_GetObjectItem(req, "csChargingProfiles"), connector,
		    &p, why, sizeof(why)) < 0)
			continue;
		if (p.kind == SC_KIND_RECURRING && p.sched.has_start &&
		    now + FZ_MAX_WINDOW_S - p.sched.start.s > FZ_MAX_RECUR_BACK_S)
			continue;
		before = *st;
		if (sc_store_set(st, &p, ctx, NULL, why, sizeof(why)) < 0) {
			if (memcmp(&before, st, sizeof(before)) != 0)
				fail("a refused profile changed the store", data, size);
			continue;
		}
		j = sc_profile_to_json(&p, true);
		if (!j)
			continue;
		if (sc_profile_from_json(j, -1, &back, why, sizeof(why)) < 0) {
			fprintf(stderr, "fuzz: %s\n", why);
			fail("an installed profile does not read back from its persisted form", data, size);
		}
		if (memcmp(&back, &p, sizeof(p)) != 0)
			fail("an installed profile reads back different from its persisted form", data, size);
		cJSON_Delete(j);
	}
}

static void get_composites(const cJSON *in, const struct sc_store *st, const struct sc_ctx *ctx,
    int64_t now, const uint8_t *data, size_t size)
{
	const cJSON *get = cJSON_GetObjectItem(in, "get"), *q;
	int n = 0;

	cJSON_ArrayForEach(q, get) {
		int connector = (int)field(q, "connectorId", -1, CP_MAX_CONNECTORS + 1, 0);
		int32_t dur = (int32_t)field(q, "duration", -1, FZ_MAX_WINDOW_S, 3600);
		const char *u = cJSON_GetStringValue(cJSON_GetObjectItem(q, "chargingRateUnit"));
		enum sc_unit unit = u && strcmp(u, "W") == 0 ? SC_UNIT_W : SC_UNIT_A;
		int r1, r2;
		bool same;

		if (n++ >= FZ_MAX_GET)
			break;
		r1 = sc_composite_build(st, ctx, connector, cp_utc(now), dur, unit, &fast);
		r2 = sc_oracle_composite(st, ctx, connector, cp_utc(now), dur, unit, &slow);
		if (r1 != r2) {
			fprintf(stderr, "fuzz: sweep %d, oracle %d\n", r1, r2);
			fail("composite and oracle disagree on the outcome", data, size);
		}
		if (r1 == 0) {
			same = fast.n == slow.n && fast.min_rate == slow.min_rate;
			for (int i = 0; same && i < fast.n; i++)
				same = fast.p[i].start == slow.p[i].start &&
				    fast.p[i].limit == slow.p[i].limit &&
				    fast.p[i].phases == slow.p[i].phases;
			if (!same) {
				dump("sweep", &fast);
				dump("oracle", &slow);
				fail("composite schedule differs from the per-second oracle", data, size);
			}
		}
		if (connector >= 0 && connector <= ctx->connectors) {
			int32_t c0, s0, c1, s1;
			cp_utc_t next;

			if (sc_profile_limit_now(st, ctx, connector, cp_utc(now), &c0, &s0, &next) < 0)
				fail("sc_profile_limit_now refused a valid connector", data, size);
			sc_oracle_values_at(st, ctx, connector, now, &c1, &s1);
			if (c0 != c1 || s0 != s1) {
				fprintf(stderr, "fuzz: now %d/%d, oracle %d/%d\n", c0, s0, c1, s1);
				fail("limit now differs from the oracle", data, size);
			}
			if (next.s <= now)
				fail("next_change is not after now", data, size);
			for (int64_t t = now + 1; t < next.s && t < now + FZ_LIMIT_HORIZON_S; t++) {
				sc_oracle_values_at(st, ctx, connector, t, &c1, &s1);
				if (c1 != c0 || s1 != s0) {
					fprintf(stderr, "fuzz: change at +%lld before next +%lld\n",
					    (long long)(t - now), (long long)(next.s - now));
					fail("the limit changes before next_change", data, size);
				}
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sc_store st;
	struct sc_ctx ctx;
	cJSON *in = cJSON_ParseWithLength((const char *)data, size);
	const char *now_text;
	cp_utc_t now = cp_utc(1710028800);	/* 2024-03-10T00:00:00Z, a Sunday */

	cp_log_set_level(CP_LOG_ERROR);
	if (!cJSON_IsObject(in))
		goto out;
	now_text = cJSON_GetStringValue(cJSON_GetObjectItem(in, "now"));
	if (now_text && ocpp_time_parse(now_text, &now) < 0)
		goto out;
	read_ctx(in, now.s, &ctx);
	sc_store_init(&st);
	set_profiles(in, &st, &ctx, now.s, data, size);
	get_composites(in, &st, &ctx, now.s, data, size);
out:
	cJSON_Delete(in);
	return 0;
}
