/*
 * test_sc_json.c - OCPP JSON <-> profile and composite conversions, and the
 * RFC 3339 time parser/formatter they use.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "smartcharging/sc_json.h"

struct time_case {
	const char *text;
	int rc;
	int64_t s;
};

static const struct time_case time_cases[] = {
	{ "2024-03-10T00:00:00Z", 0, 1710028800 },
	{ "2024-03-10T00:00:00.123Z", 0, 1710028800 },
	{ "2024-03-10T02:00:00+02:00", 0, 1710028800 },
	{ "2024-03-09T22:30:00-01:30", 0, 1710028800 },
	{ "2024-02-29T12:00:00Z", 0, 1709208000 },	/* leap day */
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "2023-02-29T12:00:00Z", -22, 0 },
	/* The grammar every OCPP timestamp has (cp_time.h): a missing zone is
	 * UTC, a space may separate date and time. */
	{ "2024-03-10T00:00:00", 0, 1710028800 },
	{ "2024-03-10 00:00:00Z", 0, 1710028800 },
	{ "2024-03-10X00:00:00Z", -22, 0 },
	{ "2024-13-10T00:00:00Z", -22, 0 },
	{ "2024-03-10T24:00:00Z", -22, 0 },
	{ "2024-03-10T00:00:00Zjunk", -22, 0 },
	{ "2024-3-10T00:00:00Z", -22, 0 },
	{ "", -22, 0 },
	/* The instant must have a text that parses back (stored profiles are
	 * read at start-up): 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
	{ "9999-12-31T23:59:59Z", 0, 253402300799 },
	{ "9999-12-31T23:59:59+01:00", 0, 253402297199 },
	{ "9999-12-31T23:00:00-05:00", -34, 0 },	/* 10000-01-01T04:00:00Z */
	{ "9999-12-31T23:59:59-00:01", -34, 0 },
	{ "1969-12-31T23:00:00-01:00", 0, 0 },	/* the instant is what counts */
	{ "1969-12-31T23:59:59Z", -34, 0 },
	{ "1970-01-01T00:30:00+01:00", -34, 0 },	/* 1969-12-31T23:30:00Z */
	{ "1970-01-01T01:00:00+01:00", 0, 0 },
};

static void test_time_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		cp_utc_t t = { -1 };
		int rc = sc_time_parse(time_cases[i].text, &t);
		if (rc != time_cases[i].rc)
			print_error("'%s': rc %d\n", time_cases[i].text, rc);
		assert_int_equal(rc, time_cases[i].rc);
		if (rc == 0)
			assert_int_equal(t.s, time_cases[i].s);
	}
	assert_int_equal(sc_time_parse(NULL, &(cp_utc_t){ 0 }), -22);
}

static void test_time_format_round_trip(void **state)
{
	(void)state;
	char buf[SC_TIME_TEXT];
	assert_int_equal(sc_time_format(cp_utc(1710028800 + 86399), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2024-03-10T23:59:59Z");
	for (int64_t t = 0; t < 4102444800LL; t += 7777777) {
		cp_utc_t back;
		assert_int_equal(sc_time_format(cp_utc(t), buf, sizeof(buf)), 0);
		assert_int_equal(sc_time_parse(buf, &back), 0);
		assert_int_equal(back.s, t);
	}
	assert_int_equal(sc_time_format(cp_utc(0), buf, 10), -28);
}

static const char *const full_profile =
	"{\"chargingProfileId\":12,\"transactionId\":42,\"stackLevel\":3,"
	"\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Recurring\","
	"\"recurrencyKind\":\"Weekly\",\"validFrom\":\"2024-03-01T00:00:00Z\","
	"\"validTo\":\"2024-04-01T00:00:00Z\",\"chargingSchedule\":{\"duration\":7200,"
	"\"startSchedule\":\"2024-03-10T22:00:00Z\",\"chargingRateUnit\":\"W\","
	"\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":11000},"
	"{\"startPeriod\":600,\"limit\":17.2,\"numberPhases\":1}],\"minChargingRate\":1380.5}}";

static void test_profile_from_json(void **state)
{
	(void)state;
	cJSON *o = cJSON_Parse(full_profile);
	struct sc_profile p;
	char why[128];
	assert_int_equal(sc_profile_from_json(o, 1, &p, why, sizeof(why)), 0);
	assert_int_equal(p.id, 12);
	assert_int_equal(p.connector, 1);
	assert_true(p.has_tx_id);
	assert_int_equal(p.tx_id, 42);
	assert_int_equal(p.stack_level, 3);
	assert_int_equal(p.purpose, SC_PURPOSE_TX);
	assert_int_equal(p.kind, SC_KIND_RECURRING);
	assert_int_equal(p.recurrency, SC_RECUR_WEEKLY);
	assert_int_equal(p.valid_from.s, 1709251200);
	assert_int_equal(p.valid_to.s, 1711929600);
	assert_int_equal(p.sched.duration, 7200);
	assert_int_equal(p.sched.start.s, 1710028800 + 22 * 3600);
	assert_int_equal(p.sched.unit, SC_UNIT_W);
	assert_int_equal(p.sched.n, 2);
	assert_int_equal(p.sched.p[0].limit, 11000000);
	assert_int_equal(p.sched.p[0].phases, 0);
	assert_int_equal(p.sched.p[1].start, 600);
	assert_int_equal(p.sched.p[1].limit, 17200);	/* 17.2 is 17.19999... in binary */
	assert_int_equal(p.sched.p[1].phases, 1);
	assert_int_equal(p.sched.min_rate, 1380500);
	cJSON_Delete(o);
}

/* to_json then from_json gives the same profile, also via the persisted form. */
static void test_profile_round_trip(void **state)
{
	(void)state;
	cJSON *o = cJSON_Parse(full_profile);
	struct sc_profile p, q;
	char why[128];
	assert_int_equal(sc_profile_from_json(o, 2, &p, why, sizeof(why)), 0);
	cJSON_Delete(o);

	cJSON *saved = sc_profile_to_json(&p, true);
	char *text = cJSON_PrintUnformatted(saved);
	cJSON_Delete(saved);
	cJSON *back = cJSON_Parse(text);
	free(text);
	assert_int_equal(sc_profile_from_json(back, -1, &q, why, sizeof(why)), 0);
	cJSON_Delete(back);
	assert_memory_equal(&p, &q, sizeof(p));

	/* The OCPP form carries no connectorId. */
	cJSON *ocpp = sc_profile_to_json(&p, false);
	assert_null(cJSON_GetObjectItem(ocpp, "connectorId"));
	assert_int_equal(sc_profile_from_json(ocpp, -1, &q, why, sizeof(why)), -22);
	assert_non_null(strstr(why, "connectorId"));
	cJSON_Delete(ocpp);
}

struct bad_case {
	const char *json;
	const char *why;
};

static const struct bad_case bad_cases[] = {
	{ "[]", "not an object" },
	{ "{\"stackLevel\":0}", "chargingProfileId missing" },
	{ "{\"chargingProfileId\":1.5,\"stackLevel\":0}", "chargingProfileId is not an integer" },
	{ "{\"chargingProfileId\":3000000000,\"stackLevel\":0}", "chargingProfileId out of range" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"transactionId\":1000000000000000}", "transactionId out of range" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"transactionId\":3000000000.5}", "transactionId is not an integer" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"Max\"}", "chargingProfilePurpose has an unknown" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\"}", "chargingSchedule missing" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"validFrom\":\"yesterday\",\"chargingSchedule\":{}}", "validFrom" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":16.05}]}}", "more than one decimal" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":-1}]}}", "out of range" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":6,\"numberPhases\":4}]}}", "numberPhases" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}", "empty" },
	{ "{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"kW\",\"chargingSchedulePeriod\":[]}}", "chargingRateUnit" },
};

static void test_profile_from_bad_json(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		cJSON *o = cJSON_Parse(bad_cases[i].json);
		struct sc_profile p;
		char why[128];
		int rc = sc_profile_from_json(o, 1, &p, why, sizeof(why));
		if (rc != -22 || !strstr(why, bad_cases[i].why))
			print_error("case %zu: rc %d '%s'\n", i, rc, why);
		assert_int_equal(rc, -22);
		assert_non_null(strstr(why, bad_cases[i].why));
		cJSON_Delete(o);
	}
}

/* A transactionId beyond 32 bits (the schema's "integer" has no bounds) is
 * kept exactly and printed back as integer digits. */
static void test_profile_tx_id_64bit(void **state)
{
	(void)state;
	cJSON *o = cJSON_Parse("{\"chargingProfileId\":1,\"transactionId\":3000000000,\"stackLevel\":0,"
			       "\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Relative\","
			       "\"chargingSchedule\":{\"chargingRateUnit\":\"A\","
			       "\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":6}]}}");
	struct sc_profile p;
	char why[128];
	assert_int_equal(sc_profile_from_json(o, 1, &p, why, sizeof(why)), 0);
	assert_true(p.has_tx_id);
	assert_true(p.tx_id == INT64_C(3000000000));
	cJSON *back = sc_profile_to_json(&p, true);
	char *text = cJSON_PrintUnformatted(back);
	assert_non_null(strstr(text, "\"transactionId\":3000000000,"));
	free(text);
	cJSON_Delete(back);
	cJSON_Delete(o);
}

/* Whatever sc_profile_from_json accepts can be stored and read back: every
 * time field formats to a text that parses to the same instant.  Offsets
 * that carry an instant past 9999-12-31T23:59:59Z or before 1970 are
 * refused with the field named. */
static void test_profile_times_survive_storage(void **state)
{
	static const char *const fields[] = { "validFrom", "validTo", "startSchedule" };
	static const struct {
		const char *text;
		bool ok;
	} times[] = {
		{ "9999-12-31T23:00:00-05:00", false },
		{ "9999-12-31T23:59:59-00:01", false },
		{ "1970-01-01T00:30:00+01:00", false },
		{ "9999-12-31T23:59:59Z", true },
		{ "9999-12-31T23:59:59+14:00", true },
		{ "1970-01-01T00:00:00Z", true },
		{ "1970-01-01T05:00:00+05:00", true },
	};

	(void)state;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
			char json[512], member[96], why[128];
			bool in_sched = strcmp(fields[f], "startSchedule") == 0;
			struct sc_profile p, back;

			snprintf(member, sizeof(member), "\"%s\":\"%s\",", fields[f], times[i].text);
			snprintf(json, sizeof(json),
				 "{\"chargingProfileId\":5,\"stackLevel\":1,"
				 "\"chargingProfilePurpose\":\"TxDefaultProfile\","
				 "\"chargingProfileKind\":\"Absolute\",%s"
				 "\"chargingSchedule\":{%s\"duration\":2147483647,"
				 "\"chargingRateUnit\":\"A\","
				 "\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":6}]}}",
				 in_sched ? "" : member, in_sched ? member : "");
			cJSON *o = cJSON_Parse(json);
			assert_non_null(o);
			int rc = sc_profile_from_json(o, 1, &p, why, sizeof(why));
			cJSON_Delete(o);
			if (!times[i].ok) {
				if (rc != -EINVAL || !strstr(why, fields[f]))
					fail_msg("%s %s: rc %d '%s', expected a refusal naming it",
						 fields[f], times[i].text, rc, why);
				continue;
			}
			if (rc != 0)
				fail_msg("%s %s: rc %d '%s'", fields[f], times[i].text, rc, why);
			cJSON *stored = sc_profile_to_json(&p, true);
			if (!stored)
				fail_msg("%s %s: accepted but cannot be serialized", fields[f], times[i].text);
			char *text = cJSON_PrintUnformatted(stored);
			cJSON_Delete(stored);
			o = cJSON_Parse(text);
			free(text);
			assert_int_equal(sc_profile_from_json(o, -1, &back, why, sizeof(why)), 0);
			cJSON_Delete(o);
			assert_int_equal(back.valid_from.s, p.valid_from.s);
			assert_int_equal(back.valid_to.s, p.valid_to.s);
			assert_int_equal(back.sched.start.s, p.sched.start.s);
			assert_int_equal(back.has_valid_from, p.has_valid_from);
			assert_int_equal(back.has_valid_to, p.has_valid_to);
			assert_int_equal(back.sched.has_start, p.sched.has_start);
			assert_int_equal(back.sched.duration, p.sched.duration);
		}
	}
}

/* 101 periods are refused by the converter before touching the array. */
static void test_profile_too_many_periods(void **state)
{
	(void)state;
	cJSON *o = cJSON_Parse("{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":"
			       "\"TxDefaultProfile\",\"chargingProfileKind\":\"Relative\","
			       "\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}");
	cJSON *arr = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "chargingSchedule"), "chargingSchedulePeriod");
	for (int i = 0; i <= CP_MAX_PERIODS; i++) {
		cJSON *pe = cJSON_CreateObject();
		cJSON_AddNumberToObject(pe, "startPeriod", i * 60);
		cJSON_AddNumberToObject(pe, "limit", 6);
		cJSON_AddItemToArray(arr, pe);
	}
	struct sc_profile p;
	char why[128];
	assert_int_equal(sc_profile_from_json(o, 0, &p, why, sizeof(why)), -22);
	assert_non_null(strstr(why, "ChargingScheduleMaxPeriods"));
	cJSON_Delete(o);
}

static void test_composite_to_json(void **state)
{
	(void)state;
	static struct sc_composite c = {
		.connector = 1, .start = { 1710028800 }, .duration = 3600, .unit = SC_UNIT_A,
		.min_rate = 6000, .n = 2,
		.p = { { .start = 0, .limit = 16100, .phases = 3 }, { .start = 900, .limit = 32000 } },
	};
	cJSON *o = sc_composite_to_json(&c);
	char *text = cJSON_PrintUnformatted(o);
	assert_string_equal(text,
		"{\"status\":\"Accepted\",\"connectorId\":1,\"scheduleStart\":\"2024-03-10T00:00:00Z\","
		"\"chargingSchedule\":{\"duration\":3600,\"startSchedule\":\"2024-03-10T00:00:00Z\","
		"\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":["
		"{\"startPeriod\":0,\"limit\":16.1,\"numberPhases\":3},"
		"{\"startPeriod\":900,\"limit\":32}],\"minChargingRate\":6}}");
	free(text);
	cJSON_Delete(o);

	c.unit = SC_UNIT_W;
	c.min_rate = -1;
	c.n = 1;
	c.p[0].limit = 11040000;
	o = sc_composite_to_json(&c);
	text = cJSON_PrintUnformatted(o);
	assert_non_null(strstr(text, "\"chargingRateUnit\":\"W\""));
	assert_non_null(strstr(text, "\"limit\":11040,"));
	assert_null(strstr(text, "minChargingRate"));
	free(text);
	cJSON_Delete(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_format_round_trip),
		cmocka_unit_test(test_profile_from_json),
		cmocka_unit_test(test_profile_round_trip),
		cmocka_unit_test(test_profile_from_bad_json),
		cmocka_unit_test(test_profile_tx_id_64bit),
		cmocka_unit_test(test_profile_times_survive_storage),
		cmocka_unit_test(test_profile_too_many_periods),
		cmocka_unit_test(test_composite_to_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
