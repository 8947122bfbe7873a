/* test_ocpp_rpc_text.c - what the RPC session does with hostile text:
 * descriptions cut on UTF-8 character boundaries, invalid input never
 * echoed, deep frames refused with their id (RFC 6455 §8.1, OCPP-J 1.6
 * §4.2.3), and the debug log (whole frames, unknown properties once). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "ocpp/ocpp.h"
#include "tests/rpc_fixture.h"

/* ------------------------------------------------------ UTF-8 and depth */

/* The CALLERROR sent last: valid UTF-8, parsed, of this id and code. */
static void expect_error_utf8(struct fixture *fx, const char *what, const char *id, ocpp_error code,
    char desc[CP_MAX_ERROR_DESC])
{
	const char *text = last_sent(&fx->tx);
	size_t len;
	ocpp_frame f;

	if (fx->tx.nsent <= 0)
		fail_msg("%s: nothing sent", what);
	len = fx->tx.sent_len[(unsigned)(fx->tx.nsent - 1) % SENT_MAX];
	if (!utf8_ok(text, len))
		fail_msg("%s: the CALLERROR is not valid UTF-8: %s", what, text);
	if (ocpp_frame_parse(text, len, &f) != 0 || f.type != OCPP_MSG_CALLERROR ||
	    strcmp(f.id, id) != 0 || f.error != code)
		fail_msg("%s: sent %s, want a %s CALLERROR for %s", what, text, ocpp_error_name(code), id);
	snprintf(desc, CP_MAX_ERROR_DESC, "%s", f.error_desc);
	ocpp_frame_free(&f);
}

/* n copies of the multi-byte character c, NUL-terminated, into buf. */
static char *repeat(char *buf, size_t size, const char *c, int n)
{
	size_t cl = strlen(c), off = 0;

	for (int i = 0; i < n && off + cl < size; i++, off += cl)
		memcpy(buf + off, c, cl);
	buf[off] = '\0';
	return buf;
}

/*
 * Valid UTF-8 in, valid UTF-8 out: a long multi-byte value in a bad field is
 * quoted in the CALLERROR's description cut on a character boundary, never
 * inside one (the central system's websocket would fail the connection,
 * RFC 6455 section 8.1).  3-byte characters make every byte cut land inside
 * one somewhere.
 */
static void test_utf8_descriptions(void **state)
{
	struct fixture *fx = *state;
	char val[400], frame[1200], desc[CP_MAX_ERROR_DESC];

	/* Enum value (quoted, cut at 40 bytes). */
	snprintf(frame, sizeof(frame), "[2,\"u1\",\"Reset\",{\"type\":\"%s\"}]",
	    repeat(val, sizeof(val), "\xe2\x82\xac", 30));
	assert_int_equal(feed(fx, frame, 0), 0);
	expect_error_utf8(fx, "enum", "u1", OCPP_ERR_PROPERTY_CONSTRAINT, desc);
	assert_non_null(strstr(desc, "\xe2\x82\xac\xe2\x82\xac"));

	/* Unknown action (quoted, cut at 64 bytes), in 4-byte characters too. */
	snprintf(frame, sizeof(frame), "[2,\"u2\",\"%s\",{}]", repeat(val, sizeof(val), "\xe2\x82\xac", 30));
	feed(fx, frame, 0);
	expect_error_utf8(fx, "action", "u2", OCPP_ERR_NOT_IMPLEMENTED, desc);
	snprintf(frame, sizeof(frame), "[2,\"u3\",\"%s\",{}]", repeat(val, sizeof(val), "\xf0\x9f\x94\x8c", 30));
	feed(fx, frame, 0);
	expect_error_utf8(fx, "action 4-byte", "u3", OCPP_ERR_NOT_IMPLEMENTED, desc);

	/* Date-time and URI formats, through the validator alone. */
	{
		static const char *const actions[] = { "ReserveNow", "UpdateFirmware" };

		for (int k = 0; k < 2; k++) {
			cJSON *p;

			repeat(val, sizeof(val), "\xe2\x82\xac", 30);
			if (k == 0)
				snprintf(frame, sizeof(frame), "{\"connectorId\":1,\"expiryDate\":\"%s\","
				    "\"idTag\":\"A\",\"reservationId\":1}", val);
			else
				snprintf(frame, sizeof(frame), "{\"location\":\"%s\","
				    "\"retrieveDate\":\"2026-11-28T15:00:00Z\"}", val);
			p = cJSON_Parse(frame);
			assert_non_null(p);
			assert_int_equal(ocpp_validate(actions[k], OCPP_REQ, p, desc, sizeof(desc)),
			    OCPP_ERR_PROPERTY_CONSTRAINT);
			if (!utf8_ok(desc, strlen(desc)))
				fail_msg("%s: description not valid UTF-8: %s", actions[k], desc);
			cJSON_Delete(p);
		}
	}

	/* An unknown property whose name overflows the description's path. */
	snprintf(frame, sizeof(frame), "[2,\"u5\",\"Reset\",{\"type\":\"Hard\",\"%s\":1}]",
	    repeat(val, sizeof(val), "\xe2\x82\xac", 120));
	feed(fx, frame, 0);
	expect_error_utf8(fx, "unknown property", "u5", OCPP_ERR_FORMATION, desc);
	assert_true(strlen(desc) < CP_MAX_ERROR_DESC);
	assert_int_equal(fx->app.calls_change, 0);
}

/* Bytes that are not UTF-8 are never echoed: the frame is refused as not
 * valid JSON text (RFC 8259 section 8.1), the CALL answered by its id, and
 * nothing reaches a handler. */
static void test_utf8_invalid_input(void **state)
{
	struct fixture *fx = *state;
	static const char *const bad[] = {
		"\xff", "\xc3", "\xe2\x82", "\xc0\xaf" /* overlong '/' */,
		"\xed\xa0\x80" /* a surrogate */, "\xf4\x90\x80\x80" /* above U+10FFFF */,
	};
	char frame[256], desc[CP_MAX_ERROR_DESC], id[8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(id, sizeof(id), "x%zu", i);
		snprintf(frame, sizeof(frame),
		    "[2,\"%s\",\"ChangeConfiguration\",{\"key\":\"K%s\",\"value\":\"1\"}]", id, bad[i]);
		assert_int_equal(feed(fx, frame, 0), -EINVAL);
		expect_error_utf8(fx, bad[i], id, OCPP_ERR_FORMATION, desc);
	}
	assert_int_equal(fx->app.calls_change, 0);
	/* A valid frame after them is served. */
	feed(fx, "[2,\"ok\",\"ChangeConfiguration\",{\"key\":\"K\xc3\xa9\",\"value\":\"1\"}]", 0);
	assert_string_equal(last_sent(&fx->tx), "[3,\"ok\",{\"status\":\"Accepted\"}]");
	assert_string_equal(fx->app.last_key, "K\xc3\xa9");
}

/* A handler's description cut by its own snprintf still goes out as valid
 * UTF-8. */
static int h_cut(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req; (void)resp;
	*err = OCPP_ERR_GENERIC;
	/* What a handler's snprintf leaves when it cuts: 7 bytes of 9. */
	snprintf(desc, dl, "%.7s", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	return -EBUSY;
}

/* A handler whose answer carries bytes that are not UTF-8 (a value stored
 * from elsewhere): the CALLRESULT goes out as valid UTF-8 all the same. */
static int h_badconf(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	cJSON *keys, *k;

	(void)ctx; (void)req; (void)err; (void)desc; (void)dl;
	*resp = cJSON_CreateObject();
	keys = cJSON_AddArrayToObject(*resp, "configurationKey");
	k = cJSON_CreateObject();
	cJSON_AddStringToObject(k, "key", "Vendor");
	cJSON_AddBoolToObject(k, "readonly", 1);
	cJSON_AddStringToObject(k, "value", "a\xff\xc3" "b\xe2\x82\xac");
	cJSON_AddItemToArray(keys, k);
	return 0;
}

static void test_utf8_payload_scrubbed(void **state)
{
	static const ocpp_action_row rows[] = { { .action = "GetConfiguration", .handler = h_badconf } };
	struct fixture *fx = *state;
	ocpp_rpc_config cfg = { .ops = &fake_ops, .tctx = &fx->tx, .actions = rows, .nactions = 1 };
	cJSON *p = cJSON_CreateObject();
	const char *sent;

	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), 0);
	feed(fx, "[2,\"g1\",\"GetConfiguration\",{}]", 0);
	sent = last_sent(&fx->tx);
	if (!utf8_ok(sent, strlen(sent)))
		fail_msg("CALLRESULT not valid UTF-8: %s", sent);
	assert_string_equal(sent, "[3,\"g1\",{\"configurationKey\":[{\"key\":\"Vendor\",\"readonly\":true,"
	    "\"value\":\"a??b\xe2\x82\xac\"}]}]");

	/* Our own CALL too. */
	cJSON_AddStringToObject(p, "idTag", "T\xc0\xaf");
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Authorize", p, NULL, NULL, cp_real(0)), 0);
	sent = last_sent(&fx->tx);
	if (!utf8_ok(sent, strlen(sent)))
		fail_msg("CALL not valid UTF-8: %s", sent);
	assert_non_null(strstr(sent, "\"idTag\":\"T??\""));
}

static void test_utf8_handler_desc(void **state)
{
	static const ocpp_action_row rows[] = { { .action = "ClearCache", .handler = h_cut } };
	struct fixture *fx = *state;
	ocpp_rpc_config cfg = { .ops = &fake_ops, .tctx = &fx->tx, .actions = rows, .nactions = 1 };
	char desc[CP_MAX_ERROR_DESC];

	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), 0);
	feed(fx, "[2,\"h1\",\"ClearCache\",{}]", 0);
	expect_error_utf8(fx, "handler", "h1", OCPP_ERR_GENERIC, desc);
	assert_string_equal(desc, "\xe2\x82\xac\xe2\x82\xac\xef\xbf\xbd");
}


/* depth x '[' (or '{"a":'), then tail, then the closing brackets, into a
 * heap string. */
static char *deep_frame(const char *head, const char *open, int depth, const char *tail)
{
	size_t ol = strlen(open), hl = strlen(head), tl = strlen(tail);
	size_t len = hl + (size_t)depth * (ol + 1) + tl + 2;
	char *s = malloc(len + 1), *p = s;

	assert_non_null(s);
	memcpy(p, head, hl);
	p += hl;
	for (int i = 0; i < depth; i++, p += ol)
		memcpy(p, open, ol);
	memcpy(p, tail, tl);
	p += tl;
	for (int i = 0; i < depth; i++)
		*p++ = open[0] == '[' ? ']' : '}';
	*p++ = ']';
	*p = '\0';
	return s;
}

/*
 * 10 000-deep JSON: a CALL is answered FormationViolation with its id, a
 * bare array is dropped, a reply to our CALL ends it, and no frame costs
 * more than CP_MAX_JSON_DEPTH levels of recursion (ASan's stack check and
 * the test's own stack see that).
 */
static void test_deep_frames(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };
	char desc[CP_MAX_ERROR_DESC], id[CP_MAX_MSG_ID + 1], head[64];
	char *f;
	int sent;

	f = deep_frame("[2,\"deep1\",\"Heartbeat\",", "[", 10000, "");
	assert_true(strlen(f) < CP_MAX_FRAME);
	assert_int_equal(ocpp_rpc_on_text(&fx->rpc, f, strlen(f), cp_real(0)), -EINVAL);
	expect_error_utf8(fx, "deep array payload", "deep1", OCPP_ERR_FORMATION, desc);
	free(f);

	f = deep_frame("[2,\"deep2\",\"ChangeConfiguration\",{\"key\":\"K\",\"value\":\"1\",\"x\":", "{\"a\":",
	    5000, "1}");
	assert_true(strlen(f) < CP_MAX_FRAME);
	assert_int_equal(ocpp_rpc_on_text(&fx->rpc, f, strlen(f), cp_real(0)), -EINVAL);
	expect_error_utf8(fx, "deep object payload", "deep2", OCPP_ERR_FORMATION, desc);
	assert_int_equal(fx->app.calls_change, 0);
	free(f);

	/* A bare deep array has no id to answer: nothing is sent. */
	sent = fx->tx.nsent;
	f = deep_frame("", "[", 20000, "");
	assert_int_equal(ocpp_rpc_on_text(&fx->rpc, f, strlen(f), cp_real(0)), -EINVAL);
	assert_int_equal(fx->tx.nsent, sent);
	free(f);

	/* A deep CALLRESULT to our CALL ends it at once (no 30 s wait). */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(0)), 0);
	sent_call_id(&fx->tx, id);
	snprintf(head, sizeof(head), "[3,\"%s\",", id);
	f = deep_frame(head, "[", 10000, "");
	ocpp_rpc_on_text(&fx->rpc, f, strlen(f), cp_real(1));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.err, OCPP_ERR_FORMATION);
	assert_false(ocpp_rpc_busy(&fx->rpc));
	free(f);

	/* The session still serves. */
	feed(fx, "[2,\"after\",\"ChangeConfiguration\",{\"key\":\"K\",\"value\":\"1\"}]", 2);
	assert_string_equal(last_sent(&fx->tx), "[3,\"after\",{\"status\":\"Accepted\"}]");
}

/* ------------------------------------------------------------- debug log */

/* Captures what the session logs at debug level. */
static FILE *log_capture(void)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	cp_log_set_output(f);
	cp_log_set_level(CP_LOG_DEBUG);
	return f;
}

/* Everything logged since log_capture(), as a string to free. */
static char *log_release(FILE *f)
{
	long n;
	char *text;

	cp_log_set_output(NULL);
	cp_log_set_level(CP_LOG_ERROR);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* Sends action with payload and answers it with reply_fmt (%s: the id). */
static void call_and_answer(struct fixture *fx, const char *action, const char *payload,
    const char *reply_fmt, struct result *r)
{
	char id[CP_MAX_MSG_ID + 1], text[4096];

	assert_int_equal(ocpp_rpc_call(&fx->rpc, action, cJSON_Parse(payload), on_result, r,
	    cp_real(0)), 0);
	sent_call_id(&fx->tx, id);
	subst_id(text, sizeof(text), reply_fmt, id);
	feed(fx, text, 1);
}

/* An unknown property of a CALLRESULT is logged at debug the first time per
 * action and path, with its path, and then no more; the number remembered is
 * bounded by CP_MAX_UNKNOWN_LOGGED. */
static void test_unknown_logged_once(void **state)
{
	struct fixture *fx = *state;
	static const char boot[] = "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}";
	static const char boot_conf[] = "[3,\"%s\",{\"status\":\"Accepted\",\"currentTime\":"
	    "\"2026-11-28T15:00:00Z\",\"interval\":300,\"vendorTz\":\"CET\"}]";
	static const char auth_conf[] = "[3,\"%s\",{\"idTagInfo\":{\"status\":\"Accepted\",\"x\":1},\"vendorTz\":1}]";
	struct result r = { 0 };
	char fmt[256], *log;
	FILE *f = log_capture();

	call_and_answer(fx, "BootNotification", boot, boot_conf, &r);
	call_and_answer(fx, "BootNotification", boot, boot_conf, &r);
	call_and_answer(fx, "BootNotification", boot, boot_conf, &r);
	/* The same name in another action, and a nested one, are other paths. */
	call_and_answer(fx, "Authorize", "{\"idTag\":\"A\"}", auth_conf, &r);
	call_and_answer(fx, "Authorize", "{\"idTag\":\"A\"}", auth_conf, &r);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.err, OCPP_ERR_NONE);
	log = log_release(f);
	assert_int_equal(count_of(log, "BootNotification.conf: unknown property \"vendorTz\" ignored"), 1);
	assert_int_equal(count_of(log, "Authorize.conf: unknown property \"vendorTz\" ignored"), 1);
	assert_int_equal(count_of(log, "Authorize.conf: unknown property \"idTagInfo.x\" ignored"), 1);
	assert_int_equal(count_of(log, "unknown property"), 3);
	free(log);

	/* Many distinct names: the memory of them is bounded, and one line
	 * says that further ones are not logged. */
	f = log_capture();
	for (int i = 0; i < CP_MAX_UNKNOWN_LOGGED + 10; i++) {
		snprintf(fmt, sizeof(fmt), "[3,\"%%s\",{\"currentTime\":\"2026-11-28T15:00:00Z\",\"v%d\":1}]", i);
		call_and_answer(fx, "Heartbeat", "{}", fmt, &r);
		assert_int_equal(r.err, OCPP_ERR_NONE);
	}
	log = log_release(f);
	assert_int_equal(count_of(log, "Heartbeat.conf: unknown property"), CP_MAX_UNKNOWN_LOGGED - 3);
	assert_int_equal(count_of(log, "no longer logged"), 1);
	free(log);
}

/* --log-level debug shows every exchange: whole frames in both directions,
 * one line each (control bytes escaped), and a frame beyond what can be
 * exchanged at all says how many bytes were cut. */
static void test_log_whole_frames(void **state)
{
	struct fixture *fx = *state;
	size_t big = 20000, huge = CP_MAX_OUT_FRAME + 12345;
	char *frame = malloc(huge + 64), *want = malloc(big + 128), *log;
	FILE *f;
	int n;

	assert_non_null(frame);
	assert_non_null(want);

	/* 20 000 bytes in, the answer out: both in full. */
	n = snprintf(frame, big + 64, "[2,\"big\",\"ChangeConfiguration\",{\"key\":\"K\",\"value\":\"");
	memset(frame + n, 'v', big - (size_t)n);
	strcpy(frame + big, "\"}]");
	f = log_capture();
	ocpp_rpc_on_text(&fx->rpc, frame, strlen(frame), cp_real(0));
	log = log_release(f);
	snprintf(want, big + 128, "<< %s\n", frame);
	if (strstr(log, want) == NULL)
		fail_msg("the inbound frame of %zu bytes is not logged whole: %.300s", strlen(frame), log);
	assert_non_null(strstr(log, ">> [4,\"big\",\"PropertyConstraintViolation\""));
	assert_null(strstr(log, "cut"));
	free(log);

	/* JSON whitespace and stray control bytes: escaped, one line per frame. */
	f = log_capture();
	feed(fx, "[2,\"nl\",\n\t\"ChangeConfiguration\",{\"key\":\"K\",\r\n\"value\":\"1\"}]", 0);
	log = log_release(f);
	assert_non_null(strstr(log, "<< [2,\"nl\",\\n\\t\"ChangeConfiguration\",{\"key\":\"K\",\\r\\n\"value\":\"1\"}]\n"));
	assert_non_null(strstr(log, ">> [3,\"nl\",{\"status\":\"Accepted\"}]\n"));
	assert_int_equal(count_of(log, "\n"), 2);
	free(log);

	/* Larger than anything that can be exchanged: cut, with the count. */
	n = snprintf(frame, 64, "[2,\"huge\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"");
	memset(frame + n, 'h', huge - (size_t)n);
	strcpy(frame + huge, "\"}]");
	f = log_capture();
	ocpp_rpc_on_text(&fx->rpc, frame, strlen(frame), cp_real(0));
	log = log_release(f);
	snprintf(want, 128, "... (cut: %zu more bytes)", strlen(frame) - CP_MAX_OUT_FRAME);
	if (strstr(log, want) == NULL)
		fail_msg("no \"%s\" in the log", want);
	free(log);

	/* The first bytes of a message the websocket layer dropped as too large. */
	f = log_capture();
	ocpp_rpc_on_oversize(&fx->rpc, frame, 256);
	log = log_release(f);
	snprintf(want, 128, "<< %.*s", 40, frame);
	assert_non_null(strstr(log, want));
	snprintf(want, 128, "... (cut: the message is over %d bytes", CP_MAX_FRAME);
	if (strstr(log, want) == NULL)
		fail_msg("no \"%s\" in the log", want);
	free(log);
	free(frame);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_utf8_descriptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_invalid_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_handler_desc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_payload_scrubbed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_logged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_whole_frames, setup, teardown),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

