/*
 * rtu_map.c - Modbus RTU frames and socket meter maps (rtu_map.h).
 * Pure: no I/O, no clock, no allocation.
 */
#include "hw/rtu_map.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

uint16_t rtu_crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

static bool fn_ok(uint8_t fn)
{
	return fn == RTU_FN_READ_HOLDING || fn == RTU_FN_READ_INPUT;
}

int rtu_read_request(uint8_t out[RTU_REQ_LEN], uint8_t unit, uint8_t fn,
		     uint16_t addr, uint16_t count)
{
	uint16_t crc;

	if (!out || unit < RTU_UNIT_MIN || unit > RTU_UNIT_MAX || !fn_ok(fn) ||
	    count < 1 || count > MB_MAX_READ || (uint32_t)addr + count > 65536u)
		return -EINVAL;
	out[0] = unit;
	out[1] = fn;
	mb_put16(out + 2, addr);
	mb_put16(out + 4, count);
	crc = rtu_crc16(out, 6);
	/* The CRC is the one field sent low byte first. */
	out[6] = (uint8_t)crc;
	out[7] = (uint8_t)(crc >> 8);
	return RTU_REQ_LEN;
}

int rtu_answer_length(const uint8_t *buf, size_t len, uint8_t fn)
{
	if (len < 2)
		return 0;
	if (buf[1] == (fn | 0x80))
		return len < 5 ? 0 : 5;
	if (buf[1] != fn)
		return -EBADMSG;
	if (len < 3)
		return 0;
	if (buf[2] == 0 || buf[2] % 2 || buf[2] > 2 * MB_MAX_READ)
		return -EBADMSG;
	return len < (size_t)5 + buf[2] ? 0 : 5 + buf[2];
}

int rtu_read_answer(const uint8_t *adu, size_t len, uint8_t unit, uint8_t fn,
		    uint16_t count, uint16_t *regs)
{
	uint16_t crc;

	if (!adu || !regs || len < 5 || len > RTU_MAX_ADU ||
	    rtu_answer_length(adu, len, fn) != (int)len)
		return -EBADMSG;
	crc = rtu_crc16(adu, len - 2);
	if (adu[len - 2] != (uint8_t)crc || adu[len - 1] != (uint8_t)(crc >> 8) ||
	    adu[0] != unit)
		return -EBADMSG;
	if (adu[1] == (fn | 0x80))
		return adu[2] != 0 ? adu[2] : -EBADMSG;
	if (count < 1 || count > MB_MAX_READ || adu[2] != 2 * count)
		return -EBADMSG;
	for (int i = 0; i < count; i++)
		regs[i] = mb_get16(adu + 3 + 2 * i);
	return 0;
}

/* ------------------------------------------------------------------ maps */

#define F(reg, type, mant, exp, q, ph) { { (reg), (type), (mant), (exp) }, (q), (ph) }

/*
 * Eastron SDM630 (the SDM630-Modbus user manual, "Modbus Protocol Input
 * Registers", function 04): every parameter an IEEE 754 float in two
 * registers, high word first.  Phase 1..3 line to neutral volts at 30001 /
 * 30003 / 30005 (addresses 0x0000 / 0x0002 / 0x0004), phase 1..3 current
 * at 30007 / 30009 / 30011 (0x0006 / 0x0008 / 0x000A) in amperes, total
 * system power at 30053 (0x0034) in watts and total import kWh at 30073
 * (0x0048).  Parameters 23 and 26 (0x002C, 0x0032) are not defined, so
 * nothing is read across gaps: three reads a poll.
 */
static const struct rtu_map sdm630 = {
	.fn = RTU_FN_READ_INPUT,
	.field = {
		F(0x0000, MB_F32, 1, 0, RTU_Q_VOLTAGE, 0),
		F(0x0002, MB_F32, 1, 0, RTU_Q_VOLTAGE, 1),
		F(0x0004, MB_F32, 1, 0, RTU_Q_VOLTAGE, 2),
		F(0x0006, MB_F32, 1, 0, RTU_Q_CURRENT, 0),
		F(0x0008, MB_F32, 1, 0, RTU_Q_CURRENT, 1),
		F(0x000A, MB_F32, 1, 0, RTU_Q_CURRENT, 2),
		F(0x0034, MB_F32, 1, 0, RTU_Q_POWER, 0),
		F(0x0048, MB_F32, 1, 0, RTU_Q_ENERGY, 0),
	},
	.n = 8,
	.max_gap = 0,
};

/*
 * ABB B23 (the B23/B24 User Manual, document 2CMC485003M0201, "Mapping
 * tables"): holding registers, function 03.  Voltage L1-N..L3-N at 0x5B00 /
 * 0x5B02 / 0x5B04, unsigned 32-bit in 0.1 V; current L1..L3 at 0x5B0C /
 * 0x5B0E / 0x5B10, unsigned 32-bit in 0.01 A; active power total at
 * 0x5B14, signed 32-bit in 0.01 W; active import energy at 0x5000,
 * unsigned 64-bit in 0.01 kWh.  Between the voltages and the currents lie
 * the line-to-line voltages (0x5B06..0x5B0B) and after them the neutral
 * current (0x5B12), all defined: one read of 22 registers for the
 * instantaneous values, one for the energy.
 */
static const struct rtu_map abb_b23 = {
	.fn = RTU_FN_READ_HOLDING,
	.field = {
		F(0x5B00, MB_U32, 1, 1, RTU_Q_VOLTAGE, 0),
		F(0x5B02, MB_U32, 1, 1, RTU_Q_VOLTAGE, 1),
		F(0x5B04, MB_U32, 1, 1, RTU_Q_VOLTAGE, 2),
		F(0x5B0C, MB_U32, 1, 2, RTU_Q_CURRENT, 0),
		F(0x5B0E, MB_U32, 1, 2, RTU_Q_CURRENT, 1),
		F(0x5B10, MB_U32, 1, 2, RTU_Q_CURRENT, 2),
		F(0x5B14, MB_S32, 1, 2, RTU_Q_POWER, 0),
		F(0x5000, MB_U64, 1, 2, RTU_Q_ENERGY, 0),
	},
	.n = 8,
	.max_gap = 8,
};

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

static bool spec_ok(const struct mb_reg_spec *s)
{
	/* mb_map_format checks what the codec checks: a spec it can write
	 * is one mb_reg_decode takes. */
	char buf[MB_SPEC_TEXT];

	return mb_map_format(s, buf) > 0;
}

static void add(struct rtu_map *m, const struct mb_reg_spec *s, enum rtu_quantity q, int ph)
{
	m->field[m->n].spec = *s;
	m->field[m->n].q = q;
	m->field[m->n].phase = ph;
	m->n++;
}

int rtu_map_preset(enum rtu_model model, const struct rtu_custom *c,
		   struct rtu_map *out, char *why, size_t whylen)
{
	struct rtu_map m;

	if (why && whylen)
		why[0] = '\0';
	if (!out)
		return refuse(why, whylen, "no map");
	switch (model) {
	case RTU_MODEL_SDM630:
		*out = sdm630;
		return 0;
	case RTU_MODEL_ABB_B23:
		*out = abb_b23;
		return 0;
	case RTU_MODEL_CUSTOM:
		break;
	default:
		return refuse(why, whylen, "unknown meter model");
	}
	if (!c || !fn_ok(c->fn))
		return refuse(why, whylen, "custom map without a read function");
	if (!c->has_energy)
		return refuse(why, whylen, "custom map without the energy register");
	if (!c->has_current[0])
		return refuse(why, whylen, "custom map without the current of L1");
	memset(&m, 0, sizeof(m));
	m.fn = c->fn;
	for (int k = 0; k < 3; k++) {
		if (c->has_current[k])
			add(&m, &c->current[k], RTU_Q_CURRENT, k);
		if (c->has_voltage[k])
			add(&m, &c->voltage[k], RTU_Q_VOLTAGE, k);
	}
	if (c->has_power)
		add(&m, &c->power, RTU_Q_POWER, 0);
	add(&m, &c->energy, RTU_Q_ENERGY, 0);
	for (int i = 0; i < m.n; i++)
		if (!spec_ok(&m.field[i].spec))
			return refuse(why, whylen, "custom map field %d is not a valid spec", i + 1);
	*out = m;
	return 0;
}

static bool map_ok(const struct rtu_map *m)
{
	if (!m || !fn_ok(m->fn) || m->n < 1 || m->n > RTU_MAP_MAX_FIELDS ||
	    m->max_gap > MB_MAX_READ)
		return false;
	for (int i = 0; i < m->n; i++) {
		const struct rtu_field *f = &m->field[i];

		if (!spec_ok(&f->spec) || f->phase < 0 || f->phase > 2 ||
		    (f->q != RTU_Q_CURRENT && f->q != RTU_Q_VOLTAGE &&
		     f->q != RTU_Q_POWER && f->q != RTU_Q_ENERGY))
			return false;
	}
	return true;
}

_Static_assert(RTU_MAP_MAX_FIELDS <= MB_PLAN_MAX_FIELDS, "a socket meter map fits one plan");

int rtu_map_plan(const struct rtu_map *map, struct rtu_poll *p)
{
	const struct mb_reg_spec *specs[RTU_MAP_MAX_FIELDS];
	int n;

	if (!p || !map_ok(map))
		return -EINVAL;
	for (int i = 0; i < map->n; i++)
		specs[i] = &map->field[i].spec;
	n = mb_plan_reads(specs, map->n, map->max_gap, p->read, RTU_MAP_MAX_FIELDS);
	if (n < 0)
		return n;
	p->n = n;
	return 0;
}

int rtu_map_reading(const struct rtu_map *map, const struct rtu_poll *p,
		    struct rtu_reading *out)
{
	struct rtu_reading rd;

	if (!p || !out || !map_ok(map) || p->n < 1 || p->n > RTU_MAP_MAX_FIELDS)
		return -EINVAL;
	memset(&rd, 0, sizeof(rd));
	for (int i = 0; i < map->n; i++) {
		const struct rtu_field *f = &map->field[i];
		uint32_t start = f->spec.reg, end = start + (uint32_t)mb_type_regs(f->spec.type);
		const uint16_t *regs;
		int32_t v = 0;
		int64_t wh = 0;
		int k, rc;

		for (k = 0; k < p->n; k++)
			if (p->read[k].addr <= start &&
			    end <= (uint32_t)p->read[k].addr + p->read[k].count &&
			    p->read[k].count <= MB_MAX_READ)
				break;
		if (k == p->n)
			return -EINVAL;
		regs = p->regs[k] + (start - p->read[k].addr);
		/* kWh -> Wh, A -> mA, V -> mV; power stays in W. */
		if (f->q == RTU_Q_ENERGY)
			rc = mb_reg_decode64(&f->spec, regs, 1000, &wh);
		else
			rc = mb_reg_decode(&f->spec, regs, f->q == RTU_Q_POWER ? 1 : 1000, &v);
		if (rc < 0)
			return rc;
		switch (f->q) {
		case RTU_Q_CURRENT:
			rd.current_ma[f->phase] = v;
			break;
		case RTU_Q_VOLTAGE:
			rd.voltage_mv[f->phase] = v;
			break;
		case RTU_Q_POWER:
			rd.power_w = v;
			rd.has_power = true;
			break;
		case RTU_Q_ENERGY:
			/* An import register only counts up from 0. */
			if (wh < 0)
				return -ERANGE;
			rd.energy_wh = wh;
			break;
		default:
			return -EINVAL;
		}
	}
	*out = rd;
	return 0;
}
