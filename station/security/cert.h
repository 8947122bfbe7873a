/*
 * cert.h - the pure X.509 certificate checks of the OCPP 1.6 Security
 * Whitepaper (edition 3), on OpenSSL 3.
 *
 * Every function works on buffers the caller passes in (PEM text, firmware
 * bytes) and on a time the caller passes in (`now`, seconds since the Unix
 * epoch, UTC): nothing here reads a file, the network or the clock, so the
 * handlers decide what "now" is and the tests can move it freely.
 *
 * What the whitepaper asks and where it is answered:
 *   - CertificateHashDataType (the Datatypes chapter; used by
 *     GetInstalledCertificateIds, DeleteCertificate and the InstallCertificate
 *     use case): cert_hash_data(), cert_hash_data_with_issuer(),
 *     cert_match_hash().  issuerNameHash is the hash of the DER issuer Name,
 *     issuerKeyHash the hash of the issuer's subjectPublicKey BIT STRING
 *     content (RFC 5280 §4.1.2.4 and §4.1.2.7; the same two values as an
 *     OCSP CertID, RFC 6960 §4.1.1), serialNumber the serial in hex.
 *   - InstallCertificate (use case "Install CA certificate in a Charge
 *     Point"): cert_parse_check() - one PEM certificate, valid now, a CA,
 *     a key the station accepts.
 *   - CertificateSigned (use cases "Update Charge Point Certificate by
 *     request of Central System" / "Install a certificate"): cert_chain_check()
 *     - the chain is leaf first, each certificate signed by the next, all
 *     valid now, the leaf carries the key of the pending CSR, the chain is no
 *     longer than allowed and ends at an installed CentralSystemRootCertificate
 *     (RFC 5280 §6 path validation, done by OpenSSL's verifier at `now`).
 *   - SignedUpdateFirmware (use case "Secure Firmware Update"):
 *     cert_verify_signature() and the streaming cert_verify_init(),
 *     cert_verify_update(), cert_verify_final() - the signingCertificate must
 *     chain to an installed ManufacturerRootCertificate (else the station
 *     reports InvalidCertificate), then the signature (base64) must verify as
 *     SHA-256 with RSA PKCS#1 v1.5 or ECDSA over the firmware (else
 *     InvalidSignature).
 *
 * Validity is inclusive at both ends (RFC 5280 §4.1.2.5: "from notBefore
 * through notAfter, inclusive").  OpenSSL's own verifier counts notAfter as
 * already expired; the chain checks test every certificate themselves first,
 * so the two differ only in the very second of notAfter (then: CERT_EXPIRED).
 *
 * Return values: 0 when the check passes; -EINVAL when the input fails it
 * (*why says why); -ERANGE from the hash-data functions for a serial that
 * does not fit the schema; -ENOMEM when OpenSSL cannot allocate (*why is
 * CERT_INTERNAL).  Arguments are borrowed for the call only; nothing here
 * keeps a pointer to them.  OpenSSL's error queue is left empty.
 */
#ifndef STATION_SECURITY_CERT_H
#define STATION_SECURITY_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "cp_limits.h"

/* Why a certificate or a signature was refused. */
enum cert_problem {
	CERT_OK = 0,
	CERT_NOT_PEM,		/* no PEM certificate, or one that does not decode */
	CERT_SEVERAL_CERTS,	/* more than the one certificate expected */
	CERT_EXPIRED,		/* now is after notAfter */
	CERT_NOT_YET_VALID,	/* now is before notBefore */
	CERT_NOT_CA,		/* no basicConstraints cA TRUE where a CA is needed */
	CERT_WEAK_KEY,		/* RSA under 2048 bits, EC other than P-256/P-384, other types */
	CERT_BAD_SERIAL,	/* negative or longer than 20 octets (RFC 5280 §4.1.2.2) */
	CERT_BROKEN_CHAIN,	/* a certificate is not issued and signed by the next one */
	CERT_CHAIN_TOO_LONG,	/* more certificates than the caller allows */
	CERT_WRONG_KEY,		/* the leaf does not carry the pending CSR's key */
	CERT_UNTRUSTED,		/* does not chain to any of the given roots */
	CERT_BAD_SIGNATURE,	/* the firmware signature does not verify (or is not base64) */
	CERT_INTERNAL,		/* OpenSSL failed (allocation) */
	CERT_PROBLEM_COUNT
};

/* A short fixed name for logs and security events ("Expired", ...). */
const char *cert_problem_name(enum cert_problem why);

/* CertificateHashDataType: hashes are lower-case hex (at most 128 characters
 * in the schema: SHA-512), the serial at most 40 hex digits (20 octets, the
 * RFC 5280 §4.1.2.2 maximum). */
#define CERT_HASH_HEX_MAX 128
#define CERT_SERIAL_HEX_MAX 40
#define CERT_HASH_ALG_MAX 6	/* "SHA256", "SHA384", "SHA512" */

struct cert_hash_data {
	char hash_algorithm[CERT_HASH_ALG_MAX + 1];
	char issuer_name_hash[CERT_HASH_HEX_MAX + 1];
	char issuer_key_hash[CERT_HASH_HEX_MAX + 1];
	char serial_number[CERT_SERIAL_HEX_MAX + 1];
};

/*
 * The hash data (SHA256) of the first certificate in `pem`, taken as
 * self-signed: issuerKeyHash is the hash of its own key, which is right for
 * the root certificates InstallCertificate stores.
 *
 * serialNumber is written in lower-case hex without leading zeros ("0" for
 * zero), as the whitepaper and OCPP 2.0.1 describe it ("hexadecimal, without
 * leading zeroes"); neither fixes the case, and lower case is what the hash
 * fields use, so the three read alike.  cert_match_hash() compares without
 * regard to case, so a Central System that writes upper case still matches.
 */
int cert_hash_data(const char *pem, struct cert_hash_data *out);

/* The same for a certificate that is not self-signed: issuerKeyHash from the
 * first certificate of `issuer_pem`.  The issuer's subject must be the
 * certificate's issuer name (else -EINVAL). */
int cert_hash_data_with_issuer(const char *pem, const char *issuer_pem,
			       struct cert_hash_data *out);

/* Whether `h` names the (self-signed) certificate in `pem`: the hashes are
 * computed with h->hash_algorithm (SHA256, SHA384 or SHA512) and compared as
 * hex without regard to case, the serial also without leading zeros.
 * 1: the same certificate; 0: another one; negative: `pem` or the algorithm
 * is not usable. */
int cert_match_hash(const char *pem, const struct cert_hash_data *h);

/*
 * InstallCertificate: `pem` must be exactly one PEM certificate, valid at
 * `now`, a CA (basicConstraints cA TRUE: only root certificates are
 * installed), with an RSA key of at least 2048 bits or an EC key on P-256 or
 * P-384, and a serial that CertificateHashDataType can carry.
 */
int cert_parse_check(const char *pem, int64_t now, enum cert_problem *why);

/*
 * CertificateSigned: `chain_pem` holds the certificates leaf first,
 * concatenated.  Checked, in this order:
 *   1. at least one certificate, all PEM, at most `max_chain_certs`;
 *   2. each one valid at `now`, with a key cert_parse_check() would accept;
 *   3. each one issued (names, key identifiers) and signed by the next one,
 *      which must be a CA;
 *   4. the leaf's public key equals `expected_key` (the key of the pending
 *      SignCertificate request; NULL skips this);
 *   5. when `n_roots` > 0: the chain verifies at `now` to one of `roots_pem`
 *      (its last certificate is signed by a root or is one); unusable roots
 *      are skipped.  With no roots only steps 1-4 run.
 */
int cert_chain_check(const char *chain_pem, const char *const *roots_pem,
		     size_t n_roots, EVP_PKEY *expected_key, int64_t now,
		     int max_chain_certs, enum cert_problem *why);

/*
 * SignedUpdateFirmware, in one call: `signing_cert_pem` (the signing
 * certificate, optionally followed by intermediates, at most
 * CP_MAX_SIGNING_CHAIN) must verify at `now` to one of `manufacturer_roots`
 * (else CERT_UNTRUSTED, or the expiry or key reason), then `signature_b64`
 * must be a SHA-256 RSA PKCS#1 v1.5 or ECDSA (DER) signature by its key over
 * `data` (else CERT_BAD_SIGNATURE).
 */
int cert_verify_signature(const char *signing_cert_pem,
			  const char *const *manufacturer_roots, size_t n_roots,
			  int64_t now, const char *signature_b64,
			  const uint8_t *data, size_t len, enum cert_problem *why);

/*
 * The same for a file read in pieces.  The caller owns the struct (on the
 * stack or in its job); OpenSSL's digest state behind `md` is allocated by
 * cert_verify_init() and freed by cert_verify_final() or cert_verify_abort(),
 * whichever comes first (abort may be called again harmlessly; update and
 * final after that return an error).  The
 * certificate checks run in init, so a bad certificate is known before the
 * first byte is hashed.
 */
struct cert_verify_ctx {
	EVP_MD_CTX *md;
	size_t sig_len;
	uint8_t sig[CP_MAX_FW_SIGNATURE / 4 * 3 + 3];
};

int cert_verify_init(struct cert_verify_ctx *ctx, const char *signing_cert_pem,
		     const char *const *manufacturer_roots, size_t n_roots,
		     int64_t now, const char *signature_b64, enum cert_problem *why);
int cert_verify_update(struct cert_verify_ctx *ctx, const uint8_t *data, size_t len);
int cert_verify_final(struct cert_verify_ctx *ctx, enum cert_problem *why);
void cert_verify_abort(struct cert_verify_ctx *ctx);

#endif
