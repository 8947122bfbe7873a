/*
 * fw_core.c - the state machine of one firmware or diagnostics job (pure:
 * no clock, no I/O; see firmware.h).
 *
 * Firmware (OCPP 1.6 §5.19, §4.5):
 *   SCHEDULED --retrieveDate--> TRANSFER (Downloading)
 *   TRANSFER --ok--> Downloaded, then INSTALL (Installing) or WAIT_IDLE
 *   TRANSFER --fail--> RETRY_WAIT --retryInterval--> TRANSFER ... DownloadFailed
 *   INSTALL --ok--> REBOOT --boot accepted--> Installed
 *   INSTALL --fail--> InstallationFailed
 * Diagnostics (§5.8, §4.4): TRANSFER (Uploading) --> Uploaded / UploadFailed,
 * with the same retries.
 * Downloading / Uploading is sent once per job, not per attempt: the central
 * system sees one transfer that either succeeds or fails.
 *
 * The Security Whitepaper's jobs (j->sec) take the same path with these
 * differences:
 *   SignedUpdateFirmware ("Secure Firmware Update"):
 *     START with retrieveDateTime ahead: DownloadScheduled
 *     TRANSFER --ok--> Downloaded, VERIFY (the worker checks the signature)
 *     VERIFY --ok--> SignatureVerified, then Installing, or InstallScheduled
 *       and INSTALL_WAIT until installDateTime
 *     VERIFY --fail--> InvalidSignature: the job ends, never Installing
 *     INSTALL --ok--> InstallRebooting, REBOOT (Installed after the boot)
 *   GetLog ("Get Security Log"): UploadFailure instead of UploadFailed; a
 *     refusal (PermissionDenied) or an unusable scheme (NotSupportedOperation)
 *     ends the job at once: trying again cannot succeed.
 *   Both can be cancelled (FW_EV_CANCEL) unless installing or rebooting: a
 *     new request replaces the job and answers AcceptedCanceled.
 */
#include "station/firmware/firmware.h"

#include <errno.h>
#include <string.h>

static const char *const status_names[] = {
	[FW_STATUS_NONE] = "",
	[FW_STATUS_IDLE] = "Idle",
	[FW_STATUS_DOWNLOADING] = "Downloading",
	[FW_STATUS_DOWNLOADED] = "Downloaded",
	[FW_STATUS_DOWNLOAD_FAILED] = "DownloadFailed",
	[FW_STATUS_INSTALLING] = "Installing",
	[FW_STATUS_INSTALLED] = "Installed",
	[FW_STATUS_INSTALLATION_FAILED] = "InstallationFailed",
	[FW_STATUS_UPLOADING] = "Uploading",
	[FW_STATUS_UPLOADED] = "Uploaded",
	[FW_STATUS_UPLOAD_FAILED] = "UploadFailed",
	[FW_STATUS_DOWNLOAD_SCHEDULED] = "DownloadScheduled",
	[FW_STATUS_SIGNATURE_VERIFIED] = "SignatureVerified",
	[FW_STATUS_INVALID_SIGNATURE] = "InvalidSignature",
	[FW_STATUS_INSTALL_SCHEDULED] = "InstallScheduled",
	[FW_STATUS_INSTALL_REBOOTING] = "InstallRebooting",
	[FW_STATUS_UPLOAD_FAILURE] = "UploadFailure",
	[FW_STATUS_BAD_MESSAGE] = "BadMessage",
	[FW_STATUS_NOT_SUPPORTED_OPERATION] = "NotSupportedOperation",
	[FW_STATUS_PERMISSION_DENIED] = "PermissionDenied",
};

static const char *const phase_names[] = {
	[FW_PHASE_IDLE] = "idle",
	[FW_PHASE_SCHEDULED] = "scheduled",
	[FW_PHASE_TRANSFER] = "transfer",
	[FW_PHASE_RETRY_WAIT] = "retry-wait",
	[FW_PHASE_WAIT_IDLE] = "wait-idle",
	[FW_PHASE_INSTALL] = "install",
	[FW_PHASE_REBOOT] = "reboot",
	[FW_PHASE_VERIFY] = "verify",
	[FW_PHASE_INSTALL_WAIT] = "install-wait",
};

const char *fw_status_name(enum fw_status st)
{
	if ((unsigned)st >= sizeof(status_names) / sizeof(status_names[0]))
		return "?";
	return status_names[st];
}

enum fw_status fw_status_v16(enum fw_status st)
{
	switch (st) {
	case FW_STATUS_DOWNLOAD_SCHEDULED:
		return FW_STATUS_IDLE;		/* nothing runs yet */
	case FW_STATUS_SIGNATURE_VERIFIED:
	case FW_STATUS_INSTALL_SCHEDULED:
		return FW_STATUS_DOWNLOADED;	/* downloaded, not installing yet */
	case FW_STATUS_INSTALL_REBOOTING:
		return FW_STATUS_INSTALLING;
	case FW_STATUS_INVALID_SIGNATURE:
		return FW_STATUS_INSTALLATION_FAILED;
	case FW_STATUS_UPLOAD_FAILURE:
	case FW_STATUS_BAD_MESSAGE:
	case FW_STATUS_NOT_SUPPORTED_OPERATION:
	case FW_STATUS_PERMISSION_DENIED:
		return FW_STATUS_UPLOAD_FAILED;
	default:
		return st;
	}
}

const char *fw_phase_name(enum fw_phase p)
{
	if ((unsigned)p >= sizeof(phase_names) / sizeof(phase_names[0]))
		return "?";
	return phase_names[p];
}

int fw_attempts_from(bool has_retries, int retries)
{
	/* `retries` is "how many times the charge point must try" (§6.43):
	 * the total number of attempts, at least one. */
	if (!has_retries)
		return FW_DEFAULT_ATTEMPTS;
	if (retries < 1)
		return 1;
	return retries > FW_MAX_ATTEMPTS ? FW_MAX_ATTEMPTS : retries;
}

int fw_interval_from(bool has_interval, int interval_s)
{
	if (!has_interval)
		return FW_DEFAULT_RETRY_INTERVAL_S;
	return interval_s < 0 ? 0 : interval_s;
}

void fw_job_init(struct fw_job *j, enum fw_kind kind)
{
	memset(j, 0, sizeof(*j));
	j->kind = kind;
	j->phase = FW_PHASE_IDLE;
}

void fw_job_restore_installed(struct fw_job *j)
{
	j->phase = FW_PHASE_REBOOT;
}

enum fw_status fw_job_current_status(const struct fw_job *j)
{
	bool fw = j->kind == FW_KIND_FIRMWARE;

	switch (j->phase) {
	case FW_PHASE_TRANSFER:
	case FW_PHASE_RETRY_WAIT:
		return fw ? FW_STATUS_DOWNLOADING : FW_STATUS_UPLOADING;
	case FW_PHASE_VERIFY:
		return FW_STATUS_DOWNLOADED;
	case FW_PHASE_WAIT_IDLE:
		return j->sec ? FW_STATUS_SIGNATURE_VERIFIED : FW_STATUS_DOWNLOADED;
	case FW_PHASE_INSTALL_WAIT:
		return FW_STATUS_INSTALL_SCHEDULED;
	case FW_PHASE_INSTALL:
		return FW_STATUS_INSTALLING;
	case FW_PHASE_REBOOT:
		return j->sec ? FW_STATUS_INSTALL_REBOOTING : FW_STATUS_INSTALLING;
	case FW_PHASE_SCHEDULED:
		return j->sec && fw ? FW_STATUS_DOWNLOAD_SCHEDULED : FW_STATUS_IDLE;
	case FW_PHASE_IDLE:
	default:
		return FW_STATUS_IDLE;
	}
}

static void notify(struct fw_output *out, enum fw_status st)
{
	if (out->n_notify < FW_MAX_NOTIFY)
		out->notify[out->n_notify++] = st;
}

static void arm(struct fw_job *j, struct fw_output *out, cp_utc_t at)
{
	j->at = at;
	out->timer = true;
	out->timer_at = at;
}

static void finish(struct fw_job *j, struct fw_output *out, enum fw_status st)
{
	if (st != FW_STATUS_NONE)
		notify(out, st);
	j->phase = FW_PHASE_IDLE;
	j->attempt = 0;
	out->done = true;
}

/* A transfer failed.  Only a whitepaper upload tells the reasons apart. */
static enum fw_status final_failure(const struct fw_job *j)
{
	if (j->kind == FW_KIND_FIRMWARE)
		return FW_STATUS_DOWNLOAD_FAILED;
	return j->sec ? FW_STATUS_UPLOAD_FAILURE : FW_STATUS_UPLOAD_FAILED;
}

/* Every transition into TRANSFER goes through here. */
static void begin_attempt(struct fw_job *j, struct fw_output *out)
{
	if (j->attempt == 0)
		notify(out, j->kind == FW_KIND_FIRMWARE ? FW_STATUS_DOWNLOADING : FW_STATUS_UPLOADING);
	j->attempt++;
	j->phase = FW_PHASE_TRANSFER;
	out->action = FW_ACT_TRANSFER;
}

static void try_install(struct fw_job *j, const struct fw_input *in, struct fw_output *out)
{
	if (in->busy) {
		j->phase = FW_PHASE_WAIT_IDLE;
		arm(j, out, cp_utc(in->now.s + FW_BUSY_RECHECK_S));
		return;
	}
	notify(out, FW_STATUS_INSTALLING);
	j->phase = FW_PHASE_INSTALL;
	out->action = FW_ACT_INSTALL;
}

static void attempt_failed(struct fw_job *j, const struct fw_input *in, struct fw_output *out)
{
	if (j->attempt < j->max_attempts) {
		j->phase = FW_PHASE_RETRY_WAIT;
		arm(j, out, cp_utc(in->now.s + j->interval_s));
		return;
	}
	finish(j, out, final_failure(j));
}

/* Downloaded: a signed image is verified first, then installed, at
 * installDateTime when that is still ahead. */
static void downloaded(struct fw_job *j, const struct fw_input *in, struct fw_output *out)
{
	notify(out, FW_STATUS_DOWNLOADED);
	if (j->sec) {
		j->phase = FW_PHASE_VERIFY;
		out->action = FW_ACT_VERIFY;
		return;
	}
	try_install(j, in, out);
}

static void verified(struct fw_job *j, const struct fw_input *in, struct fw_output *out)
{
	notify(out, FW_STATUS_SIGNATURE_VERIFIED);
	if (j->install_at.s > in->now.s) {
		notify(out, FW_STATUS_INSTALL_SCHEDULED);
		j->phase = FW_PHASE_INSTALL_WAIT;
		arm(j, out, j->install_at);
		return;
	}
	try_install(j, in, out);
}

/* Cancelling needs no notification: the answer to the replacing request
 * (AcceptedCanceled) tells the central system. */
static int cancel(struct fw_job *j, struct fw_output *out)
{
	finish(j, out, FW_STATUS_NONE);
	return 0;
}

static int start(struct fw_job *j, const struct fw_input *in, struct fw_output *out)
{
	j->attempt = 0;
	j->max_attempts = in->attempts < 1 ? 1 : in->attempts;
	j->interval_s = in->interval_s < 0 ? 0 : in->interval_s;
	j->sec = in->sec;
	j->install_at = in->sec && j->kind == FW_KIND_FIRMWARE ? in->install_at : cp_utc(0);
	if (in->start_at.s > in->now.s) {
		j->phase = FW_PHASE_SCHEDULED;
		arm(j, out, in->start_at);
		if (j->sec && j->kind == FW_KIND_FIRMWARE)
			notify(out, FW_STATUS_DOWNLOAD_SCHEDULED);
	} else {
		begin_attempt(j, out);
	}
	return 0;
}

int fw_job_step(struct fw_job *j, enum fw_event ev, const struct fw_input *in,
    struct fw_output *out)
{
	memset(out, 0, sizeof(*out));
	switch (j->phase) {
	case FW_PHASE_IDLE:
		switch (ev) {
		case FW_EV_START:
			return start(j, in, out);
		default:
			return -EINVAL;
		}
	case FW_PHASE_SCHEDULED:
	case FW_PHASE_RETRY_WAIT:
		switch (ev) {
		case FW_EV_START:
			/* A new request replaces one that has not started a
			 * transfer yet: the central system changed its mind. */
			return start(j, in, out);
		case FW_EV_CANCEL:
			return cancel(j, out);
		case FW_EV_TIMER:
			if (in->now.s < j->at.s) {
				arm(j, out, j->at);
				return 0;
			}
			begin_attempt(j, out);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_TRANSFER:
		switch (ev) {
		case FW_EV_START:
			return -EBUSY;
		case FW_EV_CANCEL:
			return cancel(j, out);
		case FW_EV_TRANSFER_OK:
			if (j->kind == FW_KIND_DIAGNOSTICS) {
				finish(j, out, FW_STATUS_UPLOADED);
				return 0;
			}
			downloaded(j, in, out);
			return 0;
		case FW_EV_TRANSFER_DENIED:
			if (j->sec && j->kind == FW_KIND_DIAGNOSTICS) {
				finish(j, out, FW_STATUS_PERMISSION_DENIED);
				return 0;
			}
			attempt_failed(j, in, out);
			return 0;
		case FW_EV_TRANSFER_UNSUPPORTED:
			if (j->sec && j->kind == FW_KIND_DIAGNOSTICS) {
				finish(j, out, FW_STATUS_NOT_SUPPORTED_OPERATION);
				return 0;
			}
			attempt_failed(j, in, out);
			return 0;
		case FW_EV_TRANSFER_FAILED:
			attempt_failed(j, in, out);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_VERIFY:
		switch (ev) {
		case FW_EV_START:
			return -EBUSY;
		case FW_EV_CANCEL:
			return cancel(j, out);
		case FW_EV_VERIFY_OK:
			verified(j, in, out);
			return 0;
		case FW_EV_VERIFY_FAILED:
			/* Whitepaper "Secure Firmware Update": an image whose
			 * signature does not verify is never installed. */
			finish(j, out, FW_STATUS_INVALID_SIGNATURE);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_INSTALL_WAIT:
		switch (ev) {
		case FW_EV_START:
			return start(j, in, out);
		case FW_EV_CANCEL:
			return cancel(j, out);
		case FW_EV_TIMER:
			if (in->now.s < j->at.s) {
				arm(j, out, j->at);
				return 0;
			}
			try_install(j, in, out);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_WAIT_IDLE:
		switch (ev) {
		case FW_EV_START:
			/* Downloaded and waiting: a new request starts over
			 * (its file replaces the waiting one). */
			return start(j, in, out);
		case FW_EV_CANCEL:
			return cancel(j, out);
		case FW_EV_TIMER:
			if (in->busy || in->now.s < j->at.s) {
				arm(j, out, cp_utc(in->now.s + FW_BUSY_RECHECK_S));
				return 0;
			}
			try_install(j, in, out);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_INSTALL:
		switch (ev) {
		case FW_EV_START:
		case FW_EV_CANCEL:
			return -EBUSY;
		case FW_EV_INSTALL_OK:
			/* Installed is reported after the reboot, once the new
			 * firmware has booted (§4.5 "Installed"); the
			 * whitepaper announces the reboot itself. */
			if (j->sec)
				notify(out, FW_STATUS_INSTALL_REBOOTING);
			j->phase = FW_PHASE_REBOOT;
			out->action = FW_ACT_REBOOT;
			return 0;
		case FW_EV_INSTALL_FAILED:
			finish(j, out, FW_STATUS_INSTALLATION_FAILED);
			return 0;
		default:
			return -EINVAL;
		}
	case FW_PHASE_REBOOT:
		switch (ev) {
		case FW_EV_START:
		case FW_EV_CANCEL:
			return -EBUSY;
		case FW_EV_BOOT_ACCEPTED:
			finish(j, out, FW_STATUS_INSTALLED);
			return 0;
		default:
			return -EINVAL;
		}
	default:
		return -EINVAL;
	}
}
