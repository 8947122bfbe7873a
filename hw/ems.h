/*
 * ems.h - the station as a Modbus TCP slave for an energy management system
 * (EMS): the register table of the NG9xx-compatible EMS map, pure (no I/O,
 * no clock; the time is passed in).
 *
 * Holding registers, functions 0x03 (read), 0x06 (write one register) and
 * 0x10 (write several).  Floats are IEEE 754 big endian, high word first;
 * f64 the same over four registers; strings two ASCII characters per
 * register, first in the high byte, NUL padded.
 *
 * Unit 1..n (socket n):
 *	306 308 310	voltage L1..L3 (V)			f32  R
 *	320 322 324	current L1..L3 (A)			f32  R
 *	338 340 342 344	real power L1..L3, sum (W)		f32  R
 *	374		energy delivered (Wh)			f64  R
 *	1201..1205	Mode 3 state (IEC 61851-1), e.g. "C2"	str  R
 *	1206		applied max current (A)			f32  R
 *	1208		validity left of the setpoint (s)	u32  R
 *	1210		max current setpoint (A)		f32  R/W
 *	1215		phases (1 or 3)				u16  R
 * Unit 200 (station):
 *	1100		station active max current (A)		f32  R
 *	1105		number of sockets			u16  R
 *	1405 1407 1409	SCN consumption L1..L3 (A)		f32  R
 *	1417 1419 1421	SCN max current L1..L3 (A)		f32  R/W (SCN mode)
 *	1429		SCN safe current (A)			f32  R
 *
 * The map is made of blocks: 300..425 and 1200..1215 on a socket unit,
 * 1100..1105 and 1400..1431 on unit 200.  A read may cover any part of one
 * block; registers in it with nothing to show (a gap, a value the station
 * does not have) read 0xFFFF, so an unavailable float reads as NaN.
 *
 * Answers (Modbus Application Protocol V1.1b §7), checked in this order:
 *	0x0B  unit id other than 1..n_sockets and 200
 *	0x01  function other than 0x03, 0x06, 0x10
 *	0x03  quantity outside 1..125 (read) / 1..123 (write), byte count wrong
 *	0x02  a register outside one block; a write touching a read-only
 *	      register or only part of a float (so 0x06 never writes a
 *	      float); the SCN registers while the mode is not SCN
 *	0x03  a value written that is NaN, infinite, negative or above the
 *	      limit (the socket's max_ma, the station's scn_max_ma)
 * A refused write changes nothing, not even the registers of the same
 * request that were fine.  A written setpoint holds until now + the
 * validity (MbsSlaveTCPIPValidityTime); reading 1210 after that gives NaN
 * and 1208 gives 0.
 */
#ifndef HW_EMS_H
#define HW_EMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "hw/mb_map.h"

#define EMS_UNIT_STATION 200
/* "Not available": reads as 0xFFFF registers (NaN for a float). */
#define EMS_NA INT32_MIN
#define EMS_NA64 INT64_MIN
/* The Mode 3 state string: five registers. */
#define EMS_MODE3_LEN 10

enum ems_mode { EMS_MODE_OFF, EMS_MODE_SOCKET, EMS_MODE_SCN };

/* What the station shows; filled by the station every cycle.  Any value
 * may be EMS_NA; an empty mode3 is unavailable. */
struct ems_socket {
	int32_t max_ma;			/* hardware max: setpoints above are refused */
	int32_t applied_ma;		/* 1206 */
	int32_t voltage_mv[3];		/* 306.. */
	int32_t current_ma[3];		/* 320.. */
	int32_t power_w[3];		/* 338..; 344 is their sum */
	int64_t energy_wh;		/* 374 */
	char mode3[EMS_MODE3_LEN + 1];	/* 1201.. */
	int32_t phases;			/* 1215 */
};

struct ems_station {
	int n_sockets;			/* 1105; socket units are 1..n_sockets */
	enum ems_mode mode;
	int32_t max_ma;			/* 1100 */
	int32_t scn_consumption_ma[3];	/* 1405.. */
	int32_t scn_safe_ma;		/* 1429 */
	int32_t scn_max_ma;		/* SCN setpoints above are refused */
};

struct ems_snapshot {
	struct ems_station station;
	struct ems_socket sock[CP_MAX_CONNECTORS];
};

/* Everything EMS_NA, one socket, mode off. */
void ems_snapshot_init(struct ems_snapshot *s);

struct ems_setpoint {
	bool set;
	int32_t ma;
	cp_mono_t until;
};

/* The setpoints an EMS wrote, each with its expiry. */
struct ems_state {
	int64_t validity_ms;		/* MbsSlaveTCPIPValidityTime */
	struct ems_setpoint sock[CP_MAX_CONNECTORS];
	struct ems_setpoint scn[3];
};

/* No setpoint; validity_ms > 0. */
void ems_state_init(struct ems_state *st, int64_t validity_ms);

/* Reads count registers from addr of a unit into regs.  The setpoint
 * registers (1208, 1210, 1417..) come from st at now (st may be NULL: they
 * read as unavailable).  Returns 0 or an exception code. */
int ems_read(const struct ems_snapshot *snap, const struct ems_state *st, cp_mono_t now,
	     uint8_t unit, uint16_t addr, uint16_t count, uint16_t *regs);

/* Writes count registers (one request: a float must be whole in it).
 * Returns 0 (every value stored, valid until now + validity_ms) or an
 * exception code (nothing stored). */
int ems_write(struct ems_state *st, const struct ems_snapshot *snap, uint8_t unit,
	      uint16_t addr, uint16_t count, const uint16_t *regs, cp_mono_t now,
	      int64_t validity_ms);

/* Whether a socket unit (1..) has a setpoint still valid at now; *ma gets
 * it (may be NULL). */
bool ems_setpoint(const struct ems_state *st, int unit, cp_mono_t now, int32_t *ma);
/* The same for the SCN max current of a phase (0..2). */
bool ems_scn_setpoint(const struct ems_state *st, int phase, cp_mono_t now, int32_t *ma);
/* The earliest expiry of a valid setpoint, for the caller's timer;
 * INT64_MAX when none. */
cp_mono_t ems_next_expiry(const struct ems_state *st, cp_mono_t now);

/* One request ADU (a whole frame, len from mb_adu_length) through the
 * table, with st->validity_ms: writes the answer ADU into rsp and returns
 * its length, or -EBADMSG when req is not a whole Modbus TCP frame. */
int ems_handle(struct ems_state *st, const struct ems_snapshot *snap, cp_mono_t now,
	       const uint8_t *req, size_t len, uint8_t rsp[MB_MAX_ADU]);

#endif
