/*
 * cp_time.h - the two kinds of time, as distinct types so they cannot be mixed.
 *
 * cp_mono_t: station monotonic milliseconds (scaled by --time-scale), for
 *            station timers and durations.
 * cp_real_t: real monotonic milliseconds (never scaled), for what stays in
 *            real time: RPC call timeouts, websocket pings, reconnect back-off.
 * cp_utc_t:  UTC seconds since the epoch, for OCPP timestamps and schedules.
 *
 * Each is a struct of its own so the compiler refuses one where another is
 * expected (a scaled instant as a call deadline, say).
 *
 * Only station/ reads a clock (once per event) and passes these values down.
 */
#ifndef CP_TIME_H
#define CP_TIME_H

#include <stdint.h>

typedef struct { int64_t ms; } cp_mono_t;
typedef struct { int64_t ms; } cp_real_t;
typedef struct { int64_t s; } cp_utc_t;

static inline cp_mono_t cp_mono(int64_t ms) { cp_mono_t t = { ms }; return t; }
static inline cp_real_t cp_real(int64_t ms) { cp_real_t t = { ms }; return t; }
static inline cp_utc_t cp_utc(int64_t s) { cp_utc_t t = { s }; return t; }

/* Sentinel for "never": a schedule with no further change. */
#define CP_UTC_NEVER ((int64_t)INT64_MAX)

/* ------------------------------------------------------ date-time text */

/* Longest text cp_time_format writes, with its NUL. */
#define CP_TIME_LEN 32

/* "2026-11-28T15:00:00Z" (UTC, whole seconds).  Returns the length, or
 * -ERANGE outside years 0000..9999 (buf is then ""). */
int cp_time_format(cp_utc_t t, char buf[CP_TIME_LEN]);

/*
 * The one date-time parser of the binary: every OCPP timestamp (the schema's
 * "date-time" format, ReserveNow expiryDate, BootNotification currentTime,
 * charging profile times) is read here, so a text one message accepts is
 * accepted, with the same instant, by every other.
 *
 * Grammar: RFC 3339 5.6 date-time, read as liberally as the central system's
 * own schema validator (ajv-formats 2.1) accepts it, so the station never
 * refuses a timestamp its peer considers valid:
 *   YYYY-MM-DD, then 'T' / 't' / one ASCII white space,
 *   hh:mm:ss, optional fraction '.' digits (any number; cp_time_parse drops
 *   it: OCPP times are whole seconds),
 *   zone 'Z' / 'z' / +hh:mm / +hhmm / +hh (and '-'), or none at all (read
 *   as UTC: OCPP-J peers send UTC; a missing zone is taken to mean it).
 * Calendar-checked (Feb 29 only in leap years); 23:59:60 (a leap second,
 * RFC 3339 5.7) is read as 23:59:59.  Any four-digit year; the offset is
 * applied as written.  Callers with a narrower instant range (smart
 * charging: 1970..9999 UTC) check it on the result.
 * Returns 0 or -EINVAL (s NULL, bad syntax, no such date).  out may be NULL
 * (syntax check only).
 */
int cp_time_parse(const char *s, cp_utc_t *out);
/* The same grammar, the instant in milliseconds since the epoch (the
 * fraction's first three digits kept): for comparing clocks. */
int cp_time_parse_ms(const char *s, int64_t *out_ms);

#endif
