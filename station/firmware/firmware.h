/*
 * firmware.h - Firmware Management (OCPP 1.6 §4.4, §4.5, §5.8, §5.19):
 * UpdateFirmware and GetDiagnostics.
 *
 * Three layers:
 *   fw_job_*     the pure state machine of one job (a download that is then
 *                installed, or an upload), with retries and retryInterval.
 *                It takes (job, event, input with `now`) and returns what to
 *                notify and what to do; it never reads a clock or does I/O.
 *   fw_tar_*     a minimal ustar writer for the diagnostics archive.
 *   fw_worker_*  the blocking transfers (libcurl easy API) and the installer
 *                hook.  They run in a forked worker process, never in the
 *                daemon's thread (st_fw_* forks, the result comes back over a
 *                pipe adopted into the libwebsockets loop).
 *   st_fw_*      the daemon glue (firmware.c; GetDiagnostics in fw_diag.c).
 */
#ifndef ST_FIRMWARE_H
#define ST_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#include "cp_limits.h"
#include "cp_time.h"
#include "ocpp/ocpp.h"

/* UpdateFirmware / GetDiagnostics without `retries`: OCPP 1.6 leaves the
 * number of tries to the charge point; three rides out a file server restart
 * without hammering a missing file. */
#define FW_DEFAULT_ATTEMPTS 3
/* Without `retryInterval` (seconds, station clock). */
#define FW_DEFAULT_RETRY_INTERVAL_S 60
/* Upper bound on attempts whatever `retries` says: a central system asking
 * for 1000 retries of a missing file gets 10. */
#define FW_MAX_ATTEMPTS 10
/* Downloaded while a transaction runs: how often (station seconds) we look
 * again whether the station is idle; installing reboots, which would end
 * the transaction (OCPP 1.6 §5.19 lets the charge point pick the moment). */
#define FW_BUSY_RECHECK_S 10
/* Real seconds one transfer may take in total, and without any progress. */
#define FW_TRANSFER_TIMEOUT_S 1800
#define FW_STALL_TIMEOUT_S 60
/* Real seconds the installer hook may run before it is killed. */
#define FW_INSTALL_TIMEOUT_S 900
/* Schemes the daemon's transfers may use (HTTP, HTTPS, FTP). */
#define FW_PROTOCOLS "http,https,ftp,ftps"

enum fw_kind { FW_KIND_FIRMWARE = 0, FW_KIND_DIAGNOSTICS, FW_KIND_COUNT };

/* FirmwareStatus (§7.25) and DiagnosticsStatus (§7.24) values. */
enum fw_status {
	FW_STATUS_NONE = 0,		/* nothing to notify */
	FW_STATUS_IDLE,
	FW_STATUS_DOWNLOADING,
	FW_STATUS_DOWNLOADED,
	FW_STATUS_DOWNLOAD_FAILED,
	FW_STATUS_INSTALLING,
	FW_STATUS_INSTALLED,
	FW_STATUS_INSTALLATION_FAILED,
	FW_STATUS_UPLOADING,
	FW_STATUS_UPLOADED,
	FW_STATUS_UPLOAD_FAILED,
};
const char *fw_status_name(enum fw_status st);

enum fw_phase {
	FW_PHASE_IDLE = 0,
	FW_PHASE_SCHEDULED,	/* waiting for retrieveDate */
	FW_PHASE_TRANSFER,	/* one attempt runs in the worker */
	FW_PHASE_RETRY_WAIT,	/* an attempt failed; the next after retryInterval */
	FW_PHASE_WAIT_IDLE,	/* downloaded; waiting for the transactions to end */
	FW_PHASE_INSTALL,	/* the installer runs */
	FW_PHASE_REBOOT,	/* installed; Installed follows the next accepted boot */
};
const char *fw_phase_name(enum fw_phase p);

enum fw_event {
	FW_EV_START = 0,	/* UpdateFirmware / GetDiagnostics accepted */
	FW_EV_TIMER,		/* the job's deadline passed */
	FW_EV_TRANSFER_OK,
	FW_EV_TRANSFER_FAILED,
	FW_EV_INSTALL_OK,
	FW_EV_INSTALL_FAILED,
	FW_EV_BOOT_ACCEPTED,	/* the first BootNotification after the install reboot */
};

enum fw_action {
	FW_ACT_NONE = 0,
	FW_ACT_TRANSFER,	/* start one download / upload attempt */
	FW_ACT_INSTALL,		/* run the installer on the downloaded file */
	FW_ACT_REBOOT,		/* persist "installed, pending boot", then re-exec */
};

struct fw_input {
	cp_utc_t now;
	bool busy;		/* a transaction runs (firmware jobs wait for none) */
	/* FW_EV_START only; the glue has applied the defaults. */
	cp_utc_t start_at;	/* retrieveDate (firmware) or now */
	int attempts;		/* total tries, >= 1 */
	int interval_s;		/* between tries */
};

#define FW_MAX_NOTIFY 2

struct fw_output {
	enum fw_status notify[FW_MAX_NOTIFY];	/* in order */
	int n_notify;
	enum fw_action action;
	bool timer;		/* (re)arm the job's timer at timer_at */
	cp_utc_t timer_at;
	bool done;		/* the job ended: its files may go */
};

struct fw_job {
	enum fw_kind kind;
	enum fw_phase phase;
	int attempt;		/* attempts made, including the running one */
	int max_attempts;
	int interval_s;
	cp_utc_t at;		/* deadline of SCHEDULED / RETRY_WAIT / WAIT_IDLE */
};

void fw_job_init(struct fw_job *j, enum fw_kind kind);
/* One event.  Returns 0, -EBUSY for FW_EV_START while a transfer, install or
 * reboot is under way (the job is unchanged), or -EINVAL for an event that
 * does not apply to the phase (a stale timer or result: ignored, out empty). */
int fw_job_step(struct fw_job *j, enum fw_event ev, const struct fw_input *in,
    struct fw_output *out);
/* What TriggerMessage reports (OCPP 1.6 §7.24/§7.25: Idle when the station
 * is not busy with a firmware update / an upload). */
enum fw_status fw_job_current_status(const struct fw_job *j);
/* After the install reboot: the job waits for FW_EV_BOOT_ACCEPTED. */
void fw_job_restore_installed(struct fw_job *j);
/* The retries / retryInterval of a request, defaults and bounds applied. */
int fw_attempts_from(bool has_retries, int retries);
int fw_interval_from(bool has_interval, int interval_s);

/* ---- ustar writer -------------------------------------------------------- */

/* Writes a POSIX ustar archive to a stdio stream (caller-owned).  Member
 * names up to 99 characters (no prefix field needed for ours). */
int fw_tar_add(FILE *f, const char *name, const void *data, size_t len, cp_utc_t mtime);
/* The two zero blocks that end an archive.  The stream stays open. */
int fw_tar_finish(FILE *f);

/* ---- worker side (blocking; only in the worker process and in tests) ---- */

/* Downloads url into path (via path + ".part", renamed on success).
 * protocols is a libcurl protocol list ("http,https,ftp,ftps").  0 or a
 * negative errno; why receives a one-line reason either way. */
int fw_worker_download(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen);
/* Uploads the file at path to url (HTTP(S) PUT, FTP STOR). */
int fw_worker_upload(const char *url, const char *path, const char *protocols,
    char *why, size_t whylen);
/* Runs `installer path`, waits at most timeout_s; 0 when it exits 0. */
int fw_worker_install(const char *installer, const char *path, int timeout_s,
    char *why, size_t whylen);
/* The upload URL: location, plus file_name when location ends with '/'. */
int fw_upload_url(const char *location, const char *file_name, char *out, size_t outlen);

/* ---- daemon glue (firmware.c) --------------------------------------------- */

struct station;

struct st_fw_worker {
	struct station *s;
	enum fw_kind kind;
	pid_t pid;		/* 0: none */
	int fd;			/* our copy of the pipe's read end, -1: none */
	struct lws *wsi;	/* the adopted read end */
	enum fw_event ok_ev, fail_ev;
	char buf[CP_MAX_ERROR_DESC];
	size_t len;
};

struct st_fw {
	struct fw_job job[FW_KIND_COUNT];
	struct st_fw_worker worker[FW_KIND_COUNT];
	char location[FW_KIND_COUNT][CP_MAX_URL + 1];
	char path[FW_KIND_COUNT][CP_MAX_PATH + 1];	/* the downloaded / built file */
	char file_name[CP_MAX_FILE_NAME + 1];		/* GetDiagnostics.conf fileName */
	char dir[CP_MAX_PATH + 1];			/* <db>.fw/ */
	const char *installer;				/* --firmware-installer, may be NULL */
	char version[CP_MAX_FILE_NAME + 1];		/* installed: the file's name */
	int notify_inflight;	/* FirmwareStatusNotifications not answered yet */
	bool reboot_wanted;	/* after the notifications are out */
	bool installed_pending;	/* restored after the install reboot: Installed to send */
	cp_utc_t timer_utc[FW_KIND_COUNT];	/* the wall-clock instant a job's timer is for */
	bool timer_wall[FW_KIND_COUNT];		/* ... when it waits for one (not a grace period) */
};

extern const struct lws_protocols st_fw_protocol;

void st_fw_init(struct station *s, const char *installer);
/* Kills running workers (shutdown, re-exec). */
void st_fw_shutdown(struct station *s);
void st_fw_timer(struct station *s, enum fw_kind kind);
/* The wall clock was stepped: a job waiting for a wall-clock instant
 * (retrieveDate, a retry) waits for the same instant on the new clock. */
void st_fw_rearm(struct station *s);
/* After every inbound frame: sends Installed once the boot after an
 * install was accepted. */
void st_fw_poll(struct station *s);
/* TriggerMessage: queue the current status of one kind. */
void st_fw_send_status(struct station *s, enum fw_kind kind);
/* The firmware version recorded by the last install ("" if none). */
const char *st_fw_version(const struct station *s);

int st_fw_handle_update_firmware(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_fw_handle_get_diagnostics(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);

#endif
