/*
 * grid.h - live grid data for active load balancing: the meter at the
 * grid connection, read over DSMR P1 (a serial port) or Modbus TCP, turned
 * into the station's budget per grid phase (smartcharging/alb.c); and an
 * energy management system (EMS) that writes each socket's maximum current
 * over Modbus TCP, the station being the slave (hw/ems.c, README "EMS").
 *
 * The sources' I/O (hw/p1_serial.c, hw/mb_meter.c, hw/ems_server.c) never
 * blocks.  Their descriptors are watched by the event loop: a dup() of each
 * is adopted into libwebsockets, so that input is handled the moment it
 * arrives (a meter change reaches the offer in the same turn of the loop,
 * docs/balancing.md).  The sources replace their descriptors on every
 * reconnect, reopen, accept or close; after each of their events the set is
 * compared and a changed one re-adopted.  Watching a dup means lws closing
 * its copy and a source closing its own never close the other's.  Their
 * timers (polls, timeouts, back-off) run from the driver tick, every
 * CP_HW_TICK_MS of station time, which also looks at the descriptors
 * without blocking in case an event was missed.
 */
#ifndef ST_GRID_H
#define ST_GRID_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "cp_time.h"
#include "hw/ems.h"
#include "hw/ems_server.h"
#include "hw/mb_meter.h"
#include "hw/p1_serial.h"
#include "smartcharging/sc_alb.h"

struct station;

/* Watched descriptors: P1, the Modbus meter, the EMS listener and masters. */
#define ST_GRID_WATCH (2 + 1 + CP_MAX_EMS_MASTERS)
struct st_grid_watch {
	struct station *s;
	int slot;
	int fd;			/* the source's descriptor we watch a dup of; -1 none */
	struct lws *wsi;
};
extern const struct lws_protocols st_grid_protocol;

enum st_grid_source {
	ST_GRID_OFF = 0,	/* no active load balancing */
	ST_GRID_P1,		/* DSMR P1 on ALB-P1Device */
	ST_GRID_MODBUS,		/* a Modbus TCP meter */
	ST_GRID_NONE,		/* ALB on, no usable source configured: safe */
};

struct st_grid {
	enum st_grid_source source;
	struct sc_alb_config cfg;
	struct sc_alb_state alb;
	struct p1_port p1;
	struct mb_meter mb;
	uint32_t mb_seen;		/* mb polls_ok already applied */
	cp_mono_t p1_prev;		/* the telegram before the last */
	/* What the control cycle uses (st_grid_tick). */
	enum sc_alb_mode mode;
	int32_t budget_ma[3];
	bool logged_safe;
	/* The EMS slave (MbsSlaveTCPIP). */
	bool ems_on;
	struct ems_server ems_srv;
	struct ems_state ems_st;
	struct ems_snapshot ems_snap;
	int32_t ems_limit_ma[CP_MAX_CONNECTORS];	/* applied per socket; -1 none */
	bool ems_safe[CP_MAX_CONNECTORS];		/* no fresh setpoint */
	struct st_grid_watch watch[ST_GRID_WATCH];
};

struct station;
struct lws;


/* (Re)starts the source the configuration names. */
void st_grid_configure(struct station *s);
/* From the driver tick: I/O, the own current, the budget; marks the
 * station dirty when the budget or the mode changed. */
void st_grid_tick(struct station *s);
/* True while active load balancing sets a budget; budget_ma per grid phase. */
bool st_grid_budget(const struct station *s, int32_t budget_ma[3], bool *safe);
/* True while an EMS limits connector i (MbsSlaveTCPIPMode socket): its
 * fresh setpoint, or Safe-MaxCurrent without one (*safe). */
bool st_grid_ems_limit(const struct station *s, int connector, int32_t *ma, bool *safe);
/* True while an EMS sets the Smart Charging Network's budget
 * (MbsSlaveTCPIPMode SCN, registers 1417..1421): per phase, or *safe when
 * its setpoints expired (the network then uses SCN-TotalSafeCurrent). */
bool st_grid_ems_scn_budget(const struct station *s, int32_t budget_ma[3], bool *safe);
void st_grid_status_json(struct station *s, cJSON *out);
void st_grid_close(struct station *s);

#endif
