/*
 * cp_log.h - one logger for every module: stderr, UTC timestamp, level and a
 * subsystem tag ("ocpp", "store", "hw", "sc", "station", ...).
 *
 * Floods are bounded: a central system (or a broken sensor) can make one
 * line repeat without end.  Lines at error, warn and info level are counted
 * per (level, tag, format) -- the same format with other arguments counts as
 * the same line -- and after CP_LOG_FLOOD_BURST of them within
 * CP_LOG_FLOOD_WINDOW_MS the rest of that window is suppressed and summed up
 * in one later line "[tag] N similar lines suppressed ...", written when the
 * window has passed and any line is logged, when the key is evicted by
 * CP_LOG_FLOOD_KEYS other keys, or at cp_log_flush().  At --log-level
 * debug the operator asked for everything: nothing is suppressed.
 */
#ifndef CP_LOG_H
#define CP_LOG_H

#include <stdint.h>
#include <stdio.h>

enum cp_log_level { CP_LOG_ERROR = 0, CP_LOG_WARN, CP_LOG_INFO, CP_LOG_DEBUG };

void cp_log_set_level(enum cp_log_level level);
enum cp_log_level cp_log_get_level(void);
/* Parses "error|warn|info|debug"; returns 0 or -1. */
int cp_log_parse_level(const char *s, enum cp_log_level *out);
void cp_log(enum cp_log_level level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes the summaries of lines still suppressed (at shutdown). */
void cp_log_flush(void);

/* The monotonic clock (milliseconds) the flood limiter reads once per
 * line; NULL restores the default (CLOCK_MONOTONIC).  For tests. */
typedef uint64_t (*cp_log_clock_fn)(void);
void cp_log_set_clock(cp_log_clock_fn fn);
/* Where lines go; NULL restores stderr.  The stream is not owned.  Also
 * forgets every flood counter (a fresh logger).  For tests. */
void cp_log_set_output(FILE *f);

#define CP_ERR(tag, ...)   cp_log(CP_LOG_ERROR, tag, __VA_ARGS__)
#define CP_WARN(tag, ...)  cp_log(CP_LOG_WARN, tag, __VA_ARGS__)
#define CP_INFO(tag, ...)  cp_log(CP_LOG_INFO, tag, __VA_ARGS__)
#define CP_DEBUG(tag, ...) do { if (cp_log_get_level() >= CP_LOG_DEBUG) cp_log(CP_LOG_DEBUG, tag, __VA_ARGS__); } while (0)

#endif
