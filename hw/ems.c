/*
 * ems.c - the EMS register table (ems.h).  Pure: the snapshot, the setpoint
 * store and the time come in as arguments.
 *
 * One row per register field; reads and writes walk the rows, so adding a
 * register is adding a row.
 */
#include "hw/ems.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <string.h>

enum scope { SC_SOCKET, SC_STATION };
enum kind { K_U16, K_U32, K_F32, K_F64, K_STR5 };

enum src {
	S_VOLT, S_CUR, S_POWER, S_POWER_SUM, S_ENERGY, S_MODE3, S_APPLIED,
	S_VALID_S, S_SETPOINT, S_PHASES,
	S_ST_MAX, S_N_SOCKETS, S_SCN_CONS, S_SCN_MAX, S_SCN_SAFE,
};

static const struct ems_reg {
	enum scope scope;
	uint16_t addr;
	enum kind kind;
	enum src src;
	int phase;		/* 0..2 where the source has phases */
	bool writable;
} rows[] = {
	{ SC_SOCKET, 306, K_F32, S_VOLT, 0, false },
	{ SC_SOCKET, 308, K_F32, S_VOLT, 1, false },
	{ SC_SOCKET, 310, K_F32, S_VOLT, 2, false },
	{ SC_SOCKET, 320, K_F32, S_CUR, 0, false },
	{ SC_SOCKET, 322, K_F32, S_CUR, 1, false },
	{ SC_SOCKET, 324, K_F32, S_CUR, 2, false },
	{ SC_SOCKET, 338, K_F32, S_POWER, 0, false },
	{ SC_SOCKET, 340, K_F32, S_POWER, 1, false },
	{ SC_SOCKET, 342, K_F32, S_POWER, 2, false },
	{ SC_SOCKET, 344, K_F32, S_POWER_SUM, 0, false },
	{ SC_SOCKET, 374, K_F64, S_ENERGY, 0, false },
	{ SC_SOCKET, 1201, K_STR5, S_MODE3, 0, false },
	{ SC_SOCKET, 1206, K_F32, S_APPLIED, 0, false },
	{ SC_SOCKET, 1208, K_U32, S_VALID_S, 0, false },
	{ SC_SOCKET, 1210, K_F32, S_SETPOINT, 0, true },
	{ SC_SOCKET, 1215, K_U16, S_PHASES, 0, false },
	{ SC_STATION, 1100, K_F32, S_ST_MAX, 0, false },
	{ SC_STATION, 1105, K_U16, S_N_SOCKETS, 0, false },
	{ SC_STATION, 1405, K_F32, S_SCN_CONS, 0, false },
	{ SC_STATION, 1407, K_F32, S_SCN_CONS, 1, false },
	{ SC_STATION, 1409, K_F32, S_SCN_CONS, 2, false },
	{ SC_STATION, 1417, K_F32, S_SCN_MAX, 0, true },
	{ SC_STATION, 1419, K_F32, S_SCN_MAX, 1, true },
	{ SC_STATION, 1421, K_F32, S_SCN_MAX, 2, true },
	{ SC_STATION, 1429, K_F32, S_SCN_SAFE, 0, false },
};
#define N_ROWS ((int)(sizeof(rows) / sizeof(rows[0])))

/* The blocks of the NG9xx EMS map (first and last register). */
static const struct {
	enum scope scope;
	uint16_t first, last;
} blocks[] = {
	{ SC_SOCKET, 300, 425 },	/* socket measurements */
	{ SC_SOCKET, 1200, 1215 },	/* socket status and setpoint */
	{ SC_STATION, 1100, 1105 },	/* station status */
	{ SC_STATION, 1400, 1431 },	/* Smart Charging Network */
};

static int kind_regs(enum kind k)
{
	switch (k) {
	case K_U16:
		return 1;
	case K_U32:
	case K_F32:
		return 2;
	case K_F64:
		return 4;
	case K_STR5:
		return 5;
	default:
		return 1;
	}
}

void ems_snapshot_init(struct ems_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->station.n_sockets = 1;
	s->station.mode = EMS_MODE_OFF;
	s->station.max_ma = EMS_NA;
	s->station.scn_safe_ma = EMS_NA;
	s->station.scn_max_ma = EMS_NA;
	for (int i = 0; i < 3; i++)
		s->station.scn_consumption_ma[i] = EMS_NA;
	for (int k = 0; k < CP_MAX_CONNECTORS; k++) {
		struct ems_socket *o = &s->sock[k];

		o->max_ma = EMS_NA;
		o->applied_ma = EMS_NA;
		for (int i = 0; i < 3; i++)
			o->voltage_mv[i] = o->current_ma[i] = o->power_w[i] = EMS_NA;
		o->energy_wh = EMS_NA64;
		o->phases = EMS_NA;
	}
}

void ems_state_init(struct ems_state *st, int64_t validity_ms)
{
	assert(validity_ms > 0);
	memset(st, 0, sizeof(*st));
	st->validity_ms = validity_ms;
}

static bool fresh(const struct ems_setpoint *sp, cp_mono_t now)
{
	return sp->set && now.ms < sp->until.ms;
}

bool ems_setpoint(const struct ems_state *st, int unit, cp_mono_t now, int32_t *ma)
{
	if (!st || unit < 1 || unit > CP_MAX_CONNECTORS || !fresh(&st->sock[unit - 1], now))
		return false;
	if (ma)
		*ma = st->sock[unit - 1].ma;
	return true;
}

bool ems_scn_setpoint(const struct ems_state *st, int phase, cp_mono_t now, int32_t *ma)
{
	if (!st || phase < 0 || phase > 2 || !fresh(&st->scn[phase], now))
		return false;
	if (ma)
		*ma = st->scn[phase].ma;
	return true;
}

cp_mono_t ems_next_expiry(const struct ems_state *st, cp_mono_t now)
{
	int64_t t = INT64_MAX;

	for (int k = 0; k < CP_MAX_CONNECTORS; k++)
		if (fresh(&st->sock[k], now) && st->sock[k].until.ms < t)
			t = st->sock[k].until.ms;
	for (int i = 0; i < 3; i++)
		if (fresh(&st->scn[i], now) && st->scn[i].until.ms < t)
			t = st->scn[i].until.ms;
	return cp_mono(t);
}

/* The scope of a unit id and, for a socket, its index; -1 when the unit
 * is not ours. */
static int unit_scope(const struct ems_snapshot *snap, uint8_t unit, int *sock)
{
	int n = snap->station.n_sockets;

	if (n > CP_MAX_CONNECTORS)
		n = CP_MAX_CONNECTORS;
	if (unit == EMS_UNIT_STATION) {
		*sock = -1;
		return SC_STATION;
	}
	if (unit >= 1 && unit <= n) {
		*sock = unit - 1;
		return SC_SOCKET;
	}
	return -1;
}

static bool in_one_block(int scope, uint16_t addr, uint16_t count)
{
	uint32_t last = (uint32_t)addr + count - 1;

	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
		if ((int)blocks[b].scope == scope && addr >= blocks[b].first &&
		    last <= blocks[b].last)
			return true;
	return false;
}

static bool milli(int32_t v, double *out)
{
	if (v == EMS_NA)
		return false;
	*out = v / 1000.0;
	return true;
}

static bool whole(int32_t v, double *out)
{
	if (v == EMS_NA)
		return false;
	*out = v;
	return true;
}

static bool setpoint_value(const struct ems_setpoint *sp, cp_mono_t now, double *out)
{
	if (!fresh(sp, now))
		return false;
	*out = sp->ma / 1000.0;
	return true;
}

/* A numeric row's value in its register unit; false when unavailable. */
static bool row_value(const struct ems_reg *r, const struct ems_snapshot *snap,
		      const struct ems_state *st, cp_mono_t now, int sock, double *v)
{
	const struct ems_socket *o = sock >= 0 ? &snap->sock[sock] : NULL;
	const struct ems_station *s = &snap->station;

	switch (r->src) {
	case S_VOLT:
		return milli(o->voltage_mv[r->phase], v);
	case S_CUR:
		return milli(o->current_ma[r->phase], v);
	case S_POWER:
		return whole(o->power_w[r->phase], v);
	case S_POWER_SUM:
		for (int i = 0; i < 3; i++)
			if (o->power_w[i] == EMS_NA)
				return false;
		*v = (double)o->power_w[0] + o->power_w[1] + o->power_w[2];
		return true;
	case S_ENERGY:
		if (o->energy_wh == EMS_NA64)
			return false;
		*v = (double)o->energy_wh;
		return true;
	case S_APPLIED:
		return milli(o->applied_ma, v);
	case S_VALID_S:
		if (!st || !fresh(&st->sock[sock], now)) {
			*v = 0;
			return true;
		}
		/* Rounded up: 0 only once the setpoint has expired. */
		*v = (double)((st->sock[sock].until.ms - now.ms + 999) / 1000);
		return true;
	case S_SETPOINT:
		return st && setpoint_value(&st->sock[sock], now, v);
	case S_PHASES:
		return whole(o->phases, v);
	case S_ST_MAX:
		return milli(s->max_ma, v);
	case S_N_SOCKETS:
		return whole(s->n_sockets, v);
	case S_SCN_CONS:
		return milli(s->scn_consumption_ma[r->phase], v);
	case S_SCN_MAX:
		return st && setpoint_value(&st->scn[r->phase], now, v);
	case S_SCN_SAFE:
		return milli(s->scn_safe_ma, v);
	default:
		return false;
	}
}

static uint16_t clamp_u16(double v)
{
	return v <= 0 ? 0 : v >= 65535 ? 65535 : (uint16_t)v;
}

static uint32_t clamp_u32(double v)
{
	return v <= 0 ? 0 : v >= 4294967295.0 ? UINT32_MAX : (uint32_t)v;
}

/* The registers of one row (kind_regs of them). */
static void encode_row(const struct ems_reg *r, const struct ems_snapshot *snap,
		       const struct ems_state *st, cp_mono_t now, int sock, uint16_t *out)
{
	double v;
	uint32_t u;

	for (int i = 0; i < kind_regs(r->kind); i++)
		out[i] = 0xFFFF;
	if (r->kind == K_STR5) {
		const char *s = snap->sock[sock].mode3;
		size_t n = strnlen(s, EMS_MODE3_LEN);

		if (n == 0)
			return;
		for (size_t i = 0; i < 5; i++) {
			uint8_t hi = 2 * i < n ? (uint8_t)s[2 * i] : 0;
			uint8_t lo = 2 * i + 1 < n ? (uint8_t)s[2 * i + 1] : 0;

			out[i] = (uint16_t)(hi << 8 | lo);
		}
		return;
	}
	if (!row_value(r, snap, st, now, sock, &v))
		return;
	switch (r->kind) {
	case K_U16:
		out[0] = clamp_u16(v);
		break;
	case K_U32:
		u = clamp_u32(v);
		out[0] = (uint16_t)(u >> 16);
		out[1] = (uint16_t)u;
		break;
	case K_F32:
		mb_put_f32(out, (float)v);
		break;
	case K_F64:
		mb_put_f64(out, v);
		break;
	default:
		break;
	}
}

int ems_read(const struct ems_snapshot *snap, const struct ems_state *st, cp_mono_t now,
	     uint8_t unit, uint16_t addr, uint16_t count, uint16_t *regs)
{
	uint32_t end = (uint32_t)addr + count;
	int sock, scope = unit_scope(snap, unit, &sock);

	if (scope < 0)
		return MB_EX_GATEWAY_TARGET;
	if (count < 1 || count > MB_MAX_READ)
		return MB_EX_ILLEGAL_VALUE;
	if (!in_one_block(scope, addr, count))
		return MB_EX_ILLEGAL_ADDRESS;
	for (uint16_t i = 0; i < count; i++)
		regs[i] = 0xFFFF;
	for (int k = 0; k < N_ROWS; k++) {
		const struct ems_reg *r = &rows[k];
		uint32_t r_end = (uint32_t)r->addr + (uint32_t)kind_regs(r->kind);
		uint16_t tmp[5];

		if ((int)r->scope != scope || r_end <= addr || r->addr >= end)
			continue;
		encode_row(r, snap, st, now, sock, tmp);
		for (uint32_t a = r->addr; a < r_end; a++)
			if (a >= addr && a < end)
				regs[a - addr] = tmp[a - r->addr];
	}
	return 0;
}

static const struct ems_reg *row_at(int scope, uint32_t a)
{
	for (int k = 0; k < N_ROWS; k++)
		if ((int)rows[k].scope == scope && a >= rows[k].addr &&
		    a < (uint32_t)rows[k].addr + (uint32_t)kind_regs(rows[k].kind))
			return &rows[k];
	return NULL;
}

int ems_write(struct ems_state *st, const struct ems_snapshot *snap, uint8_t unit,
	      uint16_t addr, uint16_t count, const uint16_t *regs, cp_mono_t now,
	      int64_t validity_ms)
{
	/* A write covers at most MB_MAX_WRITE / 2 floats. */
	struct {
		struct ems_setpoint *sp;
		int32_t ma;
	} todo[MB_MAX_WRITE / 2];
	int n = 0, sock, scope = unit_scope(snap, unit, &sock);
	uint32_t end = (uint32_t)addr + count;

	assert(validity_ms > 0);
	if (scope < 0)
		return MB_EX_GATEWAY_TARGET;
	if (count < 1 || count > MB_MAX_WRITE)
		return MB_EX_ILLEGAL_VALUE;
	if (!in_one_block(scope, addr, count))
		return MB_EX_ILLEGAL_ADDRESS;
	/* Every register written must be part of a writable float written
	 * whole. */
	for (uint32_t a = addr; a < end; a += 2) {
		const struct ems_reg *r = row_at(scope, a);

		if (!r || !r->writable || r->addr != a || a + 2 > end)
			return MB_EX_ILLEGAL_ADDRESS;
		/* A setpoint is writable only where it is applied: the SCN's
		 * with MbsSlaveTCPIPMode SCN, a socket's with socket. */
		if (r->src == S_SCN_MAX && snap->station.mode != EMS_MODE_SCN)
			return MB_EX_ILLEGAL_ADDRESS;
		if (r->src != S_SCN_MAX && snap->station.mode != EMS_MODE_SOCKET)
			return MB_EX_ILLEGAL_ADDRESS;
	}
	/* Then the values, all before any is stored. */
	for (uint32_t a = addr; a < end; a += 2) {
		const struct ems_reg *r = row_at(scope, a);
		float f = mb_get_f32(regs + (a - addr));
		int32_t limit = r->src == S_SCN_MAX ? snap->station.scn_max_ma
						    : snap->sock[sock].max_ma;
		double x;

		if (!isfinite(f) || f < 0)
			return MB_EX_ILLEGAL_VALUE;
		x = (double)f * 1000.0 + 0.5;
		if (limit == EMS_NA || x >= (double)limit + 1.0)
			return MB_EX_ILLEGAL_VALUE;
		todo[n].sp = r->src == S_SCN_MAX ? &st->scn[r->phase] : &st->sock[sock];
		todo[n].ma = (int32_t)x;
		n++;
	}
	for (int i = 0; i < n; i++) {
		todo[i].sp->set = true;
		todo[i].sp->ma = todo[i].ma;
		todo[i].sp->until = cp_mono(now.ms + validity_ms);
	}
	return 0;
}

/* ---------------------------------------------------------------- frames */

static int answer(const uint8_t *req, uint8_t *rsp, int pdu_len)
{
	memcpy(rsp, req, 4);		/* transaction and protocol id */
	mb_put16(rsp + 4, (uint16_t)(pdu_len + 1));
	rsp[6] = req[6];
	return MB_MBAP_LEN + pdu_len;
}

static int exception(const uint8_t *req, uint8_t *rsp, int code)
{
	rsp[7] = (uint8_t)(req[7] | 0x80);
	rsp[8] = (uint8_t)code;
	return answer(req, rsp, 2);
}

int ems_handle(struct ems_state *st, const struct ems_snapshot *snap, cp_mono_t now,
	       const uint8_t *req, size_t len, uint8_t rsp[MB_MAX_ADU])
{
	const uint8_t *pdu = req + MB_MBAP_LEN;
	size_t pdu_len;
	uint16_t regs[MB_MAX_READ];
	uint16_t addr, count;
	int sock, rc;

	/* mb_adu_length is 0 for a frame still incomplete: never len. */
	if (!req || len < MB_MBAP_LEN + 1 || len > MB_MAX_ADU ||
	    mb_adu_length(req, len) != (int)len)
		return -EBADMSG;
	pdu_len = len - MB_MBAP_LEN;
	if (unit_scope(snap, req[6], &sock) < 0)
		return exception(req, rsp, MB_EX_GATEWAY_TARGET);
	switch (pdu[0]) {
	case 0x03:
		if (pdu_len != 5)
			return exception(req, rsp, MB_EX_ILLEGAL_VALUE);
		addr = mb_get16(pdu + 1);
		count = mb_get16(pdu + 3);
		rc = ems_read(snap, st, now, req[6], addr, count, regs);
		if (rc)
			return exception(req, rsp, rc);
		rsp[7] = 0x03;
		rsp[8] = (uint8_t)(2 * count);
		for (int i = 0; i < count; i++)
			mb_put16(rsp + 9 + 2 * i, regs[i]);
		return answer(req, rsp, 2 + 2 * count);
	case 0x06:
		if (pdu_len != 5)
			return exception(req, rsp, MB_EX_ILLEGAL_VALUE);
		regs[0] = mb_get16(pdu + 3);
		rc = ems_write(st, snap, req[6], mb_get16(pdu + 1), 1, regs, now,
			       st->validity_ms);
		if (rc)
			return exception(req, rsp, rc);
		memcpy(rsp + 7, pdu, 5);	/* the echo */
		return answer(req, rsp, 5);
	case 0x10:
		if (pdu_len < 6)
			return exception(req, rsp, MB_EX_ILLEGAL_VALUE);
		addr = mb_get16(pdu + 1);
		count = mb_get16(pdu + 3);
		if (count < 1 || count > MB_MAX_WRITE || pdu[5] != 2 * count ||
		    pdu_len != 6 + (size_t)pdu[5])
			return exception(req, rsp, MB_EX_ILLEGAL_VALUE);
		for (int i = 0; i < count; i++)
			regs[i] = mb_get16(pdu + 6 + 2 * i);
		rc = ems_write(st, snap, req[6], addr, count, regs, now, st->validity_ms);
		if (rc)
			return exception(req, rsp, rc);
		memcpy(rsp + 7, pdu, 5);	/* function, address, quantity */
		return answer(req, rsp, 5);
	default:
		return exception(req, rsp, MB_EX_ILLEGAL_FUNCTION);
	}
}
