/* test_ocpp_time.c - ISO 8601 timestamps in and out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "ocpp/ocpp.h"

static void test_format(void **state)
{
	static const struct {
		int64_t s;
		const char *text;
	} t[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 1795878000, "2026-11-28T15:00:00Z" },
		{ 951782400, "2000-02-29T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ 253402300799, "9999-12-31T23:59:59Z" },
	};
	char buf[OCPP_TIME_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(ocpp_time_format(cp_utc(t[i].s), buf), (int)strlen(t[i].text));
		assert_string_equal(buf, t[i].text);
	}
	assert_int_equal(ocpp_time_format(cp_utc(253402300800), buf), -ERANGE);
	assert_string_equal(buf, "");
	assert_int_equal(ocpp_time_format(cp_utc(-62167219201), buf), -ERANGE);
}

static void test_parse(void **state)
{
	static const struct {
		const char *text;
		int rc;
		int64_t s;
	} t[] = {
		{ "2026-11-28T15:00:00Z", 0, 1795878000 },
		{ "2026-11-28T15:00:00.000Z", 0, 1795878000 },
		{ "2026-11-28T15:00:00.999999Z", 0, 1795878000 },	/* truncated */
		{ "2026-11-28T16:00:00+01:00", 0, 1795878000 },
		{ "2026-11-28T16:00:00+0100", 0, 1795878000 },
		{ "2026-11-28T16:00:00+01", 0, 1795878000 },
		{ "2026-11-28T10:30:00-04:30", 0, 1795878000 },
		{ "2026-11-28t15:00:00z", 0, 1795878000 },
		{ "2026-11-28 15:00:00Z", 0, 1795878000 },
		{ "2024-02-29T00:00:00Z", 0, 1709164800 },
		{ "2016-12-31T23:59:60Z", 0, 1483228799 },		/* leap second */
		{ "2026-11-28T15:00:00", 0, 1795878000 },		/* no zone: UTC, as ajv */
		{ "2026-11-28T15:00:00.5", 0, 1795878000 },
		{ "2026-11-28", -EINVAL, 0 },
		{ "2026-11-28T15:00Z", -EINVAL, 0 },
		{ "2026-11-28T15:00:00.Z", -EINVAL, 0 },
		{ "2026-11-28T15:00:00+01:", -EINVAL, 0 },
		{ "2026-11-28T15:00:00Zjunk", -EINVAL, 0 },
		{ "2026-02-29T00:00:00Z", -EINVAL, 0 },
		{ "2100-02-29T00:00:00Z", -EINVAL, 0 },
		{ "2026-13-01T00:00:00Z", -EINVAL, 0 },
		{ "2026-04-31T00:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T24:00:00Z", -EINVAL, 0 },
		{ "2026-11-28T15:60:00Z", -EINVAL, 0 },
		{ "2026-11-28T15:00:60Z", -EINVAL, 0 },
		{ "2026-11-28X15:00:00Z", -EINVAL, 0 },
		{ "26-11-28T15:00:00Z", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cp_utc_t u = cp_utc(-12345);
		int rc = ocpp_time_parse(t[i].text, &u);
		if (rc != t[i].rc)
			fail_msg("\"%s\": rc %d, want %d", t[i].text, rc, t[i].rc);
		if (rc == 0 && u.s != t[i].s)
			fail_msg("\"%s\": %lld, want %lld", t[i].text, (long long)u.s, (long long)t[i].s);
		assert_int_equal(ocpp_time_parse(t[i].text, NULL), t[i].rc);
	}
	assert_int_equal(ocpp_time_parse(NULL, NULL), -EINVAL);
}

/* Against libc's gmtime_r for a day-by-day walk over four centuries. */
static void test_roundtrip(void **state)
{
	char buf[OCPP_TIME_LEN], want[OCPP_TIME_LEN];

	(void)state;
	for (int64_t s = -2208988800LL; s < 10413792000LL; s += 86400 + 3607) {
		time_t tt = (time_t)s;
		struct tm tm;
		cp_utc_t back;

		gmtime_r(&tt, &tm);
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		assert_true(ocpp_time_format(cp_utc(s), buf) > 0);
		assert_string_equal(buf, want);
		assert_int_equal(ocpp_time_parse(buf, &back), 0);
		assert_int_equal(back.s, s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
