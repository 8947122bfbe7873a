/*
 * p1.c - DSMR P1 telegram parser (hw/p1.h says what it accepts).  Bytes are
 * framed one at a time, so a telegram may be split anywhere; the objects are
 * read once the whole telegram is in and its CRC has checked out.
 */
#include "hw/p1.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

enum {
	ST_HUNT,	/* skipping until "/" */
	ST_BODY,	/* in a telegram, until "!" starts a line */
	ST_CRC,		/* reading the 4 CRC digits after "!" */
	ST_SKIP,	/* after an oversize telegram: until "/" starts a line */
};

/* CRC-16/ARC, reflected polynomial 0xA001, one entry per byte value. */
static const uint16_t crc_table[256] = {
	0x0000, 0xc0c1, 0xc181, 0x0140, 0xc301, 0x03c0, 0x0280, 0xc241,
	0xc601, 0x06c0, 0x0780, 0xc741, 0x0500, 0xc5c1, 0xc481, 0x0440,
	0xcc01, 0x0cc0, 0x0d80, 0xcd41, 0x0f00, 0xcfc1, 0xce81, 0x0e40,
	0x0a00, 0xcac1, 0xcb81, 0x0b40, 0xc901, 0x09c0, 0x0880, 0xc841,
	0xd801, 0x18c0, 0x1980, 0xd941, 0x1b00, 0xdbc1, 0xda81, 0x1a40,
	0x1e00, 0xdec1, 0xdf81, 0x1f40, 0xdd01, 0x1dc0, 0x1c80, 0xdc41,
	0x1400, 0xd4c1, 0xd581, 0x1540, 0xd701, 0x17c0, 0x1680, 0xd641,
	0xd201, 0x12c0, 0x1380, 0xd341, 0x1100, 0xd1c1, 0xd081, 0x1040,
	0xf001, 0x30c0, 0x3180, 0xf141, 0x3300, 0xf3c1, 0xf281, 0x3240,
	0x3600, 0xf6c1, 0xf781, 0x3740, 0xf501, 0x35c0, 0x3480, 0xf441,
	0x3c00, 0xfcc1, 0xfd81, 0x3d40, 0xff01, 0x3fc0, 0x3e80, 0xfe41,
	0xfa01, 0x3ac0, 0x3b80, 0xfb41, 0x3900, 0xf9c1, 0xf881, 0x3840,
	0x2800, 0xe8c1, 0xe981, 0x2940, 0xeb01, 0x2bc0, 0x2a80, 0xea41,
	0xee01, 0x2ec0, 0x2f80, 0xef41, 0x2d00, 0xedc1, 0xec81, 0x2c40,
	0xe401, 0x24c0, 0x2580, 0xe541, 0x2700, 0xe7c1, 0xe681, 0x2640,
	0x2200, 0xe2c1, 0xe381, 0x2340, 0xe101, 0x21c0, 0x2080, 0xe041,
	0xa001, 0x60c0, 0x6180, 0xa141, 0x6300, 0xa3c1, 0xa281, 0x6240,
	0x6600, 0xa6c1, 0xa781, 0x6740, 0xa501, 0x65c0, 0x6480, 0xa441,
	0x6c00, 0xacc1, 0xad81, 0x6d40, 0xaf01, 0x6fc0, 0x6e80, 0xae41,
	0xaa01, 0x6ac0, 0x6b80, 0xab41, 0x6900, 0xa9c1, 0xa881, 0x6840,
	0x7800, 0xb8c1, 0xb981, 0x7940, 0xbb01, 0x7bc0, 0x7a80, 0xba41,
	0xbe01, 0x7ec0, 0x7f80, 0xbf41, 0x7d00, 0xbdc1, 0xbc81, 0x7c40,
	0xb401, 0x74c0, 0x7580, 0xb541, 0x7700, 0xb7c1, 0xb681, 0x7640,
	0x7200, 0xb2c1, 0xb381, 0x7340, 0xb101, 0x71c0, 0x7080, 0xb041,
	0x5000, 0x90c1, 0x9181, 0x5140, 0x9301, 0x53c0, 0x5280, 0x9241,
	0x9601, 0x56c0, 0x5780, 0x9741, 0x5500, 0x95c1, 0x9481, 0x5440,
	0x9c01, 0x5cc0, 0x5d80, 0x9d41, 0x5f00, 0x9fc1, 0x9e81, 0x5e40,
	0x5a00, 0x9ac1, 0x9b81, 0x5b40, 0x9901, 0x59c0, 0x5880, 0x9841,
	0x8801, 0x48c0, 0x4980, 0x8941, 0x4b00, 0x8bc1, 0x8a81, 0x4a40,
	0x4e00, 0x8ec1, 0x8f81, 0x4f40, 0x8d01, 0x4dc0, 0x4c80, 0x8c41,
	0x4400, 0x84c1, 0x8581, 0x4540, 0x8701, 0x47c0, 0x4680, 0x8641,
	0x8201, 0x42c0, 0x4380, 0x8341, 0x4100, 0x81c1, 0x8081, 0x4040,
};

static inline uint16_t crc_byte(uint16_t crc, uint8_t c)
{
	return (uint16_t)((crc >> 8) ^ crc_table[(crc ^ c) & 0xff]);
}

uint16_t p1_crc16(uint16_t crc, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		crc = crc_byte(crc, buf[i]);
	return crc;
}

/* ------------------------------------------------------------ objects */

/* Fields a telegram fills; each is the bit 1 << field of p1_reading.present
 * (the P1_HAS_* layout). */
enum {
	F_CURRENT = 0,		/* + phase */
	F_DELIVERED = 3,
	F_RETURNED = 6,
	F_VOLTAGE = 9,
	F_TOTAL_DELIVERED = 12,
	F_TOTAL_RETURNED,
	F_VERSION,
	F_TIMESTAMP,
};

/* What load balancing cannot do without: a malformed one drops the
 * telegram (the sign of a current needs its phase's powers). */
#define NEEDED (P1_HAS_CURRENT(0) | P1_HAS_CURRENT(1) | P1_HAS_CURRENT(2) | \
	P1_HAS_DELIVERED(0) | P1_HAS_DELIVERED(1) | P1_HAS_DELIVERED(2) | \
	P1_HAS_RETURNED(0) | P1_HAS_RETURNED(1) | P1_HAS_RETURNED(2))

/* The objects read (P1 Companion Standard, data objects), their units. */
static const struct {
	const char *obis;
	uint8_t len;
	uint8_t field;
	const char *unit;	/* NULL: kept as text */
} objects[] = {
#define OBJ(code, f, u) { code, sizeof(code) - 1, f, u }
	OBJ("1-0:31.7.0", F_CURRENT + 0, "A"),
	OBJ("1-0:51.7.0", F_CURRENT + 1, "A"),
	OBJ("1-0:71.7.0", F_CURRENT + 2, "A"),
	OBJ("1-0:21.7.0", F_DELIVERED + 0, "kW"),
	OBJ("1-0:41.7.0", F_DELIVERED + 1, "kW"),
	OBJ("1-0:61.7.0", F_DELIVERED + 2, "kW"),
	OBJ("1-0:22.7.0", F_RETURNED + 0, "kW"),
	OBJ("1-0:42.7.0", F_RETURNED + 1, "kW"),
	OBJ("1-0:62.7.0", F_RETURNED + 2, "kW"),
	OBJ("1-0:32.7.0", F_VOLTAGE + 0, "V"),
	OBJ("1-0:52.7.0", F_VOLTAGE + 1, "V"),
	OBJ("1-0:72.7.0", F_VOLTAGE + 2, "V"),
	OBJ("1-0:1.7.0", F_TOTAL_DELIVERED, "kW"),
	OBJ("1-0:2.7.0", F_TOTAL_RETURNED, "kW"),
	OBJ("1-3:0.2.8", F_VERSION, NULL),
	OBJ("0-0:1.0.0", F_TIMESTAMP, NULL),
#undef OBJ
};

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static uint8_t lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 'a' - 'A') : c;
}

/*
 * "ddd[.ddd]*unit" as thousandths of the unit (A -> mA, kW -> W, V -> mV),
 * rounded half up at the fourth decimal.  The unit must be there; its case
 * is not checked (a "KW" is still kilowatts).  Returns 0 or -1.
 */
static int parse_milli(const uint8_t *s, const uint8_t *end, const char *unit,
		       int32_t *out)
{
	int64_t v = 0;
	int frac = 0;

	if (s == end || !is_digit(*s))
		return -1;
	while (s < end && is_digit(*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > INT32_MAX / 1000)
			return -1;
	}
	v *= 1000;
	if (s < end && *s == '.') {
		s++;
		if (s == end || !is_digit(*s))
			return -1;
		for (; s < end && is_digit(*s); s++, frac++) {
			if (frac < 3)
				v += (*s - '0') * (frac == 0 ? 100 : frac == 1 ? 10 : 1);
			else if (frac == 3 && *s >= '5')
				v++;
		}
	}
	if (s == end || *s++ != '*')
		return -1;
	size_t ulen = strlen(unit);
	if ((size_t)(end - s) != ulen)
		return -1;
	for (size_t i = 0; i < ulen; i++)
		if (lower(s[i]) != lower((uint8_t)unit[i]))
			return -1;
	if (v > INT32_MAX)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* Printable text without parentheses, 1..cap-1 characters. */
static int parse_text(const uint8_t *s, const uint8_t *end, char *out, size_t cap)
{
	size_t n = (size_t)(end - s);

	if (n == 0 || n >= cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* One line without its line end.  Returns -1 when a needed object is
 * malformed. */
static int parse_line(const uint8_t *s, const uint8_t *end, struct p1_reading *r)
{
	const uint8_t *lp = memchr(s, '(', (size_t)(end - s));
	size_t klen;
	size_t k;

	if (!lp)
		return 0;
	klen = (size_t)(lp - s);
	for (k = 0; k < sizeof(objects) / sizeof(objects[0]); k++)
		if (objects[k].len == klen && memcmp(objects[k].obis, s, klen) == 0)
			break;
	if (k == sizeof(objects) / sizeof(objects[0]))
		return 0;

	unsigned f = objects[k].field;
	uint32_t bit = 1u << f;
	const uint8_t *v = lp + 1;
	int rc;

	/* A single value closing the line: "OBIS(value)". */
	if (end == v || end[-1] != ')' ||
	    (const uint8_t *)memchr(v, ')', (size_t)(end - v)) != end - 1)
		rc = -1;
	else if (f == F_VERSION)
		rc = parse_text(v, end - 1, r->version, sizeof(r->version));
	else if (f == F_TIMESTAMP)
		rc = parse_text(v, end - 1, r->timestamp, sizeof(r->timestamp));
	else {
		int32_t x;
		rc = parse_milli(v, end - 1, objects[k].unit, &x);
		if (rc == 0) {
			if (f < F_DELIVERED)
				r->current_ma[f - F_CURRENT] = x;
			else if (f < F_RETURNED)
				r->delivered_w[f - F_DELIVERED] = x;
			else if (f < F_VOLTAGE)
				r->returned_w[f - F_RETURNED] = x;
			else if (f < F_TOTAL_DELIVERED)
				r->voltage_mv[f - F_VOLTAGE] = x;
			else if (f == F_TOTAL_DELIVERED)
				r->total_delivered_w = x;
			else
				r->total_returned_w = x;
		}
	}
	if (rc == 0) {
		r->present |= bit;
		return 0;
	}
	/* A malformed optional object is left out: a repeated one too. */
	r->present &= ~bit;
	if (f == F_VERSION)
		r->version[0] = '\0';
	else if (f == F_TIMESTAMP)
		r->timestamp[0] = '\0';
	return (bit & NEEDED) ? -1 : 0;
}

/*
 * Reads the objects of buf[0..len) ("/" .. "!") into *r.  Returns 0, or -1
 * for a telegram with nothing to balance on (hw/p1.h).
 */
static int parse_telegram(const uint8_t *buf, size_t len, struct p1_reading *r)
{
	const uint8_t *p = buf, *end = buf + len - 1;	/* "!" is not a line */
	const uint8_t *nl;

	memset(r, 0, sizeof(*r));
	/* The identification line carries no object. */
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		return -1;
	for (p = nl + 1; p < end; p = nl + 1) {
		const uint8_t *e;

		nl = memchr(p, '\n', (size_t)(end - p));
		assert(nl);	/* "!" only counts at the start of a line */
		e = nl;
		if (e > p && e[-1] == '\r')
			e--;
		if (parse_line(p, e, r) < 0)
			return -1;
	}

	uint32_t cur = r->present & (P1_HAS_CURRENT(0) | P1_HAS_CURRENT(1) | P1_HAS_CURRENT(2));
	if (cur == 0)
		return -1;
	r->phases = (cur & ~P1_HAS_CURRENT(0)) ? 3 : 1;
	/* A missing phase must not read as 0 A. */
	if (r->phases == 3 && cur != (P1_HAS_CURRENT(0) | P1_HAS_CURRENT(1) | P1_HAS_CURRENT(2)))
		return -1;

	for (int i = 0; i < r->phases; i++) {
		int32_t del = r->delivered_w[i], ret = r->returned_w[i];

		if (r->phases == 1 && !(r->present & (P1_HAS_DELIVERED(0) | P1_HAS_RETURNED(0)))) {
			del = r->total_delivered_w;
			ret = r->total_returned_w;
		}
		if (ret > del)
			r->current_ma[i] = -r->current_ma[i];
	}
	return 0;
}

/* ------------------------------------------------------------ framing */

void p1_init(struct p1_parser *p, enum p1_mode mode)
{
	memset(p, 0, offsetof(struct p1_parser, buf));	/* not the 4 kB buffer */
	p->mode = mode;
	p1_resync(p);
}

void p1_resync(struct p1_parser *p)
{
	p->state = ST_HUNT;
	p->line_start = true;
	p->len = 0;
	p->crc = 0;
	p->crc_n = 0;
}

static void start(struct p1_parser *p)
{
	p->state = ST_BODY;
	p->buf[0] = '/';
	p->len = 1;
	p->crc = crc_byte(0, '/');
	p->line_start = false;
}

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The telegram is complete: returns true when *out is a reading. */
static bool finish(struct p1_parser *p, struct p1_reading *out)
{
	struct p1_reading r;

	p->state = ST_HUNT;
	if (parse_telegram(p->buf, p->len, &r) < 0) {
		p->bad++;
		return false;
	}
	p->telegrams_ok++;
	*out = r;
	return true;
}

size_t p1_feed(struct p1_parser *p, const uint8_t *buf, size_t n,
	       struct p1_reading *out, bool *got)
{
	*got = false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = buf[i];
		const uint8_t *nl;
		size_t run;
		int h;

		switch (p->state) {
		case ST_HUNT:
			if (c == '/')
				start(p);
			break;
		case ST_SKIP:
			if (c == '/' && p->line_start)
				start(p);
			else
				p->line_start = c == '\n';
			break;
		case ST_BODY:
			if (p->line_start && c == '/') {
				p->bad++;	/* cut short by the next one */
				start(p);
				break;
			}
			if (p->line_start && c == '!') {
				if (p->len == sizeof(p->buf)) {
					p->oversize++;
					p->state = ST_SKIP;
					p->line_start = false;
					break;
				}
				p->buf[p->len++] = c;
				p->crc = crc_byte(p->crc, c);
				if (p->mode == P1_DSMR23) {
					if (finish(p, out)) {
						*got = true;
						return i + 1;
					}
					break;
				}
				p->state = ST_CRC;
				p->crc_n = 0;
				p->crc_sent = 0;
				break;
			}
			/* The rest of the line in one go: nothing in it but
			 * its end matters to the framing. */
			nl = memchr(buf + i, '\n', n - i);
			run = nl ? (size_t)(nl - (buf + i)) + 1 : n - i;
			if (run > sizeof(p->buf) - p->len) {
				p->oversize++;
				p->state = ST_SKIP;
				i += sizeof(p->buf) - p->len;	/* the byte that did not fit */
				p->line_start = buf[i] == '\n';
				break;
			}
			memcpy(p->buf + p->len, buf + i, run);
			p->crc = p1_crc16(p->crc, buf + i, run);
			p->len += run;
			i += run - 1;
			p->line_start = buf[i] == '\n';
			break;
		case ST_CRC:
			h = hex_value(c);
			if (h < 0) {
				/* "!" CR LF from a meter without CRC, or a
				 * digit lost on the way. */
				p->crc_errors++;
				p->state = ST_HUNT;
				if (c == '/')
					start(p);
				break;
			}
			p->crc_sent = (uint16_t)(p->crc_sent << 4 | h);
			if (++p->crc_n < 4)
				break;
			if (p->crc_sent != p->crc) {
				p->crc_errors++;
				p->state = ST_HUNT;
				break;
			}
			if (finish(p, out)) {
				*got = true;
				return i + 1;
			}
			break;
		default:
			assert(!"p1: bad state");
			p1_resync(p);
			break;
		}
	}
	return n;
}

const uint8_t *p1_last_telegram(const struct p1_parser *p, size_t *len)
{
	*len = p->len;
	return p->buf;
}
