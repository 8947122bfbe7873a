/*
 * fuzz_scn_frame.c - libFuzzer target: the SCN frame codec
 * (station/scn/frame.c, docs/scn.md "Wire format").
 *
 * Input: byte 0 picks the mode, the rest is one datagram, copied to a
 * buffer of exactly its size (a read past it is caught).
 *   bit 0: the receiver has a key (SCN-AuthKey);
 *   bit 1: the harness first recomputes the CRC-32 and, with a key and the
 *          tag flag set, the HMAC-SHA256 tag, so that the fuzzer reaches
 *          the content checks behind them.
 * Checked:
 *   - the return value agrees with the reason, and each decode counts once;
 *   - a frame accepted re-encodes (same key) to exactly the same bytes, and
 *     those decode again to the same announce: the encoding is canonical;
 *   - decoding with no auth and with an auth without key agree;
 *   - with a key, the same datagram accepted twice is a replay.
 * A failed check aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "station/scn/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t key[] = "fuzz-scn-key-0123456789";

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_scn_frame: %s\n", what);
	abort();
}

static void fix_up(uint8_t *b, size_t n, int keyed)
{
	if (n < 12)
		return;
	if (keyed && (b[4] & 0x01) && n >= SCN_FRAME_HDR_LEN + SCN_FRAME_TAG_LEN + SCN_FRAME_CRC_LEN) {
		size_t body = n - SCN_FRAME_TAG_LEN - SCN_FRAME_CRC_LEN;
		unsigned int len = 0;

		if (!HMAC(EVP_sha256(), key, sizeof(key) - 1, b, body, b + body, &len))
			fail("HMAC");
	}
	uint32_t c = scn_crc32(b, n - 4);
	b[n - 4] = (uint8_t)(c >> 24);
	b[n - 3] = (uint8_t)(c >> 16);
	b[n - 2] = (uint8_t)(c >> 8);
	b[n - 1] = (uint8_t)c;
}

static int decode(const uint8_t *b, size_t n, struct scn_auth *auth, struct scn_announce *out)
{
	int why = -1;
	uint32_t before = 0, after = 0;

	if (auth)
		for (int i = 0; i < SCN_FRAME_N_REASONS; i++)
			before += auth->stats.n[i];
	int r = scn_frame_decode(b, n, auth, out, &why);
	if (why < 0 || why >= SCN_FRAME_N_REASONS)
		fail("reason out of range");
	if ((r == 0) != (why == SCN_FRAME_OK))
		fail("return value and reason disagree");
	if (r != 0 && r != -EBADMSG && r != -EPERM)
		fail("unexpected return value");
	if (auth) {
		for (int i = 0; i < SCN_FRAME_N_REASONS; i++)
			after += auth->stats.n[i];
		if (after != before + 1 || auth->stats.n[why] == 0)
			fail("decode not counted once");
	}
	return why;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scn_auth rx, tx, rx2;
	struct scn_announce a, b;

	if (size < 1)
		return 0;
	int keyed = data[0] & 1;
	size_t n = size - 1;
	uint8_t *buf = malloc(n ? n : 1);
	uint8_t out[SCN_FRAME_MAX_LEN];

	if (!buf)
		abort();
	memcpy(buf, data + 1, n);
	if (data[0] & 2)
		fix_up(buf, n, keyed);

	scn_auth_init(&rx, key, keyed ? sizeof(key) - 1 : 0);
	scn_auth_init(&tx, key, keyed ? sizeof(key) - 1 : 0);
	int why = decode(buf, n, &rx, &a);
	if (!keyed) {
		struct scn_announce c;
		if (decode(buf, n, NULL, &c) != why)
			fail("no auth and auth without key disagree");
	}
	if (why == SCN_FRAME_OK) {
		int len = scn_frame_encode(&a, &tx, out, sizeof(out));

		if (len < 0)
			fail("an accepted announce does not encode");
		if ((size_t)len != n || memcmp(out, buf, n) != 0)
			fail("re-encoding differs from the datagram");
		scn_auth_init(&rx2, key, keyed ? sizeof(key) - 1 : 0);
		if (decode(out, (size_t)len, &rx2, &b) != SCN_FRAME_OK)
			fail("re-encoded frame rejected");
		if (memcmp(&a, &b, sizeof(a)) != 0)
			fail("round trip changed the announce");
		if (keyed && decode(buf, n, &rx, &b) != SCN_FRAME_E_REPLAY)
			fail("a repeated datagram was not a replay");
	}
	free(buf);
	return 0;
}
