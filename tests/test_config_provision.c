/*
 * test_config_provision.c - `--config FILE` first-boot provisioning:
 * keys are set only where the store has no value, provisioning-only keys are
 * allowed, derived and fixed ones are not, and a bad line names its line
 * number and leaves everything as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "cp_log.h"
#include "station/config/config.h"
#include "tests/config_fake.h"

static struct fake_store fs;
static struct cfg cfg;

static int setup(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-P"), 0);
	return 0;
}

static const char *get(const char *name)
{
	static char buf[CFG_VALUE_MAX];

	assert_true(cfg_get_by_name(&cfg, name, buf, sizeof(buf), NULL) >= 0);
	return buf;
}

static void test_first_boot_sets_values_at_once(void **state)
{
	static const char text[] =
		"# factory settings\n"
		"\n"
		"  Station-MaxCurrent = 25\n"
		"Connector1-MaxCurrent=16\r\n"
		"RJ11-Mode=Suspend on closing external circuit\n"
		"Station-Phases=1\n"
		"AuthorizationKey=00112233445566778899aabbccddeeff\n"
		"MeterValuesSampledData=Energy.Active.Import.Register, Voltage\n";

	(void)state;
	assert_int_equal(cfg_provision_text(&cfg, text, "f.conf"), 0);
	assert_string_equal(get("Station-MaxCurrent"), "25.0");
	assert_int_equal(cfg_ma(&cfg, CFG_CONNECTOR1_MAX_CURRENT), 16000);
	assert_string_equal(get("DirectExternalSuspendSignal"), "SuspendOnClose");
	/* reboot keys too: provisioning happens before anything runs */
	assert_int_equal(cfg_int(&cfg, CFG_STATION_PHASES), 1);
	assert_string_equal(cfg_str(&cfg, CFG_AUTHORIZATION_KEY), "00112233445566778899aabbccddeeff");
	assert_string_equal(fake_get(&fs, "MeterValuesSampledData"),
			    "Energy.Active.Import.Register,Voltage");
	/* persisted under canonical names */
	assert_string_equal(fake_get(&fs, "DirectExternalSuspendSignal"), "SuspendOnClose");
	assert_int_equal(fs.saves, 6);
}

static void test_stored_values_win_over_the_file(void **state)
{
	(void)state;
	assert_int_equal(cfg_change(&cfg, "HeartbeatInterval", "77"), CFG_ACCEPTED);
	/* restart with the same file: the remote change stays */
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-P"), 0);
	assert_int_equal(cfg_provision_text(&cfg, "HeartbeatInterval=30\nMeterValueSampleInterval=15\n",
					    "f"), 0);
	assert_string_equal(get("HeartbeatInterval"), "77");
	assert_string_equal(get("MeterValueSampleInterval"), "15");
	/* a second boot with the file changes nothing any more */
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-P"), 0);
	fs.saves = 0;
	assert_int_equal(cfg_provision_text(&cfg, "HeartbeatInterval=30\nMeterValueSampleInterval=20\n",
					    "f"), 0);
	assert_string_equal(get("MeterValueSampleInterval"), "15");
	assert_int_equal(fs.saves, 0);
}

/* The topology is applied before the currents it bounds, whatever the order. */
static void test_topology_first(void **state)
{
	(void)state;
	assert_int_equal(cfg_provision_text(&cfg,
		"Station-MaxCurrent=80\nConnector1-MaxCurrent=40\nStation-RatedCurrent=40\nStation-Feeds=2\n",
		"f"), 0);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 80000);
	assert_int_equal(cfg_ma(&cfg, CFG_CONNECTOR1_MAX_CURRENT), 40000);
}

struct bad_file {
	const char *text;
	const char *where;	/* expected in cfg_error() */
};

static const struct bad_file bad_files[] = {
	{ .text = "HeartbeatInterval=60\nNoSuchKey=1\n", .where = "f:2: unknown key" },
	{ .text = "HeartbeatInterval=60\n\n# c\nNumberOfConnectors=1\n", .where = "f:4: NumberOfConnectors is derived" },
	{ .text = "UnlockedFeatures=SLB,ALB,SCN\n", .where = "f:1: UnlockedFeatures is derived" },
	{ .text = "ChargeProfileMaxStackLevel=20\n", .where = "f:1: ChargeProfileMaxStackLevel is fixed" },
	{ .text = "HeartbeatInterval=60\nMeterValueSampleInterval=abc\n", .where = "f:2: MeterValueSampleInterval" },
	{ .text = "Station-MaxCurrent=33\n", .where = "f:1: Station-MaxCurrent: above the station's rating" },
	{ .text = "HeartbeatInterval\n", .where = "f:1: expected Key=Value" },
	{ .text = "HeartbeatInterval=60\nheartbeatinterval=70\n", .where = "f:2: HeartbeatInterval already set on line 1" },
	{ .text = "MBTCPSmart-SlaveUnitID=300\n", .where = "f:1:" },
	/* a key no code applies yet cannot be provisioned either */
	{ .text = "HeartbeatInterval=60\nLightIntensity=50\n",
	  .where = "f:2: LightIntensity: LightIntensity is read-only: not supported yet" },
	{ .text = "SmartChargingMode=OCPP1.5+\n", .where = "f:1: SmartChargingMode" },
	{ .text = "ChargeProfileMaxStackLevel=15\nConnectorPhaseRotationMaxLength=4\n",
	  .where = "f:2: ConnectorPhaseRotationMaxLength is fixed" },
	/* a measurand the station cannot sample */
	{ .text = "MeterValuesSampledData=Voltage,SoC\n", .where = "f:1: MeterValuesSampledData: this station cannot sample SoC" },
};

static void test_bad_lines_name_the_line_and_change_nothing(void **state)
{
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		setup(state);
		assert_int_equal(cfg_provision_text(&cfg, bad_files[i].text, "f"), -EINVAL);
		if (!strstr(cfg_error(&cfg), bad_files[i].where))
			fail_msg("'%s' does not contain '%s'", cfg_error(&cfg), bad_files[i].where);
		assert_int_equal(fs.saves, 0);
		assert_string_equal(get("HeartbeatInterval"), "300");
	}
}

/* A factory file that names the value a read-only key already has promises
 * nothing the station does not do: accepted, nothing stored. */
static void test_read_only_keys_at_their_value_are_no_error(void **state)
{
	(void)state;
	assert_int_equal(cfg_provision_text(&cfg, "ChargeProfileMaxStackLevel=15\n"
					    "SmartChargingMode=Geen\n"
					    "HeartbeatInterval=61\n", "f"), 0);
	assert_string_equal(get("HeartbeatInterval"), "61");
	assert_int_equal(fs.saves, 1);
	assert_string_equal(get("ChargeProfileMaxStackLevel"), "15");
	assert_string_equal(get("SmartChargingMode"), "None");
}

static void test_file_on_disk(void **state)
{
	char path[] = "/tmp/test_config_provisionXXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "HeartbeatInterval=45\nLicensePublicKey=\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	assert_int_equal(cfg_provision_file(&cfg, path), 0);
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 45);
	unlink(path);
	assert_int_equal(cfg_provision_file(&cfg, path), -ENOENT);
	assert_non_null(strstr(cfg_error(&cfg), path));
}

static void test_store_failure_is_reported(void **state)
{
	(void)state;
	fs.fail_save = -EIO;
	assert_int_equal(cfg_provision_text(&cfg, "HeartbeatInterval=45\n", "f"), -EINVAL);
	assert_non_null(strstr(cfg_error(&cfg), "f:1"));
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 300);
}

int main(void)
{
	cp_log_set_level(CP_LOG_ERROR);	/* the error lines below are expected */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_first_boot_sets_values_at_once, setup),
		cmocka_unit_test_setup(test_stored_values_win_over_the_file, setup),
		cmocka_unit_test_setup(test_topology_first, setup),
		cmocka_unit_test_setup(test_bad_lines_name_the_line_and_change_nothing, setup),
		cmocka_unit_test_setup(test_read_only_keys_at_their_value_are_no_error, setup),
		cmocka_unit_test_setup(test_file_on_disk, setup),
		cmocka_unit_test_setup(test_store_failure_is_reported, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
