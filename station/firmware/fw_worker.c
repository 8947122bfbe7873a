/*
 * fw_worker.c - the blocking side of Firmware Management: transfers and the
 * installer hook.
 *
 * Only the forked worker process (firmware.c) and the unit tests call these:
 * a transfer may block for minutes (DNS, TLS handshakes, a slow FTP server)
 * and must never stall the daemon's event loop.  The transfers themselves
 * run in the separate program ocpp-cp-transfer (fw_transfer.c), so that the
 * daemon does not link libcurl.
 */
#include "station/firmware/firmware.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
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

int fw_url_check(const char *url)
{
	const char *p, *host, *list;
	size_t n;
	bool known = false;

	if (!url)
		return -EINVAL;
	/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	for (p = url; *p && *p != ':'; p++) {
		char c = *p;
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alpha && (p == url || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
			return -EINVAL;
	}
	n = (size_t)(p - url);
	if (n == 0 || *p != ':')
		return -EINVAL;
	/* A scheme of FW_PROTOCOLS, compared without regard to case. */
	for (list = FW_PROTOCOLS; *list && !known;) {
		size_t len = strcspn(list, ",");
		known = len == n && strncasecmp(list, url, n) == 0;
		list += len;
		if (*list == ',')
			list++;
	}
	if (!known)
		return -EPROTONOSUPPORT;
	/* Then an authority with a host (RFC 3986 §3.2) and no white space or
	 * control character anywhere: libcurl is given the URL as it is. */
	if (strncmp(p, "://", 3) != 0)
		return -EINVAL;
	host = p + 3;
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
		return -EINVAL;
	for (const char *q = url; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return -EINVAL;
	return 0;
}

/* ---- transfers: the ocpp-cp-transfer program ---------------------------- */

/* Where `make install` puts the program (configure's bindir); the build
 * tree's tests point it at theirs. */
#ifndef FW_TRANSFER_PATH
#define FW_TRANSFER_PATH "/usr/local/bin/" FW_TRANSFER_NAME
#endif
#define FW_TRANSFER_NAME "ocpp-cp-transfer"

/*
 * The program's path: next to our own executable first (the build tree,
 * or any install that keeps the two together, wherever it was moved), else
 * the configured bindir.  An exec of a path that is not there gives a
 * clear reason ("cannot run ...: No such file or directory").
 */
static void transfer_path(char *out, size_t outlen)
{
	char self[CP_MAX_PATH + 1];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0 && (size_t)n < sizeof(self) - 1) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			int w;

			slash[1] = '\0';
			w = snprintf(out, outlen, "%s%s", self, FW_TRANSFER_NAME);
			if (w > 0 && (size_t)w < outlen && access(out, X_OK) == 0)
				return;
		}
	}
	snprintf(out, outlen, "%s", FW_TRANSFER_PATH);
}

/*
 * Runs `ocpp-cp-transfer op url path protocols` and waits for it.  Its one
 * stdout line "RC REASON" carries what the transfer returned (see
 * fw_transfer.c); curl's own timeouts bound the wait.  Why exec and not
 * libcurl here: see fw_transfer.c (libcurl stays out of the daemon).
 */
static int transfer_run(const char *op, const char *url, const char *path,
    const char *protocols, char *why, size_t whylen)
{
	char prog[CP_MAX_PATH + 1], line[CP_MAX_ERROR_DESC], *reason = NULL;
	size_t len = 0;
	pid_t pid, parent = getpid();
	int p[2], status = 0, e;
	long rc;

	if (!url || !path || !protocols)
		return -EINVAL;
	transfer_path(prog, sizeof(prog));
	if (pipe2(p, O_CLOEXEC) < 0) {
		e = -errno;
		say(why, whylen, "pipe: %s", strerror(errno));
		return e;
	}
	pid = fork();
	if (pid < 0) {
		e = -errno;
		say(why, whylen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return e;
	}
	if (pid == 0) {
		/* A worker killed outright (the daemon's SIGKILL reaches it by
		 * PR_SET_PDEATHSIG) takes its transfer along. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		/* dup2 onto itself would keep O_CLOEXEC: clear it instead. */
		if (p[1] == STDOUT_FILENO)
			fcntl(p[1], F_SETFD, 0);
		else if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		execl(prog, prog, op, url, path, protocols, (char *)NULL);
		dprintf(STDOUT_FILENO, "%d cannot run %s: %s\n", -errno, prog, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t n;

		if (len + 1 >= sizeof(line))
			break;		/* one line is all we read */
		n = read(p[0], line + len, sizeof(line) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;
			break;
		}
	}
	line[len] = '\0';
	line[strcspn(line, "\n")] = '\0';
	errno = 0;
	rc = len ? strtol(line, &reason, 10) : 1;
	if (!len || errno || reason == line || rc > 0 || rc < -4095) {
		if (WIFSIGNALED(status))
			say(why, whylen, "%s killed by signal %d", FW_TRANSFER_NAME, WTERMSIG(status));
		else
			say(why, whylen, "%s gave no result (exit status %d)", FW_TRANSFER_NAME,
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -EIO;
	}
	while (*reason == ' ')
		reason++;
	say(why, whylen, "%s", reason);
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		say(why, whylen, "%s reported success but exited with status 0x%x", FW_TRANSFER_NAME,
		    (unsigned)status);
		return -EIO;
	}
	return (int)rc;
}

int fw_worker_download(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	return transfer_run("download", url, path, protocols, why, whylen);
}

int fw_worker_upload(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen)
{
	return transfer_run("upload", url, path, protocols, why, whylen);
}

/* ---- the installer hook --------------------------------------------------- */

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
