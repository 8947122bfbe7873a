/*
 * fw_diag.c - GetDiagnostics in the daemon: the archive (a summary of the
 * station and its database, the readable configuration, the connectors'
 * status and the tail of the log) is built here, in the daemon, when the
 * request arrives; the diagnostics job then has the worker process upload
 * it (firmware.c).
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cp_log.h"
#include "station/firmware/firmware_int.h"

#define TAG "firmware"

/* ---- GetDiagnostics ------------------------------------------------------- */

struct count_ctx { int n; };

static int count_config(void *ctx, const char *k, const char *v)
{
	(void)k; (void)v;
	((struct count_ctx *)ctx)->n++;
	return 0;
}

static int count_tx(void *ctx, const store_tx *tx)
{
	(void)tx;
	((struct count_ctx *)ctx)->n++;
	return 0;
}

static int count_profile(void *ctx, int id, int connector, const char *json)
{
	(void)id; (void)connector; (void)json;
	((struct count_ctx *)ctx)->n++;
	return 0;
}

static int count_resv(void *ctx, const store_reservation *r)
{
	(void)r;
	((struct count_ctx *)ctx)->n++;
	return 0;
}

struct text {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->buf && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
			char *nb = realloc(t->buf, cap);
			if (!nb) {
				t->oom = true;
				return;
			}
			t->buf = nb;
			t->cap = cap;
		}
	}
}

static int visit_config(void *ctx, const char *name, const char *value, bool readonly)
{
	text_add(ctx, "%s=%s%s\n", name, value, readonly ? "  (R)" : "");
	return 0;
}

static void summary(struct station *s, struct text *t, cp_utc_t from, cp_utc_t to)
{
	struct count_ctx c;
	char ts[OCPP_TIME_LEN];
	int n;

	st_timestamp(s, ts);
	text_add(t, "ocpp-cp %s diagnostics\nidentity: %s\nstation time: %s\n", PACKAGE_VERSION, s->opt.id, ts);
	text_add(t, "firmware version installed by UpdateFirmware: %s\n", s->fw.version[0] ? s->fw.version : "(none)");
	text_add(t, "central system: %s (%s, boot %s)\nconnectors: %d\n", s->opt.url,
	    s->online ? "online" : "offline",
	    s->boot == ST_BOOT_ACCEPTED ? "accepted" : s->boot == ST_BOOT_PENDING ? "pending" :
	    s->boot == ST_BOOT_REJECTED ? "rejected" : "not sent", s->n_conn);
	if (from.s != INT64_MIN || to.s != CP_UTC_NEVER) {
		char a[OCPP_TIME_LEN] = "-", b[OCPP_TIME_LEN] = "-";
		if (from.s != INT64_MIN)
			ocpp_time_format(from, a);
		if (to.s != CP_UTC_NEVER)
			ocpp_time_format(to, b);
		text_add(t, "log window: %s .. %s\n", a, b);
	}
	text_add(t, "\ndatabase %s:\n", s->opt.db);
	n = 0;
	text_add(t, "  queued transaction messages: %d\n", store_queue_count(s->db, &n) == 0 ? n : -1);
	c.n = 0;
	store_tx_open_foreach(s->db, count_tx, &c);
	text_add(t, "  open transactions: %d\n", c.n);
	c.n = 0;
	store_profile_foreach(s->db, count_profile, &c);
	text_add(t, "  charging profiles: %d\n", c.n);
	c.n = 0;
	store_config_foreach(s->db, count_config, &c);
	text_add(t, "  stored configuration values: %d\n", c.n);
	n = 0;
	text_add(t, "  local list entries: %d", store_list_count(s->db, &n) == 0 ? n : -1);
	n = 0;
	text_add(t, " (version %d)\n", store_list_version(s->db, &n) == 0 ? n : -1);
	n = 0;
	text_add(t, "  authorization cache entries: %d\n", store_cache_count(s->db, &n) == 0 ? n : -1);
	c.n = 0;
	store_reservation_foreach(s->db, count_resv, &c);
	text_add(t, "  reservations: %d\n", c.n);
	n = 0;
	text_add(t, "  security log events: %d\n", store_seclog_count(s->db, &n) == 0 ? n : -1);
}

/* Log lines start with their real UTC time ("2024-05-01T12:00:00.123Z"). */
static bool line_time(const char *line, size_t len, cp_utc_t *out)
{
	struct tm tm;
	char buf[20];

	if (len < 19 || line[4] != '-' || line[10] != 'T')
		return false;
	memcpy(buf, line, 19);
	buf[19] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (!strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm))
		return false;
	*out = cp_utc((int64_t)timegm(&tm));
	return true;
}

/* The daemon logs to stderr; when that is a file (a service's log file, the
 * test harness) its tail goes in the archive, else (a terminal, the
 * journal) the summary says where the log is. */
static int log_tail(struct text *t, cp_utc_t from, cp_utc_t to)
{
	struct stat st;
	off_t off;
	char *raw;
	ssize_t n;
	bool keep = true;
	int fd, e;

	if (fstat(STDERR_FILENO, &st) < 0 || !S_ISREG(st.st_mode))
		return -ENOENT;
	/* stderr is usually open write-only (O_APPEND): read the same file
	 * through a descriptor of our own. */
	fd = open("/proc/self/fd/2", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	off = st.st_size > CP_MAX_DIAG_LOG ? st.st_size - CP_MAX_DIAG_LOG : 0;
	raw = malloc(CP_MAX_DIAG_LOG + 1);
	if (!raw) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, raw, CP_MAX_DIAG_LOG, off);
	e = errno;
	close(fd);
	if (n < 0) {
		free(raw);
		return -e;
	}
	raw[n] = '\0';
	for (char *p = raw, *end; *p; p = end) {
		size_t len;
		cp_utc_t when;
		end = strchr(p, '\n');
		end = end ? end + 1 : p + strlen(p);
		len = (size_t)(end - p);
		if (p == raw && off > 0)
			continue;	/* cut in the middle */
		/* A line without a time belongs with the line before it. */
		if (line_time(p, len, &when))
			keep = when.s >= from.s && when.s <= to.s;
		if (keep)
			text_add(t, "%.*s", (int)len, p);
	}
	free(raw);
	return 0;
}

static int build_archive(struct station *s, const char *path, cp_utc_t from, cp_utc_t to)
{
	struct text sum = { 0 }, cfgtxt = { 0 }, log = { 0 };
	cJSON *status = cJSON_CreateObject();
	char *status_text;
	cp_utc_t now = st_utc(s);
	FILE *f;
	int rc = 0, lrc;

	summary(s, &sum, from, to);
	lrc = log_tail(&log, from, to);
	if (lrc < 0)
		text_add(&sum, "\nlog: %s\n", lrc == -ENOENT
		    ? "stderr is not a file (terminal or journal): not included"
		    : "could not be read");
	cfg_foreach_readable(&s->cfg, visit_config, &cfgtxt);
	st_conn_status_json(s, status);
	status_text = cJSON_Print(status);
	cJSON_Delete(status);
	f = fopen(path, "wbe");
	if (!f) {
		rc = -errno;
		CP_ERR(TAG, "cannot create %s: %s", path, strerror(errno));
	}
	if (rc == 0 && (sum.oom || cfgtxt.oom || log.oom || !status_text))
		rc = -ENOMEM;
	if (rc == 0)
		rc = fw_tar_add(f, "summary.txt", sum.buf, sum.len, now);
	if (rc == 0)
		rc = fw_tar_add(f, "configuration.txt", cfgtxt.buf, cfgtxt.len, now);
	if (rc == 0)
		rc = fw_tar_add(f, "status.json", status_text, strlen(status_text), now);
	if (rc == 0 && lrc == 0)
		rc = fw_tar_add(f, "ocpp-cp.log", log.buf, log.len, now);
	if (rc == 0)
		rc = fw_tar_finish(f);
	if (f && fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0 && f)
		unlink(path);
	free(sum.buf);
	free(cfgtxt.buf);
	free(log.buf);
	free(status_text);
	return rc;
}

int st_fw_handle_get_diagnostics(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct fw_job *j = &s->fw.job[FW_KIND_DIAGNOSTICS];
	const char *location = cJSON_GetStringValue(cJSON_GetObjectItem(req, "location"));
	const char *start = cJSON_GetStringValue(cJSON_GetObjectItem(req, "startTime"));
	const char *stop = cJSON_GetStringValue(cJSON_GetObjectItem(req, "stopTime"));
	cp_utc_t from = cp_utc(INT64_MIN), to = cp_utc(CP_UTC_NEVER);
	char id[64], ts[32], path[CP_MAX_PATH + 1];
	struct fw_input in;
	struct fw_output out;
	bool has_retries, has_interval;
	int retries = st_fw__opt_int(req, "retries", &has_retries);
	int interval = st_fw__opt_int(req, "retryInterval", &has_interval);
	time_t now;
	struct tm tm;
	int rc;

	(void)err; (void)desc; (void)desclen;
	/* Without fileName the conf says "no diagnostics available" (§6.29). */
	*resp = cJSON_CreateObject();
	if (j->phase == FW_PHASE_TRANSFER) {
		CP_WARN(TAG, "GetDiagnostics ignored: an upload is running");
		return 0;
	}
	if (!location || strlen(location) > CP_MAX_URL) {
		CP_WARN(TAG, "GetDiagnostics: location longer than %d characters", CP_MAX_URL);
		return 0;
	}
	if (start)
		ocpp_time_parse(start, &from);
	if (stop)
		ocpp_time_parse(stop, &to);
	if (st_fw__ensure_dir(s) < 0)
		return 0;
	st_fw__remove_file(s, FW_KIND_DIAGNOSTICS);	/* a waiting upload is replaced */
	st_fw__safe_name(id, sizeof(id), s->opt.id);
	now = (time_t)st_utc(s).s;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(s->fw.file_name, sizeof(s->fw.file_name), "diagnostics-%s-%s.tar", id[0] ? id : "cp", ts);
	if (snprintf(path, sizeof(path), "%s/%s", s->fw.dir, s->fw.file_name) >= (int)sizeof(path)) {
		CP_ERR(TAG, "GetDiagnostics: path too long");
		return 0;
	}
	rc = build_archive(s, path, from, to);
	if (rc < 0) {
		CP_ERR(TAG, "GetDiagnostics: cannot build the archive: %s", strerror(-rc));
		return 0;
	}
	snprintf(s->fw.path[FW_KIND_DIAGNOSTICS], sizeof(s->fw.path[0]), "%s", path);
	snprintf(s->fw.location[FW_KIND_DIAGNOSTICS], sizeof(s->fw.location[0]), "%s", location);
	st_fw__input_now(s, &in);
	in.start_at = in.now;
	in.attempts = fw_attempts_from(has_retries, retries);
	in.interval_s = fw_interval_from(has_interval, interval);
	CP_INFO(TAG, "GetDiagnostics: %s to %s, %d attempt(s) %d s apart", s->fw.file_name, location,
	    in.attempts, in.interval_s);
	cJSON_AddStringToObject(*resp, "fileName", s->fw.file_name);
	if (fw_job_step(j, FW_EV_START, &in, &out) == 0)
		st_fw__apply(s, FW_KIND_DIAGNOSTICS, &out);
	return 0;
}
