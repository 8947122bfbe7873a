/* time.c - the one RFC 3339 date-time grammar of the binary (see
 * cp_time.h).  Pure: no libc time zone state, no clock.  In libcommon so
 * the OCPP layer and the smart charging engine read every timestamp
 * alike. */
#include "cp_time.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil: exact for every year, no tables, no tm/timegm). */
static int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool time_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cp_time_format(cp_utc_t t, char buf[CP_TIME_LEN])
{
	/* Floor division so times before 1970 land on the right day. */
	int64_t days = t.s / 86400, secs = t.s % 86400;
	int64_t y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	time_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		buf[0] = '\0';
		return -ERANGE;
	}
	return snprintf(buf, CP_TIME_LEN, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Reads exactly n ASCII digits (JavaScript's \d is ASCII only too). */
static bool time_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* The separator ajv-formats splits on: /t|\s/i (ASCII whitespace here). */
static bool time_is_sep(char c)
{
	return c == 'T' || c == 't' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

int cp_time_parse_ms(const char *s, int64_t *out_ms)
{
	static const unsigned mdays[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, frac_ms = 0;

	if (s == NULL)
		return -EINVAL;
	if (!time_digits(&p, 4, &y) || *p++ != '-' || !time_digits(&p, 2, &mo) || *p++ != '-' ||
	    !time_digits(&p, 2, &d))
		return -EINVAL;
	if (mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > (mo == 2 && time_is_leap(y) ? 29u : mdays[mo]))
		return -EINVAL;
	if (!time_is_sep(*p++))
		return -EINVAL;
	if (!time_digits(&p, 2, &h) || *p++ != ':' || !time_digits(&p, 2, &mi) || *p++ != ':' ||
	    !time_digits(&p, 2, &sec))
		return -EINVAL;
	/* RFC 3339 5.6 allows a leap second; ajv-formats only at 23:59:60. */
	if (!((h <= 23 && mi <= 59 && sec <= 59) || (h == 23 && mi == 59 && sec == 60)))
		return -EINVAL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		/* Milliseconds: the first three digits, the rest dropped. */
		for (int scale = 100; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac_ms += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (!time_digits(&p, 2, &oh))
			return -EINVAL;
		if (*p == ':' || (*p >= '0' && *p <= '9')) {
			if (*p == ':')
				p++;
			if (!time_digits(&p, 2, &om))
				return -EINVAL;
		}
	}
	/* No zone at all: ajv-formats 2.1 accepts it (its "required" zone test
	 * compares undefined with ""), and so does the strict central system;
	 * read such a time as UTC rather than refuse what the peer accepts. */
	if (*p != '\0')
		return -EINVAL;
	if (out_ms != NULL) {
		if (sec == 60) {
			/* The leap second is the last instant of its minute. */
			sec = 59;
			frac_ms = 999;
		}
		*out_ms = (time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		    h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60)) * 1000 + frac_ms;
	}
	return 0;
}

int cp_time_parse(const char *s, cp_utc_t *out)
{
	int64_t ms;
	int rc = cp_time_parse_ms(s, out != NULL ? &ms : NULL);

	/* Floor: the fraction of a second is dropped, before 1970 too. */
	if (rc == 0 && out != NULL)
		out->s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	return rc;
}
