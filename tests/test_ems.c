/*
 * test_ems.c - the EMS register table (hw/ems.h): every register read back
 * with its value and encoding, gaps and unavailable values as 0xFFFF, the
 * setpoint store with its validity and expiry, every exception path (wrong
 * unit, unknown function, bad quantity, outside the map, read-only, part of
 * a float, SCN registers outside SCN mode, NaN, infinity, negative, too
 * high), and whole request frames through ems_handle.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hw/ems.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define VALIDITY_MS 60000

static struct ems_snapshot snap;
static struct ems_state st;

static int setup(void **state)
{
	(void)state;
	ems_snapshot_init(&snap);
	snap.station.n_sockets = 2;
	snap.station.mode = EMS_MODE_SOCKET;
	snap.station.max_ma = 50000;
	snap.station.scn_consumption_ma[0] = 101000;
	snap.station.scn_consumption_ma[1] = 102500;
	snap.station.scn_consumption_ma[2] = 0;
	snap.station.scn_safe_ma = 40000;
	snap.station.scn_max_ma = 250000;
	for (int k = 0; k < 2; k++) {
		struct ems_socket *o = &snap.sock[k];

		o->max_ma = 32000;
		o->applied_ma = 16000 + 1000 * k;
		for (int i = 0; i < 3; i++) {
			o->voltage_mv[i] = 230000 + 100 * i;
			o->current_ma[i] = 15500 + i + 10 * k;
			o->power_w[i] = 3500 + i;
		}
		o->energy_wh = 123456789;
		snprintf(o->mode3, sizeof(o->mode3), "%s", k ? "B1" : "C2");
		o->phases = k ? 1 : 3;
	}
	ems_state_init(&st, VALIDITY_MS);
	return 0;
}

static float rd_f32(uint8_t unit, uint16_t addr, cp_mono_t now)
{
	uint16_t r[2];

	assert_int_equal(ems_read(&snap, &st, now, unit, addr, 2, r), 0);
	return mb_get_f32(r);
}

static uint32_t rd_u32(uint8_t unit, uint16_t addr, cp_mono_t now)
{
	uint16_t r[2];

	assert_int_equal(ems_read(&snap, &st, now, unit, addr, 2, r), 0);
	return (uint32_t)r[0] << 16 | r[1];
}

static uint16_t rd_u16(uint8_t unit, uint16_t addr)
{
	uint16_t r;

	assert_int_equal(ems_read(&snap, &st, cp_mono(0), unit, addr, 1, &r), 0);
	return r;
}

static int wr_f32(uint8_t unit, uint16_t addr, float f, int64_t now)
{
	uint16_t r[2];

	mb_put_f32(r, f);
	return ems_write(&st, &snap, unit, addr, 2, r, cp_mono(now), VALIDITY_MS);
}

static void test_read_every_register(void **state)
{
	(void)state;
	static const struct {
		uint8_t unit;
		uint16_t addr;
		float want;
	} floats[] = {
		{ 1, 306, 230.0f }, { 1, 308, 230.1f }, { 1, 310, 230.2f },
		{ 1, 320, 15.5f }, { 1, 322, 15.501f }, { 1, 324, 15.502f },
		{ 2, 320, 15.51f },
		{ 1, 338, 3500.0f }, { 1, 340, 3501.0f }, { 1, 342, 3502.0f },
		{ 1, 344, 10503.0f },
		{ 1, 1206, 16.0f }, { 2, 1206, 17.0f },
		{ 200, 1100, 50.0f },
		{ 200, 1405, 101.0f }, { 200, 1407, 102.5f }, { 200, 1409, 0.0f },
		{ 200, 1429, 40.0f },
	};
	uint16_t r[5];

	for (size_t i = 0; i < N(floats); i++) {
		print_message("unit %u reg %u\n", floats[i].unit, floats[i].addr);
		assert_true(rd_f32(floats[i].unit, floats[i].addr, cp_mono(0)) == floats[i].want);
	}
	/* f64 energy, high word first. */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 374, 4, r), 0);
	assert_true(mb_get_f64(r) == 123456789.0);
	assert_int_equal(r[0], 0x419D);
	/* Mode 3 state: "C2" in the first register, NUL padded. */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1201, 5, r), 0);
	assert_int_equal(r[0], 'C' << 8 | '2');
	for (int i = 1; i < 5; i++)
		assert_int_equal(r[i], 0);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 2, 1201, 5, r), 0);
	assert_int_equal(r[0], 'B' << 8 | '1');
	/* u16 */
	assert_int_equal(rd_u16(1, 1215), 3);
	assert_int_equal(rd_u16(2, 1215), 1);
	assert_int_equal(rd_u16(200, 1105), 2);
	/* No setpoint yet: 1210 NaN, 1208 zero, SCN setpoints NaN. */
	assert_true(isnan(rd_f32(1, 1210, cp_mono(0))));
	assert_int_equal(rd_u32(1, 1208, cp_mono(0)), 0);
	assert_true(isnan(rd_f32(200, 1417, cp_mono(0))));
	assert_true(isnan(rd_f32(200, 1421, cp_mono(0))));
}

static void test_mode3_full_width(void **state)
{
	(void)state;
	uint16_t r[5];

	snprintf(snap.sock[0].mode3, sizeof(snap.sock[0].mode3), "ABCDEFGHIJ");
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1201, 5, r), 0);
	assert_int_equal(r[0], 'A' << 8 | 'B');
	assert_int_equal(r[4], 'I' << 8 | 'J');
	snprintf(snap.sock[0].mode3, sizeof(snap.sock[0].mode3), "E");
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1201, 5, r), 0);
	assert_int_equal(r[0], 'E' << 8);
	/* Part of the string: its third register. */
	snprintf(snap.sock[0].mode3, sizeof(snap.sock[0].mode3), "12345");
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1203, 1, r), 0);
	assert_int_equal(r[0], '5' << 8);
}

static void test_unavailable_and_gaps(void **state)
{
	(void)state;
	uint16_t r[125];

	snap.sock[0].current_ma[1] = EMS_NA;
	snap.sock[0].power_w[2] = EMS_NA;
	snap.sock[0].energy_wh = EMS_NA64;
	snap.sock[0].mode3[0] = '\0';
	snap.sock[0].phases = EMS_NA;
	snap.station.scn_safe_ma = EMS_NA;
	assert_true(isnan(rd_f32(1, 322, cp_mono(0))));
	assert_true(isnan(rd_f32(1, 342, cp_mono(0))));
	assert_true(isnan(rd_f32(1, 344, cp_mono(0))));	/* a sum with a part missing */
	assert_true(isnan(rd_f32(200, 1429, cp_mono(0))));
	assert_int_equal(rd_u16(1, 1215), 0xFFFF);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 374, 4, r), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(r[i], 0xFFFF);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1201, 5, r), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(r[i], 0xFFFF);
	/* The raw 0xFFFF pair is what NaN reads as. */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 322, 2, r), 0);
	assert_int_equal(r[0], 0xFFFF);
	assert_int_equal(r[1], 0xFFFF);
	/* Registers of a block with nothing in them. */
	static const struct { uint8_t unit; uint16_t addr; } gaps[] = {
		{ 1, 300 }, { 1, 305 }, { 1, 312 }, { 1, 319 }, { 1, 326 }, { 1, 346 },
		{ 1, 373 }, { 1, 378 }, { 1, 425 }, { 1, 1200 }, { 1, 1212 }, { 1, 1214 },
		{ 200, 1102 }, { 200, 1104 }, { 200, 1400 }, { 200, 1404 }, { 200, 1411 },
		{ 200, 1423 }, { 200, 1431 },
	};
	for (size_t i = 0; i < N(gaps); i++)
		assert_int_equal(rd_u16(gaps[i].unit, gaps[i].addr), 0xFFFF);
	/* A master reading a whole block at once. */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 300, 125, r), 0);
	assert_int_equal(r[0], 0xFFFF);
	assert_true(mb_get_f32(r + 20) == 15.5f);	/* 320 */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 301, 125, r), 0);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1200, 16, r), 0);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 200, 1400, 32, r), 0);
	assert_true(mb_get_f32(r + 5) == 101.0f);	/* 1405 */
	/* Half a float: its low word. */
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 321, 1, r), 0);
	uint16_t whole[2];
	mb_put_f32(whole, 15.5f);
	assert_int_equal(r[0], whole[1]);
}

static void test_setpoint_validity_expiry(void **state)
{
	(void)state;
	int32_t ma = 0;

	assert_false(ems_setpoint(&st, 1, cp_mono(1000), &ma));
	assert_int_equal(ems_next_expiry(&st, cp_mono(1000)).ms, INT64_MAX);
	assert_int_equal(wr_f32(1, 1210, 10.5f, 1000), 0);
	assert_true(ems_setpoint(&st, 1, cp_mono(1000), &ma));
	assert_int_equal(ma, 10500);
	assert_false(ems_setpoint(&st, 2, cp_mono(1000), NULL));	/* other socket */
	assert_true(rd_f32(1, 1210, cp_mono(1000)) == 10.5f);
	assert_true(isnan(rd_f32(2, 1210, cp_mono(1000))));
	assert_int_equal(rd_u32(1, 1208, cp_mono(1000)), 60);
	assert_int_equal(rd_u32(1, 1208, cp_mono(1001)), 60);	/* 59.999 s: rounded up */
	assert_int_equal(rd_u32(1, 1208, cp_mono(2000)), 59);
	assert_int_equal(rd_u32(1, 1208, cp_mono(60999)), 1);
	assert_int_equal(ems_next_expiry(&st, cp_mono(2000)).ms, 61000);
	assert_true(ems_setpoint(&st, 1, cp_mono(60999), &ma));
	/* Expired at now + validity exactly. */
	assert_false(ems_setpoint(&st, 1, cp_mono(61000), &ma));
	assert_true(isnan(rd_f32(1, 1210, cp_mono(61000))));
	assert_int_equal(rd_u32(1, 1208, cp_mono(61000)), 0);
	assert_int_equal(ems_next_expiry(&st, cp_mono(61000)).ms, INT64_MAX);
	/* A fresh write renews it; the applied current (1206) is the
	 * station's, not the setpoint. */
	assert_int_equal(wr_f32(1, 1210, 6.0f, 70000), 0);
	assert_true(ems_setpoint(&st, 1, cp_mono(129999), &ma));
	assert_int_equal(ma, 6000);
	assert_true(rd_f32(1, 1206, cp_mono(70000)) == 16.0f);
	/* Zero is a setpoint (pause); the maximum exactly is allowed; -0.0
	 * is not negative. */
	assert_int_equal(wr_f32(2, 1210, 0.0f, 70000), 0);
	assert_true(ems_setpoint(&st, 2, cp_mono(70000), &ma));
	assert_int_equal(ma, 0);
	assert_int_equal(wr_f32(2, 1210, 32.0f, 70000), 0);
	assert_true(ems_setpoint(&st, 2, cp_mono(70000), &ma));
	assert_int_equal(ma, 32000);
	assert_int_equal(wr_f32(2, 1210, -0.0f, 70000), 0);
	assert_true(ems_setpoint(&st, 2, cp_mono(70000), &ma));
	assert_int_equal(ma, 0);
	/* Rounded to the mA. */
	assert_int_equal(wr_f32(2, 1210, 12.3456f, 70000), 0);
	assert_true(ems_setpoint(&st, 2, cp_mono(70000), &ma));
	assert_int_equal(ma, 12346);
	/* A validity of its own per write. */
	uint16_t r[2];
	mb_put_f32(r, 8.0f);
	assert_int_equal(ems_write(&st, &snap, 2, 1210, 2, r, cp_mono(0), 5000), 0);
	assert_true(ems_setpoint(&st, 2, cp_mono(4999), &ma));
	assert_false(ems_setpoint(&st, 2, cp_mono(5000), &ma));
	assert_false(ems_setpoint(&st, 0, cp_mono(0), &ma));
	assert_false(ems_setpoint(&st, CP_MAX_CONNECTORS + 1, cp_mono(0), &ma));
}

static void test_refused_writes_keep_the_setpoint(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t unit;
		uint16_t addr;
		uint16_t count;
		uint16_t regs[6];
		int want;
	} cases[] = {
		/* unit */
		{ "unit 0", 0, 1210, 2, { 0x4120, 0 }, MB_EX_GATEWAY_TARGET },
		{ "unit 3 of 2 sockets", 3, 1210, 2, { 0x4120, 0 }, MB_EX_GATEWAY_TARGET },
		{ "unit 199", 199, 1210, 2, { 0x4120, 0 }, MB_EX_GATEWAY_TARGET },
		{ "unit 201", 201, 1417, 2, { 0x4120, 0 }, MB_EX_GATEWAY_TARGET },
		{ "unit 255", 255, 1210, 2, { 0x4120, 0 }, MB_EX_GATEWAY_TARGET },
		/* quantity */
		{ "no register", 1, 1210, 0, { 0 }, MB_EX_ILLEGAL_VALUE },
		{ "124 registers", 1, 1210, 124, { 0 }, MB_EX_ILLEGAL_VALUE },
		/* address */
		{ "read-only 1206", 1, 1206, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "read-only 1208", 1, 1208, 2, { 0, 10 }, MB_EX_ILLEGAL_ADDRESS },
		{ "read-only 1215", 1, 1215, 1, { 3 }, MB_EX_ILLEGAL_ADDRESS },
		{ "read-only 320", 1, 320, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "a gap, 1212", 1, 1212, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "high half of 1210", 1, 1210, 1, { 0x4120 }, MB_EX_ILLEGAL_ADDRESS },
		{ "low half of 1210", 1, 1211, 1, { 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "1211..1212", 1, 1211, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "1209..1211", 1, 1209, 3, { 0, 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "1210..1213", 1, 1210, 4, { 0x4120, 0, 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "1210 and a read-only 1208", 1, 1208, 4, { 0, 1, 0x4120, 0 },
		  MB_EX_ILLEGAL_ADDRESS },
		{ "1210 past the block", 1, 1214, 4, { 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "outside the map", 1, 2000, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "at 65535", 1, 65535, 1, { 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "station regs on a socket", 1, 1417, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "socket regs on the station", 200, 1210, 2, { 0x4120, 0 },
		  MB_EX_ILLEGAL_ADDRESS },
		{ "SCN outside SCN mode", 200, 1417, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		{ "read-only station 1100", 200, 1100, 2, { 0x4120, 0 }, MB_EX_ILLEGAL_ADDRESS },
		/* value */
		{ "NaN", 1, 1210, 2, { 0x7FC0, 0 }, MB_EX_ILLEGAL_VALUE },
		{ "0xFFFF NaN", 1, 1210, 2, { 0xFFFF, 0xFFFF }, MB_EX_ILLEGAL_VALUE },
		{ "+inf", 1, 1210, 2, { 0x7F80, 0 }, MB_EX_ILLEGAL_VALUE },
		{ "-inf", 1, 1210, 2, { 0xFF80, 0 }, MB_EX_ILLEGAL_VALUE },
		{ "negative", 1, 1210, 2, { 0xBF80, 0 } /* -1 */, MB_EX_ILLEGAL_VALUE },
		{ "tiny negative", 1, 1210, 2, { 0x8000, 1 }, MB_EX_ILLEGAL_VALUE },
		{ "above the socket's max", 1, 1210, 2, { 0x4200, 0x6666 } /* 32.1 */,
		  MB_EX_ILLEGAL_VALUE },
		{ "1e30", 1, 1210, 2, { 0x7149, 0xF2CA }, MB_EX_ILLEGAL_VALUE },
	};
	int32_t ma;

	assert_int_equal(wr_f32(1, 1210, 10.0f, 0), 0);
	for (size_t i = 0; i < N(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(ems_write(&st, &snap, cases[i].unit, cases[i].addr,
					   cases[i].count, cases[i].regs, cp_mono(1000),
					   VALIDITY_MS), cases[i].want);
		assert_true(ems_setpoint(&st, 1, cp_mono(1000), &ma));
		assert_int_equal(ma, 10000);
		/* ...and with the old expiry. */
		assert_false(ems_setpoint(&st, 1, cp_mono(VALIDITY_MS), &ma));
	}
	/* 32.0004 A rounds to 32000 mA: allowed; 32.0005 rounds up: refused. */
	assert_int_equal(wr_f32(1, 1210, 32.0004f, 0), 0);
	assert_int_equal(wr_f32(1, 1210, 32.0006f, 0), MB_EX_ILLEGAL_VALUE);
	/* A socket whose maximum the station did not fill takes only 0. */
	snap.sock[1].max_ma = EMS_NA;
	assert_int_equal(wr_f32(2, 1210, 6.0f, 0), MB_EX_ILLEGAL_VALUE);
}

static void test_read_exceptions(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t unit;
		uint16_t addr;
		uint16_t count;
		int want;
	} cases[] = {
		{ "unit 0", 0, 320, 2, MB_EX_GATEWAY_TARGET },
		{ "unit 3", 3, 320, 2, MB_EX_GATEWAY_TARGET },
		{ "unit 247", 247, 320, 2, MB_EX_GATEWAY_TARGET },
		{ "unit 255", 255, 1100, 2, MB_EX_GATEWAY_TARGET },
		{ "count 0", 1, 320, 0, MB_EX_ILLEGAL_VALUE },
		{ "count 126", 1, 300, 126, MB_EX_ILLEGAL_VALUE },
		{ "below the map", 1, 299, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "into the map from below", 1, 299, 3, MB_EX_ILLEGAL_ADDRESS },
		{ "past block end", 1, 302, 125, MB_EX_ILLEGAL_ADDRESS },
		{ "426", 1, 426, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "1199", 1, 1199, 2, MB_EX_ILLEGAL_ADDRESS },
		{ "1216", 1, 1216, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "1214..1216", 1, 1214, 3, MB_EX_ILLEGAL_ADDRESS },
		{ "0", 1, 0, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "65535", 1, 65535, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "65500 x 125 wraps", 1, 65500, 125, MB_EX_ILLEGAL_ADDRESS },
		{ "station block on a socket", 1, 1100, 2, MB_EX_ILLEGAL_ADDRESS },
		{ "socket block on the station", 200, 320, 2, MB_EX_ILLEGAL_ADDRESS },
		{ "1106", 200, 1106, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "1104..1107", 200, 1104, 4, MB_EX_ILLEGAL_ADDRESS },
		{ "1432", 200, 1432, 1, MB_EX_ILLEGAL_ADDRESS },
		{ "across two blocks", 200, 1100, 125, MB_EX_ILLEGAL_ADDRESS },
	};
	uint16_t r[125];

	for (size_t i = 0; i < N(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(ems_read(&snap, &st, cp_mono(0), cases[i].unit, cases[i].addr,
					  cases[i].count, r), cases[i].want);
	}
	/* One socket: unit 2 is no longer ours. */
	snap.station.n_sockets = 1;
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 2, 320, 2, r), MB_EX_GATEWAY_TARGET);
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 320, 2, r), 0);
}

static void test_scn_setpoints(void **state)
{
	(void)state;
	uint16_t r[6];
	int32_t ma;

	mb_put_f32(r, 100.0f);
	mb_put_f32(r + 2, 110.0f);
	mb_put_f32(r + 4, 120.0f);
	/* Not in SCN mode: the registers are not there to write. */
	assert_int_equal(ems_write(&st, &snap, 200, 1417, 6, r, cp_mono(0), VALIDITY_MS),
			 MB_EX_ILLEGAL_ADDRESS);
	assert_false(ems_scn_setpoint(&st, 0, cp_mono(0), &ma));
	snap.station.mode = EMS_MODE_SCN;
	/* In SCN mode a socket's own setpoint is not applied: not writable. */
	assert_int_equal(ems_write(&st, &snap, 1, 1210, 2, r, cp_mono(0), VALIDITY_MS),
			 MB_EX_ILLEGAL_ADDRESS);
	assert_false(ems_setpoint(&st, 1, cp_mono(0), &ma));
	/* All three in one request. */
	assert_int_equal(ems_write(&st, &snap, 200, 1417, 6, r, cp_mono(0), VALIDITY_MS), 0);
	assert_true(ems_scn_setpoint(&st, 0, cp_mono(0), &ma));
	assert_int_equal(ma, 100000);
	assert_true(ems_scn_setpoint(&st, 2, cp_mono(0), &ma));
	assert_int_equal(ma, 120000);
	assert_true(rd_f32(200, 1419, cp_mono(0)) == 110.0f);
	/* One phase alone. */
	mb_put_f32(r, 50.0f);
	assert_int_equal(ems_write(&st, &snap, 200, 1419, 2, r, cp_mono(1000), VALIDITY_MS), 0);
	assert_true(ems_scn_setpoint(&st, 1, cp_mono(1000), &ma));
	assert_int_equal(ma, 50000);
	/* One bad value refuses the whole request. */
	mb_put_f32(r, 10.0f);
	mb_put_f32(r + 2, 10.0f);
	mb_put_f32(r + 4, 251.0f);	/* above scn_max_ma */
	assert_int_equal(ems_write(&st, &snap, 200, 1417, 6, r, cp_mono(2000), VALIDITY_MS),
			 MB_EX_ILLEGAL_VALUE);
	assert_true(ems_scn_setpoint(&st, 0, cp_mono(2000), &ma));
	assert_int_equal(ma, 100000);
	/* Past the three: 1423 is not writable. */
	assert_int_equal(ems_write(&st, &snap, 200, 1421, 4, r, cp_mono(2000), VALIDITY_MS),
			 MB_EX_ILLEGAL_ADDRESS);
	assert_false(ems_scn_setpoint(&st, 3, cp_mono(0), &ma));
	/* Each phase expires on its own. */
	assert_false(ems_scn_setpoint(&st, 0, cp_mono(VALIDITY_MS), &ma));
	assert_true(ems_scn_setpoint(&st, 1, cp_mono(VALIDITY_MS), &ma));
	assert_int_equal(ems_next_expiry(&st, cp_mono(0)).ms, VALIDITY_MS);
	/* A station without SCN limit refuses all but 0. */
	snap.station.scn_max_ma = EMS_NA;
	assert_int_equal(ems_write(&st, &snap, 200, 1417, 2, r, cp_mono(0), VALIDITY_MS),
			 MB_EX_ILLEGAL_VALUE);
}

/* MbsSlaveTCPIPMode Off: the EMS reads, but nothing it writes would be
 * applied, so no setpoint is writable. */
static void test_mode_off_takes_no_setpoint(void **state)
{
	(void)state;
	uint16_t r[2];
	int32_t ma;

	snap.station.mode = EMS_MODE_OFF;
	mb_put_f32(r, 10.0f);
	assert_int_equal(ems_write(&st, &snap, 1, 1210, 2, r, cp_mono(0), VALIDITY_MS),
			 MB_EX_ILLEGAL_ADDRESS);
	assert_false(ems_setpoint(&st, 1, cp_mono(0), &ma));
	assert_int_equal(ems_read(&snap, &st, cp_mono(0), 1, 1206, 2, r), 0);
}

static void test_read_without_state(void **state)
{
	(void)state;
	uint16_t r[4];

	assert_int_equal(wr_f32(1, 1210, 10.0f, 0), 0);
	assert_int_equal(ems_read(&snap, NULL, cp_mono(0), 1, 1208, 4, r), 0);
	assert_int_equal(r[0], 0);	/* validity 0 */
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 0xFFFF);	/* setpoint NaN */
	assert_int_equal(r[3], 0xFFFF);
}

/* ------------------------------------------------------------ frames */

static int handle(const uint8_t *req, size_t len, uint8_t *rsp)
{
	return ems_handle(&st, &snap, cp_mono(5000), req, len, rsp);
}

static void test_handle_read(void **state)
{
	(void)state;
	uint8_t rsp[MB_MAX_ADU];
	static const uint8_t req[] = { 0xAB, 0xCD, 0, 0, 0, 6, 1, 0x03, 0x01, 0x40, 0, 2 };
	uint16_t r[2];

	/* 320, 2 registers: current L1. */
	assert_int_equal(handle(req, sizeof(req), rsp), 13);
	assert_int_equal(rsp[0], 0xAB);
	assert_int_equal(rsp[1], 0xCD);
	assert_int_equal(mb_get16(rsp + 2), 0);
	assert_int_equal(mb_get16(rsp + 4), 7);
	assert_int_equal(rsp[6], 1);
	assert_int_equal(rsp[7], 0x03);
	assert_int_equal(rsp[8], 4);
	r[0] = mb_get16(rsp + 9);
	r[1] = mb_get16(rsp + 11);
	assert_true(mb_get_f32(r) == 15.5f);
	/* The longest answer: 125 registers. */
	static const uint8_t big[] = { 0, 1, 0, 0, 0, 6, 1, 0x03, 0x01, 0x2C, 0, 125 };
	assert_int_equal(handle(big, sizeof(big), rsp), 259);
	assert_int_equal(rsp[8], 250);
	assert_int_equal(mb_adu_length(rsp, 259), 259);
}

static void test_handle_writes(void **state)
{
	(void)state;
	uint8_t rsp[MB_MAX_ADU];
	/* 0x10 to 1210 (0x04BA): 2 registers, 4 bytes, 16.0 A. */
	static const uint8_t w16[] = { 0, 9, 0, 0, 0, 11, 1, 0x10, 0x04, 0xBA, 0, 2, 4,
				       0x41, 0x80, 0, 0 };
	static const uint8_t w6[] = { 0, 10, 0, 0, 0, 6, 1, 0x06, 0x04, 0xBA, 0x41, 0x80 };
	int32_t ma;

	assert_int_equal(handle(w16, sizeof(w16), rsp), 12);
	assert_int_equal(rsp[7], 0x10);
	assert_int_equal(mb_get16(rsp + 8), 1210);
	assert_int_equal(mb_get16(rsp + 10), 2);
	assert_int_equal(mb_get16(rsp + 4), 6);
	assert_true(ems_setpoint(&st, 1, cp_mono(5000), &ma));
	assert_int_equal(ma, 16000);
	/* Valid for the state's validity from the request's time. */
	assert_false(ems_setpoint(&st, 1, cp_mono(5000 + VALIDITY_MS), &ma));
	/* 0x06 can only write half a float. */
	assert_int_equal(handle(w6, sizeof(w6), rsp), 9);
	assert_int_equal(rsp[7], 0x86);
	assert_int_equal(rsp[8], MB_EX_ILLEGAL_ADDRESS);
}

static void test_handle_exceptions(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t req[24];
		size_t len;
		uint8_t fc, code;
	} cases[] = {
		{ "unit 7", { 0, 1, 0, 0, 0, 6, 7, 0x03, 0x01, 0x40, 0, 2 }, 12, 0x83,
		  MB_EX_GATEWAY_TARGET },
		{ "unit 7, unknown function: unit first", { 0, 1, 0, 0, 0, 2, 7, 0x2B }, 8, 0xAB,
		  MB_EX_GATEWAY_TARGET },
		{ "function 0x04", { 0, 1, 0, 0, 0, 6, 1, 0x04, 0x01, 0x40, 0, 2 }, 12, 0x84,
		  MB_EX_ILLEGAL_FUNCTION },
		{ "function 0x01", { 0, 1, 0, 0, 0, 6, 1, 0x01, 0, 0, 0, 1 }, 12, 0x81,
		  MB_EX_ILLEGAL_FUNCTION },
		{ "0x03 short", { 0, 1, 0, 0, 0, 5, 1, 0x03, 0x01, 0x40, 0 }, 11, 0x83,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x03 long", { 0, 1, 0, 0, 0, 7, 1, 0x03, 0x01, 0x40, 0, 2, 0 }, 13, 0x83,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x03 count 0", { 0, 1, 0, 0, 0, 6, 1, 0x03, 0x01, 0x40, 0, 0 }, 12, 0x83,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x03 outside", { 0, 1, 0, 0, 0, 6, 1, 0x03, 0, 0, 0, 2 }, 12, 0x83,
		  MB_EX_ILLEGAL_ADDRESS },
		{ "0x06 short", { 0, 1, 0, 0, 0, 5, 1, 0x06, 0x04, 0xBA, 0 }, 11, 0x86,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x10 byte count odd", { 0, 1, 0, 0, 0, 10, 1, 0x10, 0x04, 0xBA, 0, 2, 3,
					   0x41, 0x80, 0 }, 16, 0x90, MB_EX_ILLEGAL_VALUE },
		{ "0x10 bytes missing", { 0, 1, 0, 0, 0, 9, 1, 0x10, 0x04, 0xBA, 0, 2, 4,
					  0x41, 0x80 }, 15, 0x90, MB_EX_ILLEGAL_VALUE },
		{ "0x10 count 0", { 0, 1, 0, 0, 0, 7, 1, 0x10, 0x04, 0xBA, 0, 0, 0 }, 13, 0x90,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x10 header only", { 0, 1, 0, 0, 0, 6, 1, 0x10, 0x04, 0xBA, 0, 2 }, 12, 0x90,
		  MB_EX_ILLEGAL_VALUE },
		{ "0x10 NaN", { 0, 1, 0, 0, 0, 11, 1, 0x10, 0x04, 0xBA, 0, 2, 4,
				0x7F, 0xC0, 0, 0 }, 17, 0x90, MB_EX_ILLEGAL_VALUE },
		{ "0x10 read-only", { 0, 1, 0, 0, 0, 11, 1, 0x10, 0x04, 0xB6, 0, 2, 4,
				      0x41, 0x80, 0, 0 }, 17, 0x90, MB_EX_ILLEGAL_ADDRESS },
	};
	uint8_t rsp[MB_MAX_ADU];

	for (size_t i = 0; i < N(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(handle(cases[i].req, cases[i].len, rsp), 9);
		assert_memory_equal(rsp, cases[i].req, 4);
		assert_int_equal(mb_get16(rsp + 4), 3);
		assert_int_equal(rsp[6], cases[i].req[6]);
		assert_int_equal(rsp[7], cases[i].fc);
		assert_int_equal(rsp[8], cases[i].code);
	}
	assert_false(ems_setpoint(&st, 1, cp_mono(5000), NULL));
}

static void test_handle_not_a_frame(void **state)
{
	(void)state;
	uint8_t rsp[MB_MAX_ADU];
	static const uint8_t proto[] = { 0, 1, 0, 1, 0, 6, 1, 0x03, 0x01, 0x40, 0, 2 };
	static const uint8_t shortf[] = { 0, 1, 0, 0, 0, 6, 1, 0x03, 0x01, 0x40, 0 };
	static const uint8_t longf[] = { 0, 1, 0, 0, 0, 6, 1, 0x03, 0x01, 0x40, 0, 2, 0 };

	assert_int_equal(handle(proto, sizeof(proto), rsp), -EBADMSG);
	assert_int_equal(handle(shortf, sizeof(shortf), rsp), -EBADMSG);
	assert_int_equal(handle(longf, sizeof(longf), rsp), -EBADMSG);
	assert_int_equal(handle(NULL, 0, rsp), -EBADMSG);
	/* Nothing, or a header cut short, is not a frame either. */
	assert_int_equal(handle(proto, 0, rsp), -EBADMSG);
	assert_int_equal(handle(shortf, 6, rsp), -EBADMSG);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_read_every_register),
		T(test_mode3_full_width),
		T(test_unavailable_and_gaps),
		T(test_setpoint_validity_expiry),
		T(test_refused_writes_keep_the_setpoint),
		T(test_read_exceptions),
		T(test_scn_setpoints),
		T(test_mode_off_takes_no_setpoint),
		T(test_read_without_state),
		T(test_handle_read),
		T(test_handle_writes),
		T(test_handle_exceptions),
		T(test_handle_not_a_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
