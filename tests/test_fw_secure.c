/*
 * test_fw_secure.c - the firmware / diagnostics job state machine for the
 * OCPP 1.6 Security Whitepaper's requests (SignedUpdateFirmware, GetLog)
 * with a fake clock: the notifications the central system would see, in
 * order, what the daemon is told to do and when its timer fires; the
 * cancellation a replacing request makes; the 1.6 value a triggered 1.6
 * notification falls back to; and which remoteLocation a transfer can use.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "station/firmware/firmware.h"

#define MAX_STEPS 10
#define T0 1700000000

struct step {
	enum fw_event ev;
	int64_t now;		/* seconds after T0 */
	bool busy;
	/* FW_EV_START */
	bool plain;		/* a 1.6 request (UpdateFirmware / GetDiagnostics) */
	int64_t start_at;	/* seconds after T0 */
	int64_t install_at;	/* seconds after T0 */
	int attempts, interval;
	/* expected */
	int rc;
	enum fw_status notify[FW_MAX_NOTIFY];	/* FW_STATUS_NONE-terminated */
	enum fw_action action;
	int64_t timer_at;	/* seconds after T0; 0: no timer */
	bool done;
	enum fw_phase phase;
	enum fw_status current;	/* what ExtendedTriggerMessage would report afterwards */
};

struct scenario {
	const char *name;
	enum fw_kind kind;
	struct step steps[MAX_STEPS];
};

static const struct scenario scenarios[] = {
	{
		.name = "signed: Downloading, Downloaded, SignatureVerified, Installing, InstallRebooting, Installed",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 5, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_VERIFY_OK, .now = 6,
			  .notify = { FW_STATUS_SIGNATURE_VERIFIED, FW_STATUS_INSTALLING },
			  .action = FW_ACT_INSTALL, .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_INSTALL_OK, .now = 7, .notify = { FW_STATUS_INSTALL_REBOOTING },
			  .action = FW_ACT_REBOOT, .phase = FW_PHASE_REBOOT,
			  .current = FW_STATUS_INSTALL_REBOOTING },
			{ .ev = FW_EV_BOOT_ACCEPTED, .now = 20, .notify = { FW_STATUS_INSTALLED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "signed: a signature that does not verify ends the job, never Installing",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 5, .busy = true, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_VERIFY_FAILED, .now = 6, .notify = { FW_STATUS_INVALID_SIGNATURE },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_INSTALL_OK, .now = 7, .rc = -EINVAL,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_TIMER, .now = 8, .rc = -EINVAL,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "signed: verification waits for the transfer, a stale result is ignored",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_VERIFY_OK, .now = 1, .rc = -EINVAL,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 2, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_START, .now = 3, .attempts = 1, .rc = -EBUSY,
			  .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_TRANSFER_OK, .now = 3, .rc = -EINVAL,
			  .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_INSTALL_OK, .now = 3, .rc = -EINVAL,
			  .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
		},
	},
	{
		.name = "signed: retrieveDateTime ahead reports DownloadScheduled, Downloading at it",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 100, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOAD_SCHEDULED }, .timer_at = 100,
			  .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_DOWNLOAD_SCHEDULED },
			{ .ev = FW_EV_TIMER, .now = 40, .timer_at = 100,
			  .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_DOWNLOAD_SCHEDULED },
			{ .ev = FW_EV_TIMER, .now = 100, .notify = { FW_STATUS_DOWNLOADING },
			  .action = FW_ACT_TRANSFER, .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
		},
	},
	{
		.name = "signed: installDateTime ahead: InstallScheduled, then idle station, then Installing",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .install_at = 100, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 5, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_VERIFY_OK, .now = 10,
			  .notify = { FW_STATUS_SIGNATURE_VERIFIED, FW_STATUS_INSTALL_SCHEDULED },
			  .timer_at = 100, .phase = FW_PHASE_INSTALL_WAIT, .current = FW_STATUS_INSTALL_SCHEDULED },
			{ .ev = FW_EV_TIMER, .now = 50, .timer_at = 100,
			  .phase = FW_PHASE_INSTALL_WAIT, .current = FW_STATUS_INSTALL_SCHEDULED },
			{ .ev = FW_EV_TIMER, .now = 100, .busy = true, .timer_at = 100 + FW_BUSY_RECHECK_S,
			  .phase = FW_PHASE_WAIT_IDLE, .current = FW_STATUS_SIGNATURE_VERIFIED },
			{ .ev = FW_EV_TIMER, .now = 100 + FW_BUSY_RECHECK_S, .notify = { FW_STATUS_INSTALLING },
			  .action = FW_ACT_INSTALL, .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
		},
	},
	{
		.name = "signed: download retries, then DownloadFailed; a refusal is retried too",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 2, .interval = 30,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_DENIED, .now = 1, .timer_at = 31,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TIMER, .now = 31, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 32, .notify = { FW_STATUS_DOWNLOAD_FAILED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "cancel: downloading, verifying and waiting jobs go quietly; installing ones cannot",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_CANCEL, .now = 0, .rc = -EINVAL,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_CANCEL, .now = 1, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 2, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 3, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_CANCEL, .now = 4, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 5, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 6, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_VERIFY_OK, .now = 7,
			  .notify = { FW_STATUS_SIGNATURE_VERIFIED, FW_STATUS_INSTALLING },
			  .action = FW_ACT_INSTALL, .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_CANCEL, .now = 8, .rc = -EBUSY,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
		},
	},
	{
		.name = "cancel: a job waiting for retrieveDateTime, a retry or installDateTime",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 100, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOAD_SCHEDULED }, .timer_at = 100,
			  .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_DOWNLOAD_SCHEDULED },
			{ .ev = FW_EV_CANCEL, .now = 1, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 2, .attempts = 2, .interval = 10,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 3, .timer_at = 13,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_CANCEL, .now = 4, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 5, .install_at = 500, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 6, .notify = { FW_STATUS_DOWNLOADED },
			  .action = FW_ACT_VERIFY, .phase = FW_PHASE_VERIFY, .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_VERIFY_OK, .now = 7,
			  .notify = { FW_STATUS_SIGNATURE_VERIFIED, FW_STATUS_INSTALL_SCHEDULED },
			  .timer_at = 500, .phase = FW_PHASE_INSTALL_WAIT, .current = FW_STATUS_INSTALL_SCHEDULED },
			{ .ev = FW_EV_CANCEL, .now = 8, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "UpdateFirmware (1.6) after a signed job: no verification, 1.6 statuses",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 100, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOAD_SCHEDULED }, .timer_at = 100,
			  .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_DOWNLOAD_SCHEDULED },
			{ .ev = FW_EV_START, .now = 1, .plain = true, .start_at = 50, .attempts = 1,
			  .timer_at = 50, .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_TIMER, .now = 50, .notify = { FW_STATUS_DOWNLOADING },
			  .action = FW_ACT_TRANSFER, .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 51,
			  .notify = { FW_STATUS_DOWNLOADED, FW_STATUS_INSTALLING }, .action = FW_ACT_INSTALL,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_INSTALL_OK, .now = 52, .action = FW_ACT_REBOOT,
			  .phase = FW_PHASE_REBOOT, .current = FW_STATUS_INSTALLING },
		},
	},
	{
		.name = "GetLog: Uploading, Uploaded",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 2, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 1, .notify = { FW_STATUS_UPLOADED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "GetLog: retried retryInterval apart, then UploadFailure",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 3, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 1, .timer_at = 6,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TIMER, .now = 6, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 7, .timer_at = 12,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TIMER, .now = 12, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 13, .notify = { FW_STATUS_UPLOAD_FAILURE },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "GetLog: a refusal ends the job at once with PermissionDenied",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 3, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_DENIED, .now = 1, .notify = { FW_STATUS_PERMISSION_DENIED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "GetLog: an unusable scheme ends the job at once with NotSupportedOperation",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 3, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_UNSUPPORTED, .now = 1,
			  .notify = { FW_STATUS_NOT_SUPPORTED_OPERATION },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "GetLog replaces an upload (cancel, then start)",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .plain = true, .attempts = 1,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_CANCEL, .now = 1, .done = true,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 1, .attempts = 1,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
		},
	},
	{
		.name = "GetDiagnostics (1.6): a refusal is retried and ends in UploadFailed, as before",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .plain = true, .attempts = 2, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_DENIED, .now = 1, .timer_at = 6,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TIMER, .now = 6, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_UNSUPPORTED, .now = 7, .notify = { FW_STATUS_UPLOAD_FAILED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
};

static const struct step end_of_steps;

static void run_scenario(const struct scenario *sc)
{
	struct fw_job j;

	fw_job_init(&j, sc->kind);
	for (int i = 0; i < MAX_STEPS; i++) {
		const struct step *st = &sc->steps[i];
		struct fw_input in = {
			.now = cp_utc(T0 + st->now), .busy = st->busy,
			.start_at = cp_utc(T0 + st->start_at), .attempts = st->attempts,
			.interval_s = st->interval, .sec = !st->plain,
			.install_at = cp_utc(T0 + st->install_at),
		};
		struct fw_output out;
		int n = 0, rc;

		if (memcmp(st, &end_of_steps, sizeof(*st)) == 0)
			break;	/* the rest of the array is zero */
		rc = fw_job_step(&j, st->ev, &in, &out);
		if (rc != st->rc || j.phase != st->phase)
			fail_msg("%s, step %d: rc %d phase %s, expected rc %d phase %s", sc->name, i,
			    rc, fw_phase_name(j.phase), st->rc, fw_phase_name(st->phase));
		while (n < FW_MAX_NOTIFY && st->notify[n] != FW_STATUS_NONE)
			n++;
		if (out.n_notify != n)
			fail_msg("%s, step %d: %d notification(s) (%s), expected %d", sc->name, i,
			    out.n_notify, out.n_notify ? fw_status_name(out.notify[0]) : "-", n);
		for (int k = 0; k < n; k++)
			if (out.notify[k] != st->notify[k])
				fail_msg("%s, step %d: notification %d is %s, expected %s", sc->name, i, k,
				    fw_status_name(out.notify[k]), fw_status_name(st->notify[k]));
		if (out.action != st->action)
			fail_msg("%s, step %d: action %d, expected %d", sc->name, i, out.action, st->action);
		if (out.timer != (st->timer_at != 0) ||
		    (out.timer && out.timer_at.s != T0 + st->timer_at))
			fail_msg("%s, step %d: timer %d at T0%+lld, expected %s at T0%+lld", sc->name, i,
			    out.timer, (long long)(out.timer_at.s - T0), st->timer_at ? "one" : "none",
			    (long long)st->timer_at);
		if (out.done != st->done)
			fail_msg("%s, step %d: done %d, expected %d", sc->name, i, out.done, st->done);
		if (fw_job_current_status(&j) != st->current)
			fail_msg("%s, step %d: current status %s, expected %s", sc->name, i,
			    fw_status_name(fw_job_current_status(&j)), fw_status_name(st->current));
	}
}

static void test_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run_scenario(&scenarios[i]);
}

/* A signed update restored after its install reboot: Installed once the
 * boot is accepted, and it cannot be cancelled meanwhile. */
static void test_restore_signed(void **state)
{
	struct fw_job j;
	struct fw_input in = { .now = cp_utc(T0) };
	struct fw_output out;

	(void)state;
	fw_job_init(&j, FW_KIND_FIRMWARE);
	fw_job_restore_installed(&j);
	j.sec = true;
	assert_int_equal(fw_job_current_status(&j), FW_STATUS_INSTALL_REBOOTING);
	assert_int_equal(fw_job_step(&j, FW_EV_CANCEL, &in, &out), -EBUSY);
	assert_int_equal(fw_job_step(&j, FW_EV_BOOT_ACCEPTED, &in, &out), 0);
	assert_int_equal(out.n_notify, 1);
	assert_int_equal(out.notify[0], FW_STATUS_INSTALLED);
	assert_true(out.done);
}

/* The names are the whitepaper schema's enum values (FirmwareStatusEnumType,
 * UploadLogStatusEnumType). */
static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(fw_status_name(FW_STATUS_DOWNLOAD_SCHEDULED), "DownloadScheduled");
	assert_string_equal(fw_status_name(FW_STATUS_SIGNATURE_VERIFIED), "SignatureVerified");
	assert_string_equal(fw_status_name(FW_STATUS_INVALID_SIGNATURE), "InvalidSignature");
	assert_string_equal(fw_status_name(FW_STATUS_INSTALL_SCHEDULED), "InstallScheduled");
	assert_string_equal(fw_status_name(FW_STATUS_INSTALL_REBOOTING), "InstallRebooting");
	assert_string_equal(fw_status_name(FW_STATUS_UPLOAD_FAILURE), "UploadFailure");
	assert_string_equal(fw_status_name(FW_STATUS_BAD_MESSAGE), "BadMessage");
	assert_string_equal(fw_status_name(FW_STATUS_NOT_SUPPORTED_OPERATION), "NotSupportedOperation");
	assert_string_equal(fw_status_name(FW_STATUS_PERMISSION_DENIED), "PermissionDenied");
}

/* A 1.6 notification (TriggerMessage) never carries a whitepaper value. */
static void test_status_v16(void **state)
{
	static const struct { enum fw_status in, want; } map[] = {
		{ FW_STATUS_IDLE, FW_STATUS_IDLE },
		{ FW_STATUS_DOWNLOADING, FW_STATUS_DOWNLOADING },
		{ FW_STATUS_DOWNLOAD_SCHEDULED, FW_STATUS_IDLE },
		{ FW_STATUS_SIGNATURE_VERIFIED, FW_STATUS_DOWNLOADED },
		{ FW_STATUS_INSTALL_SCHEDULED, FW_STATUS_DOWNLOADED },
		{ FW_STATUS_INSTALL_REBOOTING, FW_STATUS_INSTALLING },
		{ FW_STATUS_INSTALLING, FW_STATUS_INSTALLING },
		{ FW_STATUS_UPLOADING, FW_STATUS_UPLOADING },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		assert_int_equal(fw_status_v16(map[i].in), map[i].want);
	for (int st = FW_STATUS_IDLE; st <= FW_STATUS_PERMISSION_DENIED; st++)
		assert_true(fw_status_v16((enum fw_status)st) <= FW_STATUS_UPLOAD_FAILED);
}

/* GetLog remoteLocation: usable, a scheme we do not speak
 * (NotSupportedOperation), or not a URL at all (BadMessage). */
static void test_url_check(void **state)
{
	static const struct { const char *url; int rc; } cases[] = {
		{ "http://files.example/logs/", 0 },
		{ "HTTPS://files.example/x.log", 0 },
		{ "ftp://user:pw@10.0.0.1:2121/up/", 0 },
		{ "ftps://[::1]/up/", 0 },
		{ "sftp://files.example/up/", -EPROTONOSUPPORT },
		{ "file:///tmp/x", -EPROTONOSUPPORT },
		{ "mailto:ops@example.com", -EPROTONOSUPPORT },
		{ "http:/files.example/", -EINVAL },
		{ "http://", -EINVAL },
		{ "http:///path", -EINVAL },
		{ "http://host/a b", -EINVAL },
		{ "files.example/logs", -EINVAL },
		{ "://host/", -EINVAL },
		{ "1http://host/", -EINVAL },
		{ "", -EINVAL },
		{ NULL, -EINVAL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (fw_url_check(cases[i].url) != cases[i].rc)
			fail_msg("%s: %d, expected %d", cases[i].url ? cases[i].url : "(null)",
			    fw_url_check(cases[i].url), cases[i].rc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_restore_signed),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_status_v16),
		cmocka_unit_test(test_url_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
