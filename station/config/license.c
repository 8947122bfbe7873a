/*
 * license.c - Ed25519 feature license keys (format in license.h).
 *
 * Ed25519 rather than an HMAC: the station holds only the public key, so
 * reading a station's storage does not let anyone issue licenses.
 */
#include "station/config/license.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#define ED25519_KEY_LEN 32
#define ED25519_SIG_LEN 64
#define LICENSE_PREFIX "CPL1."

static const char *const feature_names[] = { "SLB", "ALB", "SCN" };
#define N_FEATURES (sizeof(feature_names) / sizeof(feature_names[0]))

unsigned license_imply(unsigned mask)
{
	if (mask & LICENSE_SCN)
		mask |= LICENSE_ALB;
	if (mask & LICENSE_ALB)
		mask |= LICENSE_SLB;
	return mask & LICENSE_ALL;
}

int license_format_features(unsigned mask, char sep, char *buf, size_t n)
{
	size_t len = 0;
	const char sepstr[2] = { sep, '\0' };

	if (n == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (unsigned i = 0; i < N_FEATURES; i++) {
		if (!(mask & (1u << i)))
			continue;
		int w = snprintf(buf + len, n - len, "%s%s", len ? sepstr : "",
				 feature_names[i]);
		if (w < 0 || (size_t)w >= n - len)
			return -ENOSPC;
		len += (size_t)w;
	}
	return (int)len;
}

int license_parse_features(const char *s, unsigned *mask)
{
	unsigned m = 0;

	while (*s) {
		size_t len = strcspn(s, ",+");
		unsigned bit = 0;

		for (unsigned i = 0; i < N_FEATURES; i++)
			if (len == 3 && strncasecmp(s, feature_names[i], 3) == 0)
				bit = 1u << i;
		if (!bit || (m & bit))
			return -EINVAL;
		m |= bit;
		s += len;
		if (*s) {
			s++;
			if (!*s)	/* a trailing separator */
				return -EINVAL;
		}
	}
	*mask = m;
	return 0;
}

/* base64url without padding; the decoder also takes the standard alphabet
 * and '=' padding so a key copied from `openssl base64` works. */
static const char b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

static int b64_encode(const uint8_t *in, size_t len, char *out, size_t n)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			if (o + 1 >= n)
				return -ENOSPC;
			out[o++] = b64url[(acc >> bits) & 63];
		}
	}
	if (bits > 0) {
		if (o + 1 >= n)
			return -ENOSPC;
		out[o++] = b64url[(acc << (6 - bits)) & 63];
	}
	out[o] = '\0';
	return (int)o;
}

/* Decodes exactly want bytes from the first len chars of s. */
static int b64_decode(const char *s, size_t len, uint8_t *out, size_t want)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value(s[i]);

		if (v < 0)
			return -EINVAL;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= want)
				return -EINVAL;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero padding of the last character. */
	if (o != want || (acc & ((1u << bits) - 1)) != 0)
		return -EINVAL;
	return 0;
}

static int build_message(const char *cp_id, unsigned mask, char *buf, size_t n)
{
	char canon[16];

	if (license_format_features(mask, '+', canon, sizeof(canon)) < 0)
		return -EINVAL;
	int w = snprintf(buf, n, "ocpp-cp license v1\n%s\n%s\n", cp_id, canon);
	if (w < 0 || (size_t)w >= n)
		return -ENOSPC;
	return w;
}

int license_check_public_key(const char *pub)
{
	uint8_t raw[ED25519_KEY_LEN];

	return b64_decode(pub, strlen(pub), raw, sizeof(raw));
}

int license_verify(const char *pub, const char *charge_point_id,
		   const char *key, unsigned *mask)
{
	uint8_t raw[ED25519_KEY_LEN], sig[ED25519_SIG_LEN];
	char msg[256];
	char feats[16];
	unsigned m;
	int msg_len, rc = -EINVAL;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md = NULL;

	if (b64_decode(pub, strlen(pub), raw, sizeof(raw)) < 0)
		return -EINVAL;
	if (strncmp(key, LICENSE_PREFIX, strlen(LICENSE_PREFIX)) != 0)
		return -EINVAL;
	key += strlen(LICENSE_PREFIX);
	const char *dot = strchr(key, '.');
	if (!dot || (size_t)(dot - key) >= sizeof(feats))
		return -EINVAL;
	memcpy(feats, key, (size_t)(dot - key));
	feats[dot - key] = '\0';
	if (license_parse_features(feats, &m) < 0 || m == 0)
		return -EINVAL;
	if (b64_decode(dot + 1, strlen(dot + 1), sig, sizeof(sig)) < 0)
		return -EINVAL;
	msg_len = build_message(charge_point_id, m, msg, sizeof(msg));
	if (msg_len < 0)
		return -EINVAL;

	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, sizeof(raw));
	md = EVP_MD_CTX_new();
	if (!pkey || !md) {
		rc = pkey ? -ENOMEM : -EINVAL;
		goto out;
	}
	if (EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) != 1) {
		rc = -EINVAL;
		goto out;
	}
	if (EVP_DigestVerify(md, sig, sizeof(sig), (const uint8_t *)msg,
			     (size_t)msg_len) != 1) {
		rc = -EKEYREJECTED;
		goto out;
	}
	*mask = m;
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	return rc;
}

int license_issue(const char *priv, const char *charge_point_id,
		  unsigned mask, char *out, size_t n)
{
	uint8_t seed[ED25519_KEY_LEN], sig[ED25519_SIG_LEN];
	size_t sig_len = sizeof(sig);
	char msg[256], feats[16], sig_txt[96];
	int msg_len, rc = -EINVAL;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md = NULL;

	if (mask == 0 || (mask & ~LICENSE_ALL))
		return -EINVAL;
	if (b64_decode(priv, strlen(priv), seed, sizeof(seed)) < 0)
		return -EINVAL;
	msg_len = build_message(charge_point_id, mask, msg, sizeof(msg));
	if (msg_len < 0)
		return msg_len;
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, sizeof(seed));
	md = EVP_MD_CTX_new();
	if (!pkey || !md)
		goto out;
	if (EVP_DigestSignInit(md, NULL, NULL, NULL, pkey) != 1 ||
	    EVP_DigestSign(md, sig, &sig_len, (const uint8_t *)msg, (size_t)msg_len) != 1)
		goto out;
	license_format_features(mask, '+', feats, sizeof(feats));
	b64_encode(sig, sig_len, sig_txt, sizeof(sig_txt));
	rc = snprintf(out, n, LICENSE_PREFIX "%s.%s", feats, sig_txt);
	if (rc < 0 || (size_t)rc >= n)
		rc = -ENOSPC;
out:
	OPENSSL_cleanse(seed, sizeof(seed));
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pkey);
	return rc;
}

int license_generate_keypair(char *pub, size_t pub_n, char *priv, size_t priv_n)
{
	uint8_t raw_pub[ED25519_KEY_LEN], raw_priv[ED25519_KEY_LEN];
	size_t pub_len = sizeof(raw_pub), priv_len = sizeof(raw_priv);
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	int rc = -EIO;

	if (!pctx || EVP_PKEY_keygen_init(pctx) != 1 ||
	    EVP_PKEY_keygen(pctx, &pkey) != 1)
		goto out;
	if (EVP_PKEY_get_raw_public_key(pkey, raw_pub, &pub_len) != 1 ||
	    EVP_PKEY_get_raw_private_key(pkey, raw_priv, &priv_len) != 1)
		goto out;
	if (b64_encode(raw_pub, pub_len, pub, pub_n) < 0 ||
	    b64_encode(raw_priv, priv_len, priv, priv_n) < 0) {
		rc = -ENOSPC;
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(raw_priv, sizeof(raw_priv));
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(pctx);
	return rc;
}
