/*
 * scn.h - the Smart Charging Network: stations on one LAN share one grid
 * connection (docs/scn.md).  What one member announces, as the frame codec
 * (frame.c) decodes it and the view (view.c) keeps it.  Pure types: no I/O.
 */
#ifndef ST_SCN_H
#define ST_SCN_H

#include <stdbool.h>
#include <stdint.h>

#include "cp_limits.h"

/* SCN-NetworkName: 1..7 of A-Z 0-9. */
#define SCN_NAME_MAX 7
/* Socket ids are SCN-SocketID + k; at most CP_MAX_SCN_SOCKETS in a network. */
#define SCN_NO_SOCKET 0xffff

/* One socket of a member, as it announces it. */
struct scn_socket_info {
	uint16_t id;			/* SCN-SocketID + k */
	uint8_t phase_map;		/* SCN-PhaseMapping 1..9 (1=L1 ... 9=L3L2L1) */
	uint8_t ev_phases;		/* phases the EV draws on: 0 unknown, 1..3 */
	bool in_use;			/* an EV connected and allowed to charge */
	int32_t min_ma;			/* the EV's minimum (6 A, or 14 A) */
	int32_t max_ma;			/* the socket's own maximum (connector, cable) */
	int32_t draw_ma[3];		/* what it draws per grid phase */
	int32_t setpoint_ma;		/* what it offers now */
};

/* A share the network's allocator hands out: socket id and its setpoint. */
struct scn_share {
	uint16_t id;
	int32_t ma;
};

/* One announcement (one frame). */
struct scn_announce {
	char network[SCN_NAME_MAX + 1];	/* NUL-terminated */
	uint32_t member;		/* the sender's member id (random, fixed per run) */
	uint32_t seq;			/* per sender, +1 per frame */
	uint32_t epoch;			/* the sender's view epoch (view.c) */
	int32_t station_max_ma;		/* the sender's Station-MaxCurrent */
	bool has_budget;		/* it reads the meter / is written by the EMS */
	bool budget_safe;		/* ... and lost that source: the total safe current */
	int32_t budget_ma[3];		/* the network budget per grid phase */
	uint8_t n_sockets;		/* 0..CP_MAX_CONNECTORS */
	struct scn_socket_info sock[CP_MAX_CONNECTORS];
	/* From the allocator (the live member with the lowest member id,
	 * docs/scn.md): every socket's share of the network. */
	bool has_alloc;
	uint8_t n_alloc;		/* 0..CP_MAX_SCN_SOCKETS */
	struct scn_share alloc[CP_MAX_SCN_SOCKETS];
};

#endif
