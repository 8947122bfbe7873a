/*
 * test_cp_time.c - the one RFC 3339 date-time grammar of the binary.
 *
 * Every row is read through each call path: the OCPP layer (schema
 * "date-time" format and every station field, ocpp_time_parse) and the
 * smart charging engine (profile times, sc_time_parse).  They must give the
 * same answer; the engine only adds its instant range (1970..9999 UTC,
 * -ERANGE).  A text one path accepts and the other refuses would let a
 * central system's ReserveNow expiryDate pass where the same text as a
 * SetChargingProfile validFrom is refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cp_time.h"
#include "ocpp/ocpp.h"
#include "smartcharging/sc_json.h"

struct grammar_row {
	const char *text;
	int rc;		/* the grammar's answer: 0 or -EINVAL */
	int64_t s;	/* the instant when rc == 0 */
};

#define T0 1795878000	/* 2026-11-28T15:00:00Z */

static const struct grammar_row grammar[] = {
	/* RFC 3339 5.6 date-time, as OCPP-J sends it. */
	{ "2026-11-28T15:00:00Z", 0, T0 },
	{ "2026-11-28T15:00:00.000Z", 0, T0 },
	{ "2026-11-28T15:00:00.999999Z", 0, T0 },	/* fraction truncated */
	{ "2026-11-28T16:00:00+01:00", 0, T0 },
	{ "2026-11-28T10:30:00-04:30", 0, T0 },
	{ "2026-11-28T15:00:00+00:00", 0, T0 },
	{ "2026-11-28T15:00:00-00:00", 0, T0 },
	{ "2024-02-29T00:00:00Z", 0, 1709164800 },
	{ "2016-12-31T23:59:60Z", 0, 1483228799 },	/* leap second */
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "9999-12-31T23:59:59Z", 0, 253402300799 },
	/* What the central system's own validator (ajv-formats) accepts,
	 * read the same way everywhere. */
	{ "2026-11-28t15:00:00z", 0, T0 },
	{ "2026-11-28 15:00:00Z", 0, T0 },
	{ "2026-11-28T16:00:00+0100", 0, T0 },
	{ "2026-11-28T16:00:00+01", 0, T0 },
	{ "2026-11-28T15:00:00", 0, T0 },		/* no zone: UTC */
	{ "2026-11-28T15:00:00.5", 0, T0 },
	/* Instants outside 1970..9999 UTC: valid text, refused in a profile. */
	{ "1969-12-31T23:59:59Z", 0, -1 },
	{ "1969-12-31T23:00:00-01:00", 0, 0 },
	{ "1970-01-01T00:30:00+01:00", 0, -1800 },
	{ "9999-12-31T23:00:00-05:00", 0, 253402315200 },
	{ "0000-01-01T00:00:00Z", 0, -62167219200 },
	/* Refused by every path. */
	{ "2026-11-28", -EINVAL, 0 },
	{ "2026-11-28T15:00Z", -EINVAL, 0 },
	{ "2026-11-28T15:00:00.Z", -EINVAL, 0 },
	{ "2026-11-28T15:00:00,5Z", -EINVAL, 0 },
	{ "2026-11-28T15:00:00+01:", -EINVAL, 0 },
	{ "2026-11-28T15:00:00+1:00", -EINVAL, 0 },
	{ "2026-11-28T15:00:00Zjunk", -EINVAL, 0 },
	{ "2026-11-28T15:00:00Z ", -EINVAL, 0 },
	{ "2026-02-29T00:00:00Z", -EINVAL, 0 },
	{ "2100-02-29T00:00:00Z", -EINVAL, 0 },
	{ "2026-13-01T00:00:00Z", -EINVAL, 0 },
	{ "2026-00-01T00:00:00Z", -EINVAL, 0 },
	{ "2026-04-31T00:00:00Z", -EINVAL, 0 },
	{ "2026-11-00T00:00:00Z", -EINVAL, 0 },
	{ "2026-11-28T24:00:00Z", -EINVAL, 0 },
	{ "2026-11-28T15:60:00Z", -EINVAL, 0 },
	{ "2026-11-28T15:00:60Z", -EINVAL, 0 },	/* :60 only at 23:59 */
	{ "2026-11-28X15:00:00Z", -EINVAL, 0 },
	{ "2026-11-2815:00:00Z", -EINVAL, 0 },
	{ "26-11-28T15:00:00Z", -EINVAL, 0 },
	{ "2026-1-28T15:00:00Z", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
};

/* The profile path's answer for a row: the grammar's, then the range. */
static int profile_rc(const struct grammar_row *r)
{
	if (r->rc != 0)
		return r->rc;
	return r->s < SC_TIME_MIN || r->s > SC_TIME_MAX ? -ERANGE : 0;
}

static void test_grammar_ocpp_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(grammar) / sizeof(grammar[0]); i++) {
		const struct grammar_row *r = &grammar[i];
		cp_utc_t u = cp_utc(-12345);
		int rc = ocpp_time_parse(r->text, &u);

		if (rc != r->rc)
			fail_msg("ocpp \"%s\": rc %d, want %d", r->text, rc, r->rc);
		if (rc == 0 && u.s != r->s)
			fail_msg("ocpp \"%s\": %lld, want %lld", r->text, (long long)u.s,
			    (long long)r->s);
	}
}

static void test_grammar_profile_path(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(grammar) / sizeof(grammar[0]); i++) {
		const struct grammar_row *r = &grammar[i];
		cp_utc_t u = cp_utc(-12345);
		int rc = sc_time_parse(r->text, &u), want = profile_rc(r);

		if (rc != want)
			fail_msg("profile \"%s\": rc %d, want %d", r->text, rc, want);
		if (rc == 0 && u.s != r->s)
			fail_msg("profile \"%s\": %lld, want %lld", r->text, (long long)u.s,
			    (long long)r->s);
	}
}

/* The millisecond reading has the same grammar; its whole seconds (floor)
 * are cp_time_parse's instant, and it keeps the fraction's first three
 * digits. */
static void test_grammar_ms(void **state)
{
	static const struct {
		const char *text;
		int64_t ms;
	} frac[] = {
		{ "2026-11-28T15:00:00.123Z", INT64_C(1795878000123) },
		{ "2026-11-28T15:00:00.5+01:00", INT64_C(1795874400500) },
		{ "2026-11-28T15:00:00.98765Z", INT64_C(1795878000987) },
		{ "2016-12-31T23:59:60.5Z", INT64_C(1483228799999) },
		{ "1969-12-31T23:59:59.250Z", -750 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(grammar) / sizeof(grammar[0]); i++) {
		const struct grammar_row *r = &grammar[i];
		int64_t ms = -12345;
		int rc = cp_time_parse_ms(r->text, &ms);

		if (rc != r->rc)
			fail_msg("ms \"%s\": rc %d, want %d", r->text, rc, r->rc);
		if (rc == 0 && (ms < r->s * 1000 || ms >= r->s * 1000 + 1000))
			fail_msg("ms \"%s\": %lld, not in second %lld", r->text, (long long)ms,
			    (long long)r->s);
	}
	for (size_t i = 0; i < sizeof(frac) / sizeof(frac[0]); i++) {
		int64_t ms = 0;
		cp_utc_t u;

		assert_int_equal(cp_time_parse_ms(frac[i].text, &ms), 0);
		assert_int_equal(ms, frac[i].ms);
		assert_int_equal(cp_time_parse(frac[i].text, &u), 0);
		assert_int_equal(u.s, frac[i].ms >= 0 ? frac[i].ms / 1000 : -1);
	}
	assert_int_equal(cp_time_parse_ms(NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grammar_ocpp_path),
		cmocka_unit_test(test_grammar_profile_path),
		cmocka_unit_test(test_grammar_ms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
