/*
 * cp_json.h - the one checked way to read a JSON integer.
 *
 * cJSON keeps every number as a double.  Converting a double whose integral
 * part does not fit the target type is undefined behaviour (C11 6.3.1.4p1),
 * and a fractional value would be silently truncated, so nothing converts a
 * cJSON number to an integer except cp_json_int, which checks the type, that
 * the value is integral and that it lies in the caller's range first.
 */
#ifndef CP_JSON_H
#define CP_JSON_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* 2^53 - 1: the largest magnitude below which a double holds every integer
 * (IEEE 754 binary64 has a 53-bit significand; RFC 7493 section 2.2 names
 * the same bound for interoperable JSON integers).  Beyond it the number
 * cJSON parsed may not be the number that was sent, so no range may extend
 * past it. */
#define CP_JSON_INT_EXACT INT64_C(9007199254740991)

/*
 * Reads obj[key] (case-sensitive, as OCPP-J property names are) as an integer
 * in min..max, where -CP_JSON_INT_EXACT <= min <= max <= CP_JSON_INT_EXACT.
 * Returns 0 with *out set, or, leaving *out untouched:
 *   -ENOENT  obj is NULL or has no such key;
 *   -EINVAL  the value is not a number, not finite, or has a fractional part;
 *   -ERANGE  an integer outside min..max.
 */
int cp_json_int(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out);

#endif
