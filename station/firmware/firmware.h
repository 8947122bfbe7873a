/*
 * firmware.h - Firmware Management (OCPP 1.6 §4.4, §4.5, §5.8, §5.19):
 * UpdateFirmware and GetDiagnostics; and their counterparts of the OCPP 1.6
 * Security Whitepaper (edition 3), use cases "Secure Firmware Update"
 * (SignedUpdateFirmware) and "Get Security Log" (GetLog).  docs/firmware.md
 * describes both from the operator's side.
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
/* SignedUpdateFirmware.req firmware.signingCertificate: the maxLength of the
 * whitepaper's JSON schema (a PEM leaf with a few intermediates). */
#define FW_MAX_SIGNING_CERT 5500

enum fw_kind { FW_KIND_FIRMWARE = 0, FW_KIND_DIAGNOSTICS, FW_KIND_COUNT };

/* FirmwareStatus (§7.25) and DiagnosticsStatus (§7.24) values, then the
 * whitepaper's own: FirmwareStatusEnumType of SignedFirmwareStatusNotification
 * and UploadLogStatusEnumType of LogStatusNotification.  A job started by a
 * 1.6 message only ever reports the 1.6 values. */
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
	/* Security Whitepaper only */
	FW_STATUS_DOWNLOAD_SCHEDULED,
	FW_STATUS_SIGNATURE_VERIFIED,
	FW_STATUS_INVALID_SIGNATURE,
	FW_STATUS_INSTALL_SCHEDULED,
	FW_STATUS_INSTALL_REBOOTING,
	FW_STATUS_UPLOAD_FAILURE,	/* the whitepaper's spelling of UploadFailed */
	FW_STATUS_BAD_MESSAGE,
	FW_STATUS_NOT_SUPPORTED_OPERATION,
	FW_STATUS_PERMISSION_DENIED,
};
const char *fw_status_name(enum fw_status st);
/* What a 1.6 FirmwareStatusNotification / DiagnosticsStatusNotification
 * (TriggerMessage) says for a status of a whitepaper job: the nearest 1.6
 * value (SignatureVerified -> Downloaded, DownloadScheduled -> Idle, ...). */
enum fw_status fw_status_v16(enum fw_status st);

enum fw_phase {
	FW_PHASE_IDLE = 0,
	FW_PHASE_SCHEDULED,	/* waiting for retrieveDate */
	FW_PHASE_TRANSFER,	/* one attempt runs in the worker */
	FW_PHASE_RETRY_WAIT,	/* an attempt failed; the next after retryInterval */
	FW_PHASE_WAIT_IDLE,	/* downloaded; waiting for the transactions to end */
	FW_PHASE_INSTALL,	/* the installer runs */
	FW_PHASE_REBOOT,	/* installed; Installed follows the next accepted boot */
	FW_PHASE_VERIFY,	/* signed firmware: the worker checks the signature */
	FW_PHASE_INSTALL_WAIT,	/* signed firmware: verified, waiting for installDateTime */
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
	/* A transfer failed for good: the server refused our credentials or
	 * the file (HTTP 401/403, FTP login), or the URL's scheme cannot be
	 * used.  A whitepaper upload (GetLog) ends at once with
	 * PermissionDenied / NotSupportedOperation; every other job takes it as
	 * FW_EV_TRANSFER_FAILED (and retries, as a 1.6 job always did). */
	FW_EV_TRANSFER_DENIED,
	FW_EV_TRANSFER_UNSUPPORTED,
	FW_EV_VERIFY_OK,	/* the firmware signature verified */
	FW_EV_VERIFY_FAILED,
	/* A whitepaper request replaces the job (AcceptedCanceled): 0 when a
	 * job was cancelled (the worker must be stopped), -EINVAL when none
	 * ran, -EBUSY while installing or rebooting (it cannot be stopped). */
	FW_EV_CANCEL,
};

enum fw_action {
	FW_ACT_NONE = 0,
	FW_ACT_TRANSFER,	/* start one download / upload attempt */
	FW_ACT_INSTALL,		/* run the installer on the downloaded file */
	FW_ACT_REBOOT,		/* persist "installed, pending boot", then re-exec */
	FW_ACT_VERIFY,		/* check the downloaded file's signature (in the worker) */
};

struct fw_input {
	cp_utc_t now;
	bool busy;		/* a transaction runs (firmware jobs wait for none) */
	/* FW_EV_START only; the glue has applied the defaults. */
	cp_utc_t start_at;	/* retrieveDate (firmware) or now */
	int attempts;		/* total tries, >= 1 */
	int interval_s;		/* between tries */
	bool sec;		/* SignedUpdateFirmware / GetLog, not the 1.6 message */
	cp_utc_t install_at;	/* signed firmware: installDateTime (or <= now) */
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
	cp_utc_t at;		/* deadline of SCHEDULED / RETRY_WAIT / WAIT_IDLE / INSTALL_WAIT */
	/* Started by a Security Whitepaper message: its statuses, a signature
	 * check after the download, InstallRebooting before the reboot. */
	bool sec;
	cp_utc_t install_at;
};

void fw_job_init(struct fw_job *j, enum fw_kind kind);
/* One event.  Returns 0, -EBUSY for FW_EV_START while a transfer, install or
 * reboot is under way (the job is unchanged), or -EINVAL for an event that
 * does not apply to the phase (a stale timer or result: ignored, out empty). */
int fw_job_step(struct fw_job *j, enum fw_event ev, const struct fw_input *in,
    struct fw_output *out);
/* What TriggerMessage reports (OCPP 1.6 §7.24/§7.25: Idle when the station
 * is not busy with a firmware update / an upload).  For a whitepaper job the
 * whitepaper's value (see fw_status_v16 for the 1.6 message). */
enum fw_status fw_job_current_status(const struct fw_job *j);
/* After the install reboot: the job waits for FW_EV_BOOT_ACCEPTED.  The
 * caller sets j->sec afterwards when a SignedUpdateFirmware installed. */
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
/* Whether a transfer to url can be tried (GetLog remoteLocation): 0 for
 * scheme://host... with a scheme of FW_PROTOCOLS (any case), -EPROTONOSUPPORT
 * for another scheme, -EINVAL for what is not such a URL.  Pure. */
int fw_url_check(const char *url);
/* Signed firmware (fw_signed.c): verifies `signature_b64` over the file at
 * path with the key of `cert_pem`, which must chain at `now` to one of the
 * roots (cert_verify_init/update/final of station/security/cert.h), reading
 * the file in pieces.  0, or a negative errno; why says what failed.
 * Blocking: only the worker process calls it. */
int fw_verify_file(const char *path, const char *cert_pem, const char *const *roots,
    size_t n_roots, int64_t now, const char *signature_b64, char *why, size_t whylen);

/* ---- daemon glue (firmware.c) --------------------------------------------- */

struct station;

struct st_fw_worker {
	struct station *s;
	enum fw_kind kind;
	pid_t pid;		/* 0: none */
	int fd;			/* our copy of the pipe's read end, -1: none */
	struct lws *wsi;	/* the adopted read end */
	enum fw_event ok_ev, fail_ev;
	bool transfer;		/* a download or upload (its failures are told apart) */
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
	/* The Security Whitepaper's jobs (fw_signed.c, fw_diag.c). */
	int request_id[FW_KIND_COUNT];		/* requestId of the last SignedUpdateFirmware / GetLog */
	bool has_request[FW_KIND_COUNT];
	char signing_cert[FW_MAX_SIGNING_CERT + 1];	/* signingCertificate (PEM) */
	char signature[CP_MAX_FW_SIGNATURE + 1];	/* signature (base64) */
	char verify_why[CP_MAX_ERROR_DESC];	/* why the signature did not verify */
	cp_utc_t verify_at;			/* the station's time of the check */
	/* The ManufacturerRootCertificates, fetched just before the verify
	 * worker is forked (the child reads its copy; the store stays the
	 * parent's) and freed right after. */
	char **roots;
	size_t n_roots;
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
/* ExtendedTriggerMessage(FirmwareStatusNotification): a
 * SignedFirmwareStatusNotification with the current status (Idle when
 * nothing runs) and the requestId of the last SignedUpdateFirmware if any. */
void st_fw_send_signed_status(struct station *s);
/* ExtendedTriggerMessage(LogStatusNotification): Uploading while an upload
 * runs (with the GetLog requestId when GetLog started it), else Idle. */
void st_fw_send_log_status(struct station *s);
/* The firmware version recorded by the last install ("" if none). */
const char *st_fw_version(const struct station *s);

int st_fw_handle_update_firmware(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_fw_handle_get_diagnostics(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_fw_handle_signed_update_firmware(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);
int st_fw_handle_get_log(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);

#endif
