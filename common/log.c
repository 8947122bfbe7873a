/* log.c - the stderr logger of cp_log.h.  The timestamp is real UTC time
 * (logs are read by people next to other logs), not the scaled daemon clock;
 * the flood limiter's windows run on the monotonic clock (real time too: it
 * bounds bytes written to a real disk), read once per line. */
#include "cp_log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cp_limits.h"

/* Longest tag and format kept to recognise a line (and to name it in its
 * summary); longer ones are compared on this prefix. */
#define FLOOD_TAG_MAX 24
#define FLOOD_FMT_MAX 96

/* One line being counted: a (level, tag, format) seen in the current window. */
struct flood {
	bool used;
	enum cp_log_level level;
	char tag[FLOOD_TAG_MAX];
	char fmt[FLOOD_FMT_MAX];
	uint64_t window_start;	/* ms, monotonic: first line of the window */
	uint64_t last_use;	/* use counter, for least-recently-seen eviction */
	unsigned written;	/* lines written in this window */
	unsigned suppressed;	/* lines counted but not written */
};

static enum cp_log_level cur_level = CP_LOG_INFO;
static const char *const level_names[] = { "error", "warn", "info", "debug" };
static FILE *out_f;
static cp_log_clock_fn clock_fn;
static struct flood floods[CP_LOG_FLOOD_KEYS];
static uint64_t use_counter;

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

void cp_log_set_clock(cp_log_clock_fn fn) { clock_fn = fn; }

void cp_log_set_output(FILE *f)
{
	out_f = f;
	memset(floods, 0, sizeof(floods));
	use_counter = 0;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	if (clock_fn)
		return clock_fn();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void write_line(enum cp_log_level level, const char *tag, const char *fmt, va_list ap)
{
	FILE *f = out_f ? out_f : stderr;
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "%s.%03ldZ %-5s [%s] ", when, ts.tv_nsec / 1000000L,
	    level_names[level], tag);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

static void write_fmt(enum cp_log_level level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void write_fmt(enum cp_log_level level, const char *tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_line(level, tag, fmt, ap);
	va_end(ap);
}

/* Writes the summary of a slot's suppressed lines, if any, and frees it. */
static void flood_end(struct flood *fl, uint64_t now)
{
	if (fl->used && fl->suppressed)
		write_fmt(fl->level, fl->tag, "%u similar lines suppressed in the last %llu s (\"%s\")",
		    fl->suppressed, (unsigned long long)((now - fl->window_start) / 1000u), fl->fmt);
	fl->used = false;
}

/* Counts one line; true if it is to be written. */
static bool flood_admit(enum cp_log_level level, const char *tag, const char *fmt)
{
	uint64_t now = mono_ms();
	struct flood *fl = NULL, *victim = NULL;

	/* Windows that have passed end now, with their summaries, so a flood
	 * that stopped is reported at the next line of any kind. */
	for (int i = 0; i < CP_LOG_FLOOD_KEYS; i++)
		if (floods[i].used && now - floods[i].window_start >= CP_LOG_FLOOD_WINDOW_MS)
			flood_end(&floods[i], now);
	for (int i = 0; i < CP_LOG_FLOOD_KEYS && !fl; i++) {
		struct flood *f = &floods[i];
		if (!f->used) {
			if (!victim || victim->used)
				victim = f;
		} else if (f->level == level && strncmp(f->tag, tag, sizeof(f->tag) - 1) == 0 &&
		    strncmp(f->fmt, fmt, sizeof(f->fmt) - 1) == 0) {
			fl = f;
		} else if (!victim || (victim->used && f->last_use < victim->last_use)) {
			victim = f;
		}
	}
	if (!fl) {
		fl = victim;
		flood_end(fl, now);
		memset(fl, 0, sizeof(*fl));
		fl->used = true;
		fl->level = level;
		snprintf(fl->tag, sizeof(fl->tag), "%s", tag);
		snprintf(fl->fmt, sizeof(fl->fmt), "%s", fmt);
		fl->window_start = now;
	}
	fl->last_use = ++use_counter;
	if (fl->written < CP_LOG_FLOOD_BURST) {
		fl->written++;
		return true;
	}
	fl->suppressed++;
	return false;
}

void cp_log_flush(void)
{
	uint64_t now = mono_ms();

	for (int i = 0; i < CP_LOG_FLOOD_KEYS; i++)
		flood_end(&floods[i], now);
	fflush(out_f ? out_f : stderr);
}

void cp_log(enum cp_log_level level, const char *tag, const char *fmt, ...)
{
	va_list ap;

	if (level > cur_level)
		return;
	/* At debug level the operator asked for every line. */
	if (cur_level < CP_LOG_DEBUG && !flood_admit(level, tag, fmt))
		return;
	va_start(ap, fmt);
	write_line(level, tag, fmt, ap);
	va_end(ap);
}
