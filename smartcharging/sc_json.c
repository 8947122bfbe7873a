/*
 * sc_json.c - OCPP 1.6 JSON (7.7 ChargingProfile, 7.9 ChargingSchedule,
 * 7.10 ChargingSchedulePeriod, GetCompositeSchedule.conf) to and from the
 * engine's integer structures.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cp_json.h"
#include "smartcharging/sc_json.h"

/* ---- time ---- */

/* Profile times are read by the binary's one date-time parser (cp_time.h),
 * so a text the OCPP layer accepts elsewhere means the same instant here. */
int sc_time_parse(const char *s, cp_utc_t *out)
{
	cp_utc_t t;
	int rc = cp_time_parse(s, &t);

	if (rc < 0)
		return rc;
	/* Years before 1970 or an offset carrying the instant past 9999
	 * (9999-12-31T23:00:00-05:00 is in year 10000): such a time has no
	 * "Z" text that parses back, so a profile holding it could be
	 * answered Accepted yet not be stored and reloaded (OCPP 1.6 §5.16:
	 * an installed profile persists). */
	if (t.s < SC_TIME_MIN || t.s > SC_TIME_MAX)
		return -ERANGE;
	out->s = t.s;
	return 0;
}

int sc_time_format(cp_utc_t t, char *buf, size_t len)
{
	char text[CP_TIME_LEN];

	if (len < SC_TIME_TEXT)
		return -ENOSPC;
	if (cp_time_format(t, text) < 0)
		return -EINVAL;
	memcpy(buf, text, SC_TIME_TEXT);
	return 0;
}

/* ---- JSON helpers ---- */

__attribute__((format(printf, 3, 4)))
static int bad(char *why, size_t len, const char *fmt, ...)
{
	if (why && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* An integer field in min..max (cp_json_int): absent is 1 (when optional),
 * not an integer or out of range is an error. */
static int get_int64(const cJSON *o, const char *name, bool required, int64_t min,
		     int64_t max, int64_t *out, char *why, size_t len)
{
	int rc = cp_json_int(o, name, min, max, out);

	if (rc == -ENOENT)
		return required ? bad(why, len, "%s missing", name) : 1;
	if (rc == -ERANGE)
		return bad(why, len, "%s out of range %lld..%lld", name, (long long)min,
			   (long long)max);
	if (rc < 0)
		return bad(why, len, "%s is not an integer", name);
	return 0;
}

static int get_int(const cJSON *o, const char *name, bool required, int32_t *out,
		   char *why, size_t len)
{
	int64_t v;
	int rc = get_int64(o, name, required, INT32_MIN, INT32_MAX, &v, why, len);

	if (rc == 0)
		*out = (int32_t)v;
	return rc;
}

/* A decimal with at most one decimal place to milli-units (x 1000, a
 * multiple of 100).  The tolerance absorbs binary floating point (17.2 is
 * 17.199999...), as the schema check does. */
static int get_decimal(const cJSON *o, const char *name, bool required, int32_t *out,
		       char *why, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v) {
		if (required)
			return bad(why, len, "%s missing", name);
		return 1;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return bad(why, len, "%s is not a number", name);
	double tenths = v->valuedouble * 10.0;
	double r = nearbyint(tenths);
	if (fabs(tenths - r) > 1e-6 * fmax(1.0, fabs(tenths)))
		return bad(why, len, "%s has more than one decimal", name);
	if (r < 0 || r * 100.0 > SC_LIMIT_MAX)
		return bad(why, len, "%s out of range", name);
	*out = (int32_t)r * 100;
	return 0;
}

static int get_enum(const cJSON *o, const char *name, bool required, int (*parse)(const char *),
		    int *out, char *why, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!v) {
		if (required)
			return bad(why, len, "%s missing", name);
		return 1;
	}
	int e = cJSON_IsString(v) ? parse(v->valuestring) : -1;
	if (e < 0)
		return bad(why, len, "%s has an unknown value", name);
	*out = e;
	return 0;
}

static int get_time(const cJSON *o, const char *name, bool *has, cp_utc_t *out,
		    char *why, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	*has = false;
	if (!v)
		return 0;
	int rc = cJSON_IsString(v) ? sc_time_parse(v->valuestring, out) : -EINVAL;
	if (rc == -ERANGE)
		return bad(why, len, "%s is outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z in UTC",
			   name);
	if (rc < 0)
		return bad(why, len, "%s is not an RFC 3339 date-time", name);
	*has = true;
	return 0;
}

static int schedule_from_json(const cJSON *o, struct sc_schedule *s, char *why, size_t len)
{
	int rc, e;

	if (!cJSON_IsObject(o))
		return bad(why, len, "chargingSchedule missing");
	memset(s, 0, sizeof(*s));
	if ((rc = get_int(o, "duration", false, &s->duration, why, len)) < 0)
		return rc;
	if (rc == 0 && s->duration < 0)
		return bad(why, len, "duration is negative");
	if ((rc = get_time(o, "startSchedule", &s->has_start, &s->start, why, len)) < 0)
		return rc;
	if ((rc = get_enum(o, "chargingRateUnit", true, sc_unit_parse, &e, why, len)) < 0)
		return rc;
	s->unit = (enum sc_unit)e;
	s->min_rate = SC_LIMIT_NONE;
	if ((rc = get_decimal(o, "minChargingRate", false, &s->min_rate, why, len)) < 0)
		return rc;

	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "chargingSchedulePeriod");
	if (!cJSON_IsArray(arr))
		return bad(why, len, "chargingSchedulePeriod missing");
	int n = cJSON_GetArraySize(arr);
	if (n < 1)
		return bad(why, len, "chargingSchedulePeriod is empty");
	if (n > CP_MAX_PERIODS)
		return bad(why, len, "%d periods exceed ChargingScheduleMaxPeriods %d", n,
			   CP_MAX_PERIODS);
	const cJSON *it;
	int i = 0;
	cJSON_ArrayForEach(it, arr) {
		struct sc_period *pe = &s->p[i];
		int32_t ph = 0;
		if (!cJSON_IsObject(it))
			return bad(why, len, "period %d is not an object", i);
		if ((rc = get_int(it, "startPeriod", true, &pe->start, why, len)) < 0)
			return rc;
		if ((rc = get_decimal(it, "limit", true, &pe->limit, why, len)) < 0)
			return rc;
		if ((rc = get_int(it, "numberPhases", false, &ph, why, len)) < 0)
			return rc;
		if (rc == 0 && (ph < 1 || ph > 3))
			return bad(why, len, "numberPhases %d of period %d not 1..3", (int)ph, i);
		pe->phases = (int8_t)ph;
		i++;
	}
	s->n = n;
	return 0;
}

int sc_profile_from_json(const cJSON *o, int connector, struct sc_profile *p,
			 char *why, size_t len)
{
	int32_t v;
	int rc, e;

	if (why && len)
		why[0] = '\0';
	if (!cJSON_IsObject(o))
		return bad(why, len, "chargingProfile is not an object");
	memset(p, 0, sizeof(*p));
	if (connector < 0) {
		if ((rc = get_int(o, "connectorId", true, &v, why, len)) < 0)
			return rc;
		connector = v;
	}
	p->connector = connector;
	if ((rc = get_int(o, "chargingProfileId", true, &p->id, why, len)) < 0)
		return rc;
	if ((rc = get_int(o, "stackLevel", true, &v, why, len)) < 0)
		return rc;
	p->stack_level = v;
	/* The station keeps transactionIds up to CP_MAX_TRANSACTION_ID. */
	if ((rc = get_int64(o, "transactionId", false, -CP_MAX_TRANSACTION_ID,
			    CP_MAX_TRANSACTION_ID, &p->tx_id, why, len)) < 0)
		return rc;
	p->has_tx_id = rc == 0;
	if ((rc = get_enum(o, "chargingProfilePurpose", true, sc_purpose_parse, &e, why, len)) < 0)
		return rc;
	p->purpose = (enum sc_purpose)e;
	if ((rc = get_enum(o, "chargingProfileKind", true, sc_kind_parse, &e, why, len)) < 0)
		return rc;
	p->kind = (enum sc_kind)e;
	e = SC_RECUR_NONE;
	if ((rc = get_enum(o, "recurrencyKind", false, sc_recurrency_parse, &e, why, len)) < 0)
		return rc;
	p->recurrency = (enum sc_recurrency)e;
	if ((rc = get_time(o, "validFrom", &p->has_valid_from, &p->valid_from, why, len)) < 0)
		return rc;
	if ((rc = get_time(o, "validTo", &p->has_valid_to, &p->valid_to, why, len)) < 0)
		return rc;
	return schedule_from_json(cJSON_GetObjectItemCaseSensitive(o, "chargingSchedule"),
				  &p->sched, why, len);
}

/* Milli-units to the OCPP decimal: values are multiples of 100, so x/1000.0
 * prints with at most one decimal ("16.1", "11000"). */
static double milli_to_number(int64_t v)
{
	return (double)(v / 100) / 10.0;
}

static bool add_time(cJSON *o, const char *name, cp_utc_t t)
{
	char buf[SC_TIME_TEXT];
	return sc_time_format(t, buf, sizeof(buf)) == 0 && cJSON_AddStringToObject(o, name, buf);
}

cJSON *sc_profile_to_json(const struct sc_profile *p, bool with_connector)
{
	const struct sc_schedule *s = &p->sched;
	cJSON *o = cJSON_CreateObject();
	cJSON *sch = NULL, *arr = NULL;
	bool ok = o != NULL;

	if (ok && with_connector)
		ok = cJSON_AddNumberToObject(o, "connectorId", p->connector) != NULL;
	ok = ok && cJSON_AddNumberToObject(o, "chargingProfileId", p->id);
	if (ok && p->has_tx_id)
		ok = cJSON_AddNumberToObject(o, "transactionId", (double)p->tx_id) != NULL;
	ok = ok && cJSON_AddNumberToObject(o, "stackLevel", p->stack_level);
	ok = ok && cJSON_AddStringToObject(o, "chargingProfilePurpose", sc_purpose_name(p->purpose));
	ok = ok && cJSON_AddStringToObject(o, "chargingProfileKind", sc_kind_name(p->kind));
	if (ok && p->recurrency != SC_RECUR_NONE)
		ok = cJSON_AddStringToObject(o, "recurrencyKind", sc_recurrency_name(p->recurrency)) != NULL;
	if (ok && p->has_valid_from)
		ok = add_time(o, "validFrom", p->valid_from);
	if (ok && p->has_valid_to)
		ok = add_time(o, "validTo", p->valid_to);
	ok = ok && (sch = cJSON_AddObjectToObject(o, "chargingSchedule")) != NULL;
	if (ok && s->duration > 0)
		ok = cJSON_AddNumberToObject(sch, "duration", s->duration) != NULL;
	if (ok && s->has_start)
		ok = add_time(sch, "startSchedule", s->start);
	ok = ok && cJSON_AddStringToObject(sch, "chargingRateUnit", sc_unit_name(s->unit));
	ok = ok && (arr = cJSON_AddArrayToObject(sch, "chargingSchedulePeriod")) != NULL;
	for (int i = 0; ok && i < s->n; i++) {
		cJSON *pe = cJSON_CreateObject();
		if (!pe || !cJSON_AddItemToArray(arr, pe)) {
			cJSON_Delete(pe);	/* not yet owned by arr */
			ok = false;
			break;
		}
		ok = cJSON_AddNumberToObject(pe, "startPeriod", s->p[i].start) != NULL;
		ok = ok && cJSON_AddNumberToObject(pe, "limit", milli_to_number(s->p[i].limit));
		if (ok && s->p[i].phases)
			ok = cJSON_AddNumberToObject(pe, "numberPhases", s->p[i].phases) != NULL;
	}
	if (ok && s->min_rate != SC_LIMIT_NONE)
		ok = cJSON_AddNumberToObject(sch, "minChargingRate", milli_to_number(s->min_rate)) != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *sc_composite_to_json(const struct sc_composite *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *sch = NULL, *arr = NULL;
	bool ok = o != NULL;

	ok = ok && cJSON_AddStringToObject(o, "status", "Accepted");
	ok = ok && cJSON_AddNumberToObject(o, "connectorId", c->connector);
	ok = ok && add_time(o, "scheduleStart", c->start);
	ok = ok && (sch = cJSON_AddObjectToObject(o, "chargingSchedule")) != NULL;
	ok = ok && cJSON_AddNumberToObject(sch, "duration", c->duration);
	ok = ok && add_time(sch, "startSchedule", c->start);
	ok = ok && cJSON_AddStringToObject(sch, "chargingRateUnit", sc_unit_name(c->unit));
	ok = ok && (arr = cJSON_AddArrayToObject(sch, "chargingSchedulePeriod")) != NULL;
	for (int i = 0; ok && i < c->n; i++) {
		cJSON *pe = cJSON_CreateObject();
		if (!pe || !cJSON_AddItemToArray(arr, pe)) {
			cJSON_Delete(pe);
			ok = false;
			break;
		}
		ok = cJSON_AddNumberToObject(pe, "startPeriod", c->p[i].start) != NULL;
		ok = ok && cJSON_AddNumberToObject(pe, "limit", milli_to_number(c->p[i].limit));
		if (ok && c->p[i].phases)
			ok = cJSON_AddNumberToObject(pe, "numberPhases", c->p[i].phases) != NULL;
	}
	if (ok && c->min_rate >= 0)
		ok = cJSON_AddNumberToObject(sch, "minChargingRate", milli_to_number(c->min_rate)) != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
