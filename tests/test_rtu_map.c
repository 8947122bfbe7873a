/*
 * test_rtu_map.c - Modbus RTU frames and the socket meter maps
 * (hw/rtu_map.h): CRC-16/MODBUS against frames published in the Modbus
 * documents, request and answer framing, and each preset decoded from a
 * register image written the way the meter writes it.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hw/rtu_map.h"

/* ---- frames ---- */

static void test_crc_known_frames(void **state)
{
	/* Three reads as Modbus tools show them with their CRC, low byte
	 * first: slave 0x11, 3 holding registers at 0x006B (CRC 0x8776), the
	 * usual example of function 03; and two reads of slave 1. */
	static const uint8_t hold_11[] = { 0x11, 0x03, 0x00, 0x6B, 0x00, 0x03, 0x76, 0x87 };
	static const uint8_t hold_01[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD };
	static const uint8_t input_01[] = { 0x01, 0x04, 0x00, 0x00, 0x00, 0x02, 0x71, 0xCB };
	uint8_t out[RTU_REQ_LEN];

	(void)state;
	assert_int_equal(rtu_crc16(hold_11, 6), 0x8776);
	assert_int_equal(rtu_read_request(out, 0x11, RTU_FN_READ_HOLDING, 0x006B, 3), RTU_REQ_LEN);
	assert_memory_equal(out, hold_11, sizeof(out));
	assert_int_equal(rtu_read_request(out, 1, RTU_FN_READ_HOLDING, 0, 10), RTU_REQ_LEN);
	assert_memory_equal(out, hold_01, sizeof(out));
	assert_int_equal(rtu_read_request(out, 1, RTU_FN_READ_INPUT, 0, 2), RTU_REQ_LEN);
	assert_memory_equal(out, input_01, sizeof(out));
	/* A frame with its CRC appended checks to 0. */
	assert_int_equal(rtu_crc16(hold_11, sizeof(hold_11)), 0);
}

static void test_request_refused(void **state)
{
	uint8_t out[RTU_REQ_LEN];

	(void)state;
	assert_int_equal(rtu_read_request(out, 0, RTU_FN_READ_INPUT, 0, 2), -EINVAL);	/* broadcast */
	assert_int_equal(rtu_read_request(out, 248, RTU_FN_READ_INPUT, 0, 2), -EINVAL);
	assert_int_equal(rtu_read_request(out, 1, 0x06, 0, 2), -EINVAL);
	assert_int_equal(rtu_read_request(out, 1, RTU_FN_READ_INPUT, 0, 0), -EINVAL);
	assert_int_equal(rtu_read_request(out, 1, RTU_FN_READ_INPUT, 0, 126), -EINVAL);
	assert_int_equal(rtu_read_request(out, 1, RTU_FN_READ_INPUT, 65535, 2), -EINVAL);
	assert_int_equal(rtu_read_request(out, 247, RTU_FN_READ_INPUT, 65534, 2), RTU_REQ_LEN);
}

/* An answer as a meter writes it: unit, fn, byte count, registers, CRC. */
static size_t answer(uint8_t *buf, uint8_t unit, uint8_t fn, const uint16_t *regs, int n)
{
	uint16_t crc;
	size_t len = 3;

	buf[0] = unit;
	buf[1] = fn;
	buf[2] = (uint8_t)(2 * n);
	for (int i = 0; i < n; i++) {
		mb_put16(buf + len, regs[i]);
		len += 2;
	}
	crc = rtu_crc16(buf, len);
	buf[len++] = (uint8_t)crc;
	buf[len++] = (uint8_t)(crc >> 8);
	return len;
}

static size_t exception(uint8_t *buf, uint8_t unit, uint8_t fn, uint8_t code)
{
	uint16_t crc;

	buf[0] = unit;
	buf[1] = fn | 0x80;
	buf[2] = code;
	crc = rtu_crc16(buf, 3);
	buf[3] = (uint8_t)crc;
	buf[4] = (uint8_t)(crc >> 8);
	return 5;
}

static void test_answer_length(void **state)
{
	static const uint16_t regs[2] = { 0x4366, 0x1999 };
	uint8_t buf[64];
	size_t len = answer(buf, 1, RTU_FN_READ_INPUT, regs, 2);

	(void)state;
	assert_int_equal(len, 9);
	/* Incomplete until the last CRC byte, whatever the pieces. */
	for (size_t k = 0; k < len; k++)
		assert_int_equal(rtu_answer_length(buf, k, RTU_FN_READ_INPUT), 0);
	assert_int_equal(rtu_answer_length(buf, len, RTU_FN_READ_INPUT), 9);
	/* The answer to another function cannot be ours. */
	assert_int_equal(rtu_answer_length(buf, len, RTU_FN_READ_HOLDING), -EBADMSG);
	/* An exception is 5 bytes. */
	len = exception(buf, 1, RTU_FN_READ_INPUT, 0x02);
	assert_int_equal(rtu_answer_length(buf, 4, RTU_FN_READ_INPUT), 0);
	assert_int_equal(rtu_answer_length(buf, len, RTU_FN_READ_INPUT), 5);
	/* A byte count that is odd, zero or beyond 125 registers: no frame. */
	buf[1] = RTU_FN_READ_INPUT;
	buf[2] = 3;
	assert_int_equal(rtu_answer_length(buf, 3, RTU_FN_READ_INPUT), -EBADMSG);
	buf[2] = 0;
	assert_int_equal(rtu_answer_length(buf, 3, RTU_FN_READ_INPUT), -EBADMSG);
	buf[2] = 252;
	assert_int_equal(rtu_answer_length(buf, 3, RTU_FN_READ_INPUT), -EBADMSG);
}

static void test_read_answer(void **state)
{
	static const uint16_t regs[3] = { 0x0001, 0xBEEF, 0x8000 };
	uint16_t got[3];
	uint8_t buf[64];
	size_t len;

	(void)state;
	len = answer(buf, 7, RTU_FN_READ_HOLDING, regs, 3);
	assert_int_equal(rtu_read_answer(buf, len, 7, RTU_FN_READ_HOLDING, 3, got), 0);
	assert_memory_equal(got, regs, sizeof(regs));
	/* Another unit, another count asked for. */
	assert_int_equal(rtu_read_answer(buf, len, 8, RTU_FN_READ_HOLDING, 3, got), -EBADMSG);
	assert_int_equal(rtu_read_answer(buf, len, 7, RTU_FN_READ_HOLDING, 2, got), -EBADMSG);
	/* One bit flipped anywhere: the CRC says so. */
	for (size_t k = 0; k < len; k++) {
		buf[k] ^= 0x10;
		assert_true(rtu_read_answer(buf, len, 7, RTU_FN_READ_HOLDING, 3, got) < 0);
		buf[k] ^= 0x10;
	}
	/* An exception gives its code. */
	len = exception(buf, 7, RTU_FN_READ_HOLDING, 0x02);
	assert_int_equal(rtu_read_answer(buf, len, 7, RTU_FN_READ_HOLDING, 3, got), 2);
}

/* ---- maps ---- */

/* Where register reg of the map's plan lives, to write an image. */
static uint16_t *slot(struct rtu_poll *p, uint16_t reg)
{
	for (int k = 0; k < p->n; k++)
		if (reg >= p->read[k].addr && reg < p->read[k].addr + p->read[k].count)
			return &p->regs[k][reg - p->read[k].addr];
	fail_msg("register 0x%04x is read by no request", reg);
	return NULL;
}

static void put_f32(struct rtu_poll *p, uint16_t reg, float f)
{
	uint16_t w[2];

	mb_put_f32(w, f);
	*slot(p, reg) = w[0];
	*slot(p, (uint16_t)(reg + 1)) = w[1];
}

static void put_u32(struct rtu_poll *p, uint16_t reg, uint32_t v)
{
	*slot(p, reg) = (uint16_t)(v >> 16);
	*slot(p, (uint16_t)(reg + 1)) = (uint16_t)v;
}

static void put_u64(struct rtu_poll *p, uint16_t reg, uint64_t v)
{
	for (int i = 0; i < 4; i++)
		*slot(p, (uint16_t)(reg + i)) = (uint16_t)(v >> (48 - 16 * i));
}

static void test_sdm630(void **state)
{
	struct rtu_map map;
	struct rtu_poll p;
	struct rtu_reading rd;

	(void)state;
	assert_int_equal(rtu_map_preset(RTU_MODEL_SDM630, NULL, &map, NULL, 0), 0);
	assert_int_equal(map.fn, RTU_FN_READ_INPUT);
	memset(&p, 0, sizeof(p));
	assert_int_equal(rtu_map_plan(&map, &p), 0);
	/* Voltages and currents in one read, power and energy each alone
	 * (the parameters between them are not all defined). */
	assert_int_equal(p.n, 3);
	assert_int_equal(p.read[0].addr, 0x0000);
	assert_int_equal(p.read[0].count, 12);
	assert_int_equal(p.read[1].addr, 0x0034);
	assert_int_equal(p.read[1].count, 2);
	assert_int_equal(p.read[2].addr, 0x0048);
	assert_int_equal(p.read[2].count, 2);

	put_f32(&p, 0x0000, 230.1f);
	put_f32(&p, 0x0002, 229.9f);
	put_f32(&p, 0x0004, 231.0f);
	put_f32(&p, 0x0006, 16.02f);
	put_f32(&p, 0x0008, 15.98f);
	put_f32(&p, 0x000A, 0.0f);
	put_f32(&p, 0x0034, 7360.5f);
	put_f32(&p, 0x0048, 12345.678f);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.voltage_mv[0], 230100);
	assert_int_equal(rd.voltage_mv[1], 229900);
	assert_int_equal(rd.voltage_mv[2], 231000);
	assert_int_equal(rd.current_ma[0], 16020);
	assert_int_equal(rd.current_ma[1], 15980);
	assert_int_equal(rd.current_ma[2], 0);
	assert_true(rd.has_power);
	assert_int_equal(rd.power_w, 7361);	/* halves away from zero */
	assert_int_equal(rd.energy_wh, 12345678);

	/* A NaN (a meter still starting) is no reading; nor is a negative
	 * import register. */
	put_f32(&p, 0x0006, NAN);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), -ERANGE);
	put_f32(&p, 0x0006, 16.0f);
	put_f32(&p, 0x0048, -1.0f);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), -ERANGE);
}

static void test_abb_b23(void **state)
{
	struct rtu_map map;
	struct rtu_poll p;
	struct rtu_reading rd;

	(void)state;
	assert_int_equal(rtu_map_preset(RTU_MODEL_ABB_B23, NULL, &map, NULL, 0), 0);
	assert_int_equal(map.fn, RTU_FN_READ_HOLDING);
	memset(&p, 0, sizeof(p));
	assert_int_equal(rtu_map_plan(&map, &p), 0);
	/* The energy, then 0x5B00..0x5B15 in one read. */
	assert_int_equal(p.n, 2);
	assert_int_equal(p.read[0].addr, 0x5000);
	assert_int_equal(p.read[0].count, 4);
	assert_int_equal(p.read[1].addr, 0x5B00);
	assert_int_equal(p.read[1].count, 22);

	put_u32(&p, 0x5B00, 2301);		/* 0.1 V */
	put_u32(&p, 0x5B02, 2299);
	put_u32(&p, 0x5B04, 2310);
	put_u32(&p, 0x5B0C, 1602);		/* 0.01 A */
	put_u32(&p, 0x5B0E, 1598);
	put_u32(&p, 0x5B10, 0);
	put_u32(&p, 0x5B14, 736050);		/* 0.01 W, signed */
	put_u64(&p, 0x5000, 1234567);		/* 0.01 kWh */
	assert_int_equal(rtu_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.voltage_mv[0], 230100);
	assert_int_equal(rd.voltage_mv[1], 229900);
	assert_int_equal(rd.voltage_mv[2], 231000);
	assert_int_equal(rd.current_ma[0], 16020);
	assert_int_equal(rd.current_ma[1], 15980);
	assert_int_equal(rd.current_ma[2], 0);
	assert_int_equal(rd.power_w, 7361);
	assert_int_equal(rd.energy_wh, 12345670);

	/* The power is signed: export reads negative. */
	put_u32(&p, 0x5B14, (uint32_t)-150);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.power_w, -2);
	/* A register beyond 2^31 Wh (2147 MWh) still reads exactly. */
	put_u64(&p, 0x5000, 300000000ull);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.energy_wh, 3000000000ll);
}

static void test_custom(void **state)
{
	struct rtu_custom c;
	struct rtu_map map;
	struct rtu_poll p;
	struct rtu_reading rd;
	char why[96];

	(void)state;
	memset(&c, 0, sizeof(c));
	c.fn = RTU_FN_READ_HOLDING;
	/* Energy and the current of L1 are needed. */
	assert_int_equal(mb_map_parse("0x10,u32,0.001", &c.current[0], NULL, 0), 0);
	c.has_current[0] = true;
	assert_int_equal(rtu_map_preset(RTU_MODEL_CUSTOM, &c, &map, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "energy"));
	assert_int_equal(mb_map_parse("0x20,u64,0.001", &c.energy, NULL, 0), 0);
	c.has_energy = true;
	c.has_current[0] = false;
	assert_int_equal(rtu_map_preset(RTU_MODEL_CUSTOM, &c, &map, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "L1"));
	c.has_current[0] = true;
	c.fn = 0x06;
	assert_int_equal(rtu_map_preset(RTU_MODEL_CUSTOM, &c, &map, why, sizeof(why)), -EINVAL);
	c.fn = RTU_FN_READ_HOLDING;

	/* A one-phase meter: current of L1 in mA, energy in Wh. */
	assert_int_equal(rtu_map_preset(RTU_MODEL_CUSTOM, &c, &map, why, sizeof(why)), 0);
	assert_int_equal(map.fn, RTU_FN_READ_HOLDING);
	assert_int_equal(map.n, 2);
	memset(&p, 0, sizeof(p));
	assert_int_equal(rtu_map_plan(&map, &p), 0);
	assert_int_equal(p.n, 2);	/* no gap is read across in a custom map */
	put_u32(&p, 0x10, 9870);
	put_u64(&p, 0x20, 5000123);
	assert_int_equal(rtu_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.current_ma[0], 9870);
	assert_int_equal(rd.current_ma[1], 0);
	assert_false(rd.has_power);
	assert_int_equal(rd.energy_wh, 5000123);
}

static void test_plan_refuses(void **state)
{
	struct rtu_map map;
	struct rtu_poll p;

	(void)state;
	assert_int_equal(rtu_map_preset(RTU_MODEL_SDM630, NULL, &map, NULL, 0), 0);
	map.fn = 0x06;
	assert_int_equal(rtu_map_plan(&map, &p), -EINVAL);
	map.fn = RTU_FN_READ_INPUT;
	map.field[0].phase = 3;
	assert_int_equal(rtu_map_plan(&map, &p), -EINVAL);
	map.field[0].phase = 0;
	map.n = 0;
	assert_int_equal(rtu_map_plan(&map, &p), -EINVAL);
}

/* mb_reg_decode64: the exact decoder of mb_reg_decode, into 64 bits. */
static void test_decode64(void **state)
{
	struct mb_reg_spec s;
	uint16_t r[4] = { 0x0000, 0x0000, 0xFFFF, 0xFFFF };
	int64_t v;
	int32_t v32;

	(void)state;
	assert_int_equal(mb_map_parse("0,u64,0.01", &s, NULL, 0), 0);
	assert_int_equal(mb_reg_decode64(&s, r, 1000, &v), 0);
	assert_int_equal(v, 42949672950ll);	/* (2^32 - 1) x 10 Wh */
	/* beyond int32 for the 32-bit decoder */
	assert_int_equal(mb_reg_decode(&s, r, 1000, &v32), -ERANGE);
	/* beyond 2^62 */
	r[0] = 0x7FFF;
	assert_int_equal(mb_reg_decode64(&s, r, 1000, &v), -ERANGE);
	assert_int_equal(mb_map_parse("0,s64,1", &s, NULL, 0), 0);
	r[0] = r[1] = r[2] = r[3] = 0xFFFF;	/* -1 */
	assert_int_equal(mb_reg_decode64(&s, r, 1000, &v), 0);
	assert_int_equal(v, -1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_known_frames),
		cmocka_unit_test(test_request_refused),
		cmocka_unit_test(test_answer_length),
		cmocka_unit_test(test_read_answer),
		cmocka_unit_test(test_sdm630),
		cmocka_unit_test(test_abb_b23),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_plan_refuses),
		cmocka_unit_test(test_decode64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
