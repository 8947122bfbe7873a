/*
 * mb_map.c - Modbus register codec, meter maps and MBAP frames (mb_map.h).
 * Pure: no I/O, no clock, no allocation.
 */
#include "hw/mb_map.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Exact products: a 64-bit register value times an 18-digit mantissa needs
 * 124 bits. */
__extension__ typedef __int128 mb_i128;

#define MB_MAX_DIGITS 18

static const struct {
	const char *name;
	int regs;
} types[] = {
	[MB_U16] = { "u16", 1 }, [MB_S16] = { "s16", 1 },
	[MB_U32] = { "u32", 2 }, [MB_S32] = { "s32", 2 },
	[MB_U64] = { "u64", 4 }, [MB_S64] = { "s64", 4 },
	[MB_F32] = { "f32", 2 },
};
#define N_TYPES ((int)(sizeof(types) / sizeof(types[0])))

int mb_type_regs(enum mb_type t)
{
	return (int)t >= 0 && (int)t < N_TYPES ? types[t].regs : 0;
}

const char *mb_type_name(enum mb_type t)
{
	return (int)t >= 0 && (int)t < N_TYPES ? types[t].name : NULL;
}

static bool spec_ok(const struct mb_reg_spec *s)
{
	int n = mb_type_regs(s->type);

	return n > 0 && (uint32_t)s->reg + (uint32_t)n <= 65536u && s->mant != 0 &&
	    s->mant > -1000000000000000000LL && s->mant < 1000000000000000000LL &&
	    s->exp10 >= 0 && s->exp10 <= MB_MAX_DIGITS;
}

static mb_i128 pow10_i(int e)
{
	mb_i128 p = 1;

	while (e-- > 0)
		p *= 10;
	return p;
}

/* round(v * mant * mult / 10^exp10), halves away from zero, exactly;
 * -ERANGE outside lo..hi. */
static int scale_int(mb_i128 v, const struct mb_reg_spec *s, int32_t mult,
		     int64_t lo, int64_t hi, int64_t *out)
{
	/* Beyond 2^100 the quotient exceeds 2^100 / 10^18 > 2^40 for any
	 * mult >= 1: out of range of an int32, and the check keeps q within
	 * 128 bits.  An int64 result may need more: its products are kept
	 * below 2^126 instead. */
	const mb_i128 lim = (mb_i128)1 << (hi > INT32_MAX ? 105 : 100);
	mb_i128 p = v * s->mant, q, d, r;

	if (p > lim || p < -lim)
		return -ERANGE;
	q = p * mult;
	d = pow10_i(s->exp10);
	r = q >= 0 ? (q + d / 2) / d : -((-q + d / 2) / d);
	if (r > hi || r < lo)
		return -ERANGE;
	*out = (int64_t)r;
	return 0;
}

/* The common decoder of mb_reg_decode (int32) and mb_reg_decode64. */
static int reg_decode(const struct mb_reg_spec *spec, const uint16_t *regs,
		      int32_t mult, int64_t lo, int64_t hi, int64_t *out)
{
	uint64_t u = 0;
	int n;

	if (!spec || !regs || !out || !spec_ok(spec) || mult < 1 || mult > 1000000)
		return -EINVAL;
	n = mb_type_regs(spec->type);
	for (int i = 0; i < n; i++)
		u = u << 16 | regs[i];
	switch (spec->type) {
	case MB_U16:
	case MB_U32:
	case MB_U64:
		return scale_int((mb_i128)u, spec, mult, lo, hi, out);
	case MB_S16:
		return scale_int((int16_t)u, spec, mult, lo, hi, out);
	case MB_S32:
		return scale_int((int32_t)(uint32_t)u, spec, mult, lo, hi, out);
	case MB_S64:
		return scale_int((int64_t)u, spec, mult, lo, hi, out);
	case MB_F32: {
		uint32_t bits = (uint32_t)u;
		float f;
		double x;

		memcpy(&f, &bits, sizeof(f));
		if (!isfinite(f))
			return -ERANGE;
		x = (double)f * (double)spec->mant * mult / (double)pow10_i(spec->exp10);
		/* Both bounds are exact in a double for int32; for int64 the
		 * limit is 2^63 itself, which no in-range value reaches. */
		if (!(x < (double)hi + 0.5 && x >= (double)lo - 0.5))
			return -ERANGE;
		*out = x >= 0 ? (int64_t)(x + 0.5) : -(int64_t)(-x + 0.5);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

int mb_reg_decode(const struct mb_reg_spec *spec, const uint16_t *regs,
		  int32_t mult, int32_t *out)
{
	int64_t v = 0;
	int rc = reg_decode(spec, regs, mult, INT32_MIN, INT32_MAX, &v);

	if (rc < 0)
		return rc;
	*out = (int32_t)v;
	return 0;
}

int mb_reg_decode64(const struct mb_reg_spec *spec, const uint16_t *regs,
		    int32_t mult, int64_t *out)
{
	/* 2^62: far beyond any meter register, and every check above stays
	 * exact in a double and within 128 bits. */
	const int64_t lim = (int64_t)1 << 62;

	return reg_decode(spec, regs, mult, -lim, lim, out);
}

/* ------------------------------------------------------------ map specs */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A field of the input, blanks trimmed: [p, p + len). */
struct span {
	const char *p;
	size_t len;
};

/* The field for a message: at most 24 characters, anything but printable
 * ASCII shown as '?' (the text comes from the central system and ends up
 * in logs). */
static const char *shown(struct span f, char buf[32])
{
	size_t n = f.len > 24 ? 24 : f.len, i;

	for (i = 0; i < n; i++)
		buf[i] = f.p[i] >= 0x20 && f.p[i] < 0x7f ? f.p[i] : '?';
	if (f.len > n) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4)))
static int refuse(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int parse_reg(struct span f, uint16_t *reg, char *why, size_t whylen)
{
	char sh[32];
	uint32_t v = 0;
	size_t i = 0;
	bool hex = f.len > 2 && f.p[0] == '0' && (f.p[1] == 'x' || f.p[1] == 'X');

	if (f.len == 0)
		return refuse(why, whylen, "register is empty");
	if (hex) {
		for (i = 2; i < f.len; i++) {
			int h = hex_value(f.p[i]);

			if (h < 0)
				break;
			if (v <= 0xFFFF)
				v = v * 16 + (uint32_t)h;
		}
	} else {
		for (; i < f.len && is_digit(f.p[i]); i++)
			if (v <= 65535)
				v = v * 10 + (uint32_t)(f.p[i] - '0');
	}
	if (i != f.len || (!hex && f.len == 0))
		return refuse(why, whylen, "register \"%s\" is not a number "
			      "(decimal, or hexadecimal after 0x)", shown(f, sh));
	if (v > 65535)
		return refuse(why, whylen, "register %s is above 65535", shown(f, sh));
	*reg = (uint16_t)v;
	return 0;
}

static int parse_type(struct span f, enum mb_type *t, char *why, size_t whylen)
{
	char sh[32];

	for (int k = 0; k < N_TYPES; k++)
		if (f.len == 3 && strncasecmp(f.p, types[k].name, 3) == 0) {
			*t = (enum mb_type)k;
			return 0;
		}
	if (f.len == 0)
		return refuse(why, whylen, "type is empty "
			      "(one of u16, s16, u32, s32, u64, s64, f32)");
	return refuse(why, whylen, "type \"%s\" is not one of "
		      "u16, s16, u32, s32, u64, s64, f32", shown(f, sh));
}

/* [+-] digits [. digits] | [+-] . digits, at most 18 significant digits
 * and 18 decimals once trailing zeros of the fraction are dropped. */
static int parse_scale(struct span f, int64_t *mant, int *exp10, char *why, size_t whylen)
{
	char sh[32];
	size_t i = 0, int_start, int_end, frac_start, frac_end;
	bool neg = false;
	int64_t m = 0;
	int digits = 0, dec;

	if (f.len == 0)
		return refuse(why, whylen, "scale is empty");
	if (f.p[0] == '+' || f.p[0] == '-')
		neg = f.p[i++] == '-';
	int_start = i;
	while (i < f.len && is_digit(f.p[i]))
		i++;
	int_end = frac_start = frac_end = i;
	if (i < f.len && f.p[i] == '.') {
		frac_start = ++i;
		while (i < f.len && is_digit(f.p[i]))
			i++;
		frac_end = i;
	}
	if (i != f.len || (int_end == int_start && frac_end <= frac_start))
		return refuse(why, whylen, "scale \"%s\" is not a decimal number "
			      "(such as 0.001)", shown(f, sh));
	while (frac_end > frac_start && f.p[frac_end - 1] == '0')
		frac_end--;
	dec = (int)(frac_end - frac_start);
	if (dec > MB_MAX_DIGITS)
		return refuse(why, whylen, "scale \"%s\" has more than %d decimals",
			      shown(f, sh), MB_MAX_DIGITS);
	for (size_t k = int_start; k < frac_end; k++) {
		if (k == int_end)
			continue;	/* the point */
		if (m == 0 && f.p[k] == '0')
			continue;	/* leading zero */
		if (++digits > MB_MAX_DIGITS)
			return refuse(why, whylen, "scale \"%s\" has more than %d "
				      "significant digits", shown(f, sh), MB_MAX_DIGITS);
		m = m * 10 + (f.p[k] - '0');
	}
	if (m == 0)
		return refuse(why, whylen, "scale must not be zero");
	*mant = neg ? -m : m;
	*exp10 = dec;
	return 0;
}

int mb_map_parse(const char *s, struct mb_reg_spec *out, char *why, size_t whylen)
{
	struct span f[3];
	struct mb_reg_spec spec;
	int nf = 0, rc;
	const char *p;

	if (why && whylen > 0)
		why[0] = '\0';
	if (!s || !*s)
		return refuse(why, whylen, "empty: expected register,type,scale "
			      "such as 50528,u32,0.001");
	for (p = s;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (nf == 3) {
			nf++;
			break;
		}
		while (len > 0 && is_blank(*p)) {
			p++;
			len--;
		}
		while (len > 0 && is_blank(p[len - 1]))
			len--;
		f[nf].p = p;
		f[nf].len = len;
		nf++;
		if (!end)
			break;
		p = end + 1;
	}
	if (nf != 3) {
		int commas = 0;

		for (p = s; *p; p++)
			commas += *p == ',';
		return refuse(why, whylen, "expected 3 fields register,type,scale "
			      "separated by commas, found %d", commas + 1);
	}
	memset(&spec, 0, sizeof(spec));
	if ((rc = parse_reg(f[0], &spec.reg, why, whylen)) < 0 ||
	    (rc = parse_type(f[1], &spec.type, why, whylen)) < 0 ||
	    (rc = parse_scale(f[2], &spec.mant, &spec.exp10, why, whylen)) < 0)
		return rc;
	if ((uint32_t)spec.reg + (uint32_t)mb_type_regs(spec.type) > 65536u)
		return refuse(why, whylen, "a %s at register %u would end past "
			      "register 65535", types[spec.type].name, (unsigned)spec.reg);
	if (out)
		*out = spec;
	return 0;
}

int mb_map_format(const struct mb_reg_spec *spec, char buf[MB_SPEC_TEXT])
{
	char digits[24], scale[24];
	uint64_t m;
	int64_t mant;
	int e, nd, k = 0;

	if (!spec || !spec_ok(spec))
		return -EINVAL;
	/* Canonical: no trailing zeros in the fraction. */
	mant = spec->mant;
	e = spec->exp10;
	while (e > 0 && mant % 10 == 0) {
		mant /= 10;
		e--;
	}
	m = mant < 0 ? (uint64_t)0 - (uint64_t)mant : (uint64_t)mant;
	nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)m);
	if (mant < 0)
		scale[k++] = '-';
	if (nd <= e) {
		scale[k++] = '0';
		scale[k++] = '.';
		for (int i = nd; i < e; i++)
			scale[k++] = '0';
		e = nd;		/* every digit is a decimal */
	}
	for (int i = 0; i < nd; i++) {
		if (i == nd - e && e > 0 && i > 0)
			scale[k++] = '.';
		scale[k++] = digits[i];
	}
	scale[k] = '\0';
	return snprintf(buf, MB_SPEC_TEXT, "%u,%s,%s", (unsigned)spec->reg,
			types[spec->type].name, scale);
}

/* ------------------------------------------------------------------ maps */

/* Socomec Countis E23/E24/E27/E28 (JBUS/Modbus table of the E2x range):
 * simple voltages V1..V3 at 0xC558/0xC55A/0xC55C and phase currents
 * I1..I3 at 0xC560/0xC562/0xC564, all u32, in 0.01 V and in mA.  Between
 * them lies the frequency (0xC55E, 2 registers), which every E2x defines,
 * so one read of 14 registers covers both.  The currents are unsigned: the
 * sign of each phase comes from its active power P1..P3 at 0xC570 / 0xC572 /
 * 0xC574 (s32; negative = export).  The ten registers between I3 and P1
 * (neutral current, total active, reactive and apparent power, power
 * factor) are defined on every E2x too, so a single read of 30 registers
 * takes the whole poll: one round trip, one driver tick of latency. */
static const struct mb_map socomec = {
	.field = {
		{ { 0xC558, MB_U32, 1, 2 }, MB_Q_VOLTAGE, 0 },
		{ { 0xC55A, MB_U32, 1, 2 }, MB_Q_VOLTAGE, 1 },
		{ { 0xC55C, MB_U32, 1, 2 }, MB_Q_VOLTAGE, 2 },
		{ { 0xC560, MB_U32, 1, 3 }, MB_Q_CURRENT, 0 },
		{ { 0xC562, MB_U32, 1, 3 }, MB_Q_CURRENT, 1 },
		{ { 0xC564, MB_U32, 1, 3 }, MB_Q_CURRENT, 2 },
		{ { 0xC570, MB_S32, 1, 3 }, MB_Q_POWER, 0 },
		{ { 0xC572, MB_S32, 1, 3 }, MB_Q_POWER, 1 },
		{ { 0xC574, MB_S32, 1, 3 }, MB_Q_POWER, 2 },
	},
	.n = 9,
	.max_gap = 10,
};

int mb_map_preset(enum mb_model model, const struct mb_reg_spec custom[3],
		  struct mb_map *out)
{
	if (!out)
		return -EINVAL;
	switch (model) {
	case MB_MODEL_SOCOMEC:
		*out = socomec;
		return 0;
	case MB_MODEL_CUSTOM:
		if (!custom)
			return -EINVAL;
		for (int i = 0; i < 3; i++)
			if (!spec_ok(&custom[i]))
				return -EINVAL;
		memset(out, 0, sizeof(*out));
		for (int i = 0; i < 3; i++) {
			out->field[i].spec = custom[i];
			out->field[i].q = MB_Q_CURRENT;
			out->field[i].phase = i;
		}
		out->n = 3;
		return 0;
	default:
		return -EINVAL;
	}
}

static bool map_ok(const struct mb_map *map)
{
	if (!map || map->n < 1 || map->n > MB_MAP_MAX_FIELDS || map->max_gap > MB_MAX_READ)
		return false;
	for (int i = 0; i < map->n; i++) {
		const struct mb_field *f = &map->field[i];

		if (!spec_ok(&f->spec) || f->phase < 0 || f->phase > 2 ||
		    (f->q != MB_Q_CURRENT && f->q != MB_Q_VOLTAGE && f->q != MB_Q_POWER))
			return false;
	}
	return true;
}

int mb_plan_reads(const struct mb_reg_spec *const *specs, int n, uint16_t max_gap,
		  struct mb_read_req *reads, int max_reads)
{
	const struct mb_reg_spec *sorted[MB_PLAN_MAX_FIELDS];
	int count = 0;

	if (n < 0 || n > MB_PLAN_MAX_FIELDS)
		return -EINVAL;
	/* Insertion sort by register: a handful of fields. */
	for (int i = 0; i < n; i++) {
		int j = i;

		while (j > 0 && sorted[j - 1]->reg > specs[i]->reg) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = specs[i];
	}
	for (int i = 0; i < n; i++) {
		uint32_t start = sorted[i]->reg, end = start + (uint32_t)mb_type_regs(sorted[i]->type);
		struct mb_read_req *r = count ? &reads[count - 1] : NULL;

		if (r) {
			uint32_t r_end = (uint32_t)r->addr + r->count;

			if (start <= r_end + max_gap && end - r->addr <= MB_MAX_READ) {
				if (end > r_end)
					r->count = (uint16_t)(end - r->addr);
				continue;
			}
		}
		if (count == max_reads)
			return -EINVAL;
		reads[count].addr = (uint16_t)start;
		reads[count].count = (uint16_t)(end - start);
		count++;
	}
	return count;
}

int mb_map_plan(const struct mb_map *map, struct mb_poll *p)
{
	const struct mb_reg_spec *specs[MB_MAP_MAX_FIELDS];
	int n;

	if (!p || !map_ok(map))
		return -EINVAL;
	for (int i = 0; i < map->n; i++)
		specs[i] = &map->field[i].spec;
	n = mb_plan_reads(specs, map->n, map->max_gap, p->req, MB_MAP_MAX_FIELDS);
	if (n < 0)
		return n;
	p->n = n;
	return 0;
}

int mb_map_reading(const struct mb_map *map, const struct mb_poll *p,
		   struct mb_reading *out)
{
	struct mb_reading rd;
	bool exporting[3] = { false, false, false };

	if (!p || !out || !map_ok(map) || p->n < 1 || p->n > MB_MAP_MAX_FIELDS)
		return -EINVAL;
	memset(&rd, 0, sizeof(rd));
	for (int i = 0; i < map->n; i++) {
		const struct mb_field *f = &map->field[i];
		uint32_t start = f->spec.reg, end = start + (uint32_t)mb_type_regs(f->spec.type);
		int32_t v;
		int k, rc;

		for (k = 0; k < p->n; k++)
			if (p->req[k].addr <= start &&
			    end <= (uint32_t)p->req[k].addr + p->req[k].count &&
			    p->req[k].count <= MB_MAX_READ)
				break;
		if (k == p->n)
			return -EINVAL;
		rc = mb_reg_decode(&f->spec, p->regs[k] + (start - p->req[k].addr), 1000, &v);
		if (rc < 0)
			return rc;
		if (f->q == MB_Q_CURRENT) {
			rd.current_ma[f->phase] = v;
		} else if (f->q == MB_Q_POWER) {
			exporting[f->phase] = v < 0;
		} else {
			rd.voltage_mv[f->phase] = v;
			rd.has_voltage = true;
		}
	}
	for (int k = 0; k < 3; k++)
		if (exporting[k] && rd.current_ma[k] > 0)
			rd.current_ma[k] = -rd.current_ma[k];
	*out = rd;
	return 0;
}

/* ---------------------------------------------------------------- frames */

int mb_adu_length(const uint8_t *buf, size_t len)
{
	uint16_t l;

	if (len >= 4 && mb_get16(buf + 2) != 0)
		return -EBADMSG;
	if (len < 6)
		return 0;
	l = mb_get16(buf + 4);
	if (l < 2 || l > MB_MAX_ADU - 6)
		return -EBADMSG;
	return len < (size_t)6 + l ? 0 : 6 + l;
}

int mb_adu_read_request(uint8_t out[MB_READ_REQ_LEN], uint16_t tid, uint8_t unit,
			uint16_t addr, uint16_t count)
{
	mb_put16(out, tid);
	mb_put16(out + 2, 0);
	mb_put16(out + 4, 6);
	out[6] = unit;
	out[7] = 0x03;
	mb_put16(out + 8, addr);
	mb_put16(out + 10, count);
	return MB_READ_REQ_LEN;
}

int mb_adu_read_response(const uint8_t *adu, size_t len, uint16_t tid, uint8_t unit,
			 uint16_t count, uint16_t *regs)
{
	if (!adu || mb_adu_length(adu, len) != (int)len || len < 9 ||
	    mb_get16(adu) != tid || adu[6] != unit)
		return -EBADMSG;
	if (adu[7] == (0x03 | 0x80))
		return len == 9 && adu[8] != 0 ? adu[8] : -EBADMSG;
	if (adu[7] != 0x03 || count < 1 || count > MB_MAX_READ ||
	    adu[8] != 2 * count || len != 9 + 2 * (size_t)count)
		return -EBADMSG;
	for (int i = 0; i < count; i++)
		regs[i] = mb_get16(adu + 9 + 2 * i);
	return 0;
}

/* ------------------------------------------------------------- floats */

void mb_put_f32(uint16_t regs[2], float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	regs[0] = (uint16_t)(u >> 16);
	regs[1] = (uint16_t)u;
}

void mb_put_f64(uint16_t regs[4], double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	for (int i = 0; i < 4; i++)
		regs[i] = (uint16_t)(u >> (48 - 16 * i));
}

float mb_get_f32(const uint16_t regs[2])
{
	uint32_t u = (uint32_t)regs[0] << 16 | regs[1];
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

double mb_get_f64(const uint16_t regs[4])
{
	uint64_t u = 0;
	double d;

	for (int i = 0; i < 4; i++)
		u = u << 16 | regs[i];
	memcpy(&d, &u, sizeof(d));
	return d;
}
