/*
 * fw_transfer.c - ocpp-cp-transfer: one firmware download or diagnostics
 * upload with libcurl's easy API, run by the firmware worker.
 *
 *   ocpp-cp-transfer download URL PATH PROTOCOLS
 *   ocpp-cp-transfer upload URL PATH PROTOCOLS
 *
 * It prints one line "RC REASON" on stdout: RC is 0 or the negative errno
 * that fw_worker_download / fw_worker_upload return (firmware.h: -EACCES for
 * a refusal, -EPROTONOSUPPORT for an unusable URL), REASON a
 * one-line text for the log.  Exit status 0 on success, 1 on a failed
 * transfer, 2 on bad arguments.
 *
 * Why a program of its own: libcurl and what it pulls in (27 shared
 * libraries: TLS, SSH, LDAP, IDN, HTTP/2, ...) cost the daemon about 4 MB of
 * RSS for as long as it runs, although only a transfer, minutes a month,
 * uses them.  The forked worker (fw_worker.c) execs this program, so only
 * its short-lived process maps libcurl.  libcurl: HTTP, HTTPS and FTP(S) in
 * one well-kept library, with timeouts, redirects and TLS verification we
 * do not have to write.
 */
#include "station/firmware/firmware.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	/* One line: the reason travels to the daemon as a line. */
	for (char *p = why; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

static CURL *easy_new(const char *url, const char *protocols, char *err)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
#else
	{
		long mask = 0;
		if (strstr(protocols, "http")) mask |= CURLPROTO_HTTP;
		if (strstr(protocols, "https")) mask |= CURLPROTO_HTTPS;
		if (strstr(protocols, "ftp")) mask |= CURLPROTO_FTP;
		if (strstr(protocols, "ftps")) mask |= CURLPROTO_FTPS;
		if (strstr(protocols, "file")) mask |= CURLPROTO_FILE;
		curl_easy_setopt(c, CURLOPT_PROTOCOLS, mask);
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, mask);
	}
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);	/* HTTP >= 400 is a failure */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)FW_TRANSFER_TIMEOUT_S);
	/* A stalled server: under 1 byte/s for FW_STALL_TIMEOUT_S aborts. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)FW_STALL_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ocpp-cp/" PACKAGE_VERSION);
	return c;
}

static int curl_fail(CURLcode rc, CURL *c, const char *err, char *why, size_t whylen)
{
	long code = 0;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 400)
		say(why, whylen, "server answered %ld (%s)", code, err[0] ? err : curl_easy_strerror(rc));
	else
		say(why, whylen, "%s", err[0] ? err : curl_easy_strerror(rc));
	/* Refused by the server: trying again with the same credentials
	 * cannot help (GetLog reports PermissionDenied). */
	if (code == 401 || code == 403)
		return -EACCES;
	switch (rc) {
	case CURLE_LOGIN_DENIED:
	case CURLE_REMOTE_ACCESS_DENIED:
		return -EACCES;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return -EPROTONOSUPPORT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_READ_ERROR:
		return -EIO;
	default:
		return -EREMOTEIO;
	}
}

/* Downloads url into path via path + ".part", renamed on success. */
static int transfer_download(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	char part[CP_MAX_PATH + 8], err[CURL_ERROR_SIZE] = "";
	FILE *f;
	CURL *c;
	CURLcode rc;
	curl_off_t got = 0;
	int ret = 0;

	if (snprintf(part, sizeof(part), "%s.part", path) >= (int)sizeof(part)) {
		say(why, whylen, "path too long");
		return -ENAMETOOLONG;
	}
	f = fopen(part, "wbe");
	if (!f) {
		ret = -errno;
		say(why, whylen, "cannot create %s: %s", part, strerror(errno));
		return ret;
	}
	c = easy_new(url, protocols, err);
	if (!c) {
		fclose(f);
		unlink(part);
		say(why, whylen, "libcurl init failed");
		return -ENOMEM;
	}
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		ret = curl_fail(rc, c, err, why, whylen);
	curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
	curl_easy_cleanup(c);
	if (fclose(f) != 0 && ret == 0) {
		ret = -EIO;
		say(why, whylen, "writing %s: %s", part, strerror(errno));
	}
	if (ret == 0 && rename(part, path) < 0) {
		ret = -errno;
		say(why, whylen, "rename to %s: %s", path, strerror(errno));
	}
	if (ret < 0) {
		unlink(part);
		return ret;
	}
	say(why, whylen, "%lld bytes", (long long)got);
	return 0;
}

/* Uploads the file at path to url: HTTP(S) PUT, FTP STOR. */
static int transfer_upload(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	char err[CURL_ERROR_SIZE] = "";
	struct stat st;
	FILE *f;
	CURL *c;
	CURLcode rc;
	int ret = 0;

	f = fopen(path, "rbe");
	if (!f || fstat(fileno(f), &st) < 0) {
		ret = -errno;
		say(why, whylen, "cannot read %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return ret;
	}
	c = easy_new(url, protocols, err);
	if (!c) {
		fclose(f);
		say(why, whylen, "libcurl init failed");
		return -ENOMEM;
	}
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READDATA, f);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)st.st_size);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		ret = curl_fail(rc, c, err, why, whylen);
	else
		say(why, whylen, "%lld bytes", (long long)st.st_size);
	curl_easy_cleanup(c);
	fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	char why[CP_MAX_ERROR_DESC] = "";
	int rc;

	if (argc != 5 || (strcmp(argv[1], "download") != 0 && strcmp(argv[1], "upload") != 0)) {
		fprintf(stderr, "usage: ocpp-cp-transfer download|upload URL PATH PROTOCOLS\n");
		printf("%d bad arguments\n", -EINVAL);
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = -ENOMEM;
		say(why, sizeof(why), "libcurl global init failed");
	} else if (argv[1][0] == 'd') {
		rc = transfer_download(argv[2], argv[3], argv[4], why, sizeof(why));
	} else {
		rc = transfer_upload(argv[2], argv[3], argv[4], why, sizeof(why));
	}
	printf("%d %s\n", rc, why);
	if (fflush(stdout) != 0)
		return 1;
	curl_global_cleanup();
	return rc == 0 ? 0 : 1;
}
