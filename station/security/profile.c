/*
 * profile.c - SecurityProfile changes and the fall-back after a raise
 * (profile.h has the rules and the state table).  Pure: no clock, no I/O.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "station/security/profile.h"

static bool sec_profile_valid(int p)
{
	return p >= SEC_PROFILE_MIN && p <= SEC_PROFILE_MAX;
}

static enum sec_decision sec_profile_rule(int current, int requested,
					  const struct sec_prereq *p, const char **why)
{
	/* 1 */
	if (!sec_profile_valid(requested)) {
		*why = "SecurityProfile must be 0, 1, 2 or 3";
		return SEC_REJECTED;
	}
	/* 2 */
	if (requested == current) {
		*why = "the security profile is already in use";
		return SEC_ACCEPTED_NOOP;
	}
	/* 3 */
	if (requested < current) {
		*why = "the security profile can only be raised over OCPP";
		return SEC_REJECTED;
	}
	/* 4 */
	if ((requested == 1 || requested == 2) && !p->have_auth_key) {
		*why = "no AuthorizationKey set for Basic authentication";
		return SEC_REJECTED;
	}
	if (requested >= 2) {
		/* 5 */
		if (!p->tls_url) {
			*why = "the Central System URL is not wss://";
			return SEC_REJECTED;
		}
		/* 6 */
		if (!p->have_trusted_root) {
			*why = "no trusted Central System root (an installed CentralSystemRootCertificate or --ca-file)";
			return SEC_REJECTED;
		}
	}
	/* 7 */
	if (requested == 3 && !p->have_client_cert) {
		*why = "no client certificate (a ChargePointCertificate with its private key) installed";
		return SEC_REJECTED;
	}
	/* 8 */
	*why = "reconnecting with the new security profile";
	return SEC_ACCEPTED_RECONNECT;
}

enum sec_decision sec_profile_change(int current, int requested,
				     const struct sec_prereq *p, const char **why)
{
	const char *dummy;

	assert(sec_profile_valid(current));
	assert(p != NULL);
	return sec_profile_rule(current, requested, p, why != NULL ? why : &dummy);
}

void sec_profile_init(struct sec_profile_state *s, int profile)
{
	assert(sec_profile_valid(profile));
	s->active = profile;
	s->previous = profile;
	s->trial = false;
	s->trial_until = cp_real(INT64_MAX);
}

/* Start (or restart) a trial of profile at now. */
static enum sec_action sec_profile_try(struct sec_profile_state *s, int profile,
				       cp_real_t now, int64_t limit_ms)
{
	if (!s->trial)
		s->previous = s->active;
	s->active = profile;
	s->trial = true;
	s->trial_until = cp_real(now.ms > INT64_MAX - limit_ms ? INT64_MAX
							  : now.ms + limit_ms);
	return SEC_ACT_RECONNECT;
}

static void sec_profile_settle(struct sec_profile_state *s, int profile)
{
	s->active = profile;
	s->previous = profile;
	s->trial = false;
	s->trial_until = cp_real(INT64_MAX);
}

enum sec_action sec_profile_fallback(struct sec_profile_state *s, enum sec_event ev,
				     int profile, cp_real_t now, int64_t limit_ms)
{
	assert(sec_profile_valid(s->active));
	assert(limit_ms > 0);
	if (!s->trial) {
		switch (ev) {
		case SEC_EV_RAISE:
			if (!sec_profile_valid(profile) || profile <= s->active)
				return SEC_ACT_NONE;
			return sec_profile_try(s, profile, now, limit_ms);
		case SEC_EV_CONNECTED:
		case SEC_EV_DEADLINE:
			return SEC_ACT_NONE;
		}
	} else {
		switch (ev) {
		case SEC_EV_RAISE:
			if (!sec_profile_valid(profile) || profile <= s->active)
				return SEC_ACT_NONE;
			return sec_profile_try(s, profile, now, limit_ms);
		case SEC_EV_CONNECTED:
			sec_profile_settle(s, s->active);
			return SEC_ACT_CONFIRMED;
		case SEC_EV_DEADLINE:
			if (now.ms < s->trial_until.ms)
				return SEC_ACT_NONE;
			sec_profile_settle(s, s->previous);
			return SEC_ACT_FALLBACK;
		}
	}
	/* An event outside the enum: fail closed, change nothing. */
	return SEC_ACT_NONE;
}

cp_real_t sec_profile_next_deadline(const struct sec_profile_state *s)
{
	return s->trial ? s->trial_until : cp_real(INT64_MAX);
}

const char *sec_action_name(enum sec_action a)
{
	switch (a) {
	case SEC_ACT_NONE:
		return "none";
	case SEC_ACT_RECONNECT:
		return "reconnect";
	case SEC_ACT_CONFIRMED:
		return "confirmed";
	case SEC_ACT_FALLBACK:
		return "fallback";
	}
	return "?";
}
