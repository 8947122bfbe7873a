/*
 * fuzz_csr.c - libFuzzer target: what the certificate management flow
 * (OCPP 1.6 Security Whitepaper edition 3) reads from outside, in
 * station/security/csr.c.
 *
 * Input: any bytes, read twice:
 *   - as the certificate of CertificateSigned.req (the Central System's
 *     text), checked against a fixed key with csr_key_matches_cert: the
 *     answer is 1, 0 or -EINVAL, and 1 only for a certificate of that key
 *     (the seed has none, so any 1 aborts);
 *   - as the private key file, through csr_key_load from a 0600 file: 0
 *     with a key, or a negative errno with none.
 * A broken promise aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "station/security/csr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, int rc)
{
	fprintf(stderr, "fuzz_csr: %s (%d)\n", what, rc);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8193];
	static char path[64];
	static EVP_PKEY *key;
	EVP_PKEY *loaded = NULL;
	int rc, fd;

	if (key == NULL) {
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
		snprintf(path, sizeof(path), "/tmp/fuzz_csr.%ld.key", (long)getpid());
		if (key == NULL)
			fail("keygen", 0);
	}
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';

	/* A key made here cannot have been certified by anyone. */
	rc = csr_key_matches_cert(key, text);
	if (rc != 0 && rc != -EINVAL)
		fail("csr_key_matches_cert", rc);

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		fail("temporary key file", -errno);
	close(fd);
	rc = csr_key_load(path, &loaded);
	if ((rc == 0) != (loaded != NULL) || (rc != 0 && rc != -EINVAL && rc != -EFBIG))
		fail("csr_key_load", rc);
	EVP_PKEY_free(loaded);
	unlink(path);
	return 0;
}
