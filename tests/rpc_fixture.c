/* rpc_fixture.c - see rpc_fixture.h. */
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

/* ---------------------------------------------------------------- fakes */

/*
 * RFC 3629 well-formedness, written here independently of the code under
 * test: what a central system's websocket checks before it accepts a text
 * frame (RFC 6455 section 8.1).
 */
bool utf8_ok(const char *text, size_t len)
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



int fake_send(void *tctx, const char *text, size_t len)
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

const char *last_sent(const struct fake_tx *t)
{
	return t->nsent ? t->sent[(t->nsent - 1) % SENT_MAX] : "";
}

const ocpp_transport_ops fake_ops = { .send = fake_send };


int h_change(void *ctx, const cJSON *req, cJSON **resp, ocpp_error *err, char *desc, size_t dl)
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

void on_replied(void *ctx, const char *action, ocpp_error err)
{
	struct app *a = ctx;

	(void)action;
	a->replied++;
	a->replied_err = err;
	if (a->send_from_replied)
		a->replied_call_rc = ocpp_rpc_call(a->rpc, "Heartbeat", NULL, NULL, NULL, cp_real(0));
}

const ocpp_action_row table[] = {
	{ .action = "ChangeConfiguration", .handler = h_change },
	{ .action = "Reset", .handler = h_reset },
	{ .action = "UnlockConnector", .handler = h_unlock },
	{ .action = "GetConfiguration", .handler = h_getconf },
	{ .action = "ClearCache", .handler = h_clear },
	{ .action = "GetLocalListVersion", .handler = h_array },
};


void on_result(void *user, ocpp_error err, const cJSON *payload, const char *desc)
{
	struct result *r = user;
	char *p = payload ? cJSON_PrintUnformatted(payload) : NULL;

	r->n++;
	r->err = err;
	snprintf(r->payload, sizeof(r->payload), "%s", p ? p : "");
	snprintf(r->desc, sizeof(r->desc), "%s", desc);
	free(p);
}


int setup(void **state)
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

int teardown(void **state)
{
	free(*state);
	return 0;
}

int feed(struct fixture *fx, const char *text, int64_t now)
{
	return ocpp_rpc_on_text(&fx->rpc, text, strlen(text), cp_real(now));
}

/* The id of the CALL just sent. */
void sent_call_id(const struct fake_tx *t, char id[CP_MAX_MSG_ID + 1])
{
	ocpp_frame f;

	assert_int_equal(ocpp_frame_parse(last_sent(t), strlen(last_sent(t)), &f), 0);
	assert_int_equal(f.type, OCPP_MSG_CALL);
	strcpy(id, f.id);
	ocpp_frame_free(&f);
}

/* fmt with its one "%s" replaced by id. */
void subst_id(char *dst, size_t size, const char *fmt, const char *id)
{
	const char *at = strstr(fmt, "%s");

	assert_non_null(at);
	assert_true(strlen(fmt) + strlen(id) < size);
	memcpy(dst, fmt, (size_t)(at - fmt));
	strcpy(dst + (at - fmt), id);
	strcat(dst, at + 2);
}
