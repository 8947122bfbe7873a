/*
 * test_csr.c - the key pair, CSR and private key file of the certificate
 * management flow (OCPP 1.6 Security Whitepaper edition 3): the request
 * parses back with the exact subject and a valid signature for EC and RSA
 * and fits SignCertificate.req; bad names are refused; the key file is
 * written 0600 whatever the umask, read back, refused when group or others
 * may read it or when it is not a key, and an interrupted write leaves the
 * old key in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "station/security/csr.h"

struct dir {
	char path[64];
	char key[96];
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return -1;
	strcpy(d->path, "/tmp/test_csr.XXXXXX");
	if (mkdtemp(d->path) == NULL) {
		free(d);
		return -1;
	}
	snprintf(d->key, sizeof(d->key), "%s/cp.key", d->path);
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	char cmd[128];

	chmod(d->path, 0700);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (system(cmd) != 0)
		return -1;
	free(d);
	return 0;
}

static X509_REQ *parse_req(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509_REQ *req;

	assert_non_null(bio);
	req = PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return req;
}

/* The text of the first entry with nid, or NULL. */
static const char *name_get(X509_NAME *name, int nid, char *buf, int len)
{
	return X509_NAME_get_text_by_NID(name, nid, buf, len) < 0 ? NULL : buf;
}

static void check_req(const struct csr_pending *p, const char *cn, const char *org,
		      int key_id, int sig_nid)
{
	char buf[128];
	X509_REQ *req;
	X509_NAME *name;
	EVP_PKEY *pub;

	assert_non_null(p->key);
	assert_int_equal(strlen(p->csr_pem), p->csr_len);
	assert_true(p->csr_len <= CP_MAX_CSR_PEM);
	assert_non_null(strstr(p->csr_pem, "-----BEGIN CERTIFICATE REQUEST-----\n"));
	req = parse_req(p->csr_pem);
	assert_non_null(req);
	name = X509_REQ_get_subject_name(req);
	assert_int_equal(X509_NAME_entry_count(name), org != NULL && org[0] ? 2 : 1);
	assert_string_equal(name_get(name, NID_commonName, buf, sizeof(buf)), cn);
	if (org != NULL && org[0])
		assert_string_equal(name_get(name, NID_organizationName, buf, sizeof(buf)), org);
	else
		assert_null(name_get(name, NID_organizationName, buf, sizeof(buf)));
	pub = X509_REQ_get0_pubkey(req);
	assert_non_null(pub);
	assert_int_equal(EVP_PKEY_get_base_id(pub), key_id);
	assert_int_equal(EVP_PKEY_eq(pub, p->key), 1);
	assert_int_equal(X509_REQ_verify(req, pub), 1);
	assert_int_equal(X509_REQ_get_signature_nid(req), sig_nid);
	assert_int_equal(X509_REQ_get_version(req), X509_REQ_VERSION_1);
	X509_REQ_free(req);
}

static void test_csr_ec(void **state)
{
	(void)state;
	struct csr_pending p;
	char group[32];
	size_t glen;

	assert_int_equal(csr_make("CP-0001", "Acme Charging B.V.", CSR_EC_P256, &p), 0);
	print_message("EC P-256 CSR: %zu characters\n", p.csr_len);
	check_req(&p, "CP-0001", "Acme Charging B.V.", EVP_PKEY_EC,
		  NID_ecdsa_with_SHA256);
	assert_int_equal(EVP_PKEY_get_utf8_string_param(p.key, "group", group,
							sizeof(group), &glen), 1);
	assert_string_equal(group, "prime256v1");
	csr_pending_free(&p);
	assert_null(p.key);
	assert_int_equal(p.csr_len, 0);
	csr_pending_free(&p);	/* twice is fine */
}

static void test_csr_rsa(void **state)
{
	(void)state;
	struct csr_pending p;

	assert_int_equal(csr_make("station-42", "CPO", CSR_RSA_2048, &p), 0);
	print_message("RSA-2048 CSR: %zu characters\n", p.csr_len);
	check_req(&p, "station-42", "CPO", EVP_PKEY_RSA, NID_sha256WithRSAEncryption);
	assert_int_equal(EVP_PKEY_get_bits(p.key), 2048);
	csr_pending_free(&p);
}

/* CpoName not set: no O in the subject, NULL or "". */
static void test_csr_without_org(void **state)
{
	(void)state;
	struct csr_pending p;

	assert_int_equal(csr_make("CP-0001", "", CSR_EC_P256, &p), 0);
	check_req(&p, "CP-0001", "", EVP_PKEY_EC, NID_ecdsa_with_SHA256);
	csr_pending_free(&p);
	assert_int_equal(csr_make("CP-0001", NULL, CSR_EC_P256, &p), 0);
	check_req(&p, "CP-0001", NULL, EVP_PKEY_EC, NID_ecdsa_with_SHA256);
	csr_pending_free(&p);
}

/* The longest names allowed, UTF-8 passed through, and every request a
 * new key. */
static void test_csr_longest_names_fresh_keys(void **state)
{
	(void)state;
	char cn[CSR_MAX_CN + 1], org[CSR_MAX_ORG + 1];
	struct csr_pending a, b;

	memset(cn, 'c', CSR_MAX_CN);
	cn[CSR_MAX_CN] = '\0';
	memset(org, 'o', CSR_MAX_ORG);
	org[CSR_MAX_ORG] = '\0';
	assert_int_equal(csr_make(cn, org, CSR_RSA_2048, &a), 0);
	check_req(&a, cn, org, EVP_PKEY_RSA, NID_sha256WithRSAEncryption);
	assert_int_equal(csr_make("Ladepunkt-Gr\xc3\xbcn", "Stadtwerke M\xc3\xbcnchen",
				  CSR_EC_P256, &b), 0);
	check_req(&b, "Ladepunkt-Gr\xc3\xbcn", "Stadtwerke M\xc3\xbcnchen", EVP_PKEY_EC,
		  NID_ecdsa_with_SHA256);
	csr_pending_free(&a);
	assert_int_equal(csr_make(cn, org, CSR_RSA_2048, &a), 0);
	csr_pending_free(&b);
	assert_int_equal(csr_make(cn, org, CSR_RSA_2048, &b), 0);
	assert_int_not_equal(EVP_PKEY_eq(a.key, b.key), 1);
	assert_string_not_equal(a.csr_pem, b.csr_pem);
	csr_pending_free(&a);
	csr_pending_free(&b);
}

static void test_csr_bad_names(void **state)
{
	(void)state;
	char longer[CSR_MAX_CN + 2];
	static const char *const bad_cn[] = { "", "a\nb", "tab\there", "nul\x7f" };
	struct csr_pending p;

	memset(longer, 'x', CSR_MAX_CN + 1);
	longer[CSR_MAX_CN + 1] = '\0';
	assert_int_equal(csr_make(longer, "CPO", CSR_EC_P256, &p), -EINVAL);
	assert_null(p.key);
	assert_int_equal(p.csr_len, 0);
	assert_string_equal(p.csr_pem, "");
	assert_int_equal(csr_make("CP", longer, CSR_EC_P256, &p), -EINVAL);
	assert_null(p.key);
	assert_int_equal(csr_make(NULL, "CPO", CSR_EC_P256, &p), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_cn) / sizeof(bad_cn[0]); i++)
		assert_int_equal(csr_make(bad_cn[i], NULL, CSR_EC_P256, &p), -EINVAL);
	assert_int_equal(csr_make("CP", "O\r\n", CSR_EC_P256, &p), -EINVAL);
	assert_int_equal(csr_make("CP", NULL, (enum csr_key_type)7, &p), -EINVAL);
	assert_null(p.key);
	csr_pending_free(&p);
}

/* A changed byte of the request breaks its signature (or its encoding):
 * the verification in check_req has teeth. */
static void test_csr_tampered(void **state)
{
	(void)state;
	struct csr_pending p;
	X509_REQ *req;
	char *body;

	assert_int_equal(csr_make("CP-0001", "CPO", CSR_RSA_2048, &p), 0);
	/* Well into the base64, past the subject: the public key bits. */
	body = strchr(p.csr_pem, '\n') + 200;
	*body = *body == 'A' ? 'B' : 'A';
	req = parse_req(p.csr_pem);
	if (req != NULL) {
		assert_int_not_equal(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1);
		X509_REQ_free(req);
	}
	csr_pending_free(&p);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static char *read_text(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	assert_non_null(k);
	return k;
}

/* Same private key: equal public parts and a signature by one verifies
 * with the other. */
static void assert_same_key(EVP_PKEY *a, EVP_PKEY *b)
{
	static const unsigned char msg[] = "BootNotification";
	unsigned char sig[256];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	assert_int_equal(EVP_PKEY_eq(a, b), 1);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, b), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &siglen, msg, sizeof(msg)), 1);
	EVP_MD_CTX_reset(ctx);
	assert_int_equal(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, a), 1);
	assert_int_equal(EVP_DigestVerify(ctx, sig, siglen, msg, sizeof(msg)), 1);
	EVP_MD_CTX_free(ctx);
}

static void test_key_round_trip(void **state)
{
	struct dir *d = *state;
	struct csr_pending p;
	EVP_PKEY *loaded = NULL;
	static const mode_t umasks[] = { 0, 022, 077, 0777 };

	assert_int_equal(csr_make("CP-0001", NULL, CSR_EC_P256, &p), 0);
	for (size_t i = 0; i < sizeof(umasks) / sizeof(umasks[0]); i++) {
		mode_t old = umask(umasks[i]);
		int rc = csr_key_save(p.key, d->key);

		umask(old);
		assert_int_equal(rc, 0);
		assert_int_equal(mode_of(d->key), 0600);
		assert_int_equal(csr_key_load(d->key, &loaded), 0);
		assert_same_key(p.key, loaded);
		EVP_PKEY_free(loaded);
	}
	/* PKCS#8, unencrypted. */
	assert_non_null(strstr(read_text(d->key), "-----BEGIN PRIVATE KEY-----\n"));
	assert_null(strstr(read_text(d->key), "ENCRYPTED"));
	csr_pending_free(&p);

	/* RSA too, and a read-only 0400 file is fine. */
	assert_int_equal(csr_make("CP-0001", NULL, CSR_RSA_2048, &p), 0);
	assert_int_equal(csr_key_save(p.key, d->key), 0);
	assert_int_equal(chmod(d->key, 0400), 0);
	assert_int_equal(csr_key_load(d->key, &loaded), 0);
	assert_same_key(p.key, loaded);
	EVP_PKEY_free(loaded);
	csr_pending_free(&p);
	assert_int_equal(access(d->key, F_OK), 0);
	{
		char tmp[128];

		snprintf(tmp, sizeof(tmp), "%s.tmp", d->key);
		assert_int_equal(access(tmp, F_OK), -1);
	}
}

static void test_key_permissions_refused(void **state)
{
	struct dir *d = *state;
	static const mode_t bad[] = { 0644, 0640, 0604, 0610, 0601, 0620, 0602, 0660 };
	EVP_PKEY *key = new_key(), *loaded = NULL;

	assert_int_equal(csr_key_save(key, d->key), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(d->key, bad[i]), 0);
		print_message("mode %04o\n", (unsigned)bad[i]);
		assert_int_equal(csr_key_load(d->key, &loaded), -EPERM);
		assert_null(loaded);
	}
	assert_int_equal(chmod(d->key, 0600), 0);
	assert_int_equal(csr_key_load(d->key, &loaded), 0);
	EVP_PKEY_free(loaded);
	EVP_PKEY_free(key);
}

static void test_key_load_garbage(void **state)
{
	struct dir *d = *state;
	EVP_PKEY *key = new_key(), *loaded = (EVP_PKEY *)1;
	char path[128], big[CP_MAX_KEY_PEM + 100];
	BIO *bio;
	BUF_MEM *mem;

	write_file(d->key, "hello", 5, 0600);
	assert_int_equal(csr_key_load(d->key, &loaded), -EINVAL);
	assert_null(loaded);
	write_file(d->key, "", 0, 0600);
	assert_int_equal(csr_key_load(d->key, &loaded), -EINVAL);
	/* A truncated key. */
	assert_int_equal(csr_key_save(key, d->key), 0);
	{
		char *text = read_text(d->key);

		write_file(d->key, text, strlen(text) / 2, 0600);
	}
	assert_int_equal(csr_key_load(d->key, &loaded), -EINVAL);
	/* An encrypted key: refused, no passphrase prompt. */
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(),
						       "secret", 6, NULL, NULL), 1);
	BIO_get_mem_ptr(bio, &mem);
	write_file(d->key, mem->data, mem->length, 0600);
	BIO_free(bio);
	assert_int_equal(csr_key_load(d->key, &loaded), -EINVAL);
	assert_null(loaded);
	/* Too large: refused before parsing. */
	memset(big, '\n', sizeof(big));
	write_file(d->key, big, sizeof(big), 0600);
	assert_int_equal(csr_key_load(d->key, &loaded), -EFBIG);
	/* Missing, a directory, a symbolic link. */
	snprintf(path, sizeof(path), "%s/none.key", d->path);
	assert_int_equal(csr_key_load(path, &loaded), -ENOENT);
	assert_int_equal(csr_key_load(d->path, &loaded), -EINVAL);
	assert_int_equal(csr_key_save(key, d->key), 0);
	snprintf(path, sizeof(path), "%s/link.key", d->path);
	assert_int_equal(symlink(d->key, path), 0);
	assert_int_equal(csr_key_load(path, &loaded), -EINVAL);
	assert_null(loaded);
	assert_int_equal(csr_key_save(NULL, d->key), -EINVAL);
	EVP_PKEY_free(key);
}

/* A failed save leaves the old key whole and no .tmp behind. */
static void test_key_atomic_replace(void **state)
{
	struct dir *d = *state;
	EVP_PKEY *a = new_key(), *b = new_key(), *loaded = NULL;
	char tmp[128], missing[128], before[8192];
	struct rlimit lim, small;

	assert_int_equal(csr_key_save(a, d->key), 0);
	strcpy(before, read_text(d->key));
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->key);

	/* 1. The write itself fails half-way (file size limit: EFBIG, as a
	 *    full disk would give ENOSPC). */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &lim), 0);
	small = lim;
	small.rlim_cur = 64;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(csr_key_save(b, d->key), -EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_string_equal(read_text(d->key), before);
	assert_int_equal(access(tmp, F_OK), -1);

	/* 2. The temporary file cannot be made (a directory in its way). */
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_true(csr_key_save(b, d->key) < 0);
	assert_string_equal(read_text(d->key), before);
	assert_int_equal(rmdir(tmp), 0);

	/* 3. Read-only directory (root may write anyway: only as a user). */
	if (geteuid() != 0) {
		assert_int_equal(chmod(d->path, 0500), 0);
		assert_int_equal(csr_key_save(b, d->key), -EACCES);
		assert_int_equal(chmod(d->path, 0700), 0);
		assert_string_equal(read_text(d->key), before);
	}

	/* 4. A path in a missing directory: nothing created. */
	snprintf(missing, sizeof(missing), "%s/no/cp.key", d->path);
	assert_int_equal(csr_key_save(b, missing), -ENOENT);

	assert_int_equal(csr_key_load(d->key, &loaded), 0);
	assert_same_key(a, loaded);
	EVP_PKEY_free(loaded);

	/* 5. A stale .tmp of an earlier crash does not block the next save,
	 *    which replaces the key. */
	write_file(tmp, "partial", 7, 0644);
	assert_int_equal(csr_key_save(b, d->key), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(mode_of(d->key), 0600);
	assert_int_equal(csr_key_load(d->key, &loaded), 0);
	assert_same_key(b, loaded);
	assert_int_not_equal(EVP_PKEY_eq(a, loaded), 1);
	EVP_PKEY_free(loaded);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

/* A self-signed certificate for key, PEM in buf. */
static void make_cert(EVP_PKEY *key, char *buf, size_t len)
{
	X509 *x = X509_new();
	BIO *bio = BIO_new(BIO_s_mem());
	BUF_MEM *mem;

	assert_non_null(x);
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"CP-0001", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509(bio, x), 1);
	BIO_get_mem_ptr(bio, &mem);
	assert_true(mem->length < len);
	memcpy(buf, mem->data, mem->length);
	buf[mem->length] = '\0';
	BIO_free(bio);
	X509_free(x);
}

static void test_key_matches_cert(void **state)
{
	(void)state;
	struct csr_pending mine, other, rsa;
	char cert[4096];

	assert_int_equal(csr_make("CP-0001", NULL, CSR_EC_P256, &mine), 0);
	assert_int_equal(csr_make("CP-0001", NULL, CSR_EC_P256, &other), 0);
	assert_int_equal(csr_make("CP-0001", NULL, CSR_RSA_2048, &rsa), 0);
	make_cert(mine.key, cert, sizeof(cert));
	assert_int_equal(csr_key_matches_cert(mine.key, cert), 1);
	assert_int_equal(csr_key_matches_cert(other.key, cert), 0);
	assert_int_equal(csr_key_matches_cert(rsa.key, cert), 0);
	assert_int_equal(csr_key_matches_cert(mine.key, "not a certificate"), -EINVAL);
	assert_int_equal(csr_key_matches_cert(mine.key, mine.csr_pem), -EINVAL);
	assert_int_equal(csr_key_matches_cert(NULL, cert), -EINVAL);
	assert_int_equal(csr_key_matches_cert(mine.key, NULL), -EINVAL);
	csr_pending_free(&mine);
	csr_pending_free(&other);
	csr_pending_free(&rsa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csr_ec),
		cmocka_unit_test(test_csr_rsa),
		cmocka_unit_test(test_csr_without_org),
		cmocka_unit_test(test_csr_longest_names_fresh_keys),
		cmocka_unit_test(test_csr_bad_names),
		cmocka_unit_test(test_csr_tampered),
		cmocka_unit_test_setup_teardown(test_key_round_trip, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_key_permissions_refused, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_key_load_garbage, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_key_atomic_replace, dir_setup,
						dir_teardown),
		cmocka_unit_test(test_key_matches_cert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
