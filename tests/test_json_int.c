/* test_json_int.c - cp_json_int: type, fraction, range and absence, on JSON
 * text as a peer would send it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_json.h"
#include "cp_limits.h"

#define I32 INT32_MIN, INT32_MAX
#define ALL -CP_JSON_INT_EXACT, CP_JSON_INT_EXACT

static const struct {
	const char *json;		/* the object; its key is "v" */
	int64_t min, max;
	int rc;
	int64_t value;			/* when rc == 0 */
} cases[] = {
	/* In range, both kinds of bound, and the edges. */
	{ .json = "{\"v\":0}", I32, .rc = 0, .value = 0 },
	{ .json = "{\"v\":-0}", I32, .rc = 0, .value = 0 },
	{ .json = "{\"v\":42}", 1, 42, .rc = 0, .value = 42 },
	{ .json = "{\"v\":1}", 1, 42, .rc = 0, .value = 1 },
	{ .json = "{\"v\":2147483647}", I32, .rc = 0, .value = INT32_MAX },
	{ .json = "{\"v\":-2147483648}", I32, .rc = 0, .value = INT32_MIN },
	{ .json = "{\"v\":3000000000}", ALL, .rc = 0, .value = INT64_C(3000000000) },
	{ .json = "{\"v\":3e9}", ALL, .rc = 0, .value = INT64_C(3000000000) },
	{ .json = "{\"v\":-3000000000}", ALL, .rc = 0, .value = -INT64_C(3000000000) },
	{ .json = "{\"v\":9007199254740991}", ALL, .rc = 0, .value = CP_JSON_INT_EXACT },
	{ .json = "{\"v\":-9007199254740991}", ALL, .rc = 0, .value = -CP_JSON_INT_EXACT },
	{ .json = "{\"v\":1.0}", I32, .rc = 0, .value = 1 },
	/* Out of the caller's range: the int cast these used to get is
	 * undefined behaviour (C11 6.3.1.4p1). */
	{ .json = "{\"v\":3000000000}", I32, .rc = -ERANGE },
	{ .json = "{\"v\":2147483648}", I32, .rc = -ERANGE },
	{ .json = "{\"v\":-2147483649}", I32, .rc = -ERANGE },
	{ .json = "{\"v\":43}", 1, 42, .rc = -ERANGE },
	{ .json = "{\"v\":0}", 1, 42, .rc = -ERANGE },
	{ .json = "{\"v\":1e300}", I32, .rc = -ERANGE },
	{ .json = "{\"v\":-1e300}", ALL, .rc = -ERANGE },
	/* Beyond 2^53 a double no longer holds every integer. */
	{ .json = "{\"v\":9007199254740992}", ALL, .rc = -ERANGE },
	{ .json = "{\"v\":9007199254740993}", ALL, .rc = -ERANGE },
	{ .json = "{\"v\":-9007199254740992}", ALL, .rc = -ERANGE },
	/* Not integers. */
	{ .json = "{\"v\":1.5}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":-0.5}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":3000000000.5}", ALL, .rc = -EINVAL },
	{ .json = "{\"v\":1e-7}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":1e400}", ALL, .rc = -EINVAL },	/* strtod: inf */
	{ .json = "{\"v\":\"1\"}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":true}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":null}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":[1]}", I32, .rc = -EINVAL },
	{ .json = "{\"v\":{}}", I32, .rc = -EINVAL },
	/* Missing; keys are case-sensitive as in OCPP-J. */
	{ .json = "{}", I32, .rc = -ENOENT },
	{ .json = "{\"w\":1}", I32, .rc = -ENOENT },
	{ .json = "{\"V\":1}", I32, .rc = -ENOENT },
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *o = cJSON_Parse(cases[i].json);
		int64_t out = 12345;

		assert_non_null(o);
		int rc = cp_json_int(o, "v", cases[i].min, cases[i].max, &out);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, expected %d", cases[i].json, rc, cases[i].rc);
		if (rc == 0 && out != cases[i].value)
			fail_msg("%s: %lld, expected %lld", cases[i].json, (long long)out,
			    (long long)cases[i].value);
		if (rc != 0 && out != 12345)
			fail_msg("%s: *out changed on error", cases[i].json);
		cJSON_Delete(o);
	}
}

static void test_null_object(void **state)
{
	int64_t out = 7;

	(void)state;
	assert_int_equal(cp_json_int(NULL, "v", I32, &out), -ENOENT);
	assert_int_equal(out, 7);
}

/* A number built in C, as the station builds StartTransaction.conf replies
 * in tests, reads back the same. */
static void test_created_number(void **state)
{
	cJSON *o = cJSON_CreateObject();
	int64_t out = 0;

	(void)state;
	cJSON_AddNumberToObject(o, "transactionId", 3000000000.0);
	assert_int_equal(cp_json_int(o, "transactionId", ALL, &out), 0);
	assert_true(out == INT64_C(3000000000));
	cJSON_Delete(o);
}

/* CP_MAX_TRANSACTION_ID rests on cJSON printing every integer up to it as
 * plain digits: MeterValues and StopTransaction must echo the id exactly. */
static void test_transaction_id_bound_prints_exactly(void **state)
{
	static const long long ids[] = {
		3000000000LL, -3000000000LL, CP_MAX_TRANSACTION_ID, -CP_MAX_TRANSACTION_ID,
		CP_MAX_TRANSACTION_ID - 1, 123456789012345LL, 2147483648LL,
	};

	(void)state;
	assert_true(CP_MAX_TRANSACTION_ID <= CP_JSON_INT_EXACT);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		cJSON *o = cJSON_CreateObject();
		char want[48], *text;
		int64_t back = 0;

		cJSON_AddNumberToObject(o, "transactionId", (double)ids[i]);
		text = cJSON_PrintUnformatted(o);
		snprintf(want, sizeof(want), "{\"transactionId\":%lld}", ids[i]);
		if (strcmp(text, want) != 0)
			fail_msg("printed %s, expected %s", text, want);
		cJSON_Delete(o);
		o = cJSON_Parse(text);
		assert_int_equal(cp_json_int(o, "transactionId", -CP_MAX_TRANSACTION_ID,
		    CP_MAX_TRANSACTION_ID, &back), 0);
		assert_true(back == ids[i]);
		cJSON_Delete(o);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_null_object),
		cmocka_unit_test(test_created_number),
		cmocka_unit_test(test_transaction_id_bound_prints_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
