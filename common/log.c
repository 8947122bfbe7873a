/* log.c - the stderr logger of cp_log.h.  The timestamp is real UTC time
 * (logs are read by people next to other logs), not the scaled daemon clock. */
#include "cp_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum cp_log_level cur_level = CP_LOG_INFO;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

void cp_log_set_level(enum cp_log_level level) { cur_level = level; }
enum cp_log_level cp_log_get_level(void) { return cur_level; }

int cp_log_parse_level(const char *s, enum cp_log_level *out)
{
	for (unsigned i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum cp_log_level)i;
			return 0;
		}
	}
	return -1;
}

void cp_log(enum cp_log_level level, const char *tag, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char when[32];
	va_list ap;

	if (level > cur_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %-5s [%s] ", when, ts.tv_nsec / 1000000L,
	    level_names[level], tag);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
