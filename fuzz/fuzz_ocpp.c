/*
 * fuzz_ocpp.c - libFuzzer target: OCPP-J text messages from the central
 * system into a whole station (fuzz_station.h): frame parse, RPC session,
 * schema validation, the real action table of station/handlers.c, the
 * connectors, the sender and smart charging.
 *
 * Input: lines, one message each, in order, on one fresh station.  A line
 * starting with "ctl " is a control socket request instead (plug a car,
 * present a tag), so that sequences like plug -> RemoteStartTransaction ->
 * SetChargingProfile -> GetCompositeSchedule are reachable; "tick <ms>" lets
 * station time pass (timers, retries, call timeouts); "close" and "open"
 * drop and restore the connection (offline queueing, OCPP 1.6 §4.7).  The station's
 * first CALL is BootNotification with id "00000000-1".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_station.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one_line(void *ctx, const char *line, size_t len)
{
	struct station *s = ctx;

	if (len == 5 && memcmp(line, "close", 5) == 0) {
		st_sender_on_close(s);		/* the websocket dropped */
	} else if (len == 4 && memcmp(line, "open", 4) == 0) {
		if (!s->online)
			st_sender_on_open(s);	/* and came back */
	} else if (len >= 5 && memcmp(line, "tick ", 5) == 0) {
		char num[16];
		size_t n = len - 5 < sizeof(num) - 1 ? len - 5 : sizeof(num) - 1;

		memcpy(num, line + 5, n);
		num[n] = '\0';
		fz_station_tick(s, strtol(num, NULL, 10));
	} else if (len >= 4 && memcmp(line, "ctl ", 4) == 0)
		fz_station_control(s, line + 4, len - 4);
	else
		fz_station_ocpp(s, line, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct station *s = fz_station_open();

	fz_lines(data, size, one_line, s);
	fz_station_close(s);
	return 0;
}
