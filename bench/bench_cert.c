/*
 * bench_cert.c - how long the certificate checks take (station/security/
 * cert.c): hash data of a root, the InstallCertificate parse check, a
 * CertificateSigned chain check (leaf, intermediate, root) and the signed
 * firmware check, whose cost per megabyte decides how long a large image
 * holds the worker.  The PKI is made at start with OpenSSL (EC P-256 CAs,
 * RSA 2048 and EC P-256 signers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "station/security/cert.h"

#define NOW ((int64_t)1767225600)
#define MB (1024 * 1024)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static X509 *mk(const char *cn, EVP_PKEY *k, X509 *is, EVP_PKEY *ik, int ca)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX c;
	X509_EXTENSION *e;

	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_NAME_free(n);
	X509_set_issuer_name(x, X509_get_subject_name(is ? is : x));
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(NOW - 86400));
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(NOW + 86400));
	X509_set_pubkey(x, k);
	X509V3_set_ctx(&c, is ? is : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &c, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	X509_sign(x, ik ? ik : k, EVP_sha256());
	return x;
}

static char *pem(X509 *a, X509 *b)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s;
	long n;

	PEM_write_bio_X509(bio, a);
	if (b)
		PEM_write_bio_X509(bio, b);
	n = BIO_get_mem_data(bio, &p);
	s = malloc((size_t)n + 1);
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	BIO_free(bio);
	return s;
}

static char *sign(EVP_PKEY *k, const uint8_t *d, size_t n)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t sig[1024];
	size_t len = sizeof(sig);
	char *s = malloc(2048);

	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k);
	EVP_DigestSign(md, sig, &len, d, n);
	EVP_MD_CTX_free(md);
	EVP_EncodeBlock((unsigned char *)s, sig, (int)len);
	return s;
}

int main(void)
{
	EVP_PKEY *rk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *ik = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *lk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	X509 *r = mk("Root", rk, NULL, NULL, 1), *i = mk("Intermediate", ik, r, rk, 1);
	X509 *l = mk("CP001", lk, i, ik, 0), *rs = mk("Firmware RSA", rsa, r, rk, 0);
	X509 *es = mk("Firmware EC", lk, r, rk, 0);
	char *root = pem(r, NULL), *chain = pem(l, i), *rsa_signer = pem(rs, NULL);
	char *ec_signer = pem(es, NULL);
	const char *roots[] = { root };
	size_t fw_len = 16 * MB;
	uint8_t *fw = malloc(fw_len);
	char *rsa_sig, *ec_sig;
	struct cert_hash_data h;
	enum cert_problem why;
	double t;
	int n = 2000;

	for (size_t k = 0; k < fw_len; k++)
		fw[k] = (uint8_t)(k * 131);
	rsa_sig = sign(rsa, fw, fw_len);
	ec_sig = sign(lk, fw, fw_len);

	t = now_s();
	for (int k = 0; k < n; k++)
		if (cert_hash_data(root, &h) != 0)
			return 1;
	printf("cert_hash_data (P-256 root):          %8.1f us\n", (now_s() - t) / n * 1e6);
	t = now_s();
	for (int k = 0; k < n; k++)
		if (cert_parse_check(root, NOW, &why) != 0)
			return 1;
	printf("cert_parse_check (P-256 root):        %8.1f us\n", (now_s() - t) / n * 1e6);
	t = now_s();
	for (int k = 0; k < n; k++)
		if (cert_chain_check(chain, roots, 1, lk, NOW, 3, &why) != 0)
			return 1;
	printf("cert_chain_check (leaf+int to root):  %8.1f us\n", (now_s() - t) / n * 1e6);
	t = now_s();
	for (int k = 0; k < 4; k++)
		if (cert_verify_signature(rsa_signer, roots, 1, NOW, rsa_sig, fw, fw_len, &why) != 0)
			return 1;
	t = (now_s() - t) / 4;
	printf("cert_verify_signature RSA, 16 MiB:    %8.1f ms (%.0f MiB/s)\n", t * 1e3, 16 / t);
	t = now_s();
	for (int k = 0; k < 4; k++)
		if (cert_verify_signature(ec_signer, roots, 1, NOW, ec_sig, fw, fw_len, &why) != 0)
			return 1;
	t = (now_s() - t) / 4;
	printf("cert_verify_signature ECDSA, 16 MiB:  %8.1f ms (%.0f MiB/s)\n", t * 1e3, 16 / t);

	free(fw);
	free(rsa_sig);
	free(ec_sig);
	free(root);
	free(chain);
	free(rsa_signer);
	free(ec_signer);
	X509_free(r);
	X509_free(i);
	X509_free(l);
	X509_free(rs);
	X509_free(es);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(rsa);
	return 0;
}
