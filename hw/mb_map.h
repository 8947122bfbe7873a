/*
 * mb_map.h - Modbus register codec, meter register maps and Modbus TCP
 * frames (MBAP), all pure: no I/O, no clock, no allocation.
 *
 * Values.  A meter quantity is one to four 16-bit holding registers read
 * with function 0x03 (Modbus Application Protocol V1.1b §6.3).  Words are
 * big endian and the high word comes first, as meters send them:
 *
 *	u16/s16  1 register      u32/s32/f32  2 registers      u64/s64  4
 *
 * mb_reg_decode() turns the registers times the spec's scale times a
 * multiplier into an int32 rounded to nearest (halves away from zero):
 * with multiplier 1000 and a scale that gives amperes the result is mA.
 * Integer types are computed exactly (the scale is kept as a decimal
 * mantissa and exponent, never as a binary fraction).
 *
 * Map specs.  The vendor configuration keys MBTCPSmart-CustomMap-L1/-L2/-L3
 * hold "register,type,scale", e.g. "50528,u32,0.001":
 *	register  decimal 0..65535 or hexadecimal 0x0..0xFFFF; the value's last
 *	          register must be at most 65535 too
 *	type      u16 s16 u32 s32 u64 s64 f32 (any case)
 *	scale     a decimal number, optional sign, no exponent, at most 18
 *	          significant digits and 18 decimals, not zero (a negative scale
 *	          turns a reversed current transformer around)
 * Blanks around each field are allowed.  mb_map_parse() says why a text is
 * refused in words fit for a ChangeConfiguration log line; mb_map_format()
 * writes the canonical form ("50528,u32,0.001": decimal register, lower
 * case type, scale without trailing zeros), which parses back to a spec
 * of the same value that formats the same.
 *
 * Maps and polls.  A map is the list of fields a poll reads (a field is a
 * spec, a quantity and a phase).  mb_map_preset() gives the Socomec Countis
 * E23/E24/E27/E28 map (per-phase voltage 0xC558.. in 0.01 V and current
 * 0xC560.. in mA, both u32) or a custom map from three current specs.
 * mb_map_plan() turns a map into read requests, coalescing fields whose
 * registers touch or overlap -- or, where the map allows it, lie at most
 * max_gap registers apart -- into one read of at most MB_MAX_READ
 * registers; the caller fills each request's registers and
 * mb_map_reading() turns them into a reading.
 *
 * Frames.  Modbus TCP application data units (Modbus Messaging on TCP/IP
 * Implementation Guide V1.0b §3.1.3): a 7-byte MBAP header (transaction id,
 * protocol id 0, length of what follows, unit id) and the PDU.
 * mb_adu_length() finds where a frame ends in a byte stream, so a reader
 * can buffer partial frames and never wait for the rest.
 *
 * Errors are negative errno values: -EINVAL (bad argument or spec),
 * -ERANGE (value not representable: NaN, infinity, beyond int32),
 * -EBADMSG (a frame that is not the answer asked for).
 */
#ifndef HW_MB_MAP_H
#define HW_MB_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Registers in one read (function 0x03) and one write (0x10): the
 * quantities Modbus Application Protocol V1.1b §6.3 and §6.12 allow. */
#define MB_MAX_READ 125
#define MB_MAX_WRITE 123
/* MBAP header and the largest ADU (7 + 253-byte PDU). */
#define MB_MBAP_LEN 7
#define MB_MAX_ADU 260
/* A read-holding-registers request ADU. */
#define MB_READ_REQ_LEN 12
/* Exception codes (Modbus Application Protocol V1.1b §7). */
#define MB_EX_ILLEGAL_FUNCTION 0x01
#define MB_EX_ILLEGAL_ADDRESS 0x02
#define MB_EX_ILLEGAL_VALUE 0x03
#define MB_EX_DEVICE_FAILURE 0x04
#define MB_EX_GATEWAY_TARGET 0x0B

enum mb_type { MB_U16, MB_S16, MB_U32, MB_S32, MB_U64, MB_S64, MB_F32 };

/* scale = mant / 10^exp10 (mant != 0, 0 <= exp10 <= 18). */
struct mb_reg_spec {
	uint16_t reg;
	enum mb_type type;
	int64_t mant;
	int exp10;
};

/* Registers a type occupies (1, 2 or 4); 0 for an unknown type. */
int mb_type_regs(enum mb_type t);
/* "u16" .. "f32"; NULL for an unknown type. */
const char *mb_type_name(enum mb_type t);

/* *out = round(value(regs) * scale * mult).  regs holds mb_type_regs()
 * registers.  0, -ERANGE (NaN, infinity, beyond int32), -EINVAL (bad
 * spec).  *out is untouched on error. */
int mb_reg_decode(const struct mb_reg_spec *spec, const uint16_t *regs,
		  int32_t mult, int32_t *out);
/* The same into an int64, for energy registers (Wh of a u64 in 0.01 kWh):
 * -ERANGE beyond +-2^62. */
int mb_reg_decode64(const struct mb_reg_spec *spec, const uint16_t *regs,
		    int32_t mult, int64_t *out);

/* Room for the text mb_map_format writes, with its NUL: the longest is
 * 31 characters ("65535,u16,-0.123456789012345678"). */
#define MB_SPEC_TEXT 40
/* Parses s (NUL-terminated) into *out (may be NULL: check only).  Returns 0
 * or -EINVAL with a sentence in why (always NUL-terminated when whylen >
 * 0; why may be NULL). */
int mb_map_parse(const char *s, struct mb_reg_spec *out, char *why, size_t whylen);
/* Canonical text of a spec; returns its length or -EINVAL. */
int mb_map_format(const struct mb_reg_spec *spec, char buf[MB_SPEC_TEXT]);

/* MB_Q_POWER: a phase's active power, read for its sign only: a meter
 * whose currents are unsigned shows export (PV) as negative power. */
enum mb_quantity { MB_Q_CURRENT, MB_Q_VOLTAGE, MB_Q_POWER };

struct mb_field {
	struct mb_reg_spec spec;
	enum mb_quantity q;
	int phase;		/* 0..2 = L1..L3 */
};

/* Fields in a map: current, voltage and power of three phases. */
#define MB_MAP_MAX_FIELDS 9

struct mb_map {
	struct mb_field field[MB_MAP_MAX_FIELDS];
	int n;
	/* Registers between two fields that one read may span (and ignore):
	 * only where the device is known to define them, else a read would
	 * be answered with exception 0x02.  0 for custom maps. */
	uint16_t max_gap;
};

enum mb_model { MB_MODEL_SOCOMEC, MB_MODEL_CUSTOM };

/* The map of a model.  custom (three current specs, L1..L3) is read only
 * for MB_MODEL_CUSTOM.  0 or -EINVAL. */
int mb_map_preset(enum mb_model model, const struct mb_reg_spec custom[3],
		  struct mb_map *out);

struct mb_read_req {
	uint16_t addr;
	uint16_t count;		/* 1..MB_MAX_READ */
};

/* Most fields one plan takes: the largest map (the grid meter's). */
#define MB_PLAN_MAX_FIELDS MB_MAP_MAX_FIELDS

/*
 * The reads that fetch n register fields (n <= MB_PLAN_MAX_FIELDS): sorted
 * by register, neighbours whose registers touch, overlap or lie at most
 * max_gap apart read together while a read stays within MB_MAX_READ.
 * Writes at most max_reads reads and returns their number, or -EINVAL.
 * The grid meter's maps (mb_map_plan) and the socket meters' (rtu_map_plan)
 * share it.
 */
int mb_plan_reads(const struct mb_reg_spec *const *specs, int n, uint16_t max_gap,
		  struct mb_read_req *reads, int max_reads);

/* One poll: the reads a map needs and, once answered, their registers
 * (regs[i][k] is register req[i].addr + k).  Each field lies inside one
 * read, so there are at most as many reads as fields. */
struct mb_poll {
	int n;
	struct mb_read_req req[MB_MAP_MAX_FIELDS];
	uint16_t regs[MB_MAP_MAX_FIELDS][MB_MAX_READ];
};

/* Fills p->req and p->n (the registers are left alone): fields sorted by
 * register, neighbours whose registers touch, overlap or lie at most
 * map->max_gap apart read together while the read stays within
 * MB_MAX_READ.  0 or -EINVAL (empty or bad map). */
int mb_map_plan(const struct mb_map *map, struct mb_poll *p);

struct mb_reading {
	int32_t current_ma[3];	/* signed when the type is */
	bool has_voltage;
	int32_t voltage_mv[3];
};

/* Decodes every field of map from p (planned for this map and answered).
 * 0, -ERANGE (a value not representable) or -EINVAL; *out is filled only
 * on success.  A map without current fields for every phase gives 0 mA. */
int mb_map_reading(const struct mb_map *map, const struct mb_poll *p,
		   struct mb_reading *out);

/* ------------------------------------------------------------- frames */

/* Length of the ADU at the start of buf: 0 while the header or the body is
 * still incomplete, else MB_MBAP_LEN + 1 .. MB_MAX_ADU.  -EBADMSG when the
 * header cannot start a frame (protocol id not 0, length field outside
 * 2..254): the stream has lost its framing. */
int mb_adu_length(const uint8_t *buf, size_t len);

/* Writes the 12-byte read-holding-registers request; returns its length. */
int mb_adu_read_request(uint8_t out[MB_READ_REQ_LEN], uint16_t tid, uint8_t unit,
			uint16_t addr, uint16_t count);

/* Checks a whole ADU (len from mb_adu_length) as the answer to the request
 * (tid, unit, count registers) and copies the registers into regs.
 * Returns 0, the exception code (1..255) of an exception response, or
 * -EBADMSG (another transaction, unit or function, a wrong byte count). */
int mb_adu_read_response(const uint8_t *adu, size_t len, uint16_t tid, uint8_t unit,
			 uint16_t count, uint16_t *regs);

/* Big-endian 16-bit access for frame builders. */
static inline uint16_t mb_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void mb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* f32/f64 to registers, high word first (for the EMS map and tests). */
void mb_put_f32(uint16_t regs[2], float f);
void mb_put_f64(uint16_t regs[4], double d);
float mb_get_f32(const uint16_t regs[2]);
double mb_get_f64(const uint16_t regs[4]);

#endif
