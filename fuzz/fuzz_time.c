/*
 * fuzz_time.c - libFuzzer target: the one date-time parser (common/time.c).
 *
 * Input: any text; seeded with the frame parser's corpus (OCPP-J frames full
 * of timestamps) and a few edge dates.  The whole input and every quoted
 * string in it are read as a date-time.  Checked for each:
 *   - cp_time_parse and cp_time_parse_ms agree (both refuse, or the seconds
 *     are the milliseconds rounded down);
 *   - ocpp_time_parse gives what cp_time_parse gives, and sc_time_parse the
 *     same unless the instant is outside 1970..9999 UTC (-ERANGE);
 *   - an instant cp_time_format can write reads back as the same instant.
 * A disagreement aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "cp_time.h"
#include "ocpp/ocpp.h"
#include "smartcharging/sc_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_time: %s: \"%s\"\n", what, s);
	abort();
}

static void check(const char *s)
{
	cp_utc_t t, t2, o, sc;
	int64_t ms;
	int rc = cp_time_parse(s, &t);
	int rc_ms = cp_time_parse_ms(s, &ms);
	int rc_o = ocpp_time_parse(s, &o);
	int rc_sc = sc_time_parse(s, &sc);
	char buf[CP_TIME_LEN];

	if ((rc == 0) != (rc_ms == 0))
		fail("cp_time_parse and cp_time_parse_ms disagree", s);
	if (rc != 0) {
		if (rc_o == 0 || rc_sc == 0)
			fail("a wrapper accepts what the parser refuses", s);
		return;
	}
	if (t.s != (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)))
		fail("seconds and milliseconds disagree", s);
	if (rc_o != 0 || o.s != t.s)
		fail("ocpp_time_parse differs", s);
	if (rc_sc == 0 ? sc.s != t.s : rc_sc != -ERANGE)
		fail("sc_time_parse differs (other than its instant range)", s);
	if (cp_time_format(t, buf) > 0) {
		if (cp_time_parse(buf, &t2) != 0 || t2.s != t.s)
			fail("a formatted instant does not read back", buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8193];
	static int quiet;

	if (!quiet) {
		cp_log_set_level(CP_LOG_ERROR);
		quiet = 1;
	}
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	check(text);
	/* Every quoted string: the timestamps inside frames. */
	for (char *p = strchr(text, '"'); p; ) {
		char *q = strchr(p + 1, '"');
		if (!q)
			break;
		*q = '\0';
		check(p + 1);
		*q = '"';
		p = strchr(q + 1, '"');
	}
	return 0;
}
