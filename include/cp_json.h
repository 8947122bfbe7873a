/*
 * cp_json.h - the checked conversion of a JSON number to int.
 *
 * The OCPP 1.6 JSON schemas type ids, connector numbers and durations as
 * "integer" without a maximum, so a valid message may carry 1e20; cJSON holds
 * every number as a double, and converting a double outside INT_MIN..INT_MAX
 * (or NaN, or the infinity cJSON reads for 1e999) to int is undefined
 * behaviour (C11 6.3.1.4).  Every handler reads its integers through this.
 */
#ifndef CP_JSON_H
#define CP_JSON_H

#include <limits.h>

#include <cjson/cJSON.h>

/* d truncated toward zero, saturated to INT_MIN..INT_MAX; NaN reads as
 * INT_MIN.  An out-of-range value thus stays out of every range a caller
 * checks (no connector, transaction or profile has such a number) and a
 * duration becomes the longest one representable. */
static inline int cp_json_int(double d)
{
	if (!(d > (double)INT_MIN))
		return INT_MIN;
	if (!(d < (double)INT_MAX))
		return INT_MAX;
	return (int)d;
}

/* The number v as cp_json_int(), or def when v is not a number. */
static inline int cp_json_int_or(const cJSON *v, int def)
{
	return cJSON_IsNumber(v) ? cp_json_int(v->valuedouble) : def;
}

#endif
