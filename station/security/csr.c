/*
 * csr.c - key pair, PKCS#10 request and private key file (csr.h).
 *
 * OpenSSL 3 only: EVP_PKEY_Q_keygen and EVP_PKEY_eq.  Nothing here logs;
 * errors are negative errno values.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "station/security/csr.h"

/* RFC 5280 names are text: no control characters (a NUL or a newline in a
 * subject is an injection, not an identity). */
static bool csr_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

static EVP_PKEY *csr_keygen(enum csr_key_type type)
{
	switch (type) {
	case CSR_EC_P256:
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	case CSR_RSA_2048:
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	}
	return NULL;
}

int csr_make(const char *cn, const char *org, enum csr_key_type type,
	     struct csr_pending *out)
{
	X509_REQ *req = NULL;
	X509_NAME *name;
	BIO *bio = NULL;
	BUF_MEM *mem;
	int rc = -ENOMEM;

	out->key = NULL;
	out->csr_len = 0;
	out->csr_pem[0] = '\0';
	if (cn == NULL || cn[0] == '\0' || !csr_name_ok(cn, CSR_MAX_CN))
		return -EINVAL;
	if (org != NULL && !csr_name_ok(org, CSR_MAX_ORG))
		return -EINVAL;
	if (type != CSR_EC_P256 && type != CSR_RSA_2048)
		return -EINVAL;

	if ((out->key = csr_keygen(type)) == NULL)
		goto fail;
	if ((req = X509_REQ_new()) == NULL)
		goto fail;
	rc = -EIO;
	/* PKCS#10 version 1, encoded as 0 (RFC 2986 4.1). */
	if (!X509_REQ_set_version(req, X509_REQ_VERSION_1))
		goto fail;
	name = X509_REQ_get_subject_name(req);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0))
		goto fail;
	if (org != NULL && org[0] != '\0' &&
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
					(const unsigned char *)org, -1, -1, 0))
		goto fail;
	if (!X509_REQ_set_pubkey(req, out->key))
		goto fail;
	if (X509_REQ_sign(req, out->key, EVP_sha256()) <= 0)
		goto fail;

	rc = -ENOMEM;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto fail;
	rc = -EIO;
	if (!PEM_write_bio_X509_REQ(bio, req))
		goto fail;
	BIO_get_mem_ptr(bio, &mem);
	if (mem->length > CP_MAX_CSR_PEM) {
		rc = -ENOSPC;
		goto fail;
	}
	memcpy(out->csr_pem, mem->data, mem->length);
	out->csr_pem[mem->length] = '\0';
	out->csr_len = mem->length;
	BIO_free(bio);
	X509_REQ_free(req);
	return 0;

fail:
	ERR_clear_error();
	BIO_free(bio);
	X509_REQ_free(req);
	EVP_PKEY_free(out->key);
	out->key = NULL;
	out->csr_len = 0;
	out->csr_pem[0] = '\0';
	return rc;
}

void csr_pending_free(struct csr_pending *p)
{
	if (p == NULL)
		return;
	EVP_PKEY_free(p->key);
	p->key = NULL;
	p->csr_len = 0;
	p->csr_pem[0] = '\0';
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding path, so the rename is durable. */
static int fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd, rc = 0;

	if (slash == NULL) {
		strcpy(dir, ".");
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (fsync(fd) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int csr_key_save(EVP_PKEY *key, const char *path)
{
	char tmp[PATH_MAX];
	BIO *bio = NULL;
	BUF_MEM *mem;
	int fd = -1, rc;

	if (key == NULL || path == NULL || path[0] == '\0')
		return -EINVAL;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;

	/* The PEM text goes through a secure-memory BIO, cleared when freed. */
	if ((bio = BIO_new(BIO_s_secmem())) == NULL)
		return -ENOMEM;
	if (!PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
		rc = -EINVAL;
		goto out;
	}
	BIO_get_mem_ptr(bio, &mem);

	/* A stale path.tmp from a crash would make O_EXCL fail for ever;
	 * unlink removes a link, never what it points to. */
	if (unlink(tmp) < 0 && errno != ENOENT) {
		rc = -errno;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	/* open's mode is filtered by the umask; fchmod is not. */
	if (fchmod(fd, 0600) < 0) {
		rc = -errno;
		goto out_unlink;
	}
	if ((rc = write_all(fd, mem->data, mem->length)) < 0)
		goto out_unlink;
	if (fsync(fd) < 0) {
		rc = -errno;
		goto out_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = -errno;
		goto out_unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		rc = -errno;
		goto out_unlink;
	}
	/* The new key is in place; a failed directory fsync only means the
	 * rename may not survive a power cut, which the caller should know. */
	rc = fsync_parent(path);
	goto out;

out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	BIO_free(bio);
	return rc;
}

/* Encrypted keys are refused: the station has no passphrase to give, and
 * OpenSSL's default callback would prompt on a terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int csr_key_load(const char *path, EVP_PKEY **out)
{
	char *buf = NULL;
	struct stat st;
	size_t got = 0;
	BIO *bio = NULL;
	int fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ELOOP ? -EINVAL : -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		rc = -EPERM;
		goto out;
	}
	if (st.st_size > CP_MAX_KEY_PEM) {
		rc = -EFBIG;
		goto out;
	}
	if ((buf = OPENSSL_secure_malloc(CP_MAX_KEY_PEM + 1)) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	/* Read to end of file, whatever st_size said (it may have grown). */
	for (;;) {
		ssize_t n = read(fd, buf + got, CP_MAX_KEY_PEM + 1 - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > CP_MAX_KEY_PEM) {
			rc = -EFBIG;
			goto out;
		}
	}
	if ((bio = BIO_new_mem_buf(buf, (int)got)) == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	*out = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	/* The reasons stay in OpenSSL's error queue; drop them so a later
	 * unrelated check does not report them. */
	ERR_clear_error();
	rc = *out != NULL ? 0 : -EINVAL;
out:
	BIO_free(bio);
	if (buf != NULL)
		OPENSSL_secure_clear_free(buf, CP_MAX_KEY_PEM + 1);
	close(fd);
	return rc;
}

int csr_key_matches_cert(EVP_PKEY *key, const char *cert_pem)
{
	X509 *cert;
	BIO *bio;
	int rc;

	if (key == NULL || cert_pem == NULL)
		return -EINVAL;
	if ((bio = BIO_new_mem_buf(cert_pem, -1)) == NULL)
		return -ENOMEM;
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (cert == NULL) {
		ERR_clear_error();
		return -EINVAL;
	}
	/* EVP_PKEY_eq compares the public parts only: 1 equal, 0 different,
	 * negative for different key types (also "does not match"). */
	rc = EVP_PKEY_eq(key, X509_get0_pubkey(cert)) == 1 ? 1 : 0;
	X509_free(cert);
	return rc;
}
