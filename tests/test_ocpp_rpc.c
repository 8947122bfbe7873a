/* test_ocpp_rpc.c - the RPC session over a fake transport: dispatch and the
 * checks before it, one outstanding CALL, timeouts, reply matching, reset,
 * and a few thousand mutated frames that must not crash it. */
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
#define ID128 ID36 ID36 ID36 "12345678901234567890"

/* ---------------------------------------------------------------- fakes */

/*
 * RFC 3629 well-formedness, written here independently of the code under
 * test: what a central system's websocket checks before it accepts a text
 * frame (RFC 6455 section 8.1).
 */
static bool utf8_ok(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			n = 2;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			n = 3;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			n = 4;
			cp = s[i] & 0x07;
		} else {
			return false;
		}
		if (i + n > len)
			return false;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

#define SENT_MAX 8

struct fake_tx {
	char sent[SENT_MAX][4096];
	size_t sent_len[SENT_MAX];
	int nsent;		/* total, the ring keeps the last SENT_MAX */
	int fail_with;		/* next send returns this if < 0 */
};

static int fake_send(void *tctx, const char *text, size_t len)
{
	struct fake_tx *t = tctx;
	int slot = t->nsent % SENT_MAX;

	if (t->fail_with < 0) {
		int r = t->fail_with;
		t->fail_with = 0;
		return r;
	}
	snprintf(t->sent[slot], sizeof(t->sent[slot]), "%.*s", (int)len, text);
	t->sent_len[slot] = len;
	t->nsent++;
	return 0;
}

static const char *last_sent(const struct fake_tx *t)
{
	return t->nsent ? t->sent[(t->nsent - 1) % SENT_MAX] : "";
}

static const ocpp_transport_ops fake_ops = { .send = fake_send };

struct app {
	int calls_change;
	int calls_clear;
	char last_key[64];
	ocpp_rpc *rpc;
	int nested_rc;		/* what ocpp_rpc_call returned inside a handler */
	int replied;
	ocpp_error replied_err;
	bool send_from_replied;
	int replied_call_rc;
};

static int h_change(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	struct app *a = ctx;

	(void)err; (void)desc; (void)dl;
	a->calls_change++;
	snprintf(a->last_key, sizeof(a->last_key), "%s", cJSON_GetObjectItem(req, "key")->valuestring);
	*resp = cJSON_CreateObject();
	cJSON_AddStringToObject(*resp, "status", "Accepted");
	return 0;
}

/* Refuses with a wire code and its own description. */
static int h_reset(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req;
	*resp = cJSON_CreateObject();	/* freed by the session on the error path */
	*err = OCPP_ERR_GENERIC;
	snprintf(desc, dl, "cannot reset now");
	return -EBUSY;
}

/* Fails without saying why: InternalError. */
static int h_unlock(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req; (void)resp; (void)desc; (void)dl;
	*err = OCPP_ERR_TIMEOUT;	/* a local code is not sent */
	return -EIO;
}

/* Answers with an invalid .conf: logged as our bug, sent anyway. */
static int h_getconf(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req; (void)err; (void)desc; (void)dl;
	*resp = cJSON_Parse("{\"bogus\":1}");
	return 0;
}

/* A handler bug: an array where the payload object belongs. */
static int h_array(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	(void)ctx; (void)req; (void)err; (void)desc; (void)dl;
	*resp = cJSON_CreateArray();
	return 0;
}

/* NULL response: sent as {}; also tries to send a CALL from inside. */
static int h_clear(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	struct app *a = ctx;

	(void)req; (void)resp; (void)err; (void)desc; (void)dl;
	a->calls_clear++;
	a->nested_rc = ocpp_rpc_call(a->rpc, "Heartbeat", NULL, NULL, NULL, cp_real(0));
	return 0;
}

static void on_replied(void *ctx, const char *action, ocpp_error err)
{
	struct app *a = ctx;

	(void)action;
	a->replied++;
	a->replied_err = err;
	if (a->send_from_replied)
		a->replied_call_rc = ocpp_rpc_call(a->rpc, "Heartbeat", NULL, NULL, NULL, cp_real(0));
}

static const ocpp_action_row table[] = {
	{ .action = "ChangeConfiguration", .handler = h_change },
	{ .action = "Reset", .handler = h_reset },
	{ .action = "UnlockConnector", .handler = h_unlock },
	{ .action = "GetConfiguration", .handler = h_getconf },
	{ .action = "ClearCache", .handler = h_clear },
	{ .action = "GetLocalListVersion", .handler = h_array },
};

struct result {
	int n;
	ocpp_error err;
	char payload[512];
	char desc[CP_MAX_ERROR_DESC];
};

static void on_result(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct result *r = user;
	char *p = payload ? cJSON_PrintUnformatted(payload) : NULL;

	r->n++;
	r->err = err;
	snprintf(r->payload, sizeof(r->payload), "%s", p ? p : "");
	snprintf(r->desc, sizeof(r->desc), "%s", desc);
	free(p);
}

struct fixture {
	struct fake_tx tx;
	struct app app;
	ocpp_rpc rpc;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	ocpp_rpc_config cfg = {
		.ops = &fake_ops, .tctx = &fx->tx, .actions = table,
		.nactions = sizeof(table) / sizeof(table[0]), .ctx = &fx->app,
		.replied = on_replied, .id_seed = 0xabcdef01,
	};

	if (fx == NULL)
		return -1;
	fx->app.rpc = &fx->rpc;
	if (ocpp_rpc_init(&fx->rpc, &cfg) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int feed(struct fixture *fx, const char *text, int64_t now)
{
	return ocpp_rpc_on_text(&fx->rpc, text, strlen(text), cp_real(now));
}

/* The id of the CALL just sent. */
static void sent_call_id(const struct fake_tx *t, char id[CP_MAX_MSG_ID + 1])
{
	ocpp_frame f;

	assert_int_equal(ocpp_frame_parse(last_sent(t), strlen(last_sent(t)), &f), 0);
	assert_int_equal(f.type, OCPP_MSG_CALL);
	strcpy(id, f.id);
	ocpp_frame_free(&f);
}

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

/* ---------------------------------------------------------------- admission */

struct admit_app {
	ocpp_admit_state st;
	int handled;		/* handler runs */
	int replied;
	ocpp_error replied_err;
};

static void admit_state(void *ctx, ocpp_admit_state *st)
{
	*st = ((struct admit_app *)ctx)->st;
}

static void admit_replied(void *ctx, const char *action, ocpp_error err)
{
	struct admit_app *a = ctx;

	(void)action;
	a->replied++;
	a->replied_err = err;
}

/* Marks its answer, so a reply shows whether the handler ran. */
static int h_admitted(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
{
	struct admit_app *a = ctx;

	(void)req; (void)err; (void)desc; (void)dl;
	a->handled++;
	*resp = cJSON_Parse("{\"status\":\"Accepted\"}");
	return 0;
}

static const ocpp_action_row admit_rows[] = {
	{ .action = "UnlockConnector", .handler = h_admitted, .conn = OCPP_CONN_SOCKET,
	  .conn_required = true, .conn_refusal = "NotSupported" },
	{ .action = "ChangeAvailability", .handler = h_admitted, .conn = OCPP_CONN_ANY,
	  .conn_required = true, .conn_refusal = "Rejected" },
	{ .action = "TriggerMessage", .handler = h_admitted, .conn = OCPP_CONN_ANY,
	  .conn_required = false, .conn_refusal = "Rejected" },
	{ .action = "RemoteStartTransaction", .handler = h_admitted, .conn = OCPP_CONN_SOCKET,
	  .conn_required = false, .conn_refusal = "Rejected", .pending_refusal = "Rejected" },
	{ .action = "RemoteStopTransaction", .handler = h_admitted, .pending_refusal = "Rejected" },
	{ .action = "GetConfiguration", .handler = h_admitted },
};

#define HANDLED "{\"status\":\"Accepted\"}"

struct admit_case {
	ocpp_reg reg;
	const char *action;
	const char *payload;
	const char *reply;	/* the payload answered, NULL: nothing sent */
	int handled;		/* the handler ran */
};

/* Two connectors.  Every rule of a row is checked before its handler, the
 * refusal is the row's, and the schema comes first. */
static const struct admit_case admit_cases[] = {
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":1}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":2}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":3}", "{\"status\":\"NotSupported\"}", 0 },
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":0}", "{\"status\":\"NotSupported\"}", 0 },
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":-1}", "{\"status\":\"NotSupported\"}", 0 },
	{ OCPP_REG_ACCEPTED, "UnlockConnector", "{\"connectorId\":9007199254740993}",
	  "{\"status\":\"NotSupported\"}", 0 },
	{ OCPP_REG_ACCEPTED, "ChangeAvailability", "{\"connectorId\":0,\"type\":\"Inoperative\"}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "ChangeAvailability", "{\"connectorId\":2,\"type\":\"Inoperative\"}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "ChangeAvailability", "{\"connectorId\":3,\"type\":\"Inoperative\"}",
	  "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_ACCEPTED, "ChangeAvailability", "{\"connectorId\":-1,\"type\":\"Inoperative\"}",
	  "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_ACCEPTED, "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":0}",
	  HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":3}",
	  "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_ACCEPTED, "RemoteStartTransaction", "{\"idTag\":\"T\"}", HANDLED, 1 },
	{ OCPP_REG_ACCEPTED, "RemoteStartTransaction", "{\"idTag\":\"T\",\"connectorId\":0}",
	  "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_ACCEPTED, "RemoteStopTransaction", "{\"transactionId\":1}", HANDLED, 1 },
	{ OCPP_REG_NONE, "RemoteStopTransaction", "{\"transactionId\":1}", HANDLED, 1 },
	/* OCPP 1.6 §4.2: not allowed while Pending; the rest is answered. */
	{ OCPP_REG_PENDING, "RemoteStopTransaction", "{\"transactionId\":1}", "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_PENDING, "RemoteStartTransaction", "{\"idTag\":\"T\",\"connectorId\":1}",
	  "{\"status\":\"Rejected\"}", 0 },
	{ OCPP_REG_PENDING, "GetConfiguration", "{}", HANDLED, 1 },
	{ OCPP_REG_PENDING, "UnlockConnector", "{\"connectorId\":1}", HANDLED, 1 },
	/* OCPP 1.6 §4.2: while Rejected, no answer at all. */
	{ OCPP_REG_REJECTED, "GetConfiguration", "{}", NULL, 0 },
	{ OCPP_REG_REJECTED, "UnlockConnector", "{\"connectorId\":3}", NULL, 0 },
	{ OCPP_REG_REJECTED, "MakeCoffee", "{}", NULL, 0 },
};

static void test_admission(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(admit_cases) / sizeof(admit_cases[0]); i++) {
		const struct admit_case *c = &admit_cases[i];
		struct fake_tx tx = { 0 };
		struct admit_app app = { .st = { .n_connectors = 2, .reg = c->reg } };
		ocpp_rpc_config cfg = {
			.ops = &fake_ops, .tctx = &tx, .actions = admit_rows,
			.nactions = sizeof(admit_rows) / sizeof(admit_rows[0]), .ctx = &app,
			.replied = admit_replied, .admit_state = admit_state,
		};
		ocpp_rpc *rpc = malloc(sizeof(*rpc));
		char frame[256], want[256];

		assert_non_null(rpc);
		assert_int_equal(ocpp_rpc_init(rpc, &cfg), 0);
		snprintf(frame, sizeof(frame), "[2,\"a%zu\",\"%s\",%s]", i, c->action, c->payload);
		assert_int_equal(ocpp_rpc_on_text(rpc, frame, strlen(frame), cp_real(0)), 0);
		if (c->reply == NULL) {
			if (tx.nsent != 0 || app.replied != 0)
				fail_msg("%s: answered %s", frame, last_sent(&tx));
		} else {
			snprintf(want, sizeof(want), "[3,\"a%zu\",%s]", i, c->reply);
			if (tx.nsent != 1 || strcmp(last_sent(&tx), want) != 0)
				fail_msg("%s: sent %s\n want %s", frame, last_sent(&tx), want);
			assert_int_equal(app.replied, 1);
			assert_int_equal(app.replied_err, OCPP_ERR_NONE);
		}
		if (app.handled != c->handled)
			fail_msg("%s: handler ran %d times, want %d", frame, app.handled, c->handled);
		free(rpc);
	}
}

/* While Rejected not even a malformed or an oversize CALL is answered
 * (OCPP 1.6 §4.2); the same frames are answered CALLERROR otherwise. */
static void test_rejected_answers_nothing(void **state)
{
	static const char malformed[] = "[2,\"r1\",\"Reset\"]";
	struct fake_tx tx = { 0 };
	struct admit_app app = { .st = { .n_connectors = 2, .reg = OCPP_REG_REJECTED } };
	ocpp_rpc_config cfg = {
		.ops = &fake_ops, .tctx = &tx, .actions = admit_rows,
		.nactions = sizeof(admit_rows) / sizeof(admit_rows[0]), .ctx = &app,
		.admit_state = admit_state,
	};
	ocpp_rpc *rpc = malloc(sizeof(*rpc));
	char *big = malloc(CP_MAX_FRAME + 64);
	size_t n;

	(void)state;
	assert_non_null(rpc);
	assert_non_null(big);
	n = (size_t)snprintf(big, CP_MAX_FRAME + 64, "[2,\"r2\",\"DataTransfer\",{\"vendorId\":\"");
	memset(big + n, 'x', CP_MAX_FRAME + 8 - n);
	n = CP_MAX_FRAME + 8;
	big[n] = '\0';
	assert_int_equal(ocpp_rpc_init(rpc, &cfg), 0);
	ocpp_rpc_on_text(rpc, malformed, strlen(malformed), cp_real(0));
	ocpp_rpc_on_text(rpc, big, n, cp_real(0));
	assert_int_equal(tx.nsent, 0);
	app.st.reg = OCPP_REG_PENDING;
	ocpp_rpc_on_text(rpc, malformed, strlen(malformed), cp_real(0));
	assert_memory_equal(last_sent(&tx), "[4,\"r1\",\"ProtocolError\",", sizeof("[4,\"r1\",\"ProtocolError\",") - 1);
	ocpp_rpc_on_text(rpc, big, n, cp_real(0));
	assert_memory_equal(last_sent(&tx), "[4,\"r2\",\"FormationViolation\",", sizeof("[4,\"r2\",\"FormationViolation\",") - 1);
	assert_int_equal(tx.nsent, 2);
	free(big);
	free(rpc);
}

/* The schema check comes before admission: a connectorId of the wrong type
 * is a TypeConstraintViolation, not a refusal. */
static void test_admission_after_schema(void **state)
{
	struct fake_tx tx = { 0 };
	struct admit_app app = { .st = { .n_connectors = 2, .reg = OCPP_REG_ACCEPTED } };
	ocpp_rpc_config cfg = {
		.ops = &fake_ops, .tctx = &tx, .actions = admit_rows,
		.nactions = sizeof(admit_rows) / sizeof(admit_rows[0]), .ctx = &app,
		.admit_state = admit_state,
	};
	ocpp_rpc *rpc = malloc(sizeof(*rpc));
	static const char frame[] = "[2,\"s1\",\"UnlockConnector\",{\"connectorId\":\"3\"}]";

	(void)state;
	assert_non_null(rpc);
	assert_int_equal(ocpp_rpc_init(rpc, &cfg), 0);
	ocpp_rpc_on_text(rpc, frame, strlen(frame), cp_real(0));
	assert_memory_equal(last_sent(&tx), "[4,\"s1\",\"TypeConstraintViolation\",", sizeof("[4,\"s1\",\"TypeConstraintViolation\",") - 1);
	assert_int_equal(app.handled, 0);
	free(rpc);
}

/* A row's rules must agree with the schema and answer what it allows. */
static void test_admission_rows_checked(void **state)
{
	static const ocpp_action_row no_field[] = { { .action = "GetConfiguration", .handler = h_admitted,
	    .conn = OCPP_CONN_ANY, .conn_refusal = "Rejected" } };
	static const ocpp_action_row not_required[] = { { .action = "TriggerMessage", .handler = h_admitted,
	    .conn = OCPP_CONN_ANY, .conn_required = true, .conn_refusal = "Rejected" } };
	static const ocpp_action_row required[] = { { .action = "UnlockConnector", .handler = h_admitted,
	    .conn = OCPP_CONN_SOCKET, .conn_required = false, .conn_refusal = "NotSupported" } };
	static const ocpp_action_row bad_refusal[] = { { .action = "UnlockConnector", .handler = h_admitted,
	    .conn = OCPP_CONN_SOCKET, .conn_required = true, .conn_refusal = "Rejected" } };
	static const ocpp_action_row no_refusal[] = { { .action = "UnlockConnector", .handler = h_admitted,
	    .conn = OCPP_CONN_SOCKET, .conn_required = true } };
	static const ocpp_action_row bad_pending[] = { { .action = "RemoteStopTransaction",
	    .handler = h_admitted, .pending_refusal = "Pending" } };
	static const ocpp_action_row bad_rule[] = { { .action = "UnlockConnector", .handler = h_admitted,
	    .conn = (ocpp_conn_rule)7, .conn_required = true, .conn_refusal = "NotSupported" } };
	static const struct { const ocpp_action_row *rows; const char *what; } bad[] = {
		{ no_field, "a connector rule for an action without connectorId" },
		{ not_required, "required where the schema has it optional" },
		{ required, "optional where the schema requires it" },
		{ bad_refusal, "a refusal Action.conf does not allow" },
		{ no_refusal, "no refusal" },
		{ bad_pending, "a Pending refusal Action.conf does not allow" },
		{ bad_rule, "no such rule" },
	};
	struct fake_tx tx = { 0 };
	struct admit_app app = { 0 };
	ocpp_rpc *rpc = malloc(sizeof(*rpc));
	ocpp_rpc_config cfg = { .ops = &fake_ops, .tctx = &tx, .ctx = &app, .nactions = 1,
	    .admit_state = admit_state };

	(void)state;
	assert_non_null(rpc);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.actions = bad[i].rows;
		if (ocpp_rpc_init(rpc, &cfg) != -EINVAL)
			fail_msg("a row with %s was accepted", bad[i].what);
	}
	/* Rules need the state they are checked against. */
	cfg.actions = admit_rows;
	cfg.nactions = sizeof(admit_rows) / sizeof(admit_rows[0]);
	cfg.admit_state = NULL;
	assert_int_equal(ocpp_rpc_init(rpc, &cfg), -EINVAL);
	cfg.admit_state = admit_state;
	assert_int_equal(ocpp_rpc_init(rpc, &cfg), 0);
	free(rpc);
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

/* fmt with its one "%s" replaced by id. */
static void subst_id(char *dst, size_t size, const char *fmt, const char *id)
{
	const char *at = strstr(fmt, "%s");

	assert_non_null(at);
	assert_true(strlen(fmt) + strlen(id) < size);
	memcpy(dst, fmt, (size_t)(at - fmt));
	strcpy(dst + (at - fmt), id);
	strcat(dst, at + 2);
}

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
		cmocka_unit_test_setup_teardown(test_utf8_descriptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_invalid_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_handler_desc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_payload_scrubbed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_logged_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_whole_frames, setup, teardown),
		cmocka_unit_test(test_admission),
		cmocka_unit_test(test_admission_after_schema),
		cmocka_unit_test(test_rejected_answers_nothing),
		cmocka_unit_test(test_admission_rows_checked),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
