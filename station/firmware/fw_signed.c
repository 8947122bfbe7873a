/*
 * fw_signed.c - SignedUpdateFirmware in the daemon (OCPP 1.6 Security
 * Whitepaper, edition 3, use case "Secure Firmware Update").
 *
 * The request carries the image's location, a signing certificate and a
 * signature.  Before anything is downloaded the certificate must chain to
 * an installed ManufacturerRootCertificate at the station's time; if it
 * does not, the answer is InvalidCertificate, the security event
 * InvalidFirmwareSigningCertificate is raised and the job that may run goes
 * on untouched.  Otherwise the firmware job (fw_core.c) downloads the image
 * with the same retries as UpdateFirmware, the worker process checks the
 * signature over the file (fw_verify_file, below: SHA-256 with the
 * certificate's RSA or EC key), and only a verified image is installed.
 * docs/firmware.md tells the whole flow.
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp_json.h"
#include "cp_log.h"
#include "station/firmware/firmware_int.h"
#include "station/security/cert.h"
#include "station/security/sec.h"

#define TAG "firmware"

/* Bytes hashed per read: the worker reads the image in pieces, so an image
 * of any size needs no more memory than this. */
#define VERIFY_CHUNK 16384

static void say(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	/* One line: the reason travels over the worker pipe as a line. */
	for (char *p = why; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

int fw_verify_file(const char *path, const char *cert_pem, const char *const *roots,
    size_t n_roots, int64_t now, const char *signature_b64, char *why, size_t whylen)
{
	struct cert_verify_ctx ctx;
	enum cert_problem p = CERT_OK;
	uint8_t buf[VERIFY_CHUNK];
	long long total = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		say(why, whylen, "cannot read the image: %s", strerror(errno));
		return rc;
	}
	/* The certificate is checked again: a root may have been deleted
	 * since the request was accepted. */
	rc = cert_verify_init(&ctx, cert_pem, roots, n_roots, now, signature_b64, &p);
	if (rc < 0) {
		close(fd);
		say(why, whylen, "%s: the signing certificate or signature is not usable",
		    cert_problem_name(p));
		return rc;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			say(why, whylen, "reading the image: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		rc = cert_verify_update(&ctx, buf, (size_t)n);
		if (rc < 0) {
			say(why, whylen, "%s: hashing the image failed", cert_problem_name(CERT_INTERNAL));
			break;
		}
		total += n;
	}
	close(fd);
	if (rc < 0) {
		cert_verify_abort(&ctx);
		return rc;
	}
	rc = cert_verify_final(&ctx, &p);
	if (rc < 0)
		say(why, whylen, "%s: the signature does not verify over the %lld-byte image",
		    cert_problem_name(p), total);
	else
		say(why, whylen, "signature verified over %lld bytes", total);
	return rc;
}

static cJSON *answer(const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	return r;
}

/*
 * The signing certificate against the installed ManufacturerRootCertificates
 * at `now`.  0: trusted.  -EINVAL: not trusted (*problem says why).
 * -EBADMSG: the certificate is fine but the signature is not base64 of a
 * usable length.  Another negative errno: the check could not be made.
 */
static int check_signer(struct station *s, const char *cert, const char *sig, cp_utc_t now,
    enum cert_problem *problem)
{
	struct cert_verify_ctx ctx;
	char **roots = NULL;
	size_t n = 0;
	int rc;

	rc = st_sec_pems(s, ST_CERT_MF_ROOT, &roots, &n);
	if (rc < 0)
		return rc;
	rc = cert_verify_init(&ctx, cert, (const char *const *)roots, n, now.s, sig, problem);
	st_sec_pems_free(roots, n);
	if (rc == 0) {
		cert_verify_abort(&ctx);	/* the image is hashed later, in the worker */
		return 0;
	}
	if (*problem == CERT_BAD_SIGNATURE)
		return -EBADMSG;
	if (*problem == CERT_INTERNAL)
		return -ENOMEM;
	return -EINVAL;
}

int st_fw_handle_signed_update_firmware(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct fw_job *j = &s->fw.job[FW_KIND_FIRMWARE];
	const cJSON *fw = cJSON_GetObjectItem(req, "firmware");
	const char *location = cJSON_GetStringValue(cJSON_GetObjectItem(fw, "location"));
	const char *retrieve = cJSON_GetStringValue(cJSON_GetObjectItem(fw, "retrieveDateTime"));
	const char *install = cJSON_GetStringValue(cJSON_GetObjectItem(fw, "installDateTime"));
	const char *cert = cJSON_GetStringValue(cJSON_GetObjectItem(fw, "signingCertificate"));
	const char *sig = cJSON_GetStringValue(cJSON_GetObjectItem(fw, "signature"));
	char path[CP_MAX_PATH + 1], info[STORE_SECLOG_INFO_LEN];
	enum cert_problem problem = CERT_OK;
	struct fw_input in;
	struct fw_output out;
	bool has_retries, has_interval, cancelled = false;
	int retries = st_fw__opt_int(req, "retries", &has_retries);
	int interval = st_fw__opt_int(req, "retryInterval", &has_interval);
	int64_t id = 0;
	int rc;

	(void)err; (void)desc; (void)desclen;
	st_fw__input_now(s, &in);
	/* The schema has checked presence and maximum lengths; what is left
	 * is what our buffers hold (the same limits unless a build lowered
	 * them) and a requestId we can echo. */
	if (!location || !retrieve || !cert || !sig || strlen(location) > CP_MAX_URL ||
	    strlen(cert) > FW_MAX_SIGNING_CERT || strlen(sig) > CP_MAX_FW_SIGNATURE ||
	    cp_json_int(req, "requestId", INT_MIN, INT_MAX, &id) < 0) {
		CP_WARN(TAG, "SignedUpdateFirmware rejected: a field is longer than this station keeps");
		*resp = answer("Rejected");
		return 0;
	}
	rc = check_signer(s, cert, sig, in.now, &problem);
	if (rc == -EINVAL) {
		/* Whitepaper "Secure Firmware Update": an untrusted signer is
		 * answered InvalidCertificate and reported as a security
		 * event; nothing is downloaded. */
		CP_WARN(TAG, "SignedUpdateFirmware %d: signing certificate refused (%s)", (int)id,
		    cert_problem_name(problem));
		snprintf(info, sizeof(info), "%s", cert_problem_name(problem));
		st_sec_event(s, "InvalidFirmwareSigningCertificate", info);
		*resp = answer("InvalidCertificate");
		return 0;
	}
	if (rc < 0) {
		CP_WARN(TAG, "SignedUpdateFirmware %d rejected: %s", (int)id,
		    rc == -EBADMSG ? "the signature is not base64" : "the certificate check failed");
		*resp = answer("Rejected");
		return 0;
	}
	if (snprintf(path, sizeof(path), "%s/firmware.bin", s->fw.dir) >= (int)sizeof(path)) {
		CP_ERR(TAG, "SignedUpdateFirmware: download path too long");
		*resp = answer("Rejected");
		return 0;
	}
	/* A job under way is replaced (AcceptedCanceled), unless it is
	 * installing: an image half written cannot be taken back. */
	rc = st_fw__cancel(s, FW_KIND_FIRMWARE);
	if (rc == -EBUSY) {
		CP_WARN(TAG, "SignedUpdateFirmware %d rejected: an update is %s", (int)id,
		    fw_phase_name(j->phase));
		*resp = answer("Rejected");
		return 0;
	}
	cancelled = rc == 0;
	st_fw__prepare_download(s, location);
	snprintf(s->fw.signing_cert, sizeof(s->fw.signing_cert), "%s", cert);
	snprintf(s->fw.signature, sizeof(s->fw.signature), "%s", sig);
	s->fw.request_id[FW_KIND_FIRMWARE] = (int)id;
	s->fw.has_request[FW_KIND_FIRMWARE] = true;
	if (ocpp_time_parse(retrieve, &in.start_at) < 0)
		in.start_at = in.now;
	if (!install || ocpp_time_parse(install, &in.install_at) < 0)
		in.install_at = in.now;
	in.attempts = fw_attempts_from(has_retries, retries);
	in.interval_s = fw_interval_from(has_interval, interval);
	in.sec = true;
	CP_INFO(TAG, "SignedUpdateFirmware %d: %s at %s, %d attempt(s) %d s apart%s%s", (int)id,
	    location, retrieve, in.attempts, in.interval_s, install ? ", install at " : "",
	    install ? install : "");
	*resp = answer(cancelled ? "AcceptedCanceled" : "Accepted");
	rc = fw_job_step(j, FW_EV_START, &in, &out);
	if (rc == 0)
		st_fw__apply(s, FW_KIND_FIRMWARE, &out);
	return 0;
}
