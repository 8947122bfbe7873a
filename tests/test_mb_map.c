/*
 * test_mb_map.c - the Modbus register codec (hw/mb_map.h): every type, sign
 * and word order, scales and rounding, the map-spec grammar (every way a
 * text can be wrong, with its message), canonical text, the Socomec preset,
 * coalescing of reads, readings, and MBAP frames.
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

#include "hw/mb_map.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct mb_reg_spec spec(uint16_t reg, enum mb_type t, int64_t mant, int exp10)
{
	struct mb_reg_spec s = { .reg = reg, .type = t, .mant = mant, .exp10 = exp10 };
	return s;
}

static void test_type_sizes(void **state)
{
	(void)state;
	assert_int_equal(mb_type_regs(MB_U16), 1);
	assert_int_equal(mb_type_regs(MB_S16), 1);
	assert_int_equal(mb_type_regs(MB_U32), 2);
	assert_int_equal(mb_type_regs(MB_S32), 2);
	assert_int_equal(mb_type_regs(MB_F32), 2);
	assert_int_equal(mb_type_regs(MB_U64), 4);
	assert_int_equal(mb_type_regs(MB_S64), 4);
	assert_int_equal(mb_type_regs((enum mb_type)99), 0);
	assert_null(mb_type_name((enum mb_type)99));
	assert_string_equal(mb_type_name(MB_S64), "s64");
}

static void test_decode(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		enum mb_type t;
		int64_t mant;
		int exp10;
		uint16_t regs[4];
		int32_t mult;
		int rc;
		int32_t want;
	} cases[] = {
		/* u16 / s16 */
		{ "u16 max, A", MB_U16, 1, 0, { 0xFFFF }, 1000, 0, 65535000 },
		{ "u16 mA", MB_U16, 1, 3, { 16000 }, 1000, 0, 16000 },
		{ "s16 -1 is 0xFFFF", MB_S16, 1, 3, { 0xFFFF }, 1000, 0, -1 },
		{ "s16 min", MB_S16, 1, 0, { 0x8000 }, 1000, 0, -32768000 },
		{ "u16 0x8000 stays positive", MB_U16, 1, 3, { 0x8000 }, 1000, 0, 32768 },
		{ "u16 0.1 A", MB_U16, 1, 1, { 165 }, 1000, 0, 16500 },
		/* u32 / s32: high word first */
		{ "u32 high word first", MB_U32, 1, 3, { 0x0001, 0x0000 }, 1000, 0, 65536 },
		{ "u32 low word", MB_U32, 1, 3, { 0x0000, 0x0001 }, 1000, 0, 1 },
		{ "u32 70 A in mA", MB_U32, 1, 3, { 0x0001, 0x1170 }, 1000, 0, 70000 },
		{ "s32 -2", MB_S32, 1, 3, { 0xFFFF, 0xFFFE }, 1000, 0, -2 },
		{ "s32 max in mA", MB_S32, 1, 3, { 0x7FFF, 0xFFFF }, 1000, 0, INT32_MAX },
		{ "s32 min in mA", MB_S32, 1, 3, { 0x8000, 0x0000 }, 1000, 0, INT32_MIN },
		{ "u32 above int32", MB_U32, 1, 3, { 0x8000, 0x0000 }, 1000, -ERANGE, 0 },
		{ "u32 max in A", MB_U32, 1, 0, { 0xFFFF, 0xFFFF }, 1000, -ERANGE, 0 },
		/* u64 / s64 */
		{ "u64 word order", MB_U64, 1, 3, { 0, 0, 0x0001, 0x0002 }, 1000, 0, 65538 },
		{ "u64 max, 1e-18", MB_U64, 1, 18, { 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF }, 1000, 0, 18447 },
		{ "u64 high words", MB_U64, 1, 12, { 0x0000, 0x0001, 0x0000, 0x0000 }, 1000, 0, 4 },
		{ "u64 2^32 us", MB_U64, 1, 6, { 0x0000, 0x0001, 0x0000, 0x0000 }, 1000, 0, 4294967 },
		{ "u64 too big", MB_U64, 1, 0, { 0x0001, 0, 0, 0 }, 1000, -ERANGE, 0 },
		{ "s64 -1", MB_S64, 1, 3, { 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF }, 1000, 0, -1 },
		{ "s64 min, 1e-18", MB_S64, 1, 18, { 0x8000, 0, 0, 0 }, 1000, 0, -9223 },
		{ "s64 min, scale 1", MB_S64, 1, 0, { 0x8000, 0, 0, 0 }, 1000, -ERANGE, 0 },
		/* f32 */
		{ "f32 16.5 A", MB_F32, 1, 0, { 0x4184, 0x0000 }, 1000, 0, 16500 },
		{ "f32 -2.25 A", MB_F32, 1, 0, { 0xC010, 0x0000 }, 1000, 0, -2250 },
		{ "f32 in mA", MB_F32, 1, 3, { 0x4184, 0x0000 }, 1000, 0, 17 },
		{ "f32 NaN", MB_F32, 1, 0, { 0x7FC0, 0x0000 }, 1000, -ERANGE, 0 },
		{ "f32 all ones (NaN)", MB_F32, 1, 0, { 0xFFFF, 0xFFFF }, 1000, -ERANGE, 0 },
		{ "f32 +inf", MB_F32, 1, 0, { 0x7F80, 0x0000 }, 1000, -ERANGE, 0 },
		{ "f32 -inf", MB_F32, 1, 0, { 0xFF80, 0x0000 }, 1000, -ERANGE, 0 },
		{ "f32 3e9 A", MB_F32, 1, 0, { 0x4F32, 0xD05E }, 1000, -ERANGE, 0 },
		{ "f32 2929687.5 A", MB_F32, 1, 0, { 0x4A32, 0xD05E }, 1000, -ERANGE, 0 },
		{ "f32 2929687.5 A in W", MB_F32, 1, 0, { 0x4A32, 0xD05E }, 1, 0, 2929688 },
		{ "f32 0.0005 A rounds up", MB_F32, 1, 0, { 0x3A03, 0x126F }, 1000, 0, 1 },
		/* scales and rounding */
		{ "scale 10", MB_U16, 10, 0, { 7 }, 1000, 0, 70000 },
		{ "scale -1", MB_S16, -1, 0, { 5 }, 1000, 0, -5000 },
		{ "scale -0.001 on negative", MB_S16, -1, 3, { 0xFFFB }, 1000, 0, 5 },
		{ "half rounds away (+)", MB_U16, 1, 4, { 5 }, 1000, 0, 1 },
		{ "half rounds away (-)", MB_S16, 1, 4, { 0xFFFB }, 1000, 0, -1 },
		{ "below half rounds down", MB_U16, 1, 4, { 4 }, 1000, 0, 0 },
		{ "0.0015 -> 2", MB_U16, 15, 4, { 1 }, 1000, 0, 2 },
		{ "exact decimal 0.1 x 3", MB_U16, 1, 1, { 3 }, 1000, 0, 300 },
		{ "18-digit mantissa", MB_U16, 123456789012345678LL, 18, { 1000 }, 1000, 0, 123457 },
		{ "mult 1 (W)", MB_S32, 1, 0, { 0xFFFF, 0xFC18 }, 1, 0, -1000 },
		{ "mult 1, 10 W units", MB_S32, 10, 0, { 0, 123 }, 1, 0, 1230 },
		{ "int32 max exactly", MB_U32, 1, 0, { 0x7FFF, 0xFFFF }, 1, 0, INT32_MAX },
		{ "int32 max + 1", MB_U32, 1, 0, { 0x8000, 0x0000 }, 1, -ERANGE, 0 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct mb_reg_spec s = spec(0, cases[i].t, cases[i].mant, cases[i].exp10);
		int32_t out = 0x5A5A5A5A;
		int rc = mb_reg_decode(&s, cases[i].regs, cases[i].mult, &out);

		print_message("%s\n", cases[i].what);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0)
			assert_int_equal(out, cases[i].want);
		else
			assert_int_equal(out, 0x5A5A5A5A);	/* untouched */
	}
}

static void test_decode_bad_arguments(void **state)
{
	(void)state;
	uint16_t r[4] = { 1, 2, 3, 4 };
	int32_t out;
	struct mb_reg_spec s = spec(0, MB_U16, 1, 0);

	assert_int_equal(mb_reg_decode(&s, r, 0, &out), -EINVAL);
	assert_int_equal(mb_reg_decode(&s, r, 1000001, &out), -EINVAL);
	assert_int_equal(mb_reg_decode(NULL, r, 1, &out), -EINVAL);
	s.mant = 0;
	assert_int_equal(mb_reg_decode(&s, r, 1, &out), -EINVAL);
	s = spec(0, MB_U16, 1, 19);
	assert_int_equal(mb_reg_decode(&s, r, 1, &out), -EINVAL);
	s = spec(65535, MB_U32, 1, 0);		/* would end past 65535 */
	assert_int_equal(mb_reg_decode(&s, r, 1, &out), -EINVAL);
	s = spec(0, (enum mb_type)7, 1, 0);
	assert_int_equal(mb_reg_decode(&s, r, 1, &out), -EINVAL);
}

static void test_parse_valid(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *canon;
		uint16_t reg;
		enum mb_type t;
		int64_t mant;
		int exp10;
	} cases[] = {
		{ "50528,u32,0.001", "50528,u32,0.001", 50528, MB_U32, 1, 3 },
		{ "0xC560,u32,0.001", "50528,u32,0.001", 0xC560, MB_U32, 1, 3 },
		{ "0Xc560,U32,0.001", "50528,u32,0.001", 0xC560, MB_U32, 1, 3 },
		{ " 50528 ,\tu32 , 0.0010 ", "50528,u32,0.001", 50528, MB_U32, 1, 3 },
		{ "050528,u32,0.001", "50528,u32,0.001", 50528, MB_U32, 1, 3 },
		{ "0x0000C560,u32,0.001", "50528,u32,0.001", 0xC560, MB_U32, 1, 3 },
		{ "0,u16,1", "0,u16,1", 0, MB_U16, 1, 0 },
		{ "0x0,s16,1", "0,s16,1", 0, MB_S16, 1, 0 },
		{ "65535,u16,1", "65535,u16,1", 65535, MB_U16, 1, 0 },
		{ "0xFFFF,s16,1", "65535,s16,1", 65535, MB_S16, 1, 0 },
		{ "65534,u32,-1", "65534,u32,-1", 65534, MB_U32, -1, 0 },
		{ "65534,s32,1", "65534,s32,1", 65534, MB_S32, 1, 0 },
		{ "65534,f32,1", "65534,f32,1", 65534, MB_F32, 1, 0 },
		{ "65532,u64,1", "65532,u64,1", 65532, MB_U64, 1, 0 },
		{ "65532,S64,1000", "65532,s64,1000", 65532, MB_S64, 1000, 0 },
		{ "1,f32,+2.5", "1,f32,2.5", 1, MB_F32, 25, 1 },
		{ "1,f32,.5", "1,f32,0.5", 1, MB_F32, 5, 1 },
		{ "1,f32,5.", "1,f32,5", 1, MB_F32, 5, 0 },
		{ "1,f32,10.00", "1,f32,10", 1, MB_F32, 10, 0 },
		{ "1,f32,-0.25", "1,f32,-0.25", 1, MB_F32, -25, 2 },
		{ "1,f32,007", "1,f32,7", 1, MB_F32, 7, 0 },
		{ "1,s16,123456789012345678", "1,s16,123456789012345678", 1, MB_S16,
		  123456789012345678LL, 0 },
		{ "1,s16,0.000000000000000001", "1,s16,0.000000000000000001", 1, MB_S16, 1, 18 },
		{ "1,s16,-0.123456789012345678", "1,s16,-0.123456789012345678", 1, MB_S16,
		  -123456789012345678LL, 18 },
		{ "1,s16,0.0010000000000000000000", "1,s16,0.001", 1, MB_S16, 1, 3 },
		{ "1,s16,000000000000000000001.5", "1,s16,1.5", 1, MB_S16, 15, 1 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct mb_reg_spec s, s2;
		char why[128] = "x", buf[MB_SPEC_TEXT];
		int32_t a, b;
		uint16_t regs[4] = { 0x0001, 0x0002, 0x0003, 0x0004 };

		print_message("%s\n", cases[i].in);
		assert_int_equal(mb_map_parse(cases[i].in, &s, why, sizeof(why)), 0);
		assert_string_equal(why, "");
		assert_int_equal(s.reg, cases[i].reg);
		assert_int_equal(s.type, cases[i].t);
		/* Same value, whatever the representation. */
		assert_int_equal(mb_map_parse(cases[i].canon, &s2, NULL, 0), 0);
		assert_int_equal(mb_reg_decode(&s, regs, 1000, &a), mb_reg_decode(&s2, regs, 1000, &b));
		if (mb_reg_decode(&s, regs, 1000, &a) == 0)
			assert_int_equal(a, b);
		assert_int_equal(s.mant, cases[i].mant);
		assert_int_equal(s.exp10, cases[i].exp10);
		assert_int_equal(mb_map_format(&s, buf), (int)strlen(cases[i].canon));
		assert_string_equal(buf, cases[i].canon);
		/* The canonical text is a fixed point. */
		assert_int_equal(mb_map_format(&s2, buf), (int)strlen(cases[i].canon));
		assert_string_equal(buf, cases[i].canon);
		/* Check only. */
		assert_int_equal(mb_map_parse(cases[i].in, NULL, NULL, 0), 0);
	}
}

static void test_parse_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		const char *why;	/* the whole message */
	} cases[] = {
		{ "", "empty: expected register,type,scale such as 50528,u32,0.001" },
		{ "50528", "expected 3 fields register,type,scale separated by commas, found 1" },
		{ "50528,u32", "expected 3 fields register,type,scale separated by commas, found 2" },
		{ "1,u32,1,2", "expected 3 fields register,type,scale separated by commas, found 4" },
		{ "1,u32,1,", "expected 3 fields register,type,scale separated by commas, found 4" },
		{ ",,,,", "expected 3 fields register,type,scale separated by commas, found 5" },
		{ ",u32,1", "register is empty" },
		{ "  ,u32,1", "register is empty" },
		{ "abc,u32,1", "register \"abc\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "-1,u32,1", "register \"-1\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "+1,u32,1", "register \"+1\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "1.0,u32,1", "register \"1.0\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "1 2,u32,1", "register \"1 2\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "0x,u32,1", "register \"0x\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "0xG1,u32,1", "register \"0xG1\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "x10,u32,1", "register \"x10\" is not a number (decimal, or hexadecimal after 0x)" },
		{ "65536,u16,1", "register 65536 is above 65535" },
		{ "99999999999999999999,u16,1", "register 99999999999999999999 is above 65535" },
		{ "0x10000,u16,1", "register 0x10000 is above 65535" },
		{ "1,u8,1", "type \"u8\" is not one of u16, s16, u32, s32, u64, s64, f32" },
		{ "1,f64,1", "type \"f64\" is not one of u16, s16, u32, s32, u64, s64, f32" },
		{ "1,u32x,1", "type \"u32x\" is not one of u16, s16, u32, s32, u64, s64, f32" },
		{ "1,u 32,1", "type \"u 32\" is not one of u16, s16, u32, s32, u64, s64, f32" },
		{ "1,,1", "type is empty (one of u16, s16, u32, s32, u64, s64, f32)" },
		{ "1,u32,", "scale is empty" },
		{ "1,u32, ", "scale is empty" },
		{ "1,u32,abc", "scale \"abc\" is not a decimal number (such as 0.001)" },
		{ "1,u32,1e-3", "scale \"1e-3\" is not a decimal number (such as 0.001)" },
		{ "1,u32,0x10", "scale \"0x10\" is not a decimal number (such as 0.001)" },
		{ "1,u32,nan", "scale \"nan\" is not a decimal number (such as 0.001)" },
		{ "1,u32,inf", "scale \"inf\" is not a decimal number (such as 0.001)" },
		{ "1,u32,.", "scale \".\" is not a decimal number (such as 0.001)" },
		{ "1,u32,-", "scale \"-\" is not a decimal number (such as 0.001)" },
		{ "1,u32,+-1", "scale \"+-1\" is not a decimal number (such as 0.001)" },
		{ "1,u32,1.2.3", "scale \"1.2.3\" is not a decimal number (such as 0.001)" },
		{ "1,u32,1 .5", "scale \"1 .5\" is not a decimal number (such as 0.001)" },
		{ "1,u32,1,5", "expected 3 fields register,type,scale separated by commas, found 4" },
		{ "1,u32,0", "scale must not be zero" },
		{ "1,u32,-0.000", "scale must not be zero" },
		{ "1,u32,0000000000000000000000", "scale must not be zero" },
		{ "1,u32,1234567890123456789", "scale \"1234567890123456789\" has more than 18 significant digits" },
		{ "1,u32,1.234567890123456789", "scale \"1.234567890123456789\" has more than 18 significant digits" },
		{ "1,u32,0.0000000000000000001", "scale \"0.0000000000000000001\" has more than 18 decimals" },
		{ "65535,u32,1", "a u32 at register 65535 would end past register 65535" },
		{ "65535,f32,1", "a f32 at register 65535 would end past register 65535" },
		{ "65533,u64,1", "a u64 at register 65533 would end past register 65535" },
		/* What comes from the central system is shown safely and short. */
		{ "1,u\n32,1", "type \"u?32\" is not one of u16, s16, u32, s32, u64, s64, f32" },
		{ "1,u32,123456789012345678901234567890",
		  "scale \"123456789012345678901234...\" has more than 18 significant digits" },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct mb_reg_spec s = spec(7, MB_U16, 3, 0);
		char why[160];

		print_message("\"%s\"\n", cases[i].in);
		assert_int_equal(mb_map_parse(cases[i].in, &s, why, sizeof(why)), -EINVAL);
		assert_string_equal(why, cases[i].why);
		assert_int_equal(s.reg, 7);	/* untouched */
		assert_int_equal(mb_map_parse(cases[i].in, NULL, NULL, 0), -EINVAL);
	}
}

static void test_parse_why_buffer(void **state)
{
	(void)state;
	char why[8];
	char one[1] = { 'x' };

	assert_int_equal(mb_map_parse(NULL, NULL, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "empty: ");
	/* Truncated, always terminated; a 1-byte buffer is just "". */
	assert_int_equal(mb_map_parse("1,u8,1", NULL, one, 1), -EINVAL);
	assert_int_equal(one[0], '\0');
	assert_int_equal(mb_map_parse("1,u8,1", NULL, why, 0), -EINVAL);
}

static void test_format(void **state)
{
	(void)state;
	static const struct {
		struct mb_reg_spec s;
		const char *want;
	} cases[] = {
		{ { 1, MB_U16, 1, 3 }, "1,u16,0.001" },
		{ { 1, MB_U16, 1000, 3 }, "1,u16,1" },
		{ { 1, MB_U16, 1500, 3 }, "1,u16,1.5" },
		{ { 1, MB_U16, 123, 3 }, "1,u16,0.123" },
		{ { 1, MB_U16, -123, 2 }, "1,u16,-1.23" },
		{ { 1, MB_U16, 10, 0 }, "1,u16,10" },
		{ { 1, MB_U16, -1, 18 }, "1,u16,-0.000000000000000001" },
		{ { 65535, MB_S16, -123456789012345678LL, 18 }, "65535,s16,-0.123456789012345678" },
	};
	char buf[MB_SPEC_TEXT];
	struct mb_reg_spec bad = { 1, MB_U16, 0, 0 };

	for (size_t i = 0; i < N(cases); i++) {
		struct mb_reg_spec back;

		assert_int_equal(mb_map_format(&cases[i].s, buf), (int)strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(mb_map_parse(buf, &back, NULL, 0), 0);
		assert_int_equal(mb_map_format(&back, buf), (int)strlen(cases[i].want));
		assert_string_equal(buf, cases[i].want);
	}
	assert_int_equal(mb_map_format(&bad, buf), -EINVAL);
	bad = spec(65535, MB_U64, 1, 0);
	assert_int_equal(mb_map_format(&bad, buf), -EINVAL);
	assert_int_equal(mb_map_format(NULL, buf), -EINVAL);
}

/* ----------------------------------------------------------- maps, plans */

static void test_socomec_preset(void **state)
{
	(void)state;
	struct mb_map map;
	struct mb_poll p;
	struct mb_reading rd;

	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	assert_int_equal(map.n, 9);
	assert_int_equal(mb_map_plan(&map, &p), 0);
	/* V1..V3 at 0xC558.., the frequency in between, I1..I3 at 0xC560..,
	 * and P1..P3 at 0xC570.. for the sign: one read of 30 registers. */
	assert_int_equal(p.n, 1);
	assert_int_equal(p.req[0].addr, 0xC558);
	assert_int_equal(p.req[0].count, 30);
	memset(p.regs, 0, sizeof(p.regs));
	/* V1 230.12 V, V2 229.00 V, V3 0.01 V; f = 50.00 Hz (ignored);
	 * I1 16.001 A, I2 70 A (high word used), I3 5 mA. */
	uint16_t r[14] = { 0, 23012, 0, 22900, 0, 1, 0, 5000,
			   0, 16001, 0x0001, 0x1170, 0, 5 };
	memcpy(p.regs[0], r, sizeof(r));
	assert_int_equal(mb_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.current_ma[0], 16001);
	assert_int_equal(rd.current_ma[1], 70000);
	assert_int_equal(rd.current_ma[2], 5);
	assert_true(rd.has_voltage);
	assert_int_equal(rd.voltage_mv[0], 230120);
	assert_int_equal(rd.voltage_mv[1], 229000);
	assert_int_equal(rd.voltage_mv[2], 10);
	/* Export on L2 (P2 = -1500 W as s32): its current reads negative;
	 * the unsigned current register alone could not say so. */
	p.regs[0][26] = 0xFFFF;
	p.regs[0][27] = (uint16_t)(0x10000 - 1500);
	p.regs[0][29] = 800;
	assert_int_equal(mb_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.current_ma[0], 16001);
	assert_int_equal(rd.current_ma[1], -70000);
	assert_int_equal(rd.current_ma[2], 5);
	p.regs[0][26] = p.regs[0][27] = 0;
	assert_int_equal(mb_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.current_ma[1], 70000);
	/* u32 currents: 0x8000_0000 mA does not fit a reading. */
	p.regs[0][10] = 0x8000;
	p.regs[0][11] = 0;
	assert_int_equal(mb_map_reading(&map, &p, &rd), -ERANGE);
	assert_int_equal(rd.current_ma[1], 70000);	/* untouched */

	assert_int_equal(mb_map_preset((enum mb_model)9, NULL, &map), -EINVAL);
	assert_int_equal(mb_map_preset(MB_MODEL_CUSTOM, NULL, &map), -EINVAL);
}

static void custom(struct mb_map *map, const char *l1, const char *l2, const char *l3)
{
	struct mb_reg_spec s[3];

	assert_int_equal(mb_map_parse(l1, &s[0], NULL, 0), 0);
	assert_int_equal(mb_map_parse(l2, &s[1], NULL, 0), 0);
	assert_int_equal(mb_map_parse(l3, &s[2], NULL, 0), 0);
	assert_int_equal(mb_map_preset(MB_MODEL_CUSTOM, s, map), 0);
	assert_int_equal(map->max_gap, 0);
}

static void test_plan_coalescing(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		const char *l[3];
		int n;
		struct mb_read_req req[3];
	} cases[] = {
		{ "adjacent u32", { "100,u32,1", "102,u32,1", "104,u32,1" }, 1, { { 100, 6 } } },
		{ "out of order", { "104,u32,1", "100,u32,1", "102,u32,1" }, 1, { { 100, 6 } } },
		{ "the same register thrice", { "100,u32,1", "100,u32,1", "100,u32,1" }, 1,
		  { { 100, 2 } } },
		{ "overlapping", { "100,u64,1", "102,u32,1", "101,u16,1" }, 1, { { 100, 4 } } },
		{ "mixed widths", { "10,u16,1", "11,s64,1", "15,f32,1" }, 1, { { 10, 7 } } },
		{ "one register apart", { "100,u16,1", "102,u16,1", "103,u16,1" }, 2,
		  { { 100, 1 }, { 102, 2 } } },
		{ "far apart", { "3000,u32,1", "1000,u32,1", "2000,u32,1" }, 3,
		  { { 1000, 2 }, { 2000, 2 }, { 3000, 2 } } },
		{ "125 when touching", { "0,u64,1", "4,u64,1", "8,u64,1" }, 1, { { 0, 12 } } },
		{ "top of the space", { "65532,u64,1", "65530,u16,1", "65531,u16,1" }, 1,
		  { { 65530, 6 } } },
	};

	for (size_t i = 0; i < N(cases); i++) {
		struct mb_map map;
		struct mb_poll p;

		print_message("%s\n", cases[i].what);
		custom(&map, cases[i].l[0], cases[i].l[1], cases[i].l[2]);
		assert_int_equal(mb_map_plan(&map, &p), 0);
		assert_int_equal(p.n, cases[i].n);
		for (int k = 0; k < p.n; k++) {
			assert_int_equal(p.req[k].addr, cases[i].req[k].addr);
			assert_int_equal(p.req[k].count, cases[i].req[k].count);
		}
	}
}

/* A run of touching fields longer than MB_MAX_READ is split. */
static void test_plan_limit(void **state)
{
	(void)state;
	struct mb_map map;
	struct mb_poll p;

	memset(&map, 0, sizeof(map));
	map.n = 6;
	/* u64 fields every 4 registers from 0, then jumps of 60 with a gap
	 * allowance: 0..3, 4..7 touch; 60..63 is 52 away. */
	map.max_gap = 100;
	uint16_t at[6] = { 0, 4, 60, 120, 121, 180 };
	for (int i = 0; i < 6; i++) {
		map.field[i].spec = spec(at[i], MB_U64, 1, 3);
		map.field[i].phase = i % 3;
		map.field[i].q = i < 3 ? MB_Q_CURRENT : MB_Q_VOLTAGE;
	}
	assert_int_equal(mb_map_plan(&map, &p), 0);
	/* 0..123 holds 0, 4, 60, 120 (end 124 <= 125); 121 would end at
	 * 125: still fits; 180 ends at 184: a second read. */
	assert_int_equal(p.n, 2);
	assert_int_equal(p.req[0].addr, 0);
	assert_int_equal(p.req[0].count, 125);
	assert_int_equal(p.req[1].addr, 180);
	assert_int_equal(p.req[1].count, 4);
	/* Without the gap allowance: four reads (0 and 4 touch; 120 and
	 * 121 overlap). */
	map.max_gap = 0;
	assert_int_equal(mb_map_plan(&map, &p), 0);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.req[0].count, 8);
	assert_int_equal(p.req[2].addr, 120);
	assert_int_equal(p.req[2].count, 5);

	/* Bad maps. */
	map.n = 0;
	assert_int_equal(mb_map_plan(&map, &p), -EINVAL);
	map.n = 7;
	assert_int_equal(mb_map_plan(&map, &p), -EINVAL);
	map.n = 1;
	map.field[0].phase = 3;
	assert_int_equal(mb_map_plan(&map, &p), -EINVAL);
}

static void test_custom_reading(void **state)
{
	(void)state;
	struct mb_map map;
	struct mb_poll p;
	struct mb_reading rd;

	/* L1 is the highest register: the plan sorts, the reading does not
	 * mix the phases up. */
	custom(&map, "204,s16,0.1", "200,s32,0.001", "202,f32,1");
	assert_int_equal(mb_map_plan(&map, &p), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.req[0].addr, 200);
	assert_int_equal(p.req[0].count, 5);
	uint16_t r[5] = { 0xFFFF, 0xD8F0 /* -10000 */, 0x4120, 0x0000 /* 10.0 */,
			  0xFF9C /* -100 */ };
	memcpy(p.regs[0], r, sizeof(r));
	assert_int_equal(mb_map_reading(&map, &p, &rd), 0);
	assert_int_equal(rd.current_ma[0], -10000);	/* -100 x 0.1 A: export */
	assert_int_equal(rd.current_ma[1], -10000);
	assert_int_equal(rd.current_ma[2], 10000);
	assert_false(rd.has_voltage);
	/* A NaN float fails the reading. */
	p.regs[0][2] = 0x7FC0;
	assert_int_equal(mb_map_reading(&map, &p, &rd), -ERANGE);
	/* A plan that does not cover the map. */
	p.req[0].count = 4;
	assert_int_equal(mb_map_reading(&map, &p, &rd), -EINVAL);
	p.n = 0;
	assert_int_equal(mb_map_reading(&map, &p, &rd), -EINVAL);
}

/* ----------------------------------------------------------------- frames */

static void test_adu_request(void **state)
{
	(void)state;
	uint8_t b[MB_READ_REQ_LEN];
	static const uint8_t want[] = { 0x12, 0x34, 0, 0, 0, 6, 5, 3, 0xC5, 0x58, 0, 14 };

	assert_int_equal(mb_adu_read_request(b, 0x1234, 5, 0xC558, 14), 12);
	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(mb_adu_length(b, sizeof(b)), 12);
}

static void test_adu_length(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint8_t b[12];
		size_t len;
		int want;
	} cases[] = {
		{ "nothing", { 0 }, 0, 0 },
		{ "tid only", { 1, 2 }, 2, 0 },
		{ "protocol 1", { 1, 2, 0, 1 }, 4, -EBADMSG },
		{ "protocol 0x100", { 1, 2, 1, 0 }, 4, -EBADMSG },
		{ "no length yet", { 1, 2, 0, 0, 0 }, 5, 0 },
		{ "length 0", { 1, 2, 0, 0, 0, 0 }, 6, -EBADMSG },
		{ "length 1", { 1, 2, 0, 0, 0, 1 }, 6, -EBADMSG },
		{ "length 255", { 1, 2, 0, 0, 0, 255 }, 6, -EBADMSG },
		{ "length 0x0106", { 1, 2, 0, 0, 1, 6 }, 6, -EBADMSG },
		{ "length 254 needs 260", { 1, 2, 0, 0, 0, 254, 1 }, 7, 0 },
		{ "length 6, 11 bytes", { 1, 2, 0, 0, 0, 6, 1, 3, 0, 0, 0 }, 11, 0 },
		{ "length 6, whole", { 1, 2, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1 }, 12, 12 },
		{ "length 2, more behind", { 1, 2, 0, 0, 0, 2, 1, 3, 9, 9, 9, 9 }, 12, 8 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(mb_adu_length(cases[i].b, cases[i].len), cases[i].want);
	}
}

static void test_adu_response(void **state)
{
	(void)state;
	static const uint8_t ok[] = { 0, 7, 0, 0, 0, 7, 5, 3, 4, 0x12, 0x34, 0xAB, 0xCD };
	static const uint8_t ex[] = { 0, 7, 0, 0, 0, 3, 5, 0x83, 0x02 };
	static const uint8_t ex0[] = { 0, 7, 0, 0, 0, 3, 5, 0x83, 0x00 };
	static const uint8_t ex_long[] = { 0, 7, 0, 0, 0, 4, 5, 0x83, 0x02, 0 };
	static const uint8_t other_fc[] = { 0, 7, 0, 0, 0, 7, 5, 4, 4, 0x12, 0x34, 0xAB, 0xCD };
	static const uint8_t other_ex[] = { 0, 7, 0, 0, 0, 3, 5, 0x84, 0x02 };
	static const uint8_t bad_count[] = { 0, 7, 0, 0, 0, 7, 5, 3, 2, 0x12, 0x34, 0xAB, 0xCD };
	uint16_t regs[2] = { 0, 0 };

	assert_int_equal(mb_adu_read_response(ok, sizeof(ok), 7, 5, 2, regs), 0);
	assert_int_equal(regs[0], 0x1234);
	assert_int_equal(regs[1], 0xABCD);
	assert_int_equal(mb_adu_read_response(ex, sizeof(ex), 7, 5, 2, regs), 2);
	assert_int_equal(mb_adu_read_response(ok, sizeof(ok), 8, 5, 2, regs), -EBADMSG);	/* tid */
	assert_int_equal(mb_adu_read_response(ok, sizeof(ok), 7, 6, 2, regs), -EBADMSG);	/* unit */
	assert_int_equal(mb_adu_read_response(ok, sizeof(ok), 7, 5, 1, regs), -EBADMSG);	/* count */
	assert_int_equal(mb_adu_read_response(ok, sizeof(ok) - 1, 7, 5, 2, regs), -EBADMSG);
	assert_int_equal(mb_adu_read_response(ex0, sizeof(ex0), 7, 5, 2, regs), -EBADMSG);
	assert_int_equal(mb_adu_read_response(ex_long, sizeof(ex_long), 7, 5, 2, regs), -EBADMSG);
	assert_int_equal(mb_adu_read_response(other_fc, sizeof(other_fc), 7, 5, 2, regs), -EBADMSG);
	assert_int_equal(mb_adu_read_response(other_ex, sizeof(other_ex), 7, 5, 2, regs), -EBADMSG);
	assert_int_equal(mb_adu_read_response(bad_count, sizeof(bad_count), 7, 5, 2, regs), -EBADMSG);
}

static void test_floats(void **state)
{
	(void)state;
	uint16_t r[4];

	mb_put_f32(r, 16.0f);
	assert_int_equal(r[0], 0x4180);
	assert_int_equal(r[1], 0x0000);
	assert_true(mb_get_f32(r) == 16.0f);
	mb_put_f32(r, -0.1f);
	assert_true(mb_get_f32(r) == -0.1f);
	mb_put_f64(r, 1.0);
	assert_int_equal(r[0], 0x3FF0);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[3], 0);
	mb_put_f64(r, 123456789.25);
	assert_true(mb_get_f64(r) == 123456789.25);
	r[0] = r[1] = 0xFFFF;
	assert_true(isnan(mb_get_f32(r)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_sizes),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_bad_arguments),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_why_buffer),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_socomec_preset),
		cmocka_unit_test(test_plan_coalescing),
		cmocka_unit_test(test_plan_limit),
		cmocka_unit_test(test_custom_reading),
		cmocka_unit_test(test_adu_request),
		cmocka_unit_test(test_adu_length),
		cmocka_unit_test(test_adu_response),
		cmocka_unit_test(test_floats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
