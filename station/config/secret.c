/*
 * secret.c - salted password hashes (secret.h), on OpenSSL's PBKDF2.
 */
#include "station/config/secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define SALT_LEN 16
#define HASH_LEN 32
/* Iterations a stored hash may name: a forged huge count must not stall
 * the loop, a tiny one must not pass for a hash. */
#define ITER_MIN 1000
#define ITER_MAX 10000000

bool secret_is_hash(const char *text)
{
	return text && strncmp(text, SECRET_PREFIX, strlen(SECRET_PREFIX)) == 0;
}

/* base64 without padding (RFC 4648 §4, "=" dropped as §3.2 allows). */
static void b64(const unsigned char *in, int len, char *out)
{
	char tmp[64];
	int n = EVP_EncodeBlock((unsigned char *)tmp, in, len);

	while (n > 0 && tmp[n - 1] == '=')
		n--;
	memcpy(out, tmp, (size_t)n);
	out[n] = '\0';
}

static int unb64(const char *in, size_t len, unsigned char *out, int want)
{
	char tmp[64];
	unsigned char dec[64];
	size_t padded = (len + 3) / 4 * 4;
	int n;

	if (len == 0 || padded >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, in, len);
	memset(tmp + len, '=', padded - len);
	tmp[padded] = '\0';
	n = EVP_DecodeBlock(dec, (unsigned char *)tmp, (int)padded);
	if (n < 0)
		return -EINVAL;
	n -= (int)(padded - len);	/* the padding we added decodes to zeros */
	if (n != want)
		return -EINVAL;
	memcpy(out, dec, (size_t)want);
	return 0;
}

static int derive(const char *pw, const unsigned char *salt, int iter, unsigned char *out)
{
	return PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, SALT_LEN, iter, EVP_sha256(),
	    HASH_LEN, out) == 1 ? 0 : -EIO;
}

int secret_hash(const char *password, int iterations, char *out, size_t n)
{
	unsigned char salt[SALT_LEN], hash[HASH_LEN];
	char s64[32], h64[48];

	if (!password || !out || n < SECRET_TEXT_MAX + 1 || iterations < ITER_MIN ||
	    iterations > ITER_MAX)
		return -EINVAL;
	if (RAND_bytes(salt, SALT_LEN) != 1 || derive(password, salt, iterations, hash) < 0)
		return -EIO;
	b64(salt, SALT_LEN, s64);
	b64(hash, HASH_LEN, h64);
	snprintf(out, n, SECRET_PREFIX "%d$%s$%s", iterations, s64, h64);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

int secret_verify(const char *password, const char *hash)
{
	unsigned char salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
	const char *p, *d1, *d2;
	char *end;
	long iter;
	int rc;

	if (!password || !secret_is_hash(hash))
		return -EINVAL;
	p = hash + strlen(SECRET_PREFIX);
	iter = strtol(p, &end, 10);
	if (end == p || *end != '$' || iter < ITER_MIN || iter > ITER_MAX)
		return -EINVAL;
	d1 = end + 1;
	d2 = strchr(d1, '$');
	if (!d2 || unb64(d1, (size_t)(d2 - d1), salt, SALT_LEN) < 0 ||
	    unb64(d2 + 1, strlen(d2 + 1), want, HASH_LEN) < 0)
		return -EINVAL;
	if (derive(password, salt, (int)iter, got) < 0)
		return -EIO;
	rc = CRYPTO_memcmp(got, want, HASH_LEN) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	return rc;
}
