/*
 * test_p1.c - the DSMR P1 telegram parser on hand-written DSMR 4.2 and 5.0
 * telegrams (1- and 3-phase, export on one phase) and a DSMR 3.0 one: every
 * value read, the current sign, one flipped byte anywhere, a split at every
 * offset, two telegrams in one read with garbage around them, the size
 * bound, malformed and missing objects, and the no-CRC mode.  The CRCs are
 * made here by a bitwise CRC-16/ARC of the test's own, not the parser's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hw/p1.h"
#include "tests/p1_samples.h"

/* DSMR 5.0, 3-phase: drawing on L1 and L2, a PV inverter on L3 exports. */
#define T50 P1_SAMPLE_DSMR50

/* DSMR 4.2, 1-phase, exporting 1.4 kW (6 A). */
#define T42 \
	"/KFM5KAIFA-METER\r\n" \
	"\r\n" \
	"1-3:0.2.8(42)\r\n" \
	"0-0:1.0.0(170124213128W)\r\n" \
	"0-0:96.1.1(4530303236303030303234343934333135)\r\n" \
	"1-0:1.8.1(000851.214*kWh)\r\n" \
	"1-0:1.8.2(000788.505*kWh)\r\n" \
	"1-0:2.8.1(000102.331*kWh)\r\n" \
	"1-0:2.8.2(000210.006*kWh)\r\n" \
	"0-0:96.14.0(0001)\r\n" \
	"1-0:1.7.0(00.000*kW)\r\n" \
	"1-0:2.7.0(01.422*kW)\r\n" \
	"0-0:96.7.21(00002)\r\n" \
	"0-0:96.7.9(00001)\r\n" \
	"1-0:99.97.0(1)(0-0:96.7.19)(000101000006W)(2147483647*s)\r\n" \
	"1-0:32.32.0(00000)\r\n" \
	"1-0:32.36.0(00000)\r\n" \
	"0-0:96.13.1()\r\n" \
	"0-0:96.13.0()\r\n" \
	"1-0:31.7.0(006*A)\r\n" \
	"1-0:21.7.0(00.000*kW)\r\n" \
	"1-0:22.7.0(01.422*kW)\r\n" \
	"0-1:24.1.0(003)\r\n" \
	"0-1:96.1.0(4730303139333430323830353235353135)\r\n" \
	"0-1:24.2.1(170124210000W)(00671.790*m3)\r\n" \
	"!"

/* DSMR 4.2, 3-phase, currents with decimals, no per-phase power. */
#define T42_DECIMALS \
	"/XMX5LGBBFG1009234567\r\n" \
	"\r\n" \
	"1-3:0.2.8(42)\r\n" \
	"0-0:1.0.0(190305101500W)\r\n" \
	"1-0:1.7.0(04.160*kW)\r\n" \
	"1-0:2.7.0(00.000*kW)\r\n" \
	"1-0:31.7.0(001.2*A)\r\n" \
	"1-0:51.7.0(010.25*A)\r\n" \
	"1-0:71.7.0(000.0005*A)\r\n" \
	"!"

/* DSMR 3.0-like (no CRC), 1-phase with a current object, and an M-Bus
 * value on a line of its own as DSMR 3.0 sends it. */
#define T30 \
	"/KMP5 KA6U001585575011\r\n" \
	"\r\n" \
	"0-0:96.1.1(204B413655303031353835353735303131)\r\n" \
	"1-0:1.8.1(07410.719*kWh)\r\n" \
	"1-0:2.8.1(00000.000*kWh)\r\n" \
	"0-0:96.14.0(0001)\r\n" \
	"1-0:1.7.0(0000.92*kW)\r\n" \
	"1-0:2.7.0(0000.00*kW)\r\n" \
	"1-0:31.7.0(004*A)\r\n" \
	"0-0:17.0.0(999*A)\r\n" \
	"0-0:96.3.10(1)\r\n" \
	"0-1:24.3.0(120517020000)(08)(60)(1)(0-1:24.2.1)(m3)\r\n" \
	"(00124.477)\r\n" \
	"!"

/* The parser's CRC, computed independently: bit by bit. */
static uint16_t crc_ref(const void *data, size_t n)
{
	const uint8_t *b = data;
	uint16_t crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

/* text ("/" .. "!") with its CRC and CR LF appended; returns the length. */
static size_t with_crc(char *out, size_t cap, const char *text)
{
	size_t n = strlen(text);
	int w = snprintf(out, cap, "%s%04X\r\n", text, crc_ref(text, n));

	assert_true(w > 0 && (size_t)w < cap);
	return (size_t)w;
}

/* Feeds data in pieces of `piece` bytes (0 = all at once); collects up to
 * max readings, returns how many came. */
static int feed(struct p1_parser *p, const void *data, size_t n, size_t piece,
		struct p1_reading *rd, int max)
{
	const uint8_t *b = data;
	int count = 0;

	for (size_t at = 0; at < n; ) {
		size_t len = piece && piece < n - at ? piece : n - at;

		for (size_t off = 0; off < len; ) {
			struct p1_reading r;
			bool got;
			size_t used = p1_feed(p, b + at + off, len - off, &r, &got);

			assert_true(used > 0 && used <= len - off);
			off += used;
			if (got) {
				if (count < max)
					rd[count] = r;
				count++;
			}
		}
		at += len;
	}
	return count;
}

static void test_crc16_check_value(void **state)
{
	(void)state;
	/* The CRC-16/ARC check value. */
	assert_int_equal(p1_crc16(0, (const uint8_t *)"123456789", 9), 0xBB3D);
	assert_int_equal(crc_ref("123456789", 9), 0xBB3D);
	/* continued in pieces */
	assert_int_equal(p1_crc16(p1_crc16(0, (const uint8_t *)"1234", 4),
				  (const uint8_t *)"56789", 5), 0xBB3D);
}

static void test_dsmr50_three_phase_export_on_l3(void **state)
{
	(void)state;
	static struct p1_parser p;
	struct p1_reading r[2];
	char t[2048];
	size_t n = with_crc(t, sizeof(t), T50);

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 2), 1);
	assert_int_equal(r[0].phases, 3);
	assert_int_equal(r[0].current_ma[0], 14000);
	assert_int_equal(r[0].current_ma[1], 3000);
	assert_int_equal(r[0].current_ma[2], -9000);	/* returned > delivered */
	assert_int_equal(r[0].delivered_w[0], 3215);
	assert_int_equal(r[0].delivered_w[1], 702);
	assert_int_equal(r[0].delivered_w[2], 0);
	assert_int_equal(r[0].returned_w[0], 0);
	assert_int_equal(r[0].returned_w[1], 0);
	assert_int_equal(r[0].returned_w[2], 2101);
	assert_int_equal(r[0].voltage_mv[0], 231400);
	assert_int_equal(r[0].voltage_mv[1], 229800);
	assert_int_equal(r[0].voltage_mv[2], 236900);
	assert_int_equal(r[0].total_delivered_w, 1816);
	assert_int_equal(r[0].total_returned_w, 0);
	assert_string_equal(r[0].version, "50");
	assert_string_equal(r[0].timestamp, "240611134512S");
	assert_int_equal(r[0].present, 0xffff);
	assert_int_equal(p.telegrams_ok, 1);
	assert_int_equal(p.crc_errors + p.oversize + p.bad, 0);

	size_t len;
	const uint8_t *raw = p1_last_telegram(&p, &len);
	assert_int_equal(len, strlen(T50));
	assert_memory_equal(raw, T50, len);
}

static void test_dsmr42_one_phase_export(void **state)
{
	(void)state;
	static struct p1_parser p;
	struct p1_reading r[1];
	char t[2048];
	size_t n = with_crc(t, sizeof(t), T42);

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(r[0].phases, 1);
	assert_int_equal(r[0].current_ma[0], -6000);
	assert_int_equal(r[0].current_ma[1], 0);
	assert_int_equal(r[0].current_ma[2], 0);
	assert_int_equal(r[0].returned_w[0], 1422);
	assert_int_equal(r[0].total_returned_w, 1422);
	assert_string_equal(r[0].version, "42");
	assert_string_equal(r[0].timestamp, "170124213128W");
	assert_int_equal(r[0].present, P1_HAS_CURRENT(0) | P1_HAS_DELIVERED(0) |
			 P1_HAS_RETURNED(0) | P1_HAS_TOTAL_DELIVERED |
			 P1_HAS_TOTAL_RETURNED | P1_HAS_VERSION | P1_HAS_TIMESTAMP);
}

static void test_decimal_currents_rounded_to_ma(void **state)
{
	(void)state;
	static struct p1_parser p;
	struct p1_reading r[1];
	char t[2048];
	size_t n = with_crc(t, sizeof(t), T42_DECIMALS);

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(r[0].phases, 3);
	/* No per-phase power on a 3-phase meter: the sign cannot be told,
	 * the currents count as drawn. */
	assert_int_equal(r[0].current_ma[0], 1200);
	assert_int_equal(r[0].current_ma[1], 10250);
	assert_int_equal(r[0].current_ma[2], 1);	/* 0.5 mA rounds up */
	assert_int_equal(r[0].present & (P1_HAS_DELIVERED(0) | P1_HAS_RETURNED(0)), 0);
}

/* A 1-phase meter with one current line; value as given. */
static int one_phase(const char *current, const char *extra, struct p1_reading *r,
		     struct p1_parser *p)
{
	char text[512], t[600];

	snprintf(text, sizeof(text),
		 "/ISK5\\2M550E-1011\r\n\r\n"
		 "1-3:0.2.8(50)\r\n"
		 "1-0:1.7.0(00.250*kW)\r\n"
		 "1-0:2.7.0(00.000*kW)\r\n"
		 "%s"
		 "1-0:31.7.0(%s)\r\n"
		 "!", extra, current);
	size_t n = with_crc(t, sizeof(t), text);
	p1_init(p, P1_DSMR45);
	return feed(p, t, n, 0, r, 1);
}

static void test_current_values(void **state)
{
	(void)state;
	static const struct {
		const char *value;
		int32_t ma;		/* when accepted */
		bool ok;
	} cases[] = {
		{ "005*A", 5000, true },
		{ "000*A", 0, true },
		{ "001.2*A", 1200, true },
		{ "1.2345*A", 1235, true },	/* half up at the 4th decimal */
		{ "1.2344*A", 1234, true },
		{ "1.99951*A", 2000, true },
		{ "0.0005*A", 1, true },
		{ "005*a", 5000, true },	/* unit case not checked */
		{ "2147483*A", 2147483000, true },
		{ "0000000000012*A", 12000, true },	/* leading zeros */
		{ "2147484*A", 0, false },	/* beyond int32 mA */
		{ "2147483.648*A", 0, false },
		{ "005", 0, false },		/* no unit */
		{ "005*", 0, false },
		{ "005*V", 0, false },		/* wrong unit */
		{ "005*AA", 0, false },
		{ "-005*A", 0, false },		/* DSMR sends magnitudes */
		{ "+005*A", 0, false },
		{ "5.*A", 0, false },
		{ ".5*A", 0, false },
		{ "", 0, false },
		{ "0 5*A", 0, false },
		{ "005*A)(1", 0, false },	/* a second value */
	};
	static struct p1_parser p;
	struct p1_reading r[1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("current \"%s\"\n", cases[i].value);
		int got = one_phase(cases[i].value, "", r, &p);
		if (cases[i].ok) {
			assert_int_equal(got, 1);
			assert_int_equal(r[0].phases, 1);
			assert_int_equal(r[0].current_ma[0], cases[i].ma);
			assert_int_equal(p.bad, 0);
		} else {
			assert_int_equal(got, 0);
			assert_int_equal(p.bad, 1);
			assert_int_equal(p.crc_errors, 0);
		}
	}
}

/* 1-phase sign: the phase's own powers, else the totals. */
static void test_one_phase_sign_from_totals(void **state)
{
	(void)state;
	static struct p1_parser p;
	struct p1_reading r[1];
	char t[600];
	size_t n = with_crc(t, sizeof(t),
			    "/Ene5\\T210-D ESMR5.0\r\n\r\n"
			    "1-0:1.7.0(00.000*kW)\r\n"
			    "1-0:2.7.0(00.800*kW)\r\n"
			    "1-0:31.7.0(003*A)\r\n"
			    "!");

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(r[0].current_ma[0], -3000);

	/* equal power both ways: not export */
	n = with_crc(t, sizeof(t),
		     "/Ene5\\T210-D ESMR5.0\r\n\r\n"
		     "1-0:21.7.0(00.400*kW)\r\n"
		     "1-0:22.7.0(00.400*kW)\r\n"
		     "1-0:1.7.0(00.000*kW)\r\n"
		     "1-0:2.7.0(09.999*kW)\r\n"
		     "1-0:31.7.0(002*A)\r\n"
		     "!");
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(r[0].current_ma[0], 2000);	/* own powers win over totals */
}

static void test_unknown_and_malformed_objects(void **state)
{
	(void)state;
	static struct p1_parser p;
	struct p1_reading r[1];

	/* Unknown objects, a line without a value, a stray line: ignored.
	 * Malformed optional objects: left out. */
	assert_int_equal(one_phase("010*A",
				   "0-0:96.99.9(whatever)\r\n"
				   "not an object\r\n"
				   "1-0:99.99.0\r\n"
				   "(00124.477)\r\n"
				   "1-0:32.7.0(23O.1*V)\r\n"
				   "0-0:1.0.0(2406111345)(12S)\r\n"
				   "1-3:0.2.8(\x01" "5)\r\n", r, &p), 1);
	assert_int_equal(r[0].current_ma[0], 10000);
	assert_int_equal(r[0].present & (P1_HAS_VOLTAGE(0) | P1_HAS_TIMESTAMP | P1_HAS_VERSION), 0);
	assert_string_equal(r[0].version, "");
	assert_string_equal(r[0].timestamp, "");
	assert_int_equal(p.bad, 0);

	/* A malformed per-phase power (needed for the sign): dropped. */
	assert_int_equal(one_phase("010*A", "1-0:22.7.0(01.5*W)\r\n", r, &p), 0);
	assert_int_equal(p.bad, 1);
	assert_int_equal(one_phase("010*A", "1-0:21.7.0()\r\n", r, &p), 0);
	assert_int_equal(p.bad, 1);
}

static void test_unusable_telegrams_are_bad(void **state)
{
	(void)state;
	static const char *texts[] = {
		/* no current object at all */
		"/ISK5\\2M550T-1012\r\n\r\n"
		"1-3:0.2.8(50)\r\n"
		"1-0:1.7.0(01.816*kW)\r\n"
		"1-0:32.7.0(231.4*V)\r\n"
		"!",
		/* 3-phase with L2 missing: it must not read as 0 A */
		"/ISK5\\2M550T-1012\r\n\r\n"
		"1-0:31.7.0(014*A)\r\n"
		"1-0:71.7.0(009*A)\r\n"
		"!",
		/* only L3 */
		"/ISK5\\2M550T-1012\r\n\r\n"
		"1-0:71.7.0(009*A)\r\n"
		"!",
		/* nothing but the header */
		"/ISK5\\2M550T-1012\r\n\r\n!",
	};
	static struct p1_parser p;
	struct p1_reading r[1];
	char t[600];

	p1_init(&p, P1_DSMR45);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t n = with_crc(t, sizeof(t), texts[i]);
		assert_int_equal(feed(&p, t, n, 0, r, 1), 0);
		assert_int_equal(p.bad, i + 1);
	}
	assert_int_equal(p.telegrams_ok, 0);
	assert_int_equal(p.crc_errors, 0);
}

/* One flipped bit anywhere from "/" through the CRC digits: the telegram is
 * never returned, it is counted (unless "/" itself was hit: then there was
 * no telegram), and the good one after it is read. */
static void test_flipped_byte_never_returned(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char good[2048], t[4096];
	struct p1_reading r[2], want[1];
	size_t ng = with_crc(good, sizeof(good), T50);
	size_t covered = ng - 2;	/* not the final CR LF */

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, good, ng, 0, want, 1), 1);
	for (size_t pos = 0; pos < covered; pos++) {
		memcpy(t, good, ng);
		t[pos] ^= 0x01;
		memcpy(t + ng, good, ng);
		p1_init(&p, P1_DSMR45);
		assert_int_equal(feed(&p, t, 2 * ng, 0, r, 2), 1);
		assert_memory_equal(&r[0], &want[0], sizeof(want[0]));
		assert_int_equal(p.telegrams_ok, 1);
		if (pos == 0)
			assert_int_equal(p.crc_errors + p.bad + p.oversize, 0);
		else
			assert_int_equal(p.crc_errors + p.bad, 1);
	}
	/* a changed value, CRC unchanged */
	memcpy(t, good, ng);
	memcpy(strstr(t, "1-0:31.7.0(014"), "1-0:31.7.0(016", 14);
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, ng, 0, r, 1), 0);
	assert_int_equal(p.crc_errors, 1);
}

static void test_split_at_every_offset(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char t[2048];
	struct p1_reading r[2], want[1];
	size_t n = with_crc(t, sizeof(t), T50);

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, want, 1), 1);
	for (size_t k = 0; k <= n; k++) {
		p1_init(&p, P1_DSMR45);
		assert_int_equal(feed(&p, t, k, 0, r, 2), k >= n - 2 ? 1 : 0);
		assert_int_equal(feed(&p, t + k, n - k, 0, r + 1, 1), k >= n - 2 ? 0 : 1);
		assert_memory_equal(k >= n - 2 ? &r[0] : &r[1], &want[0], sizeof(want[0]));
		assert_int_equal(p.telegrams_ok, 1);
	}
	/* byte by byte, and in serial-sized pieces */
	for (size_t piece = 1; piece <= 64; piece *= 2) {
		p1_init(&p, P1_DSMR45);
		assert_int_equal(feed(&p, t, n, piece, r, 1), 1);
		assert_memory_equal(&r[0], &want[0], sizeof(want[0]));
	}
}

static void test_two_in_one_read_with_garbage(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char buf[8192];
	size_t n = 0;
	struct p1_reading r;
	bool got;

	/* Garbage first (a half telegram's tail, binary noise), then two
	 * telegrams with noise between them. */
	n += (size_t)sprintf(buf + n, "0(00.000*kW)\r\n!1234\r\n\xff\xfe junk");
	n += with_crc(buf + n, sizeof(buf) - n, T50);
	memcpy(buf + n, "\0\x80 noise", 8);
	n += 8;
	n += with_crc(buf + n, sizeof(buf) - n, T42);

	p1_init(&p, P1_DSMR45);
	size_t used = p1_feed(&p, (uint8_t *)buf, n, &r, &got);
	assert_true(got);
	assert_int_equal(r.current_ma[2], -9000);	/* T50 */
	assert_true(used < n);
	size_t used2 = p1_feed(&p, (uint8_t *)buf + used, n - used, &r, &got);
	assert_true(got);
	assert_int_equal(r.current_ma[0], -6000);	/* T42 */
	assert_int_equal(used + used2, n - 2);		/* up to its CRC */
	assert_int_equal(p1_feed(&p, (uint8_t *)buf + used + used2, 2, &r, &got), 2);
	assert_false(got);
	assert_int_equal(p.telegrams_ok, 2);
	assert_int_equal(p.crc_errors + p.bad + p.oversize, 0);
}

/* A telegram cut short (bytes lost, the meter restarted): the next "/" at
 * the start of a line begins the next telegram. */
static void test_cut_short_by_next_telegram(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char buf[8192];
	struct p1_reading r[2];
	size_t n = 0;

	memcpy(buf, T50, 300);	/* ends mid-line */
	n = 300;
	buf[n++] = '\n';
	n += with_crc(buf + n, sizeof(buf) - n, T42);
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, buf, n, 7, r, 2), 1);
	assert_int_equal(r[0].current_ma[0], -6000);
	assert_int_equal(p.bad, 1);
	assert_int_equal(p.crc_errors, 0);
}

/* A telegram of text_len bytes "/" .. "!": padded with an unknown object. */
static size_t padded(char *out, size_t cap, size_t text_len)
{
	static char text[CP_MAX_P1_TELEGRAM + 64];
	const char *head = "/ISK5\\2M550T-1012\r\n\r\n1-0:31.7.0(016*A)\r\n0-0:96.13.0(";
	const char *tail = ")\r\n!";
	size_t fixed = strlen(head) + strlen(tail);

	assert_true(text_len > fixed && text_len < sizeof(text));
	strcpy(text, head);
	memset(text + strlen(head), '3', text_len - fixed);
	strcpy(text + strlen(head) + text_len - fixed, tail);
	assert_int_equal(strlen(text), text_len);
	return with_crc(out, cap, text);
}

static void test_oversize_dropped_then_resync(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char buf[3 * CP_MAX_P1_TELEGRAM];
	struct p1_reading r[2];
	size_t n;

	/* exactly the bound: read */
	n = padded(buf, sizeof(buf), CP_MAX_P1_TELEGRAM);
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, buf, n, 100, r, 2), 1);
	assert_int_equal(r[0].current_ma[0], 16000);
	assert_int_equal(p.oversize, 0);

	/* one byte more: dropped, and the next telegram is read */
	n = padded(buf, sizeof(buf), CP_MAX_P1_TELEGRAM + 1);
	n += with_crc(buf + n, sizeof(buf) - n, T42);
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, buf, n, 100, r, 2), 1);
	assert_int_equal(r[0].current_ma[0], -6000);
	assert_int_equal(p.oversize, 1);
	assert_int_equal(p.crc_errors + p.bad, 0);

	/* endless noise containing "/" mid-line: one oversize, no more */
	memset(buf, 'x', sizeof(buf));
	buf[0] = '/';
	for (size_t i = 100; i < sizeof(buf); i += 97)
		buf[i] = '/';
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, buf, sizeof(buf), 0, r, 2), 0);
	assert_int_equal(p.oversize, 1);
	assert_int_equal(p.bad + p.crc_errors, 0);
}

static void test_crc_forms(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char t[2048];
	struct p1_reading r[1];
	size_t n;

	/* lower-case hex digits and LF-only line ends are read */
	n = (size_t)snprintf(t, sizeof(t), "%s%04x\n", T42, crc_ref(T42, strlen(T42)));
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);

	static const char lf[] = "/ISK5\\2M550E-1011\n\n1-0:31.7.0(007*A)\n!";
	n = with_crc(t, sizeof(t), lf);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(r[0].current_ma[0], 7000);

	/* DSMR 4/5 mode: no CRC, a short CRC, a non-hex digit */
	static const char *bad[] = { "\r\n", "12\r\n", "12G4\r\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = (size_t)snprintf(t, sizeof(t), "%s%s", T42, bad[i]);
		p1_init(&p, P1_DSMR45);
		assert_int_equal(feed(&p, t, n, 0, r, 1), 0);
		assert_int_equal(p.crc_errors, 1);
	}
}

static void test_dsmr23_without_crc(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char t[4096];
	struct p1_reading r[2];
	size_t n;

	/* Two telegrams "!" CR LF, split in small pieces. */
	n = (size_t)snprintf(t, sizeof(t), "%s\r\n%s\r\n", T30, T30);
	p1_init(&p, P1_DSMR23);
	assert_int_equal(feed(&p, t, n, 5, r, 2), 2);
	assert_int_equal(r[0].phases, 1);
	assert_int_equal(r[0].current_ma[0], 4000);
	assert_int_equal(r[0].total_delivered_w, 920);
	assert_int_equal(r[0].present & P1_HAS_VERSION, 0);
	assert_memory_equal(&r[0], &r[1], sizeof(r[0]));
	assert_int_equal(p.telegrams_ok, 2);

	/* The same telegram in DSMR 4/5 mode has no CRC: dropped. */
	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 2), 0);
	assert_int_equal(p.crc_errors, 2);

	/* A DSMR 2.2 meter without current objects gives nothing to
	 * balance on. */
	n = (size_t)snprintf(t, sizeof(t), "%s",
			     "/ISk5\\2MT382-1004\r\n\r\n"
			     "0-0:96.1.1(4B384547303034303436333935353037)\r\n"
			     "1-0:1.8.1(00001.001*kWh)\r\n"
			     "1-0:1.7.0(0001.01*kW)\r\n"
			     "1-0:2.7.0(0000.00*kW)\r\n"
			     "0-0:17.0.0(0999.00*kW)\r\n"
			     "!\r\n");
	p1_init(&p, P1_DSMR23);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 0);
	assert_int_equal(p.bad, 1);
}

static void test_resync_keeps_counters(void **state)
{
	(void)state;
	static struct p1_parser p;
	static char t[2048];
	struct p1_reading r[1];
	size_t n = with_crc(t, sizeof(t), T42);

	p1_init(&p, P1_DSMR45);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	/* half a telegram, then the device is reopened */
	assert_int_equal(feed(&p, t, n / 2, 0, r, 1), 0);
	p1_resync(&p);
	/* the second half alone is garbage */
	assert_int_equal(feed(&p, t + n / 2, n - n / 2, 0, r, 1), 0);
	assert_int_equal(feed(&p, t, n, 0, r, 1), 1);
	assert_int_equal(p.telegrams_ok, 2);
	assert_int_equal(p.crc_errors + p.bad + p.oversize, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc16_check_value),
		cmocka_unit_test(test_dsmr50_three_phase_export_on_l3),
		cmocka_unit_test(test_dsmr42_one_phase_export),
		cmocka_unit_test(test_decimal_currents_rounded_to_ma),
		cmocka_unit_test(test_current_values),
		cmocka_unit_test(test_one_phase_sign_from_totals),
		cmocka_unit_test(test_unknown_and_malformed_objects),
		cmocka_unit_test(test_unusable_telegrams_are_bad),
		cmocka_unit_test(test_flipped_byte_never_returned),
		cmocka_unit_test(test_split_at_every_offset),
		cmocka_unit_test(test_two_in_one_read_with_garbage),
		cmocka_unit_test(test_cut_short_by_next_telegram),
		cmocka_unit_test(test_oversize_dropped_then_resync),
		cmocka_unit_test(test_crc_forms),
		cmocka_unit_test(test_dsmr23_without_crc),
		cmocka_unit_test(test_resync_keeps_counters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
