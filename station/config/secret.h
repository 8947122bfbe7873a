/*
 * secret.h - a password kept as a salted hash (PBKDF2-HMAC-SHA256, RFC 8018
 * §5.2), for configuration keys whose value is a password the station only
 * has to check (Installer-Password): the store never holds the password.
 *
 * Text form: "pbkdf2-sha256$ITERATIONS$SALT$HASH", SALT (16 bytes) and HASH
 * (32 bytes) in base64 without padding.
 */
#ifndef STATION_CONFIG_SECRET_H
#define STATION_CONFIG_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_PREFIX "pbkdf2-sha256$"
/* Iterations: about 30 ms on the dev VM (bench_secret); the daemon caches a
 * verified Authorization header, so the cost is paid once per password. */
#define SECRET_ITERATIONS 100000
/* Longest text form (prefix, 7 digits, 22 + 43 base64 characters, '$'s). */
#define SECRET_TEXT_MAX 100

/* Whether text has the hash's form (not whether it is a good hash). */
bool secret_is_hash(const char *text);
/* Hashes password with a fresh random salt into out (n >= SECRET_TEXT_MAX
 * + 1).  0, -EINVAL or -EIO (no randomness / OpenSSL failed). */
int secret_hash(const char *password, int iterations, char *out, size_t n);
/* 1 when password matches hash, 0 when not, -EINVAL for a malformed hash.
 * The comparison takes the same time wherever the bytes differ. */
int secret_verify(const char *password, const char *hash);

#endif
