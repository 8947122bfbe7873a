/* test_ocpp_validate.c - the generated OCPP 1.6 schema tables and the
 * validator: at least one bad example per error code on real actions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "ocpp/ocpp.h"

#define SCP_OK(limit) "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,"	\
	"\"stackLevel\":0,\"chargingProfilePurpose\":\"TxDefaultProfile\","			\
	"\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\","	\
	"\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":" limit "}]}}}"

struct vcase {
	const char *name;
	const char *action;
	ocpp_dir dir;
	const char *json;	/* may hold one %s, replaced by fill x fill_n */
	const char *fill;
	int fill_n;
	ocpp_error want;
	const char *want_desc;	/* exact desc, or NULL: only the code is checked */
};

static const struct vcase cases[] = {
	/* SetChargingProfile: the richest 1.6 schema. */
	{ .name = "SCP valid 17.2", .action = "SetChargingProfile", .json = SCP_OK("17.2"),
	  .want = OCPP_ERR_NONE },
	{ .name = "SCP valid integer limit", .action = "SetChargingProfile", .json = SCP_OK("6"),
	  .want = OCPP_ERR_NONE },
	{ .name = "SCP limit 0.15 not a multiple of 0.1", .action = "SetChargingProfile",
	  .json = SCP_OK("0.15"), .want = OCPP_ERR_PROPERTY_CONSTRAINT,
	  .want_desc = "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: "
		"0.15 is not a multiple of 0.1" },
	{ .name = "SCP limit 32.05", .action = "SetChargingProfile", .json = SCP_OK("32.05"),
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "SCP limit as string", .action = "SetChargingProfile", .json = SCP_OK("\"16\""),
	  .want = OCPP_ERR_TYPE_CONSTRAINT,
	  .want_desc = "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: "
		"expected number, got string" },
	{ .name = "SCP limit null", .action = "SetChargingProfile", .json = SCP_OK("null"),
	  .want = OCPP_ERR_TYPE_CONSTRAINT },
	{ .name = "SCP missing chargingSchedule", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Absolute\"}}",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT,
	  .want_desc = "csChargingProfiles.chargingSchedule: missing" },
	{ .name = "SCP period [3] without limit", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":0,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"ChargePointMaxProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"chargingSchedule\":{\"chargingRateUnit\":\"W\",\"chargingSchedulePeriod\":["
		"{\"startPeriod\":0,\"limit\":1},{\"startPeriod\":60,\"limit\":2},"
		"{\"startPeriod\":120,\"limit\":3},{\"startPeriod\":180}]}}}",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT,
	  .want_desc = "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[3].limit: missing" },
	/* The 1.6 schema has no minimum on stackLevel: -1 passes the schema
	 * and is the smart-charging handler's to reject. */
	{ .name = "SCP stackLevel -1 passes the schema", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":-1,"
		"\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_NONE },
	{ .name = "SCP stackLevel 1.5", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":1.5,"
		"\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT,
	  .want_desc = "csChargingProfiles.stackLevel: expected integer, got 1.5" },
	{ .name = "SCP extra property", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"colour\":\"red\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\","
		"\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_FORMATION, .want_desc = "csChargingProfiles.colour: unknown property" },
	{ .name = "SCP purpose not in enum", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"TxDefault\",\"chargingProfileKind\":\"Absolute\","
		"\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT,
	  .want_desc = "csChargingProfiles.chargingProfilePurpose: \"TxDefault\" is not one of "
		"ChargePointMaxProfile|TxDefaultProfile|TxProfile" },
	{ .name = "SCP validFrom not a date-time", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"validFrom\":\"yesterday\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\","
		"\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT,
	  .want_desc = "csChargingProfiles.validFrom: \"yesterday\" is not an RFC 3339 date-time" },
	{ .name = "SCP minChargingRate 6.1", .action = "SetChargingProfile",
	  .json = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,"
		"\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
		"\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"minChargingRate\":6.1,"
		"\"chargingSchedulePeriod\":[]}}}",
	  .want = OCPP_ERR_NONE },
	/* ChangeConfiguration: CiString50 key, CiString500 value. */
	{ .name = "ChangeConfiguration 500 chars", .action = "ChangeConfiguration",
	  .json = "{\"key\":\"K\",\"value\":\"%s\"}", .fill = "x", .fill_n = 500, .want = OCPP_ERR_NONE },
	{ .name = "ChangeConfiguration 501 chars", .action = "ChangeConfiguration",
	  .json = "{\"key\":\"K\",\"value\":\"%s\"}", .fill = "x", .fill_n = 501,
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT, .want_desc = "value: length 501 exceeds maxLength 500" },
	{ .name = "ChangeConfiguration 500 two-byte chars (code points, not bytes)",
	  .action = "ChangeConfiguration", .json = "{\"key\":\"K\",\"value\":\"%s\"}",
	  .fill = "\xc3\xa9", .fill_n = 500, .want = OCPP_ERR_NONE },
	{ .name = "ChangeConfiguration key 51 chars", .action = "ChangeConfiguration",
	  .json = "{\"key\":\"%s\",\"value\":\"1\"}", .fill = "k", .fill_n = 51,
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT, .want_desc = "key: length 51 exceeds maxLength 50" },
	{ .name = "ChangeConfiguration missing value", .action = "ChangeConfiguration",
	  .json = "{\"key\":\"K\"}", .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_desc = "value: missing" },
	{ .name = "ChangeConfiguration value as number", .action = "ChangeConfiguration",
	  .json = "{\"key\":\"K\",\"value\":5}", .want = OCPP_ERR_TYPE_CONSTRAINT,
	  .want_desc = "value: expected string, got number" },
	{ .name = "ChangeConfiguration.conf status enum", .action = "ChangeConfiguration",
	  .dir = OCPP_CONF, .json = "{\"status\":\"Maybe\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "ChangeConfiguration.conf NotSupported", .action = "ChangeConfiguration",
	  .dir = OCPP_CONF, .json = "{\"status\":\"NotSupported\"}", .want = OCPP_ERR_NONE },
	/* Enums are case-sensitive. */
	{ .name = "Reset Hard", .action = "Reset", .json = "{\"type\":\"Hard\"}", .want = OCPP_ERR_NONE },
	{ .name = "Reset hard", .action = "Reset", .json = "{\"type\":\"hard\"}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "ChangeAvailability type", .action = "ChangeAvailability",
	  .json = "{\"connectorId\":0,\"type\":\"Sometimes\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT,
	  .want_desc = "type: \"Sometimes\" is not one of Inoperative|Operative" },
	/* Integers. */
	{ .name = "connectorId 1.0 is an integer", .action = "UnlockConnector",
	  .json = "{\"connectorId\":1.0}", .want = OCPP_ERR_NONE },
	{ .name = "connectorId \"1\"", .action = "UnlockConnector", .json = "{\"connectorId\":\"1\"}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT, .want_desc = "connectorId: expected integer, got string" },
	{ .name = "connectorId true", .action = "UnlockConnector", .json = "{\"connectorId\":true}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT },
	{ .name = "connectorId object", .action = "UnlockConnector", .json = "{\"connectorId\":{}}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT },
	/* Payload shape. */
	{ .name = "empty payload where fields are required", .action = "RemoteStartTransaction",
	  .json = "{}", .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_desc = "idTag: missing" },
	{ .name = "payload an array", .action = "Heartbeat", .json = "[]", .want = OCPP_ERR_FORMATION,
	  .want_desc = "payload: not a JSON object (got array)" },
	{ .name = "payload null", .action = "Heartbeat", .json = "null", .want = OCPP_ERR_FORMATION },
	{ .name = "Heartbeat {}", .action = "Heartbeat", .json = "{}", .want = OCPP_ERR_NONE },
	{ .name = "Heartbeat with a property", .action = "Heartbeat", .json = "{\"x\":1}",
	  .want = OCPP_ERR_FORMATION, .want_desc = "x: unknown property" },
	{ .name = "unknown action", .action = "MakeCoffee", .json = "{}",
	  .want = OCPP_ERR_NOT_IMPLEMENTED },
	{ .name = "action names are case-sensitive", .action = "heartbeat", .json = "{}",
	  .want = OCPP_ERR_NOT_IMPLEMENTED },
	/* date-time as ajv-formats reads it. */
	{ .name = "Heartbeat.conf Z", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2026-11-28T15:00:00Z\"}", .want = OCPP_ERR_NONE },
	{ .name = "Heartbeat.conf offset and fraction", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2024-02-29T23:59:59.123456+01:00\"}", .want = OCPP_ERR_NONE },
	/* ajv-formats 2.1 lets the zone out; the strict central system does too. */
	{ .name = "Heartbeat.conf no zone (as ajv)", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2026-11-28T15:00:00\"}", .want = OCPP_ERR_NONE },
	{ .name = "Heartbeat.conf date only", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2026-11-28\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "Heartbeat.conf 29 Feb 2026", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2026-02-29T15:00:00Z\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "Heartbeat.conf hour 24", .action = "Heartbeat", .dir = OCPP_CONF,
	  .json = "{\"currentTime\":\"2026-11-28T24:00:00Z\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	/* uri format (GetDiagnostics / UpdateFirmware location). */
	{ .name = "UpdateFirmware ftp URI", .action = "UpdateFirmware",
	  .json = "{\"location\":\"ftp://user:pw@host.example:21/fw/v2.bin?x=1#y\","
		"\"retrieveDate\":\"2026-11-28T15:00:00Z\"}", .want = OCPP_ERR_NONE },
	{ .name = "UpdateFirmware not a URI", .action = "UpdateFirmware",
	  .json = "{\"location\":\"not a uri\",\"retrieveDate\":\"2026-11-28T15:00:00Z\"}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "GetDiagnostics no scheme", .action = "GetDiagnostics",
	  .json = "{\"location\":\"/var/log/x\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "GetDiagnostics bad escape", .action = "GetDiagnostics",
	  .json = "{\"location\":\"ftp://host/%zz\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "GetDiagnostics bracket outside an IP literal", .action = "GetDiagnostics",
	  .json = "{\"location\":\"ftp://host/a[1]\"}", .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "GetDiagnostics IPv6 host", .action = "GetDiagnostics",
	  .json = "{\"location\":\"https://[::1]:8443/upload\"}", .want = OCPP_ERR_NONE },
	/* Nested arrays, $ref'd definitions, minItems, booleans. */
	{ .name = "MeterValues nested enum", .action = "MeterValues",
	  .json = "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-28T15:00:00Z\","
		"\"sampledValue\":[{\"value\":\"1\"},{\"value\":\"2\",\"measurand\":\"Energy\"}]}]}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "MeterValues sampledValue missing value", .action = "MeterValues",
	  .json = "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-28T15:00:00Z\","
		"\"sampledValue\":[{\"unit\":\"Wh\"}]}]}",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_desc = "meterValue[0].sampledValue[0].value: missing" },
	{ .name = "GetLog $ref into definitions", .action = "GetLog",
	  .json = "{\"logType\":\"SecurityLog\",\"requestId\":1,\"log\":{}}",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_desc = "log.remoteLocation: missing" },
	{ .name = "GetLog $ref'd enum", .action = "GetLog",
	  .json = "{\"logType\":\"AuditLog\",\"requestId\":1,\"log\":{\"remoteLocation\":\"x\"}}",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "GetInstalledCertificateIds.conf empty hash list (minItems 1)",
	  .action = "GetInstalledCertificateIds", .dir = OCPP_CONF,
	  .json = "{\"status\":\"Accepted\",\"certificateHashData\":[]}",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT },
	{ .name = "GetConfiguration.conf readonly not a boolean", .action = "GetConfiguration",
	  .dir = OCPP_CONF, .json = "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":\"yes\"}]}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT, .want_desc = "configurationKey[0].readonly: expected boolean, got string" },
	{ .name = "GetConfiguration.conf good", .action = "GetConfiguration", .dir = OCPP_CONF,
	  .json = "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":true,\"value\":\"1\"}],"
		"\"unknownKey\":[\"X\"]}", .want = OCPP_ERR_NONE },
	{ .name = "BootNotification.req ok", .action = "BootNotification",
	  .json = "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}", .want = OCPP_ERR_NONE },
	{ .name = "BootNotification.conf interval float", .action = "BootNotification", .dir = OCPP_CONF,
	  .json = "{\"status\":\"Accepted\",\"currentTime\":\"2026-11-28T15:00:00Z\",\"interval\":1.5}",
	  .want = OCPP_ERR_TYPE_CONSTRAINT },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];
		char *text, *fill = NULL;
		char desc[CP_MAX_ERROR_DESC];
		cJSON *j;
		ocpp_error e;

		if (c->fill != NULL) {
			size_t fl = strlen(c->fill);
			fill = calloc((size_t)c->fill_n * fl + 1, 1);
			assert_non_null(fill);
			for (int k = 0; k < c->fill_n; k++)
				memcpy(fill + (size_t)k * fl, c->fill, fl);
			const char *at = strstr(c->json, "%s");
			assert_non_null(at);
			text = malloc(strlen(c->json) + strlen(fill) + 1);
			assert_non_null(text);
			memcpy(text, c->json, (size_t)(at - c->json));
			strcpy(text + (at - c->json), fill);
			strcat(text, at + 2);
		} else {
			text = strdup(c->json);
		}
		j = cJSON_Parse(text);
		if (j == NULL)
			fail_msg("case %zu (%s): test JSON does not parse", i, c->name);
		e = ocpp_validate(c->action, c->dir, j, desc, sizeof(desc));
		if (e != c->want)
			fail_msg("case %zu (%s): got %s (%s), want %s", i, c->name, ocpp_error_name(e),
			    desc, ocpp_error_name(c->want));
		if (c->want == OCPP_ERR_NONE)
			assert_string_equal(desc, "");
		else
			assert_true(desc[0] != '\0');
		if (c->want_desc != NULL && strcmp(desc, c->want_desc) != 0)
			fail_msg("case %zu (%s): desc \"%s\", want \"%s\"", i, c->name, desc, c->want_desc);
		cJSON_Delete(j);
		free(text);
		free(fill);
	}
}

/* Every one of the 39 actions, both directions, is in the table. */
static void test_action_set(void **state)
{
	static const char *const actions[] = {
		"Authorize", "BootNotification", "CancelReservation", "CertificateSigned",
		"ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
		"DataTransfer", "DeleteCertificate", "DiagnosticsStatusNotification",
		"ExtendedTriggerMessage", "FirmwareStatusNotification", "GetCompositeSchedule",
		"GetConfiguration", "GetDiagnostics", "GetInstalledCertificateIds",
		"GetLocalListVersion", "GetLog", "Heartbeat", "InstallCertificate",
		"LogStatusNotification", "MeterValues", "RemoteStartTransaction",
		"RemoteStopTransaction", "ReserveNow", "Reset", "SecurityEventNotification",
		"SendLocalList", "SetChargingProfile", "SignCertificate",
		"SignedFirmwareStatusNotification", "SignedUpdateFirmware", "StartTransaction",
		"StatusNotification", "StopTransaction", "TriggerMessage", "UnlockConnector",
		"UpdateFirmware",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		char buf[64];
		assert_true(ocpp_action_known(actions[i]));
		/* The canonical spelling is a static string, not the argument. */
		snprintf(buf, sizeof(buf), "%s", actions[i]);
		assert_string_equal(ocpp_action_name(buf), actions[i]);
		assert_ptr_not_equal(ocpp_action_name(buf), buf);
	}
	assert_false(ocpp_action_known("GetVariables"));	/* 2.0.1 */
	assert_false(ocpp_action_known(""));
	assert_false(ocpp_action_known(NULL));
	assert_null(ocpp_action_name("Heartbeat.req"));
}

/* A NULL / zero-length desc is allowed; a tiny one is cut, not overrun. */
static void test_desc_buffers(void **state)
{
	cJSON *j = cJSON_Parse("{\"key\":\"K\"}");
	char tiny[8];

	(void)state;
	assert_int_equal(ocpp_validate("ChangeConfiguration", OCPP_REQ, j, NULL, 0),
	    OCPP_ERR_OCCURENCE_CONSTRAINT);
	memset(tiny, 'z', sizeof(tiny));
	assert_int_equal(ocpp_validate("ChangeConfiguration", OCPP_REQ, j, tiny, sizeof(tiny)),
	    OCPP_ERR_OCCURENCE_CONSTRAINT);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_int_equal(ocpp_validate("ChangeConfiguration", OCPP_REQ, NULL, tiny, sizeof(tiny)),
	    OCPP_ERR_FORMATION);
	cJSON_Delete(j);
}

/* A very long property name is reported with a cut path, not overflow. */
static void test_long_key(void **state)
{
	char key[2000], text[2100], desc[CP_MAX_ERROR_DESC];
	cJSON *j;

	(void)state;
	memset(key, 'q', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"%s\":1}", key);
	j = cJSON_Parse(text);
	assert_int_equal(ocpp_validate("Heartbeat", OCPP_REQ, j, desc, sizeof(desc)), OCPP_ERR_FORMATION);
	assert_true(strlen(desc) < sizeof(desc));
	cJSON_Delete(j);
}

struct seen {
	int n;
	char paths[8][CP_MAX_ERROR_DESC];
};

static void note_unknown(void *user, const char *path)
{
	struct seen *s = user;

	if (s->n < 8)
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
	s->n++;
}

/* ocpp_validate_lenient: properties the schema does not name are reported
 * with their path and ignored, whatever their value; the named ones are
 * checked as strictly as by ocpp_validate; a NULL callback is strict. */
static void test_lenient(void **state)
{
	static const char conf[] = "{\"transactionId\":7,\"vendor\":{\"deep\":[null]},"
	    "\"idTagInfo\":{\"status\":\"Accepted\",\"x\":\"y\"}}";
	char desc[CP_MAX_ERROR_DESC];
	struct seen s = { 0 };
	cJSON *j = cJSON_Parse(conf);

	(void)state;
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_NONE);
	assert_string_equal(desc, "");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.paths[0], "vendor");
	assert_string_equal(s.paths[1], "idTagInfo.x");
	assert_int_equal(ocpp_validate("StartTransaction", OCPP_CONF, j, desc, sizeof(desc)),
	    OCPP_ERR_FORMATION);
	assert_string_equal(desc, "vendor: unknown property");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    NULL, NULL), OCPP_ERR_FORMATION);
	cJSON_Delete(j);

	/* Named fields: still required, typed and enumerated. */
	s.n = 0;
	j = cJSON_Parse("{\"vendor\":1,\"idTagInfo\":{\"status\":\"Accepted\"}}");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_OCCURENCE_CONSTRAINT);
	assert_string_equal(desc, "transactionId: missing");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"vendor\":1,\"transactionId\":1.5,\"idTagInfo\":{\"status\":\"Accepted\"}}");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_TYPE_CONSTRAINT);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"transactionId\":1,\"idTagInfo\":{\"x\":1,\"status\":\"Fine\"}}");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_PROPERTY_CONSTRAINT);
	assert_string_equal(s.paths[s.n - 1], "idTagInfo.x");
	cJSON_Delete(j);

	/* A name that differs from a schema name only in case is refused, at
	 * any depth: cJSON_GetObjectItem would find it for the checked one. */
	j = cJSON_Parse("{\"TransactionId\":\"x\",\"transactionId\":1,\"idTagInfo\":{\"status\":\"Accepted\"}}");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_FORMATION);
	assert_string_equal(desc, "TransactionId: unknown property (differs from \"transactionId\" only in case)");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"transactionId\":1,\"idTagInfo\":{\"STATUS\":\"Blocked\",\"status\":\"Accepted\"}}");
	assert_int_equal(ocpp_validate_lenient("StartTransaction", OCPP_CONF, j, desc, sizeof(desc),
	    note_unknown, &s), OCPP_ERR_FORMATION);
	assert_string_equal(desc, "idTagInfo.STATUS: unknown property (differs from \"status\" only in case)");
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_action_set),
		cmocka_unit_test(test_desc_buffers),
		cmocka_unit_test(test_long_key),
		cmocka_unit_test(test_lenient),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
