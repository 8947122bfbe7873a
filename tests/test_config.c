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
#include "station/config/config.h"
#include "tests/config_fake.h"

static struct fake_store fs;
static struct cfg cfg;

static int setup(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-TEST"), 0);
	return 0;
}

/* Restart: a new registry over the same store. */
static void reboot(int connectors)
{
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, connectors, "CP-TEST"), 0);
}

static const char *get(const char *name)
{
	static char buf[CFG_VALUE_MAX];
	bool ro;

	assert_true(cfg_get_by_name(&cfg, name, buf, sizeof(buf), &ro) >= 0);
	return buf;
}

static bool is_writable(const struct cfg_key *k)
{
	return k->access == CFG_RW || k->access == CFG_W;
}

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
		"SCN-PeerTimeout", "SCN-AuthKey", "LicensePublicKey",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (cfg_lookup(required[i]) < 0)
			fail_msg("%s is missing", required[i]);
}

/* Only the keys a restart is truly needed for: the wiring of the station
 * (its phases, feeds and rating bound every stored current and the balancing
 * state), the license and the connection's security.  The keys of the
 * features still to come (SCN, EMS, the P1 port) apply nowhere yet and are
 * read-only; Station-NominalVoltage is read by every control cycle and
 * applies live. */
static void test_reboot_keys_are_exactly_those_that_need_one(void **state)
{
	static const char *const restart[] = {
		"FeatureLicenseKey", "Station-Phases", "Station-Feeds",
		"Station-RatedCurrent", "SecurityProfile", "LicensePublicKey",
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
		st = cfg_change(&cfg, k->name, k->example);
		if (st != (k->apply == CFG_APPLY_RESTART ? CFG_REBOOT_REQUIRED : CFG_ACCEPTED))
			fail_msg("%s=%s: %s (%s)", k->name, k->example,
				 cfg_status_name(st), cfg_error(&cfg));
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

/* Asserts that value is refused and nothing changed, in the registry or
 * the store. */
static void assert_rejected(const struct cfg_key *k, const char *value)
{
	char before[CFG_VALUE_MAX], after[CFG_VALUE_MAX];
	int id = cfg_lookup(k->name), saves = fs.saves;
	enum cfg_status st;

	cfg_format(&cfg, (enum cfg_id)id, before, sizeof(before));
	st = cfg_change(&cfg, k->name, value);
	if (st != CFG_REJECTED)
		fail_msg("%s='%s' was %s", k->name, value, cfg_status_name(st));
	assert_true(cfg_error(&cfg)[0] != '\0');
	cfg_format(&cfg, (enum cfg_id)id, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(fs.saves, saves);
}

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
	/* the SCN is not implemented: its key is refused, never stored */
	assert_int_equal(cfg_change(&cfg, "SCN-AuthKey", "a-secret-of-16-chars"), CFG_REJECTED);
	assert_null(fake_get(&fs, "SCN-AuthKey"));
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
	for (size_t i = 0; i < sizeof(canon_cases) / sizeof(canon_cases[0]); i++) {
		const struct canon_case *c = &canon_cases[i];
		enum cfg_status st;

		setup(state);
		st = cfg_change(&cfg, c->key, c->in);
		if (st != CFG_ACCEPTED)
			fail_msg("%s='%s': %s (%s)", c->key, c->in, cfg_status_name(st), cfg_error(&cfg));
		assert_string_equal(get(c->key), c->out);
		assert_string_equal(fake_get(&fs, cfg_table[cfg_lookup(c->key)].name), c->out);
	}
}

/* ---- typed getters and live changes ---- */

struct heard { int n; enum cfg_id last; };

static void listener(void *ctx, enum cfg_id id)
{
	struct heard *h = ctx;

	h->n++;
	h->last = id;
}

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
	assert_int_equal(cfg_change(&cfg, "MBTCPSSmart-IPAddress", "10.0.0.1"), CFG_REJECTED);
	assert_int_equal(cfg_ipv4(&cfg, CFG_MBTCPSMART_IP_ADDRESS), 0xc0a80005u);
	assert_int_equal(cfg_change(&cfg, "DirectExternalSuspendSignal", "SuspendOnOpen"), CFG_ACCEPTED);
	assert_int_equal(cfg_enum(&cfg, CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL), CFG_SUSPEND_ON_OPEN);
	assert_int_equal(cfg_change(&cfg, "Active-LoadBalancing", "On"), CFG_REJECTED);
	assert_false(cfg_bool(&cfg, CFG_ACTIVE_LOAD_BALANCING));
	/* the nominal voltage converts W and A in every control cycle: live */
	assert_int_equal(cfg_change(&cfg, "Station-NominalVoltage", "240"), CFG_ACCEPTED);
	assert_int_equal(cfg_int(&cfg, CFG_STATION_NOMINAL_VOLTAGE), 240);
	assert_string_equal(cfg_str(&cfg, CFG_METER_VALUES_SAMPLED_DATA),
			    "Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage");
	assert_int_equal(cfg_int(&cfg, CFG_NUMBER_OF_CONNECTORS), 2);
	assert_int_equal(cfg_int(&cfg, CFG_CHARGE_PROFILE_MAX_STACK_LEVEL), 15);
	assert_int_equal(h.n, 4);

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
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "247", NOT_YET },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "248", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "255", NOT_YET },
	{ .key = "MBTCPSmart-SlaveUnitID", .value = "65535", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-ConnectionType", .value = "TCP-master", NOT_YET },
	{ .key = "MBTCPSmart-ConnectionType", .value = "UDP-master", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-ConnectionType", .value = "RTU-master", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "ABC1234", NOT_YET },
	{ .key = "SCN-NetworkName", .value = "ABC12345", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "abc", .st = CFG_REJECTED },
	{ .key = "SCN-NetworkName", .value = "AB-1", .st = CFG_REJECTED },
	{ .key = "SCN-SocketID", .value = "128", NOT_YET },
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
	{ .key = "SCN-AuthKey", .value = "", NOT_YET },
	{ .key = "ConnectorPhaseRotation", .value = "3.RST", .st = CFG_REJECTED },
	{ .key = "ConnectorPhaseRotation", .value = "1.XYZ", .st = CFG_REJECTED },
	{ .key = "ConnectorPhaseRotation", .value = "0.RST,1.RST,2.NotApplicable", .st = CFG_ACCEPTED },
	{ .key = "ConnectorPhaseRotation", .value = "0.RST,1.RST,2.RST,0.TSR", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "50528,u32", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "70000,u32,1", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,u8,1", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,s64,0", .st = CFG_REJECTED },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "1,s64,-0.1", NOT_YET },
	{ .key = "MBTCPSmart-CustomMap-L1", .value = "", NOT_YET },
	{ .key = "ALB-P1Device", .value = "ttyUSB0", .st = CFG_REJECTED },
	{ .key = "ALB-ProtocolSelection", .value = "DSMR4.x/SMR5.0 (P1)", NOT_YET },
	{ .key = "MeterValuesSampledData", .value = "Voltage,Voltage", .st = CFG_REJECTED },
	{ .key = "MeterValuesSampledData", .value = "Voltage,", .st = CFG_REJECTED },
	{ .key = "SupportedFeatureProfiles", .value = "Core", .st = CFG_REJECTED },
	{ .key = "NumberOfConnectors", .value = "1", .st = CFG_REJECTED },
	{ .key = "UnlockedFeatures", .value = "SLB", .st = CFG_REJECTED },
	{ .key = "LicensePublicKey", .value = "", .st = CFG_REJECTED },
	/* the station presents no client certificate (security whitepaper §2.3) */
	{ .key = "SecurityProfile", .value = "3", .st = CFG_REJECTED, .why = "client certificate" },
	{ .key = "SecurityProfile", .value = "1", .st = CFG_REBOOT_REQUIRED },
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
	{ .key = "CpoName", .value = "ExampleCPO", NOT_YET },
	{ .key = "ResetRetries", .value = "1", .st = CFG_REJECTED, .why = "out of range 0-0" },
	{ .key = "ResetRetries", .value = "0", .st = CFG_ACCEPTED },
	{ .key = "Active-LoadBalancing", .value = "On", NOT_YET },
	{ .key = "SCN-IsEnabled", .value = "true", NOT_YET },
	{ .key = "MbsSlaveTCPIP", .value = "On", NOT_YET },
	{ .key = "Safe-MaxCurrent", .value = "10", NOT_YET },
	{ .key = "SmartMeter-MaxCurrent", .value = "40", NOT_YET },
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

static void test_security_profile_only_rises(void **state)
{
	(void)state;
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_REBOOT_REQUIRED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REJECTED);
	reboot(2);
	assert_int_equal(cfg_int(&cfg, CFG_SECURITY_PROFILE), 2);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "0"), CFG_REJECTED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REJECTED);
}

/* Over ws:// the AuthorizationKey would go out in the clear: profiles 2 and
 * 3 are Rejected and the value is unchanged; over wss:// they are taken. */
static void test_security_profile_needs_tls(void **state)
{
	(void)state;
	cfg_set_transport(&cfg, CFG_TRANSPORT_PLAIN);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "1"), CFG_REBOOT_REQUIRED);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_REJECTED);
	assert_non_null(strstr(cfg_error(&cfg), "wss://"));
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "3"), CFG_REJECTED);
	assert_string_equal(get("SecurityProfile"), "1");
	cfg_set_transport(&cfg, CFG_TRANSPORT_TLS);
	assert_int_equal(cfg_change(&cfg, "SecurityProfile", "2"), CFG_REBOOT_REQUIRED);
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
		if (!value)
			fail_msg("%s: a writable key needs an example to show its effect", k->name);
		setup(state);
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
		"Active-LoadBalancing", "ALB-ProtocolSelection", "MBTCPSmart-IsEnabled",
		"MBTCPSmart-SlaveMeterModel", "MBTCPSmart-ConnectionType",
		"MBTCPSmart-IPAddress", "MBTCPSmart-SlaveUnitID", "MbsSlaveTCPIP",
		"MbsSlaveTCPIPValidityTime", "MbsSlaveTCPIPMode", "Safe-MaxCurrent",
		"SmartMeter-MaxCurrent", "SmartMeterIncludesCharger", "SCN-IsEnabled",
		"SCN-NetworkName", "SCN-SocketID", "SCN-SocketCount",
		"SCN-TotalStaticCurrent", "SCN-TotalSafeCurrent", "SCN-SocketSafeCurrent",
		"MBTCPSmart-Port", "MBTCPSmart-CustomMap-L1", "MbsSlaveTCPIP-Port",
		"ALB-P1Device", "SCN-Port", "SCN-MulticastGroup", "SCN-PeerTimeout",
		"SCN-AuthKey",
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
	for (size_t i = 0; i < sizeof(typed_cases) / sizeof(typed_cases[0]); i++) {
		const struct typed_case *c = &typed_cases[i];
		enum cfg_status st;

		setup(state);
		st = cfg_change(&cfg, c->key, c->in);
		if (st != CFG_ACCEPTED)
			fail_msg("%s='%s': %s (%s)", c->key, c->in, cfg_status_name(st), cfg_error(&cfg));
		assert_string_equal(get(c->key), c->out);
		assert_string_equal(fake_get(&fs, c->key), c->out);
	}
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
	assert_int_equal(cfg_change(&cfg, "ALB-ProtocolSelection", "Modbus TCP/IP"), CFG_REJECTED);
	assert_null(strstr(cfg_error(&cfg), "RJ11"));

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

int main(void)
{
	cp_log_set_level(CP_LOG_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_table_is_complete_and_unambiguous, setup),
		cmocka_unit_test_setup(test_every_required_key_is_known, setup),
		cmocka_unit_test_setup(test_reboot_keys_are_exactly_those_that_need_one, setup),
		cmocka_unit_test_setup(test_every_writable_key_is_bound, setup),
		cmocka_unit_test_setup(test_honest_keys, setup),
		cmocka_unit_test_setup(test_dutch_and_any_case, setup),
		cmocka_unit_test_setup(test_stored_values_of_readonly_keys_read_back_canonically, setup),
		cmocka_unit_test_setup(test_ocpp_stack_version, setup),
		cmocka_unit_test_setup(test_rj11_port_has_one_use, setup),
		cmocka_unit_test_setup(test_measurand_lists_take_only_what_is_sampled, setup),
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
		cmocka_unit_test_setup(test_key_rules, setup),
		cmocka_unit_test_setup(test_security_profile_only_rises, setup),
		cmocka_unit_test_setup(test_security_profile_needs_tls, setup),
		cmocka_unit_test_setup(test_failing_store_changes_nothing, setup),
		cmocka_unit_test_setup(test_corrupt_stored_value_is_ignored, setup),
		cmocka_unit_test_setup(test_init_arguments, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
