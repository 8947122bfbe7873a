/* test_ocpp_frame.c - OCPP-J frames: parsing good and malformed text,
 * oversize frames, builders, error code names. */
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

#define ID36 "123456789012345678901234567890123456"
#define ID37 ID36 "7"
/* CP_MAX_ECHO_ID (128) and one more. */
#define ID128 ID36 ID36 ID36 "12345678901234567890"
#define ID129 ID128 "x"

/* Parses from an exact-length heap copy, so ASan catches any read past len. */
static int parse_exact(const char *text, size_t len, ocpp_frame *f)
{
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, text, len);
	r = ocpp_frame_parse(copy, len, f);
	/* Pointers into the tree stay valid; the text is no longer needed. */
	free(copy);
	return r;
}

static void test_parse_good(void **state)
{
	ocpp_frame f;

	(void)state;
	assert_int_equal(parse_exact("[2,\"abc\",\"Heartbeat\",{}]", 24, &f), 0);
	assert_int_equal(f.type, OCPP_MSG_CALL);
	assert_string_equal(f.id, "abc");
	assert_string_equal(f.action, "Heartbeat");
	assert_true(cJSON_IsObject(f.payload));
	ocpp_frame_free(&f);

	{
		const char *t = " [ 3 , \"" ID36 "\" , {\"currentTime\":\"2026-11-28T15:00:00Z\"} ]\n";
		assert_int_equal(parse_exact(t, strlen(t), &f), 0);
		assert_int_equal(f.type, OCPP_MSG_CALLRESULT);
		assert_string_equal(f.id, ID36);
		assert_null(f.action);
		assert_string_equal(cJSON_GetObjectItem(f.payload, "currentTime")->valuestring,
		    "2026-11-28T15:00:00Z");
		ocpp_frame_free(&f);
	}
	{
		const char *t = "[4,\"9\",\"OccurenceConstraintViolation\",\"idTag missing\",{\"a\":1}]";
		assert_int_equal(parse_exact(t, strlen(t), &f), 0);
		assert_int_equal(f.type, OCPP_MSG_CALLERROR);
		assert_int_equal(f.error, OCPP_ERR_OCCURENCE_CONSTRAINT);
		assert_string_equal(f.error_name, "OccurenceConstraintViolation");
		assert_string_equal(f.error_desc, "idTag missing");
		assert_int_equal(cJSON_GetObjectItem(f.payload, "a")->valueint, 1);
		ocpp_frame_free(&f);
	}
	{
		/* Other stacks' spellings; a bare CALLERROR without desc/details. */
		const char *t = "[4,\"9\",\"FormatViolation\"]";
		assert_int_equal(parse_exact(t, strlen(t), &f), 0);
		assert_int_equal(f.error, OCPP_ERR_FORMATION);
		assert_string_equal(f.error_desc, "");
		assert_null(f.payload);
		ocpp_frame_free(&f);
	}
	{
		const char *t = "[4,\"9\",\"RpcFrameworkError\",\"x\",{}]";
		assert_int_equal(parse_exact(t, strlen(t), &f), 0);
		assert_int_equal(f.error, OCPP_ERR_GENERIC);
		assert_string_equal(f.error_name, "RpcFrameworkError");
		ocpp_frame_free(&f);
	}
}

struct bad {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	ocpp_error fault;
	ocpp_msg_type type;	/* recovered */
	const char *id;		/* recovered ("" none) */
};

static const struct bad bads[] = {
	{ .name = "empty", .text = "", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "not JSON", .text = "hello", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "truncated", .text = "[2,\"a\",\"Heartbeat\",{}", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "trailing data", .text = "[3,\"a\",{}] x", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "two frames", .text = "[3,\"a\",{}][3,\"b\",{}]", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "embedded NUL", .text = "[3,\"a\",{}]\0junk", .len = 15, .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "object", .text = "{\"a\":1}", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "string", .text = "\"[2]\"", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "empty array", .text = "[]", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "type as string", .text = "[\"2\",\"a\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "type 5", .text = "[5,\"a\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "type 2.5", .text = "[2.5,\"a\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION, .id = "" },
	{ .name = "only a type", .text = "[2]", .fault = OCPP_ERR_FORMATION, .type = OCPP_MSG_CALL, .id = "" },
	{ .name = "numeric id", .text = "[2,17,\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = "" },
	{ .name = "empty id", .text = "[2,\"\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = "" },
	/* An id over 36 characters is refused, but kept for the CALLERROR
	 * (OCPP-J 4.2.3) while it is printable ASCII of at most CP_MAX_ECHO_ID. */
	{ .name = "37-char id", .text = "[2,\"" ID37 "\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = ID37 },
	{ .name = "128-char id", .text = "[2,\"" ID128 "\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = ID128 },
	{ .name = "129-char id", .text = "[2,\"" ID129 "\",\"Heartbeat\",{}]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = "" },
	{ .name = "37-char id, not ASCII", .text = "[2,\"" ID36 "\u00e9\",\"Heartbeat\",{}]",
	  .fault = OCPP_ERR_FORMATION, .type = OCPP_MSG_CALL, .id = "" },
	{ .name = "37-char id, a control character", .text = "[2,\"" ID36 "\\n\",\"Heartbeat\",{}]",
	  .fault = OCPP_ERR_FORMATION, .type = OCPP_MSG_CALL, .id = "" },
	{ .name = "CALL of 3", .text = "[2,\"a\",\"Heartbeat\"]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALL, .id = "a" },
	{ .name = "CALL of 5", .text = "[2,\"a\",\"Heartbeat\",{},{}]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALL, .id = "a" },
	{ .name = "CALL action a number", .text = "[2,\"a\",7,{}]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALL, .id = "a" },
	{ .name = "CALL payload null", .text = "[2,\"a\",\"Heartbeat\",null]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = "a" },
	{ .name = "CALL payload array", .text = "[2,\"a\",\"Heartbeat\",[]]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALL, .id = "a" },
	{ .name = "CALLRESULT of 2", .text = "[3,\"a\"]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALLRESULT, .id = "a" },
	{ .name = "CALLRESULT payload null", .text = "[3,\"a\",null]", .fault = OCPP_ERR_FORMATION,
	  .type = OCPP_MSG_CALLRESULT, .id = "a" },
	{ .name = "CALLERROR of 2", .text = "[4,\"a\"]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALLERROR, .id = "a" },
	{ .name = "CALLERROR of 6", .text = "[4,\"a\",\"GenericError\",\"\",{},1]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALLERROR, .id = "a" },
	{ .name = "CALLERROR code a number", .text = "[4,\"a\",1,\"\",{}]", .fault = OCPP_ERR_PROTOCOL,
	  .type = OCPP_MSG_CALLERROR, .id = "a" },
	{ .name = "CALLERROR desc a number", .text = "[4,\"a\",\"GenericError\",5,{}]",
	  .fault = OCPP_ERR_PROTOCOL, .type = OCPP_MSG_CALLERROR, .id = "a" },
	{ .name = "CALLERROR details an array", .text = "[4,\"a\",\"GenericError\",\"\",[]]",
	  .fault = OCPP_ERR_FORMATION, .type = OCPP_MSG_CALLERROR, .id = "a" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		size_t len = b->len ? b->len : strlen(b->text);
		ocpp_frame f;
		int r = parse_exact(b->text, len, &f);

		if (r != -EINVAL || f.fault != b->fault || f.type != b->type || strcmp(f.id, b->id) != 0)
			fail_msg("case %zu (%s): rc %d fault %s type %d id \"%s\"", i, b->name, r,
			    ocpp_error_name(f.fault), f.type, f.id);
		assert_true(f.fault_desc[0] != '\0');
		ocpp_frame_free(&f);
	}
}

/* A 1 MB frame is refused before parsing; a CALL's id is still recovered. */
static void test_parse_oversize(void **state)
{
	size_t len = 1024 * 1024;
	char *big = malloc(len);
	const char *head = "[2,\"big-1\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"";
	ocpp_frame f;

	(void)state;
	assert_non_null(big);
	memset(big, 'A', len);
	memcpy(big, head, strlen(head));
	memcpy(big + len - 3, "\"}]", 3);
	assert_int_equal(ocpp_frame_parse(big, len, &f), -EMSGSIZE);
	assert_int_equal(f.type, OCPP_MSG_CALL);
	assert_string_equal(f.id, "big-1");
	assert_int_equal(f.fault, OCPP_ERR_FORMATION);
	assert_null(f.root);
	ocpp_frame_free(&f);

	big[1] = '3';
	assert_int_equal(ocpp_frame_parse(big, len, &f), -EMSGSIZE);
	assert_int_equal(f.type, OCPP_MSG_NONE);
	assert_string_equal(f.id, "");
	ocpp_frame_free(&f);

	/* Exactly CP_MAX_FRAME bytes is still parsed. */
	memset(big, ' ', CP_MAX_FRAME);
	memcpy(big, "[3,\"a\",{}]", 10);
	assert_int_equal(ocpp_frame_parse(big, CP_MAX_FRAME, &f), 0);
	ocpp_frame_free(&f);
	free(big);
}

static void test_peek(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *id;
	} t[] = {
		{ "[2,\"abc\",\"X\"", 0, "abc" },
		{ " [ 2 ,\n\"abc\"", 0, "abc" },
		{ "[2,\"" ID36 "\"", 0, ID36 },
		{ "[2,\"" ID37 "\"", 0, ID37 },
		{ "[2,\"" ID128 "\"", 0, ID128 },
		{ "[2,\"" ID129 "\"", -EINVAL, "" },
		{ "[3,\"abc\",{", -EINVAL, "" },
		{ "[22,\"abc\"", -EINVAL, "" },
		{ "[2,\"ab", -EINVAL, "" },		/* id cut by the prefix */
		{ "[2,\"a\\\"b\"", -EINVAL, "" },	/* escapes not decoded */
		{ "[2,\"\"", -EINVAL, "" },
		{ "[2,\"a\xc3\xa9\"", -EINVAL, "" },	/* not ASCII: never echoed */
		{ "", -EINVAL, "" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char id[CP_MAX_ECHO_ID + 1];
		assert_int_equal(ocpp_frame_peek_call_id(t[i].text, strlen(t[i].text), id), t[i].rc);
		assert_string_equal(id, t[i].id);
	}
}

static void test_build(void **state)
{
	char buf[512];
	cJSON *p = cJSON_Parse("{\"status\":\"Accepted\",\"n\":17.2}");
	cJSON *details = cJSON_Parse("{\"k\":[1,2]}");
	ocpp_frame f;
	int n;

	(void)state;
	n = ocpp_frame_build_call(buf, sizeof(buf), "id-1", "Heartbeat", NULL);
	assert_int_equal(n, (int)strlen("[2,\"id-1\",\"Heartbeat\",{}]"));
	assert_string_equal(buf, "[2,\"id-1\",\"Heartbeat\",{}]");

	n = ocpp_frame_build_result(buf, sizeof(buf), "x", p);
	assert_string_equal(buf, "[3,\"x\",{\"status\":\"Accepted\",\"n\":17.2}]");
	assert_int_equal(n, (int)strlen(buf));

	n = ocpp_frame_build_result(buf, sizeof(buf), "x", NULL);
	assert_string_equal(buf, "[3,\"x\",{}]");

	n = ocpp_frame_build_error(buf, sizeof(buf), "x", OCPP_ERR_OCCURENCE_CONSTRAINT, "idTag: missing", NULL);
	assert_string_equal(buf, "[4,\"x\",\"OccurenceConstraintViolation\",\"idTag: missing\",{}]");
	n = ocpp_frame_build_error(buf, sizeof(buf), "x", OCPP_ERR_GENERIC, NULL, details);
	assert_string_equal(buf, "[4,\"x\",\"GenericError\",\"\",{\"k\":[1,2]}]");

	/* Ids and descriptions with quotes, backslashes and control characters
	 * come out as valid JSON that reads back the same. */
	n = ocpp_frame_build_error(buf, sizeof(buf), "q\"\\\n", OCPP_ERR_PROTOCOL, "a \"b\"\t\x01 \xc3\xa9", NULL);
	assert_true(n > 0);
	assert_int_equal(ocpp_frame_parse(buf, (size_t)n, &f), 0);
	assert_string_equal(f.id, "q\"\\\n");
	assert_string_equal(f.error_desc, "a \"b\"\t\x01 \xc3\xa9");
	assert_int_equal(f.error, OCPP_ERR_PROTOCOL);
	ocpp_frame_free(&f);

	/* A CALLERROR echoes a peer's over-long id, up to CP_MAX_ECHO_ID. */
	n = ocpp_frame_build_error(buf, sizeof(buf), ID128, OCPP_ERR_FORMATION, "id", NULL);
	assert_string_equal(buf, "[4,\"" ID128 "\",\"FormationViolation\",\"id\",{}]");
	assert_int_equal(ocpp_frame_build_error(buf, sizeof(buf), ID129, OCPP_ERR_FORMATION, "", NULL), -EINVAL);

	/* Refusals: our own CALLs and CALLRESULTs keep to 36 (OCPP-J 4.1.3). */
	assert_int_equal(ocpp_frame_build_call(buf, sizeof(buf), ID37, "Heartbeat", NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_result(buf, sizeof(buf), ID37, NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_call(buf, sizeof(buf), "", "Heartbeat", NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_call(buf, sizeof(buf), "a", "", NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_error(buf, sizeof(buf), "a", OCPP_ERR_TIMEOUT, "", NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_error(buf, sizeof(buf), "a", OCPP_ERR_NONE, "", NULL), -EINVAL);
	assert_int_equal(ocpp_frame_build_result(buf, 10, "x", p), -ENOSPC);
	assert_int_equal(ocpp_frame_build_result(buf, 5, "x", NULL), -ENOSPC);
	assert_int_equal(ocpp_frame_build_result(buf, 0, "x", NULL), -ENOSPC);
	/* Exactly enough room: text plus NUL. */
	assert_int_equal(ocpp_frame_build_result(buf, 11, "x", NULL), 10);
	assert_int_equal(ocpp_frame_build_result(buf, 10, "x", NULL), -ENOSPC);
	cJSON_Delete(p);
	cJSON_Delete(details);
}

/* A description longer than CP_MAX_ERROR_DESC is cut on a UTF-8 boundary. */
static void test_build_long_desc(void **state)
{
	char desc[1000], buf[2048];
	ocpp_frame f;
	int n;

	(void)state;
	for (size_t i = 0; i + 2 < sizeof(desc); i += 2)
		memcpy(desc + i, "\xc3\xa9", 2);
	desc[sizeof(desc) - 2] = '\0';
	n = ocpp_frame_build_error(buf, sizeof(buf), "a", OCPP_ERR_GENERIC, desc, NULL);
	assert_true(n > 0);
	assert_int_equal(ocpp_frame_parse(buf, (size_t)n, &f), 0);
	assert_true(strlen(f.error_desc) <= CP_MAX_ERROR_DESC - 1);
	assert_int_equal(strlen(f.error_desc) % 2, 0);
	ocpp_frame_free(&f);
}

static void test_error_names(void **state)
{
	static const struct {
		ocpp_error e;
		const char *name;
	} t[] = {
		{ OCPP_ERR_NOT_IMPLEMENTED, "NotImplemented" },
		{ OCPP_ERR_NOT_SUPPORTED, "NotSupported" },
		{ OCPP_ERR_INTERNAL, "InternalError" },
		{ OCPP_ERR_PROTOCOL, "ProtocolError" },
		{ OCPP_ERR_SECURITY, "SecurityError" },
		{ OCPP_ERR_FORMATION, "FormationViolation" },
		{ OCPP_ERR_PROPERTY_CONSTRAINT, "PropertyConstraintViolation" },
		{ OCPP_ERR_OCCURENCE_CONSTRAINT, "OccurenceConstraintViolation" },
		{ OCPP_ERR_TYPE_CONSTRAINT, "TypeConstraintViolation" },
		{ OCPP_ERR_GENERIC, "GenericError" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(ocpp_error_name(t[i].e), t[i].name);
		assert_int_equal(ocpp_error_from_name(t[i].name), t[i].e);
		assert_true(ocpp_error_is_wire(t[i].e));
	}
	assert_string_equal(ocpp_error_name(OCPP_ERR_TIMEOUT), "Timeout");
	assert_false(ocpp_error_is_wire(OCPP_ERR_TIMEOUT));
	assert_false(ocpp_error_is_wire(OCPP_ERR_DISCONNECTED));
	assert_false(ocpp_error_is_wire(OCPP_ERR_NONE));
	/* A peer cannot make us believe in a local outcome. */
	assert_int_equal(ocpp_error_from_name("Timeout"), OCPP_ERR_GENERIC);
	assert_int_equal(ocpp_error_from_name("OccurrenceConstraintViolation"), OCPP_ERR_OCCURENCE_CONSTRAINT);
	assert_int_equal(ocpp_error_from_name(NULL), OCPP_ERR_GENERIC);
	assert_string_equal(ocpp_error_name((ocpp_error)99), "Unknown");
}


/* Cutting on character boundaries, and what a builder does with bytes that
 * are not UTF-8 (RFC 6455 section 8.1: a text frame must be valid UTF-8). */
static void test_utf8(void **state)
{
	char buf[256], s[16];
	int n;

	(void)state;
	/* "a€b": the euro sign is 3 bytes, never split. */
	assert_int_equal(ocpp_utf8_prefix("a\xe2\x82\xac" "b", 1), 1);
	assert_int_equal(ocpp_utf8_prefix("a\xe2\x82\xac" "b", 2), 1);
	assert_int_equal(ocpp_utf8_prefix("a\xe2\x82\xac" "b", 3), 1);
	assert_int_equal(ocpp_utf8_prefix("a\xe2\x82\xac" "b", 4), 4);
	assert_int_equal(ocpp_utf8_prefix("a\xe2\x82\xac" "b", 40), 5);

	strcpy(s, "ab\xe2\x82");
	ocpp_utf8_trim(s);
	assert_string_equal(s, "ab");
	strcpy(s, "ab\xe2\x82\xac");
	ocpp_utf8_trim(s);
	assert_string_equal(s, "ab\xe2\x82\xac");
	strcpy(s, "\xf0\x9f\x94");
	ocpp_utf8_trim(s);
	assert_string_equal(s, "");

	n = ocpp_frame_build_error(buf, sizeof(buf), "a", OCPP_ERR_GENERIC, "x\xff\xe2\x82y\xc3\xa9", NULL);
	assert_true(n > 0);
	assert_string_equal(buf, "[4,\"a\",\"GenericError\",\"x\\ufffd\\ufffd\\ufffdy\xc3\xa9\",{}]");
}

/* Text that is not UTF-8, or nests deeper than CP_MAX_JSON_DEPTH, is
 * refused before cJSON sees it; type and id are recovered. */
static void test_parse_unchecked_text(void **state)
{
	char deep[4 * CP_MAX_JSON_DEPTH + 64];
	ocpp_frame f;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse_exact("[2,\"u\",\"Heartbeat\",{\"\xff\":1}]", 27, &f), -EINVAL);
	assert_int_equal(f.fault, OCPP_ERR_FORMATION);
	assert_int_equal(f.type, OCPP_MSG_CALL);
	assert_string_equal(f.id, "u");
	ocpp_frame_free(&f);
	assert_int_equal(parse_exact("[3,\"r\",{\"a\":\"\xc3\"}]", 17, &f), -EINVAL);
	assert_int_equal(f.type, OCPP_MSG_CALLRESULT);
	assert_string_equal(f.id, "r");
	ocpp_frame_free(&f);
	/* An id that is not ASCII is not echoed. */
	assert_int_equal(parse_exact("[2,\"\xc3\",\"Heartbeat\",{}]", 21, &f), -EINVAL);
	assert_string_equal(f.id, "");
	ocpp_frame_free(&f);

	/* CP_MAX_JSON_DEPTH levels parse (the frame's array, the payload,
	 * then k arrays), one more does not; brackets in strings do not count. */
	for (int k = CP_MAX_JSON_DEPTH - 2; k <= CP_MAX_JSON_DEPTH - 1; k++) {
		n = (size_t)sprintf(deep, "[3,\"d\",{\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\",\"a\":");
		for (int i = 0; i < k; i++)
			deep[n++] = '[';
		for (int i = 0; i < k; i++)
			deep[n++] = ']';
		n += (size_t)sprintf(deep + n, "}]");
		assert_int_equal(parse_exact(deep, n, &f), k + 2 <= CP_MAX_JSON_DEPTH ? 0 : -EINVAL);
		assert_int_equal(f.type, OCPP_MSG_CALLRESULT);
		assert_string_equal(f.id, "d");
		ocpp_frame_free(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_oversize),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_build_long_desc),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_parse_unchecked_text),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
