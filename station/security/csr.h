/*
 * csr.h - the station's key pair, its certificate signing request and the
 * private key file (OCPP 1.6 Security Whitepaper edition 3, certificate
 * management: "Update Charge Point certificate by request of Central
 * System").
 *
 * The flow: ExtendedTriggerMessage(SignChargePointCertificate) or a
 * certificate about to expire makes the station generate a new key pair and
 * send its PKCS#10 request in SignCertificate.req; the Central System answers
 * later with CertificateSigned.req.  Until then the new key lives only in a
 * struct csr_pending (memory): the key in use for security profile 3 stays
 * untouched.  When the signed certificate arrives and csr_key_matches_cert
 * says it belongs to the pending key, the station saves that key with
 * csr_key_save and switches to key and certificate together.
 *
 * The request's subject, as the whitepaper's certificate properties ask
 * for the Charge Point certificate: commonName = the charge point identity
 * (the last path element of the Central System URL), organizationName = the
 * CpoName configuration key when set.  Signed with SHA-256 (ECDSA on P-256,
 * or RSA PKCS#1 v1.5 with 2048 bits, the whitepaper's minimum for RSA).
 *
 * Key material is never logged: these functions log nothing at all, and
 * their errors say what failed, not what was in the file.
 *
 * Errors are 0 or a negative errno value.
 */
#ifndef STATION_SECURITY_CSR_H
#define STATION_SECURITY_CSR_H

#include <openssl/evp.h>

#include "cp_limits.h"

/* X.509 upper bounds (RFC 5280 appendix A.1, ub-common-name and
 * ub-organization-name): 64 characters.  Counted here in bytes, which is
 * stricter for non-ASCII names. */
#define CSR_MAX_CN 64
#define CSR_MAX_ORG 64

enum csr_key_type {
	CSR_EC_P256 = 0,	/* default: short requests, fast handshakes */
	CSR_RSA_2048,
};

/*
 * A request in flight.  Owns key (free with csr_pending_free); csr_pem is
 * the NUL-terminated PEM text, csr_len its length without the NUL (at most
 * CP_MAX_CSR_PEM, the schema's maxLength).
 */
struct csr_pending {
	EVP_PKEY *key;
	size_t csr_len;
	char csr_pem[CP_MAX_CSR_PEM + 1];
};

/*
 * Generate a fresh key pair of type and a PKCS#10 request for it with
 * subject CN=cn (and O=org when org is neither NULL nor ""), signed with
 * SHA-256.  *out is overwritten (free an earlier one first).
 * Returns 0, -EINVAL (cn NULL or empty, cn or org longer than CSR_MAX_CN /
 * CSR_MAX_ORG or holding a control character, unknown type), -ENOSPC (the
 * PEM exceeds CP_MAX_CSR_PEM) or -ENOMEM / -EIO (OpenSSL failed).  On
 * error *out holds no key.
 */
int csr_make(const char *cn, const char *org, enum csr_key_type type,
	     struct csr_pending *out);

/* Free the key and clear the request.  NULL and a cleared one are fine. */
void csr_pending_free(struct csr_pending *p);

/*
 * Write key's private key, PEM PKCS#8 unencrypted, to path, atomically:
 * path.tmp is created with O_CREAT|O_EXCL, mode 0600 (set with fchmod too,
 * so no umask can widen or narrow it), written, fsynced, renamed over path,
 * and the directory fsynced.  A stale path.tmp (an earlier crash) is removed
 * first.  On any failure before the rename path is left as it was and
 * path.tmp removed; a failure of the directory's fsync after it is returned
 * too, with the new key in place (it may not survive a power cut).
 * Returns 0, -EINVAL (key NULL or no private key), or the failing call's
 * -errno.
 */
int csr_key_save(EVP_PKEY *key, const char *path);

/*
 * Read the private key at path into *out (the caller frees it with
 * EVP_PKEY_free).
 *
 * A file with any group or other permission bit set is refused with -EPERM
 * without being read: it is the private key of security profile 3, the
 * station's identity to the Central System.  Anyone who could read it could
 * impersonate the station, and a key that has been exposed that way must be
 * replaced (a new CSR), not used.  The same check OpenSSH makes of its
 * private keys.  Symbolic links are not followed.
 *
 * Returns 0, -EPERM, -EINVAL (not a regular file, not a PEM private key, an
 * encrypted key: the station has no passphrase), -EFBIG (larger than
 * CP_MAX_KEY_PEM) or the failing call's -errno (-ENOENT...).
 */
int csr_key_load(const char *path, EVP_PKEY **out);

/*
 * Whether the first certificate in cert_pem carries key's public key
 * (CertificateSigned.req: the certificate must belong to the pending key).
 * Returns 1 (it does), 0 (it does not) or -EINVAL (key NULL, cert_pem not
 * a PEM certificate).
 */
int csr_key_matches_cert(EVP_PKEY *key, const char *cert_pem);

#endif
