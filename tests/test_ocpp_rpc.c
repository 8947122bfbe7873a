/* test_ocpp_rpc.c - the RPC session over a fake transport: dispatch and the
 * checks before it, one outstanding CALL, timeouts, reply matching, reset,
 * and a few thousand mutated frames that must not crash it.  Admission
 * (test_ocpp_admission.c) and hostile text (test_ocpp_rpc_text.c) have
 * programs of their own; the fixture is rpc_fixture.c. */
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

/* ---------------------------------------------------------------- inbound */

struct inbound_case {
	const char *name;
	const char *frame;
	const char *reply;	/* exact text sent, NULL: nothing sent */
	const char *reply_prefix; /* or just its start */
	int rc;
	int change_calls;	/* h_change runs after this frame */
};

static const struct inbound_case inbound[] = {
	{ .name = "dispatch", .frame = "[2,\"m1\",\"ChangeConfiguration\",{\"key\":\"A\",\"value\":\"1\"}]",
	  .reply = "[3,\"m1\",{\"status\":\"Accepted\"}]", .change_calls = 1 },
	{ .name = "not a 1.6 action", .frame = "[2,\"m2\",\"MakeCoffee\",{}]",
	  .reply = "[4,\"m2\",\"NotImplemented\",\"\\\"MakeCoffee\\\" is not an OCPP 1.6 action\",{}]" },
	{ .name = "1.6 action without a row", .frame = "[2,\"m3\",\"ReserveNow\",{}]",
	  .reply = "[4,\"m3\",\"NotSupported\",\"ReserveNow is not supported by this charge point\",{}]" },
	{ .name = "validated before the handler", .frame = "[2,\"m4\",\"ChangeConfiguration\",{\"key\":\"A\"}]",
	  .reply = "[4,\"m4\",\"OccurenceConstraintViolation\",\"value: missing\",{}]" },
	{ .name = "type", .frame = "[2,\"m5\",\"ChangeConfiguration\",{\"key\":1,\"value\":\"1\"}]",
	  .reply_prefix = "[4,\"m5\",\"TypeConstraintViolation\"," },
	{ .name = "property", .frame = "[2,\"m6\",\"Reset\",{\"type\":\"Medium\"}]",
	  .reply_prefix = "[4,\"m6\",\"PropertyConstraintViolation\"," },
	{ .name = "formation", .frame = "[2,\"m7\",\"Reset\",{\"type\":\"Hard\",\"when\":\"now\"}]",
	  .reply = "[4,\"m7\",\"FormationViolation\",\"when: unknown property\",{}]" },
	{ .name = "handler refuses", .frame = "[2,\"m8\",\"Reset\",{\"type\":\"Soft\"}]",
	  .reply = "[4,\"m8\",\"GenericError\",\"cannot reset now\",{}]" },
	{ .name = "handler fails silently", .frame = "[2,\"m9\",\"UnlockConnector\",{\"connectorId\":1}]",
	  .reply_prefix = "[4,\"m9\",\"InternalError\",\"UnlockConnector failed" },
	{ .name = "invalid own conf still sent", .frame = "[2,\"m10\",\"GetConfiguration\",{}]",
	  .reply = "[3,\"m10\",{\"bogus\":1}]" },
	{ .name = "handler answers an array", .frame = "[2,\"m15\",\"GetLocalListVersion\",{}]",
	  .reply = "[4,\"m15\",\"InternalError\",\"GetLocalListVersion failed\",{}]" },
	{ .name = "payload null", .frame = "[2,\"m11\",\"Reset\",null]", .rc = -EINVAL,
	  .reply = "[4,\"m11\",\"FormationViolation\",\"payload is not a JSON object\",{}]" },
	{ .name = "CALL of 3", .frame = "[2,\"m12\",\"Reset\"]", .rc = -EINVAL,
	  .reply = "[4,\"m12\",\"ProtocolError\",\"CALL has 3 elements, 4 expected\",{}]" },
	{ .name = "not JSON", .frame = "[2,\"m13\",", .rc = -EINVAL },
	{ .name = "wrong message type", .frame = "[7,\"m14\",\"Reset\",{}]", .rc = -EINVAL },
	/* OCPP-J 4.1.3 allows 36 characters; a longer id is refused with a
	 * CALLERROR that echoes it (OCPP-J 4.2.3), up to CP_MAX_ECHO_ID
	 * printable ASCII characters; beyond that nothing can be echoed. */
	{ .name = "over-long id", .frame = "[2,\"1234567890123456789012345678901234567\",\"Reset\",{}]",
	  .rc = -EINVAL, .reply = "[4,\"1234567890123456789012345678901234567\",\"FormationViolation\","
	    "\"message id of 37 characters (1..36 allowed)\",{}]" },
	{ .name = "over-long id of 128", .frame = "[2,\"" ID128 "\",\"Reset\",{\"type\":\"Hard\"}]",
	  .rc = -EINVAL, .reply = "[4,\"" ID128 "\",\"FormationViolation\","
	    "\"message id of 128 characters (1..36 allowed)\",{}]" },
	{ .name = "over-long id of 129", .frame = "[2,\"" ID128 "x\",\"Reset\",{\"type\":\"Hard\"}]",
	  .rc = -EINVAL },
	{ .name = "over-long id, not ASCII", .frame = "[2,\"" ID36 "\u00e9\",\"Reset\",{}]", .rc = -EINVAL },
	{ .name = "over-long id of a result", .frame = "[3,\"" ID36 "7\",{}]", .rc = -EINVAL },
	{ .name = "result for nobody", .frame = "[3,\"nobody\",{}]" },
	{ .name = "error for nobody", .frame = "[4,\"nobody\",\"GenericError\",\"\",{}]" },
};

static void test_inbound(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(inbound) / sizeof(inbound[0]); i++) {
		const struct inbound_case *c = &inbound[i];
		void *st = NULL;
		struct fixture *fx;
		int rc;

		assert_int_equal(setup(&st), 0);
		fx = st;
		rc = feed(fx, c->frame, 0);
		if (rc != c->rc)
			fail_msg("case %s: rc %d, want %d", c->name, rc, c->rc);
		if (c->reply == NULL && c->reply_prefix == NULL && fx->tx.nsent != 0)
			fail_msg("case %s: sent %s", c->name, last_sent(&fx->tx));
		if (c->reply != NULL && strcmp(last_sent(&fx->tx), c->reply) != 0)
			fail_msg("case %s: sent %s\n want %s", c->name, last_sent(&fx->tx), c->reply);
		if (c->reply_prefix != NULL &&
		    strncmp(last_sent(&fx->tx), c->reply_prefix, strlen(c->reply_prefix)) != 0)
			fail_msg("case %s: sent %s\n want %s...", c->name, last_sent(&fx->tx), c->reply_prefix);
		if (fx->tx.nsent > 1)
			fail_msg("case %s: %d frames sent", c->name, fx->tx.nsent);
		assert_int_equal(fx->app.calls_change, c->change_calls);
		teardown(&st);
	}
}

/* A handler cannot send a CALL ahead of its own CALLRESULT; the replied
 * hook can, and its CALL follows the answer. */
static void test_call_from_handler(void **state)
{
	struct fixture *fx = *state;

	feed(fx, "[2,\"c1\",\"ClearCache\",{}]", 0);
	assert_int_equal(fx->app.calls_clear, 1);
	assert_int_equal(fx->app.nested_rc, -EAGAIN);
	assert_int_equal(fx->tx.nsent, 1);
	assert_string_equal(last_sent(&fx->tx), "[3,\"c1\",{}]");
	assert_int_equal(fx->app.replied, 1);
	assert_int_equal(fx->app.replied_err, OCPP_ERR_NONE);

	fx->app.send_from_replied = true;
	feed(fx, "[2,\"c2\",\"ClearCache\",{}]", 0);
	assert_int_equal(fx->app.replied_call_rc, 0);
	assert_int_equal(fx->tx.nsent, 3);
	assert_string_equal(fx->tx.sent[1], "[3,\"c2\",{}]");
	assert_memory_equal(fx->tx.sent[2], "[2,\"abcdef01-", 12);
	assert_true(ocpp_rpc_busy(&fx->rpc));
}

static void test_init_rejects(void **state)
{
	static const ocpp_action_row bad_name[] = { { .action = "MakeCoffee", .handler = h_change } };
	static const ocpp_action_row no_handler[] = { { .action = "Reset", .handler = NULL } };
	struct fixture *fx = *state;
	ocpp_rpc_config cfg = { .ops = &fake_ops, .tctx = &fx->tx };
	ocpp_transport_ops no_send = { .send = NULL };

	cfg.actions = bad_name;
	cfg.nactions = 1;
	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), -EINVAL);
	cfg.actions = no_handler;
	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), -EINVAL);
	cfg.nactions = 0;
	cfg.ops = &no_send;
	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), -EINVAL);
	cfg.ops = NULL;
	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), -EINVAL);
}

/* --------------------------------------------------------------- outbound */

static void test_call_result(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };
	char id[CP_MAX_MSG_ID + 1], text[256];

	assert_false(ocpp_rpc_busy(&fx->rpc));
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(1000)), 0);
	assert_true(ocpp_rpc_busy(&fx->rpc));
	sent_call_id(&fx->tx, id);
	snprintf(text, sizeof(text), "[2,\"%s\",\"Heartbeat\",{}]", id);
	assert_string_equal(last_sent(&fx->tx), text);

	/* One outstanding CALL: the second waits in the caller's queue. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", cJSON_CreateObject(), on_result, &r,
	    cp_real(1001)), -EBUSY);
	assert_int_equal(fx->tx.nsent, 1);

	/* A reply with another id changes nothing. */
	assert_int_equal(feed(fx, "[3,\"not-ours\",{\"currentTime\":\"2026-11-28T15:00:00Z\"}]", 1100), 0);
	assert_int_equal(r.n, 0);
	assert_true(ocpp_rpc_busy(&fx->rpc));

	snprintf(text, sizeof(text), "[3,\"%s\",{\"currentTime\":\"2026-11-28T15:00:00Z\"}]", id);
	assert_int_equal(feed(fx, text, 1200), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.err, OCPP_ERR_NONE);
	assert_string_equal(r.payload, "{\"currentTime\":\"2026-11-28T15:00:00Z\"}");
	assert_string_equal(r.desc, "");
	assert_false(ocpp_rpc_busy(&fx->rpc));

	/* The same reply again is for nobody now. */
	feed(fx, text, 1300);
	assert_int_equal(r.n, 1);
}

/* What the central system answers, and what the callback sees. */
struct reply_case {
	const char *name;
	const char *action;
	const char *payload;
	const char *reply_fmt;	/* %s = the message id */
	ocpp_error want;
	const char *want_payload;
	const char *want_desc;
};

static const struct reply_case replies[] = {
	{ .name = "CALLERROR", .action = "Authorize", .payload = "{\"idTag\":\"ABC\"}",
	  .reply_fmt = "[4,\"%s\",\"PropertyConstraintViolation\",\"idTag bad\",{\"x\":1}]",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT, .want_payload = "{\"x\":1}", .want_desc = "idTag bad" },
	{ .name = "CALLERROR of an unknown code", .action = "Authorize", .payload = "{\"idTag\":\"ABC\"}",
	  .reply_fmt = "[4,\"%s\",\"Nope\",\"?\",{}]", .want = OCPP_ERR_GENERIC, .want_payload = "{}",
	  .want_desc = "?" },
	{ .name = "result fails .conf", .action = "Heartbeat", .payload = "{}",
	  .reply_fmt = "[3,\"%s\",{}]", .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_payload = "{}",
	  .want_desc = "currentTime: missing" },
	{ .name = "result with a bad enum", .action = "Authorize", .payload = "{\"idTag\":\"ABC\"}",
	  .reply_fmt = "[3,\"%s\",{\"idTagInfo\":{\"status\":\"Fine\"}}]",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "malformed result", .action = "Heartbeat", .payload = "{}",
	  .reply_fmt = "[3,\"%s\",null]", .want = OCPP_ERR_FORMATION, .want_payload = "",
	  .want_desc = "payload is not a JSON object" },
	/* Central systems add vendor fields to their answers: an unknown
	 * property of a CALLRESULT is ignored, at any depth, and passed on. */
	{ .name = "result with a vendor property", .action = "BootNotification",
	  .payload = "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}",
	  .reply_fmt = "[3,\"%s\",{\"status\":\"Accepted\",\"currentTime\":\"2026-11-28T15:00:00Z\","
	    "\"interval\":300,\"vendorTimezone\":\"Europe/Berlin\"}]",
	  .want = OCPP_ERR_NONE, .want_payload = "{\"status\":\"Accepted\",\"currentTime\":"
	    "\"2026-11-28T15:00:00Z\",\"interval\":300,\"vendorTimezone\":\"Europe/Berlin\"}",
	  .want_desc = "" },
	{ .name = "result with nested vendor properties", .action = "StartTransaction",
	  .payload = "{\"connectorId\":1,\"idTag\":\"ABC\",\"meterStart\":0,"
	    "\"timestamp\":\"2026-11-28T15:00:00Z\"}",
	  .reply_fmt = "[3,\"%s\",{\"transactionId\":42,\"idTagInfo\":{\"status\":\"Accepted\","
	    "\"x-tariff\":{\"deep\":[1,2]}},\"x-session\":null}]",
	  .want = OCPP_ERR_NONE },
	/* A case variant of a schema name is refused: the station looks names
	 * up without regard to case and would read the unchecked "Status". */
	{ .name = "vendor property, a case variant", .action = "BootNotification",
	  .payload = "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}",
	  .reply_fmt = "[3,\"%s\",{\"Status\":\"Rejected\",\"status\":\"Accepted\",\"currentTime\":"
	    "\"2026-11-28T15:00:00Z\",\"interval\":300}]",
	  .want = OCPP_ERR_FORMATION, .want_desc = "Status: unknown property (differs from \"status\" only in case)" },
	/* What the station needs is still checked. */
	{ .name = "vendor property, required field missing", .action = "StartTransaction",
	  .payload = "{\"connectorId\":1,\"idTag\":\"ABC\",\"meterStart\":0,"
	    "\"timestamp\":\"2026-11-28T15:00:00Z\"}",
	  .reply_fmt = "[3,\"%s\",{\"txId\":42,\"idTagInfo\":{\"status\":\"Accepted\"}}]",
	  .want = OCPP_ERR_OCCURENCE_CONSTRAINT, .want_desc = "transactionId: missing" },
	{ .name = "vendor property, bad enum", .action = "Authorize", .payload = "{\"idTag\":\"ABC\"}",
	  .reply_fmt = "[3,\"%s\",{\"vendor\":1,\"idTagInfo\":{\"status\":\"Fine\"}}]",
	  .want = OCPP_ERR_PROPERTY_CONSTRAINT },
	{ .name = "vendor property, wrong type", .action = "StartTransaction",
	  .payload = "{\"connectorId\":1,\"idTag\":\"ABC\",\"meterStart\":0,"
	    "\"timestamp\":\"2026-11-28T15:00:00Z\"}",
	  .reply_fmt = "[3,\"%s\",{\"transactionId\":\"42\",\"vendor\":1,\"idTagInfo\":{\"status\":\"Accepted\"}}]",
	  .want = OCPP_ERR_TYPE_CONSTRAINT, .want_desc = "transactionId: expected integer, got string" },
	{ .name = "good result", .action = "BootNotification",
	  .payload = "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}",
	  .reply_fmt = "[3,\"%s\",{\"status\":\"Pending\",\"currentTime\":\"2026-11-28T15:00:00Z\",\"interval\":10}]",
	  .want = OCPP_ERR_NONE },
};


static void test_call_replies(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		const struct reply_case *c = &replies[i];
		struct result r = { 0 };
		char id[CP_MAX_MSG_ID + 1], text[512];
		void *st = NULL;
		struct fixture *fx;

		assert_int_equal(setup(&st), 0);
		fx = st;
		assert_int_equal(ocpp_rpc_call(&fx->rpc, c->action, cJSON_Parse(c->payload), on_result, &r,
		    cp_real(0)), 0);
		sent_call_id(&fx->tx, id);
		subst_id(text, sizeof(text), c->reply_fmt, id);
		feed(fx, text, 10);
		if (r.n != 1 || r.err != c->want)
			fail_msg("case %s: %d callbacks, err %s, want %s", c->name, r.n,
			    ocpp_error_name(r.err), ocpp_error_name(c->want));
		if (c->want_payload != NULL)
			assert_string_equal(r.payload, c->want_payload);
		if (c->want_desc != NULL)
			assert_string_equal(r.desc, c->want_desc);
		assert_false(ocpp_rpc_busy(&fx->rpc));
		teardown(&st);
	}
}

static void test_call_refused(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };

	/* Our own invalid payload is a bug: logged, not sent. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "BootNotification",
	    cJSON_Parse("{\"chargePointVendor\":\"V\"}"), on_result, &r, cp_real(0)), -EINVAL);
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "MakeCoffee", NULL, on_result, &r, cp_real(0)), -EINVAL);
	assert_int_equal(ocpp_rpc_call(&fx->rpc, NULL, NULL, on_result, &r, cp_real(0)), -EINVAL);
	assert_int_equal(fx->tx.nsent, 0);
	assert_false(ocpp_rpc_busy(&fx->rpc));

	/* The transport is down: nothing outstanding, no callback. */
	fx->tx.fail_with = -ENOTCONN;
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(0)), -ENOTCONN);
	assert_false(ocpp_rpc_busy(&fx->rpc));
	ocpp_rpc_tick(&fx->rpc, cp_real(1000000));
	ocpp_rpc_reset(&fx->rpc);
	assert_int_equal(r.n, 0);
}

static void test_timeout(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };
	char id[CP_MAX_MSG_ID + 1], text[256];
	cp_real_t when;

	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(5000)), 0);
	assert_true(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(when.ms, 5000 + OCPP_DEFAULT_CALL_TIMEOUT_MS);
	sent_call_id(&fx->tx, id);

	ocpp_rpc_tick(&fx->rpc, cp_real(5000 + OCPP_DEFAULT_CALL_TIMEOUT_MS - 1));
	assert_int_equal(r.n, 0);
	ocpp_rpc_tick(&fx->rpc, cp_real(5000 + OCPP_DEFAULT_CALL_TIMEOUT_MS));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.err, OCPP_ERR_TIMEOUT);
	assert_string_equal(r.payload, "");
	assert_false(ocpp_rpc_busy(&fx->rpc));

	/* The late answer is ignored; the callback ran once. */
	snprintf(text, sizeof(text), "[3,\"%s\",{\"currentTime\":\"2026-11-28T15:00:00Z\"}]", id);
	feed(fx, text, 40000);
	assert_int_equal(r.n, 1);
}

static void test_timeout_configured(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };
	ocpp_rpc_config cfg = fx->rpc.cfg;

	cfg.call_timeout_ms = 5000;
	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), 0);
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(0)), 0);
	ocpp_rpc_tick(&fx->rpc, cp_real(4999));
	assert_int_equal(r.n, 0);
	ocpp_rpc_tick(&fx->rpc, cp_real(5000));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.err, OCPP_ERR_TIMEOUT);
}

static void test_reset(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };

	ocpp_rpc_reset(&fx->rpc);
	assert_int_equal(r.n, 0);
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(0)), 0);
	ocpp_rpc_reset(&fx->rpc);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.err, OCPP_ERR_DISCONNECTED);
	assert_false(ocpp_rpc_busy(&fx->rpc));
	ocpp_rpc_tick(&fx->rpc, cp_real(100000));
	assert_int_equal(r.n, 1);
	/* Usable again at once. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(0)), 0);
}

/* The event loop arms its one timer from ocpp_rpc_next_deadline after
 * every change of the session: the deadline is there exactly while a CALL
 * is outstanding, and is that CALL's send time + the call timeout. */
static void test_next_deadline(void **state)
{
	struct fixture *fx = *state;
	struct result r = { 0 };
	char id[CP_MAX_MSG_ID + 1], text[256];
	cp_real_t when = cp_real(-1);

	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(when.ms, -1);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, NULL));

	/* Answered: no deadline left. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(100)), 0);
	assert_true(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(when.ms, 100 + OCPP_DEFAULT_CALL_TIMEOUT_MS);
	/* A refused second CALL does not move it. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(900)),
	    -EBUSY);
	assert_true(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(when.ms, 100 + OCPP_DEFAULT_CALL_TIMEOUT_MS);
	sent_call_id(&fx->tx, id);
	snprintf(text, sizeof(text), "[3,\"%s\",{\"currentTime\":\"2026-11-28T15:00:00Z\"}]", id);
	feed(fx, text, 200);
	assert_int_equal(r.n, 1);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));

	/* Answered with a CALLERROR: none left either. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(300)), 0);
	sent_call_id(&fx->tx, id);
	snprintf(text, sizeof(text), "[4,\"%s\",\"InternalError\",\"\",{}]", id);
	feed(fx, text, 400);
	assert_int_equal(r.n, 2);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));

	/* Timed out, or the connection lost: none left. */
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(500)), 0);
	ocpp_rpc_tick(&fx->rpc, cp_real(500 + OCPP_DEFAULT_CALL_TIMEOUT_MS));
	assert_int_equal(r.n, 3);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(600)), 0);
	ocpp_rpc_reset(&fx->rpc);
	assert_int_equal(r.n, 4);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));

	/* A failed send arms nothing. */
	fx->tx.fail_with = -EIO;
	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(700)), -EIO);
	assert_false(ocpp_rpc_next_deadline(&fx->rpc, &when));
}

/* The callback may send the next CALL (the caller's queue pump). */
struct chain {
	ocpp_rpc *rpc;
	int n;
	int rc;
};

static void on_chain(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct chain *c = user;

	(void)err; (void)payload; (void)desc;
	c->n++;
	if (c->n < 3)
		c->rc = ocpp_rpc_call(c->rpc, "Heartbeat", NULL, on_chain, c, cp_real(0));
}

static void test_chain(void **state)
{
	struct fixture *fx = *state;
	struct chain c = { .rpc = &fx->rpc };

	assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_chain, &c, cp_real(0)), 0);
	ocpp_rpc_tick(&fx->rpc, cp_real(OCPP_DEFAULT_CALL_TIMEOUT_MS));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.rc, 0);
	assert_true(ocpp_rpc_busy(&fx->rpc));
	ocpp_rpc_reset(&fx->rpc);
	assert_int_equal(c.n, 2);
	assert_true(ocpp_rpc_busy(&fx->rpc));
	assert_int_equal(fx->tx.nsent, 3);
}

/* Message ids: unique, at most 36 characters. */
static void test_ids(void **state)
{
	struct fixture *fx = *state;
	static char ids[2000][CP_MAX_MSG_ID + 1];

	for (int i = 0; i < 2000; i++) {
		assert_int_equal(ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, NULL, NULL, cp_real(0)), 0);
		sent_call_id(&fx->tx, ids[i]);
		assert_true(strlen(ids[i]) <= CP_MAX_MSG_ID);
		ocpp_rpc_reset(&fx->rpc);
	}
	for (int i = 0; i < 2000; i++)
		for (int j = i + 1; j < 2000; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("id %s repeated", ids[i]);
}

/* 1 MB frames: a CALL is answered FormationViolation by id, the rest dropped. */
static void test_oversize(void **state)
{
	struct fixture *fx = *state;
	size_t len = 1024 * 1024;
	char *big = malloc(len);
	const char *head = "[2,\"huge\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"";

	assert_non_null(big);
	memset(big, 'A', len);
	memcpy(big, head, strlen(head));
	memcpy(big + len - 3, "\"}]", 3);
	cp_log_set_level(CP_LOG_DEBUG);		/* the frame log must cut it too */
	assert_int_equal(ocpp_rpc_on_text(&fx->rpc, big, len, cp_real(0)), -EMSGSIZE);
	cp_log_set_level(CP_LOG_ERROR);
	assert_int_equal(fx->tx.nsent, 1);
	assert_string_equal(last_sent(&fx->tx),
	    "[4,\"huge\",\"FormationViolation\",\"frame exceeds the 65536-byte limit\",{}]");

	big[1] = '3';
	assert_int_equal(ocpp_rpc_on_text(&fx->rpc, big, len, cp_real(0)), -EMSGSIZE);
	assert_int_equal(fx->tx.nsent, 1);

	/* The websocket layer's path: only a prefix is left. */
	ocpp_rpc_on_oversize(&fx->rpc, "[2,\"p1\",\"Data", 13);
	assert_int_equal(fx->tx.nsent, 2);
	assert_memory_equal(last_sent(&fx->tx), "[4,\"p1\",\"FormationViolation\"", 28);
	ocpp_rpc_on_oversize(&fx->rpc, "garbage", 7);
	ocpp_rpc_on_oversize(&fx->rpc, NULL, 0);
	assert_int_equal(fx->tx.nsent, 2);
	free(big);
}

/* A large reply that does not fit the session buffer still goes out whole. */
static int h_bigconf(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	cJSON *keys;
	char value[CP_MAX_CONFIG_VALUE + 1];

	(void)ctx; (void)req; (void)err; (void)desc; (void)dl;
	memset(value, 'v', CP_MAX_CONFIG_VALUE);
	value[CP_MAX_CONFIG_VALUE] = '\0';
	*resp = cJSON_CreateObject();
	keys = cJSON_AddArrayToObject(*resp, "configurationKey");
	for (int i = 0; i < CP_MAX_GETCONFIG_KEYS * 2; i++) {
		cJSON *k = cJSON_CreateObject();
		char name[32];
		snprintf(name, sizeof(name), "Key%d", i);
		cJSON_AddStringToObject(k, "key", name);
		cJSON_AddBoolToObject(k, "readonly", 0);
		cJSON_AddStringToObject(k, "value", value);
		cJSON_AddItemToArray(keys, k);
	}
	return 0;
}

static size_t big_len;
static char big_head[16];

static int big_send(void *tctx, const char *text, size_t len)
{
	(void)tctx;
	big_len = len;
	memcpy(big_head, text, sizeof(big_head) - 1);
	return 0;
}

static void test_big_reply(void **state)
{
	static const ocpp_action_row rows[] = { { .action = "GetConfiguration", .handler = h_bigconf } };
	static const ocpp_transport_ops ops = { .send = big_send };
	struct fixture *fx = *state;
	ocpp_rpc_config cfg = { .ops = &ops, .actions = rows, .nactions = 1 };

	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), 0);
	assert_int_equal(feed(fx, "[2,\"g\",\"GetConfiguration\",{}]", 0), 0);
	assert_true(big_len > CP_MAX_FRAME);
	assert_memory_equal(big_head, "[3,\"g\",{\"config", 15);
}

/* ------------------------------------------------------------------ fuzz */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
	/* xorshift64*: fixed seed, same frames on every run. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static const char *const seeds[] = {
	"[2,\"a1\",\"ChangeConfiguration\",{\"key\":\"HeartbeatInterval\",\"value\":\"300\"}]",
	"[2,\"a2\",\"Reset\",{\"type\":\"Hard\"}]",
	"[2,\"a3\",\"GetConfiguration\",{\"key\":[\"A\",\"B\"]}]",
	"[2,\"a4\",\"ClearCache\",{}]",
	"[2,\"a5\",\"SetChargingProfile\",{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,"
	    "\"stackLevel\":0,\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\","
	    "\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":16.5}]}}}]",
	"[3,\"%ID%\",{\"currentTime\":\"2026-11-28T15:00:00Z\"}]",
	"[4,\"%ID%\",\"GenericError\",\"x\",{}]",
	"[2,\"a6\",\"UnlockConnector\",{\"connectorId\":1}]",
	"[2,\"a7\",\"UpdateFirmware\",{\"location\":\"http://x/y\",\"retrieveDate\":\"2026-11-28T15:00:00+01:00\"}]",
};

static const char *const splice[] = {
	"[", "]", "{", "}", ",", ":", "\"", "\\", "null", "true", "-1e999", "1e400", "0.1",
	"\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[", "{\"a\":", "2", "3", "4", "\xff", "\xc3", " ",
};

/* Every frame the session sends must itself be a valid OCPP-J frame. */
static int check_send(void *tctx, const char *text, size_t len)
{
	ocpp_frame f;
	int *count = tctx;

	if (!utf8_ok(text, len))
		fail_msg("sent a frame that is not valid UTF-8: %.*s", (int)len, text);
	if (ocpp_frame_parse(text, len, &f) != 0)
		fail_msg("sent an invalid frame: %.*s", (int)len, text);
	if (f.type == OCPP_MSG_CALLRESULT || f.type == OCPP_MSG_CALLERROR || f.type == OCPP_MSG_CALL)
		(*count)++;
	ocpp_frame_free(&f);
	return 0;
}

static int fz_handler(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req; (void)err; (void)desc; (void)dl;
	*resp = cJSON_Parse("{\"status\":\"Accepted\"}");
	return 0;
}

static void test_fuzz(void **state)
{
	static const ocpp_action_row rows[] = {
		{ .action = "ChangeConfiguration", .handler = fz_handler }, { .action = "Reset", .handler = fz_handler },
		{ .action = "ClearCache", .handler = fz_handler }, { .action = "SetChargingProfile", .handler = fz_handler },
	};
	static const ocpp_transport_ops ops = { .send = check_send };
	struct fixture *fx = *state;
	int sent = 0;
	ocpp_rpc_config cfg = { .ops = &ops, .tctx = &sent, .actions = rows, .nactions = 4 };
	char buf[2048];
	struct result r = { 0 };
	int rounds = 5000, calls = 0;

	assert_int_equal(ocpp_rpc_init(&fx->rpc, &cfg), 0);
	for (int i = 0; i < rounds; i++) {
		const char *seed = seeds[rng() % (sizeof(seeds) / sizeof(seeds[0]))];
		char id[CP_MAX_MSG_ID + 1] = "none";
		size_t len = 0;
		int muts = 1 + (int)(rng() % 4);

		if (!ocpp_rpc_busy(&fx->rpc) &&
		    ocpp_rpc_call(&fx->rpc, "Heartbeat", NULL, on_result, &r, cp_real(i)) == 0)
			calls++;
		if (fx->rpc.out.active)
			strcpy(id, fx->rpc.out.id);
		/* Seed with the outstanding id substituted. */
		for (const char *p = seed; *p && len < sizeof(buf) - 64; p++) {
			if (strncmp(p, "%ID%", 4) == 0) {
				len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s", id);
				p += 3;
			} else {
				buf[len++] = *p;
			}
		}
		for (int m = 0; m < muts && (rng() % 8) != 0; m++) {
			size_t at = len ? rng() % len : 0;
			switch (rng() % 5) {
			case 0:	/* flip a byte */
				if (len)
					buf[at] = (char)(rng() & 0xff);
				break;
			case 1:	/* truncate */
				len = at;
				break;
			case 2: {	/* splice a token in */
				const char *s = splice[rng() % (sizeof(splice) / sizeof(splice[0]))];
				size_t sl = strlen(s);
				if (len + sl < sizeof(buf)) {
					memmove(buf + at + sl, buf + at, len - at);
					memcpy(buf + at, s, sl);
					len += sl;
				}
				break;
			}
			case 3:	/* delete a run */
				if (len) {
					size_t n = 1 + rng() % 8;
					if (at + n > len)
						n = len - at;
					memmove(buf + at, buf + at + n, len - at - n);
					len -= n;
				}
				break;
			default:	/* random bytes */
				for (size_t k = 0; k < 16 && len < sizeof(buf); k++)
					buf[len++] = (char)(rng() & 0xff);
				break;
			}
		}
		/* Exact-length heap copy: ASan sees any read past the end. */
		{
			char *copy = malloc(len ? len : 1);
			assert_non_null(copy);
			memcpy(copy, buf, len);
			ocpp_rpc_on_text(&fx->rpc, copy, len, cp_real(i));
			free(copy);
		}
		ocpp_rpc_tick(&fx->rpc, cp_real(i + (i % 7 == 0 ? 40000 : 0)));
		if (i % 97 == 0)
			ocpp_rpc_reset(&fx->rpc);
	}
	ocpp_rpc_reset(&fx->rpc);
	/* Every CALL we made ended exactly once. */
	assert_int_equal(r.n, calls);
	print_message("fuzz: %d frames, %d CALLs made, %d frames sent\n", rounds, calls, sent);
	/* The mutations leave a fair share of frames answerable. */
	assert_true(sent > calls + rounds / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inbound),
		cmocka_unit_test_setup_teardown(test_call_from_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_result, setup, teardown),
		cmocka_unit_test(test_call_replies),
		cmocka_unit_test_setup_teardown(test_call_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_configured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

