/*
 * p1.h - the DSMR P1 smart-meter telegram parser (DSMR 5.0.2 P1 Companion
 * Standard), for active load balancing on the grid connection.  Pure: bytes
 * in, readings out; no I/O, no clock, no allocation.  The serial side is
 * hw/p1_serial.h.
 *
 * A telegram (P1 Companion Standard, representation of the P1 telegram):
 *
 *	/XXX5Ident CR LF CR LF
 *	OBIS(value*unit) CR LF		one line per data object
 *	...
 *	!CRC CR LF
 *
 * CRC is CRC-16/ARC (x^16+x^15+x^2+1, least significant bit first, no XOR in
 * or out) over every byte from "/" through "!", written as 4 hex digits,
 * most significant first (upper case; lower case is accepted too).
 * DSMR 2.2 and 3.0 meters send no CRC: their telegram ends at the "!" line.
 *
 * Bytes may arrive in any pieces.  Garbage before "/" is skipped.  A
 * telegram is dropped and counted, never returned, when:
 *   - its CRC is wrong or missing (crc_errors);
 *   - it grows past CP_MAX_P1_TELEGRAM bytes (oversize); the parser then
 *     waits for a "/" at the start of a line;
 *   - a "/" starts a line before its "!" (the meter restarted, or bytes
 *     were lost): the partial one counts as bad and the new one is read;
 *   - it is intact but unusable (bad): no current object, a 3-phase meter
 *     with a phase's current missing, or a malformed current or per-phase
 *     power value.
 * Unknown objects are ignored.  A malformed voltage, total power, version
 * or timestamp leaves that field absent; the reading is still returned.
 */
#ifndef HW_P1_H
#define HW_P1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_limits.h"

enum p1_mode {
	P1_DSMR45,	/* DSMR 4.x and 5.x: "!" is followed by the CRC */
	P1_DSMR23,	/* DSMR 2.2 and 3.0: no CRC, the telegram ends at "!" */
};

/* Bits of p1_reading.present: which objects the telegram carried.  Phase i
 * is 0..2 for L1..L3. */
#define P1_HAS_CURRENT(i)	(1u << (i))		/* 1-0:31/51/71.7.0 */
#define P1_HAS_DELIVERED(i)	(1u << (3 + (i)))	/* 1-0:21/41/61.7.0 */
#define P1_HAS_RETURNED(i)	(1u << (6 + (i)))	/* 1-0:22/42/62.7.0 */
#define P1_HAS_VOLTAGE(i)	(1u << (9 + (i)))	/* 1-0:32/52/72.7.0 */
#define P1_HAS_TOTAL_DELIVERED	(1u << 12)		/* 1-0:1.7.0 */
#define P1_HAS_TOTAL_RETURNED	(1u << 13)		/* 1-0:2.7.0 */
#define P1_HAS_VERSION		(1u << 14)		/* 1-3:0.2.8 */
#define P1_HAS_TIMESTAMP	(1u << 15)		/* 0-0:1.0.0 */

/* "50", "42": P1 version information is two digits; kept up to 7. */
#define P1_VERSION_LEN 8
/* YYMMDDhhmmssX (X = S summer, W winter): 13 characters; kept up to 15. */
#define P1_TIMESTAMP_LEN 16

/*
 * One accepted telegram.  Values are integers: amperes, kilowatts and volts
 * are sent with up to three decimals and are kept exactly (rounded half up
 * at the milli unit when a meter sends more).
 *
 * current_ma is signed.  The meter sends the magnitude (DSMR 5.0: whole
 * amperes, "(005*A)"; some meters add decimals, "(001.2*A)"); the sign
 * comes from the same phase's power: returned (22/42/62.7.0) greater than
 * delivered (21/41/61.7.0) is export, a negative current.  A 1-phase meter
 * without per-phase power objects uses its totals (1.7.0 / 2.7.0).  With no
 * power to tell, the current counts as drawn: for load balancing the
 * cautious side.
 */
struct p1_reading {
	int phases;			/* 1 (only L1 objects) or 3 */
	int32_t current_ma[3];		/* < 0 = export on that phase */
	int32_t delivered_w[3];		/* per-phase power delivered (+P) */
	int32_t returned_w[3];		/* per-phase power returned (-P) */
	int32_t voltage_mv[3];
	int32_t total_delivered_w;
	int32_t total_returned_w;
	uint32_t present;		/* P1_HAS_* bits; absent fields are 0 */
	char version[P1_VERSION_LEN];	/* "" when absent */
	char timestamp[P1_TIMESTAMP_LEN]; /* as sent; "" when absent */
};

/*
 * Caller-owned; one per meter.  The counters only increase (until
 * p1_init); the rest is the parser's.
 */
struct p1_parser {
	uint32_t telegrams_ok;		/* readings returned */
	uint32_t crc_errors;		/* CRC wrong or missing */
	uint32_t oversize;		/* longer than CP_MAX_P1_TELEGRAM */
	uint32_t bad;			/* cut short, or no usable data */

	enum p1_mode mode;
	uint8_t state;
	bool line_start;		/* next byte starts a line */
	uint8_t crc_n;			/* CRC digits seen */
	uint16_t crc;			/* running CRC of buf[0..len) */
	uint16_t crc_sent;
	size_t len;
	uint8_t buf[CP_MAX_P1_TELEGRAM]; /* "/" .. "!" of the telegram */
};

void p1_init(struct p1_parser *p, enum p1_mode mode);
/* Drops a partial telegram and waits for the next "/"; keeps the counters
 * (after the device was reopened, say). */
void p1_resync(struct p1_parser *p);

/*
 * Feeds n bytes.  Returns how many were consumed: all n, or fewer when a
 * telegram was accepted, in which case *got is true, *out holds the reading
 * and the rest of buf (the next telegram, say) is for the next call.
 * Otherwise *got is false and *out is untouched.  Loop until the bytes are
 * used:
 *
 *	for (size_t off = 0; off < n; ) {
 *		off += p1_feed(p, buf + off, n - off, &r, &got);
 *		if (got)
 *			use(&r);
 *	}
 *
 * Consumes at least one byte whenever n > 0.  buf is only read, and not
 * kept.
 */
size_t p1_feed(struct p1_parser *p, const uint8_t *buf, size_t n,
	       struct p1_reading *out, bool *got);

/* The accepted telegram, "/" through "!" (no CRC digits), valid until the
 * next p1_feed: for a debug log. */
const uint8_t *p1_last_telegram(const struct p1_parser *p, size_t *len);

/* CRC-16/ARC of n bytes, continuing from crc (start with 0). */
uint16_t p1_crc16(uint16_t crc, const uint8_t *buf, size_t n);

#endif
