/*
 * test_config.c - the configuration registry, driven by its own key table:
 * every key takes a valid value and reads it back canonically, refuses each
 * kind of bad value without changing what is stored, and readonly,
 * write-only, reboot-required and aliased keys behave as ChangeConfiguration
 * and GetConfiguration must (docs/station-model.md, the README key reference).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cp_log.h"
#include "tests/config_fixture.h"
#include "station/config/secret.h"

/* ---- the table itself ---- */

static void test_table_is_complete_and_unambiguous(void **state)
{
	(void)state;
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		const char *names[4] = { k->name, k->aliases[0], k->aliases[1], k->aliases[2] };

		assert_non_null(k->name);
		assert_non_null(k->doc);
		/* every spelling finds its own row and no other */
		for (int a = 0; a < 4 && names[a]; a++)
			assert_int_equal(cfg_lookup(names[a]), i);
		if (k->type == CFG_T_ENUM)
			assert_non_null(k->values);
		if (k->access == CFG_R)
			assert_non_null(k->def);
	}
}

/* Every key and the README key reference name, with every spelling the vendor uses. */
static void test_every_required_key_is_known(void **state)
{
	static const char *const required[] = {
		/* OCPP 1.6 Core */
		"AllowOfflineTxForUnknownId", "AuthorizationCacheEnabled",
		"AuthorizeRemoteTxRequests", "BlinkRepeat", "ClockAlignedDataInterval",
		"ConnectionTimeOut", "ConnectorPhaseRotation",
		"ConnectorPhaseRotationMaxLength", "GetConfigurationMaxKeys",
		"HeartbeatInterval", "LightIntensity", "LocalAuthorizeOffline",
		"LocalPreAuthorize", "MaxEnergyOnInvalidId", "MeterValuesAlignedData",
		"MeterValuesAlignedDataMaxLength", "MeterValuesSampledData",
		"MeterValuesSampledDataMaxLength", "MeterValueSampleInterval",
		"MinimumStatusDuration", "NumberOfConnectors", "ResetRetries",
		"StopTransactionOnEVSideDisconnect", "StopTransactionOnInvalidId",
		"StopTxnAlignedData", "StopTxnAlignedDataMaxLength", "StopTxnSampledData",
		"StopTxnSampledDataMaxLength", "SupportedFeatureProfiles",
		"SupportedFeatureProfilesMaxLength", "TransactionMessageAttempts",
		"TransactionMessageRetryInterval", "UnlockConnectorOnEVSideDisconnect",
		"WebSocketPingInterval",
		/* LocalAuthListManagement, Reservation, SmartCharging, Firmware */
		"LocalAuthListEnabled", "LocalAuthListMaxLength", "SendLocalListMaxLength",
		"ReserveConnectorZeroSupported", "ChargeProfileMaxStackLevel",
		"ChargingScheduleAllowedChargingRateUnit", "ChargingScheduleMaxPeriods",
		"ConnectorSwitch3to1PhaseSupported", "MaxChargingProfilesInstalled",
		"SupportedFileTransferProtocols",
		/* security whitepaper */
		"SecurityProfile", "AuthorizationKey", "CpoName",
		"CertificateStoreMaxLength", "AdditionalRootCertificateCheck",
		"CertificateSignedMaxChainSize",
		/* vendor keys (the README key reference) and their aliases */
		"FeatureLicenseKey", "UnlockedFeatures", "Station-MaxCurrent",
		"Connector1-MaxCurrent", "Connector2-MaxCurrent", "Connector1.2-MaxCurrent",
		"Connector2.2-MaxCurrent", "Chameleon-MinCurrent", "Phase-Connected",
		"Static-LoadBalancing", "Active-LoadBalancing", "ALB-ProtocolSelection",
		"DirectExternalSuspendSignal", "RJ11-Mode", "MBTCPSmart-IsEnabled",
		"MBTCPSSmart-IsEnabled", "MBTCPSmart-SlaveMeterModel",
		"MBTCP-Smart-SlaveMeter-Model", "MBTCPSSmart-SlaveMeterModel",
		"MBTCPSmart-ConnectionType", "MBTCPSmart-Connection-Type",
		"MBTCPSSmart-ConnectionType", "MBTCPSmart-IPAddress",
		"MBTCPSSmart-IPAddress", "MBTCPSmart-SlaveUnitID",
		"MBTCPSSmart-SlaveUnitID", "MbsSlaveTCPIP", "MbsSlaveTCP/IP",
		"MbsSlaveTCPIPValidityTime", "MbsSlaveTCP/IPValidity-Time",
		"MbsSlaveTCPIPMode", "Safe-MaxCurrent", "SmartMeter-MaxCurrent",
		"SmartMeterIncludesCharger", "SmartChargingMode", "SmartCharging-Mode",
		"SCN-IsEnabled", "SCN-NetworkName", "SCN-SocketID", "SCN-SocketCount",
		"SCN-TotalStaticCurrent", "SCN-TotalSafeCurrent", "SCN-SocketSafeCurrent",
		"SCN-AlternatingPeriod", "SCN-PhaseMapping-1", "SCN-PhaseMapping-2",
		/* ours (docs/station-model.md, the README key reference) */
		"Station-Phases", "Station-Feeds", "Station-NominalVoltage",
		"Station-RatedCurrent", "MBTCPSmart-Port", "MBTCPSmart-CustomMap-L1",
		"MBTCPSmart-CustomMap-L2", "MBTCPSmart-CustomMap-L3",
		"MbsSlaveTCPIP-Port", "ALB-P1Device", "SCN-Port", "SCN-MulticastGroup",
		"SCN-PeerTimeout", "SCN-AuthKey", "SCN-Interface", "ALB-P1Mode",
		"LicensePublicKey",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (cfg_lookup(required[i]) < 0)
			fail_msg("%s is missing", required[i]);
}

/* Only the keys a restart is truly needed for: the wiring of the station
 * (its phases, feeds and rating bound every stored current and the balancing
 * state) and the license.  SecurityProfile applies at once: the station
 * reconnects with it (and falls back when it cannot connect).  The keys of the
 * features still to come (SCN, EMS, the P1 port) apply nowhere yet and are
 * read-only; Station-NominalVoltage is read by every control cycle and
 * applies live. */
static void test_reboot_keys_are_exactly_those_that_need_one(void **state)
{
	static const char *const restart[] = {
		"FeatureLicenseKey", "Station-Phases", "Station-Feeds",
		"Station-RatedCurrent", "LicensePublicKey",
	};
	int n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(restart) / sizeof(restart[0]); i++) {
		int id = cfg_lookup(restart[i]);

		assert_true(id >= 0);
		if (cfg_table[id].apply != CFG_APPLY_RESTART)
			fail_msg("%s must need a reboot", restart[i]);
	}
	for (int i = 0; i < CFG__COUNT; i++)
		n += cfg_table[i].apply == CFG_APPLY_RESTART;
	assert_int_equal(n, (int)(sizeof(restart) / sizeof(restart[0])));
}

/* ---- every key: a valid value ---- */

static void test_every_key_accepts_its_example(void **state)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		enum cfg_status st;

		if (!is_writable(k) || !k->example || k->apply == CFG_APPLY_NONE)
			continue;
		setup(state);
		/* SecurityProfile 1 (the example) needs the Basic credentials. */
		if (i == CFG_SECURITY_PROFILE)
			assert_int_equal(cfg_change(&cfg, "AuthorizationKey",
			    cfg_table[CFG_AUTHORIZATION_KEY].example), CFG_ACCEPTED);
		st = cfg_change(&cfg, k->name, k->example);
		if (st != (k->apply == CFG_APPLY_RESTART ? CFG_REBOOT_REQUIRED : CFG_ACCEPTED))
			fail_msg("%s=%s: %s (%s)", k->name, k->example,
				 cfg_status_name(st), cfg_error(&cfg));
		if (k->hashed)	/* a password: stored as its hash only */
			assert_int_equal(secret_verify(k->example, fake_get(&fs, k->name)), 1);
		else
			assert_string_equal(fake_get(&fs, k->name), k->example);
		if (k->access == CFG_W) {
			char buf[CFG_VALUE_MAX];

			assert_int_equal(cfg_get_by_name(&cfg, k->name, buf, sizeof(buf), NULL), -ENOENT);
		} else {
			assert_string_equal(get(k->name), k->example);
		}
		/* and it survives a restart */
		reboot(2);
		if (k->access != CFG_W)
			assert_string_equal(get(k->name), k->example);
	}
}

/* ---- every key: each kind of bad value ---- */

struct bad_case {
	enum cfg_type type;
	const char *value;
};

static const struct bad_case bad_values[] = {
	{ .type = CFG_T_BOOL, .value = "yes" },
	{ .type = CFG_T_BOOL, .value = "1" },
	{ .type = CFG_T_BOOL, .value = "Truee" },
	{ .type = CFG_T_SWITCH, .value = "Aan1" },
	{ .type = CFG_T_SWITCH, .value = "ja" },
	{ .type = CFG_T_BOOL, .value = "Uitt" },
	{ .type = CFG_T_SWITCH, .value = "0" },
	{ .type = CFG_T_INT, .value = "abc" },
	{ .type = CFG_T_INT, .value = "-1" },
	{ .type = CFG_T_INT, .value = "1.5" },
	{ .type = CFG_T_INT, .value = "0x10" },
	{ .type = CFG_T_INT, .value = "1e3" },
	{ .type = CFG_T_INT, .value = " 5" },
	{ .type = CFG_T_INT, .value = "99999999999999999999" },
	{ .type = CFG_T_AMPS, .value = "abc" },
	{ .type = CFG_T_AMPS, .value = "NaN" },
	{ .type = CFG_T_AMPS, .value = "inf" },
	{ .type = CFG_T_AMPS, .value = "-1" },
	{ .type = CFG_T_AMPS, .value = "-0.5" },
	{ .type = CFG_T_AMPS, .value = "1e1" },
	{ .type = CFG_T_AMPS, .value = "6.05" },
	{ .type = CFG_T_AMPS, .value = "6." },
	{ .type = CFG_T_AMPS, .value = "99999" },
	{ .type = CFG_T_ENUM, .value = "xyz" },
	{ .type = CFG_T_IPV4, .value = "256.1.1.1" },
	{ .type = CFG_T_IPV4, .value = "1.2.3" },
	{ .type = CFG_T_IPV4, .value = "1.2.3.4.5" },
	{ .type = CFG_T_IPV4, .value = "a.b.c.d" },
	{ .type = CFG_T_IPV4, .value = "1.2.3.0004" },
	{ .type = CFG_T_CSV, .value = "Foo.Bar" },
	{ .type = CFG_T_CSV, .value = "Voltage,,Voltage" },
	{ .type = CFG_T_CSV, .value = "SoC" },
	{ .type = CFG_T_CSV, .value = "Voltage,Temperature" },
};

static void test_every_key_rejects_bad_values(void **state)
{
	char buf[CFG_VALUE_MAX + 8];

	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];

		if (!is_writable(k))
			continue;
		setup(state);
		for (size_t b = 0; b < sizeof(bad_values) / sizeof(bad_values[0]); b++) {
			const struct bad_case *c = &bad_values[b];

			if (c->type != k->type)
				continue;
			if (k->type == CFG_T_CSV && !k->values)
				continue;	/* not a measurand list */
			assert_rejected(k, c->value);
		}
		/* "" is no value: refused unless the key may be empty */
		if (!k->optional && k->type != CFG_T_CSV && k->type != CFG_T_STRING)
			assert_rejected(k, "");
		switch (k->type) {
		case CFG_T_INT:
			if (k->max < INT32_MAX) {
				snprintf(buf, sizeof(buf), "%lld", (long long)k->max + 1);
				assert_rejected(k, buf);
			}
			if (k->min > 0) {
				snprintf(buf, sizeof(buf), "%lld", (long long)k->min - 1);
				assert_rejected(k, buf);
			}
			break;
		case CFG_T_AMPS:
			/* just above the key's own range or the station rating */
			if (k->bound == CFG_B_RATING)
				assert_rejected(k, "32.1");
			else if (k->bound == CFG_B_STATION)
				assert_rejected(k, "32.1");	/* one feed */
			else {
				snprintf(buf, sizeof(buf), "%lld.1", (long long)k->max / 1000);
				assert_rejected(k, buf);
			}
			if (k->min > 0) {
				snprintf(buf, sizeof(buf), "%lld.9", (long long)k->min / 1000 - 1);
				assert_rejected(k, buf);
			}
			break;
		case CFG_T_STRING:
			memset(buf, 'A', (size_t)k->max + 1);
			buf[k->max + 1] = '\0';
			assert_rejected(k, buf);
			break;
		case CFG_T_CSV:
			if (k->values) {
				/* one item more than its ...MaxLength key allows */
				int64_t limit = cfg_int(&cfg, k->max_len_key);
				size_t len = 0;

				buf[0] = '\0';
				for (int v = 0; v <= limit && k->values[v]; v++)
					len += (size_t)snprintf(buf + len, sizeof(buf) - len,
								"%s%s", v ? "," : "", k->values[v]);
				assert_rejected(k, buf);
			}
			break;
		default:
			break;
		}
		/* longer than CiString500 */
		memset(buf, '1', CFG_VALUE_MAX);
		buf[CFG_VALUE_MAX] = '\0';
		assert_rejected(k, buf);
	}
}

/* ---- access ---- */

static void test_readonly_keys_refuse_writes(void **state)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		char buf[CFG_VALUE_MAX];
		bool ro = false;

		if (is_writable(k) && k->apply != CFG_APPLY_NONE)
			continue;
		setup(state);
		if (k->access == CFG_W) {
			/* a write-only key no code applies yet: refused all the same */
			assert_rejected(k, k->example ? k->example : "1");
			continue;
		}
		assert_true(cfg_get_by_name(&cfg, k->name, buf, sizeof(buf), &ro) >= 0);
		assert_true(ro);
		assert_rejected(k, buf[0] ? buf : "1");
		assert_rejected(k, "1");
	}
}

struct walk {
	int n, readonly;
	bool leaked;
	char first[64];
};

static int visit(void *ctx, const char *name, const char *value, bool ro)
{
	struct walk *w = ctx;
	int id = cfg_lookup(name);

	if (w->n == 0)
		snprintf(w->first, sizeof(w->first), "%s", name);
	w->n++;
	w->readonly += ro;
	if (cfg_table[id].access == CFG_W || strstr(value, "00112233445566778899") ||
	    strstr(value, "a-secret-of-16"))
		w->leaked = true;
	return 0;
}

static void test_write_only_keys_are_never_returned(void **state)
{
	struct walk w = { 0 };

	(void)state;
	assert_int_equal(cfg_change(&cfg, "AuthorizationKey", "00112233445566778899aabbccddeeff"),
			 CFG_ACCEPTED);
	/* the SCN's key: stored, used, never read back */
	assert_int_equal(cfg_change(&cfg, "SCN-AuthKey", "a-secret-of-16-chars"), CFG_ACCEPTED);
	assert_non_null(fake_get(&fs, "SCN-AuthKey"));
	assert_string_equal(cfg_str(&cfg, CFG_SCN_AUTH_KEY), "a-secret-of-16-chars");
	for (int i = 0; i < CFG__COUNT; i++) {
		char buf[CFG_VALUE_MAX];

		if (cfg_table[i].access == CFG_W)
			assert_int_equal(cfg_get_by_name(&cfg, cfg_table[i].name, buf,
							 sizeof(buf), NULL), -ENOENT);
	}
	assert_int_equal(cfg_foreach_readable(&cfg, visit, &w), 0);
	assert_false(w.leaked);
	/* the daemon still reads it for HTTP Basic auth */
	assert_string_equal(cfg_str(&cfg, CFG_AUTHORIZATION_KEY),
			    "00112233445566778899aabbccddeeff");
}

static void test_get_all_lists_readable_keys_in_table_order(void **state)
{
	struct walk w = { 0 };
	int readable = 0, ro = 0;

	(void)state;
	assert_int_equal(cfg_change(&cfg, "AuthorizationKey", "00112233445566778899aabbccddeeff"),
			 CFG_ACCEPTED);
	for (int i = 0; i < CFG__COUNT; i++) {
		if (cfg_table[i].access == CFG_W)
			continue;
		readable++;
		ro += cfg_table[i].access != CFG_RW || cfg_table[i].apply == CFG_APPLY_NONE;
	}
	assert_int_equal(cfg_foreach_readable(&cfg, visit, &w), 0);
	assert_int_equal(w.n, readable);
	assert_int_equal(w.readonly, ro);
	assert_false(w.leaked);
	assert_string_equal(w.first, cfg_table[0].name);
	/* one frame holds them all (GetConfiguration is one frame) */
	assert_true(readable * (50 + CFG_VALUE_MAX) < CP_MAX_FRAME);
}

static void test_unknown_keys(void **state)
{
	char buf[CFG_VALUE_MAX];

	(void)state;
	assert_int_equal(cfg_change(&cfg, "NoSuchKey", "1"), CFG_NOT_SUPPORTED);
	assert_int_equal(cfg_change(&cfg, "", "1"), CFG_NOT_SUPPORTED);
	assert_int_equal(cfg_get_by_name(&cfg, "NoSuchKey", buf, sizeof(buf), NULL), -ENOENT);
	assert_int_equal(fs.saves, 0);
}

/* ---- names ---- */

static void test_aliases_and_case(void **state)
{
	(void)state;
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];

		for (int a = 0; a < 3 && k->aliases[a]; a++) {
			char buf[CFG_VALUE_MAX];

			setup(state);
			if (k->example && k->apply == CFG_APPLY_NONE) {
				/* found under the alias, and refused as not supported */
				assert_int_equal(cfg_change(&cfg, k->aliases[a], k->example),
						 CFG_REJECTED);
				assert_non_null(strstr(cfg_error(&cfg), "not supported yet"));
				assert_null(fake_get(&fs, k->name));
			} else if (k->example) {
				assert_int_not_equal(cfg_change(&cfg, k->aliases[a], k->example),
						     CFG_REJECTED);
				/* stored under the canonical name */
				assert_non_null(fake_get(&fs, k->name));
			}
			assert_int_equal(cfg_get_by_name(&cfg, k->aliases[a], buf, sizeof(buf), NULL), i);
			assert_string_equal(buf, get(k->name));
		}
	}
	setup(state);
	assert_int_equal(cfg_change(&cfg, "heartbeatinterval", "42"), CFG_ACCEPTED);
	assert_string_equal(get("HEARTBEATINTERVAL"), "42");
}

/* ---- canonical forms (docs/station-model.md) ---- */

struct canon_case {
	const char *key, *in, *out;
};

static const struct canon_case canon_cases[] = {
	{ .key = "Station-MaxCurrent", .in = "20", .out = "20.0" },
	{ .key = "Station-MaxCurrent", .in = "20.0", .out = "20.0" },
	{ .key = "Station-MaxCurrent", .in = "20.00", .out = "20.0" },
	{ .key = "Station-MaxCurrent", .in = "0", .out = "0.0" },
	{ .key = "Connector1-MaxCurrent", .in = "16.5", .out = "16.5" },
	{ .key = "Connector1-MaxCurrent", .in = "032", .out = "32.0" },
	{ .key = "Static-LoadBalancing", .in = "off", .out = "Off" },
	{ .key = "Static-LoadBalancing", .in = "TRUE", .out = "On" },
	{ .key = "Static-LoadBalancing", .in = "False", .out = "Off" },
	{ .key = "AllowOfflineTxForUnknownId", .in = "off", .out = "False" },
	{ .key = "AllowOfflineTxForUnknownId", .in = "ON", .out = "True" },
	{ .key = "AllowOfflineTxForUnknownId", .in = "tRuE", .out = "True" },
	{ .key = "DirectExternalSuspendSignal", .in = "Suspend on closing external circuit",
	  .out = "SuspendOnClose" },
	{ .key = "RJ11-Mode", .in = "suspend on opening external circuit", .out = "SuspendOnOpen" },
	{ .key = "DirectExternalSuspendSignal", .in = "dsmr p1", .out = "DSMR P1" },
	{ .key = "MeterValuesSampledData", .in = " voltage , current.import ",
	  .out = "Voltage,Current.Import" },
	{ .key = "MeterValuesSampledData", .in = "", .out = "" },
	{ .key = "HeartbeatInterval", .in = "0060", .out = "60" },
	{ .key = "Phase-Connected", .in = "l2l3l1", .out = "L2L3L1" },
};

static void test_values_read_back_canonically(void **state)
{
	for (size_t i = 0; i < sizeof(canon_cases) / sizeof(canon_cases[0]); i++)
		expect_canonical(state, canon_cases[i].key, canon_cases[i].in, canon_cases[i].out);
}

/* ---- typed getters and live changes ---- */


static void test_live_change_reaches_the_daemon(void **state)
{
	struct heard h = { 0 };

	(void)state;
	cfg_set_listener(&cfg, listener, &h);
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 300);
	assert_int_equal(cfg_change(&cfg, "HeartbeatInterval", "120"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 120);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.last, CFG_HEARTBEAT_INTERVAL);

	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 32000);
	assert_int_equal(cfg_change(&cfg, "Station-MaxCurrent", "20.5"), CFG_ACCEPTED);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 20500);
	assert_int_equal(h.last, CFG_STATION_MAX_CURRENT);

	/* keys no code applies yet change nothing and tell nobody */
	h.n = 0;
	assert_int_equal(cfg_change(&cfg, "LightIntensity", "50"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "SmartChargingMode", "OCPP1.5+"), CFG_REJECTED);
	assert_int_equal(cfg_enum(&cfg, CFG_SMART_CHARGING_MODE), CFG_SC_NONE);
	assert_int_equal(h.n, 0);
	/* the EMS slave is applied: its keys reach the daemon */
	assert_int_equal(cfg_change(&cfg, "MbsSlaveTCPIP-Port", "1502"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_MBS_SLAVE_TCPIP_PORT), 1502);
	assert_int_equal(h.last, CFG_MBS_SLAVE_TCPIP_PORT);
	/* active load balancing is applied: its keys reach the daemon */
	assert_int_equal(cfg_change(&cfg, "MBTCPSSmart-IPAddress", "10.0.0.1"), CFG_ACCEPTED);
	assert_int_equal(cfg_ipv4(&cfg, CFG_MBTCPSMART_IP_ADDRESS), 0x0a000001u);
	assert_int_equal(h.last, CFG_MBTCPSMART_IP_ADDRESS);
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal", "SuspendOnOpen"), CFG_ACCEPTED);
	assert_int_equal(cfg_enum(&cfg, CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL), CFG_SUSPEND_ON_OPEN);
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_ACCEPTED);
	assert_true(cfg_bool(&cfg, CFG_ACTIVE_LOAD_BALANCING));
	assert_int_equal(h.last, CFG_ACTIVE_LOAD_BALANCING);
	/* the nominal voltage converts W and A in every control cycle: live */
	assert_int_equal(cfg_change(&cfg, "Station-NominalVoltage", "240"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_STATION_NOMINAL_VOLTAGE), 240);
	assert_string_equal(cfg_str(&cfg, CFG_METER_VALUES_SAMPLED_DATA),
			    "Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage");
	assert_int_equal(cfg_int(&cfg, CFG_NUMBER_OF_CONNECTORS), 2);
	assert_int_equal(cfg_int(&cfg, CFG_CHARGE_PROFILE_MAX_STACK_LEVEL), 15);
	/* since the count was reset: the EMS port, the meter address, the
	 * suspend signal, ALB and the voltage; none of the refused ones */
	assert_int_equal(h.n, 5);

	/* an optional key without a value (stored by an earlier release) */
	assert_false(cfg_is_set(&cfg, CFG_SAFE_MAX_CURRENT));
	assert_int_equal(cfg_ma(&cfg, CFG_SAFE_MAX_CURRENT), 0);
	fake_put(&fs, "Safe-MaxCurrent", "10");
	reboot(2);
	assert_true(cfg_is_set(&cfg, CFG_SAFE_MAX_CURRENT));
	fake_put(&fs, "Safe-MaxCurrent", "");
	reboot(2);
	assert_false(cfg_is_set(&cfg, CFG_SAFE_MAX_CURRENT));
}

static void test_reboot_keys_apply_after_restart(void **state)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		struct heard h = { 0 };
		char eff_before[CFG_VALUE_MAX];

		if (k->apply != CFG_APPLY_RESTART || !k->example || k->access != CFG_RW)
			continue;
		setup(state);
		cfg_set_listener(&cfg, listener, &h);
		snprintf(eff_before, sizeof(eff_before), "%d", cfg_int(&cfg, (enum cfg_id)i));
		assert_int_equal(cfg_change(&cfg, k->name, k->example), CFG_REBOOT_REQUIRED);
		assert_int_equal(h.n, 0);
		/* GetConfiguration shows the new value, the daemon still runs on the old */
		assert_string_equal(get(k->name), k->example);
		if (k->type == CFG_T_INT || k->type == CFG_T_BOOL) {
			char now[32];

			snprintf(now, sizeof(now), "%d", cfg_int(&cfg, (enum cfg_id)i));
			assert_string_equal(now, eff_before);
		}
		/* setting it again is still pending */
		assert_int_equal(cfg_change(&cfg, k->name, k->example), CFG_REBOOT_REQUIRED);
		reboot(2);
		assert_string_equal(get(k->name), k->example);
		/* after the restart it is the running value: no reboot to set it again */
		assert_int_equal(cfg_change(&cfg, k->name, k->example), CFG_ACCEPTED);
	}
	setup(state);
	assert_int_equal(cfg_change(&cfg, "Station-RatedCurrent", "16"), CFG_REBOOT_REQUIRED);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_RATED_CURRENT), 32000);
	reboot(2);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_RATED_CURRENT), 16000);
}

/* ---- topology bounds (docs/station-model.md) ---- */

static void test_currents_are_bounded_by_the_rating(void **state)
{
	(void)state;
	assert_int_equal(cfg_change(&cfg, "Connector1-MaxCurrent", "32.0"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "Connector1-MaxCurrent", "32.1"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Station-MaxCurrent", "32.1"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Chameleon-MinCurrent", "5.9"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Chameleon-MinCurrent", "6"), CFG_ACCEPTED);

	/* two feeds: the station may draw twice the rating (once restarted,
	 * but the limit already follows the stored topology) */
	assert_int_equal(cfg_change(&cfg, "Station-Feeds", "2"), CFG_REBOOT_REQUIRED);
	assert_int_equal(cfg_change(&cfg, "Station-MaxCurrent", "64"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "Station-MaxCurrent", "64.1"), CFG_REJECTED);
	/* the running station still has one feed */
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 32000);
	reboot(2);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 64000);

	/* a lowered rating bounds what was stored before it */
	assert_int_equal(cfg_change(&cfg, "Station-RatedCurrent", "16"), CFG_REBOOT_REQUIRED);
	assert_int_equal(cfg_change(&cfg, "Connector2-MaxCurrent", "20"), CFG_REJECTED);
	reboot(2);
	assert_string_equal(get("Connector1-MaxCurrent"), "32.0");
	assert_int_equal(cfg_ma(&cfg, CFG_CONNECTOR1_MAX_CURRENT), 16000);
	assert_int_equal(cfg_ma(&cfg, CFG_STATION_MAX_CURRENT), 32000);
}

static void test_dynamic_defaults(void **state)
{
	(void)state;
	/* two sockets on one feed balance (docs/balancing.md) */
	assert_string_equal(get("Static-LoadBalancing"), "On");
	assert_true(cfg_bool(&cfg, CFG_STATIC_LOAD_BALANCING));
	assert_string_equal(get("SCN-PhaseMapping-2"), "4");
	assert_string_equal(get("Station-MaxCurrent"), "32.0");
	assert_string_equal(get("Connector2-MaxCurrent"), "32.0");
	/* TotalSafeCurrent follows TotalStaticCurrent until set */
	assert_string_equal(get("SCN-TotalSafeCurrent"), "");
	fake_put(&fs, "SCN-TotalStaticCurrent", "40");
	reboot(2);
	assert_string_equal(get("SCN-TotalSafeCurrent"), "40.0");
	assert_int_equal(cfg_ma(&cfg, CFG_SCN_TOTAL_SAFE_CURRENT), 40000);
	fake_put(&fs, "SCN-TotalSafeCurrent", "24");
	fake_put(&fs, "SCN-TotalStaticCurrent", "50");
	reboot(2);
	assert_string_equal(get("SCN-TotalSafeCurrent"), "24.0");

	reboot(1);
	assert_string_equal(get("Static-LoadBalancing"), "Off");
	assert_string_equal(get("SCN-PhaseMapping-2"), "0");
	assert_string_equal(get("NumberOfConnectors"), "1");

	assert_int_equal(cfg_change(&cfg, "Station-Feeds", "2"), CFG_REBOOT_REQUIRED);
	reboot(2);
	assert_string_equal(get("Static-LoadBalancing"), "Off");
	assert_string_equal(get("Station-MaxCurrent"), "64.0");
}
/* ---- a failing store ---- */

static void test_failing_store_changes_nothing(void **state)
{
	struct heard h = { 0 };

	(void)state;
	cfg_set_listener(&cfg, listener, &h);
	fs.fail_save = -EIO;
	assert_int_equal(cfg_change(&cfg, "HeartbeatInterval", "60"), CFG_REJECTED);
	assert_string_equal(get("HeartbeatInterval"), "300");
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 300);
	assert_int_equal(h.n, 0);
	fs.fail_save = -ENOSPC;
	assert_int_equal(cfg_change(&cfg, "Station-Phases", "1"), CFG_REJECTED);
	assert_string_equal(get("Station-Phases"), "3");
	fs.fail_save = 0;
	assert_int_equal(cfg_change(&cfg, "HeartbeatInterval", "60"), CFG_ACCEPTED);

	/* a store that cannot be read stops the start-up */
	fs.fail_load = -EIO;
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-TEST"), -EIO);
	assert_non_null(strstr(cfg_error(&cfg), "AllowOfflineTxForUnknownId"));
}

static void test_corrupt_stored_value_is_ignored(void **state)
{
	(void)state;
	fake_put(&fs, "HeartbeatInterval", "banana");
	fake_put(&fs, "MeterValueSampleInterval", "15");
	reboot(2);
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 300);
	assert_int_equal(cfg_int(&cfg, CFG_METER_VALUE_SAMPLE_INTERVAL), 15);
}

static void test_init_arguments(void **state)
{
	(void)state;
	assert_int_equal(cfg_init(&cfg, NULL, NULL, 0, "x"), -EINVAL);
	assert_non_null(strstr(cfg_error(&cfg), "connectors"));
	assert_int_equal(cfg_init(&cfg, NULL, NULL, CP_MAX_CONNECTORS + 1, "x"), -EINVAL);
	assert_int_equal(cfg_init(&cfg, NULL, NULL, 1, NULL), -EINVAL);
	/* no store at all works: values live in memory */
	assert_int_equal(cfg_init(&cfg, NULL, NULL, 1, "x"), 0);
	assert_int_equal(cfg_change(&cfg, "HeartbeatInterval", "10"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_HEARTBEAT_INTERVAL), 10);
}
/* Installer-Password: the store holds a salted PBKDF2 hash, never the
 * password; the same password hashes differently each time (salt); the
 * hash verifies the password and nothing else; nobody reads it back. */
static void test_installer_password_is_hashed(void **state)
{
	char first[SECRET_TEXT_MAX + 1], buf[CFG_VALUE_MAX];
	bool ro;

	(void)state;
	assert_int_equal(cfg_change(&cfg, "Installer-Password", "short"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Installer-Password", "correct-pw-1"), CFG_ACCEPTED);
	snprintf(first, sizeof(first), "%s", fake_get(&fs, "Installer-Password"));
	assert_true(secret_is_hash(first));
	assert_null(strstr(first, "correct-pw-1"));
	assert_int_equal(secret_verify("correct-pw-1", first), 1);
	assert_int_equal(secret_verify("correct-pw-2", first), 0);
	assert_int_equal(secret_verify("", first), 0);
	assert_string_equal(cfg_str(&cfg, CFG_INSTALLER_PASSWORD), first);
	assert_int_equal(cfg_get_by_name(&cfg, "Installer-Password", buf, sizeof(buf), &ro), -ENOENT);
	/* A restart reads the hash back as it is (not hashed again). */
	reboot(2);
	assert_string_equal(cfg_str(&cfg, CFG_INSTALLER_PASSWORD), first);
	assert_int_equal(cfg_change(&cfg, "Installer-Password", "correct-pw-1"), CFG_ACCEPTED);
	assert_string_not_equal(fake_get(&fs, "Installer-Password"), first);
	assert_int_equal(secret_verify("correct-pw-1", fake_get(&fs, "Installer-Password")), 1);
	/* A malformed hash verifies nothing. */
	assert_int_equal(secret_verify("x", "pbkdf2-sha256$1$AAAA$BBBB"), -EINVAL);
	assert_int_equal(secret_verify("x", "plain"), -EINVAL);
}

int main(void)
{
	cp_log_set_level(CP_LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table_is_complete_and_unambiguous, setup),
		cmocka_unit_test_setup(test_every_required_key_is_known, setup),
		cmocka_unit_test_setup(test_reboot_keys_are_exactly_those_that_need_one, setup),
		cmocka_unit_test_setup(test_every_key_accepts_its_example, setup),
		cmocka_unit_test_setup(test_every_key_rejects_bad_values, setup),
		cmocka_unit_test_setup(test_readonly_keys_refuse_writes, setup),
		cmocka_unit_test_setup(test_write_only_keys_are_never_returned, setup),
		cmocka_unit_test_setup(test_get_all_lists_readable_keys_in_table_order, setup),
		cmocka_unit_test_setup(test_unknown_keys, setup),
		cmocka_unit_test_setup(test_aliases_and_case, setup),
		cmocka_unit_test_setup(test_values_read_back_canonically, setup),
		cmocka_unit_test_setup(test_live_change_reaches_the_daemon, setup),
		cmocka_unit_test_setup(test_reboot_keys_apply_after_restart, setup),
		cmocka_unit_test_setup(test_currents_are_bounded_by_the_rating, setup),
		cmocka_unit_test_setup(test_dynamic_defaults, setup),
		cmocka_unit_test_setup(test_failing_store_changes_nothing, setup),
		cmocka_unit_test_setup(test_corrupt_stored_value_is_ignored, setup),
		cmocka_unit_test_setup(test_init_arguments, setup),
		cmocka_unit_test_setup(test_installer_password_is_hashed, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
