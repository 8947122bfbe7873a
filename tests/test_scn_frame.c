/*
 * test_scn_frame.c - the Smart Charging Network frame codec (docs/scn.md
 * "Wire format"): round trips, the byte layout, every kind of malformed
 * datagram, HMAC-SHA256 authentication and the per-member replay window.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "station/scn/frame.h"

static const uint8_t key_a[] = "correct horse battery staple 01";
static const uint8_t key_b[] = "correct horse battery staple 02";

/* A valid announce with n sockets. */
static void sample(struct scn_announce *a, unsigned n)
{
	memset(a, 0, sizeof(*a));
	strcpy(a->network, "HOME42");
	a->member = 0xa1b2c3d4;
	a->seq = 7;
	a->epoch = 3;
	a->station_max_ma = 32000;
	a->has_budget = true;
	a->budget_ma[0] = 25000;
	a->budget_ma[1] = 24000;
	a->budget_ma[2] = 23000;
	a->n_sockets = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		struct scn_socket_info *s = &a->sock[i];

		s->id = (uint16_t)(5 + i);
		s->phase_map = (uint8_t)(7 + i);
		s->ev_phases = 3;
		s->in_use = i == 0;
		s->min_ma = 6000;
		s->max_ma = 32000;
		s->draw_ma[0] = 15900;
		s->draw_ma[1] = 16000;
		s->draw_ma[2] = 16100;
		s->setpoint_ma = 16000;
	}
}

static int enc(const struct scn_announce *a, const struct scn_auth *auth, uint8_t *buf)
{
	int len = scn_frame_encode(a, auth, buf, SCN_FRAME_MAX_LEN + 8);

	assert_true(len > 0);
	return len;
}

static int why_of(const uint8_t *buf, size_t len, struct scn_auth *auth)
{
	struct scn_announce out;
	int why = -1;
	int r = scn_frame_decode(buf, len, auth, &out, &why);

	assert_int_equal(r == 0, why == SCN_FRAME_OK);
	return why;
}

/* Recompute the CRC-32 at the end of a frame of len bytes. */
static void reseal(uint8_t *buf, size_t len)
{
	uint32_t c = scn_crc32(buf, len - 4);

	buf[len - 4] = (uint8_t)(c >> 24);
	buf[len - 3] = (uint8_t)(c >> 16);
	buf[len - 2] = (uint8_t)(c >> 8);
	buf[len - 1] = (uint8_t)c;
}

/* Recompute the tag (as a sender with key k would) and the CRC. */
static void resign(uint8_t *buf, size_t len, const uint8_t *k, size_t klen)
{
	unsigned int n = 0;
	size_t body = len - SCN_FRAME_CRC_LEN - SCN_FRAME_TAG_LEN;

	assert_non_null(HMAC(EVP_sha256(), k, (int)klen, buf, body, buf + body, &n));
	assert_int_equal(n, SCN_FRAME_TAG_LEN);
	reseal(buf, len);
}

static void test_crc32_check_value(void **state)
{
	(void)state;
	/* The CRC-32 check value of "123456789" (as zlib's crc32). */
	assert_int_equal(scn_crc32((const uint8_t *)"123456789", 9), 0xcbf43926);
	assert_int_equal(scn_crc32(NULL, 0), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct scn_announce a, out;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	static const struct {
		unsigned n;
		int len;
	} cases[] = { { 0, 48 }, { 1, 76 }, { 2, 104 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sample(&a, cases[i].n);
		int len = enc(&a, NULL, buf);

		assert_int_equal(len, cases[i].len);
		assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), 0);
		assert_memory_equal(&a, &out, sizeof(a));
	}

	/* Every field at its extreme. */
	sample(&a, 2);
	strcpy(a.network, "Z0Z0Z09");
	a.member = a.seq = a.epoch = 0xffffffff;
	a.budget_safe = true;
	a.station_max_ma = SCN_CURRENT_MAX_MA;
	a.budget_ma[1] = 0;
	a.sock[0].id = 0;
	a.sock[1].id = SCN_SOCKET_ID_MAX;
	a.sock[0].phase_map = 1;
	a.sock[1].phase_map = 9;
	a.sock[0].ev_phases = 0;
	a.sock[1].in_use = true;
	a.sock[1].min_ma = 0;
	a.sock[1].max_ma = SCN_CURRENT_MAX_MA;
	a.sock[1].draw_ma[2] = SCN_CURRENT_MAX_MA;
	a.sock[1].setpoint_ma = 0;
	int len = enc(&a, NULL, buf);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), 0);
	assert_memory_equal(&a, &out, sizeof(a));

	/* No budget source at all. */
	sample(&a, 1);
	a.has_budget = false;
	memset(a.budget_ma, 0, sizeof(a.budget_ma));
	len = enc(&a, NULL, buf);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), 0);
	assert_memory_equal(&a, &out, sizeof(a));
}

/* The byte layout of docs/scn.md, field by field, big endian. */
static void test_layout(void **state)
{
	(void)state;
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	static const uint8_t want[] = {
		'S', 'C', 'N', 1,		/* magic, version */
		0x06, 1, 0, 76,			/* flags budget+safe, 1 socket, length */
		0xa1, 0xb2, 0xc3, 0xd4,		/* member */
		0, 0, 0, 7,			/* seq */
		0, 0, 0, 3,			/* epoch */
		'H', 'O', 'M', 'E', '4', '2', 0, 0,	/* network */
		0, 0, 0x7d, 0x00,		/* station max 32000 */
		0, 0, 0x61, 0xa8,		/* budget L1 25000 */
		0, 0, 0x5d, 0xc0,		/* budget L2 24000 */
		0, 0, 0x59, 0xd8,		/* budget L3 23000 */
		0, 5, 7, 0x83,			/* id 5, phase map 7, in use, 3 phases */
		0, 0, 0x17, 0x70,		/* min 6000 */
		0, 0, 0x7d, 0x00,		/* max 32000 */
		0, 0, 0x3e, 0x1c,		/* draw L1 15900 */
		0, 0, 0x3e, 0x80,		/* draw L2 16000 */
		0, 0, 0x3e, 0xe4,		/* draw L3 16100 */
		0, 0, 0x3e, 0x80,		/* setpoint 16000 */
	};

	sample(&a, 1);
	a.budget_safe = true;
	int len = enc(&a, NULL, buf);
	assert_int_equal(len, sizeof(want) + 4);
	assert_memory_equal(buf, want, sizeof(want));
	uint32_t c = scn_crc32(want, sizeof(want));
	uint8_t crc[4] = { (uint8_t)(c >> 24), (uint8_t)(c >> 16), (uint8_t)(c >> 8), (uint8_t)c };
	assert_memory_equal(buf + sizeof(want), crc, 4);

	/* With a key: flag bit 0, 32 more bytes, tag before the CRC. */
	struct scn_auth auth;
	assert_int_equal(scn_auth_init(&auth, key_a, sizeof(key_a) - 1), 0);
	len = enc(&a, &auth, buf);
	assert_int_equal(len, sizeof(want) + 32 + 4);
	assert_int_equal(buf[4], 0x07);
	assert_int_equal(buf[7], len);
}

static void test_two_socket_frame_is_compact(void **state)
{
	(void)state;
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	struct scn_auth auth;

	sample(&a, 2);
	assert_int_equal(scn_auth_init(&auth, key_a, sizeof(key_a) - 1), 0);
	assert_int_equal(enc(&a, NULL, buf), 104);
	assert_int_equal(enc(&a, &auth, buf), 136);
	/* The allocator's frame: 2 + 6 bytes per share on top. */
	a.has_alloc = true;
	a.n_alloc = 6;
	for (unsigned i = 0; i < 6; i++)
		a.alloc[i] = (struct scn_share){ (uint16_t)i, 10000 };
	assert_int_equal(enc(&a, NULL, buf), 104 + 2 + 36);
	assert_int_equal(SCN_FRAME_MAX_LEN, 44 + CP_MAX_CONNECTORS * 28 + 2 + CP_MAX_SCN_SOCKETS * 6 + 36);
}

/* The allocator's shares: every share back as sent, in order; a frame
 * without them has none; a count beyond CP_MAX_SCN_SOCKETS, a repeated
 * socket, a reserved byte, a cut share section are refused. */
static void test_alloc_section(void **state)
{
	(void)state;
	struct scn_announce a, out;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	struct scn_auth auth;
	int len, why;

	sample(&a, 2);
	a.has_alloc = true;
	a.n_alloc = CP_MAX_SCN_SOCKETS;
	for (unsigned i = 0; i < CP_MAX_SCN_SOCKETS; i++)
		a.alloc[i] = (struct scn_share){ (uint16_t)(CP_MAX_SCN_SOCKETS - 1 - i), (int32_t)(i * 100) };
	assert_int_equal(scn_auth_init(&auth, key_a, sizeof(key_a) - 1), 0);
	len = enc(&a, &auth, buf);
	assert_int_equal(len, SCN_FRAME_MAX_LEN);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, &auth, &out, &why), 0);
	assert_true(out.has_alloc);
	assert_int_equal(out.n_alloc, CP_MAX_SCN_SOCKETS);
	assert_memory_equal(out.alloc, a.alloc, sizeof(a.alloc));

	/* Flag set, no shares: an allocator with nothing to share. */
	a.n_alloc = 0;
	len = enc(&a, NULL, buf);
	assert_int_equal(len, 104 + 2);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), 0);
	assert_true(out.has_alloc);
	assert_int_equal(out.n_alloc, 0);
	/* No flag: no shares. */
	a.has_alloc = false;
	len = enc(&a, NULL, buf);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), 0);
	assert_false(out.has_alloc);

	/* Encode refuses what decode would. */
	a.has_alloc = false;
	a.n_alloc = 1;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	a.has_alloc = true;
	a.n_alloc = 2;
	a.alloc[0] = (struct scn_share){ 3, 6000 };
	a.alloc[1] = (struct scn_share){ 3, 6000 };
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	a.alloc[1] = (struct scn_share){ 4, -1 };
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);

	/* On the wire: the count at 100 (after the header and two sockets),
	 * a reserved byte, then 6 bytes per share. */
	a.alloc[1] = (struct scn_share){ 4, 6000 };
	len = enc(&a, NULL, buf);
	assert_int_equal(len, 104 + 2 + 12);
	assert_int_equal(buf[100], 2);
	buf[100] = CP_MAX_SCN_SOCKETS + 1;
	reseal(buf, (size_t)len);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_COUNT);
	buf[100] = 3;				/* one more than the length holds */
	reseal(buf, (size_t)len);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_LENGTH);
	buf[100] = 2;
	buf[101] = 1;				/* reserved */
	reseal(buf, (size_t)len);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_COUNT);
	buf[101] = 0;
	assert_int_equal(buf[109], 4);
	buf[109] = 3;				/* second share's id: 4 -> 3, repeated */
	reseal(buf, (size_t)len);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_SOCKET);
	buf[109] = 4;
	reseal(buf, (size_t)len);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_OK);
	/* Cut right after the sockets: the count itself is missing. */
	assert_int_equal(why_of(buf, 100, NULL), SCN_FRAME_E_SHORT);
}

static void test_encode_checks(void **state)
{
	(void)state;
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	sample(&a, 2);
	assert_int_equal(scn_frame_encode(&a, NULL, buf, 103), -EMSGSIZE);
	assert_int_equal(scn_frame_encode(&a, NULL, buf, 104), 104);
	assert_int_equal(scn_frame_encode(&a, NULL, NULL, 0), -EMSGSIZE);

	/* Whatever decode would reject, encode refuses. */
	static const char *const bad_names[] = { "", "home", "ABCDEFGH", "A-B", "A B" };
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		sample(&a, 1);
		memcpy(a.network, bad_names[i], strlen(bad_names[i]) < 8 ? strlen(bad_names[i]) + 1 : 8);
		assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	}
	sample(&a, 2);
	a.n_sockets = CP_MAX_CONNECTORS + 1;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 2);
	a.sock[1].id = a.sock[0].id;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 1);
	a.sock[0].id = SCN_NO_SOCKET;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 1);
	a.sock[0].phase_map = 0;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 1);
	a.sock[0].ev_phases = 4;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 1);
	a.sock[0].setpoint_ma = -1;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
	sample(&a, 1);
	a.has_budget = false;
	a.budget_safe = true;
	assert_int_equal(scn_frame_encode(&a, NULL, buf, sizeof(buf)), -EINVAL);
}

static void test_truncated_at_every_length(void **state)
{
	(void)state;
	struct scn_announce a;
	struct scn_auth auth;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	assert_int_equal(scn_auth_init(&auth, key_a, sizeof(key_a) - 1), 0);
	for (int keyed = 0; keyed < 2; keyed++) {
		sample(&a, 2);
		int len = enc(&a, keyed ? &auth : NULL, buf);

		for (int cut = 0; cut < len; cut++) {
			/* A copy of exactly cut bytes: ASan catches a read past it. */
			uint8_t part[SCN_FRAME_MAX_LEN];

			memcpy(part, buf, (size_t)cut);
			assert_int_equal(why_of(part, (size_t)cut, keyed ? &auth : NULL),
					 SCN_FRAME_E_SHORT);
		}
	}
	assert_int_equal(why_of(NULL, 0, NULL), SCN_FRAME_E_SHORT);
}

static void test_every_bit_flip_rejected(void **state)
{
	(void)state;
	struct scn_announce a;
	struct scn_auth tx, rx;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8], bad[SCN_FRAME_MAX_LEN + 8];

	assert_int_equal(scn_auth_init(&tx, key_a, sizeof(key_a) - 1), 0);
	for (int keyed = 0; keyed < 2; keyed++) {
		sample(&a, 2);
		int len = enc(&a, keyed ? &tx : NULL, buf);

		for (int i = 0; i < len; i++)
			for (int bit = 0; bit < 8; bit++) {
				memcpy(bad, buf, (size_t)len);
				bad[i] ^= (uint8_t)(1 << bit);
				assert_int_equal(scn_auth_init(&rx, key_a, keyed ? sizeof(key_a) - 1 : 0), 0);
				assert_int_not_equal(why_of(bad, (size_t)len, &rx), SCN_FRAME_OK);
			}
	}
}

/* With a key, a changed byte under a recomputed CRC is caught by the tag. */
static void test_every_byte_change_caught_by_tag(void **state)
{
	(void)state;
	struct scn_announce a;
	struct scn_auth tx, rx;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8], bad[SCN_FRAME_MAX_LEN + 8];

	assert_int_equal(scn_auth_init(&tx, key_a, sizeof(key_a) - 1), 0);
	sample(&a, 2);
	int len = enc(&a, &tx, buf);
	/* Bytes 8.. are past the fixed header the length check relies on. */
	for (int i = 8; i < len - 4; i++) {
		memcpy(bad, buf, (size_t)len);
		bad[i] ^= 0x01;
		reseal(bad, (size_t)len);
		assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
		assert_int_equal(why_of(bad, (size_t)len, &rx), SCN_FRAME_E_AUTH_BAD);
	}
}

struct edit {
	const char *what;
	int off;			/* < 0: from the end of the socket area */
	int n;
	uint8_t b[4];
	int want;
};

static void test_malformed(void **state)
{
	(void)state;
	/* Offsets into the 2-socket frame; socket 1 at 44, socket 2 at 72. */
	static const struct edit cases[] = {
		{ "magic", 0, 1, { 'X' }, SCN_FRAME_E_MAGIC },
		{ "magic lower", 2, 1, { 'n' }, SCN_FRAME_E_MAGIC },
		{ "version 0", 3, 1, { 0 }, SCN_FRAME_E_VERSION },
		{ "version 2", 3, 1, { 2 }, SCN_FRAME_E_VERSION },
		{ "reserved flag", 4, 1, { 0x12 }, SCN_FRAME_E_FLAGS },
		{ "safe without budget", 4, 1, { 0x04 }, SCN_FRAME_E_FLAGS },
		{ "tag flag, no key", 4, 1, { 0x03 }, SCN_FRAME_E_LENGTH },
		{ "3 sockets", 5, 1, { CP_MAX_CONNECTORS + 1 }, SCN_FRAME_E_COUNT },
		{ "255 sockets", 5, 1, { 255 }, SCN_FRAME_E_COUNT },
		{ "1 socket, length of 2", 5, 1, { 1 }, SCN_FRAME_E_LENGTH },
		{ "length +1", 6, 2, { 0, 105 }, SCN_FRAME_E_LENGTH },
		{ "length -1", 6, 2, { 0, 103 }, SCN_FRAME_E_LENGTH },
		{ "length 0", 6, 2, { 0, 0 }, SCN_FRAME_E_LENGTH },
		{ "length max", 6, 2, { 0xff, 0xff }, SCN_FRAME_E_LENGTH },
		{ "name empty", 20, 1, { 0 }, SCN_FRAME_E_NAME },
		{ "name lower case", 20, 1, { 'h' }, SCN_FRAME_E_NAME },
		{ "name dash", 21, 1, { '-' }, SCN_FRAME_E_NAME },
		{ "name space", 22, 1, { ' ' }, SCN_FRAME_E_NAME },
		{ "name 8 chars", 26, 2, { 'X', 'Y' }, SCN_FRAME_E_NAME },
		{ "name byte after NUL", 27, 1, { 'Y' }, SCN_FRAME_E_NAME },
		{ "name high byte", 20, 1, { 0xc1 }, SCN_FRAME_E_NAME },
		{ "station max negative", 28, 4, { 0xff, 0xff, 0xff, 0xff }, SCN_FRAME_E_CURRENT },
		{ "station max absurd", 28, 4, { 0x00, 0x98, 0x96, 0x81 }, SCN_FRAME_E_CURRENT },
		{ "budget L3 negative", 40, 4, { 0x80, 0, 0, 0 }, SCN_FRAME_E_CURRENT },
		{ "socket id max + 1", 44, 2, { 0, SCN_SOCKET_ID_MAX + 1 }, SCN_FRAME_E_SOCKET },
		{ "socket id none", 72, 2, { 0xff, 0xff }, SCN_FRAME_E_SOCKET },
		{ "socket id repeated", 72, 2, { 0, 5 }, SCN_FRAME_E_SOCKET },
		{ "phase map 0", 46, 1, { 0 }, SCN_FRAME_E_PHASE_MAP },
		{ "phase map 10", 74, 1, { 10 }, SCN_FRAME_E_PHASE_MAP },
		{ "phase map 255", 46, 1, { 255 }, SCN_FRAME_E_PHASE_MAP },
		{ "reserved socket bit", 47, 1, { 0x43 }, SCN_FRAME_E_EV_PHASES },
		{ "ev phases 4", 75, 1, { 0x04 }, SCN_FRAME_E_EV_PHASES },
		{ "min negative", 48, 4, { 0xff, 0xff, 0xe8, 0x90 }, SCN_FRAME_E_CURRENT },
		{ "max absurd", 52, 4, { 0x7f, 0xff, 0xff, 0xff }, SCN_FRAME_E_CURRENT },
		{ "draw L2 negative", 60, 4, { 0xff, 0xff, 0xff, 0xff }, SCN_FRAME_E_CURRENT },
		{ "setpoint negative", 96, 4, { 0x80, 0, 0, 1 }, SCN_FRAME_E_CURRENT },
	};
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].what);
		sample(&a, 2);
		int len = enc(&a, NULL, buf);
		memcpy(buf + cases[i].off, cases[i].b, (size_t)cases[i].n);
		reseal(buf, (size_t)len);
		assert_int_equal(why_of(buf, (size_t)len, NULL), cases[i].want);
	}
}

static void test_trailing_bytes_and_checksum(void **state)
{
	(void)state;
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	sample(&a, 2);
	int len = enc(&a, NULL, buf);
	buf[len] = 0;
	assert_int_equal(why_of(buf, (size_t)len + 1, NULL), SCN_FRAME_E_LENGTH);
	/* Trailing bytes covered by a CRC of their own: still the length. */
	reseal(buf, (size_t)len + 4);
	assert_int_equal(why_of(buf, (size_t)len + 4, NULL), SCN_FRAME_E_LENGTH);

	len = enc(&a, NULL, buf);
	buf[len - 1] ^= 0x80;
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_CHECKSUM);
	/* A valid frame decodes with -EBADMSG / -EPERM only when rejected. */
	buf[len - 1] ^= 0x80;
	struct scn_announce out;
	int why = -1;
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, &why), 0);
	assert_int_equal(why, SCN_FRAME_OK);
	buf[0] = 0;
	assert_int_equal(scn_frame_decode(buf, (size_t)len, NULL, &out, NULL), -EBADMSG);
}

static void test_auth_keys(void **state)
{
	(void)state;
	struct scn_announce a, out;
	struct scn_auth tx, rx, wrong, none;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	uint8_t long_key[SCN_AUTH_KEY_MAX + 1] = { 0 };

	assert_int_equal(scn_auth_init(&tx, long_key, sizeof(long_key)), -EINVAL);
	assert_int_equal(scn_auth_init(&tx, long_key, SCN_AUTH_KEY_MAX), 0);
	assert_int_equal(scn_auth_init(&tx, key_a, sizeof(key_a) - 1), 0);
	assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
	assert_int_equal(scn_auth_init(&wrong, key_b, sizeof(key_b) - 1), 0);
	assert_int_equal(scn_auth_init(&none, NULL, 0), 0);

	sample(&a, 2);
	int len = enc(&a, &tx, buf);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, &rx, &out, NULL), 0);
	assert_memory_equal(&a, &out, sizeof(a));
	assert_int_equal(scn_frame_decode(buf, (size_t)len, &wrong, &out, NULL), -EPERM);
	assert_int_equal(why_of(buf, (size_t)len, &wrong), SCN_FRAME_E_AUTH_BAD);
	/* A keyless member drops signed frames: a network has the key or not. */
	assert_int_equal(why_of(buf, (size_t)len, &none), SCN_FRAME_E_AUTH_UNEXPECTED);
	assert_int_equal(why_of(buf, (size_t)len, NULL), SCN_FRAME_E_AUTH_UNEXPECTED);

	/* A frame without a tag to a member with a key. */
	a.seq++;
	len = enc(&a, &none, buf);
	assert_int_equal(len, 104);
	assert_int_equal(why_of(buf, (size_t)len, &rx), SCN_FRAME_E_AUTH_MISSING);
	/* ... nor one whose tag flag was set and a zero tag appended. */
	buf[4] |= 0x01;
	buf[7] = 136;
	memset(buf + 100, 0, 32);
	reseal(buf, 136);
	assert_int_equal(why_of(buf, 136, &rx), SCN_FRAME_E_AUTH_BAD);

	/* A key of the same bytes but shorter is another key. */
	assert_int_equal(scn_auth_init(&wrong, key_a, sizeof(key_a) - 2), 0);
	a.seq++;
	len = enc(&a, &tx, buf);
	assert_int_equal(why_of(buf, (size_t)len, &wrong), SCN_FRAME_E_AUTH_BAD);

	/* Counters: one per reason. */
	assert_int_equal(rx.stats.n[SCN_FRAME_OK], 1);
	assert_int_equal(rx.stats.n[SCN_FRAME_E_AUTH_MISSING], 1);
	assert_int_equal(rx.stats.n[SCN_FRAME_E_AUTH_BAD], 1);
	assert_int_equal(wrong.stats.n[SCN_FRAME_E_AUTH_BAD], 1);
	assert_int_equal(none.stats.n[SCN_FRAME_E_AUTH_UNEXPECTED], 1);
}

/* Content errors under a valid tag are still content errors. */
static void test_auth_content_checked(void **state)
{
	(void)state;
	struct scn_announce a;
	struct scn_auth tx, rx;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	assert_int_equal(scn_auth_init(&tx, key_a, sizeof(key_a) - 1), 0);
	assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
	sample(&a, 2);
	a.seq = 100;
	int len = enc(&a, &tx, buf);
	buf[46] = 0;
	resign(buf, (size_t)len, key_a, sizeof(key_a) - 1);
	assert_int_equal(why_of(buf, (size_t)len, &rx), SCN_FRAME_E_PHASE_MAP);
	/* ... and did not move the window: seq 40 is still inside it. */
	a.seq = 40;
	len = enc(&a, &tx, buf);
	assert_int_equal(why_of(buf, (size_t)len, &rx), SCN_FRAME_OK);
}

/* Sends member m's frame with seq s to rx; returns the reason. */
static int send_seq(struct scn_auth *rx, uint32_t m, uint32_t s)
{
	static struct scn_auth tx;
	struct scn_announce a;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];

	assert_int_equal(scn_auth_init(&tx, key_a, sizeof(key_a) - 1), 0);
	sample(&a, 1);
	a.member = m;
	a.seq = s;
	int len = enc(&a, &tx, buf);
	return why_of(buf, (size_t)len, rx);
}

static void test_replay_window(void **state)
{
	(void)state;
	static struct scn_auth rx;

	assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
	/* The same frame twice. */
	assert_int_equal(send_seq(&rx, 1, 0), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 0), SCN_FRAME_E_REPLAY);
	/* In order, then out of order within the window: each once. */
	assert_int_equal(send_seq(&rx, 1, 10), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 8), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 8), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 9), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 11), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 9), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 10), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 11), SCN_FRAME_E_REPLAY);
	/* The window is 64 wide: top 100 accepts 37 (100 - 63), not 36. */
	assert_int_equal(send_seq(&rx, 1, 100), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 36), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 37), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 37), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 99), SCN_FRAME_OK);
	/* A jump beyond the window forgets everything below it. */
	assert_int_equal(send_seq(&rx, 1, 1000), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 100), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 999), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 937), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 936), SCN_FRAME_E_REPLAY);
	/* A jump of exactly 63 keeps the old top, 64 drops it. */
	assert_int_equal(send_seq(&rx, 1, 1063), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 1000), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, 1001), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 1127), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 1063), SCN_FRAME_E_REPLAY);
	/* The top of the sequence space. */
	assert_int_equal(send_seq(&rx, 1, UINT32_MAX), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, UINT32_MAX), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1, UINT32_MAX - 1), SCN_FRAME_OK);
	assert_int_equal(rx.stats.n[SCN_FRAME_E_REPLAY], 12);
}

static void test_replay_window_per_member(void **state)
{
	(void)state;
	static struct scn_auth rx;

	assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
	assert_int_equal(send_seq(&rx, 1, 5), SCN_FRAME_OK);
	/* Another member's seq 5 is its own. */
	assert_int_equal(send_seq(&rx, 2, 5), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 2, 500), SCN_FRAME_OK);
	/* Member 2's jump leaves member 1's window where it was. */
	assert_int_equal(send_seq(&rx, 1, 4), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1, 5), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 2, 5), SCN_FRAME_E_REPLAY);
	/* A restarted station takes a new member id: seq 0 is fine. */
	assert_int_equal(send_seq(&rx, 3, 0), SCN_FRAME_OK);
}

static void test_replay_table_evicts_least_recent(void **state)
{
	(void)state;
	static struct scn_auth rx;

	assert_int_equal(scn_auth_init(&rx, key_a, sizeof(key_a) - 1), 0);
	for (uint32_t m = 0; m < CP_MAX_SCN_SOCKETS; m++)
		assert_int_equal(send_seq(&rx, 1000 + m, 10), SCN_FRAME_OK);
	/* Member 1000 is heard again, so 1001 is the least recent. */
	assert_int_equal(send_seq(&rx, 1000, 11), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 5000, 0), SCN_FRAME_OK);
	/* 1001 lost its window: its old frame is accepted once more (the
	 * documented price of a bounded table); the others still have theirs. */
	assert_int_equal(send_seq(&rx, 1001, 10), SCN_FRAME_OK);
	assert_int_equal(send_seq(&rx, 1000, 11), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 5000, 0), SCN_FRAME_E_REPLAY);
	/* ... and 1001 took 1002's slot. */
	assert_int_equal(send_seq(&rx, 1003, 10), SCN_FRAME_E_REPLAY);
	assert_int_equal(send_seq(&rx, 1002, 10), SCN_FRAME_OK);
	/* Without a key there is no window: the same frame decodes twice. */
	struct scn_auth none;
	assert_int_equal(scn_auth_init(&none, NULL, 0), 0);
	struct scn_announce a, out;
	uint8_t buf[SCN_FRAME_MAX_LEN + 8];
	sample(&a, 1);
	int len = enc(&a, &none, buf);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, &none, &out, NULL), 0);
	assert_int_equal(scn_frame_decode(buf, (size_t)len, &none, &out, NULL), 0);
	assert_int_equal(none.stats.n[SCN_FRAME_OK], 2);
}

static void test_strerror(void **state)
{
	(void)state;
	for (int i = 0; i < SCN_FRAME_N_REASONS; i++) {
		assert_non_null(scn_frame_strerror(i));
		assert_string_not_equal(scn_frame_strerror(i), "?");
	}
	assert_string_equal(scn_frame_strerror(SCN_FRAME_E_REPLAY), "replay");
	assert_string_equal(scn_frame_strerror(-1), "?");
	assert_string_equal(scn_frame_strerror(SCN_FRAME_N_REASONS), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_value),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_two_socket_frame_is_compact),
		cmocka_unit_test(test_alloc_section),
		cmocka_unit_test(test_encode_checks),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_every_bit_flip_rejected),
		cmocka_unit_test(test_every_byte_change_caught_by_tag),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_trailing_bytes_and_checksum),
		cmocka_unit_test(test_auth_keys),
		cmocka_unit_test(test_auth_content_checked),
		cmocka_unit_test(test_replay_window),
		cmocka_unit_test(test_replay_window_per_member),
		cmocka_unit_test(test_replay_table_evicts_least_recent),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
