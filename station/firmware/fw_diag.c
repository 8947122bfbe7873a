/*
 * fw_diag.c - GetDiagnostics in the daemon: the archive (a summary of the
 * station and its database, the readable configuration, the connectors'
 * status and the tail of the log) is built here, in the daemon, when the
 * request arrives; the diagnostics job then has the worker process upload
 * it (firmware.c).
 *
 * GetLog (OCPP 1.6 Security Whitepaper, edition 3, use case "Get Security
 * Log") uses the same job: DiagnosticsLog uploads the same archive,
 * SecurityLog a text file of the security log, one event a line.
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cp_json.h"
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

/* The name of an upload: <what>-<identity>-<UTC time>.<ext> (the station
 * clock), into s->fw.file_name; its path in the job directory into path. */
static int upload_name(struct station *s, const char *what, const char *ext, char *path, size_t n)
{
	char id[64], ts[32];
	time_t now = (time_t)st_utc(s).s;
	struct tm tm;

	st_fw__safe_name(id, sizeof(id), s->opt.id);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(s->fw.file_name, sizeof(s->fw.file_name), "%s-%s-%s.%s", what, id[0] ? id : "cp", ts, ext);
	if (snprintf(path, n, "%s/%s", s->fw.dir, s->fw.file_name) >= (int)n)
		return -ENAMETOOLONG;
	return 0;
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
	char path[CP_MAX_PATH + 1];
	struct fw_input in;
	struct fw_output out;
	bool has_retries, has_interval;
	int retries = st_fw__opt_int(req, "retries", &has_retries);
	int interval = st_fw__opt_int(req, "retryInterval", &has_interval);
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
	if (upload_name(s, "diagnostics", "tar", path, sizeof(path)) < 0) {
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

/* ---- GetLog --------------------------------------------------------------- */

struct seclog_ctx {
	FILE *f;
	int n;
};

/* One event a line: "timestamp type techInfo" (techInfo left out when the
 * event has none), line breaks inside techInfo turned into spaces. */
static int seclog_line(void *ctx, const store_seclog_event *ev)
{
	struct seclog_ctx *c = ctx;
	char ts[OCPP_TIME_LEN], info[STORE_SECLOG_INFO_LEN];

	ocpp_time_format(ev->utc, ts);
	snprintf(info, sizeof(info), "%s", ev->tech_info);
	for (char *p = info; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(c->f, "%s %s%s%s\n", ts, ev->type, info[0] ? " " : "", info);
	c->n++;
	return 0;
}

static int build_seclog(struct station *s, const char *path, cp_utc_t from, cp_utc_t to)
{
	struct seclog_ctx c = { .n = 0 };
	int rc;

	c.f = fopen(path, "we");
	if (!c.f) {
		rc = -errno;
		CP_ERR(TAG, "cannot create %s: %s", path, strerror(errno));
		return rc;
	}
	rc = store_seclog_foreach(s->db, from, to, seclog_line, &c);
	if (ferror(c.f) && rc == 0)
		rc = -EIO;
	if (fclose(c.f) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0)
		unlink(path);
	else
		CP_INFO(TAG, "security log: %d event(s)", c.n);
	return rc;
}

static cJSON *log_answer(const char *status, const char *file_name)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "status", status);
	if (file_name)
		cJSON_AddStringToObject(r, "filename", file_name);
	return r;
}

int st_fw_handle_get_log(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct fw_job *j = &s->fw.job[FW_KIND_DIAGNOSTICS];
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(req, "logType"));
	const cJSON *log = cJSON_GetObjectItem(req, "log");
	const char *location = cJSON_GetStringValue(cJSON_GetObjectItem(log, "remoteLocation"));
	const char *oldest = cJSON_GetStringValue(cJSON_GetObjectItem(log, "oldestTimestamp"));
	const char *latest = cJSON_GetStringValue(cJSON_GetObjectItem(log, "latestTimestamp"));
	bool security = type && strcmp(type, "SecurityLog") == 0;
	cp_utc_t from = cp_utc(INT64_MIN), to = cp_utc(CP_UTC_NEVER);
	char path[CP_MAX_PATH + 1];
	struct fw_input in;
	struct fw_output out;
	bool has_retries, has_interval, cancelled;
	int retries = st_fw__opt_int(req, "retries", &has_retries);
	int interval = st_fw__opt_int(req, "retryInterval", &has_interval);
	int64_t id = 0;
	int rc;

	(void)err; (void)desc; (void)desclen;
	if (!type || !location || strlen(location) > CP_MAX_URL ||
	    cp_json_int(req, "requestId", INT_MIN, INT_MAX, &id) < 0) {
		CP_WARN(TAG, "GetLog rejected: a field is longer than this station keeps");
		*resp = log_answer("Rejected", NULL);
		return 0;
	}
	/* A location no transfer can use is answered at once with the
	 * whitepaper's UploadLogStatus for it; an upload that runs goes on. */
	rc = fw_url_check(location);
	if (rc < 0) {
		CP_WARN(TAG, "GetLog %d: %s cannot be used: %s", (int)id, location,
		    rc == -EPROTONOSUPPORT ? "scheme not supported" : "not a URL");
		*resp = log_answer("Accepted", NULL);
		st_fw__send(s, FW_KIND_DIAGNOSTICS, true, rc == -EPROTONOSUPPORT ?
		    FW_STATUS_NOT_SUPPORTED_OPERATION : FW_STATUS_BAD_MESSAGE, true, (int)id);
		return 0;
	}
	if (oldest)
		ocpp_time_parse(oldest, &from);
	if (latest)
		ocpp_time_parse(latest, &to);
	if (st_fw__ensure_dir(s) < 0) {
		*resp = log_answer("Rejected", NULL);
		return 0;
	}
	/* An upload under way (GetLog or GetDiagnostics) is replaced. */
	cancelled = st_fw__cancel(s, FW_KIND_DIAGNOSTICS) == 0;
	st_fw__remove_file(s, FW_KIND_DIAGNOSTICS);
	rc = upload_name(s, security ? "securitylog" : "diagnostics", security ? "log" : "tar",
	    path, sizeof(path));
	if (rc == 0)
		rc = security ? build_seclog(s, path, from, to) : build_archive(s, path, from, to);
	if (rc < 0) {
		CP_ERR(TAG, "GetLog %d: cannot build the %s file: %s", (int)id, type, strerror(-rc));
		*resp = log_answer("Rejected", NULL);
		return 0;
	}
	snprintf(s->fw.path[FW_KIND_DIAGNOSTICS], sizeof(s->fw.path[0]), "%s", path);
	snprintf(s->fw.location[FW_KIND_DIAGNOSTICS], sizeof(s->fw.location[0]), "%s", location);
	s->fw.request_id[FW_KIND_DIAGNOSTICS] = (int)id;
	s->fw.has_request[FW_KIND_DIAGNOSTICS] = true;
	st_fw__input_now(s, &in);
	in.start_at = in.now;
	in.attempts = fw_attempts_from(has_retries, retries);
	in.interval_s = fw_interval_from(has_interval, interval);
	in.sec = true;
	CP_INFO(TAG, "GetLog %d: %s %s to %s, %d attempt(s) %d s apart", (int)id, type,
	    s->fw.file_name, location, in.attempts, in.interval_s);
	*resp = log_answer(cancelled ? "AcceptedCanceled" : "Accepted", s->fw.file_name);
	if (fw_job_step(j, FW_EV_START, &in, &out) == 0)
		st_fw__apply(s, FW_KIND_DIAGNOSTICS, &out);
	return 0;
}
