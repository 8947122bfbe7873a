/*
 * meters.h - the socket energy meters of `--hw linux`: one Modbus RTU meter
 * per socket on the RS-485 bus the Meter-* keys describe (hw/rtu.h, wiring
 * in hw/README.md).  Their readings are the socket's meter
 * (hw_station_set_meter): MeterValues, meterStart / meterStop, the
 * overcurrent monitor and the balancing draw all read them from the
 * driver's status.
 *
 * The bus runs on real time (a serial line is not sped up by
 * --time-scale): its own timer, armed for rtu_bus_next_deadline, and its
 * device watched by the event loop through a dup() adopted into
 * libwebsockets, as station/grid.c watches the grid meters.
 *
 * A meter that fails (RTU_FAIL_AFTER polls in a row without a reading)
 * faults its socket with HW_FAULT_METER, which the connector reports as
 * Faulted / PowerMeterFailure (OCPP 1.6 §7.6 ChargePointErrorCode) with the
 * info "meter unit N not answering"; the fault goes by itself with the
 * next reading.  Until the first reading after a start the socket shows
 * the register stored at the last shutdown, so meterStart never goes back.
 * The simulator (--hw sim) has its own meter: nothing here runs.
 */
#ifndef ST_METERS_H
#define ST_METERS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "cp_limits.h"
#include "hw/rtu.h"

struct station;

struct st_meters {
	bool on;				/* the bus runs */
	bool seeded;				/* stored registers restored */
	struct rtu_bus bus;
	int index[CP_MAX_CONNECTORS + 1];	/* socket -> bus meter; -1 none */
	uint32_t seen[CP_MAX_CONNECTORS + 1];	/* meter seq applied */
	bool fault[CP_MAX_CONNECTORS + 1];	/* a meter fault is set on the socket */
	bool went_back[CP_MAX_CONNECTORS + 1];	/* a lower register was logged */
	char unusable[64];			/* why the configuration gives no bus */
	/* the event loop */
	struct station *s;
	int watch_fd;				/* the bus descriptor a dup of which is watched */
	struct lws *wsi;
	lws_sorted_usec_list_t sul;
};

extern const struct lws_protocols st_meters_protocol;

/* (Re)starts the bus from the Meter-* keys (at start and on a change). */
void st_meters_configure(struct station *s);
/* status: the "meter" object of connector i (source, ok, age_ms, ...). */
void st_meters_status_json(struct station *s, int connector, cJSON *conn);
/* The socket meter's own total active power (W) when it has a live
 * reading with one: MeterValues' Power.Active.Import then is what the
 * meter measured (power factor included), not current x voltage. */
bool st_meters_power(struct station *s, int connector, int32_t *watts);
void st_meters_close(struct station *s);

#endif
