/*
 * fuzz_p1.c - libFuzzer target: the DSMR P1 telegram parser (hw/p1.c).
 *
 * Input: byte 0 picks the mode (bit 0: DSMR 2.2/3.0 without CRC), bytes 1
 * and 2 the sizes of the pieces the rest is fed in (alternately, 1..256
 * bytes; each piece is copied to a buffer of exactly its size, so reading
 * past it is caught).  The rest is the serial stream.  Checked:
 *   - each p1_feed consumes 1..n bytes, and stops early only with a reading;
 *   - the counters never go down, and telegrams_ok grows by one exactly
 *     with each reading;
 *   - a reading comes from bytes that were in the stream, "/" through "!",
 *     followed (DSMR 4/5) by 4 hex digits that are their CRC, re-computed
 *     here bit by bit;
 *   - a reading is consistent: 1 or 3 phases, a current for each, none
 *     beyond, a negative current only where more power was returned;
 *   - the same stream fed whole gives the same readings and counters.
 * A failed check aborts: the fuzzer keeps the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/p1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_READINGS 64

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_p1: %s\n", what);
	abort();
}

static uint16_t crc_ref(const uint8_t *b, size_t n)
{
	uint16_t crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

static int hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void check_reading(const struct p1_reading *r)
{
	if (r->phases != 1 && r->phases != 3)
		fail("phases neither 1 nor 3");
	for (int i = 0; i < 3; i++) {
		bool has = (r->present & P1_HAS_CURRENT(i)) != 0;

		if (i < r->phases && !has)
			fail("a phase without its current");
		if (i >= r->phases && (has || r->current_ma[i] != 0))
			fail("a current beyond the phases");
		if (r->current_ma[i] < 0) {
			int32_t del = r->delivered_w[i], ret = r->returned_w[i];

			if (r->phases == 1 && !(r->present & (P1_HAS_DELIVERED(0) | P1_HAS_RETURNED(0)))) {
				del = r->total_delivered_w;
				ret = r->total_returned_w;
			}
			if (ret <= del)
				fail("export without more power returned");
		}
	}
	if (memchr(r->version, '\0', sizeof(r->version)) == NULL ||
	    memchr(r->timestamp, '\0', sizeof(r->timestamp)) == NULL)
		fail("text not terminated");
}

/* The accepted telegram must be the stream's bytes ending at `end`. */
static void check_source(const struct p1_parser *p, enum p1_mode mode,
			 const uint8_t *stream, size_t end)
{
	size_t len;
	const uint8_t *raw = p1_last_telegram(p, &len);
	size_t tail = mode == P1_DSMR45 ? 4 : 0;

	if (len < 2 || raw[0] != '/' || raw[len - 1] != '!')
		fail("telegram not \"/\" .. \"!\"");
	if (end < len + tail || memcmp(stream + end - tail - len, raw, len) != 0)
		fail("telegram not from the stream");
	if (mode == P1_DSMR45) {
		uint16_t sent = 0;

		for (size_t i = end - 4; i < end; i++) {
			int h = hex(stream[i]);
			if (h < 0)
				fail("CRC digits not hex");
			sent = (uint16_t)(sent << 4 | h);
		}
		if (sent != crc_ref(raw, len))
			fail("accepted with a wrong CRC");
	}
}

struct counters {
	uint32_t ok, crc, over, bad;
};

static struct counters counters_of(const struct p1_parser *p)
{
	struct counters c = { p->telegrams_ok, p->crc_errors, p->oversize, p->bad };
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct p1_parser whole, split;
	static struct p1_reading want[MAX_READINGS];
	int n_want = 0, n_got = 0;

	if (size < 3)
		return 0;
	enum p1_mode mode = (data[0] & 1) ? P1_DSMR23 : P1_DSMR45;
	size_t piece[2] = { (size_t)data[1] + 1, (size_t)data[2] + 1 };
	const uint8_t *s = data + 3;
	size_t n = size - 3;

	/* Whole. */
	p1_init(&whole, mode);
	for (size_t off = 0; off < n; ) {
		struct p1_reading r;
		bool got;
		size_t used = p1_feed(&whole, s + off, n - off, &r, &got);

		if (used == 0 || used > n - off)
			fail("whole: consumed out of range");
		if (!got && used != n - off)
			fail("whole: stopped early without a reading");
		off += used;
		if (got) {
			check_reading(&r);
			check_source(&whole, mode, s, off);
			if (n_want < MAX_READINGS)
				want[n_want] = r;
			n_want++;
		}
	}

	/* In pieces. */
	p1_init(&split, mode);
	struct counters before = counters_of(&split);
	size_t at = 0;
	for (int k = 0; at < n; k++) {
		size_t len = piece[k & 1] < n - at ? piece[k & 1] : n - at;
		uint8_t *chunk = malloc(len);

		if (!chunk)
			abort();
		memcpy(chunk, s + at, len);
		for (size_t off = 0; off < len; ) {
			struct p1_reading r;
			bool got;
			size_t used = p1_feed(&split, chunk + off, len - off, &r, &got);
			struct counters now = counters_of(&split);

			if (used == 0 || used > len - off)
				fail("split: consumed out of range");
			if (!got && used != len - off)
				fail("split: stopped early without a reading");
			if (now.ok < before.ok || now.crc < before.crc ||
			    now.over < before.over || now.bad < before.bad)
				fail("a counter went down");
			if (now.ok != before.ok + (got ? 1 : 0))
				fail("telegrams_ok does not count the readings");
			before = now;
			off += used;
			if (got) {
				check_reading(&r);
				check_source(&split, mode, s, at + off);
				if (n_got < MAX_READINGS && n_got < n_want &&
				    memcmp(&r, &want[n_got], sizeof(r)) != 0)
					fail("split and whole readings differ");
				n_got++;
			}
		}
		free(chunk);
		at += len;
	}
	if (n_got != n_want)
		fail("split and whole reading counts differ");
	struct counters a = counters_of(&whole), b = counters_of(&split);
	if (memcmp(&a, &b, sizeof(a)) != 0)
		fail("split and whole counters differ");
	return 0;
}
