/*
 * test_security_profile.c - SecurityProfile changes (OCPP 1.6 Security
 * Whitepaper edition 3, security profiles): every current x requested
 * profile with every combination of prerequisites against the whitepaper's
 * needs written out as a table, the reason for each missing prerequisite,
 * out-of-range values; and every cell of the fall-back machine.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "station/security/profile.h"

enum {
	NEED_AUTH = 1,
	NEED_TLS = 2,
	NEED_ROOT = 4,
	NEED_CERT = 8,
	NEED_ALL = 15,
};

/* What each profile needs, from the whitepaper's profile definitions. */
static const unsigned needs[4] = {
	[0] = 0,
	[1] = NEED_AUTH,				/* Basic auth, ws:// */
	[2] = NEED_AUTH | NEED_TLS | NEED_ROOT,		/* Basic auth, wss:// */
	[3] = NEED_TLS | NEED_ROOT | NEED_CERT,		/* client certificate */
};

static struct sec_prereq prereq(unsigned have)
{
	struct sec_prereq p = {
		.have_auth_key = (have & NEED_AUTH) != 0,
		.tls_url = (have & NEED_TLS) != 0,
		.have_trusted_root = (have & NEED_ROOT) != 0,
		.have_client_cert = (have & NEED_CERT) != 0,
	};
	return p;
}

static void test_full_table(void **state)
{
	(void)state;
	for (int cur = 0; cur <= 3; cur++)
		for (int req = 0; req <= 3; req++)
			for (unsigned have = 0; have <= NEED_ALL; have++) {
				struct sec_prereq p = prereq(have);
				const char *why = NULL;
				enum sec_decision want, got;

				if (req == cur)
					want = SEC_ACCEPTED_NOOP;
				else if (req < cur)
					want = SEC_REJECTED;
				else if ((have & needs[req]) == needs[req])
					want = SEC_ACCEPTED_RECONNECT;
				else
					want = SEC_REJECTED;
				got = sec_profile_change(cur, req, &p, &why);
				if (got != want)
					print_message("%d -> %d have %#x: got %d\n",
						      cur, req, have, got);
				assert_int_equal(got, want);
				assert_non_null(why);
				assert_true(strlen(why) > 0);
			}
}

/* Each prerequisite missing alone, and the sentence that names it. */
static void test_missing_prerequisite_reasons(void **state)
{
	(void)state;
	static const struct {
		int cur, req;
		unsigned have;
		const char *why_has;
	} cases[] = {
		{ 0, 1, NEED_ALL & ~NEED_AUTH, "AuthorizationKey" },
		{ 0, 2, NEED_ALL & ~NEED_AUTH, "AuthorizationKey" },
		{ 1, 2, NEED_ALL & ~NEED_TLS, "wss://" },
		{ 1, 2, NEED_ALL & ~NEED_ROOT, "CentralSystemRootCertificate" },
		{ 0, 3, NEED_ALL & ~NEED_TLS, "wss://" },
		{ 2, 3, NEED_ALL & ~NEED_ROOT, "CentralSystemRootCertificate" },
		{ 2, 3, NEED_ALL & ~NEED_CERT, "ChargePointCertificate" },
		{ 1, 3, NEED_ALL & ~NEED_CERT, "ChargePointCertificate" },
		/* Several missing: the first rule's reason (URL before root). */
		{ 0, 2, NEED_AUTH, "wss://" },
		{ 0, 3, 0, "wss://" },
		{ 3, 2, NEED_ALL, "only be raised" },
		{ 1, 0, NEED_ALL, "only be raised" },
		{ 2, 2, 0, "already in use" },
		{ 0, 1, NEED_AUTH, "reconnecting" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sec_prereq p = prereq(cases[i].have);
		const char *why = NULL;

		sec_profile_change(cases[i].cur, cases[i].req, &p, &why);
		print_message("%d -> %d: %s\n", cases[i].cur, cases[i].req, why);
		assert_non_null(strstr(why, cases[i].why_has));
	}
}

/* Profile 3 does not send Basic credentials: no AuthorizationKey needed. */
static void test_profile3_without_auth_key(void **state)
{
	(void)state;
	struct sec_prereq p = prereq(NEED_TLS | NEED_ROOT | NEED_CERT);

	assert_int_equal(sec_profile_change(0, 3, &p, NULL), SEC_ACCEPTED_RECONNECT);
	assert_int_equal(sec_profile_change(2, 3, &p, NULL), SEC_ACCEPTED_RECONNECT);
	/* ...but 2 does. */
	assert_int_equal(sec_profile_change(1, 2, &p, NULL), SEC_REJECTED);
}

static void test_out_of_range(void **state)
{
	(void)state;
	static const int bad[] = { -1, 4, 10, INT_MIN, INT_MAX };
	struct sec_prereq p = prereq(NEED_ALL);

	for (int cur = 0; cur <= 3; cur++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *why = NULL;

			assert_int_equal(sec_profile_change(cur, bad[i], &p, &why),
					 SEC_REJECTED);
			assert_non_null(strstr(why, "0, 1, 2 or 3"));
		}
}

/* ---------------------------------------------------- fall-back machine */

#define LIMIT 120000

static struct sec_profile_state settled(int profile)
{
	struct sec_profile_state s;

	sec_profile_init(&s, profile);
	return s;
}

static void assert_state(const struct sec_profile_state *s, int active,
			 int previous, bool trial, int64_t until)
{
	assert_int_equal(s->active, active);
	assert_int_equal(s->previous, previous);
	assert_int_equal(s->trial, trial);
	if (trial)
		assert_int_equal(s->trial_until.ms, until);
	assert_int_equal(sec_profile_next_deadline(s).ms, trial ? until : INT64_MAX);
}

static void test_init(void **state)
{
	(void)state;
	struct sec_profile_state s = settled(2);

	assert_state(&s, 2, 2, false, 0);
}

/* settled x RAISE */
static void test_settled_raise(void **state)
{
	(void)state;
	for (int from = 0; from <= 3; from++)
		for (int to = -1; to <= 4; to++) {
			struct sec_profile_state s = settled(from);
			enum sec_action a;

			a = sec_profile_fallback(&s, SEC_EV_RAISE, to, cp_real(1000), LIMIT);
			if (to > from && to <= 3) {
				assert_int_equal(a, SEC_ACT_RECONNECT);
				assert_state(&s, to, from, true, 1000 + LIMIT);
			} else {
				assert_int_equal(a, SEC_ACT_NONE);
				assert_state(&s, from, from, false, 0);
			}
		}
}

/* settled x CONNECTED, DEADLINE: nothing. */
static void test_settled_connected_deadline(void **state)
{
	(void)state;
	struct sec_profile_state s = settled(1);

	assert_int_equal(sec_profile_fallback(&s, SEC_EV_CONNECTED, 0, cp_real(5), LIMIT),
			 SEC_ACT_NONE);
	assert_state(&s, 1, 1, false, 0);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0, cp_real(INT64_MAX),
					      LIMIT), SEC_ACT_NONE);
	assert_state(&s, 1, 1, false, 0);
}

static struct sec_profile_state trial(int from, int to, int64_t at)
{
	struct sec_profile_state s = settled(from);

	assert_int_equal(sec_profile_fallback(&s, SEC_EV_RAISE, to, cp_real(at), LIMIT),
			 SEC_ACT_RECONNECT);
	return s;
}

/* trial x CONNECTED: confirmed, before and after the deadline. */
static void test_trial_connected(void **state)
{
	(void)state;
	struct sec_profile_state s = trial(1, 3, 0);

	assert_string_equal(sec_action_name(sec_profile_fallback(&s, SEC_EV_CONNECTED, 0,
								cp_real(LIMIT - 1), LIMIT)),
			    "confirmed");
	assert_state(&s, 3, 3, false, 0);
	/* A deadline after confirmation changes nothing. */
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0, cp_real(LIMIT), LIMIT),
			 SEC_ACT_NONE);
	assert_state(&s, 3, 3, false, 0);

	/* Connected after the deadline passed but before the timer fired. */
	s = trial(0, 2, 0);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_CONNECTED, 0, cp_real(LIMIT + 50),
					      LIMIT), SEC_ACT_CONFIRMED);
	assert_state(&s, 2, 2, false, 0);
}

/* trial x DEADLINE: early timer ignored, on time falls back. */
static void test_trial_deadline(void **state)
{
	(void)state;
	struct sec_profile_state s = trial(2, 3, 500);

	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0,
					      cp_real(500 + LIMIT - 1), LIMIT), SEC_ACT_NONE);
	assert_state(&s, 3, 2, true, 500 + LIMIT);
	assert_string_equal(sec_action_name(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0,
								cp_real(500 + LIMIT), LIMIT)),
			    "fallback");
	assert_state(&s, 2, 2, false, 0);
	/* Settled again: a connection now is the old profile's, nothing to do. */
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_CONNECTED, 0, cp_real(LIMIT * 2),
					      LIMIT), SEC_ACT_NONE);
	assert_state(&s, 2, 2, false, 0);
}

/* trial x RAISE: a higher one restarts the trial and keeps the last
 * profile known to work; same, lower or invalid change nothing. */
static void test_trial_raise(void **state)
{
	(void)state;
	struct sec_profile_state s = trial(0, 1, 0);

	assert_int_equal(sec_profile_fallback(&s, SEC_EV_RAISE, 3, cp_real(1000), LIMIT),
			 SEC_ACT_RECONNECT);
	assert_state(&s, 3, 0, true, 1000 + LIMIT);
	for (int p = -1; p <= 4; p++) {
		if (p == 4)
			continue;	/* covered below with another value */
		assert_int_equal(sec_profile_fallback(&s, SEC_EV_RAISE, p, cp_real(2000), LIMIT),
				 SEC_ACT_NONE);
		assert_state(&s, 3, 0, true, 1000 + LIMIT);
	}
	s = trial(1, 2, 0);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_RAISE, 4, cp_real(10), LIMIT),
			 SEC_ACT_NONE);
	assert_state(&s, 2, 1, true, LIMIT);
	/* The restarted trial falls back to 0, not to 1. */
	s = trial(0, 1, 0);
	sec_profile_fallback(&s, SEC_EV_RAISE, 2, cp_real(1000), LIMIT);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0, cp_real(LIMIT), LIMIT),
			 SEC_ACT_NONE);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0, cp_real(1000 + LIMIT),
					      LIMIT), SEC_ACT_FALLBACK);
	assert_state(&s, 0, 0, false, 0);
}

/* The deadline saturates instead of overflowing. */
static void test_deadline_saturates(void **state)
{
	(void)state;
	struct sec_profile_state s = trial(0, 1, INT64_MAX - 10);

	assert_int_equal(s.trial_until.ms, INT64_MAX);
	assert_int_equal(sec_profile_fallback(&s, SEC_EV_DEADLINE, 0, cp_real(INT64_MAX - 1),
					      SEC_PROFILE_FALLBACK_MS), SEC_ACT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_missing_prerequisite_reasons),
		cmocka_unit_test(test_profile3_without_auth_key),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_settled_raise),
		cmocka_unit_test(test_settled_connected_deadline),
		cmocka_unit_test(test_trial_connected),
		cmocka_unit_test(test_trial_deadline),
		cmocka_unit_test(test_trial_raise),
		cmocka_unit_test(test_deadline_saturates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
