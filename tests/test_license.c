/*
 * test_license.c - feature license keys (docs/balancing.md): a key issued
 * for this station unlocks its features after a restart, a key for another
 * station or an edited one is refused, a locked feature cannot be switched
 * on, and without a vendor public key nothing is locked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cp_log.h"
#include "station/config/config.h"
#include "station/config/license.h"
#include "tests/config_fake.h"

static char pub[LICENSE_B64KEY_MAX], priv[LICENSE_B64KEY_MAX];
static struct fake_store fs;
static struct cfg cfg;

static const char *issue(const char *id, unsigned mask)
{
	static char key[LICENSE_KEY_MAX];

	assert_true(license_issue(priv, id, mask, key, sizeof(key)) > 0);
	return key;
}

/* A station provisioned with the vendor's public key, nothing unlocked. */
static int setup_locked(void **state)
{
	char text[128];

	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-1"), 0);
	snprintf(text, sizeof(text), "LicensePublicKey=%s\n", pub);
	assert_int_equal(cfg_provision_text(&cfg, text, "test.conf"), 0);
	return 0;
}

static void reboot(const char *id)
{
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, id), 0);
}

static const char *get(const char *name)
{
	static char buf[CFG_VALUE_MAX];

	assert_true(cfg_get_by_name(&cfg, name, buf, sizeof(buf), NULL) >= 0);
	return buf;
}

/* ---- the key format ---- */

static void test_features_parse_and_imply(void **state)
{
	static const struct {
		const char *in;
		int rc;
		unsigned mask, implied;
	} cases[] = {
		{ .in = "SLB", .mask = LICENSE_SLB, .implied = LICENSE_SLB },
		{ .in = "alb", .mask = LICENSE_ALB, .implied = LICENSE_SLB | LICENSE_ALB },
		{ .in = "SCN", .mask = LICENSE_SCN, .implied = LICENSE_ALL },
		{ .in = "SCN+SLB", .mask = LICENSE_SCN | LICENSE_SLB, .implied = LICENSE_ALL },
		{ .in = "SLB,ALB", .mask = LICENSE_SLB | LICENSE_ALB,
		  .implied = LICENSE_SLB | LICENSE_ALB },
		{ .in = "", .mask = 0, .implied = 0 },
		{ .in = "XYZ", .rc = -EINVAL },
		{ .in = "SLB,SLB", .rc = -EINVAL },
		{ .in = "SLB,", .rc = -EINVAL },
		{ .in = "SLBX", .rc = -EINVAL },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned m = 0xff;

		assert_int_equal(license_parse_features(cases[i].in, &m), cases[i].rc);
		if (cases[i].rc)
			continue;
		assert_int_equal(m, cases[i].mask);
		assert_int_equal(license_imply(m), cases[i].implied);
	}
	assert_int_equal(license_format_features(LICENSE_ALL, ',', buf, sizeof(buf)), 11);
	assert_string_equal(buf, "SLB,ALB,SCN");
	assert_int_equal(license_format_features(LICENSE_SCN | LICENSE_SLB, '+', buf, sizeof(buf)), 7);
	assert_string_equal(buf, "SLB+SCN");
	assert_int_equal(license_format_features(LICENSE_ALL, ',', buf, 5), -ENOSPC);
}

static void test_issued_key_verifies_only_for_its_station(void **state)
{
	char key[LICENSE_KEY_MAX], other_pub[LICENSE_B64KEY_MAX], other_priv[LICENSE_B64KEY_MAX];
	unsigned mask = 0;

	(void)state;
	assert_true(license_issue(priv, "CP-1", LICENSE_ALB, key, sizeof(key)) > 0);
	assert_memory_equal(key, "CPL1.ALB.", 9);
	assert_int_equal(license_verify(pub, "CP-1", key, &mask), 0);
	assert_int_equal(mask, LICENSE_ALB);
	/* another station */
	assert_int_equal(license_verify(pub, "CP-2", key, &mask), -EKEYREJECTED);
	/* another vendor key */
	assert_int_equal(license_generate_keypair(other_pub, sizeof(other_pub),
						  other_priv, sizeof(other_priv)), 0);
	assert_int_equal(license_verify(other_pub, "CP-1", key, &mask), -EKEYREJECTED);
}

static void test_edited_keys_are_refused(void **state)
{
	char key[LICENSE_KEY_MAX], edited[LICENSE_KEY_MAX + 16];
	unsigned mask;
	size_t len;

	(void)state;
	assert_true(license_issue(priv, "CP-1", LICENSE_SLB, key, sizeof(key)) > 0);
	len = strlen(key);

	/* more features for the same signature */
	snprintf(edited, sizeof(edited), "CPL1.SCN%s", key + strlen("CPL1.SLB"));
	assert_int_equal(license_verify(pub, "CP-1", edited, &mask), -EKEYREJECTED);
	snprintf(edited, sizeof(edited), "CPL1.SLB+ALB%s", key + strlen("CPL1.SLB"));
	assert_int_equal(license_verify(pub, "CP-1", edited, &mask), -EKEYREJECTED);
	/* one signature character changed */
	snprintf(edited, sizeof(edited), "%s", key);
	edited[len - 5] = edited[len - 5] == 'A' ? 'B' : 'A';
	assert_int_equal(license_verify(pub, "CP-1", edited, &mask), -EKEYREJECTED);
	/* malformed */
	assert_int_equal(license_verify(pub, "CP-1", "CPL1.SLB.", &mask), -EINVAL);
	assert_int_equal(license_verify(pub, "CP-1", "hello", &mask), -EINVAL);
	assert_int_equal(license_verify(pub, "CP-1", "CPL1..abc", &mask), -EINVAL);
	edited[len - 1] = '\0';		/* truncated signature */
	assert_int_equal(license_verify(pub, "CP-1", edited, &mask), -EINVAL);
	assert_int_equal(license_verify("not-a-key", "CP-1", key, &mask), -EINVAL);
	assert_int_equal(license_check_public_key(pub), 0);
	assert_int_equal(license_check_public_key("abcd"), -EINVAL);
}

/* ---- licensing through the registry ---- */

static void test_no_public_key_unlocks_everything(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-1"), 0);
	assert_string_equal(get("UnlockedFeatures"), "SLB,ALB,SCN");
	assert_true(cfg_feature_unlocked(&cfg, CFG_FEATURE_SCN));
	assert_int_equal(cfg_change(&cfg, "Static-LoadBalancing", "On"), CFG_ACCEPTED);
	/* unlocked: ALB and the SCN work */
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "SCN-IsEnabled", "true"), CFG_ACCEPTED);
	/* a license cannot be checked without the vendor key */
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", issue("CP-1", LICENSE_SLB)),
			 CFG_REJECTED);
	/* and the public key is not for remote hands */
	assert_int_equal(cfg_change(&cfg, "LicensePublicKey", pub), CFG_REJECTED);
	assert_string_equal(get("LicensePublicKey"), "");
}

static void test_locked_switches_are_rejected(void **state)
{
	(void)state;
	assert_string_equal(get("UnlockedFeatures"), "");
	assert_false(cfg_feature_unlocked(&cfg, CFG_FEATURE_SLB));
	assert_string_equal(get("LicensePublicKey"), pub);
	assert_int_equal(cfg_change(&cfg, "Static-LoadBalancing", "On"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "locked"));
	/* the license is checked before anything else */
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "locked"));
	assert_int_equal(cfg_change(&cfg, "SCN-IsEnabled", "true"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "locked"));
	/* switching off is always allowed */
	assert_int_equal(cfg_change(&cfg, "Static-LoadBalancing", "Off"), CFG_ACCEPTED);
	/* SLB's default On (two sockets, one feed) reads Off while locked */
	assert_string_equal(get("Static-LoadBalancing"), "Off");
	assert_false(cfg_bool(&cfg, CFG_STATIC_LOAD_BALANCING));
}

static void test_valid_key_unlocks_after_restart(void **state)
{
	char buf[CFG_VALUE_MAX];

	(void)state;
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", issue("CP-1", LICENSE_ALB)),
			 CFG_REBOOT_REQUIRED);
	/* write-only, and not effective before the restart */
	assert_int_equal(cfg_get_by_name(&cfg, "FeatureLicenseKey", buf, sizeof(buf), NULL), -ENOENT);
	assert_string_equal(get("UnlockedFeatures"), "");
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "locked"));

	reboot("CP-1");
	assert_string_equal(get("UnlockedFeatures"), "SLB,ALB");
	assert_true(cfg_feature_unlocked(&cfg, CFG_FEATURE_SLB));
	assert_true(cfg_feature_unlocked(&cfg, CFG_FEATURE_ALB));
	assert_false(cfg_feature_unlocked(&cfg, CFG_FEATURE_SCN));
	assert_string_equal(get("Static-LoadBalancing"), "On");
	/* unlocked now */
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_ACCEPTED);
	assert_string_equal(get("Active-LoadBalancing"), "On");
	assert_int_equal(cfg_change(&cfg, "SCN-IsEnabled", "true"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "locked"));
	/* the EMS may set sockets, not the network's budget without SCN */
	assert_int_equal(cfg_change(&cfg, "MbsSlaveTCPIPMode", "socket"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "MbsSlaveTCPIPMode", "SCN"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "Smart Charging Network"));

	/* an upgrade to SCN */
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", issue("CP-1", LICENSE_SCN)),
			 CFG_REBOOT_REQUIRED);
	reboot("CP-1");
	assert_string_equal(get("UnlockedFeatures"), "SLB,ALB,SCN");
	assert_int_equal(cfg_change(&cfg, "SCN-IsEnabled", "true"), CFG_ACCEPTED);
	assert_string_equal(get("SCN-IsEnabled"), "True");

	/* the same key again changes nothing */
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", issue("CP-1", LICENSE_SCN)),
			 CFG_ACCEPTED);

	/* a station restarted under another identity loses the license */
	reboot("CP-2");
	assert_string_equal(get("UnlockedFeatures"), "");
	assert_false(cfg_bool(&cfg, CFG_SCN_IS_ENABLED));
}

static void test_foreign_or_edited_keys_are_rejected(void **state)
{
	char edited[LICENSE_KEY_MAX + 16];
	const char *key;

	(void)state;
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", issue("CP-2", LICENSE_SCN)),
			 CFG_REJECTED);
	key = issue("CP-1", LICENSE_SLB);
	snprintf(edited, sizeof(edited), "CPL1.SCN%s", key + strlen("CPL1.SLB"));
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", edited), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "FeatureLicenseKey", "garbage"), CFG_REJECTED);
	assert_int_equal(fake_get(&fs, "FeatureLicenseKey"), NULL);
	reboot("CP-1");
	assert_string_equal(get("UnlockedFeatures"), "");
}

static void test_license_can_be_provisioned(void **state)
{
	char text[512];

	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-1"), 0);
	/* any order in the file: the switch after the license after the key */
	snprintf(text, sizeof(text),
		 "Static-LoadBalancing=On\nFeatureLicenseKey=%s\nLicensePublicKey=%s\n",
		 issue("CP-1", LICENSE_ALB), pub);
	assert_int_equal(cfg_provision_text(&cfg, text, "factory.conf"), 0);
	/* first boot: effective at once */
	assert_string_equal(get("UnlockedFeatures"), "SLB,ALB");
	assert_true(cfg_bool(&cfg, CFG_STATIC_LOAD_BALANCING));
	reboot("CP-1");
	assert_string_equal(get("UnlockedFeatures"), "SLB,ALB");
	assert_true(cfg_bool(&cfg, CFG_STATIC_LOAD_BALANCING));

	/* without the license the switch is refused, and nothing is applied */
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-1"), 0);
	snprintf(text, sizeof(text), "LicensePublicKey=%s\nStatic-LoadBalancing=On\n", pub);
	assert_int_equal(cfg_provision_text(&cfg, text, "factory.conf"), -EINVAL);
	assert_non_null(strstr(cfg_error(&cfg), "factory.conf:2: Static-LoadBalancing"));
	assert_int_equal(fs.saves, 0);

	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-1"), 0);
	snprintf(text, sizeof(text), "LicensePublicKey=%s\nFeatureLicenseKey=%s\n",
		 pub, issue("CP-9", LICENSE_SLB));
	assert_int_equal(cfg_provision_text(&cfg, text, "factory.conf"), -EINVAL);
	assert_non_null(strstr(cfg_error(&cfg), "factory.conf:2"));
	/* nothing applied */
	assert_string_equal(get("LicensePublicKey"), "");
	assert_int_equal(fs.saves, 0);

	assert_int_equal(cfg_provision_text(&cfg, "LicensePublicKey=abc\n", "f"), -EINVAL);
}

int main(void)
{
	cp_log_set_level(CP_LOG_ERROR);
	assert_int_equal(license_generate_keypair(pub, sizeof(pub), priv, sizeof(priv)), 0);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features_parse_and_imply),
		cmocka_unit_test(test_issued_key_verifies_only_for_its_station),
		cmocka_unit_test(test_edited_keys_are_refused),
		cmocka_unit_test(test_no_public_key_unlocks_everything),
		cmocka_unit_test_setup(test_locked_switches_are_rejected, setup_locked),
		cmocka_unit_test_setup(test_valid_key_unlocks_after_restart, setup_locked),
		cmocka_unit_test_setup(test_foreign_or_edited_keys_are_rejected, setup_locked),
		cmocka_unit_test(test_license_can_be_provisioned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
