/*
 * license.h - feature license keys (docs/balancing.md): which paid features (SLB, ALB,
 * SCN) a station may use, bound to its identity so a key cannot be copied to
 * another station or edited to add a feature.
 *
 * Format (version 1):
 *
 *     CPL1.<features>.<signature>
 *
 *   <features>   the licensed features joined by '+', e.g. "SLB+ALB"; any
 *                order on input, each at most once.
 *   <signature>  base64url (RFC 4648 5, no padding) of the 64-byte Ed25519
 *                signature over the message
 *                    "ocpp-cp license v1\n" <charge point id> "\n" <canon> "\n"
 *                where <canon> is the feature set in the fixed order SLB+ALB+SCN.
 *
 * Keys are checked against the vendor's 32-byte Ed25519 public key, written as
 * base64url or standard base64 (padding optional), provisioned as the
 * LicensePublicKey configuration key.  The private key (the 32-byte seed, same
 * encoding) stays with whoever issues licenses: tools/cp-license.
 *
 * Implications (docs/balancing.md): ALB includes SLB; SCN includes SLB and ALB.  They
 * are applied after verification (license_imply), so a key for "SCN" unlocks
 * all three.
 */
#ifndef STATION_LICENSE_H
#define STATION_LICENSE_H

#include <stddef.h>

#define LICENSE_SLB 0x1u
#define LICENSE_ALB 0x2u
#define LICENSE_SCN 0x4u
#define LICENSE_ALL (LICENSE_SLB | LICENSE_ALB | LICENSE_SCN)

/* Longest license key text, NUL included: prefix, 3 features, 86 chars of
 * signature, with room to spare. */
#define LICENSE_KEY_MAX 128
/* Longest key text (public or private), NUL included. */
#define LICENSE_B64KEY_MAX 48

/* Adds the features a feature includes (ALB -> SLB, SCN -> SLB+ALB). */
unsigned license_imply(unsigned mask);

/* "SLB,ALB,SCN" style list of mask in canonical order into buf; sep is the
 * separator (',' for UnlockedFeatures, '+' inside keys).  Returns the length
 * or -ENOSPC. */
int license_format_features(unsigned mask, char sep, char *buf, size_t n);

/* Parses "SLB,ALB" / "SLB+ALB" (any case; ',' or '+').  Unknown or repeated
 * names -> -EINVAL.  An empty list is mask 0. */
int license_parse_features(const char *s, unsigned *mask);

/* 0 if text is a well-formed Ed25519 public key, else -EINVAL. */
int license_check_public_key(const char *pub);

/*
 * Verifies key for charge_point_id against pub.  On success *mask gets the
 * features named in the key (not yet implied) and 0 is returned.  Errors:
 * -EINVAL malformed key or public key, -EKEYREJECTED signature does not match
 * (another station's key, or an edited one), -ENOMEM.
 */
int license_verify(const char *pub, const char *charge_point_id,
		   const char *key, unsigned *mask);

/* Issues a key for charge_point_id and mask with the private key priv.
 * Returns the length written to out, or a negative errno. */
int license_issue(const char *priv, const char *charge_point_id,
		  unsigned mask, char *out, size_t n);

/* Generates a key pair; both texts are base64url, NUL-terminated. */
int license_generate_keypair(char *pub, size_t pub_n, char *priv,
			     size_t priv_n);

#endif
