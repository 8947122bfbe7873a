/*
 * fuzz_cert.c - libFuzzer target: the certificate checks of the OCPP 1.6
 * Security Whitepaper (station/security/cert.c) on any text.
 *
 * Input: PEM-ish text, seeded with a root, an RSA root and chains valid at
 * the fixed NOW below.  The input is read as InstallCertificate's
 * certificate, as CertificateSigned's chain (with no roots and with itself
 * as the roots), and as a firmware signing certificate whose signature is
 * whatever follows the last PEM block.  Checked:
 *   - every call returns 0 with CERT_OK or a negative code with a reason;
 *   - a self-signed certificate cert_parse_check() accepts has hash data,
 *     and that hash data matches it;
 *   - a chain that verifies to roots is consistent on its own as well.
 * A disagreement aborts: the fuzzer keeps the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station/security/cert.h"

/* 2026-01-01T00:00:00Z: the seeds are valid 2025..2036. */
#define NOW ((int64_t)1767225600)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_cert: %s\n", what);
	abort();
}

static void check_rc(int rc, enum cert_problem why)
{
	if ((unsigned)why >= CERT_PROBLEM_COUNT)
		fail("reason out of range");
	if ((rc == 0) != (why == CERT_OK))
		fail("return code and reason disagree");
	if (rc != 0 && rc != -EINVAL && rc != -ENOMEM)
		fail("unexpected return code");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8193];
	static const uint8_t firmware[] = "firmware image";
	struct cert_hash_data h;
	enum cert_problem why;
	const char *roots[1] = { text };
	const char *sig, *end;
	int rc;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';

	rc = cert_parse_check(text, NOW, &why);
	check_rc(rc, why);
	if (rc == 0) {
		/* -EINVAL only for a CA that is not self-signed (its issuer
		 * is not in the input): the serial was checked. */
		rc = cert_hash_data(text, &h);
		if (rc != 0 && rc != -EINVAL)
			fail("an accepted certificate has no hash data");
		if (rc == 0 && (strlen(h.issuer_name_hash) != 64 ||
				strlen(h.issuer_key_hash) != 64 || h.serial_number[0] == '\0'))
			fail("hash data of the wrong length");
		if (rc == 0 && cert_match_hash(text, &h) != 1)
			fail("hash data does not match its certificate");
	} else {
		rc = cert_hash_data(text, &h);
		if (rc != 0 && rc != -EINVAL && rc != -ERANGE && rc != -ENOMEM)
			fail("unexpected hash data return code");
	}

	rc = cert_chain_check(text, roots, 1, NULL, NOW, 4, &why);
	check_rc(rc, why);
	if (rc == 0) {
		rc = cert_chain_check(text, NULL, 0, NULL, NOW, 4, &why);
		if (rc != 0)
			fail("a chain that verifies is not consistent");
	} else {
		rc = cert_chain_check(text, NULL, 0, NULL, NOW, 4, &why);
		check_rc(rc, why);
	}

	end = NULL;
	for (const char *p = strstr(text, "-----END"); p; p = strstr(p + 1, "-----END"))
		end = p;
	sig = end ? strchr(end + 1, '\n') : NULL;
	sig = sig ? sig + 1 : "";
	rc = cert_verify_signature(text, roots, 1, NOW, sig, firmware, sizeof(firmware), &why);
	check_rc(rc, why);
	return 0;
}
