/*
 * test_resv_core.c - the pure part of reservations and SendLocalList
 * (station/auth/resv_core.c): ReserveNow's answers (OCPP 1.6 §5.13), who may use a
 * reserved connector, what a connector-0 reservation holds back, expiry, and
 * the reading of SendLocalList requests (§5.15).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "station/auth/authresv.h"

#define F ST_RC_FREE
#define B ST_RC_BUSY
#define X ST_RC_FAULTED
#define U ST_RC_UNAVAILABLE

static const cp_utc_t NOW = { 1000000 };

static store_reservation resv(int id, int connector, const char *tag, const char *parent,
    int64_t expiry)
{
	store_reservation r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.connector = connector;
	snprintf(r.id_tag, sizeof(r.id_tag), "%s", tag);
	snprintf(r.parent_id_tag, sizeof(r.parent_id_tag), "%s", parent ? parent : "");
	r.expiry_utc = cp_utc(expiry);
	return r;
}

/* A table from up to two reservations (id 0 = unused slot). */
struct held_resv {
	int id, connector;
	const char *tag, *parent;
};

static void fill(struct st_resv_table *t, const struct held_resv *h, int n)
{
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < n; i++)
		if (h[i].id)
			t->r[t->n++] = resv(h[i].id, h[i].connector, h[i].tag, h[i].parent, NOW.s + 3600);
}

/* ---- ReserveNow ---------------------------------------------------------- */

static const struct reserve_case {
	const char *name;
	int n_conn;
	enum st_resv_conn conn[3];		/* [1], [2] used */
	bool zero_unsupported, station_down;
	struct held_resv held[2];
	int id, connector;
	int64_t expiry_in;			/* seconds from NOW */
	enum st_resv_status want;
	int want_n;				/* reservations afterwards */
} reserve_cases[] = {
	{ .name = "free connector", .n_conn = 2, .conn = { 0, F, F }, .id = 1, .connector = 1,
	  .expiry_in = 60, .want = ST_RESV_ACCEPTED, .want_n = 1 },
	{ .name = "faulted connector", .n_conn = 2, .conn = { 0, X, F }, .id = 1, .connector = 1,
	  .expiry_in = 60, .want = ST_RESV_FAULTED },
	{ .name = "inoperative connector", .n_conn = 2, .conn = { 0, U, F }, .id = 1, .connector = 1,
	  .expiry_in = 60, .want = ST_RESV_UNAVAILABLE },
	{ .name = "EV plugged / transaction", .n_conn = 2, .conn = { 0, B, F }, .id = 1, .connector = 1,
	  .expiry_in = 60, .want = ST_RESV_OCCUPIED },
	{ .name = "charge point inoperative", .n_conn = 2, .conn = { 0, F, F }, .station_down = true,
	  .id = 1, .connector = 1, .expiry_in = 60, .want = ST_RESV_UNAVAILABLE },
	{ .name = "reserved for another reservation", .n_conn = 2, .conn = { 0, F, F },
	  .held = { { 7, 1, "A", NULL } }, .id = 1, .connector = 1, .expiry_in = 60,
	  .want = ST_RESV_OCCUPIED, .want_n = 1 },
	{ .name = "same id replaces", .n_conn = 2, .conn = { 0, F, F },
	  .held = { { 1, 1, "A", NULL } }, .id = 1, .connector = 1, .expiry_in = 60,
	  .want = ST_RESV_ACCEPTED, .want_n = 1 },
	{ .name = "same id moves to another connector", .n_conn = 2, .conn = { 0, F, F },
	  .held = { { 1, 1, "A", NULL } }, .id = 1, .connector = 2, .expiry_in = 60,
	  .want = ST_RESV_ACCEPTED, .want_n = 1 },
	{ .name = "no such connector", .n_conn = 2, .conn = { 0, F, F }, .id = 1, .connector = 3,
	  .expiry_in = 60, .want = ST_RESV_REJECTED },
	{ .name = "expiry already past", .n_conn = 2, .conn = { 0, F, F }, .id = 1, .connector = 1,
	  .expiry_in = 0, .want = ST_RESV_REJECTED },
	{ .name = "connector 0 unsupported", .n_conn = 2, .conn = { 0, F, F }, .zero_unsupported = true,
	  .id = 1, .connector = 0, .expiry_in = 60, .want = ST_RESV_REJECTED },
	{ .name = "connector 0 with a free connector", .n_conn = 2, .conn = { 0, B, F }, .id = 1,
	  .connector = 0, .expiry_in = 60, .want = ST_RESV_ACCEPTED, .want_n = 1 },
	{ .name = "connector 0, every connector busy", .n_conn = 2, .conn = { 0, B, B }, .id = 1,
	  .connector = 0, .expiry_in = 60, .want = ST_RESV_OCCUPIED },
	{ .name = "connector 0, every connector faulted", .n_conn = 2, .conn = { 0, X, X }, .id = 1,
	  .connector = 0, .expiry_in = 60, .want = ST_RESV_FAULTED },
	{ .name = "connector 0, faulted and inoperative", .n_conn = 2, .conn = { 0, X, U }, .id = 1,
	  .connector = 0, .expiry_in = 60, .want = ST_RESV_UNAVAILABLE },
	{ .name = "connector 0, charge point inoperative", .n_conn = 2, .conn = { 0, F, F },
	  .station_down = true, .id = 1, .connector = 0, .expiry_in = 60, .want = ST_RESV_UNAVAILABLE },
	{ .name = "connector 0, the only free one already held", .n_conn = 2, .conn = { 0, F, B },
	  .held = { { 7, 0, "A", NULL } }, .id = 1, .connector = 0, .expiry_in = 60,
	  .want = ST_RESV_OCCUPIED, .want_n = 1 },
	{ .name = "connector 0, the free one reserved specifically", .n_conn = 2, .conn = { 0, F, B },
	  .held = { { 7, 1, "A", NULL } }, .id = 1, .connector = 0, .expiry_in = 60,
	  .want = ST_RESV_OCCUPIED, .want_n = 1 },
	{ .name = "the last free connector is a connector-0 reservation's", .n_conn = 2,
	  .conn = { 0, F, B }, .held = { { 7, 0, "A", NULL } }, .id = 1, .connector = 1,
	  .expiry_in = 60, .want = ST_RESV_OCCUPIED, .want_n = 1 },
	{ .name = "a connector beside a connector-0 reservation", .n_conn = 2, .conn = { 0, F, F },
	  .held = { { 7, 0, "A", NULL } }, .id = 1, .connector = 1, .expiry_in = 60,
	  .want = ST_RESV_ACCEPTED, .want_n = 2 },
	{ .name = "replacement refused keeps the old one", .n_conn = 2, .conn = { 0, F, B },
	  .held = { { 1, 1, "A", NULL } }, .id = 1, .connector = 2, .expiry_in = 60,
	  .want = ST_RESV_OCCUPIED, .want_n = 1 },
};

static void test_reserve(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(reserve_cases) / sizeof(reserve_cases[0]); i++) {
		const struct reserve_case *c = &reserve_cases[i];
		struct st_resv_view v = { .n_conn = c->n_conn, .zero_supported = !c->zero_unsupported,
		    .station_unavailable = c->station_down };
		struct st_resv_table t, before;
		store_reservation r = resv(c->id, c->connector, "TAG", NULL, NOW.s + c->expiry_in);
		enum st_resv_status st;

		memcpy(v.conn, c->conn, sizeof(c->conn));
		fill(&t, c->held, 2);
		before = t;
		st = st_resv_reserve(&t, &v, &r, NOW);
		if (st != c->want || t.n != c->want_n)
			fail_msg("%s: got %s with %d reservations, want %s with %d", c->name,
			    st_resv_status_name(st), t.n, st_resv_status_name(c->want), c->want_n);
		if (st == ST_RESV_ACCEPTED) {
			int k = st_resv_find(&t, c->id);
			assert_true(k >= 0);
			assert_int_equal(t.r[k].connector, c->connector);
			assert_string_equal(t.r[k].id_tag, "TAG");
		} else {
			assert_memory_equal(&t, &before, sizeof(t));
		}
	}
}

/* ---- who may use a connector ----------------------------------------------- */

static const struct admit_case {
	const char *name;
	enum st_resv_conn conn[3];
	struct held_resv held[2];
	int connector;
	const char *tag, *parent;
	bool want;
	int want_id;
	bool want_maybe;			/* st_resv_may_admit */
} admit_cases[] = {
	{ .name = "no reservation", .conn = { 0, F, F }, .connector = 1, .tag = "Z",
	  .want = true, .want_id = -1, .want_maybe = true },
	{ .name = "the reserved idTag", .conn = { 0, F, F }, .held = { { 5, 1, "A", NULL } },
	  .connector = 1, .tag = "A", .want = true, .want_id = 5, .want_maybe = true },
	{ .name = "idTag compared case-insensitively", .conn = { 0, F, F },
	  .held = { { 5, 1, "abc", NULL } }, .connector = 1, .tag = "ABC", .want = true,
	  .want_id = 5, .want_maybe = true },
	{ .name = "another idTag", .conn = { 0, F, F }, .held = { { 5, 1, "A", NULL } },
	  .connector = 1, .tag = "Z", .want = false, .want_id = -1, .want_maybe = false },
	{ .name = "another idTag, other connector", .conn = { 0, F, F },
	  .held = { { 5, 1, "A", NULL } }, .connector = 2, .tag = "Z", .want = true,
	  .want_id = -1, .want_maybe = true },
	{ .name = "same parent", .conn = { 0, F, F }, .held = { { 5, 1, "A", "P" } },
	  .connector = 1, .tag = "C", .parent = "P", .want = true, .want_id = 5, .want_maybe = true },
	{ .name = "other parent", .conn = { 0, F, F }, .held = { { 5, 1, "A", "P" } },
	  .connector = 1, .tag = "C", .parent = "Q", .want = false, .want_id = -1, .want_maybe = true },
	{ .name = "the parent itself", .conn = { 0, F, F }, .held = { { 5, 1, "A", "P" } },
	  .connector = 1, .tag = "P", .want = true, .want_id = 5, .want_maybe = true },
	{ .name = "a card whose parent is the reserved idTag", .conn = { 0, F, F },
	  .held = { { 5, 1, "A", NULL } }, .connector = 1, .tag = "C", .parent = "A", .want = true,
	  .want_id = 5, .want_maybe = false },
	{ .name = "connector 0, two free: another idTag may", .conn = { 0, F, F },
	  .held = { { 9, 0, "A", NULL } }, .connector = 1, .tag = "Z", .want = true,
	  .want_id = -1, .want_maybe = true },
	{ .name = "connector 0, one free: another idTag may not", .conn = { 0, F, B },
	  .held = { { 9, 0, "A", NULL } }, .connector = 1, .tag = "Z", .want = false,
	  .want_id = -1, .want_maybe = false },
	{ .name = "connector 0, one free: the reserved idTag", .conn = { 0, F, B },
	  .held = { { 9, 0, "A", NULL } }, .connector = 1, .tag = "A", .want = true,
	  .want_id = 9, .want_maybe = true },
	{ .name = "connector 0, the reserved idTag ends it anywhere", .conn = { 0, F, F },
	  .held = { { 9, 0, "A", NULL } }, .connector = 2, .tag = "A", .want = true,
	  .want_id = 9, .want_maybe = true },
	{ .name = "connector 0 with a parent: maybe once known", .conn = { 0, F, B },
	  .held = { { 9, 0, "A", "P" } }, .connector = 1, .tag = "Z", .want = false,
	  .want_id = -1, .want_maybe = true },
	{ .name = "connector 0 and a specific one use both free", .conn = { 0, F, F },
	  .held = { { 9, 0, "A", NULL }, { 5, 2, "B", NULL } }, .connector = 1, .tag = "Z",
	  .want = false, .want_id = -1, .want_maybe = false },
};

static void test_admits(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(admit_cases) / sizeof(admit_cases[0]); i++) {
		const struct admit_case *c = &admit_cases[i];
		struct st_resv_view v = { .n_conn = 2, .zero_supported = true };
		struct st_resv_table t;
		int id = 1234;
		bool got, maybe;

		memcpy(v.conn, c->conn, sizeof(c->conn));
		fill(&t, c->held, 2);
		got = st_resv_admits(&t, &v, c->connector, c->tag, c->parent, &id);
		maybe = st_resv_may_admit(&t, &v, c->connector, c->tag);
		if (got != c->want || id != c->want_id || maybe != c->want_maybe)
			fail_msg("%s: admits %d id %d maybe %d, want %d id %d maybe %d", c->name,
			    got, id, maybe, c->want, c->want_id, c->want_maybe);
	}
}

/* ---- Reserved status -------------------------------------------------------- */

static const struct held_case {
	const char *name;
	enum st_resv_conn conn[3];
	struct held_resv held[2];
	bool want1, want2;
} held_cases[] = {
	{ .name = "none", .conn = { 0, F, F }, .want1 = false, .want2 = false },
	{ .name = "specific", .conn = { 0, F, F }, .held = { { 5, 2, "A", NULL } },
	  .want1 = false, .want2 = true },
	{ .name = "connector 0, two free: neither held", .conn = { 0, F, F },
	  .held = { { 9, 0, "A", NULL } }, .want1 = false, .want2 = false },
	{ .name = "connector 0, one free: that one held", .conn = { 0, B, F },
	  .held = { { 9, 0, "A", NULL } }, .want1 = false, .want2 = true },
	{ .name = "connector 0 beside a specific one", .conn = { 0, F, F },
	  .held = { { 9, 0, "A", NULL }, { 5, 2, "B", NULL } }, .want1 = true, .want2 = true },
	{ .name = "faulted connector not held", .conn = { 0, X, F },
	  .held = { { 9, 0, "A", NULL } }, .want1 = false, .want2 = true },
};

static void test_held(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(held_cases) / sizeof(held_cases[0]); i++) {
		const struct held_case *c = &held_cases[i];
		struct st_resv_view v = { .n_conn = 2, .zero_supported = true };
		struct st_resv_table t;
		bool h1, h2;

		memcpy(v.conn, c->conn, sizeof(c->conn));
		fill(&t, c->held, 2);
		h1 = st_resv_held(&t, &v, 1);
		h2 = st_resv_held(&t, &v, 2);
		if (h1 != c->want1 || h2 != c->want2)
			fail_msg("%s: held %d %d, want %d %d", c->name, h1, h2, c->want1, c->want2);
		assert_false(st_resv_held(&t, &v, 0));
		assert_false(st_resv_held(&t, &v, 3));
	}
}

/* ---- ending reservations ---------------------------------------------------- */

static void test_expire_and_drop(void **state)
{
	struct st_resv_table t = { 0 };
	int ids[ST_RESV_MAX];
	(void)state;

	t.r[t.n++] = resv(1, 1, "A", NULL, NOW.s + 10);
	t.r[t.n++] = resv(2, 0, "B", NULL, NOW.s + 5);
	assert_int_equal(st_resv_next_expiry(&t).s, NOW.s + 5);
	assert_int_equal(st_resv_expire(&t, cp_utc(NOW.s + 4), ids, ST_RESV_MAX), 0);
	/* Ends at expiryDate itself (§5.13: "when the time specified in
	 * expiryDate is reached"). */
	assert_int_equal(st_resv_expire(&t, cp_utc(NOW.s + 5), ids, ST_RESV_MAX), 1);
	assert_int_equal(ids[0], 2);
	assert_int_equal(t.n, 1);
	assert_int_equal(st_resv_next_expiry(&t).s, NOW.s + 10);

	t.r[t.n++] = resv(3, 0, "C", NULL, NOW.s + 50);
	assert_int_equal(st_resv_drop_connector(&t, 2, ids, ST_RESV_MAX), 0);
	assert_int_equal(st_resv_drop_connector(&t, 0, ids, ST_RESV_MAX), 1);
	assert_int_equal(ids[0], 3);
	assert_int_equal(st_resv_drop_connector(&t, 1, ids, ST_RESV_MAX), 1);
	assert_int_equal(ids[0], 1);
	assert_int_equal(t.n, 0);
	assert_int_equal(st_resv_next_expiry(&t).s, CP_UTC_NEVER);
	assert_int_equal(st_resv_remove(&t, 1), -ENOENT);
}

/* ---- SendLocalList ------------------------------------------------------------ */

static const struct llist_case {
	const char *name;
	const char *json;
	size_t cap;
	int want_rc;
	bool want_full;
	int want_version;
	size_t want_n;
} llist_cases[] = {
	{ .name = "Full", .cap = 4, .want_full = true, .want_version = 3, .want_n = 2,
	  .json = "{\"listVersion\":3,\"updateType\":\"Full\",\"localAuthorizationList\":["
		  "{\"idTag\":\"A\",\"idTagInfo\":{\"status\":\"Accepted\"}},"
		  "{\"idTag\":\"B\",\"idTagInfo\":{\"status\":\"Blocked\"}}]}" },
	{ .name = "Full without a list (empties it)", .cap = 4, .want_full = true, .want_version = 1,
	  .json = "{\"listVersion\":1,\"updateType\":\"Full\"}" },
	{ .name = "Full entry without idTagInfo", .cap = 4, .want_rc = -ENODATA,
	  .json = "{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":[{\"idTag\":\"A\"}]}" },
	{ .name = "Differential removal", .cap = 4, .want_version = 7, .want_n = 1,
	  .json = "{\"listVersion\":7,\"updateType\":\"Differential\",\"localAuthorizationList\":[{\"idTag\":\"A\"}]}" },
	{ .name = "more than SendLocalListMaxLength", .cap = 1, .want_rc = -E2BIG,
	  .json = "{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":["
		  "{\"idTag\":\"A\",\"idTagInfo\":{\"status\":\"Accepted\"}},"
		  "{\"idTag\":\"B\",\"idTagInfo\":{\"status\":\"Accepted\"}}]}" },
	{ .name = "an idTag twice (case-insensitive)", .cap = 4, .want_rc = -EINVAL,
	  .json = "{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":["
		  "{\"idTag\":\"abc\",\"idTagInfo\":{\"status\":\"Accepted\"}},"
		  "{\"idTag\":\"ABC\",\"idTagInfo\":{\"status\":\"Blocked\"}}]}" },
	{ .name = "negative listVersion", .cap = 4, .want_rc = -EINVAL,
	  .json = "{\"listVersion\":-1,\"updateType\":\"Full\"}" },
};

static void test_llist_parse(void **state)
{
	store_auth_entry e[4];
	(void)state;

	for (size_t i = 0; i < sizeof(llist_cases) / sizeof(llist_cases[0]); i++) {
		const struct llist_case *c = &llist_cases[i];
		cJSON *req = cJSON_Parse(c->json);
		struct st_llist_req lr;
		char why[128] = "";
		int rc;

		assert_non_null(req);
		rc = st_llist_parse(req, e, c->cap, &lr, why, sizeof(why));
		cJSON_Delete(req);
		if (rc != c->want_rc)
			fail_msg("%s: rc %d (%s), want %d", c->name, rc, why, c->want_rc);
		if (rc < 0) {
			assert_true(why[0] != '\0');
			continue;
		}
		assert_int_equal(lr.full, c->want_full);
		assert_int_equal(lr.version, c->want_version);
		assert_int_equal(lr.n, c->want_n);
	}
}

static void test_llist_entries(void **state)
{
	const char *json = "{\"listVersion\":2,\"updateType\":\"Differential\",\"localAuthorizationList\":["
	    "{\"idTag\":\"A\",\"idTagInfo\":{\"status\":\"Accepted\",\"expiryDate\":\"2030-01-02T03:04:05Z\","
	    "\"parentIdTag\":\"P\"}},{\"idTag\":\"B\"}]}";
	cJSON *req = cJSON_Parse(json);
	store_auth_entry e[2];
	struct st_llist_req lr;
	char why[128];
	cp_utc_t want;
	(void)state;

	assert_int_equal(st_llist_parse(req, e, 2, &lr, why, sizeof(why)), 0);
	cJSON_Delete(req);
	assert_int_equal(ocpp_time_parse("2030-01-02T03:04:05Z", &want), 0);
	assert_string_equal(e[0].id_tag, "A");
	assert_string_equal(e[0].status, "Accepted");
	assert_true(e[0].has_expiry);
	assert_int_equal(e[0].expiry_utc.s, want.s);
	assert_string_equal(e[0].parent_id_tag, "P");
	assert_false(e[0].remove);
	assert_string_equal(e[1].id_tag, "B");
	assert_true(e[1].remove);
}

static void test_entry_status(void **state)
{
	store_auth_entry e;
	(void)state;

	memset(&e, 0, sizeof(e));
	snprintf(e.status, sizeof(e.status), "Accepted");
	assert_string_equal(st_auth_entry_status(&e, NOW), "Accepted");
	e.has_expiry = true;
	e.expiry_utc = cp_utc(NOW.s + 1);
	assert_string_equal(st_auth_entry_status(&e, NOW), "Accepted");
	e.expiry_utc = NOW;
	assert_string_equal(st_auth_entry_status(&e, NOW), "Expired");
	snprintf(e.status, sizeof(e.status), "Blocked");
	assert_string_equal(st_auth_entry_status(&e, NOW), "Blocked");

	assert_int_equal(st_llist_reported_version(5, 0), 0);
	assert_int_equal(st_llist_reported_version(5, 3), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_admits),
		cmocka_unit_test(test_held),
		cmocka_unit_test(test_expire_and_drop),
		cmocka_unit_test(test_llist_parse),
		cmocka_unit_test(test_llist_entries),
		cmocka_unit_test(test_entry_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
