/*
 * test_station_inputs.c - inputs the fuzz targets (fuzz/) found, replayed
 * through the whole station: the real handler table on a private database
 * and the simulated hardware (fuzz/fuzz_station.h), answers checked as the
 * central system sees them.
 *
 * OCPP 1.6 JSON schemas type these fields "integer" without a maximum, so a
 * central system may send 1e20 and still pass validation; converting that
 * double to int unchecked is undefined behaviour (C11 6.3.1.4).  The
 * sanitizer build (--enable-sanitizers) turns that into a failed test; every
 * build checks the answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fuzz/fuzz_station.h"

/* Sends one CALL and returns the payload of the CALLRESULT answering it
 * (caller frees); fails the test on a CALLERROR. */
static cJSON *call(struct station *s, const char *frame)
{
	cJSON *reply, *payload;

	fz_station_ocpp(s, frame, strlen(frame));
	reply = cJSON_Parse(fz_station_last_reply());
	assert_non_null(reply);
	if (cJSON_GetArrayItem(reply, 0)->valueint != 3)
		fail_msg("expected a CALLRESULT, got %s", fz_station_last_reply());
	payload = cJSON_DetachItemFromArray(reply, 2);
	cJSON_Delete(reply);
	return payload;
}

static void assert_status(struct station *s, const char *frame, const char *status)
{
	cJSON *p = call(s, frame);

	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(p, "status")), status);
	cJSON_Delete(p);
}

/* GetCompositeSchedule for a connector far beyond int: no such connector,
 * Rejected (OCPP 1.6 §5.7), not a connector picked by undefined behaviour. */
static void test_composite_connector_beyond_int_rejected(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"c1\",\"GetCompositeSchedule\",{\"connectorId\":1e20,\"duration\":60}]",
	    "Rejected");
	assert_status(s, "[2,\"c2\",\"GetCompositeSchedule\",{\"connectorId\":-1e20,\"duration\":60}]",
	    "Rejected");
	assert_status(s, "[2,\"c3\",\"GetCompositeSchedule\",{\"connectorId\":4294967297,\"duration\":60}]",
	    "Rejected");
	fz_station_close(s);
}

/* A duration beyond int (1e10 s, three centuries) is outside what the station
 * answers for: Rejected, read range-checked, never as a negative or wrapped
 * duration; a duration in range is answered. */
static void test_composite_duration_beyond_int_rejected(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"d1\",\"GetCompositeSchedule\",{\"connectorId\":1,\"duration\":1e10}]",
	    "Rejected");
	assert_status(s, "[2,\"d2\",\"GetCompositeSchedule\",{\"connectorId\":1,\"duration\":86400}]",
	    "Accepted");
	fz_station_close(s);
}

/* RemoteStopTransaction of a transactionId no transaction can have. */
static void test_remote_stop_tx_beyond_int_rejected(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"r1\",\"RemoteStopTransaction\",{\"transactionId\":1e20}]", "Rejected");
	fz_station_close(s);
}

/* ClearChargingProfile by an id no profile can have (ids are int32):
 * Unknown, nothing cleared. */
static void test_clear_profile_id_beyond_int_unknown(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"x1\",\"ClearChargingProfile\",{\"id\":1e20}]", "Unknown");
	assert_status(s, "[2,\"x2\",\"ClearChargingProfile\",{\"connectorId\":1e20}]", "Unknown");
	assert_status(s, "[2,\"x3\",\"ClearChargingProfile\",{\"stackLevel\":-1e20}]", "Unknown");
	fz_station_close(s);
}

/* TriggerMessage for a connector beyond int: Rejected (OCPP 1.6 §5.17). */
static void test_trigger_connector_beyond_int_rejected(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"t1\",\"TriggerMessage\",{\"requestedMessage\":\"StatusNotification\","
	    "\"connectorId\":1e20}]", "Rejected");
	fz_station_close(s);
}

/* ReserveNow on a connector beyond int: no such connector, Rejected (OCPP
 * 1.6 §5.13); CancelReservation of an id no reservation has: Rejected. */
static void test_reservation_numbers_beyond_int_rejected(void **state)
{
	struct station *s = fz_station_open();

	(void)state;
	assert_status(s, "[2,\"v1\",\"ReserveNow\",{\"connectorId\":1e20,\"expiryDate\":"
	    "\"2030-01-01T00:00:00Z\",\"idTag\":\"TAG1\",\"reservationId\":7}]", "Rejected");
	assert_status(s, "[2,\"v2\",\"CancelReservation\",{\"reservationId\":1e20}]", "Rejected");
	fz_station_close(s);
}

/* SendLocalList with a listVersion no int holds: Failed, as for a negative
 * one, and the list version stays what it was (0: no list yet). */
static void test_local_list_version_beyond_int_failed(void **state)
{
	struct station *s = fz_station_open();
	cJSON *p;

	(void)state;
	assert_status(s, "[2,\"l1\",\"SendLocalList\",{\"listVersion\":1e20,\"updateType\":\"Full\","
	    "\"localAuthorizationList\":[{\"idTag\":\"TAG1\",\"idTagInfo\":{\"status\":\"Accepted\"}}]}]",
	    "Failed");
	p = call(s, "[2,\"l2\",\"GetLocalListVersion\",{}]");
	assert_int_equal(cJSON_GetObjectItem(p, "listVersion")->valuedouble, 0);
	cJSON_Delete(p);
	fz_station_close(s);
}

/* UpdateFirmware with retries / retryInterval beyond int: accepted (the
 * conf is empty, OCPP 1.6 §6.51), retries capped like any large count. */
static void test_update_firmware_retries_beyond_int(void **state)
{
	struct station *s = fz_station_open();
	cJSON *p;

	(void)state;
	p = call(s, "[2,\"f1\",\"UpdateFirmware\",{\"location\":\"http://example.invalid/fw.bin\","
	    "\"retrieveDate\":\"2030-01-01T00:00:00Z\",\"retries\":1e20,\"retryInterval\":1e20}]");
	assert_true(cJSON_IsObject(p));
	assert_int_equal(cJSON_GetArraySize(p), 0);
	cJSON_Delete(p);
	fz_station_close(s);
}

/* The control socket's connector argument beyond int (or infinite): the
 * precise error, nothing plugged. */
static void test_control_connector_beyond_int_refused(void **state)
{
	struct station *s = fz_station_open();
	const char *line = "{\"cmd\":\"plug\",\"connector\":1e20}";
	cJSON *r = st_control_reply(st_control_handle, s, line);

	(void)state;
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(r, "error")),
	    "\"connector\" must be 1..2");
	cJSON_Delete(r);
	/* fuzz_control: 1e3081 reads as infinity. */
	r = st_control_reply(st_control_handle, s, "{\"cmd\":\"ev\",\"connector\":1e3081,\"phases\":3}");
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(r, "error")),
	    "\"connector\" must be 1..2");
	cJSON_Delete(r);
	fz_station_close(s);
}

/* Answers the station's outstanding CALL (the last one it sent, which must
 * be `action`) with payload. */
static void answer_call(struct station *s, const char *action, const char *payload)
{
	cJSON *c = cJSON_Parse(fz_station_last_call());
	char frame[512];

	assert_non_null(c);
	assert_string_equal(cJSON_GetArrayItem(c, 2)->valuestring, action);
	snprintf(frame, sizeof(frame), "[3,\"%s\",%s]", cJSON_GetArrayItem(c, 1)->valuestring, payload);
	cJSON_Delete(c);
	fz_station_ocpp(s, frame, strlen(frame));
}

/* Answers every StatusNotification and SecurityEventNotification (the
 * start and the clock step are security events) the station has queued. */
static void answer_status(struct station *s)
{
	for (int i = 0; i < 20; i++) {
		const char *before = fz_station_last_call();
		const char *action = strstr(before, "\"StatusNotification\"") ? "StatusNotification" :
		    strstr(before, "\"SecurityEventNotification\"") ? "SecurityEventNotification" : NULL;
		char id[64];
		cJSON *c;

		if (!action)
			break;
		c = cJSON_Parse(before);
		snprintf(id, sizeof(id), "%s", cJSON_GetArrayItem(c, 1)->valuestring);
		cJSON_Delete(c);
		answer_call(s, action, "{}");
		if (strstr(fz_station_last_call(), id))
			break;	/* nothing new was sent */
	}
}

/* BootNotification.conf with an interval beyond int: Accepted, and the
 * heartbeat interval stays inside HeartbeatInterval's range (the value is
 * refused like any other above 86400). */
static void test_boot_interval_beyond_int(void **state)
{
	struct station *s = fz_station_open();
	cJSON *p, *k;

	(void)state;
	answer_call(s, "BootNotification",
	    "{\"status\":\"Accepted\",\"currentTime\":\"2024-03-10T00:00:00Z\",\"interval\":1e20}");
	assert_int_equal(s->boot, ST_BOOT_ACCEPTED);
	p = call(s, "[2,\"g1\",\"GetConfiguration\",{\"key\":[\"HeartbeatInterval\"]}]");
	k = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "configurationKey"), 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(k, "value")), "300");
	cJSON_Delete(p);
	fz_station_close(s);
}

/* StartTransaction.conf with a transactionId beyond what the station can
 * send back exactly: read range-checked (no undefined conversion), the id is
 * not taken. */
static void test_start_transaction_id_beyond_int(void **state)
{
	struct station *s = fz_station_open();
	cJSON *r;

	(void)state;
	answer_call(s, "BootNotification",
	    "{\"status\":\"Accepted\",\"currentTime\":\"2024-03-10T00:00:00Z\",\"interval\":300}");
	answer_status(s);
	r = st_control_reply(st_control_handle, s, "{\"cmd\":\"plug\",\"connector\":1}");
	cJSON_Delete(r);
	r = st_control_reply(st_control_handle, s, "{\"cmd\":\"tag\",\"connector\":1,\"id_tag\":\"TAG1\"}");
	cJSON_Delete(r);
	answer_status(s);
	answer_call(s, "Authorize", "{\"idTagInfo\":{\"status\":\"Accepted\"}}");
	answer_status(s);
	answer_call(s, "StartTransaction", "{\"transactionId\":1e20,\"idTagInfo\":{\"status\":\"Accepted\"}}");
	/* An id the station cannot send back digit for digit is unusable
	 * (README: transactionId up to 10^15 - 1): the transaction runs
	 * locally without one, and no remote stop can name it. */
	assert_true(st_tx_running(&s->conn[1].tx));
	assert_false(s->conn[1].tx_has_id);
	assert_status(s, "[2,\"s1\",\"RemoteStopTransaction\",{\"transactionId\":1e20}]", "Rejected");
	fz_station_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composite_connector_beyond_int_rejected),
		cmocka_unit_test(test_composite_duration_beyond_int_rejected),
		cmocka_unit_test(test_remote_stop_tx_beyond_int_rejected),
		cmocka_unit_test(test_clear_profile_id_beyond_int_unknown),
		cmocka_unit_test(test_trigger_connector_beyond_int_rejected),
		cmocka_unit_test(test_reservation_numbers_beyond_int_rejected),
		cmocka_unit_test(test_local_list_version_beyond_int_failed),
		cmocka_unit_test(test_update_firmware_retries_beyond_int),
		cmocka_unit_test(test_control_connector_beyond_int_refused),
		cmocka_unit_test(test_boot_interval_beyond_int),
		cmocka_unit_test(test_start_transaction_id_beyond_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
