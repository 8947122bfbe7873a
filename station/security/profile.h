/*
 * profile.h - SecurityProfile changes and the fall-back after a raise, pure
 * (OCPP 1.6 Security Whitepaper edition 3, §2 secure connection setup:
 * security profiles, and the SecurityProfile configuration key).
 *
 * The profiles:
 *   0  no security: ws:// (or wss:// without any authentication of the
 *      station); outside the whitepaper, the plain OCPP 1.6 connection.
 *   1  unsecured transport with Basic authentication: ws://, the station
 *      sends its identity and the AuthorizationKey as HTTP Basic
 *      credentials.  Only for trusted networks.
 *   2  TLS with Basic authentication: wss://, the station checks the
 *      Central System's server certificate against an installed
 *      CentralSystemRootCertificate, and authenticates itself with Basic
 *      credentials as in profile 1.
 *   3  TLS with client-side certificates: wss://, the server certificate is
 *      checked as in 2 and the station authenticates with its
 *      ChargePointCertificate (and private key) in the TLS handshake; no
 *      Basic credentials.
 *
 * sec_profile_change decides a ChangeConfiguration.req of SecurityProfile,
 * one numbered rule after another (the first that applies decides):
 *   1. requested outside 0..3: Rejected (not a profile).
 *   2. requested == current: Accepted, nothing to do.  Setting a key to the
 *      value it has changes nothing, and answering Rejected would make a
 *      Central System that re-sends its whole configuration believe the
 *      station refused it; no reconnect, the connection already uses it.
 *   3. requested < current: Rejected.  The whitepaper allows only raising
 *      the profile over OCPP; lowering it must be done by other means (on
 *      site), or anyone able to send one message could strip the security.
 *   4. requested is 1 or 2 and no AuthorizationKey is set: Rejected (the
 *      Basic credentials need it; profile 3 authenticates with the client
 *      certificate and does not).
 *   5. requested >= 2 and the Central System URL is not wss://: Rejected.
 *   6. requested >= 2 and no CentralSystemRootCertificate installed:
 *      Rejected (the station could not authenticate the server).
 *   7. requested == 3 and no ChargePointCertificate with its key installed:
 *      Rejected.
 *   8. otherwise Accepted: the station answers ChangeConfiguration.conf
 *      Accepted, then disconnects and reconnects with the new profile.
 * A prerequisite missing is reported with its own reason, so the operator
 * knows what to install first.
 */
#ifndef STATION_SECURITY_PROFILE_H
#define STATION_SECURITY_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"

#define SEC_PROFILE_MIN 0
#define SEC_PROFILE_MAX 3

enum sec_decision {
	SEC_REJECTED = 0,		/* ChangeConfiguration.conf Rejected */
	SEC_ACCEPTED_NOOP,		/* Accepted; the profile is already in use */
	SEC_ACCEPTED_RECONNECT,		/* Accepted; reconnect with the new profile */
};

/* What the station has that a higher profile needs. */
struct sec_prereq {
	bool have_auth_key;	/* AuthorizationKey set */
	bool tls_url;		/* the Central System URL is wss:// */
	bool have_trusted_root;	/* a CentralSystemRootCertificate installed */
	bool have_client_cert;	/* a valid ChargePointCertificate and its key */
};

/*
 * Decide a change of SecurityProfile from current (0..3, asserted) to
 * requested (any value the Central System sent).  *why (when why is not
 * NULL) gets a static sentence saying why, for the log and the control
 * socket; never NULL.
 */
enum sec_decision sec_profile_change(int current, int requested,
				     const struct sec_prereq *p, const char **why);

/*
 * The fall-back after a raise.  After SEC_ACCEPTED_RECONNECT the station
 * tries the new profile for a bounded time (limit_ms, default
 * SEC_PROFILE_FALLBACK_MS); if no connection with it comes up in that time
 * the station goes back to the profile it had, so a wrong root certificate
 * or a refused client certificate does not leave it offline for good.  A
 * connection with the new profile confirms it.
 *
 * Time is real time (cp_real_t): the bound is about network round trips and
 * reconnect back-off, which --time-scale does not speed up.
 *
 * State x event -> action (anything not listed: no change, SEC_ACT_NONE):
 *   settled, RAISE(p > active)  -> previous = active, active = p, trial
 *                                  until now + limit: SEC_ACT_RECONNECT
 *   trial,   RAISE(p > active)  -> active = p, previous kept (the last
 *                                  profile known to work), deadline
 *                                  restarted: SEC_ACT_RECONNECT
 *   trial,   CONNECTED          -> settled on active: SEC_ACT_CONFIRMED
 *                                  (also after the deadline, if the timer
 *                                  has not fired yet: the connection is up)
 *   trial,   DEADLINE, now >= until -> active = previous, settled:
 *                                  SEC_ACT_FALLBACK (reconnect with active,
 *                                  report the fall-back)
 *   trial,   DEADLINE, now < until  -> nothing (an early timer)
 *   any,     RAISE(p <= active or p outside 0..3) -> nothing
 *   settled, CONNECTED / DEADLINE -> nothing
 */
struct sec_profile_state {
	int active;		/* the profile to connect with */
	int previous;		/* during a trial: the one to fall back to */
	bool trial;
	cp_real_t trial_until;	/* during a trial: when to fall back */
};

enum sec_event {
	SEC_EV_RAISE,		/* sec_profile_change said SEC_ACCEPTED_RECONNECT */
	SEC_EV_CONNECTED,	/* the websocket is up with the active profile */
	SEC_EV_DEADLINE,	/* the timer at trial_until fired */
};

enum sec_action {
	SEC_ACT_NONE = 0,
	SEC_ACT_RECONNECT,	/* disconnect, connect with s->active */
	SEC_ACT_CONFIRMED,	/* the raise is final: store s->active */
	SEC_ACT_FALLBACK,	/* store and connect with s->active (the
				 * previous profile) and report it */
};

/* Settled on profile (0..3, asserted). */
void sec_profile_init(struct sec_profile_state *s, int profile);

/* One event at now.  profile is the requested one for SEC_EV_RAISE and
 * ignored otherwise; limit_ms (> 0, asserted) the trial's length. */
enum sec_action sec_profile_fallback(struct sec_profile_state *s, enum sec_event ev,
				     int profile, cp_real_t now, int64_t limit_ms);

/* When the loop must deliver SEC_EV_DEADLINE, or INT64_MAX outside a
 * trial. */
cp_real_t sec_profile_next_deadline(const struct sec_profile_state *s);

/* "none", "reconnect", ...: for logs and tests. */
const char *sec_action_name(enum sec_action a);

#endif
