/*
 * frame.h - the Smart Charging Network frame codec: one struct scn_announce
 * in one UDP datagram (docs/scn.md "Wire format"), optionally signed with
 * HMAC-SHA256 under SCN-AuthKey and checked against replays.
 *
 * Pure: no sockets, no clock, no malloc.  The caller owns every buffer; the
 * codec never keeps a pointer into one after it returns.
 */
#ifndef ST_SCN_FRAME_H
#define ST_SCN_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "station/scn/scn.h"

#define SCN_FRAME_VERSION 1
/* Header 44 bytes, 28 per socket, CRC-32 4, HMAC-SHA256 tag 32. */
#define SCN_FRAME_HDR_LEN 44
#define SCN_FRAME_SOCK_LEN 28
#define SCN_FRAME_CRC_LEN 4
#define SCN_FRAME_TAG_LEN 32
/* The allocator's shares: a 2-byte count, 6 bytes per share. */
#define SCN_FRAME_ALLOC_HDR_LEN 2
#define SCN_FRAME_SHARE_LEN 6
#define SCN_FRAME_MAX_LEN (SCN_FRAME_HDR_LEN + CP_MAX_CONNECTORS * SCN_FRAME_SOCK_LEN + \
			   SCN_FRAME_ALLOC_HDR_LEN + CP_MAX_SCN_SOCKETS * SCN_FRAME_SHARE_LEN + \
			   SCN_FRAME_TAG_LEN + SCN_FRAME_CRC_LEN)

/* Highest socket id on the wire: SCN-SocketID is 0..128 for socket 1 and
 * socket k of a station is SCN-SocketID + k - 1 (docs/station-model.md). */
#define SCN_SOCKET_ID_MAX (128 + CP_MAX_CONNECTORS - 1)
/* Highest current in any field (mA): 10 kA per phase is beyond any grid
 * connection a LAN of CP_MAX_SCN_SOCKETS sockets shares; more is garbage. */
#define SCN_CURRENT_MAX_MA 10000000
/* SCN-AuthKey: up to 64 bytes (README, configuration keys). */
#define SCN_AUTH_KEY_MAX 64

/* Why a frame was rejected (decode's *why); SCN_FRAME_OK when accepted. */
enum scn_frame_error {
	SCN_FRAME_OK = 0,
	SCN_FRAME_E_SHORT,		/* shorter than the fixed header */
	SCN_FRAME_E_MAGIC,		/* not "SCN" */
	SCN_FRAME_E_VERSION,		/* a version we do not speak */
	SCN_FRAME_E_FLAGS,		/* a reserved flag bit set */
	SCN_FRAME_E_COUNT,		/* more than CP_MAX_CONNECTORS sockets */
	SCN_FRAME_E_LENGTH,		/* length field != datagram or != its content */
	SCN_FRAME_E_CHECKSUM,		/* CRC-32 mismatch */
	SCN_FRAME_E_AUTH_MISSING,	/* we have a key, the frame has no tag */
	SCN_FRAME_E_AUTH_BAD,		/* the tag does not match our key */
	SCN_FRAME_E_AUTH_UNEXPECTED,	/* a tag, but we have no key */
	SCN_FRAME_E_NAME,		/* network name not 1..7 of A-Z 0-9, NUL padded */
	SCN_FRAME_E_SOCKET,		/* socket id > SCN_SOCKET_ID_MAX or repeated */
	SCN_FRAME_E_PHASE_MAP,		/* phase map not 1..9 */
	SCN_FRAME_E_EV_PHASES,		/* EV phases > 3, or reserved socket bits */
	SCN_FRAME_E_CURRENT,		/* a current < 0 or > SCN_CURRENT_MAX_MA */
	SCN_FRAME_E_REPLAY,		/* (member, seq) already seen or too old */
	SCN_FRAME_N_REASONS
};

/* Decode counters: ok plus one per reason (index by enum scn_frame_error;
 * [SCN_FRAME_OK] counts accepted frames). */
struct scn_frame_stats {
	uint32_t n[SCN_FRAME_N_REASONS];
};

/* Replay window of one sender (RFC 4303 §3.4.3): the highest seq accepted
 * and a bitmap of it and the 63 before (bit i = top - i). */
struct scn_replay {
	uint32_t member;
	uint32_t top;
	uint64_t seen;
	uint32_t used;			/* LRU stamp; 0 = slot free */
};

/*
 * Authentication state of one receiver/sender: the key (none when key_len
 * is 0) and the replay windows of the last CP_MAX_SCN_SOCKETS members whose
 * frames were accepted (a member has at least one socket, so a network has
 * at most that many live members).  A new member takes a free slot or the
 * least recently accepted one.  Windows apply only with a key: without one
 * anybody can forge a frame anyway.
 */
struct scn_auth {
	uint8_t key[SCN_AUTH_KEY_MAX];
	size_t key_len;
	uint32_t clock;			/* LRU stamps */
	struct scn_replay win[CP_MAX_SCN_SOCKETS];
	struct scn_frame_stats stats;
};

/* Clear *auth and set its key (len 0: none).  -EINVAL if len is too long. */
int scn_auth_init(struct scn_auth *auth, const uint8_t *key, size_t len);

/*
 * Encode *a into buf[0..cap).  With auth and a key, the frame carries a
 * tag.  Returns the frame length, -EMSGSIZE if cap is too small, -EINVAL if
 * *a is not something decode accepts (so every encoded frame decodes).
 */
int scn_frame_encode(const struct scn_announce *a, const struct scn_auth *auth,
		     uint8_t *buf, size_t cap);

/*
 * Decode one datagram buf[0..len).  auth NULL: no key, no counters.  With
 * a key the tag is required and checked, then the replay window; the window
 * and the counters change only through auth.  Returns 0 and fills *out, or
 * -EBADMSG (malformed) / -EPERM (authentication, replay) with *why set
 * (why may be NULL).  *out is undefined after a failure.
 */
int scn_frame_decode(const uint8_t *buf, size_t len, struct scn_auth *auth,
		     struct scn_announce *out, int *why);

/* A short name for a reason ("checksum", "replay"), for logs. */
const char *scn_frame_strerror(int why);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of b[0..n). */
uint32_t scn_crc32(const uint8_t *b, size_t n);

#endif
