/*
 * firmware.c - UpdateFirmware and GetDiagnostics in the daemon, and what
 * the Security Whitepaper's SignedUpdateFirmware (fw_signed.c) and GetLog
 * (fw_diag.c) share with them.
 *
 * The job state machines are fw_core.c; this file feeds them events and
 * carries out their outputs: status notifications, timers on the station
 * clock, transfers, the signature check and the installer in a worker
 * process, the reboot.  GetDiagnostics' archive is built in fw_diag.c.
 *
 * Why a forked worker: libcurl's easy API blocks (name resolution, TLS,
 * FTP's several round trips) and the installer hook may run for minutes.
 * A child process does one blocking job and writes one result line into a
 * pipe whose read end is adopted into the libwebsockets loop, so the loop
 * never waits and a crash in a transfer or installer cannot take the daemon
 * down.  curl's multi interface inside lws would need socket and timer
 * callbacks bridged both ways for no gain at one transfer at a time.  The
 * child touches nothing of the parent's (SQLite, lws): it closes every
 * inherited descriptor but the pipe, and leaves with _exit.
 *
 * Files live in <db>.fw/ next to the database: firmware.bin while a firmware
 * job runs, the diagnostics archive until it is uploaded.  The one state
 * that must survive the reboot of an install is kept in the store
 * ("fw.installed"): after the next accepted BootNotification the station
 * sends FirmwareStatusNotification Installed.
 */
#include "station/station.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cp_json.h"
#include "cp_log.h"
#include "station/firmware/firmware_int.h"
#include "station/security/sec.h"

#define TAG "firmware"

/* Station keys of the store's state table. */
#define STATE_INSTALLED "fw.installed"	/* version installed, Installed not yet sent */
#define STATE_VERSION "fw.version"	/* the last version installed */
#define STATE_REQUEST "fw.request"	/* ... by SignedUpdateFirmware: its requestId */

/* Installed, notifications queued: reboot at the latest this long after
 * (station ms) even if the central system never answers them. */
#define REBOOT_NOTIFY_GRACE_MS 30000

static const enum st_timer_id kind_timer[FW_KIND_COUNT] = {
	[FW_KIND_FIRMWARE] = ST_T_FIRMWARE,
	[FW_KIND_DIAGNOSTICS] = ST_T_DIAGNOSTICS,
};

static const char *const kind_action[FW_KIND_COUNT] = {
	[FW_KIND_FIRMWARE] = "FirmwareStatusNotification",
	[FW_KIND_DIAGNOSTICS] = "DiagnosticsStatusNotification",
};

/* The Security Whitepaper's notifications of the same jobs. */
static const char *const sec_action[FW_KIND_COUNT] = {
	[FW_KIND_FIRMWARE] = "SignedFirmwareStatusNotification",
	[FW_KIND_DIAGNOSTICS] = "LogStatusNotification",
};

enum task { TASK_DOWNLOAD, TASK_UPLOAD, TASK_INSTALL, TASK_VERIFY };

static const char *kind_name(enum fw_kind kind)
{
	return kind == FW_KIND_FIRMWARE ? "firmware" : "diagnostics";
}

/* ---- helpers ---------------------------------------------------------------- */

static bool station_busy(const struct station *s)
{
	for (int i = 1; i <= s->n_conn; i++)
		if (st_tx_running(&s->conn[i].tx))
			return true;
	return false;
}

void st_fw__input_now(const struct station *s, struct fw_input *in)
{
	memset(in, 0, sizeof(*in));
	in->now = st_utc(s);
	in->busy = station_busy(s);
}

static void step(struct station *s, enum fw_kind kind, enum fw_event ev)
{
	struct fw_input in;
	struct fw_output out;
	struct fw_job *j = &s->fw.job[kind];
	enum fw_phase before = j->phase;

	st_fw__input_now(s, &in);
	if (fw_job_step(j, ev, &in, &out) < 0)
		return;
	if (j->phase != before)
		CP_DEBUG(TAG, "%s job: %s -> %s", kind_name(kind),
		    fw_phase_name(before), fw_phase_name(j->phase));
	st_fw__apply(s, kind, &out);
}

/* Keeps [A-Za-z0-9._-] of src: a name safe in a path and in a tar header. */
void st_fw__safe_name(char *dst, size_t n, const char *src)
{
	size_t k = 0;

	for (; src && *src && k + 1 < n; src++) {
		char c = *src;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-')
			dst[k++] = c;
	}
	dst[k] = '\0';
}

/* The version we record for a firmware file: the last path segment of its
 * location (what operators put the version in: fw-1.2.3.bin). */
static void version_from_location(char *dst, size_t n, const char *location)
{
	char seg[CP_MAX_URL + 1];
	const char *p = strstr(location, "://"), *slash, *end;
	size_t len;

	p = p ? p + 3 : location;
	slash = strchr(p, '/');
	if (!slash) {
		snprintf(dst, n, "unknown");
		return;
	}
	end = slash + strcspn(slash, "?#");
	while (end > slash + 1 && end[-1] == '/')
		end--;
	for (p = end; p > slash && p[-1] != '/'; p--)
		;
	len = (size_t)(end - p);
	if (len >= sizeof(seg))
		len = sizeof(seg) - 1;
	memcpy(seg, p, len);
	seg[len] = '\0';
	st_fw__safe_name(dst, n, seg);
	if (!dst[0])
		snprintf(dst, n, "unknown");
}

int st_fw__ensure_dir(struct station *s)
{
	if (mkdir(s->fw.dir, 0700) < 0 && errno != EEXIST) {
		int e = -errno;
		CP_ERR(TAG, "cannot create %s: %s", s->fw.dir, strerror(errno));
		return e;
	}
	return 0;
}

void st_fw__remove_file(struct station *s, enum fw_kind kind)
{
	if (s->fw.path[kind][0]) {
		unlink(s->fw.path[kind]);
		s->fw.path[kind][0] = '\0';
	}
}

/* ---- status notifications ------------------------------------------------- */

static void maybe_reboot(struct station *s)
{
	if (s->fw.reboot_wanted && s->fw.notify_inflight == 0 && !s->stopping) {
		CP_INFO(TAG, "firmware installed: rebooting");
		s->fw.reboot_wanted = false;
		st_request_reboot(s);
	}
}

static void fw_notified(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct station *s = user;

	if (err != OCPP_ERR_NONE)
		CP_WARN(TAG, "FirmwareStatusNotification: %s %s", ocpp_error_name(err), desc ? desc : "");
	if (s->fw.notify_inflight > 0)
		s->fw.notify_inflight--;
	maybe_reboot(s);
}

void st_fw__send(struct station *s, enum fw_kind kind, bool sec, enum fw_status st,
    bool with_id, int request_id)
{
	const char *action = sec ? sec_action[kind] : kind_action[kind];
	cJSON *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "status", fw_status_name(st));
	if (sec && with_id)
		cJSON_AddNumberToObject(p, "requestId", request_id);
	if (sec && with_id)
		CP_INFO(TAG, "%s %s (request %d)", action, fw_status_name(st), request_id);
	else
		CP_INFO(TAG, "%s %s", action, fw_status_name(st));
	if (kind == FW_KIND_FIRMWARE) {
		s->fw.notify_inflight++;
		st_send(s, action, p, fw_notified, s);
	} else {
		st_send(s, action, p, NULL, NULL);
	}
}

/* A status of the running job, in the message that started it: every
 * whitepaper notification of a job carries its requestId. */
static void notify(struct station *s, enum fw_kind kind, enum fw_status st)
{
	bool sec = s->fw.job[kind].sec;

	st_fw__send(s, kind, sec, st, sec && s->fw.has_request[kind], s->fw.request_id[kind]);
}

void st_fw_send_status(struct station *s, enum fw_kind kind)
{
	/* The 1.6 message knows only the 1.6 values, whichever request
	 * started the job. */
	st_fw__send(s, kind, false, fw_status_v16(fw_job_current_status(&s->fw.job[kind])), false, 0);
}

void st_fw_send_signed_status(struct station *s)
{
	const struct fw_job *j = &s->fw.job[FW_KIND_FIRMWARE];
	/* A running UpdateFirmware (1.6) has no requestId to give. */
	bool with_id = s->fw.has_request[FW_KIND_FIRMWARE] && (j->sec || j->phase == FW_PHASE_IDLE);

	st_fw__send(s, FW_KIND_FIRMWARE, true, fw_job_current_status(j), with_id,
	    s->fw.request_id[FW_KIND_FIRMWARE]);
}

void st_fw_send_log_status(struct station *s)
{
	const struct fw_job *j = &s->fw.job[FW_KIND_DIAGNOSTICS];
	bool running = j->phase != FW_PHASE_IDLE;

	st_fw__send(s, FW_KIND_DIAGNOSTICS, true, running ? FW_STATUS_UPLOADING : FW_STATUS_IDLE,
	    running && j->sec && s->fw.has_request[FW_KIND_DIAGNOSTICS],
	    s->fw.request_id[FW_KIND_DIAGNOSTICS]);
}

/* ---- the worker process --------------------------------------------------- */

static void worker_run(struct station *s, enum fw_kind kind, enum task task, int wfd)
{
	char why[CP_MAX_ERROR_DESC - 16] = "", url[CP_MAX_URL + CP_MAX_FILE_NAME + 2];
	char line[CP_MAX_ERROR_DESC];
	int rc, n;

	switch (task) {
	case TASK_DOWNLOAD:
		rc = fw_worker_download(s->fw.location[kind], s->fw.path[kind], FW_PROTOCOLS,
		    why, sizeof(why));
		break;
	case TASK_UPLOAD:
		rc = fw_upload_url(s->fw.location[kind], s->fw.file_name, url, sizeof(url));
		if (rc == 0)
			rc = fw_worker_upload(url, s->fw.path[kind], FW_PROTOCOLS, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "upload URL too long");
		break;
	case TASK_VERIFY:
		rc = fw_verify_file(s->fw.path[kind], s->fw.signing_cert,
		    (const char *const *)s->fw.roots, s->fw.n_roots, s->fw.verify_at.s,
		    s->fw.signature, why, sizeof(why));
		break;
	case TASK_INSTALL:
	default:
		rc = fw_worker_install(s->fw.installer, s->fw.path[kind], FW_INSTALL_TIMEOUT_S,
		    why, sizeof(why));
		break;
	}
	n = snprintf(line, sizeof(line), "%d %s\n", rc, why);
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(wfd, line, (size_t)n);
}

static void close_inherited(int keep)
{
	/* Everything the daemon had open (websocket, control socket, SQLite)
	 * stays the daemon's: the child must neither use nor hold them. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	close_range((unsigned)keep + 1, ~0U, 0);
#else
	long max = sysconf(_SC_OPEN_MAX);
	for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
		if (fd != keep)
			close(fd);
#endif
}

static int worker_start(struct station *s, enum fw_kind kind, enum task task)
{
	struct st_fw_worker *w = &s->fw.worker[kind];
	lws_sock_file_fd_type u;
	int p[2];
	pid_t pid, parent = getpid();

	if (w->pid)
		return -EBUSY;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = -errno;
		close(p[0]);
		close(p[1]);
		return e;
	}
	if (pid == 0) {
		/* Its own process group, so that stopping the daemon also stops
		 * an installer the worker started. */
		setpgid(0, 0);
		/* A daemon killed outright (SIGKILL, power loss simulation)
		 * takes its transfer along instead of leaving it running. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		close(p[0]);
		close_inherited(p[1]);
		worker_run(s, kind, task, p[1]);
		_exit(0);
	}
	close(p[1]);
	setpgid(pid, pid);	/* also here: no race with a kill right after fork */
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	w->s = s;
	w->kind = kind;
	w->pid = pid;
	w->len = 0;
	switch (task) {
	case TASK_INSTALL:
		w->ok_ev = FW_EV_INSTALL_OK;
		w->fail_ev = FW_EV_INSTALL_FAILED;
		break;
	case TASK_VERIFY:
		w->ok_ev = FW_EV_VERIFY_OK;
		w->fail_ev = FW_EV_VERIFY_FAILED;
		break;
	case TASK_DOWNLOAD:
	case TASK_UPLOAD:
	default:
		w->ok_ev = FW_EV_TRANSFER_OK;
		w->fail_ev = FW_EV_TRANSFER_FAILED;
		break;
	}
	w->transfer = task == TASK_DOWNLOAD || task == TASK_UPLOAD;
	/* lws owns (and closes) the adopted descriptor; we read through a
	 * duplicate so the last bytes can still be read when lws reports the
	 * hang-up before the data. */
	w->fd = fcntl(p[0], F_DUPFD_CLOEXEC, 0);
	u.filefd = p[0];
	w->wsi = w->fd >= 0 ? lws_adopt_descriptor_vhost(s->vhost, LWS_ADOPT_RAW_FILE_DESC, u,
	    st_fw_protocol.name, NULL) : NULL;
	if (!w->wsi) {
		CP_ERR(TAG, "cannot watch the worker pipe: the worker is stopped");
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (w->fd >= 0)
			close(w->fd);
		close(p[0]);
		w->pid = 0;
		w->fd = -1;
		return -EIO;
	}
	lws_set_opaque_user_data(w->wsi, w);
	CP_DEBUG(TAG, "worker %d started (task %d)", (int)pid, (int)task);
	return 0;
}

static void worker_drain(struct st_fw_worker *w)
{
	for (;;) {
		ssize_t n;
		if (w->len + 1 >= sizeof(w->buf))
			return;
		n = read(w->fd, w->buf + w->len, sizeof(w->buf) - 1 - w->len);
		if (n <= 0)
			return;
		w->len += (size_t)n;
	}
}

/* The event a failed attempt feeds the job: a transfer's reason tells a
 * refusal and an unusable URL (fw_transfer.c) from a failure worth another
 * try. */
static enum fw_event fail_event(const struct st_fw_worker *w, long rc)
{
	if (w->transfer && rc == -EACCES)
		return FW_EV_TRANSFER_DENIED;
	if (w->transfer && rc == -EPROTONOSUPPORT)
		return FW_EV_TRANSFER_UNSUPPORTED;
	return w->fail_ev;
}

/* The pipe closed: the worker has ended.  Reap it, then feed the job. */
static void worker_done(struct st_fw_worker *w)
{
	struct station *s = w->s;
	enum fw_kind kind = w->kind;
	char *why = NULL;
	long rc = -1;
	int status = 0;

	worker_drain(w);
	w->buf[w->len] = '\0';
	if (w->len) {
		rc = strtol(w->buf, &why, 10);
		while (why && *why == ' ')
			why++;
		if (why)
			why[strcspn(why, "\n")] = '\0';
	}
	close(w->fd);
	w->fd = -1;
	w->wsi = NULL;
	if (waitpid(w->pid, &status, 0) < 0)
		status = 0;
	w->pid = 0;
	if (!w->len)
		CP_ERR(TAG, "worker ended without a result (status 0x%x)", status);
	else if (rc == 0)
		CP_INFO(TAG, "%s: %s", kind_name(kind), why);
	else
		CP_WARN(TAG, "%s attempt failed: %s", kind_name(kind), why && *why ? why : "?");
	if (w->fail_ev == FW_EV_VERIFY_FAILED)
		snprintf(s->fw.verify_why, sizeof(s->fw.verify_why), "%s",
		    !w->len ? "the check ended without a result" : why && *why ? why : "?");
	if (s->stopping)
		return;
	st_event_begin(s);
	step(s, kind, w->len && rc == 0 ? w->ok_ev : fail_event(w, w->len ? rc : -1));
	st_event_end(s);
}

static int fw_callback(struct lws *wsi, enum lws_callback_reasons reason,
    void *user, void *in, size_t len)
{
	struct st_fw_worker *w = lws_get_opaque_user_data(wsi);
	ssize_t n;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (!w || w->fd < 0)
			return -1;
		if (w->len + 1 >= sizeof(w->buf))
			return -1;	/* more than one line: not our worker's talk */
		n = read(w->fd, w->buf + w->len, sizeof(w->buf) - 1 - w->len);
		if (n > 0) {
			w->len += (size_t)n;
			return 0;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		return -1;	/* end of file: the worker has exited */
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (w && w->fd >= 0) {
			lws_set_opaque_user_data(wsi, NULL);
			worker_done(w);
		}
		break;
	default:
		break;
	}
	return 0;
}

const struct lws_protocols st_fw_protocol = {
	.name = "ocpp-cp-firmware",
	.callback = fw_callback,
};

/* Kills a kind's worker, if one runs: its result is never fed to the job.
 * Its process group dies at once (SIGKILL), so the wait is short. */
static void worker_kill(struct station *s, enum fw_kind kind)
{
	struct st_fw_worker *w = &s->fw.worker[kind];

	if (!w->pid)
		return;
	CP_INFO(TAG, "stopping the %s worker", kind_name(kind));
	kill(-w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	w->pid = 0;
	/* lws still owns the pipe's read end: it closes it on the hang-up,
	 * and the callback finds no worker behind it. */
	if (w->wsi)
		lws_set_opaque_user_data(w->wsi, NULL);
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->wsi = NULL;
}

void st_fw_shutdown(struct station *s)
{
	for (int k = 0; k < FW_KIND_COUNT; k++) {
		if (!s->fw.worker[k].pid)
			continue;
		worker_kill(s, (enum fw_kind)k);
		/* The job cannot go on: its file goes. */
		st_fw__remove_file(s, (enum fw_kind)k);
	}
}

int st_fw__cancel(struct station *s, enum fw_kind kind)
{
	struct fw_input in;
	struct fw_output out;
	enum fw_phase before = s->fw.job[kind].phase;
	int rc;

	st_fw__input_now(s, &in);
	rc = fw_job_step(&s->fw.job[kind], FW_EV_CANCEL, &in, &out);
	if (rc < 0)
		return rc;
	CP_INFO(TAG, "%s job cancelled (was %s): a new request replaces it", kind_name(kind),
	    fw_phase_name(before));
	worker_kill(s, kind);
	st_fw__apply(s, kind, &out);
	return 0;
}

/* ---- carrying out the state machine's outputs ---------------------------- */

/* "Install" without an installer hook: the file is there and not empty;
 * the version is recorded and the reboot brings it into use. */
static void install_builtin(struct station *s)
{
	struct stat st;

	if (stat(s->fw.path[FW_KIND_FIRMWARE], &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		CP_INFO(TAG, "no installer configured: %lld-byte image accepted as %s",
		    (long long)st.st_size, s->fw.version);
		step(s, FW_KIND_FIRMWARE, FW_EV_INSTALL_OK);
	} else {
		CP_WARN(TAG, "no installer configured and the image is empty or missing");
		step(s, FW_KIND_FIRMWARE, FW_EV_INSTALL_FAILED);
	}
}

void st_fw_rearm(struct station *s)
{
	for (int k = 0; k < FW_KIND_COUNT; k++) {
		if (s->timer_armed[kind_timer[k]] && s->fw.timer_wall[k]) {
			int64_t ms = (s->fw.timer_utc[k].s - st_utc(s).s) * 1000;
			st_timer_arm_in(s, kind_timer[k], ms > 0 ? ms : 0);
		}
	}
}

/* Security events of a firmware update (whitepaper "Security events"):
 * after the notification they go with, queued durably by st_sec_event.
 * FirmwareUpdated for every installed image, signed or not. */
static void security_event(struct station *s, enum fw_kind kind, enum fw_status st)
{
	char info[STORE_SECLOG_INFO_LEN];

	if (kind != FW_KIND_FIRMWARE)
		return;
	if (st == FW_STATUS_INVALID_SIGNATURE && s->fw.job[kind].sec) {
		snprintf(info, sizeof(info), "%.*s", (int)sizeof(info) - 1, s->fw.verify_why);
		st_sec_event(s, "InvalidFirmwareSignature", info);
	} else if (st == FW_STATUS_INSTALLED) {
		snprintf(info, sizeof(info), "%.*s", (int)sizeof(info) - 1, s->fw.version);
		st_sec_event(s, "FirmwareUpdated", info);
	}
}

/* The signature check runs in the worker: it reads the whole image.  The
 * ManufacturerRootCertificates are read from the store here, in the daemon,
 * and the child works on its copy of them. */
static int verify_start(struct station *s, enum fw_kind kind)
{
	int rc;

	s->fw.verify_why[0] = '\0';
	rc = st_sec_pems(s, ST_CERT_MF_ROOT, &s->fw.roots, &s->fw.n_roots);
	if (rc < 0) {
		snprintf(s->fw.verify_why, sizeof(s->fw.verify_why),
		    "cannot read the ManufacturerRootCertificates: %s", strerror(-rc));
		s->fw.roots = NULL;
		s->fw.n_roots = 0;
		return rc;
	}
	s->fw.verify_at = st_utc(s);
	rc = worker_start(s, kind, TASK_VERIFY);
	st_sec_pems_free(s->fw.roots, s->fw.n_roots);
	s->fw.roots = NULL;
	s->fw.n_roots = 0;
	if (rc < 0)
		snprintf(s->fw.verify_why, sizeof(s->fw.verify_why), "cannot start the check: %s",
		    strerror(-rc));
	return rc;
}

void st_fw__apply(struct station *s, enum fw_kind kind, const struct fw_output *out)
{
	int rc;

	for (int i = 0; i < out->n_notify; i++) {
		notify(s, kind, out->notify[i]);
		security_event(s, kind, out->notify[i]);
	}
	if (out->timer) {
		int64_t ms = (out->timer_at.s - st_utc(s).s) * 1000;
		s->fw.timer_utc[kind] = out->timer_at;
		s->fw.timer_wall[kind] = true;
		st_timer_arm_in(s, kind_timer[kind], ms > 0 ? ms : 0);
	} else if (out->action != FW_ACT_NONE || out->done) {
		st_timer_cancel(s, kind_timer[kind]);
	}
	switch (out->action) {
	case FW_ACT_TRANSFER:
		if (kind == FW_KIND_FIRMWARE && st_fw__ensure_dir(s) < 0) {
			step(s, kind, FW_EV_TRANSFER_FAILED);
			return;
		}
		rc = worker_start(s, kind, kind == FW_KIND_FIRMWARE ? TASK_DOWNLOAD : TASK_UPLOAD);
		if (rc < 0) {
			CP_ERR(TAG, "cannot start the transfer: %s", strerror(-rc));
			step(s, kind, FW_EV_TRANSFER_FAILED);
		}
		return;
	case FW_ACT_VERIFY:
		rc = verify_start(s, kind);
		if (rc < 0) {
			CP_ERR(TAG, "signature check: %s", s->fw.verify_why);
			step(s, kind, FW_EV_VERIFY_FAILED);
		}
		return;
	case FW_ACT_INSTALL:
		if (!s->fw.installer) {
			install_builtin(s);
			return;
		}
		rc = worker_start(s, kind, TASK_INSTALL);
		if (rc < 0) {
			CP_ERR(TAG, "cannot start the installer: %s", strerror(-rc));
			step(s, kind, FW_EV_INSTALL_FAILED);
		}
		return;
	case FW_ACT_REBOOT:
		/* Persist first: the re-exec must find it (Installed follows
		 * the next accepted BootNotification). */
		if (store_state_set(s->db, STATE_INSTALLED, s->fw.version) < 0 ||
		    store_state_set(s->db, STATE_VERSION, s->fw.version) < 0)
			CP_ERR(TAG, "cannot record the installed version: Installed will not be reported");
		/* A signed update reports Installed with its requestId. */
		if (s->fw.job[kind].sec && s->fw.has_request[kind]) {
			if (store_state_set_int(s->db, STATE_REQUEST, s->fw.request_id[kind]) < 0)
				CP_ERR(TAG, "cannot record the update's requestId");
		} else {
			store_state_delete(s->db, STATE_REQUEST);
		}
		st_fw__remove_file(s, kind);
		s->fw.reboot_wanted = true;
		s->fw.timer_wall[kind] = false;
		st_timer_arm_in(s, kind_timer[kind], REBOOT_NOTIFY_GRACE_MS);
		maybe_reboot(s);
		return;
	case FW_ACT_NONE:
	default:
		break;
	}
	if (out->done)
		st_fw__remove_file(s, kind);
}

void st_fw_timer(struct station *s, enum fw_kind kind)
{
	if (kind == FW_KIND_FIRMWARE && s->fw.reboot_wanted) {
		/* The notifications were not answered in time: reboot anyway;
		 * Installed is persisted and follows the next boot. */
		s->fw.notify_inflight = 0;
		maybe_reboot(s);
		return;
	}
	step(s, kind, FW_EV_TIMER);
}

void st_fw_poll(struct station *s)
{
	if (!s->fw.installed_pending || s->boot != ST_BOOT_ACCEPTED)
		return;
	s->fw.installed_pending = false;
	store_state_delete(s->db, STATE_INSTALLED);
	store_state_delete(s->db, STATE_REQUEST);
	CP_INFO(TAG, "booted after installing %s", s->fw.version);
	step(s, FW_KIND_FIRMWARE, FW_EV_BOOT_ACCEPTED);
}

const char *st_fw_version(const struct station *s)
{
	return s->fw.version;
}

void st_fw_init(struct station *s, const char *installer)
{
	char v[STORE_MAX_STATE_VALUE];

	memset(&s->fw, 0, sizeof(s->fw));
	for (int k = 0; k < FW_KIND_COUNT; k++) {
		fw_job_init(&s->fw.job[k], (enum fw_kind)k);
		s->fw.worker[k].fd = -1;
	}
	s->fw.installer = installer;
	if (snprintf(s->fw.dir, sizeof(s->fw.dir), "%s.fw", s->opt.db) >= (int)sizeof(s->fw.dir))
		snprintf(s->fw.dir, sizeof(s->fw.dir), "/tmp/ocpp-cp.fw");
	if (store_state_get(s->db, STATE_VERSION, v, sizeof(v)) == 0)
		snprintf(s->fw.version, sizeof(s->fw.version), "%.*s", (int)sizeof(s->fw.version) - 1, v);
	if (store_state_get(s->db, STATE_INSTALLED, v, sizeof(v)) == 0) {
		int64_t id;

		snprintf(s->fw.version, sizeof(s->fw.version), "%.*s", (int)sizeof(s->fw.version) - 1, v);
		fw_job_restore_installed(&s->fw.job[FW_KIND_FIRMWARE]);
		if (store_state_get_int(s->db, STATE_REQUEST, &id) == 0 && id >= INT_MIN && id <= INT_MAX) {
			s->fw.job[FW_KIND_FIRMWARE].sec = true;
			s->fw.request_id[FW_KIND_FIRMWARE] = (int)id;
			s->fw.has_request[FW_KIND_FIRMWARE] = true;
		}
		s->fw.installed_pending = true;
		CP_INFO(TAG, "firmware %s was installed before this start: Installed follows the boot", v);
	}
	/* Leftovers of a job the last run could not finish. */
	if (s->fw.dir[0]) {
		char p[CP_MAX_PATH + 32];
		snprintf(p, sizeof(p), "%s/firmware.bin", s->fw.dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/firmware.bin.part", s->fw.dir);
		unlink(p);
	}
}

/* ---- UpdateFirmware -------------------------------------------------------- */

int st_fw__opt_int(const cJSON *req, const char *name, bool *has)
{
	int64_t v = 0;

	/* retries / retryInterval are schema integers without bounds; the
	 * job clamps them (fw_attempts_from, fw_interval_from), so one beyond
	 * int saturates instead of overflowing the conversion (C11 6.3.1.4). */
	*has = cp_json_int(req, name, -CP_JSON_INT_EXACT, CP_JSON_INT_EXACT, &v) == 0;
	return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

int st_fw__prepare_download(struct station *s, const char *location)
{
	st_fw__remove_file(s, FW_KIND_FIRMWARE);	/* a waiting image is replaced */
	if (snprintf(s->fw.path[FW_KIND_FIRMWARE], sizeof(s->fw.path[0]), "%s/firmware.bin",
	    s->fw.dir) >= (int)sizeof(s->fw.path[0])) {
		s->fw.path[FW_KIND_FIRMWARE][0] = '\0';
		return -ENAMETOOLONG;
	}
	snprintf(s->fw.location[FW_KIND_FIRMWARE], sizeof(s->fw.location[0]), "%s", location);
	version_from_location(s->fw.version, sizeof(s->fw.version), location);
	return 0;
}

int st_fw_handle_update_firmware(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen)
{
	struct station *s = ctx;
	struct fw_job *j = &s->fw.job[FW_KIND_FIRMWARE];
	const char *location = cJSON_GetStringValue(cJSON_GetObjectItem(req, "location"));
	const char *retrieve = cJSON_GetStringValue(cJSON_GetObjectItem(req, "retrieveDate"));
	struct fw_input in;
	struct fw_output out;
	bool has_retries, has_interval;
	int retries = st_fw__opt_int(req, "retries", &has_retries);
	int interval = st_fw__opt_int(req, "retryInterval", &has_interval);
	int rc;

	(void)err; (void)desc; (void)desclen;
	/* UpdateFirmware.conf is empty whatever happens (§6.51): problems are
	 * reported with FirmwareStatusNotification. */
	*resp = cJSON_CreateObject();
	st_fw__input_now(s, &in);
	if (!retrieve || ocpp_time_parse(retrieve, &in.start_at) < 0)
		in.start_at = in.now;
	in.attempts = fw_attempts_from(has_retries, retries);
	in.interval_s = fw_interval_from(has_interval, interval);
	if (j->phase == FW_PHASE_TRANSFER || j->phase == FW_PHASE_VERIFY ||
	    j->phase == FW_PHASE_INSTALL || j->phase == FW_PHASE_REBOOT) {
		CP_WARN(TAG, "UpdateFirmware %s ignored: an update is %s", location ? location : "?",
		    j->phase == FW_PHASE_TRANSFER ? "downloading" :
		    j->phase == FW_PHASE_VERIFY ? "being verified" : "installing");
		return 0;
	}
	if (!location || strlen(location) > CP_MAX_URL) {
		CP_WARN(TAG, "UpdateFirmware: location longer than %d characters", CP_MAX_URL);
		notify(s, FW_KIND_FIRMWARE, FW_STATUS_DOWNLOAD_FAILED);
		return 0;
	}
	if (st_fw__prepare_download(s, location) < 0) {
		CP_ERR(TAG, "UpdateFirmware: download path too long");
		notify(s, FW_KIND_FIRMWARE, FW_STATUS_DOWNLOAD_FAILED);
		return 0;
	}
	CP_INFO(TAG, "UpdateFirmware %s at %s, %d attempt(s) %d s apart", location,
	    retrieve ? retrieve : "now", in.attempts, in.interval_s);
	rc = fw_job_step(j, FW_EV_START, &in, &out);
	if (rc == 0)
		st_fw__apply(s, FW_KIND_FIRMWARE, &out);
	return 0;
}
