/*
 * fuzz_station.h - a whole station for the fuzz targets: the real handler
 * table, connectors, sender, smart charging and configuration on a private
 * in-memory SQLite database and the simulated hardware, with no network.
 *
 * The transport of the RPC session is a sink that checks every frame the
 * station sends: a CALL must pass its Action.req schema, a CALLRESULT the
 * .conf schema of the action it answers, a CALLERROR must carry a wire code.
 * A frame that fails is a bug of ours, so the harness aborts (OCPP-J 1.6
 * section 4: the central system may drop the connection over it).
 */
#ifndef FUZZ_STATION_H
#define FUZZ_STATION_H

#include <stddef.h>
#include <stdint.h>

#include "station/station.h"

/* Opens a fresh station: boot not yet accepted, online, the BootNotification
 * just sent as message id "00000000-1".  Aborts when the set-up fails (that
 * is the harness's own invariant, not an input's). */
struct station *fz_station_open(void);
/* Frees everything fz_station_open and the inputs allocated. */
void fz_station_close(struct station *s);

/* One text message from the central system, as the websocket layer hands it
 * over (then the sender pump runs, as in the daemon). */
void fz_station_ocpp(struct station *s, const char *text, size_t len);
/* One control socket line (without its newline). */
void fz_station_control(struct station *s, const char *line, size_t len);

/* Station time passes: ms milliseconds (clamped to 1 ms .. 7 days) are
 * added to the station clock, the outstanding CALL times out when its
 * deadline has passed, and the station timers that are due fire through the
 * daemon's own path (loop.c via one libwebsockets service pass). */
void fz_station_tick(struct station *s, long ms);

/* The last CALLRESULT or CALLERROR the station sent (valid until the next
 * one), "" if none;
 * the regression tests of tests/test_station_inputs.c read the answers. */
const char *fz_station_last_reply(void);
/* The last CALL the station sent, the same way. */
const char *fz_station_last_call(void);

/* Calls fn for every line of data (split at '\n'; the last line needs no
 * newline).  Bounded by FZ_MAX_LINES so that one input stays fast. */
#define FZ_MAX_LINES 64
void fz_lines(const uint8_t *data, size_t size,
    void (*fn)(void *ctx, const char *line, size_t len), void *ctx);

#endif
