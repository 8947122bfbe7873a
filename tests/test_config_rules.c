/*
 * test_config_rules.c - the configuration registry's rules beyond one key's
 * syntax: key-specific checks, SecurityProfile, every writable key bound to
 * the code that applies it (or read-only until its feature exists), the
 * values operators type (Dutch, any case), the RJ11 port and the measurands
 * the station can sample (README key reference).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "cp_log.h"
#include "tests/config_fixture.h"

/* ---- key-specific rules ---- */

struct rule_case {
	const char *key, *value;
	enum cfg_status st;
	const char *why;	/* part of the reason of a Rejected */
};

/* A valid value of a key no code applies yet: Rejected for that reason
 * alone, which shows the value itself passed every check. */
#define NOT_YET .st = CFG_REJECTED, .why = "not supported yet"

static const struct rule_case rule_cases[] = {
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "247", .st = CFG_ACCEPTED },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "248", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "255", .st = CFG_ACCEPTED },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "65535", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-ConnectionType", .value = "TCP-master", .st = CFG_ACCEPTED },
	{ .key = "MBTCPSmart-ConnectionType", .value = "UDP-master", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-ConnectionType", .value = "RTU-master", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "ABC1234", .st = CFG_ACCEPTED },
	{ .key = "SCN-NetworkName", .value = "ABC12345", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "abc", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "AB-1", .st = CFG_REJECTED },
	{ .key = "SCN-SocketID", .value = "128", .st = CFG_ACCEPTED },
	{ .key = "SCN-SocketID", .value = "129", .st = CFG_REJECTED },
	{ .key = "SCN-AlternatingPeriod", .value = "59", .st = CFG_REJECTED },
	{ .key = "SCN-AlternatingPeriod", .value = "36000", .st = CFG_ACCEPTED },
	{ .key = "SCN-MulticastGroup", .value = "192.168.1.1", .st = CFG_REJECTED },
	{ .key = "SCN-PhaseMapping-1", .value = "0", .st = CFG_REJECTED },
	{ .key = "SCN-PhaseMapping-2", .value = "0", .st = CFG_ACCEPTED },
	{ .key = "Station-Phases", .value = "2", .st = CFG_REJECTED },
	{ .key = "Station-Phases", .value = "1", .st = CFG_REBOOT_REQUIRED },
	{ .key = "Chameleon-MinCurrent", .value = "14", .st = CFG_ACCEPTED },
	{ .key = "AuthorizationKey", .value = "0123456789abcdeg", .st = CFG_REJECTED },
	{ .key = "AuthorizationKey", .value = "0123456789abcde", .st = CFG_REJECTED },
	{ .key = "AuthorizationKey", .value = "0123456789ABCDEF0123456789ABCDEF01234567", .st = CFG_ACCEPTED },
	{ .key = "AuthorizationKey", .value = "0123456789ABCDEF0123456789ABCDEF01234567AB", .st = CFG_REJECTED },
	{ .key = "AuthorizationKey", .value = "0123456789ABCDEF0123456789ABCDEF012345", .st = CFG_ACCEPTED },
	{ .key = "SCN-AuthKey", .value = "short", .st = CFG_REJECTED },
	{ .key = "SCN-AuthKey", .value = "", .st = CFG_ACCEPTED },
	{ .key = "ConnectorPhaseRotation", .value = "3.RST", .st = CFG_REJECTED },
	{ .key = "ConnectorPhaseRotation", .value = "1.XYZ", .st = CFG_REJECTED },
	{ .key = "ConnectorPhaseRotation", .value = "0.RST,1.RST,2.NotApplicable", .st = CFG_ACCEPTED },
	{ .key = "ConnectorPhaseRotation", .value = "0.RST,1.RST,2.RST,0.TSR", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "50528,u32", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "70000,u32,1", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,u8,1", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,s64,0", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,s64,-0.1", .st = CFG_ACCEPTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "", .st = CFG_ACCEPTED },
	{ .key = "ALB-P1Device", .value = "ttyUSB0", .st = CFG_REJECTED },
	{ .key = "ALB-ProtocolSelection", .value = "DSMR4.x/SMR5.0 (P1)", .st = CFG_ACCEPTED },
	{ .key = "MeterValuesSampledData", .value = "Voltage,Voltage", .st = CFG_REJECTED },
	{ .key = "MeterValuesSampledData", .value = "Voltage,", .st = CFG_REJECTED },
	{ .key = "SupportedFeatureProfiles", .value = "Core", .st = CFG_REJECTED },
	{ .key = "NumberOfConnectors", .value = "1", .st = CFG_REJECTED },
	{ .key = "UnlockedFeatures", .value = "SLB", .st = CFG_REJECTED },
	{ .key = "LicensePublicKey", .value = "", .st = CFG_REJECTED },
	/* a station without a trusted root or a client certificate (security
	 * whitepaper, profile 3): the first missing prerequisite is named */
	{ .key = "SecurityProfile", .value = "3", .st = CFG_REJECTED, .why = "trusted Central System root" },
	/* Basic authentication needs the AuthorizationKey first (profiles 1, 2) */
	{ .key = "SecurityProfile", .value = "1", .st = CFG_REJECTED, .why = "AuthorizationKey" },
	/* applied by the control cycle to a transaction whose idTag was refused */
	{ .key = "MaxEnergyOnInvalidId", .value = "1000", .st = CFG_ACCEPTED },
	{ .key = "MaxEnergyOnInvalidId", .value = "-1", .st = CFG_REJECTED, .why = "not a whole number" },
	/* only what the station samples */
	{ .key = "MeterValuesSampledData", .value = "SoC", .st = CFG_REJECTED, .why = "cannot sample SoC" },
	{ .key = "MeterValuesSampledData", .value = "Voltage,Frequency", .st = CFG_REJECTED,
	  .why = "cannot sample Frequency" },
	{ .key = "MeterValuesAlignedData", .value = "Energy.Active.Export.Register", .st = CFG_REJECTED,
	  .why = "cannot sample Energy.Active.Export.Register" },
	{ .key = "StopTxnSampledData", .value = "Temperature", .st = CFG_REJECTED, .why = "cannot sample" },
	{ .key = "StopTxnAlignedData", .value = "Power.Offered", .st = CFG_REJECTED, .why = "cannot sample" },
	{ .key = "StopTxnAlignedData", .value = "power.active.import,VOLTAGE", .st = CFG_ACCEPTED },
	{ .key = "MeterValuesSampledData",
	  .value = "Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage",
	  .st = CFG_ACCEPTED },
	/* Dutch and any letter case */
	{ .key = "StopTransactionOnInvalidId", .value = "UIT", .st = CFG_ACCEPTED },
	{ .key = "Static-LoadBalancing", .value = "aan", .st = CFG_ACCEPTED },
	{ .key = "SmartChargingMode", .value = "Geen", NOT_YET },
	{ .key = "SmartChargingMode", .value = "Nada", .st = CFG_REJECTED, .why = "not one of the allowed values" },
	/* no lights, no CSRs, no failing resets: nothing would apply them */
	{ .key = "LightIntensity", .value = "50", NOT_YET },
	{ .key = "BlinkRepeat", .value = "5", NOT_YET },
	{ .key = "CpoName", .value = "ExampleCPO", .st = CFG_ACCEPTED },	/* O= of the CSR */
	{ .key = "CpoName", .value = "Tab\there", .st = CFG_REJECTED, .why = "printable" },
	{ .key = "ResetRetries", .value = "1", .st = CFG_REJECTED, .why = "out of range 0-0" },
	{ .key = "ResetRetries", .value = "0", .st = CFG_ACCEPTED },
	{ .key = "Active-LoadBalancing", .value = "On", .st = CFG_ACCEPTED },
	{ .key = "SCN-IsEnabled", .value = "true", .st = CFG_ACCEPTED },
	{ .key = "MbsSlaveTCPIP", .value = "On", .st = CFG_ACCEPTED },
	{ .key = "MbsSlaveTCPIPMode", .value = "socket", .st = CFG_ACCEPTED },
	{ .key = "MbsSlaveTCPIPMode", .value = "SCN", .st = CFG_ACCEPTED },
	{ .key = "Safe-MaxCurrent", .value = "10", .st = CFG_ACCEPTED },
	{ .key = "SmartMeter-MaxCurrent", .value = "40", .st = CFG_ACCEPTED },
	{ .key = "Connector1.2-MaxCurrent", .value = "10", .st = CFG_ACCEPTED },
	{ .key = "Connector2.2-MaxCurrent", .value = "32.1", .st = CFG_REJECTED, .why = "rating" },
	{ .key = "OCPPStackVersion", .value = "1.6J", .st = CFG_REJECTED, .why = "readonly" },
};

static void test_key_rules(void **state)
{
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		const struct rule_case *c = &rule_cases[i];
		enum cfg_status st;

		setup(state);
		st = cfg_change(&cfg, c->key, c->value);
		if (st != c->st)
			fail_msg("%s='%s': %s, expected %s (%s)", c->key, c->value,
				 cfg_status_name(st), cfg_status_name(c->st), cfg_error(&cfg));
		/* a bad value is refused for its own fault, never as "not yet" */
		if (st == CFG_REJECTED && !c->why &&
		    strstr(cfg_error(&cfg), "not supported yet"))
			fail_msg("%s='%s': %s", c->key, c->value, cfg_error(&cfg));
		if (c->why && !strstr(cfg_error(&cfg), c->why))
			fail_msg("%s='%s': '%s' does not say '%s'", c->key, c->value,
				 cfg_error(&cfg), c->why);
	}
}

/* Security whitepaper, "Migrate to new Security Profile": raised only, never
 * lowered; the change applies at once (the station reconnects with it). */
static void test_security_profile_only_rises(void **state)
{
	(void)state;
	cfg_set_transport(&cfg, CFG_TRANSPORT_TLS);
	cfg_set_security_assets(&cfg, true, false);
	assert_int_equal(cfg_change(&cfg, "AuthorizationKey", "0123456789abcdef0123456789abcdef"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_SECURITY_PROFILE), 2);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REJECTED);
	reboot(2);
	assert_int_equal(cfg_int(&cfg, CFG_SECURITY_PROFILE), 2);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "0"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REJECTED);
	/* The station's own fall-back after a raise that could not connect is
	 * the one way down, and it is stored. */
	assert_int_equal(cfg_security_fallback(&cfg, 1), 0);
	assert_int_equal(cfg_int(&cfg, CFG_SECURITY_PROFILE), 1);
	reboot(2);
	assert_string_equal(get("SecurityProfile"), "1");
}

/* Over ws:// the AuthorizationKey would go out in the clear: profiles 2 and
 * 3 are Rejected and the value is unchanged; over wss:// they need a trusted
 * root (2) and a client certificate (3). */
static void test_security_profile_needs_tls(void **state)
{
	(void)state;
	cfg_set_transport(&cfg, CFG_TRANSPORT_PLAIN);
	cfg_set_security_assets(&cfg, true, true);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "AuthorizationKey"));
	assert_int_equal(cfg_change(&cfg, "AuthorizationKey", "0123456789abcdef0123456789abcdef"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "wss://"));
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "3"), CFG_REJECTED);
	assert_string_equal(get("SecurityProfile"), "1");
	cfg_set_transport(&cfg, CFG_TRANSPORT_TLS);
	cfg_set_security_assets(&cfg, false, false);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "root"));
	cfg_set_security_assets(&cfg, true, false);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "3"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "client certificate"));
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_ACCEPTED);
	cfg_set_security_assets(&cfg, true, true);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "3"), CFG_ACCEPTED);
	assert_string_equal(get("SecurityProfile"), "3");
}

/* ---- every writable key is bound to the code that applies it ---- */

/* The value the running daemon reads, through the typed getters. */
static void eff_text(enum cfg_id id, char *buf, size_t n)
{
	switch (cfg_table[id].type) {
	case CFG_T_BOOL:
	case CFG_T_SWITCH:
		snprintf(buf, n, "%d", cfg_bool(&cfg, id));
		break;
	case CFG_T_AMPS:
		snprintf(buf, n, "%d mA", cfg_ma(&cfg, id));
		break;
	case CFG_T_IPV4:
		snprintf(buf, n, "%08x", cfg_ipv4(&cfg, id));
		break;
	case CFG_T_STRING:
	case CFG_T_CSV:
		snprintf(buf, n, "'%s'", cfg_str(&cfg, id));
		break;
	default:
		snprintf(buf, n, "%d", cfg_int(&cfg, id));
		break;
	}
}

/*
 * Walks the table: every key that ChangeConfiguration, --config or the
 * store can set names how it takes effect and which code applies it, and
 * behaves accordingly: a LIVE or STORED change is Accepted and reaches the
 * running daemon (the listener runs, the typed getter reads the new value),
 * a RESTART change answers RebootRequired and reaches it only after the
 * restart, and a key no code applies (NONE) is read-only: Rejected,
 * readonly in GetConfiguration, nothing stored, nobody told.
 */
static void test_every_writable_key_is_bound(void **state)
{
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		const char *value = k->example ? k->example :
			k->apply == CFG_APPLY_NONE ? k->def : NULL;
		struct heard h = { 0 };
		char buf[CFG_VALUE_MAX], before[CFG_VALUE_MAX], now[CFG_VALUE_MAX];
		char later[CFG_VALUE_MAX];
		enum cfg_status st;
		bool ro = false;

		if (k->access != CFG_RW && k->access != CFG_W && k->access != CFG_PROVISION)
			continue;
		if (k->apply == CFG_APPLY_UNBOUND)
			fail_msg("%s is writable but bound to no code (.apply)", k->name);
		if (!k->applied_by || !k->applied_by[0])
			fail_msg("%s does not say what applies it (.applied_by)", k->name);
		if (k->access == CFG_PROVISION)
			continue;	/* the license test covers it */
		/* A license key needs the vendor's signature: test_license
		 * shows its effect.  Every other key shows it here. */
		if (i == CFG_FEATURE_LICENSE_KEY)
			continue;
		/* A key with one allowed value promises exactly that value. */
		if (!value && k->type == CFG_T_INT && k->min == k->max) {
			char other[24];

			snprintf(other, sizeof(other), "%lld", (long long)k->max + 1);
			setup(state);
			assert_int_equal(cfg_change(&cfg, k->name, other), CFG_REJECTED);
			continue;
		}
		/* An enumeration whose rule leaves one value of its list (a
		 * transport this build lacks is refused) promises that one:
		 * every other listed value is Rejected. */
		if (!value && k->type == CFG_T_ENUM && k->check && k->def) {
			int others = 0;
			for (int v = 0; k->values[v]; v++) {
				if (strcmp(k->values[v], k->def) == 0)
					continue;
				setup(state);
				assert_int_equal(cfg_change(&cfg, k->name, k->values[v]), CFG_REJECTED);
				others++;
			}
			assert_true(others > 0);
			continue;
		}
		if (!value)
			fail_msg("%s: a writable key needs an example to show its effect", k->name);
		setup(state);
		/* A raised SecurityProfile needs its prerequisite (Basic
		 * credentials for profile 1) before the change can show. */
		if (i == CFG_SECURITY_PROFILE)
			assert_int_equal(cfg_change(&cfg, "AuthorizationKey",
			    cfg_table[CFG_AUTHORIZATION_KEY].example), CFG_ACCEPTED);
		cfg_set_listener(&cfg, listener, &h);
		eff_text((enum cfg_id)i, before, sizeof(before));
		st = cfg_change(&cfg, k->name, value);
		switch (k->apply) {
		case CFG_APPLY_LIVE:
		case CFG_APPLY_STORED:
			if (st != CFG_ACCEPTED)
				fail_msg("%s=%s: %s (%s)", k->name, value, cfg_status_name(st),
					 cfg_error(&cfg));
			assert_int_equal(h.n, 1);
			assert_int_equal(h.last, i);
			/* the running daemon reads the new value now: the
			 * same as a restart would give it */
			eff_text((enum cfg_id)i, now, sizeof(now));
			reboot(2);
			eff_text((enum cfg_id)i, later, sizeof(later));
			assert_string_equal(now, later);
			if (strcmp(before, later) == 0)
				fail_msg("%s=%s: the daemon reads %s before and after", k->name,
					 value, now);
			break;
		case CFG_APPLY_RESTART:
			assert_int_equal(st, CFG_REBOOT_REQUIRED);
			assert_int_equal(h.n, 0);
			/* not before the restart, and then */
			eff_text((enum cfg_id)i, now, sizeof(now));
			assert_string_equal(now, before);
			reboot(2);
			eff_text((enum cfg_id)i, later, sizeof(later));
			if (strcmp(before, later) == 0)
				fail_msg("%s=%s: the restarted daemon still reads %s", k->name,
					 value, later);
			break;
		case CFG_APPLY_NONE:
			assert_int_equal(st, CFG_REJECTED);
			assert_non_null(strstr(cfg_error(&cfg), "not supported yet"));
			assert_int_equal(h.n, 0);
			assert_int_equal(fs.saves, 0);
			if (k->access != CFG_W) {
				assert_true(cfg_get_by_name(&cfg, k->name, buf, sizeof(buf), &ro) >= 0);
				assert_true(ro);
			}
			break;
		default:
			fail_msg("%s: unknown binding %d", k->name, (int)k->apply);
		}
	}
}

/* The keys named as promising more than the station does: each is now
 * either applied or honestly read-only. */
static void test_honest_keys(void **state)
{
	static const char *const not_yet[] = {
		"SmartChargingMode", "BlinkRepeat", "LightIntensity",
	};
	/* Active load balancing from a P1 or Modbus TCP meter, the EMS slave
	 * (station/grid.c) and the Smart Charging Network (station/scn/) are
	 * built: their keys apply at once. */
	static const char *const alb[] = {
		"Active-LoadBalancing", "ALB-ProtocolSelection", "MBTCPSmart-IsEnabled",
		"MBTCPSmart-SlaveMeterModel", "MBTCPSmart-ConnectionType",
		"MBTCPSmart-IPAddress", "MBTCPSmart-SlaveUnitID", "Safe-MaxCurrent",
		"SmartMeter-MaxCurrent", "SmartMeterIncludesCharger", "MBTCPSmart-Port",
		"MBTCPSmart-CustomMap-L1", "MBTCPSmart-CustomMap-L2", "MBTCPSmart-CustomMap-L3",
		"ALB-P1Device", "ALB-P1Mode", "MbsSlaveTCPIP", "MbsSlaveTCPIPValidityTime",
		"MbsSlaveTCPIPMode", "MbsSlaveTCPIP-Port",
		"SCN-IsEnabled", "SCN-NetworkName", "SCN-SocketID", "SCN-SocketCount",
		"SCN-TotalStaticCurrent", "SCN-TotalSafeCurrent", "SCN-SocketSafeCurrent",
		"SCN-Port", "SCN-MulticastGroup", "SCN-PeerTimeout", "SCN-AuthKey", "SCN-Interface",
	};
	char buf[CFG_VALUE_MAX];
	bool ro = false;

	(void)state;
	for (size_t i = 0; i < sizeof(not_yet) / sizeof(not_yet[0]); i++) {
		int id = cfg_lookup(not_yet[i]);

		assert_true(id >= 0);
		if (cfg_table[id].apply != CFG_APPLY_NONE)
			fail_msg("%s must be read-only until its feature lands", not_yet[i]);
	}
	for (size_t i = 0; i < sizeof(alb) / sizeof(alb[0]); i++) {
		int id = cfg_lookup(alb[i]);

		assert_true(id >= 0);
		if (cfg_table[id].apply != CFG_APPLY_LIVE)
			fail_msg("%s is applied by active load balancing, the EMS or the SCN: live", alb[i]);
	}
	/* The socket meters' bus (station/meters.c) starts again on a change. */
	for (int id = CFG_METER_DEVICE; id <= CFG_METER_CUSTOM_ENERGY; id++) {
		assert_int_equal(strncmp(cfg_table[id].name, "Meter-", 6), 0);
		if (cfg_table[id].apply != CFG_APPLY_LIVE)
			fail_msg("%s restarts the meter bus: live", cfg_table[id].name);
	}
	/* MaxEnergyOnInvalidId: applied by the control cycle, default none */
	assert_int_equal(cfg_get_by_name(&cfg, "MaxEnergyOnInvalidId", buf, sizeof(buf), &ro),
			 CFG_MAX_ENERGY_ON_INVALID_ID);
	assert_string_equal(buf, "0");
	assert_false(ro);
	assert_int_equal(cfg_table[CFG_MAX_ENERGY_ON_INVALID_ID].apply, CFG_APPLY_LIVE);
	/* the second feed limits are applied by the control cycle */
	assert_int_equal(cfg_table[CFG_CONNECTOR1_2_MAX_CURRENT].apply, CFG_APPLY_LIVE);
	assert_int_equal(cfg_table[CFG_CONNECTOR2_2_MAX_CURRENT].apply, CFG_APPLY_LIVE);
	assert_int_equal(cfg_change(&cfg, "Connector1.2-MaxCurrent", "12.5"), CFG_ACCEPTED);
	assert_int_equal(cfg_ma(&cfg, CFG_CONNECTOR1_2_MAX_CURRENT), 12500);
}

/* ---- values as operators type them (the vendor's forms) ---- */

struct typed_case {
	const char *key, *in, *out;
};

static const struct typed_case typed_cases[] = {
	{ .key = "LocalPreAuthorize", .in = "AAN", .out = "True" },
	{ .key = "LocalPreAuthorize", .in = "Aan", .out = "True" },
	{ .key = "LocalPreAuthorize", .in = "UIT", .out = "False" },
	{ .key = "LocalPreAuthorize", .in = "Uit", .out = "False" },
	{ .key = "LocalPreAuthorize", .in = "TRUE", .out = "True" },
	{ .key = "LocalPreAuthorize", .in = "True", .out = "True" },
	{ .key = "LocalPreAuthorize", .in = "true", .out = "True" },
	{ .key = "LocalPreAuthorize", .in = "FALSE", .out = "False" },
	{ .key = "LocalPreAuthorize", .in = "False", .out = "False" },
	{ .key = "Static-LoadBalancing", .in = "AAN", .out = "On" },
	{ .key = "Static-LoadBalancing", .in = "uit", .out = "Off" },
	{ .key = "Static-LoadBalancing", .in = "TRUE", .out = "On" },
};

static void test_dutch_and_any_case(void **state)
{
	for (size_t i = 0; i < sizeof(typed_cases) / sizeof(typed_cases[0]); i++)
		expect_canonical(state, typed_cases[i].key, typed_cases[i].in, typed_cases[i].out);
	/* the defaults read back in the same canonical form */
	setup(state);
	assert_string_equal(get("AuthorizationCacheEnabled"), "True");
	assert_string_equal(get("AllowOfflineTxForUnknownId"), "False");
	/* "Geen" is None in an enumeration that has one (stored by an earlier
	 * release; the keys are read-only until ALB and OCPP 1.5 land) */
	fake_put(&fs, "MBTCPSmart-SlaveMeterModel", "Geen");
	fake_put(&fs, "SmartChargingMode", "GEEN");
	reboot(2);
	assert_string_equal(get("MBTCPSmart-SlaveMeterModel"), "None");
	assert_int_equal(cfg_enum(&cfg, CFG_MBTCPSMART_SLAVE_METER_MODEL), CFG_METER_NONE);
	assert_string_equal(get("SmartChargingMode"), "None");
	/* and not in one without */
	assert_int_equal(cfg_change(&cfg, "Phase-Connected", "Geen"), CFG_REJECTED);
}

/* Stored values of keys no code applies yet keep their canonical form. */
static void test_stored_values_of_readonly_keys_read_back_canonically(void **state)
{
	(void)state;
	fake_put(&fs, "MBTCPSmart-IPAddress", "192.168.000.005");
	fake_put(&fs, "MbsSlaveTCPIPMode", "scn");
	fake_put(&fs, "SmartMeterIncludesCharger", "Uit");
	reboot(2);
	assert_string_equal(get("MBTCPSSmart-IPAddress"), "192.168.0.5");
	assert_string_equal(get("MbsSlaveTCPIPMode"), "SCN");
	assert_string_equal(get("SmartMeterIncludesCharger"), "False");
}

static void test_ocpp_stack_version(void **state)
{
	char buf[CFG_VALUE_MAX];
	bool ro = false;

	(void)state;
	assert_int_equal(cfg_get_by_name(&cfg, "OCPPStackVersion", buf, sizeof(buf), &ro),
			 CFG_OCPP_STACK_VERSION);
	assert_string_equal(buf, "1.6J ocpp-cp " PACKAGE_VERSION);
	assert_true(ro);
	assert_int_equal(cfg_change(&cfg, "ocppstackversion", "2.0.1"), CFG_REJECTED);
	assert_string_equal(get("OCPPStackVersion"), "1.6J ocpp-cp " PACKAGE_VERSION);
}

/* One RJ11 port: the DSMR P1 meter of ALB and a suspend contact exclude
 * each other, whichever key is set last.  ALB-ProtocolSelection is
 * read-only until ALB lands; its value is then one an earlier release
 * stored, and its own change is refused for the conflict first. */
static void test_rj11_port_has_one_use(void **state)
{
	(void)state;
	/* a contact first: the P1 meter is refused for the port, not for ALB */
	assert_int_equal(cfg_change(&cfg, "RJ11-Mode", "SuspendOnOpen"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "ALB-ProtocolSelection", "DSMR4.x/SMR5.0 (P1)"),
			 CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "RJ11"));
	/* a Modbus meter leaves the port to the contact */
	assert_int_equal(cfg_change(&cfg, "ALB-ProtocolSelection", "Modbus TCP/IP"), CFG_ACCEPTED);

	/* the P1 meter first: a contact is refused, the P1 use is fine */
	setup(state);
	fake_put(&fs, "ALB-ProtocolSelection", "DSMR4.x/SMR5.0 (P1)");
	reboot(2);
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal", "SuspendOnClose"),
			 CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "RJ11"));
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal",
				    "Suspend on opening external circuit"), CFG_REJECTED);
	assert_string_equal(get("DirectExternalSuspendSignal"), "DSMR P1");
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal", "DSMR P1"), CFG_ACCEPTED);
	/* with a Modbus meter the port is free for a contact */
	fake_put(&fs, "ALB-ProtocolSelection", "Modbus TCP/IP");
	reboot(2);
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal", "SuspendOnClose"),
			 CFG_ACCEPTED);
	/* and --config checks the same */
	setup(state);
	fake_put(&fs, "ALB-ProtocolSelection", "DSMR4.x/SMR5.0 (P1)");
	reboot(2);
	assert_int_equal(cfg_provision_text(&cfg, "RJ11-Mode=SuspendOnClose\n", "f"), -EINVAL);
	assert_non_null(strstr(cfg_error(&cfg), "RJ11"));
}

/* Every OCPP 1.6 measurand the station does not sample is refused in
 * every measurand list, and every one it samples is taken. */
static void test_measurand_lists_take_only_what_is_sampled(void **state)
{
	static const enum cfg_id lists[] = {
		CFG_METER_VALUES_SAMPLED_DATA, CFG_METER_VALUES_ALIGNED_DATA,
		CFG_STOP_TXN_SAMPLED_DATA, CFG_STOP_TXN_ALIGNED_DATA,
	};

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const struct cfg_key *k = &cfg_table[lists[l]];

		for (int v = 0; k->values[v]; v++) {
			bool sampled = false;

			for (int m = 0; cfg_samplable_measurands[m]; m++)
				sampled |= strcmp(k->values[v], cfg_samplable_measurands[m]) == 0;
			setup(state);
			if (sampled) {
				assert_int_equal(cfg_change(&cfg, k->name, k->values[v]), CFG_ACCEPTED);
				assert_string_equal(cfg_str(&cfg, lists[l]), k->values[v]);
			} else {
				assert_rejected(k, k->values[v]);
				assert_non_null(strstr(cfg_error(&cfg), "cannot sample"));
			}
		}
	}
}

/* The socket meters share one bus: each needs its own unit id; the line
 * takes only the speeds a serial port has; parity reads back as N/E/O
 * whichever way it is typed; the custom map keys take the grammar of the
 * Modbus TCP meter's. */
static void test_meter_keys(void **state)
{
	(void)state;
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-2", "1"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "unit id"));
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-1", "2"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-2", "3"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-1", "2"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_METER_UNIT_ID_1), 2);
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-1", "0"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-1", "248"), CFG_REJECTED);
	/* one socket: the second meter's id is no one's concern */
	reboot(1);
	assert_int_equal(cfg_change(&cfg, "Meter-UnitID-2", "2"), CFG_ACCEPTED);

	assert_int_equal(cfg_change(&cfg, "Meter-Baud", "10000"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-Baud", "1200"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-Baud", "38400"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "Meter-Parity", "even"), CFG_ACCEPTED);
	assert_string_equal(get("Meter-Parity"), "E");
	assert_int_equal(cfg_enum(&cfg, CFG_METER_PARITY), CFG_PARITY_EVEN);
	assert_int_equal(cfg_change(&cfg, "Meter-Parity", "Mark"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-CustomMap-Energy", "0x5000,u64,0.01"), CFG_ACCEPTED);
	assert_string_equal(get("Meter-CustomMap-Energy"), "0x5000,u64,0.01");
	assert_int_equal(cfg_change(&cfg, "Meter-CustomMap-Energy", "0x5000,u128,0.01"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "type"));
	assert_int_equal(cfg_change(&cfg, "Meter-Device", "ttyUSB0"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "Meter-Device", ""), CFG_ACCEPTED);
	/* One serial port cannot carry both the P1 telegrams and the meters. */
	setup(state);
	assert_int_equal(cfg_change(&cfg, "ALB-P1Device", "/dev/ttyUSB0"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "Meter-Device", "/dev/ttyUSB0"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "ALB-P1Device"));
	assert_int_equal(cfg_change(&cfg, "Meter-Device", "/dev/ttyUSB1"), CFG_ACCEPTED);
	assert_int_equal(cfg_change(&cfg, "ALB-P1Device", "/dev/ttyUSB1"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "Meter-Device"));
	assert_string_equal(get("ALB-P1Device"), "/dev/ttyUSB0");
}

int main(void)
{
	cp_log_set_level(CP_LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_writable_key_is_bound, setup),
		cmocka_unit_test_setup(test_honest_keys, setup),
		cmocka_unit_test_setup(test_dutch_and_any_case, setup),
		cmocka_unit_test_setup(test_stored_values_of_readonly_keys_read_back_canonically, setup),
		cmocka_unit_test_setup(test_ocpp_stack_version, setup),
		cmocka_unit_test_setup(test_rj11_port_has_one_use, setup),
		cmocka_unit_test_setup(test_meter_keys, setup),
		cmocka_unit_test_setup(test_measurand_lists_take_only_what_is_sampled, setup),
		cmocka_unit_test_setup(test_key_rules, setup),
		cmocka_unit_test_setup(test_security_profile_only_rises, setup),
		cmocka_unit_test_setup(test_security_profile_needs_tls, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
