/*
 * ems_server.h - the EMS Modbus TCP slave's sockets (MbsSlaveTCPIP): a
 * listening socket and at most CP_MAX_EMS_MASTERS connected masters,
 * driven by the station's event loop, never blocking.  The register table
 * is ems.h; this file only moves frames.
 *
 *	ems_server_open(&srv, "0.0.0.0", 502);
 *	loop:
 *		n = ems_server_fds(&srv, fds);	   watch each for POLLIN (the set
 *						   changes after on_readable and
 *						   on_timer)
 *		poll timeout: ems_server_next_deadline(&srv) - now
 *		on POLLIN of fd: ems_server_on_readable(&srv, fd, now, &snap, &st)
 *		always:		 ems_server_on_timer(&srv, now)
 *	ems_server_close(&srv);
 *
 * A third master is accepted and closed at once (it sees the connection
 * end rather than hang in the listen queue), counted in refused.  A master
 * that sends no whole request for EMS_IDLE_MS (station time) is closed, as
 * is one that breaks the framing (mb_adu_length) or does not take its
 * answers (a full send buffer).  Every whole request is answered, in
 * order, by ems_handle() with the snapshot and setpoint store passed in;
 * the store is updated by writes.
 */
#ifndef HW_EMS_SERVER_H
#define HW_EMS_SERVER_H

#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "hw/ems.h"
#include "hw/mb_map.h"

/* An EMS writes its setpoint every few seconds; a minute of silence is a
 * master that has gone away without closing. */
#define EMS_IDLE_MS (60 * 1000)

struct ems_master {
	int fd;				/* -1: free slot */
	cp_mono_t last;			/* last whole request (or accept) */
	uint8_t rx[MB_MAX_ADU];
	int rx_len;
};

struct ems_server_counters {
	uint32_t requests;		/* answered */
	uint32_t exceptions;		/* of which exception responses */
	uint32_t refused;		/* connections beyond CP_MAX_EMS_MASTERS */
	uint32_t dropped;		/* masters closed by us (idle, framing, send) */
};

struct ems_server {
	void *ctx;			/* the libmodbus context owning the listen socket */
	int listen_fd;
	uint16_t port;
	struct ems_master m[CP_MAX_EMS_MASTERS];
	struct ems_server_counters cnt;
};

/* Listens on bind_addr (dotted IPv4; NULL or "0.0.0.0" for every address)
 * and port (0: any free port, see ems_server_port).  0, or -EINVAL (bad
 * address), -EADDRINUSE and the other errors of socket/bind/listen as
 * -errno.  srv is closed on error. */
int ems_server_open(struct ems_server *srv, const char *bind_addr, uint16_t port);
void ems_server_close(struct ems_server *srv);
uint16_t ems_server_port(const struct ems_server *srv);

/* The fds to watch for POLLIN: the listening socket first, then each
 * master.  Returns how many (0 when closed). */
int ems_server_fds(const struct ems_server *srv, int fds[1 + CP_MAX_EMS_MASTERS]);
/* Masters connected now. */
int ems_server_masters(const struct ems_server *srv);

void ems_server_on_readable(struct ems_server *srv, int fd, cp_mono_t now,
			    const struct ems_snapshot *snap, struct ems_state *st);
void ems_server_on_timer(struct ems_server *srv, cp_mono_t now);
/* When the next idle master is due to be closed; INT64_MAX when none. */
cp_mono_t ems_server_next_deadline(const struct ems_server *srv);

#endif
