/*
 * test_cert.c - the certificate checks of the OCPP 1.6 Security Whitepaper
 * (station/security/cert.c).  Every key and certificate is made here at run
 * time with OpenSSL (a small PKI: root, intermediate, leaf, a stranger CA and
 * certificates with one fault each), at a fixed NOW: nothing is read from
 * disk and the host clock plays no part.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "station/security/cert.h"

#define DAY 86400
/* 2026-01-01T00:00:00Z */
#define NOW ((int64_t)1767225600)
#define NB (NOW - DAY)
#define NA (NOW + 365 * DAY)
/* 2001-01-01T00:00:00Z: a time the host clock is surely not at. */
#define THEN ((int64_t)978307200)

/* LEAF: CA:FALSE, digitalSignature; PLAIN: CA:FALSE without keyUsage (so
 * nothing but basicConstraints stops it from issuing). */
enum kind { LEAF, CA, PLAIN };

/* The PKI, made once for all tests. */
static EVP_PKEY *root_key, *inter_key, *leaf_key, *stranger_key, *other_key;
static EVP_PKEY *rsa_key, *weak_key, *p521_key, *p384_key;
static X509 *root, *inter;
static char *root_pem, *rsa_root_pem, *p384_root_pem, *inter_pem, *leaf_pem,
	*stranger_pem, *expired_pem, *future_pem, *nonca_pem, *weak_pem, *p521_pem,
	*long_serial_pem, *expired_inter_pem, *plain_pem, *by_plain_pem,
	*old_root_pem, *old_leaf_pem, *under_expired_pem, *bad_sig_leaf_pem, *stranger_leaf_pem,
	*rsa_signer_pem, *ec_signer_pem, *chained_signer_pem;
static const uint8_t root_serial[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static uint8_t data[100000];

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_true(X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
}

/*
 * A version 3 certificate for `cn` with `key`, issued by `issuer` (signed
 * with `issuer_key`) or self-signed when issuer is NULL.
 */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer,
		       EVP_PKEY *issuer_key, enum kind kind, int64_t nb, int64_t na,
		       const uint8_t *serial, size_t serial_len)
{
	static const uint8_t one[] = { 0x10 };
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *bn;
	ASN1_INTEGER *sn;

	assert_non_null(x);
	assert_true(X509_set_version(x, X509_VERSION_3));
	if (serial == NULL) {
		serial = one;
		serial_len = sizeof(one);
	}
	bn = BN_bin2bn(serial, (int)serial_len, NULL);
	sn = BN_to_ASN1_INTEGER(bn, NULL);
	assert_true(X509_set_serialNumber(x, sn));
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	assert_true(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					       (const unsigned char *)"Test PKI", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					       (const unsigned char *)cn, -1, -1, 0));
	assert_true(X509_set_subject_name(x, name));
	X509_NAME_free(name);
	assert_true(X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x)));
	assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb));
	assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na));
	assert_true(X509_set_pubkey(x, key));
	if (kind == CA) {
		add_ext(x, issuer ? issuer : x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer ? issuer : x, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, issuer ? issuer : x, NID_basic_constraints, "CA:FALSE");
		if (kind == LEAF)
			add_ext(x, issuer ? issuer : x, NID_key_usage,
				"critical,digitalSignature");
	}
	assert_true(X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0);
	return x;
}

static char *to_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	assert_true(PEM_write_bio_X509(b, x));
	n = BIO_get_mem_data(b, &p);
	s = malloc((size_t)n + 1);
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	BIO_free(b);
	return s;
}

/* make_cert, as PEM; the X509 is freed. */
static char *make_pem(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
		      enum kind kind, int64_t nb, int64_t na)
{
	X509 *x = make_cert(cn, key, issuer, issuer_key, kind, nb, na, NULL, 0);
	char *s = to_pem(x);

	X509_free(x);
	return s;
}

/* The PEM texts concatenated (up to four), in one of 64 static buffers
 * (enough for one table of cases). */
static const char *cat(const char *a, const char *b, const char *c, const char *d)
{
	static char buf[64][16384];
	static int turn;
	char *s = buf[turn++ % 64];

	const char *parts[4] = { a, b, c, d };
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		size_t len = parts[i] ? strlen(parts[i]) : 0;

		assert_true(n + len < sizeof(buf[0]));
		if (len)
			memmove(s + n, parts[i], len);
		n += len;
	}
	s[n] = '\0';
	return s;
}

static int setup(void **state)
{
	X509 *x, *stranger;
	uint8_t serial21[21];
	unsigned char *der = NULL;
	const unsigned char *q;
	int n;

	(void)state;
	root_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	inter_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	stranger_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	other_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	p384_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	p521_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	rsa_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	weak_key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	assert_non_null(root_key);
	assert_non_null(rsa_key);
	assert_non_null(weak_key);
	assert_non_null(p521_key);

	root = make_cert("Root CA", root_key, NULL, NULL, CA, NB, NA,
			 root_serial, sizeof(root_serial));
	root_pem = to_pem(root);
	inter = make_cert("Intermediate CA", inter_key, root, root_key, CA, NB, NA, NULL, 0);
	inter_pem = to_pem(inter);
	leaf_pem = make_pem("CP001", leaf_key, inter, inter_key, LEAF, NB, NA);
	rsa_root_pem = make_pem("RSA Root CA", rsa_key, NULL, NULL, CA, NB, NA);
	p384_root_pem = make_pem("P-384 Root CA", p384_key, NULL, NULL, CA, NB, NA);

	stranger = make_cert("Stranger CA", stranger_key, NULL, NULL, CA, NB, NA, NULL, 0);
	stranger_pem = to_pem(stranger);
	stranger_leaf_pem = make_pem("CP001", leaf_key, stranger, stranger_key, LEAF, NB, NA);
	X509_free(stranger);

	expired_pem = make_pem("Old CA", root_key, NULL, NULL, CA, NOW - 730 * DAY, NOW - DAY);
	x = make_cert("Old CA", root_key, NULL, NULL, CA, NOW - 730 * DAY, NOW - DAY, NULL, 0);
	under_expired_pem = make_pem("CP001", leaf_key, x, root_key, LEAF, NB, NA);
	X509_free(x);
	/* A PKI of 2000-2002: valid only if `now` reaches the verifier. */
	x = make_cert("Root CA 2000", root_key, NULL, NULL, CA, THEN - 365 * DAY,
		      THEN + 365 * DAY, NULL, 0);
	old_root_pem = to_pem(x);
	old_leaf_pem = make_pem("CP001", leaf_key, x, root_key, LEAF, THEN - 365 * DAY,
				THEN + 365 * DAY);
	X509_free(x);
	future_pem = make_pem("Next CA", root_key, NULL, NULL, CA, NOW + DAY, NOW + 730 * DAY);
	nonca_pem = make_pem("Not a CA", root_key, NULL, NULL, LEAF, NB, NA);
	x = make_cert("Plain", stranger_key, NULL, NULL, PLAIN, NB, NA, NULL, 0);
	plain_pem = to_pem(x);
	by_plain_pem = make_pem("Issued by Plain", leaf_key, x, stranger_key, LEAF, NB, NA);
	X509_free(x);
	weak_pem = make_pem("Weak CA", weak_key, NULL, NULL, CA, NB, NA);
	p521_pem = make_pem("P-521 CA", p521_key, NULL, NULL, CA, NB, NA);
	memset(serial21, 0x5a, sizeof(serial21));
	x = make_cert("Long serial CA", root_key, NULL, NULL, CA, NB, NA,
		      serial21, sizeof(serial21));
	long_serial_pem = to_pem(x);
	X509_free(x);
	/* The intermediate's name and key, but over: the leaf still
	 * verifies with it. */
	expired_inter_pem = make_pem("Intermediate CA", inter_key, root, root_key, CA,
				     NOW - 730 * DAY, NOW - DAY);

	/* The leaf with one bit of its signature (the DER's last octet, in
	 * the ECDSA s value) flipped. */
	x = make_cert("CP001", leaf_key, inter, inter_key, LEAF, NB, NA, NULL, 0);
	n = i2d_X509(x, &der);
	assert_true(n > 0);
	X509_free(x);
	der[n - 1] ^= 0x01;
	q = der;
	x = d2i_X509(NULL, &q, n);
	assert_non_null(x);
	bad_sig_leaf_pem = to_pem(x);
	X509_free(x);
	OPENSSL_free(der);

	/* Firmware signers under the root (manufacturer root here). */
	rsa_signer_pem = make_pem("Firmware RSA", rsa_key, root, root_key, LEAF, NB, NA);
	ec_signer_pem = make_pem("Firmware EC", other_key, root, root_key, LEAF, NB, NA);
	chained_signer_pem = make_pem("Firmware EC 2", other_key, inter, inter_key, LEAF, NB, NA);

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)((i * 2654435761u) >> 13);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(stranger_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(p384_key);
	EVP_PKEY_free(p521_key);
	EVP_PKEY_free(rsa_key);
	EVP_PKEY_free(weak_key);
	X509_free(root);
	X509_free(inter);
	free(root_pem);
	free(rsa_root_pem);
	free(p384_root_pem);
	free(inter_pem);
	free(leaf_pem);
	free(stranger_pem);
	free(stranger_leaf_pem);
	free(expired_pem);
	free(future_pem);
	free(nonca_pem);
	free(old_root_pem);
	free(old_leaf_pem);
	free(under_expired_pem);
	free(plain_pem);
	free(by_plain_pem);
	free(weak_pem);
	free(p521_pem);
	free(long_serial_pem);
	free(expired_inter_pem);
	free(bad_sig_leaf_pem);
	free(rsa_signer_pem);
	free(ec_signer_pem);
	free(chained_signer_pem);
	return 0;
}

/* Hex of md(data), computed here with EVP_Digest. */
static void digest_hex(const EVP_MD *md, const void *d, size_t n, char *out)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int hn;

	assert_true(EVP_Digest(d, n, h, &hn, md, NULL));
	for (unsigned int i = 0; i < hn; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

/* The hash data of a self-signed certificate, worked out independently:
 * the DER of the name as a fresh X509_NAME encodes it, the key as
 * i2d_PublicKey writes it (EC: the point octets; RSA: RSAPublicKey), which
 * is exactly the content of the subjectPublicKey BIT STRING. */
static void expected_hash(const EVP_MD *md, const char *cn, EVP_PKEY *key,
			  struct cert_hash_data *h)
{
	X509_NAME *name = X509_NAME_new();
	unsigned char *der = NULL;
	int n;

	assert_true(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					       (const unsigned char *)"Test PKI", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					       (const unsigned char *)cn, -1, -1, 0));
	n = i2d_X509_NAME(name, &der);
	assert_true(n > 0);
	digest_hex(md, der, (size_t)n, h->issuer_name_hash);
	OPENSSL_free(der);
	X509_NAME_free(name);
	der = NULL;
	n = i2d_PublicKey(key, &der);
	assert_true(n > 0);
	digest_hex(md, der, (size_t)n, h->issuer_key_hash);
	OPENSSL_free(der);
}

static void test_hash_data_root(void **state)
{
	struct cert_hash_data h, want;

	(void)state;
	assert_int_equal(cert_hash_data(root_pem, &h), 0);
	expected_hash(EVP_sha256(), "Root CA", root_key, &want);
	assert_string_equal(h.hash_algorithm, "SHA256");
	assert_int_equal(strlen(h.issuer_name_hash), 64);
	assert_string_equal(h.issuer_name_hash, want.issuer_name_hash);
	assert_string_equal(h.issuer_key_hash, want.issuer_key_hash);
	/* 01 23 45 ... ef: no leading zero, lower case */
	assert_string_equal(h.serial_number, "123456789abcdef");

	/* An RSA root: the key bits are the RSAPublicKey DER. */
	assert_int_equal(cert_hash_data(rsa_root_pem, &h), 0);
	expected_hash(EVP_sha256(), "RSA Root CA", rsa_key, &want);
	assert_string_equal(h.issuer_name_hash, want.issuer_name_hash);
	assert_string_equal(h.issuer_key_hash, want.issuer_key_hash);
	assert_string_equal(h.serial_number, "10");
}

/* A certificate issued by the root: its issuer fields are the root's. */
static void test_hash_data_with_issuer(void **state)
{
	struct cert_hash_data h, r, self;

	(void)state;
	assert_int_equal(cert_hash_data(root_pem, &r), 0);
	assert_int_equal(cert_hash_data_with_issuer(inter_pem, root_pem, &h), 0);
	assert_string_equal(h.issuer_name_hash, r.issuer_name_hash);
	assert_string_equal(h.issuer_key_hash, r.issuer_key_hash);
	assert_string_equal(h.serial_number, "10");
	/* The simple form takes it as self-signed: its name is not its
	 * issuer's, so that fails rather than give wrong hashes. */
	assert_int_equal(cert_hash_data(inter_pem, &self), -EINVAL);
	/* Not the issuer. */
	assert_int_equal(cert_hash_data_with_issuer(inter_pem, stranger_pem, &h), -EINVAL);
	assert_int_equal(cert_hash_data_with_issuer(inter_pem, "junk", &h), -EINVAL);
}

static void test_hash_data_bad_input(void **state)
{
	struct cert_hash_data h;

	(void)state;
	assert_int_equal(cert_hash_data("", &h), -EINVAL);
	assert_int_equal(cert_hash_data("not a certificate", &h), -EINVAL);
	/* 21 octets of serial: more than serialNumber's 40 hex digits. */
	assert_int_equal(cert_hash_data(long_serial_pem, &h), -ERANGE);
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'f')
			*s = (char)(*s - 'a' + 'A');
}

static void test_match_hash(void **state)
{
	struct cert_hash_data h, h2;

	(void)state;
	assert_int_equal(cert_hash_data(root_pem, &h), 0);
	assert_int_equal(cert_match_hash(root_pem, &h), 1);
	assert_int_equal(cert_match_hash(rsa_root_pem, &h), 0);
	assert_int_equal(cert_match_hash(stranger_pem, &h), 0);

	h2 = h;	/* upper case */
	upper(h2.issuer_name_hash);
	upper(h2.issuer_key_hash);
	upper(h2.serial_number);
	assert_int_equal(cert_match_hash(root_pem, &h2), 1);

	h2 = h;	/* leading zeros in the serial */
	strcpy(h2.serial_number, "000123456789ABCDEF");
	assert_int_equal(cert_match_hash(root_pem, &h2), 1);

	h2 = h;	/* another serial */
	strcpy(h2.serial_number, "123456789abcdee");
	assert_int_equal(cert_match_hash(root_pem, &h2), 0);
	h2 = h;	/* another key */
	h2.issuer_key_hash[0] = h2.issuer_key_hash[0] == '0' ? '1' : '0';
	assert_int_equal(cert_match_hash(root_pem, &h2), 0);

	/* SHA384 as a Central System may send in DeleteCertificate. */
	memset(&h2, 0, sizeof(h2));
	strcpy(h2.hash_algorithm, "SHA384");
	expected_hash(EVP_sha384(), "Root CA", root_key, &h2);
	strcpy(h2.serial_number, "123456789abcdef");
	assert_int_equal(strlen(h2.issuer_name_hash), 96);
	assert_int_equal(cert_match_hash(root_pem, &h2), 1);
	strcpy(h2.hash_algorithm, "SHA512");
	assert_int_equal(cert_match_hash(root_pem, &h2), 0);
	strcpy(h2.hash_algorithm, "MD5");
	assert_true(cert_match_hash(root_pem, &h2) < 0);
	assert_true(cert_match_hash("junk", &h) < 0);
}

static void test_parse_check(void **state)
{
	char several[8192], garbled[8192], *p;
	static const char key_block[] =
		"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
	const struct {
		const char *name;
		const char *pem;
		int64_t now;
		enum cert_problem why;
	} cases[] = {
		{ "EC P-256 root", root_pem, NOW, CERT_OK },
		{ "EC P-384 root", p384_root_pem, NOW, CERT_OK },
		{ "RSA 2048 root", rsa_root_pem, NOW, CERT_OK },
		{ "an intermediate CA", inter_pem, NOW, CERT_OK },
		{ "first second of validity", root_pem, NB, CERT_OK },
		{ "last second of validity", root_pem, NA, CERT_OK },
		{ "empty", "", NOW, CERT_NOT_PEM },
		{ "text", "hello", NOW, CERT_NOT_PEM },
		{ "a private key", key_block, NOW, CERT_NOT_PEM },
		{ "garbled base64", garbled, NOW, CERT_NOT_PEM },
		{ "two certificates", several, NOW, CERT_SEVERAL_CERTS },
		{ "a certificate and a key", cat(root_pem, key_block, NULL, NULL), NOW,
		  CERT_NOT_PEM },
		{ "expired", expired_pem, NOW, CERT_EXPIRED },
		{ "one second after notAfter", root_pem, NA + 1, CERT_EXPIRED },
		{ "not yet valid", future_pem, NOW, CERT_NOT_YET_VALID },
		{ "one second before notBefore", root_pem, NB - 1, CERT_NOT_YET_VALID },
		{ "not a CA", nonca_pem, NOW, CERT_NOT_CA },
		{ "a leaf", leaf_pem, NOW, CERT_NOT_CA },
		{ "RSA 1024", weak_pem, NOW, CERT_WEAK_KEY },
		{ "EC P-521", p521_pem, NOW, CERT_WEAK_KEY },
		{ "21-octet serial", long_serial_pem, NOW, CERT_BAD_SERIAL },
	};

	(void)state;
	snprintf(several, sizeof(several), "%s\n%s", root_pem, stranger_pem);
	/* One base64 character of the body changed to another: the DER no
	 * longer decodes (or not to the end). */
	snprintf(garbled, sizeof(garbled), "%s", root_pem);
	p = strchr(garbled, '\n') + 5;
	*p = *p == 'A' ? '/' : 'A';
	p[1] = '!';

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cert_problem why = CERT_INTERNAL;
		int rc = cert_parse_check(cases[i].pem, cases[i].now, &why);

		print_message("%s\n", cases[i].name);
		assert_int_equal(why, cases[i].why);
		assert_int_equal(rc, cases[i].why == CERT_OK ? 0 : -EINVAL);
	}
	/* The error queue is left empty. */
	assert_int_equal(ERR_peek_error(), 0);
}

static void test_chain_check(void **state)
{
	const char *roots[] = { root_pem };
	const char *strangers[] = { stranger_pem };
	const char *both[] = { "junk", stranger_pem, root_pem };
	const char *old_roots[] = { old_root_pem };
	const char *expired_roots[] = { expired_pem };
	const struct {
		const char *name;
		const char *chain;
		const char *const *roots;
		size_t n_roots;
		EVP_PKEY *key;
		int64_t now;
		int max;
		enum cert_problem why;
	} cases[] = {
		{ "leaf, intermediate to the root", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NOW, 3, CERT_OK },
		{ "with the root itself", cat(leaf_pem, inter_pem, root_pem, NULL),
		  roots, 1, leaf_key, NOW, 3, CERT_OK },
		{ "the root among other roots", cat(leaf_pem, inter_pem, NULL, NULL),
		  both, 3, leaf_key, NOW, 3, CERT_OK },
		{ "no roots: consistency only", cat(leaf_pem, inter_pem, NULL, NULL),
		  NULL, 0, leaf_key, NOW, 3, CERT_OK },
		{ "no CSR key to compare", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, NULL, NOW, 3, CERT_OK },
		{ "the leaf alone misses its issuer", leaf_pem,
		  roots, 1, leaf_key, NOW, 3, CERT_UNTRUSTED },
		{ "the leaf alone, no roots", leaf_pem,
		  NULL, 0, leaf_key, NOW, 3, CERT_OK },
		{ "wrong order", cat(inter_pem, leaf_pem, NULL, NULL),
		  roots, 1, leaf_key, NOW, 3, CERT_BROKEN_CHAIN },
		{ "wrong order, no roots", cat(inter_pem, leaf_pem, NULL, NULL),
		  NULL, 0, NULL, NOW, 3, CERT_BROKEN_CHAIN },
		{ "a gap", cat(leaf_pem, root_pem, NULL, NULL),
		  roots, 1, leaf_key, NOW, 3, CERT_BROKEN_CHAIN },
		{ "broken leaf signature", cat(bad_sig_leaf_pem, inter_pem, NULL, NULL),
		  NULL, 0, leaf_key, NOW, 3, CERT_BROKEN_CHAIN },
		{ "after a stranger", cat(inter_pem, nonca_pem, NULL, NULL),
		  NULL, 0, NULL, NOW, 3, CERT_BROKEN_CHAIN },
		{ "issued by a non-CA", cat(by_plain_pem, plain_pem, NULL, NULL),
		  NULL, 0, NULL, NOW, 3, CERT_NOT_CA },
		{ "expired intermediate", cat(leaf_pem, expired_inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NOW, 3, CERT_EXPIRED },
		{ "everything expired later", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NA + DAY, 3, CERT_EXPIRED },
		{ "first second, to the root", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NB, 3, CERT_OK },
		{ "last second, no roots", cat(leaf_pem, inter_pem, NULL, NULL),
		  NULL, 0, leaf_key, NA, 3, CERT_OK },
		/* OpenSSL's verifier ends validity a second early (cert.h). */
		{ "last second, to the root", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NA, 3, CERT_EXPIRED },
		{ "not yet valid", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NB - DAY, 3, CERT_NOT_YET_VALID },
		{ "too long", cat(leaf_pem, inter_pem, root_pem, NULL),
		  roots, 1, leaf_key, NOW, 2, CERT_CHAIN_TOO_LONG },
		{ "just long enough", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, leaf_key, NOW, 2, CERT_OK },
		{ "not the CSR's key", cat(leaf_pem, inter_pem, NULL, NULL),
		  roots, 1, other_key, NOW, 3, CERT_WRONG_KEY },
		{ "untrusted root", cat(leaf_pem, inter_pem, NULL, NULL),
		  strangers, 1, leaf_key, NOW, 3, CERT_UNTRUSTED },
		{ "another CA's leaf", stranger_leaf_pem,
		  roots, 1, leaf_key, NOW, 3, CERT_UNTRUSTED },
		{ "only unusable roots", cat(leaf_pem, inter_pem, NULL, NULL),
		  both, 1, leaf_key, NOW, 3, CERT_UNTRUSTED },
		{ "a weak member", cat(leaf_pem, weak_pem, NULL, NULL),
		  NULL, 0, NULL, NOW, 3, CERT_WEAK_KEY },
		{ "not PEM", "hello", roots, 1, leaf_key, NOW, 3, CERT_NOT_PEM },
		{ "the verifier runs at now, not the host clock", old_leaf_pem,
		  old_roots, 1, leaf_key, THEN, 3, CERT_OK },
		{ "the same PKI today", old_leaf_pem,
		  old_roots, 1, leaf_key, NOW, 3, CERT_EXPIRED },
		{ "the installed root has expired", under_expired_pem,
		  expired_roots, 1, leaf_key, NOW, 3, CERT_EXPIRED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cert_problem why = CERT_INTERNAL;
		int rc = cert_chain_check(cases[i].chain, cases[i].roots, cases[i].n_roots,
					  cases[i].key, cases[i].now, cases[i].max, &why);

		print_message("%s\n", cases[i].name);
		assert_int_equal(why, cases[i].why);
		assert_int_equal(rc, cases[i].why == CERT_OK ? 0 : -EINVAL);
	}
	assert_int_equal(ERR_peek_error(), 0);
}

/* A base64 SHA-256 signature of data[0..len) by `key`. */
static char *sign_b64(EVP_PKEY *key, const uint8_t *d, size_t len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t sig[1024];
	size_t n = sizeof(sig);
	char *s = malloc(2048);

	assert_true(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1);
	assert_true(EVP_DigestSign(md, sig, &n, d, len) == 1);
	EVP_MD_CTX_free(md);
	assert_true(EVP_EncodeBlock((unsigned char *)s, sig, (int)n) > 0);
	return s;
}

static void test_signature(void **state)
{
	const char *roots[] = { root_pem };
	const char *two_roots[] = { stranger_pem, root_pem };
	const char *strangers[] = { stranger_pem };
	char *rsa_sig = sign_b64(rsa_key, data, sizeof(data));
	char *ec_sig = sign_b64(other_key, data, sizeof(data));
	char *wrapped = malloc(4096), *bad_sig = strdup(rsa_sig), *long_sig = malloc(1024);
	static uint8_t tampered[sizeof(data)];
	const char *chained = cat(chained_signer_pem, inter_pem, NULL, NULL);
	size_t j = 0;

	(void)state;
	memcpy(tampered, data, sizeof(data));
	tampered[sizeof(data) / 2] ^= 0x80;
	/* One base64 digit of the signature changed (not the last: its low
	 * bits may be padding). */
	bad_sig[10] = bad_sig[10] == 'A' ? 'B' : 'A';
	/* The same signature wrapped at 64 columns, as a PEM body would be. */
	for (size_t i = 0; ec_sig[i]; i++) {
		wrapped[j++] = ec_sig[i];
		if (i % 64 == 63)
			wrapped[j++] = '\n';
	}
	wrapped[j] = '\0';
	memset(long_sig, 'A', 804);
	long_sig[804] = '\0';

	const struct {
		const char *name;
		const char *signer;
		const char *const *roots;
		size_t n_roots;
		int64_t now;
		const char *sig;
		const uint8_t *data;
		enum cert_problem why;
	} cases[] = {
		{ "RSA PKCS#1 v1.5", rsa_signer_pem, roots, 1, NOW, rsa_sig, data, CERT_OK },
		{ "ECDSA", ec_signer_pem, roots, 1, NOW, ec_sig, data, CERT_OK },
		{ "ECDSA, wrapped base64", ec_signer_pem, roots, 1, NOW, wrapped, data, CERT_OK },
		{ "second of two roots", ec_signer_pem, two_roots, 2, NOW, ec_sig, data, CERT_OK },
		{ "signer with its intermediate", chained, roots, 1, NOW, ec_sig, data, CERT_OK },
		{ "bad signature", rsa_signer_pem, roots, 1, NOW, bad_sig, data,
		  CERT_BAD_SIGNATURE },
		{ "another key's signature", ec_signer_pem, roots, 1, NOW, rsa_sig, data,
		  CERT_BAD_SIGNATURE },
		{ "tampered data (RSA)", rsa_signer_pem, roots, 1, NOW, rsa_sig, tampered,
		  CERT_BAD_SIGNATURE },
		{ "tampered data (ECDSA)", ec_signer_pem, roots, 1, NOW, ec_sig, tampered,
		  CERT_BAD_SIGNATURE },
		{ "not base64", ec_signer_pem, roots, 1, NOW, "not*base64", data,
		  CERT_BAD_SIGNATURE },
		{ "empty signature", ec_signer_pem, roots, 1, NOW, "", data, CERT_BAD_SIGNATURE },
		{ "longer than the schema allows", ec_signer_pem, roots, 1, NOW, long_sig, data,
		  CERT_BAD_SIGNATURE },
		{ "untrusted signer", ec_signer_pem, strangers, 1, NOW, ec_sig, data,
		  CERT_UNTRUSTED },
		{ "no manufacturer root", ec_signer_pem, NULL, 0, NOW, ec_sig, data,
		  CERT_UNTRUSTED },
		{ "signer without its intermediate", chained_signer_pem, roots, 1, NOW, ec_sig,
		  data, CERT_UNTRUSTED },
		{ "signer expired", ec_signer_pem, roots, 1, NA + 1, ec_sig, data, CERT_EXPIRED },
		{ "signer not PEM", "hello", roots, 1, NOW, ec_sig, data, CERT_NOT_PEM },
		{ "too many certificates", cat(ec_signer_pem, inter_pem, inter_pem,
					       cat(inter_pem, inter_pem, NULL, NULL)),
		  roots, 1, NOW, ec_sig, data, CERT_CHAIN_TOO_LONG },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cert_problem why = CERT_INTERNAL;
		int rc = cert_verify_signature(cases[i].signer, cases[i].roots,
					       cases[i].n_roots, cases[i].now, cases[i].sig,
					       cases[i].data, sizeof(data), &why);

		print_message("%s\n", cases[i].name);
		assert_int_equal(why, cases[i].why);
		assert_int_equal(rc, cases[i].why == CERT_OK ? 0 : -EINVAL);
	}
	assert_int_equal(ERR_peek_error(), 0);
	free(rsa_sig);
	free(ec_sig);
	free(wrapped);
	free(bad_sig);
	free(long_sig);
}

/* Streaming in uneven pieces gives what the one-shot call gives. */
static void test_signature_streaming(void **state)
{
	const char *roots[] = { root_pem };
	static const size_t pieces[] = { 1, 7, 4096, 65536, 100000 };
	static uint8_t tampered[sizeof(data)];
	char *sigs[2] = { sign_b64(rsa_key, data, sizeof(data)),
			  sign_b64(other_key, data, sizeof(data)) };
	const char *signers[2] = { rsa_signer_pem, ec_signer_pem };

	(void)state;
	memcpy(tampered, data, sizeof(data));
	tampered[0] ^= 1;
	for (int k = 0; k < 2; k++) {
		for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
			for (int t = 0; t < 2; t++) {
				const uint8_t *d = t ? tampered : data;
				struct cert_verify_ctx ctx;
				enum cert_problem one, streamed;
				int rc1, rc2;

				rc1 = cert_verify_signature(signers[k], roots, 1, NOW, sigs[k],
							    d, sizeof(data), &one);
				assert_int_equal(cert_verify_init(&ctx, signers[k], roots, 1,
								  NOW, sigs[k], &streamed), 0);
				for (size_t off = 0; off < sizeof(data); off += pieces[p]) {
					size_t n = sizeof(data) - off;

					if (n > pieces[p])
						n = pieces[p];
					assert_int_equal(cert_verify_update(&ctx, d + off, n), 0);
				}
				rc2 = cert_verify_final(&ctx, &streamed);
				assert_int_equal(rc2, rc1);
				assert_int_equal(streamed, one);
				assert_int_equal(one, t ? CERT_BAD_SIGNATURE : CERT_OK);
				/* Finished: no further use. */
				assert_int_equal(cert_verify_update(&ctx, d, 1), -EINVAL);
				cert_verify_abort(&ctx);
			}
		}
	}
	/* Abandoned half way: abort frees (checked by the leak checkers). */
	{
		struct cert_verify_ctx ctx;
		enum cert_problem why;

		assert_int_equal(cert_verify_init(&ctx, ec_signer_pem, roots, 1, NOW,
						  sigs[1], &why), 0);
		assert_int_equal(cert_verify_update(&ctx, data, 100), 0);
		cert_verify_abort(&ctx);
		cert_verify_abort(&ctx);
		/* A refused init leaves nothing to free. */
		assert_int_equal(cert_verify_init(&ctx, ec_signer_pem, NULL, 0, NOW,
						  sigs[1], &why), -EINVAL);
		assert_int_equal(why, CERT_UNTRUSTED);
		assert_null(ctx.md);
	}
	free(sigs[0]);
	free(sigs[1]);
}

static void test_problem_names(void **state)
{
	(void)state;
	for (int i = 0; i < CERT_PROBLEM_COUNT; i++) {
		const char *n = cert_problem_name((enum cert_problem)i);

		assert_non_null(n);
		assert_string_not_equal(n, "Unknown");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, cert_problem_name((enum cert_problem)j));
	}
	assert_string_equal(cert_problem_name(CERT_EXPIRED), "Expired");
	assert_string_equal(cert_problem_name(CERT_PROBLEM_COUNT), "Unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_data_root),
		cmocka_unit_test(test_hash_data_with_issuer),
		cmocka_unit_test(test_hash_data_bad_input),
		cmocka_unit_test(test_match_hash),
		cmocka_unit_test(test_parse_check),
		cmocka_unit_test(test_chain_check),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_signature_streaming),
		cmocka_unit_test(test_problem_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
