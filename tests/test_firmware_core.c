/*
 * test_firmware_core.c - the firmware / diagnostics job state machine with
 * a fake clock: what the central system would see (the notifications, in
 * order), what the daemon is told to do, and when its timer fires.
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
	int64_t start_at;	/* seconds after T0 */
	int attempts, interval;
	/* expected */
	int rc;
	enum fw_status notify[FW_MAX_NOTIFY];	/* FW_STATUS_NONE-terminated */
	enum fw_action action;
	int64_t timer_at;	/* seconds after T0; 0: no timer */
	bool done;
	enum fw_phase phase;
	enum fw_status current;	/* what TriggerMessage would report afterwards */
};

struct scenario {
	const char *name;
	enum fw_kind kind;
	struct step steps[MAX_STEPS];
};

static const struct scenario scenarios[] = {
	{
		.name = "TC_044_1: download, install, reboot, Installed after the boot",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 0, .attempts = 1, .interval = 10,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 5,
			  .notify = { FW_STATUS_DOWNLOADED, FW_STATUS_INSTALLING }, .action = FW_ACT_INSTALL,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_INSTALL_OK, .now = 7, .action = FW_ACT_REBOOT,
			  .phase = FW_PHASE_REBOOT, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_BOOT_ACCEPTED, .now = 20, .notify = { FW_STATUS_INSTALLED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "retrieveDate in the future: nothing before it, Downloading at it",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 100, .attempts = 1,
			  .timer_at = 100, .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_TIMER, .now = 60, .timer_at = 100,
			  .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_TIMER, .now = 100, .notify = { FW_STATUS_DOWNLOADING },
			  .action = FW_ACT_TRANSFER, .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
		},
	},
	{
		.name = "TC_044_2: three attempts retryInterval apart, then one DownloadFailed",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = -50, .attempts = 3, .interval = 30,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 2, .timer_at = 32,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TIMER, .now = 32, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 33, .timer_at = 63,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TIMER, .now = 63, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 64, .notify = { FW_STATUS_DOWNLOAD_FAILED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "a retry that succeeds: Downloaded after one failure, no second Downloading",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 2, .interval = 5,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 1, .timer_at = 6,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TIMER, .now = 6, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 8,
			  .notify = { FW_STATUS_DOWNLOADED, FW_STATUS_INSTALLING }, .action = FW_ACT_INSTALL,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
		},
	},
	{
		.name = "TC_044_3: the installer fails: InstallationFailed, no reboot",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 1,
			  .notify = { FW_STATUS_DOWNLOADED, FW_STATUS_INSTALLING }, .action = FW_ACT_INSTALL,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
			{ .ev = FW_EV_INSTALL_FAILED, .now = 2, .notify = { FW_STATUS_INSTALLATION_FAILED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
	{
		.name = "downloaded during a transaction: install waits until the station is idle",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 1, .busy = true,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_TRANSFER_OK, .now = 3, .busy = true, .notify = { FW_STATUS_DOWNLOADED },
			  .timer_at = 3 + FW_BUSY_RECHECK_S, .phase = FW_PHASE_WAIT_IDLE,
			  .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_TIMER, .now = 3 + FW_BUSY_RECHECK_S, .busy = true,
			  .timer_at = 3 + 2 * FW_BUSY_RECHECK_S, .phase = FW_PHASE_WAIT_IDLE,
			  .current = FW_STATUS_DOWNLOADED },
			{ .ev = FW_EV_TIMER, .now = 3 + 2 * FW_BUSY_RECHECK_S,
			  .notify = { FW_STATUS_INSTALLING }, .action = FW_ACT_INSTALL,
			  .phase = FW_PHASE_INSTALL, .current = FW_STATUS_INSTALLING },
		},
	},
	{
		.name = "a second UpdateFirmware while downloading is refused; stale events are ignored",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_TIMER, .now = 0, .rc = -EINVAL,
			  .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 0, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_START, .now = 1, .attempts = 1, .rc = -EBUSY,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_INSTALL_OK, .now = 1, .rc = -EINVAL,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
			{ .ev = FW_EV_BOOT_ACCEPTED, .now = 1, .rc = -EINVAL,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
		},
	},
	{
		.name = "a new UpdateFirmware replaces one still waiting for its retrieveDate",
		.kind = FW_KIND_FIRMWARE,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .start_at = 3600, .attempts = 1,
			  .timer_at = 3600, .phase = FW_PHASE_SCHEDULED, .current = FW_STATUS_IDLE },
			{ .ev = FW_EV_START, .now = 10, .start_at = 10, .attempts = 1,
			  .notify = { FW_STATUS_DOWNLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_DOWNLOADING },
		},
	},
	{
		.name = "TC_045_1: GetDiagnostics Uploading -> Uploaded",
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
		.name = "TC_045_2: GetDiagnostics retried, then UploadFailed",
		.kind = FW_KIND_DIAGNOSTICS,
		.steps = {
			{ .ev = FW_EV_START, .now = 0, .attempts = 2, .interval = 5,
			  .notify = { FW_STATUS_UPLOADING }, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 1, .timer_at = 6,
			  .phase = FW_PHASE_RETRY_WAIT, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TIMER, .now = 6, .action = FW_ACT_TRANSFER,
			  .phase = FW_PHASE_TRANSFER, .current = FW_STATUS_UPLOADING },
			{ .ev = FW_EV_TRANSFER_FAILED, .now = 7, .notify = { FW_STATUS_UPLOAD_FAILED },
			  .done = true, .phase = FW_PHASE_IDLE, .current = FW_STATUS_IDLE },
		},
	},
};

static const struct step end_of_steps;

static void run_scenario(const struct scenario *sc)
{
	struct fw_job j;

	fw_job_init(&j, sc->kind);
	assert_int_equal(fw_job_current_status(&j), FW_STATUS_IDLE);
	for (int i = 0; i < MAX_STEPS; i++) {
		const struct step *st = &sc->steps[i];
		struct fw_input in = {
			.now = cp_utc(T0 + st->now), .busy = st->busy,
			.start_at = cp_utc(T0 + st->start_at), .attempts = st->attempts,
			.interval_s = st->interval,
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

/* After the install reboot the job is restored from the store and waits
 * for the boot to be accepted; TriggerMessage meanwhile says Installing. */
static void test_restore_installed(void **state)
{
	struct fw_job j;
	struct fw_input in = { .now = cp_utc(T0) };
	struct fw_output out;

	(void)state;
	fw_job_init(&j, FW_KIND_FIRMWARE);
	fw_job_restore_installed(&j);
	assert_int_equal(fw_job_current_status(&j), FW_STATUS_INSTALLING);
	assert_int_equal(fw_job_step(&j, FW_EV_START, &in, &out), -EBUSY);
	assert_int_equal(fw_job_step(&j, FW_EV_BOOT_ACCEPTED, &in, &out), 0);
	assert_int_equal(out.n_notify, 1);
	assert_int_equal(out.notify[0], FW_STATUS_INSTALLED);
	assert_true(out.done);
	assert_int_equal(fw_job_current_status(&j), FW_STATUS_IDLE);
}

static void test_request_defaults(void **state)
{
	static const struct { bool has; int v, want; } attempts[] = {
		{ .has = false, .v = 0, .want = FW_DEFAULT_ATTEMPTS },
		{ .has = true, .v = 0, .want = 1 },
		{ .has = true, .v = -3, .want = 1 },
		{ .has = true, .v = 1, .want = 1 },
		{ .has = true, .v = 4, .want = 4 },
		{ .has = true, .v = 1000, .want = FW_MAX_ATTEMPTS },
	};
	static const struct { bool has; int v, want; } intervals[] = {
		{ .has = false, .v = 0, .want = FW_DEFAULT_RETRY_INTERVAL_S },
		{ .has = true, .v = 0, .want = 0 },
		{ .has = true, .v = -1, .want = 0 },
		{ .has = true, .v = 30, .want = 30 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++)
		assert_int_equal(fw_attempts_from(attempts[i].has, attempts[i].v), attempts[i].want);
	for (size_t i = 0; i < sizeof(intervals) / sizeof(intervals[0]); i++)
		assert_int_equal(fw_interval_from(intervals[i].has, intervals[i].v), intervals[i].want);
}

/* The names are the schema's enum values (OCPP 1.6 §7.24, §7.25). */
static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(fw_status_name(FW_STATUS_IDLE), "Idle");
	assert_string_equal(fw_status_name(FW_STATUS_DOWNLOADING), "Downloading");
	assert_string_equal(fw_status_name(FW_STATUS_DOWNLOADED), "Downloaded");
	assert_string_equal(fw_status_name(FW_STATUS_DOWNLOAD_FAILED), "DownloadFailed");
	assert_string_equal(fw_status_name(FW_STATUS_INSTALLING), "Installing");
	assert_string_equal(fw_status_name(FW_STATUS_INSTALLED), "Installed");
	assert_string_equal(fw_status_name(FW_STATUS_INSTALLATION_FAILED), "InstallationFailed");
	assert_string_equal(fw_status_name(FW_STATUS_UPLOADING), "Uploading");
	assert_string_equal(fw_status_name(FW_STATUS_UPLOADED), "Uploaded");
	assert_string_equal(fw_status_name(FW_STATUS_UPLOAD_FAILED), "UploadFailed");
	assert_string_equal(fw_status_name((enum fw_status)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_restore_installed),
		cmocka_unit_test(test_request_defaults),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
