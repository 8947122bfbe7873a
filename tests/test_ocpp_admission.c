/* test_ocpp_admission.c - the admission rules of the action table, checked
 * once before any handler runs: connector ranges with each action's answer,
 * the registration status (OCPP 1.6 §4.2), rows checked at init. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admission),
		cmocka_unit_test(test_admission_after_schema),
		cmocka_unit_test(test_rejected_answers_nothing),
		cmocka_unit_test(test_admission_rows_checked),
	};

	cp_log_set_level(CP_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

