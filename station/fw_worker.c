/*
 * fw_worker.c - the blocking side of Firmware Management: transfers with
 * libcurl's easy API and the installer hook.
 *
 * Only the forked worker process (firmware.c) and the unit tests call these:
 * a transfer may block for minutes (DNS, TLS handshakes, a slow FTP server)
 * and must never stall the daemon's event loop.  libcurl: HTTP, HTTPS and
 * FTP(S) in one well-kept library that configure already requires, with
 * timeouts, redirects and TLS verification we do not have to write.
 */
#include "station/firmware.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	/* One line: the reason travels over the worker pipe as a line. */
	for (char *p = why; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

int fw_upload_url(const char *location, const char *file_name, char *out, size_t outlen)
{
	size_t n = location ? strlen(location) : 0;
	int w;

	if (!n || !file_name)
		return -EINVAL;
	/* A location naming a directory gets the file's name appended, the
	 * way OCPP file servers are usually given (ftp://host/diagnostics/). */
	if (location[n - 1] == '/')
		w = snprintf(out, outlen, "%s%s", location, file_name);
	else
		w = snprintf(out, outlen, "%s", location);
	return w >= 0 && (size_t)w < outlen ? 0 : -ENAMETOOLONG;
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
	switch (rc) {
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

int fw_worker_download(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	char part[CP_MAX_PATH + 8], err[CURL_ERROR_SIZE] = "";
	FILE *f;
	CURL *c;
	CURLcode rc;
	curl_off_t got = 0;
	int ret = 0;

	if (!url || !path || !protocols)
		return -EINVAL;
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

int fw_worker_upload(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	char err[CURL_ERROR_SIZE] = "";
	struct stat st;
	FILE *f;
	CURL *c;
	CURLcode rc;
	int ret = 0;

	if (!url || !path || !protocols)
		return -EINVAL;
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
	/* HTTP(S): PUT; FTP: STOR. */
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

int fw_worker_install(const char *installer, const char *path, int timeout_s,
    char *why, size_t whylen)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	long waited_ms = 0;
	pid_t pid;
	int status;

	if (!installer || !path)
		return -EINVAL;
	pid = fork();
	if (pid < 0) {
		say(why, whylen, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		execl(installer, installer, path, (char *)NULL);
		fprintf(stderr, "ocpp-cp: firmware installer %s: %s\n", installer, strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			say(why, whylen, "waitpid: %s", strerror(errno));
			return -ECHILD;
		}
		if (waited_ms >= (long)timeout_s * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			say(why, whylen, "installer did not finish within %d s: killed", timeout_s);
			return -ETIMEDOUT;
		}
		nanosleep(&tick, NULL);
		waited_ms += 50;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		say(why, whylen, "installer exited 0");
		return 0;
	}
	if (WIFEXITED(status))
		say(why, whylen, "installer exited %d%s", WEXITSTATUS(status),
		    WEXITSTATUS(status) == 127 ? " (not executable?)" : "");
	else
		say(why, whylen, "installer killed by signal %d", WTERMSIG(status));
	return -ECANCELED;
}
