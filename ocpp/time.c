/* time.c - ISO 8601 / RFC 3339 timestamps for OCPP payloads: the OCPP
 * layer's names for the binary's one date-time grammar (common/time.c). */
#include "ocpp/ocpp.h"

int ocpp_time_format(cp_utc_t t, char buf[OCPP_TIME_LEN])
{
	return cp_time_format(t, buf);
}

int ocpp_time_parse(const char *s, cp_utc_t *out)
{
	return cp_time_parse(s, out);
}
