/*
 * cp_time.h - the two kinds of time, as distinct types so they cannot be mixed.
 *
 * cp_mono_t: monotonic milliseconds, for timers and durations.
 * cp_utc_t:  UTC seconds since the epoch, for OCPP timestamps and schedules.
 *
 * Only station/ reads a clock (once per event) and passes these values down.
 */
#ifndef CP_TIME_H
#define CP_TIME_H

#include <stdint.h>

typedef struct { int64_t ms; } cp_mono_t;
typedef struct { int64_t s; } cp_utc_t;

static inline cp_mono_t cp_mono(int64_t ms) { cp_mono_t t = { ms }; return t; }
static inline cp_utc_t cp_utc(int64_t s) { cp_utc_t t = { s }; return t; }

/* Sentinel for "never": a schedule with no further change. */
#define CP_UTC_NEVER ((int64_t)INT64_MAX)

#endif
