/*
 * cert.c - the certificate checks of the OCPP 1.6 Security Whitepaper
 * (edition 3) on OpenSSL 3: CertificateHashDataType, InstallCertificate,
 * CertificateSigned and SignedUpdateFirmware.  See cert.h for what each
 * check asks and why; RFC 5280 for the certificate fields.
 *
 * OpenSSL allocates inside every parse; each function frees what it made on
 * its one way out and clears the error queue, so that a refused certificate
 * leaves nothing behind for the TLS code sharing the thread.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "station/security/cert.h"

/* RFC 5280 §4.1.2.2: "Certificate users MUST be able to handle serialNumber
 * values up to 20 octets"; CAs MUST NOT use longer ones. */
#define SERIAL_MAX_OCTETS 20

static const char *const problem_names[CERT_PROBLEM_COUNT] = {
	[CERT_OK] = "Ok",
	[CERT_NOT_PEM] = "NotPem",
	[CERT_SEVERAL_CERTS] = "SeveralCertificates",
	[CERT_EXPIRED] = "Expired",
	[CERT_NOT_YET_VALID] = "NotYetValid",
	[CERT_NOT_CA] = "NotCA",
	[CERT_WEAK_KEY] = "WeakKey",
	[CERT_BAD_SERIAL] = "BadSerial",
	[CERT_BROKEN_CHAIN] = "BrokenChain",
	[CERT_CHAIN_TOO_LONG] = "ChainTooLong",
	[CERT_WRONG_KEY] = "WrongKey",
	[CERT_UNTRUSTED] = "Untrusted",
	[CERT_BAD_SIGNATURE] = "BadSignature",
	[CERT_INTERNAL] = "Internal",
};

const char *cert_problem_name(enum cert_problem why)
{
	if ((unsigned)why >= CERT_PROBLEM_COUNT)
		return "Unknown";
	return problem_names[why];
}

/* Sets *why and returns the matching code: -ENOMEM for CERT_INTERNAL. */
static int refuse(enum cert_problem *why, enum cert_problem what)
{
	*why = what;
	return what == CERT_INTERNAL ? -ENOMEM : -EINVAL;
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		*out++ = digits[d[i] >> 4];
		*out++ = digits[d[i] & 15];
	}
	*out = '\0';
}

/*
 * The certificates of `pem`, in order, onto a new stack: every PEM block must
 * be a CERTIFICATE without headers whose DER decodes to the last byte; text
 * between blocks is ignored.  Stops after `cap` + 1 certificates, so a caller
 * sees that there were too many without parsing an unbounded list.
 */
static int pem_certs(const char *pem, int cap, STACK_OF(X509) **out,
		     enum cert_problem *why)
{
	BIO *bio = NULL;
	STACK_OF(X509) *sk = NULL;
	int rc = 0;

	*out = NULL;
	if (pem == NULL)
		return refuse(why, CERT_NOT_PEM);
	ERR_clear_error();
	bio = BIO_new_mem_buf(pem, -1);
	sk = sk_X509_new_null();
	if (bio == NULL || sk == NULL) {
		rc = refuse(why, CERT_INTERNAL);
		goto out;
	}
	while (sk_X509_num(sk) <= cap) {
		char *name = NULL, *header = NULL;
		unsigned char *der = NULL;
		const unsigned char *p;
		long len = 0;
		X509 *x = NULL;

		if (!PEM_read_bio(bio, &name, &header, &der, &len)) {
			unsigned long e = ERR_peek_last_error();

			if (sk_X509_num(sk) > 0 && ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
				break;	/* the end: no further block */
			rc = refuse(why, CERT_NOT_PEM);
			goto out;
		}
		p = der;
		if (strcmp(name, PEM_STRING_X509) == 0 && header[0] == '\0')
			x = d2i_X509(NULL, &p, len);
		if (x != NULL && p != der + len) {
			X509_free(x);
			x = NULL;
		}
		/* A certificate whose extensions do not decode is no more
		 * usable than one whose body does not. */
		if (x != NULL && (X509_get_extension_flags(x) & EXFLAG_INVALID)) {
			X509_free(x);
			x = NULL;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(der);
		if (x == NULL) {
			rc = refuse(why, CERT_NOT_PEM);
			goto out;
		}
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			rc = refuse(why, CERT_INTERNAL);
			goto out;
		}
	}
out:
	BIO_free(bio);
	ERR_clear_error();
	if (rc != 0)
		sk_X509_pop_free(sk, X509_free);
	else
		*out = sk;
	return rc;
}

/* RFC 5280 §4.1.2.5: valid from notBefore through notAfter, inclusive. */
static enum cert_problem check_time(const X509 *x, int64_t now)
{
	time_t t = (time_t)now;
	int c;

	c = ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), t);
	if (c == -2)
		return CERT_NOT_PEM;
	if (c > 0)
		return CERT_NOT_YET_VALID;
	c = ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), t);
	if (c == -2)
		return CERT_NOT_PEM;
	if (c < 0)
		return CERT_EXPIRED;
	return CERT_OK;
}

/* The keys the station accepts: RSA of 2048 bits or more, ECDSA on P-256 or
 * P-384 (named curves only). */
static enum cert_problem check_key(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	char group[64];

	ERR_clear_error();
	if (k == NULL)
		return CERT_WEAK_KEY;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA:
		return EVP_PKEY_get_bits(k) >= 2048 ? CERT_OK : CERT_WEAK_KEY;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
						    group, sizeof(group), NULL))
			return CERT_WEAK_KEY;
		if (strcmp(group, SN_X9_62_prime256v1) == 0 ||
		    strcmp(group, SN_secp384r1) == 0)
			return CERT_OK;
		return CERT_WEAK_KEY;
	default:
		return CERT_WEAK_KEY;
	}
}

static int is_ca(X509 *x)
{
	return (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
}

/* The serial in lower-case hex without leading zeros (see cert.h). */
static int serial_hex(const X509 *x, char out[CERT_SERIAL_HEX_MAX + 1])
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	const uint8_t *d = ASN1_STRING_get0_data(sn);
	int n = ASN1_STRING_length(sn);
	char first[3];

	if (ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER)
		return -ERANGE;
	while (n > 0 && d[0] == 0) {
		d++;
		n--;
	}
	if (n > SERIAL_MAX_OCTETS)
		return -ERANGE;
	if (n == 0) {
		strcpy(out, "0");
		return 0;
	}
	/* The first octet without its leading zero digit. */
	hex(d, 1, first);
	if (first[0] == '0')
		*out++ = first[1];
	else {
		*out++ = first[0];
		*out++ = first[1];
	}
	hex(d + 1, (size_t)n - 1, out);
	return 0;
}

static const EVP_MD *hash_md(const char *name)
{
	if (strcmp(name, "SHA256") == 0)
		return EVP_sha256();
	if (strcmp(name, "SHA384") == 0)
		return EVP_sha384();
	if (strcmp(name, "SHA512") == 0)
		return EVP_sha512();
	return NULL;
}

/* The hash data of `x` issued by `issuer` (x itself when self-signed). */
static int hash_fill(X509 *x, X509 *issuer, const char *alg,
		     struct cert_hash_data *out)
{
	const EVP_MD *md = hash_md(alg);
	const ASN1_BIT_STRING *key = X509_get0_pubkey_bitstr(issuer);
	const unsigned char *name_der;
	size_t name_len;
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned int dn;
	int rc;

	if (md == NULL || key == NULL)
		return -EINVAL;
	if (X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer)) != 0)
		return -EINVAL;
	if (!X509_NAME_get0_der(X509_get_issuer_name(x), &name_der, &name_len))
		return -ENOMEM;
	rc = serial_hex(x, out->serial_number);
	if (rc != 0)
		return rc;
	strcpy(out->hash_algorithm, alg);
	if (!EVP_Digest(name_der, name_len, d, &dn, md, NULL))
		return -ENOMEM;
	hex(d, dn, out->issuer_name_hash);
	/* The subjectPublicKey BIT STRING's content octets (RFC 5280
	 * §4.1.2.7), not the whole SubjectPublicKeyInfo: as in OCSP. */
	if (!EVP_Digest(ASN1_STRING_get0_data(key), (size_t)ASN1_STRING_length(key),
			d, &dn, md, NULL))
		return -ENOMEM;
	hex(d, dn, out->issuer_key_hash);
	return 0;
}

/* The first certificate of `pem` (the rest is not looked at beyond one
 * more block). */
static X509 *pem_first(const char *pem, int *rc)
{
	STACK_OF(X509) *sk;
	enum cert_problem why;
	X509 *x;

	*rc = pem_certs(pem, 1, &sk, &why);
	if (*rc != 0)
		return NULL;
	x = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return x;
}

static int hash_data_alg(const char *pem, const char *issuer_pem,
			 const char *alg, struct cert_hash_data *out)
{
	X509 *x, *issuer = NULL;
	int rc;

	x = pem_first(pem, &rc);
	if (x == NULL)
		return rc;
	if (issuer_pem != NULL) {
		issuer = pem_first(issuer_pem, &rc);
		if (issuer == NULL)
			goto out;
	}
	rc = hash_fill(x, issuer != NULL ? issuer : x, alg, out);
out:
	X509_free(issuer);
	X509_free(x);
	ERR_clear_error();
	return rc;
}

int cert_hash_data(const char *pem, struct cert_hash_data *out)
{
	return hash_data_alg(pem, NULL, "SHA256", out);
}

int cert_hash_data_with_issuer(const char *pem, const char *issuer_pem,
			       struct cert_hash_data *out)
{
	assert(issuer_pem != NULL);
	return hash_data_alg(pem, issuer_pem, "SHA256", out);
}

static const char *skip_zeros(const char *s)
{
	while (s[0] == '0' && s[1] != '\0')
		s++;
	return s;
}

int cert_match_hash(const char *pem, const struct cert_hash_data *h)
{
	struct cert_hash_data mine;
	char alg[CERT_HASH_ALG_MAX + 1];
	int rc;

	/* The caller's struct may come straight from JSON: bound each read. */
	if (memchr(h->hash_algorithm, '\0', sizeof(h->hash_algorithm)) == NULL ||
	    memchr(h->issuer_name_hash, '\0', sizeof(h->issuer_name_hash)) == NULL ||
	    memchr(h->issuer_key_hash, '\0', sizeof(h->issuer_key_hash)) == NULL ||
	    memchr(h->serial_number, '\0', sizeof(h->serial_number)) == NULL)
		return -EINVAL;
	strcpy(alg, h->hash_algorithm);
	rc = hash_data_alg(pem, NULL, alg, &mine);
	if (rc != 0)
		return rc;
	return strcasecmp(mine.issuer_name_hash, h->issuer_name_hash) == 0 &&
	       strcasecmp(mine.issuer_key_hash, h->issuer_key_hash) == 0 &&
	       strcasecmp(mine.serial_number, skip_zeros(h->serial_number)) == 0;
}

int cert_parse_check(const char *pem, int64_t now, enum cert_problem *why)
{
	STACK_OF(X509) *sk;
	char serial[CERT_SERIAL_HEX_MAX + 1];
	enum cert_problem p;
	X509 *x;
	int rc;

	*why = CERT_OK;
	rc = pem_certs(pem, 1, &sk, why);
	if (rc != 0)
		return rc;
	x = sk_X509_value(sk, 0);
	if (sk_X509_num(sk) > 1)
		p = CERT_SEVERAL_CERTS;
	else if (serial_hex(x, serial) != 0)
		p = CERT_BAD_SERIAL;
	else if ((p = check_time(x, now)) != CERT_OK)
		;
	else if (!is_ca(x))
		p = CERT_NOT_CA;
	else
		p = check_key(x);
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return p == CERT_OK ? 0 : refuse(why, p);
}

/* Each certificate valid at `now` with an acceptable key. */
static enum cert_problem check_members(STACK_OF(X509) *sk, int64_t now)
{
	enum cert_problem p;

	for (int i = 0; i < sk_X509_num(sk); i++) {
		X509 *x = sk_X509_value(sk, i);

		if ((p = check_time(x, now)) != CERT_OK || (p = check_key(x)) != CERT_OK)
			return p;
	}
	return CERT_OK;
}

/*
 * RFC 5280 §6 path validation of `leaf` (with `untrusted` as the candidate
 * intermediates) up to one of `roots_pem`, at `now`, by OpenSSL's verifier.
 * A root that does not parse is skipped: it cannot anchor anything.
 */
static enum cert_problem verify_to_roots(X509 *leaf, STACK_OF(X509) *untrusted,
					 const char *const *roots_pem,
					 size_t n_roots, int64_t now)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	enum cert_problem p = CERT_UNTRUSTED;
	size_t anchors = 0;

	if (store == NULL || ctx == NULL) {
		p = CERT_INTERNAL;
		goto out;
	}
	for (size_t i = 0; i < n_roots; i++) {
		X509 *r;
		int rc;

		if (roots_pem[i] == NULL || (r = pem_first(roots_pem[i], &rc)) == NULL)
			continue;
		if (X509_STORE_add_cert(store, r))
			anchors++;
		X509_free(r);
	}
	if (anchors == 0)
		goto out;
	if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted)) {
		p = CERT_INTERNAL;
		goto out;
	}
	/* Sets X509_V_FLAG_USE_CHECK_TIME: the verifier uses `now`, never
	 * the host clock. */
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)now);
	if (X509_verify_cert(ctx) == 1) {
		p = CERT_OK;
		goto out;
	}
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		p = CERT_EXPIRED;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		p = CERT_NOT_YET_VALID;
		break;
	case X509_V_ERR_OUT_OF_MEM:
		p = CERT_INTERNAL;
		break;
	default:
		p = CERT_UNTRUSTED;
		break;
	}
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return p;
}

int cert_chain_check(const char *chain_pem, const char *const *roots_pem,
		     size_t n_roots, EVP_PKEY *expected_key, int64_t now,
		     int max_chain_certs, enum cert_problem *why)
{
	STACK_OF(X509) *sk;
	enum cert_problem p;
	int n, rc;

	assert(max_chain_certs > 0);
	*why = CERT_OK;
	rc = pem_certs(chain_pem, max_chain_certs, &sk, why);
	if (rc != 0)
		return rc;
	n = sk_X509_num(sk);
	if (n > max_chain_certs) {
		p = CERT_CHAIN_TOO_LONG;
		goto out;
	}
	if ((p = check_members(sk, now)) != CERT_OK)
		goto out;
	/* Leaf first: certificate i is issued by i + 1 (subject and issuer
	 * names, key identifiers, keyCertSign when keyUsage is present),
	 * carries its signature, and i + 1 is a CA. */
	for (int i = 0; i + 1 < n; i++) {
		X509 *x = sk_X509_value(sk, i), *up = sk_X509_value(sk, i + 1);

		if (X509_check_issued(up, x) != X509_V_OK ||
		    X509_verify(x, X509_get0_pubkey(up)) != 1) {
			p = CERT_BROKEN_CHAIN;
			goto out;
		}
		if (!is_ca(up)) {
			p = CERT_NOT_CA;
			goto out;
		}
	}
	if (expected_key != NULL &&
	    EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(sk, 0)), expected_key) != 1) {
		p = CERT_WRONG_KEY;
		goto out;
	}
	if (n_roots > 0)
		p = verify_to_roots(sk_X509_value(sk, 0), sk, roots_pem, n_roots, now);
out:
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return p == CERT_OK ? 0 : refuse(why, p);
}

/*
 * Base64 (RFC 4648 §4) into `out`, at most `cap` bytes; white space is
 * skipped (a signature may be wrapped), padding only at the end.  Returns the
 * length or -1.
 */
static long base64_decode(const char *s, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0, pad = 0;

	for (; *s != '\0'; s++) {
		int v;
		char c = *s;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			return -1;	/* data after padding */
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+')
			v = 62;
		else if (c == '/')
			v = 63;
		else
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* 2 or 4 left-over bits (one or two "=") must be zero; 6 cannot be a
	 * whole encoding. */
	if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0 || pad > 2 ||
	    (pad != 0 && pad != bits / 2))
		return -1;
	return (long)n;
}

void cert_verify_abort(struct cert_verify_ctx *ctx)
{
	EVP_MD_CTX_free(ctx->md);
	ctx->md = NULL;
}

int cert_verify_init(struct cert_verify_ctx *ctx, const char *signing_cert_pem,
		     const char *const *manufacturer_roots, size_t n_roots,
		     int64_t now, const char *signature_b64, enum cert_problem *why)
{
	STACK_OF(X509) *sk = NULL;
	enum cert_problem p;
	long n;
	int rc;

	ctx->md = NULL;
	ctx->sig_len = 0;
	*why = CERT_OK;
	rc = pem_certs(signing_cert_pem, CP_MAX_SIGNING_CHAIN, &sk, why);
	if (rc != 0)
		return rc;
	if (sk_X509_num(sk) > CP_MAX_SIGNING_CHAIN) {
		p = CERT_CHAIN_TOO_LONG;
		goto out;
	}
	if ((p = check_members(sk, now)) != CERT_OK)
		goto out;
	/* No ManufacturerRootCertificate installed: nothing to trust. */
	if (n_roots == 0) {
		p = CERT_UNTRUSTED;
		goto out;
	}
	p = verify_to_roots(sk_X509_value(sk, 0), sk, manufacturer_roots, n_roots, now);
	if (p != CERT_OK)
		goto out;
	n = -1;
	if (signature_b64 != NULL && strlen(signature_b64) <= CP_MAX_FW_SIGNATURE)
		n = base64_decode(signature_b64, ctx->sig, sizeof(ctx->sig));
	if (n <= 0) {
		p = CERT_BAD_SIGNATURE;
		goto out;
	}
	ctx->sig_len = (size_t)n;
	/* RSA keys verify PKCS#1 v1.5 by default; the EVP_PKEY_CTX inside
	 * holds its own reference to the key, which outlives the X509. */
	ctx->md = EVP_MD_CTX_new();
	if (ctx->md == NULL ||
	    EVP_DigestVerifyInit(ctx->md, NULL, EVP_sha256(), NULL,
				 X509_get0_pubkey(sk_X509_value(sk, 0))) != 1) {
		cert_verify_abort(ctx);
		p = CERT_INTERNAL;
	}
out:
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return p == CERT_OK ? 0 : refuse(why, p);
}

int cert_verify_update(struct cert_verify_ctx *ctx, const uint8_t *data, size_t len)
{
	if (ctx->md == NULL)
		return -EINVAL;
	if (len > 0 && EVP_DigestVerifyUpdate(ctx->md, data, len) != 1) {
		ERR_clear_error();
		return -ENOMEM;
	}
	return 0;
}

int cert_verify_final(struct cert_verify_ctx *ctx, enum cert_problem *why)
{
	int ok;

	*why = CERT_OK;
	if (ctx->md == NULL)
		return refuse(why, CERT_INTERNAL);
	ok = EVP_DigestVerifyFinal(ctx->md, ctx->sig, ctx->sig_len) == 1;
	cert_verify_abort(ctx);
	ERR_clear_error();
	return ok ? 0 : refuse(why, CERT_BAD_SIGNATURE);
}

int cert_verify_signature(const char *signing_cert_pem,
			  const char *const *manufacturer_roots, size_t n_roots,
			  int64_t now, const char *signature_b64,
			  const uint8_t *data, size_t len, enum cert_problem *why)
{
	struct cert_verify_ctx ctx;
	int rc;

	rc = cert_verify_init(&ctx, signing_cert_pem, manufacturer_roots, n_roots,
			      now, signature_b64, why);
	if (rc != 0)
		return rc;
	rc = cert_verify_update(&ctx, data, len);
	if (rc != 0) {
		cert_verify_abort(&ctx);
		return refuse(why, CERT_INTERNAL);
	}
	return cert_verify_final(&ctx, why);
}
