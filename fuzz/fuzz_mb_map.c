/*
 * fuzz_mb_map.c - libFuzzer target: the Modbus register codec and the EMS
 * register table (hw/mb_map.h, hw/ems.h).
 *
 * The first byte picks what the rest is:
 *   0  a MBTCPSmart-CustomMap text for mb_map_parse.  Checked: a refusal
 *      says why, an acceptance has no why; the register and scale agree
 *      with strtoul/strtod of the fields; the canonical text parses back
 *      to a spec that formats the same and decodes every value the same.
 *   1  an EMS read and write: unit, address, count, flags (mode, sockets),
 *      registers.  Checked: only the exception codes of ems.h; a read
 *      never writes past count; a refused write leaves the store as it
 *      was; an accepted one stores every float rounded to the mA, within
 *      its limit, and reads back.
 *   2  a request frame for ems_handle.  Checked: a whole frame gets an
 *      answer that is a whole frame with its transaction and unit, the
 *      function echoed or flagged as an exception; anything else -EBADMSG.
 *   3  a spec, registers and a multiplier for mb_reg_decode, a map for
 *      mb_map_plan and a frame for mb_adu_read_response.  Checked: the
 *      decoded value against long double arithmetic; every field of a plan
 *      inside one read of 1..125 registers, the reads in order; a frame
 *      accepted as an answer has the size asked for.
 * A failed check aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ems.h"
#include "hw/mb_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_mb_map: %s\n", what);
	abort();
}

/* Bytes taken from the input, zeros once it is used up. */
struct take {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct take *t)
{
	if (!t->n)
		return 0;
	t->n--;
	return *t->p++;
}

static uint16_t u16(struct take *t)
{
	uint16_t hi = u8(t);

	return (uint16_t)(hi << 8 | u8(t));
}

static uint64_t u64(struct take *t)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | u8(t);
	return v;
}

/* --------------------------------------------------------- 0: map specs */

static void field(const char *s, int k, char *out, size_t outlen)
{
	const char *b = s, *e;
	size_t len;

	while (k-- > 0)
		b = strchr(b, ',') + 1;
	e = strchr(b, ',');
	len = e ? (size_t)(e - b) : strlen(b);
	while (len && (*b == ' ' || *b == '\t')) {
		b++;
		len--;
	}
	while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
		len--;
	if (len >= outlen)
		fail("field longer than the input");
	memcpy(out, b, len);
	out[len] = '\0';
}

static void check_spec(const char *s)
{
	struct mb_reg_spec a, b;
	char why[128], canon[MB_SPEC_TEXT], again[MB_SPEC_TEXT], f[512];
	static const uint16_t samples[][4] = {
		{ 0, 0, 0, 0 }, { 1, 2, 3, 4 }, { 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF },
		{ 0x8000, 0, 0, 0 }, { 0x4184, 0, 0, 1 }, { 0x7FC0, 0, 0, 0 },
		{ 0, 0x3E8, 0, 0 },
	};
	int rc = mb_map_parse(s, &a, why, sizeof(why));

	if (rc != 0) {
		if (rc != -EINVAL || !why[0] || strlen(why) >= sizeof(why))
			fail("a refusal without a reason");
		return;
	}
	if (why[0])
		fail("an acceptance with a reason");
	/* The register as strtoul reads it. */
	field(s, 0, f, sizeof(f));
	unsigned long reg = (f[0] == '0' && (f[1] == 'x' || f[1] == 'X'))
				    ? strtoul(f + 2, NULL, 16) : strtoul(f, NULL, 10);
	if (reg != a.reg)
		fail("register differs from strtoul");
	/* The scale as strtod reads it (the grammar is a subset of its). */
	field(s, 2, f, sizeof(f));
	char *end;
	double d = strtod(f, &end), mine = (double)a.mant / pow(10, a.exp10);
	if (*end || fabs(d - mine) > fabs(d) * 1e-15)
		fail("scale differs from strtod");
	if (mb_map_format(&a, canon) <= 0)
		fail("an accepted spec does not format");
	if (mb_map_parse(canon, &b, NULL, 0) != 0 || mb_map_format(&b, again) <= 0 ||
	    strcmp(canon, again) != 0)
		fail("canonical text is not a fixed point");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		int32_t x = 1, y = 2;
		int ra = mb_reg_decode(&a, samples[i], 1000, &x);
		int rb = mb_reg_decode(&b, samples[i], 1000, &y);

		if (ra != rb || (ra == 0 && x != y))
			fail("canonical spec decodes differently");
	}
}

/* ------------------------------------------------------- 1: EMS table */

static void snapshot(struct ems_snapshot *snap, uint8_t flags)
{
	ems_snapshot_init(snap);
	snap->station.n_sockets = 1 + (flags & 1);
	snap->station.mode = (flags & 2) ? EMS_MODE_SCN : EMS_MODE_SOCKET;
	snap->station.max_ma = 63000;
	snap->station.scn_max_ma = (flags & 4) ? EMS_NA : 400000;
	snap->station.scn_consumption_ma[1] = 12345;
	for (int k = 0; k < CP_MAX_CONNECTORS; k++) {
		snap->sock[k].max_ma = (flags & 8) ? EMS_NA : 32000;
		snap->sock[k].applied_ma = 16000;
		snap->sock[k].current_ma[0] = 15999;
		snap->sock[k].power_w[0] = snap->sock[k].power_w[1] = 0;
		snap->sock[k].power_w[2] = (flags & 16) ? EMS_NA : 1;
		snap->sock[k].energy_wh = 987654321;
		snprintf(snap->sock[k].mode3, sizeof(snap->sock[k].mode3), "%s",
			 (flags & 32) ? "" : "C2");
		snap->sock[k].phases = 3;
	}
}

static bool ems_code(int rc)
{
	return rc == 0 || rc == MB_EX_ILLEGAL_ADDRESS || rc == MB_EX_ILLEGAL_VALUE ||
	       rc == MB_EX_GATEWAY_TARGET;
}

static void check_ems(struct take *t)
{
	struct ems_snapshot snap;
	struct ems_state st, before;
	uint8_t unit = u8(t), flags = u8(t);
	uint16_t addr = u16(t), count = u16(t) & 0x1FF;
	uint16_t regs[MB_MAX_READ + 8], w[MB_MAX_READ + 8];
	cp_mono_t now = cp_mono(1000000);
	int rc;

	snapshot(&snap, flags);
	ems_state_init(&st, 60000);
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		w[i] = u16(t);
	/* Read, with guards past count. */
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		regs[i] = 0xA5A5;
	rc = ems_read(&snap, &st, now, unit, addr, count > MB_MAX_READ ? MB_MAX_READ + 1 : count,
		      regs);
	if (!ems_code(rc))
		fail("ems_read: an exception code ems.h does not list");
	if (count > MB_MAX_READ && rc == 0)
		fail("ems_read: more than 125 registers");
	for (size_t i = count > MB_MAX_READ ? MB_MAX_READ + 1 : count;
	     i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i] != 0xA5A5)
			fail("ems_read wrote past count");
	/* Write. */
	if (count > MB_MAX_READ)
		count = MB_MAX_READ;
	before = st;
	rc = ems_write(&st, &snap, unit, addr, count, w, now, 60000);
	if (!ems_code(rc))
		fail("ems_write: an exception code ems.h does not list");
	if (rc != 0) {
		if (memcmp(&before, &st, sizeof(st)) != 0)
			fail("a refused write changed the store");
		return;
	}
	if (count < 2 || count % 2)
		fail("a write of part of a float accepted");
	for (uint16_t k = 0; k < count; k += 2) {
		float f = mb_get_f32(w + k);
		int32_t ma, limit;
		uint16_t back[2];
		uint16_t a = (uint16_t)(addr + k);
		bool ok;

		if (unit == EMS_UNIT_STATION) {
			if (a != 1417 && a != 1419 && a != 1421)
				fail("a station register other than the SCN setpoints written");
			if (snap.station.mode != EMS_MODE_SCN)
				fail("an SCN setpoint written outside SCN mode");
			ok = ems_scn_setpoint(&st, (a - 1417) / 2, now, &ma);
			limit = snap.station.scn_max_ma;
		} else {
			if (a != 1210)
				fail("a socket register other than 1210 written");
			ok = ems_setpoint(&st, unit, now, &ma);
			limit = snap.sock[unit - 1].max_ma;
		}
		if (!ok || !(f >= 0) || ma < 0 || ma > limit || fabs(f * 1000.0 - ma) > 0.5 + 1e-6)
			fail("a stored setpoint is not the float written");
		if (ems_read(&snap, &st, now, unit, a, 2, back) != 0 ||
		    mb_get_f32(back) != (float)(ma / 1000.0))
			fail("a stored setpoint does not read back");
	}
}

/* ------------------------------------------------------- 2: frames */

static void check_handle(const uint8_t *req, size_t len, uint8_t flags)
{
	struct ems_snapshot snap;
	struct ems_state st;
	uint8_t rsp[MB_MAX_ADU];
	int n;

	snapshot(&snap, flags);
	ems_state_init(&st, 5000);
	n = ems_handle(&st, &snap, cp_mono(0), req, len, rsp);
	if (len < MB_MBAP_LEN + 1 || len > MB_MAX_ADU || mb_adu_length(req, len) != (int)len) {
		if (n != -EBADMSG)
			fail("ems_handle answered what is not a frame");
		return;
	}
	if (n < 9 || n > MB_MAX_ADU || mb_adu_length(rsp, (size_t)n) != n)
		fail("an answer that is not a whole frame");
	if (memcmp(rsp, req, 2) != 0 || rsp[6] != req[6])
		fail("the answer's transaction or unit differs");
	if (rsp[7] == (req[7] | 0x80)) {
		if (n != 9 || rsp[8] == 0 ||
		    (!ems_code(rsp[8]) && rsp[8] != MB_EX_ILLEGAL_FUNCTION))
			fail("a malformed exception");
	} else if (rsp[7] != req[7] || (req[7] != 3 && req[7] != 6 && req[7] != 0x10)) {
		fail("an answer to another function");
	}
}

/* ------------------------------------------------------- 3: codec */

static void check_decode(struct take *t)
{
	struct mb_reg_spec s;
	uint16_t r[4];
	int32_t mult, out = 7;
	uint8_t b = u8(t);
	int rc;

	s.type = (enum mb_type)(b % 8);
	s.reg = u16(t);
	s.mant = (int64_t)u64(t) % 1000000000000000000LL;
	s.exp10 = u8(t) % 21;
	mult = (int32_t)(u16(t) % 1002);
	for (int i = 0; i < 4; i++)
		r[i] = u16(t);
	rc = mb_reg_decode(&s, r, mult, &out);
	if (rc == -EINVAL)
		return;
	if (rc != 0 && rc != -ERANGE)
		fail("mb_reg_decode: an unknown error");
	long double v;
	uint64_t u = 0;
	for (int i = 0; i < mb_type_regs(s.type); i++)
		u = u << 16 | r[i];
	switch (s.type) {
	case MB_S16: v = (int16_t)u; break;
	case MB_S32: v = (int32_t)(uint32_t)u; break;
	case MB_S64: v = (int64_t)u; break;
	case MB_F32: {
		uint32_t bits = (uint32_t)u;
		float f;

		memcpy(&f, &bits, sizeof(f));
		if (!isfinite(f)) {
			if (rc != -ERANGE)
				fail("a non-finite float decoded");
			return;
		}
		v = f;
		break;
	}
	default: v = u; break;
	}
	long double x = v * s.mant * mult / powl(10, s.exp10);
	if (rc == 0 && fabsl(x - out) > 0.5L + fabsl(x) * 1e-15L)
		fail("mb_reg_decode differs from long double arithmetic");
	if (rc == -ERANGE && fabsl(x) < 2147483647.0L - 1)
		fail("mb_reg_decode refused a value in range");
}

static void check_plan(struct take *t)
{
	struct mb_map map;
	static struct mb_poll p;

	memset(&map, 0, sizeof(map));
	map.n = 1 + u8(t) % MB_MAP_MAX_FIELDS;
	map.max_gap = u8(t) % 130;
	for (int i = 0; i < map.n; i++) {
		map.field[i].spec.reg = u16(t);
		map.field[i].spec.type = (enum mb_type)(u8(t) % 7);
		map.field[i].spec.mant = 1;
		map.field[i].spec.exp10 = 3;
		map.field[i].phase = i % 3;
		map.field[i].q = MB_Q_CURRENT;
	}
	if (mb_map_plan(&map, &p) != 0)
		return;
	if (p.n < 1 || p.n > map.n)
		fail("a plan with more reads than fields");
	for (int k = 0; k < p.n; k++) {
		if (p.req[k].count < 1 || p.req[k].count > MB_MAX_READ ||
		    (uint32_t)p.req[k].addr + p.req[k].count > 65536)
			fail("a read outside 1..125 registers");
		/* Reads may overlap (a field that would take a read past
		 * 125 registers starts a new one), never go backwards. */
		if (k > 0 && p.req[k - 1].addr > p.req[k].addr)
			fail("reads out of order");
	}
	for (int i = 0; i < map.n; i++) {
		uint32_t a = map.field[i].spec.reg;
		uint32_t e = a + (uint32_t)mb_type_regs(map.field[i].spec.type);
		int k;

		for (k = 0; k < p.n; k++)
			if (p.req[k].addr <= a && e <= (uint32_t)p.req[k].addr + p.req[k].count)
				break;
		if (k == p.n)
			fail("a field in no read");
	}
	memset(p.regs, 0, sizeof(p.regs));
	struct mb_reading rd;
	if (mb_map_reading(&map, &p, &rd) != 0)
		fail("a reading of zeros failed");
}

static void check_response(struct take *t)
{
	uint8_t f[MB_MAX_ADU];
	uint16_t regs[MB_MAX_READ];
	size_t n = t->n < sizeof(f) ? t->n : sizeof(f);
	uint16_t count = (uint16_t)(1 + (n ? t->p[0] : 0) % MB_MAX_READ);
	int rc;

	memcpy(f, t->p, n);
	rc = mb_adu_read_response(f, n, mb_get16(f), n > 6 ? f[6] : 0, count, regs);
	if (rc != 0 && rc != -EBADMSG && (rc < 1 || rc > 255))
		fail("mb_adu_read_response: an unknown result");
	if (rc == 0 && n != 9 + 2 * (size_t)count)
		fail("a response of the wrong size accepted");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct take t = { data + 1, size ? size - 1 : 0 };
	char text[512];

	if (size == 0)
		return 0;
	switch (data[0] % 4) {
	case 0:
		if (t.n >= sizeof(text))
			t.n = sizeof(text) - 1;
		memcpy(text, t.p, t.n);
		text[t.n] = '\0';
		check_spec(text);
		break;
	case 1:
		check_ems(&t);
		break;
	case 2:
		check_handle(t.p, t.n, (uint8_t)(data[0] >> 2));
		break;
	default: {
		struct take t2 = t, t3 = t;

		check_decode(&t);
		check_plan(&t2);
		check_response(&t3);
		break;
	}
	}
	return 0;
}
