/*
 * frame.c - the Smart Charging Network frame codec (docs/scn.md "Wire
 * format").  Every field is big endian at a fixed offset; the frame ends
 * with an optional HMAC-SHA256 tag and a CRC-32 over everything before it.
 *
 * Decode checks, in this order, so that the cheap checks reject noise
 * before the HMAC runs and nothing updates the replay window unless the
 * whole frame is good: fixed header (magic, version, flags, socket count,
 * length), CRC-32, tag, content (name, sockets, currents), replay window.
 */
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "station/scn/frame.h"

static const uint8_t magic[3] = { 'S', 'C', 'N' };

/* Header flags (byte 4). */
#define F_TAG		0x01	/* an HMAC-SHA256 tag precedes the CRC */
#define F_BUDGET	0x02	/* has_budget */
#define F_SAFE		0x04	/* budget_safe (only with F_BUDGET) */
#define F_ALLOC		0x08	/* the allocator's shares follow the sockets */
#define F_KNOWN		(F_TAG | F_BUDGET | F_SAFE | F_ALLOC)

/* Socket state byte (socket offset 3): EV phases in bits 0..1, in_use bit 7. */
#define S_PHASES	0x03
#define S_IN_USE	0x80
#define S_KNOWN		(S_PHASES | S_IN_USE)

/* The part of the header decode reads before it trusts the length. */
#define PREFIX_LEN 8

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Two's complement on the wire; the conversion back is exact for every
 * value int32_t holds. */
static int32_t get_i32(const uint8_t *p)
{
	uint32_t u = get32(p);

	return u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

/* Nibble table for the reflected polynomial 0xEDB88320. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t scn_crc32(const uint8_t *b, size_t n)
{
	uint32_t crc = 0xffffffff;

	for (size_t i = 0; i < n; i++) {
		crc ^= b[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

static size_t frame_len(unsigned n_sockets, bool alloc, unsigned n_alloc, bool tag)
{
	return SCN_FRAME_HDR_LEN + n_sockets * SCN_FRAME_SOCK_LEN +
	    (alloc ? SCN_FRAME_ALLOC_HDR_LEN + n_alloc * SCN_FRAME_SHARE_LEN : 0) +
	    (tag ? SCN_FRAME_TAG_LEN : 0) + SCN_FRAME_CRC_LEN;
}

static bool has_key(const struct scn_auth *auth)
{
	return auth != NULL && auth->key_len > 0;
}

static int mac(const struct scn_auth *auth, const uint8_t *b, size_t n,
	       uint8_t tag[SCN_FRAME_TAG_LEN])
{
	unsigned int len = 0;

	if (HMAC(EVP_sha256(), auth->key, (int)auth->key_len, b, n, tag, &len) == NULL ||
	    len != SCN_FRAME_TAG_LEN)
		return -1;
	return 0;
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool current_ok(int32_t ma)
{
	return ma >= 0 && ma <= SCN_CURRENT_MAX_MA;
}

/* What decode would say about the content of *a (the header and wire
 * checks aside); SCN_FRAME_OK if every field is in range. */
static int check_content(const struct scn_announce *a)
{
	size_t n = strnlen(a->network, sizeof(a->network));

	if (n < 1 || n > SCN_NAME_MAX)
		return SCN_FRAME_E_NAME;
	for (size_t i = 0; i < n; i++)
		if (!name_char(a->network[i]))
			return SCN_FRAME_E_NAME;
	if (a->n_sockets > CP_MAX_CONNECTORS)
		return SCN_FRAME_E_COUNT;
	if (a->budget_safe && !a->has_budget)
		return SCN_FRAME_E_FLAGS;
	if (!current_ok(a->station_max_ma))
		return SCN_FRAME_E_CURRENT;
	for (int p = 0; p < 3; p++)
		if (!current_ok(a->budget_ma[p]))
			return SCN_FRAME_E_CURRENT;
	for (unsigned i = 0; i < a->n_sockets; i++) {
		const struct scn_socket_info *s = &a->sock[i];

		if (s->id > SCN_SOCKET_ID_MAX)
			return SCN_FRAME_E_SOCKET;
		for (unsigned j = 0; j < i; j++)
			if (a->sock[j].id == s->id)
				return SCN_FRAME_E_SOCKET;
		if (s->phase_map < 1 || s->phase_map > 9)
			return SCN_FRAME_E_PHASE_MAP;
		if (s->ev_phases > 3)
			return SCN_FRAME_E_EV_PHASES;
		if (!current_ok(s->min_ma) || !current_ok(s->max_ma) ||
		    !current_ok(s->setpoint_ma))
			return SCN_FRAME_E_CURRENT;
		for (int p = 0; p < 3; p++)
			if (!current_ok(s->draw_ma[p]))
				return SCN_FRAME_E_CURRENT;
	}
	if (a->n_alloc > CP_MAX_SCN_SOCKETS || (!a->has_alloc && a->n_alloc))
		return SCN_FRAME_E_COUNT;
	for (unsigned i = 0; i < a->n_alloc; i++) {
		if (a->alloc[i].id > SCN_SOCKET_ID_MAX)
			return SCN_FRAME_E_SOCKET;
		for (unsigned j = 0; j < i; j++)
			if (a->alloc[j].id == a->alloc[i].id)
				return SCN_FRAME_E_SOCKET;
		if (!current_ok(a->alloc[i].ma))
			return SCN_FRAME_E_CURRENT;
	}
	return SCN_FRAME_OK;
}

int scn_auth_init(struct scn_auth *auth, const uint8_t *key, size_t len)
{
	assert(auth != NULL);
	memset(auth, 0, sizeof(*auth));
	if (len > SCN_AUTH_KEY_MAX)
		return -EINVAL;
	if (len > 0)
		memcpy(auth->key, key, len);
	auth->key_len = len;
	return 0;
}

int scn_frame_encode(const struct scn_announce *a, const struct scn_auth *auth,
		     uint8_t *buf, size_t cap)
{
	assert(a != NULL && (buf != NULL || cap == 0));
	if (check_content(a) != SCN_FRAME_OK)
		return -EINVAL;
	bool tag = has_key(auth);
	size_t len = frame_len(a->n_sockets, a->has_alloc, a->n_alloc, tag);

	if (len > cap)
		return -EMSGSIZE;

	memcpy(buf, magic, sizeof(magic));
	buf[3] = SCN_FRAME_VERSION;
	buf[4] = (uint8_t)((tag ? F_TAG : 0) | (a->has_budget ? F_BUDGET : 0) |
	    (a->budget_safe ? F_SAFE : 0) | (a->has_alloc ? F_ALLOC : 0));
	buf[5] = a->n_sockets;
	put16(buf + 6, (uint16_t)len);
	put32(buf + 8, a->member);
	put32(buf + 12, a->seq);
	put32(buf + 16, a->epoch);
	memset(buf + 20, 0, 8);
	memcpy(buf + 20, a->network, strnlen(a->network, SCN_NAME_MAX));
	put32(buf + 28, (uint32_t)a->station_max_ma);
	for (int p = 0; p < 3; p++)
		put32(buf + 32 + 4 * p, (uint32_t)a->budget_ma[p]);

	uint8_t *q = buf + SCN_FRAME_HDR_LEN;
	for (unsigned i = 0; i < a->n_sockets; i++, q += SCN_FRAME_SOCK_LEN) {
		const struct scn_socket_info *s = &a->sock[i];

		put16(q, s->id);
		q[2] = s->phase_map;
		q[3] = (uint8_t)(s->ev_phases | (s->in_use ? S_IN_USE : 0));
		put32(q + 4, (uint32_t)s->min_ma);
		put32(q + 8, (uint32_t)s->max_ma);
		for (int p = 0; p < 3; p++)
			put32(q + 12 + 4 * p, (uint32_t)s->draw_ma[p]);
		put32(q + 24, (uint32_t)s->setpoint_ma);
	}
	if (a->has_alloc) {
		q[0] = a->n_alloc;
		q[1] = 0;
		q += SCN_FRAME_ALLOC_HDR_LEN;
		for (unsigned i = 0; i < a->n_alloc; i++, q += SCN_FRAME_SHARE_LEN) {
			put16(q, a->alloc[i].id);
			put32(q + 2, (uint32_t)a->alloc[i].ma);
		}
	}
	if (tag) {
		if (mac(auth, buf, (size_t)(q - buf), q) < 0)
			return -EIO;
		q += SCN_FRAME_TAG_LEN;
	}
	put32(q, scn_crc32(buf, (size_t)(q - buf)));
	return (int)len;
}

/* Fields of buf (length already checked) into *out. */
static void parse(const uint8_t *buf, struct scn_announce *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->network, buf + 20, 8);
	out->network[SCN_NAME_MAX] = '\0';
	out->member = get32(buf + 8);
	out->seq = get32(buf + 12);
	out->epoch = get32(buf + 16);
	out->has_budget = (buf[4] & F_BUDGET) != 0;
	out->budget_safe = (buf[4] & F_SAFE) != 0;
	out->station_max_ma = get_i32(buf + 28);
	for (int p = 0; p < 3; p++)
		out->budget_ma[p] = get_i32(buf + 32 + 4 * p);
	out->n_sockets = buf[5];

	const uint8_t *q = buf + SCN_FRAME_HDR_LEN;
	for (unsigned i = 0; i < out->n_sockets; i++, q += SCN_FRAME_SOCK_LEN) {
		struct scn_socket_info *s = &out->sock[i];

		s->id = get16(q);
		s->phase_map = q[2];
		s->ev_phases = q[3] & S_PHASES;
		s->in_use = (q[3] & S_IN_USE) != 0;
		s->min_ma = get_i32(q + 4);
		s->max_ma = get_i32(q + 8);
		for (int p = 0; p < 3; p++)
			s->draw_ma[p] = get_i32(q + 12 + 4 * p);
		s->setpoint_ma = get_i32(q + 24);
	}
	out->has_alloc = (buf[4] & F_ALLOC) != 0;
	if (out->has_alloc) {
		out->n_alloc = q[0];
		q += SCN_FRAME_ALLOC_HDR_LEN;
		for (unsigned i = 0; i < out->n_alloc; i++, q += SCN_FRAME_SHARE_LEN) {
			out->alloc[i].id = get16(q);
			out->alloc[i].ma = get_i32(q + 2);
		}
	}
}

/* Wire-only rules check_content cannot see: the name is NUL padded (no
 * byte after its end) and the socket state has no reserved bit set. */
static int check_wire(const uint8_t *buf)
{
	const uint8_t *name = buf + 20;
	size_t n = 0;

	while (n < 8 && name[n] != 0)
		n++;
	if (n > SCN_NAME_MAX)
		return SCN_FRAME_E_NAME;
	for (size_t i = n; i < 8; i++)
		if (name[i] != 0)
			return SCN_FRAME_E_NAME;
	for (unsigned i = 0; i < buf[5]; i++)
		if (buf[SCN_FRAME_HDR_LEN + i * SCN_FRAME_SOCK_LEN + 3] & ~S_KNOWN)
			return SCN_FRAME_E_EV_PHASES;
	/* The allocation's reserved byte. */
	if ((buf[4] & F_ALLOC) && buf[SCN_FRAME_HDR_LEN + buf[5] * SCN_FRAME_SOCK_LEN + 1] != 0)
		return SCN_FRAME_E_COUNT;
	return SCN_FRAME_OK;
}

static uint32_t lru_stamp(struct scn_auth *auth)
{
	if (++auth->clock == 0) {
		/* Wrapped: keep the slots in use, forget their order. */
		for (int i = 0; i < CP_MAX_SCN_SOCKETS; i++)
			if (auth->win[i].used)
				auth->win[i].used = 1;
		auth->clock = 2;
	}
	return auth->clock;
}

/* RFC 4303 §3.4.3: accept a seq above the highest seen (sliding the window)
 * or one of the 63 below it not seen yet; a new member gets a free slot or
 * the least recently accepted member's. */
static int replay_check(struct scn_auth *auth, uint32_t member, uint32_t seq)
{
	struct scn_replay *w = NULL, *oldest = &auth->win[0];

	for (int i = 0; i < CP_MAX_SCN_SOCKETS; i++) {
		struct scn_replay *r = &auth->win[i];

		if (r->used && r->member == member) {
			w = r;
			break;
		}
		if (r->used < oldest->used)
			oldest = r;
	}
	if (w == NULL) {
		w = oldest;
		w->member = member;
		w->top = seq;
		w->seen = 1;
	} else if (seq > w->top) {
		uint32_t d = seq - w->top;

		w->seen = d >= 64 ? 1 : (w->seen << d) | 1;
		w->top = seq;
	} else {
		uint32_t d = w->top - seq;

		if (d >= 64 || (w->seen & (UINT64_C(1) << d)))
			return SCN_FRAME_E_REPLAY;
		w->seen |= UINT64_C(1) << d;
	}
	w->used = lru_stamp(auth);
	return SCN_FRAME_OK;
}

static int decode(const uint8_t *buf, size_t len, struct scn_auth *auth,
		  struct scn_announce *out)
{
	if (len < PREFIX_LEN)
		return SCN_FRAME_E_SHORT;
	if (memcmp(buf, magic, sizeof(magic)) != 0)
		return SCN_FRAME_E_MAGIC;
	if (buf[3] != SCN_FRAME_VERSION)
		return SCN_FRAME_E_VERSION;
	if ((buf[4] & ~F_KNOWN) || ((buf[4] & F_SAFE) && !(buf[4] & F_BUDGET)))
		return SCN_FRAME_E_FLAGS;
	if (buf[5] > CP_MAX_CONNECTORS)
		return SCN_FRAME_E_COUNT;
	bool tag = (buf[4] & F_TAG) != 0, alloc = (buf[4] & F_ALLOC) != 0;
	size_t want = get16(buf + 6);
	unsigned n_alloc = 0;

	if (alloc) {
		/* The count of shares sits after the sockets: read only once
		 * the datagram is known to reach it. */
		size_t at = SCN_FRAME_HDR_LEN + (size_t)buf[5] * SCN_FRAME_SOCK_LEN;

		if (len < at + SCN_FRAME_ALLOC_HDR_LEN || want < at + SCN_FRAME_ALLOC_HDR_LEN)
			return len < want ? SCN_FRAME_E_SHORT : SCN_FRAME_E_LENGTH;
		n_alloc = buf[at];
		if (n_alloc > CP_MAX_SCN_SOCKETS)
			return SCN_FRAME_E_COUNT;
	}
	if (want != frame_len(buf[5], alloc, n_alloc, tag))
		return SCN_FRAME_E_LENGTH;
	if (len < want)
		return SCN_FRAME_E_SHORT;
	if (len > want)
		return SCN_FRAME_E_LENGTH;

	size_t body = len - SCN_FRAME_CRC_LEN;
	if (get32(buf + body) != scn_crc32(buf, body))
		return SCN_FRAME_E_CHECKSUM;

	if (has_key(auth)) {
		uint8_t t[SCN_FRAME_TAG_LEN];

		if (!tag)
			return SCN_FRAME_E_AUTH_MISSING;
		body -= SCN_FRAME_TAG_LEN;
		if (mac(auth, buf, body, t) < 0 ||
		    CRYPTO_memcmp(t, buf + body, SCN_FRAME_TAG_LEN) != 0)
			return SCN_FRAME_E_AUTH_BAD;
	} else if (tag) {
		return SCN_FRAME_E_AUTH_UNEXPECTED;
	}

	int why = check_wire(buf);
	if (why != SCN_FRAME_OK)
		return why;
	parse(buf, out);
	why = check_content(out);
	if (why != SCN_FRAME_OK)
		return why;
	if (has_key(auth))
		return replay_check(auth, out->member, out->seq);
	return SCN_FRAME_OK;
}

int scn_frame_decode(const uint8_t *buf, size_t len, struct scn_auth *auth,
		     struct scn_announce *out, int *why)
{
	assert(out != NULL && (buf != NULL || len == 0));
	int r = decode(buf, len, auth, out);

	if (auth != NULL)
		auth->stats.n[r]++;
	if (why != NULL)
		*why = r;
	switch (r) {
	case SCN_FRAME_OK:
		return 0;
	case SCN_FRAME_E_AUTH_MISSING:
	case SCN_FRAME_E_AUTH_BAD:
	case SCN_FRAME_E_AUTH_UNEXPECTED:
	case SCN_FRAME_E_REPLAY:
		return -EPERM;
	default:
		return -EBADMSG;
	}
}

const char *scn_frame_strerror(int why)
{
	static const char *const names[SCN_FRAME_N_REASONS] = {
		[SCN_FRAME_OK] = "ok",
		[SCN_FRAME_E_SHORT] = "short",
		[SCN_FRAME_E_MAGIC] = "magic",
		[SCN_FRAME_E_VERSION] = "version",
		[SCN_FRAME_E_FLAGS] = "flags",
		[SCN_FRAME_E_COUNT] = "count",
		[SCN_FRAME_E_LENGTH] = "length",
		[SCN_FRAME_E_CHECKSUM] = "checksum",
		[SCN_FRAME_E_AUTH_MISSING] = "auth missing",
		[SCN_FRAME_E_AUTH_BAD] = "auth bad",
		[SCN_FRAME_E_AUTH_UNEXPECTED] = "auth unexpected",
		[SCN_FRAME_E_NAME] = "name",
		[SCN_FRAME_E_SOCKET] = "socket",
		[SCN_FRAME_E_PHASE_MAP] = "phase map",
		[SCN_FRAME_E_EV_PHASES] = "ev phases",
		[SCN_FRAME_E_CURRENT] = "current",
		[SCN_FRAME_E_REPLAY] = "replay",
	};

	if (why < 0 || why >= SCN_FRAME_N_REASONS)
		return "?";
	return names[why];
}
