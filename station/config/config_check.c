/*
 * config_check.c - the value checks the key table refers to.
 */
#include "station/config/config_check.h"
#include "station/security/profile.h"
#include "station/config/secret.h"
#include "hw/mb_map.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station/config/license.h"

static int fail(char *why, size_t n, const char *reason)
{
	snprintf(why, n, "%s", reason);
	return -EINVAL;
}

/* OCPP 1.6 9.1.7: "<connector>.<rotation>" items; the list itself was split
 * and counted by the registry. */
int cfg_check_phase_rotation(CFG_CHECK_ARGS)
{
	static const char *const rot[] = {
		"NotApplicable", "Unknown", "RST", "RTS", "SRT", "STR", "TRS",
		"TSR", NULL
	};
	const char *p = text;

	while (*p) {
		char *end;
		long conn = strtol(p, &end, 10);
		size_t len;
		bool ok = false;

		if (end == p || !isdigit((unsigned char)*p) || *end != '.')
			return fail(why, n, "item is not <connector>.<rotation>");
		if (conn < 0 || conn > cfg->n_connectors)
			return fail(why, n, "no such connector");
		p = end + 1;
		len = strcspn(p, ",");
		for (int i = 0; rot[i]; i++)
			if (strlen(rot[i]) == len && strncmp(p, rot[i], len) == 0)
				ok = true;
		if (!ok)
			return fail(why, n, "rotation is not one of NotApplicable, Unknown, RST, RTS, SRT, STR, TRS, TSR");
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Security whitepaper: the Basic auth password as hex digits, at most 20
 * bytes.  We take 8 bytes as the least (the whitepaper advises 16) so that
 * test systems with short keys still work. */
int cfg_check_authorization_key(CFG_CHECK_ARGS)
{
	size_t len = strlen(text);

	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)text[i]))
			return fail(why, n, "not hexadecimal");
	if (len % 2)
		return fail(why, n, "odd number of hex digits");
	return 0;
}

int cfg_check_printable(CFG_CHECK_ARGS)
{
	for (const char *p = text; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return fail(why, n, "only printable ASCII is allowed");
	return 0;
}

/* SecurityProfile (security whitepaper, "Migrate to new Security Profile"):
 * the rules of sec_profile_change (station/security/profile.h), on what the
 * station holds. */
int cfg_check_security_profile(CFG_CHECK_ARGS)
{
	int64_t cur = cfg_stored_num(cfg, CFG_SECURITY_PROFILE);
	struct sec_prereq p;
	const char *reason;

	if (num < cur)
		return fail(why, n, "the security profile may not be lowered");
	/* Provisioning checks a file line by line: the AuthorizationKey may
	 * come on a later line, so that rule waits for main.c, which checks it
	 * before connecting.  A transport not known (0: unit tests) leaves the
	 * URL rule to main.c too. */
	p.have_auth_key = cfg->provisioning ||
	    cfg_stored_str(cfg, CFG_AUTHORIZATION_KEY)[0] != '\0';
	p.tls_url = cfg->transport != CFG_TRANSPORT_PLAIN;
	p.have_trusted_root = cfg->sec_trusted_root;
	p.have_client_cert = cfg->sec_client_cert;
	if (sec_profile_change((int)cur, (int)num, &p, &reason) == SEC_REJECTED)
		return fail(why, n, reason);
	return 0;
}

int cfg_check_license_key(CFG_CHECK_ARGS)
{
	const char *pub = cfg_stored_str(cfg, CFG_LICENSE_PUBLIC_KEY);
	unsigned mask;
	int rc;

	if (!pub[0])
		return fail(why, n, "no LicensePublicKey provisioned: every feature is already unlocked");
	rc = license_verify(pub, cfg->cp_id, text, &mask);
	if (rc == -EKEYREJECTED)
		return fail(why, n, "license key is not valid for this station");
	if (rc < 0)
		return fail(why, n, "malformed license key");
	return 0;
}

/* libmodbus has TCP and RTU; RTU would need a serial port setting that the
 * configuration keys do not define, and UDP does not exist there.  Rejecting them is
 * better than accepting a meter that will never answer. */
int cfg_check_modbus_conn(CFG_CHECK_ARGS)
{
	if (num != CFG_MODBUS_TCP)
		return fail(why, n, "only TCP-master is available in this build");
	return 0;
}

/* MbsSlaveTCPIPMode SCN hands the whole network's budget to the EMS
 * (registers 1417..1421): only with the Smart Charging Network licensed. */
int cfg_check_ems_mode(CFG_CHECK_ARGS)
{
	if (num == CFG_EMS_SCN && !cfg_feature_unlocked(cfg, CFG_FEATURE_SCN))
		return fail(why, n, "SCN mode needs the Smart Charging Network feature (UnlockedFeatures)");
	return 0;
}

/* Modbus unit ids are one byte; 248-254 are reserved (Modbus application
 * protocol 4.1) and 255 is the usual "any" of TCP gateways. */
int cfg_check_unit_id(CFG_CHECK_ARGS)
{
	if (num > 247 && num != 255)
		return fail(why, n, "unit id must be 0-247 or 255");
	return 0;
}

/* docs/balancing.md: A-Z and 0-9, at most 7 characters. */
int cfg_check_network_name(CFG_CHECK_ARGS)
{
	for (const char *p = text; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return fail(why, n, "only A-Z and 0-9 are allowed");
	return 0;
}

int cfg_check_phases(CFG_CHECK_ARGS)
{
	if (num != 1 && num != 3)
		return fail(why, n, "a supply has 1 or 3 phases");
	return 0;
}

/* "register,type,scale", e.g. "50528,u32,0.001" (Socomec L1 in mA).
 * MBTCPSmart-CustomMap-L1..L3 and Meter-CustomMap-*: the grammar the
 * meters read them with (hw/mb_map.c), so a value that is accepted is one
 * the meter can use. */
int cfg_check_custom_map(CFG_CHECK_ARGS)
{
	char reason[128];

	if (!text[0])
		return 0;
	if (mb_map_parse(text, NULL, reason, sizeof(reason)) < 0)
		return fail(why, n, reason);
	return 0;
}

int cfg_check_device_path(CFG_CHECK_ARGS)
{
	if (text[0] && text[0] != '/')
		return fail(why, n, "must be an absolute path");
	/* One serial port, one protocol: the P1 telegrams and the meters'
	 * Modbus RTU frames cannot share a line. */
	if (text[0] && id == CFG_METER_DEVICE &&
	    strcmp(text, cfg_stored_str(cfg, CFG_ALB_P1_DEVICE)) == 0)
		return fail(why, n, "is already the DSMR P1 port (ALB-P1Device)");
	if (text[0] && id == CFG_ALB_P1_DEVICE &&
	    strcmp(text, cfg_stored_str(cfg, CFG_METER_DEVICE)) == 0)
		return fail(why, n, "is already the socket meters' bus (Meter-Device)");
	return cfg_check_printable(cfg, id, num, text, why, n);
}

int cfg_check_multicast(CFG_CHECK_ARGS)
{
	if (((uint32_t)num >> 28) != 0xe)
		return fail(why, n, "not an IPv4 multicast address (224.0.0.0/4)");
	return 0;
}

/* An HMAC key shorter than 16 characters is guessable; empty turns signing off. */
int cfg_check_secret(CFG_CHECK_ARGS)
{
	size_t len = strlen(text);

	if (len > 0 && len < 16)
		return fail(why, n, "use 16 to 64 characters (or empty to switch signing off)");
	return cfg_check_printable(cfg, id, num, text, why, n);
}

/* Installer-Password: a password of 8 to 64 printable characters, or (read
 * back from the store, or given as such) its hash. */
int cfg_check_installer_password(CFG_CHECK_ARGS)
{
	size_t len = strlen(text);

	if (secret_is_hash(text))
		return 0;
	if (len > 0 && (len < 8 || len > 64))
		return fail(why, n, "use 8 to 64 characters (or empty to remove the password)");
	return cfg_check_printable(cfg, id, num, text, why, n);
}

int cfg_check_public_key(CFG_CHECK_ARGS)
{
	if (text[0] && license_check_public_key(text) < 0)
		return fail(why, n, "not a base64 Ed25519 public key (32 bytes)");
	return 0;
}

/* The measurand lists (OCPP 1.6 §9.1 MeterValuesSampledData and the
 * others): every item must be one the station samples; the vocabulary check
 * of the registry already refused words outside OCPP 1.6 §7.31. */
int cfg_check_measurands(CFG_CHECK_ARGS)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, ",");
		bool ok = false;

		for (int i = 0; cfg_samplable_measurands[i]; i++)
			if (strlen(cfg_samplable_measurands[i]) == len &&
			    strncmp(p, cfg_samplable_measurands[i], len) == 0)
				ok = true;
		if (!ok) {
			snprintf(why, n, "this station cannot sample %.*s (it samples "
				 "Energy.Active.Import.Register, Current.Import, Current.Offered, "
				 "Power.Active.Import, Voltage)", (int)len, p);
			return -EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* One RJ11 port (docs/balancing.md): it carries either the DSMR P1 meter of ALB
 * or an external suspend contact, never both.  Checked on either key, so
 * whichever is set last is the one Rejected. */
int cfg_check_rj11(CFG_CHECK_ARGS)
{
	int64_t proto = id == CFG_ALB_PROTOCOL_SELECTION ? num :
		cfg_stored_num(cfg, CFG_ALB_PROTOCOL_SELECTION);
	int64_t sig = id == CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL ? num :
		cfg_stored_num(cfg, CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL);

	if (proto == CFG_ALB_DSMR_P1 &&
	    (sig == CFG_SUSPEND_ON_CLOSE || sig == CFG_SUSPEND_ON_OPEN))
		return fail(why, n, id == CFG_ALB_PROTOCOL_SELECTION ?
			    "the RJ11 port is a suspend contact (DirectExternalSuspendSignal): it cannot read a DSMR P1 meter too" :
			    "the RJ11 port reads the DSMR P1 meter (ALB-ProtocolSelection): it cannot be a suspend contact too");
	return 0;
}

/* Meter-Baud: the speeds the serial line takes (hw/rtu.c). */
int cfg_check_meter_baud(CFG_CHECK_ARGS)
{
	static const int64_t ok[] = { 2400, 4800, 9600, 19200, 38400, 57600, 115200 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (num == ok[i])
			return 0;
	return fail(why, n, "one of 2400, 4800, 9600, 19200, 38400, 57600, 115200");
}

/* Meter-UnitID-1/-2: both meters share one bus, where an address names
 * one device (Modbus over Serial Line V1.02 §2.2). */
int cfg_check_meter_unit(CFG_CHECK_ARGS)
{
	enum cfg_id other = id == CFG_METER_UNIT_ID_1 ? CFG_METER_UNIT_ID_2 : CFG_METER_UNIT_ID_1;

	if (cfg->n_connectors > 1 && num == cfg_stored_num(cfg, other))
		return fail(why, n, "the other socket's meter has this unit id: each needs its own on the bus");
	return 0;
}
