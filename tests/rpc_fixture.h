/*
 * rpc_fixture.h - the RPC session over a fake transport, shared by the RPC
 * test programs: a transport that records what is sent (and fails on
 * demand), a small action table, and the set-up of one session.
 */
#ifndef TESTS_RPC_FIXTURE_H
#define TESTS_RPC_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ocpp/ocpp.h"

#define ID36 "123456789012345678901234567890123456"
#define ID128 ID36 ID36 ID36 "12345678901234567890"

#define SENT_MAX 8

struct fake_tx {
	char sent[SENT_MAX][4096];
	size_t sent_len[SENT_MAX];
	int nsent;		/* total, the ring keeps the last SENT_MAX */
	int fail_with;		/* next send returns this if < 0 */
};

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

struct result {
	int n;
	ocpp_error err;
	char payload[512];
	char desc[CP_MAX_ERROR_DESC];
};

struct fixture {
	struct fake_tx tx;
	struct app app;
	ocpp_rpc rpc;
};

/* RFC 3629 well-formedness, independent of the code under test. */
bool utf8_ok(const char *text, size_t len);
int fake_send(void *tctx, const char *text, size_t len);
const char *last_sent(const struct fake_tx *t);
extern const ocpp_transport_ops fake_ops;
/* ChangeConfiguration, Reset, UnlockConnector, GetConfiguration, ClearCache,
 * GetLocalListVersion: handlers that record what they were given. */
extern const ocpp_action_row table[6];
/* The ChangeConfiguration handler of that table (counts, records the key). */
int h_change(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl);
void on_replied(void *ctx, const char *action, ocpp_error err);
void on_result(void *user, ocpp_error err, const cJSON *payload, const char *desc);
/* cmocka setup / teardown: one session (struct fixture) in *state. */
int setup(void **state);
int teardown(void **state);
int feed(struct fixture *fx, const char *text, int64_t now);
/* fmt with its one "%s" replaced by id. */
void subst_id(char *dst, size_t size, const char *fmt, const char *id);
/* The id of the CALL just sent. */
void sent_call_id(const struct fake_tx *t, char id[CP_MAX_MSG_ID + 1]);

#endif
