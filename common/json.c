/* json.c - cp_json_int: a range-checked JSON integer (see cp_json.h). */
#include "cp_json.h"

#include <assert.h>
#include <errno.h>
#include <math.h>

int cp_json_int(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
	const cJSON *v;
	double d;

	assert(key && out);
	assert(-CP_JSON_INT_EXACT <= min && min <= max && max <= CP_JSON_INT_EXACT);
	v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v)
		return -ENOENT;
	if (!cJSON_IsNumber(v))
		return -EINVAL;
	d = v->valuedouble;
	if (!isfinite(d) || d != trunc(d))
		return -EINVAL;
	/* Compare as doubles first: both bounds are exact in a double, and
	 * only a value inside them may be converted (C11 6.3.1.4p1). */
	if (d < (double)min || d > (double)max)
		return -ERANGE;
	*out = (int64_t)d;
	return 0;
}
