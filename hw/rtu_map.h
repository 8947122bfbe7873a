/*
 * rtu_map.h - Modbus RTU frames and the register maps of socket energy
 * meters, all pure: no I/O, no clock, no allocation.  The bus master that
 * sends these frames is hw/rtu.h.
 *
 * Frames (Modbus over Serial Line V1.02 §2.5.1): an RTU frame is the
 * slave address, the PDU (Modbus Application Protocol V1.1b) and a CRC-16
 * sent low byte first.  The station reads with function 0x03 (holding
 * registers) or 0x04 (input registers), §6.3 and §6.4 of the application
 * protocol:
 *
 *	request   addr fn  start(2) count(2) crc(2)          8 bytes
 *	answer    addr fn  bytes=2*count data(2*count) crc   5 + 2*count
 *	exception addr fn|0x80 code crc                      5 bytes
 *
 * RTU marks the end of a frame with 3.5 characters of silence, which a
 * program on a general-purpose kernel cannot time; the answer to a read
 * has a length its third byte gives, so rtu_answer_length() finds the end
 * from the bytes instead (the silence still separates requests: hw/rtu.c).
 *
 * Maps.  A meter map is the list of fields a poll reads: per-phase current
 * and voltage, the total active power and the active import energy
 * register, each an mb_reg_spec (hw/mb_map.h: "register,type,scale", the
 * grammar of the custom map keys).  Scales give amperes, volts, watts and
 * kilowatt-hours.  rtu_map_plan() turns a map into read requests (fields
 * sorted, neighbours merged where the map allows) and rtu_map_reading()
 * the answered registers into a reading.
 *
 * Errors are negative errno values: -EINVAL (bad argument or map),
 * -ERANGE (a value NaN, infinite or out of range), -EBADMSG (a frame that
 * is not the answer asked for, its CRC included).
 */
#ifndef HW_RTU_MAP_H
#define HW_RTU_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/mb_map.h"

/* Modbus over Serial Line V1.02 §2.5.1: at most 256 bytes a frame. */
#define RTU_MAX_ADU 256
#define RTU_REQ_LEN 8
#define RTU_FN_READ_HOLDING 0x03
#define RTU_FN_READ_INPUT 0x04
/* Unit (slave) addresses a master may poll: 0 is broadcast (no answer),
 * 248..255 are reserved (Modbus over Serial Line V1.02 §2.2). */
#define RTU_UNIT_MIN 1
#define RTU_UNIT_MAX 247

/* CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF) over n bytes
 * (Modbus over Serial Line V1.02 §6.2.2). */
uint16_t rtu_crc16(const uint8_t *p, size_t n);

/* Writes the 8-byte read request (fn 0x03 or 0x04); RTU_REQ_LEN or
 * -EINVAL (unit outside 1..247, count outside 1..MB_MAX_READ, a register
 * range past 65535, another function). */
int rtu_read_request(uint8_t out[RTU_REQ_LEN], uint8_t unit, uint8_t fn,
		     uint16_t addr, uint16_t count);

/* Where the answer to a read with function fn at the start of buf ends:
 * 0 while incomplete, else its length (5 for an exception, 5 + the byte
 * count otherwise).  -EBADMSG when its first bytes cannot start that
 * answer (another function code, or a byte count that is odd or above
 * 2 * MB_MAX_READ): the caller waits for the line to go quiet. */
int rtu_answer_length(const uint8_t *buf, size_t len, uint8_t fn);

/* Checks a whole answer (length from rtu_answer_length) to the request
 * (unit, fn, count registers) and copies the registers into regs (high
 * byte first, as sent).  0, the exception code (1..255) of an exception
 * answer, or -EBADMSG (CRC, unit, function or byte count wrong). */
int rtu_read_answer(const uint8_t *adu, size_t len, uint8_t unit, uint8_t fn,
		    uint16_t count, uint16_t *regs);

/* ------------------------------------------------------------------ maps */

enum rtu_quantity {
	RTU_Q_CURRENT,		/* per phase, A: signed when the type is */
	RTU_Q_VOLTAGE,		/* per phase, V */
	RTU_Q_POWER,		/* total active power, W (phase ignored) */
	RTU_Q_ENERGY,		/* active import energy register, kWh (phase ignored) */
};

struct rtu_field {
	struct mb_reg_spec spec;
	enum rtu_quantity q;
	int phase;		/* 0..2 = L1..L3 */
};

/* Three currents, three voltages, power, energy. */
#define RTU_MAP_MAX_FIELDS 8

struct rtu_map {
	uint8_t fn;		/* RTU_FN_READ_HOLDING or RTU_FN_READ_INPUT */
	struct rtu_field field[RTU_MAP_MAX_FIELDS];
	int n;
	/* Registers between two fields one read may span (and ignore): only
	 * where the meter is known to define them, else it answers exception
	 * 0x02.  0 for custom maps. */
	uint16_t max_gap;
};

enum rtu_model { RTU_MODEL_SDM630, RTU_MODEL_ABB_B23, RTU_MODEL_CUSTOM };

/* The custom map's specs, as the Meter-CustomMap-* keys give them.  An
 * unset one (has_* false) is not read: a one-phase meter has only L1. */
struct rtu_custom {
	uint8_t fn;
	bool has_current[3], has_voltage[3], has_power, has_energy;
	struct mb_reg_spec current[3], voltage[3], power, energy;
};

/* The map of a model; custom is read only for RTU_MODEL_CUSTOM, which
 * needs the energy register and the current of L1 (MeterValues and the
 * overcurrent monitor depend on them).  0 or -EINVAL with a sentence in
 * why (may be NULL). */
int rtu_map_preset(enum rtu_model model, const struct rtu_custom *custom,
		   struct rtu_map *out, char *why, size_t whylen);


/* One poll: the reads a map needs and, once answered, their registers
 * (regs[i][k] is register read[i].addr + k). */
struct rtu_poll {
	int n;
	struct mb_read_req read[RTU_MAP_MAX_FIELDS];
	uint16_t regs[RTU_MAP_MAX_FIELDS][MB_MAX_READ];
};

/* Fills p->read and p->n with mb_plan_reads (mb_map.h).  0 or -EINVAL. */
int rtu_map_plan(const struct rtu_map *map, struct rtu_poll *p);

struct rtu_reading {
	int32_t current_ma[3];
	int32_t voltage_mv[3];
	bool has_power;
	int32_t power_w;
	int64_t energy_wh;	/* active import register */
};

/* Decodes every field of map from p (planned for this map and answered).
 * Fields the map lacks read 0.  0, -ERANGE (a value not representable or
 * a negative energy register) or -EINVAL; *out filled only on success. */
int rtu_map_reading(const struct rtu_map *map, const struct rtu_poll *p,
		    struct rtu_reading *out);

#endif
