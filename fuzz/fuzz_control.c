/*
 * fuzz_control.c - libFuzzer target: control socket request lines (the
 * envelope of station/control.c and the command table of station/ctl_cmds.c)
 * on a whole station with the simulated hardware (fuzz_station.h).
 *
 * Input: request lines, in order, on one fresh station.  Every reply must
 * keep control.h's contract ({"ok":true,...} or {"ok":false,"error":...})
 * and everything the station sends over OCPP as a consequence must pass its
 * schema.
 */
#include <stdint.h>

#include "fuzz/fuzz_station.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_line(void *ctx, const char *line, size_t len)
{
	fz_station_control(ctx, line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct station *s = fz_station_open();

	fz_lines(data, size, one_line, s);
	fz_station_close(s);
	return 0;
}
