/*
 * sc_json.h - OCPP JSON <-> smart charging structures (pure conversions).
 *
 * The inbound objects have already passed the OCPP 1.6 schema validator, but
 * these functions still reject anything they cannot represent (a missing
 * field, a limit with a second decimal, a date that is not RFC 3339) with a
 * reason, so a persisted row edited by hand cannot crash the daemon either.
 *
 * Ownership: returned cJSON trees belong to the caller (cJSON_Delete).  These
 * run on message handling and at boot, not on the control cycle, so cJSON's
 * allocation is acceptable here.
 */
#ifndef SC_JSON_H
#define SC_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "smartcharging/sc.h"

/* Longest text sc_time_format writes, with its terminator. */
#define SC_TIME_TEXT 21

/* The instants a profile may hold: 1970-01-01T00:00:00Z (the parser reads
 * no earlier year) to 9999-12-31T23:59:59Z (the last a four-digit year can
 * write).  Every instant in between formats to a text that parses back. */
#define SC_TIME_MIN INT64_C(0)
#define SC_TIME_MAX INT64_C(253402300799)

/* A profile time: cp_time_parse (cp_time.h, the binary's one date-time
 * grammar), then the instant range.  0, -EINVAL for bad syntax, -ERANGE
 * for an instant outside SC_TIME_MIN..SC_TIME_MAX (a year before 1970, or
 * an offset carrying it past 9999). */
int sc_time_parse(const char *s, cp_utc_t *out);
/* Writes "YYYY-MM-DDTHH:MM:SSZ"; 0, -ENOSPC when len < SC_TIME_TEXT, or
 * -EINVAL for a year outside 0000..9999. */
int sc_time_format(cp_utc_t t, char *buf, size_t len);

/* A csChargingProfiles / chargingProfile object to a profile.  connector is
 * the request's connectorId; pass -1 to read "connectorId" from the object
 * itself (the persisted form written by sc_profile_to_json(p, true)).
 * Returns 0 or -EINVAL with the reason.  Does not apply the store's rules:
 * sc_store_set does. */
int sc_profile_from_json(const cJSON *obj, int connector, struct sc_profile *out,
			 char *why, size_t why_len);

/* The OCPP object; with_connector adds "connectorId" for persistence.
 * NULL when out of memory, or for a time outside SC_TIME_MIN..SC_TIME_MAX
 * (never for a profile from sc_profile_from_json). */
cJSON *sc_profile_to_json(const struct sc_profile *p, bool with_connector);

/* GetCompositeSchedule.conf payload with status Accepted: connectorId,
 * scheduleStart, chargingSchedule {duration, startSchedule, chargingRateUnit,
 * chargingSchedulePeriod [startPeriod relative to scheduleStart, limit with
 * one decimal, numberPhases when known], minChargingRate when known}. */
cJSON *sc_composite_to_json(const struct sc_composite *c);

#endif
