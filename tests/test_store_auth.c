/*
 * test_store_auth.c - the store's charging profiles, Local Authorization
 * List (full and differential updates, atomic on failure), Authorization
 * Cache, reservations and security log, against real SQLite files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cp_log.h"
#include "storage/store.h"
#include "storage/store_test.h"
#include "tests/store_fault.h"
#include "tests/store_fixture.h"

/* ---- profiles -------------------------------------------------------- */

struct prof_seen {
	int n;
	int ids[8];
	int connectors[8];
	char json[8][64];
};

static int prof_collect(void *ctx, int id, int connector, const char *json)
{
	struct prof_seen *s = ctx;
	s->ids[s->n] = id;
	s->connectors[s->n] = connector;
	snprintf(s->json[s->n], sizeof(s->json[0]), "%s", json);
	s->n++;
	return 0;
}

static void test_profiles(void **state)
{
	store *st = *state;
	struct prof_seen seen = { 0 };

	assert_int_equal(store_profile_put(st, 20, 1, "{\"v\":1}"), 0);
	assert_int_equal(store_profile_put(st, -3, 0, "{\"neg\":true}"), 0);
	assert_int_equal(store_profile_put(st, 5, 2, "{\"v\":5}"), 0);
	assert_int_equal(store_profile_put(st, 20, 2, "{\"v\":2}"), 0); /* same id replaces */
	assert_int_equal(store_profile_put(st, 6, -1, "{}"), -EINVAL);
	assert_int_equal(store_profile_put(st, 6, 0, NULL), -EINVAL);

	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_profile_foreach(st, prof_collect, &seen), 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.ids[0], -3);
	assert_int_equal(seen.ids[1], 5);
	assert_int_equal(seen.ids[2], 20);
	assert_int_equal(seen.connectors[2], 2);
	assert_string_equal(seen.json[2], "{\"v\":2}");

	assert_int_equal(store_profile_delete(st, 5), 0);
	assert_int_equal(store_profile_delete(st, 5), -ENOENT);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_profile_foreach(st, prof_collect, &seen), 0);
	assert_int_equal(seen.n, 2);

	assert_int_equal(store_profile_clear(st), 0);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_profile_foreach(st, prof_collect, &seen), 0);
	assert_int_equal(seen.n, 0);
}

/* ---- Local Authorization List and cache ------------------------------ */

static void test_list_full_and_differential(void **state)
{
	store *st = *state;
	store_auth_entry e;
	int version = -1, count = -1;
	const store_auth_entry full[] = {
		{ .id_tag = "AAA", .status = "Accepted" },
		{ .id_tag = "BBB", .status = "Blocked", .has_expiry = true, .expiry_utc = { 1900000000 } },
		{ .id_tag = "CCC", .status = "Accepted", .parent_id_tag = "GROUP" },
	};
	const store_auth_entry diff[] = {
		{ .id_tag = "bbb", .status = "Accepted" },	/* idTags are case-insensitive */
		{ .id_tag = "CCC", .remove = true },		/* idTagInfo absent: delete */
		{ .id_tag = "DDD", .status = "Expired" },
	};

	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 0);
	assert_int_equal(store_list_lookup(st, "AAA", &e), -ENOENT);

	assert_int_equal(store_list_replace(st, 3, full, 3, 10), 0);
	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 3);
	assert_int_equal(store_list_lookup(st, "bBb", &e), 0);
	assert_string_equal(e.status, "Blocked");
	assert_true(e.has_expiry);
	assert_int_equal(e.expiry_utc.s, 1900000000);
	assert_int_equal(store_list_lookup(st, "CCC", &e), 0);
	assert_string_equal(e.parent_id_tag, "GROUP");
	assert_false(e.has_expiry);

	assert_int_equal(store_list_update(st, 4, diff, 3, 10), 0);
	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 4);
	assert_int_equal(store_list_lookup(st, "BBB", &e), 0);
	assert_string_equal(e.status, "Accepted");
	assert_false(e.has_expiry);
	assert_int_equal(store_list_lookup(st, "CCC", &e), -ENOENT);
	assert_int_equal(store_list_lookup(st, "DDD", &e), 0);
	assert_int_equal(store_list_count(st, &count), 0);
	assert_int_equal(count, 3);

	/* A Full update replaces everything, and an empty one empties the list
	 * (GetLocalListVersion then still answers the new version). */
	assert_int_equal(store_list_replace(st, 5, full, 1, 10), 0);
	assert_int_equal(store_list_lookup(st, "DDD", &e), -ENOENT);
	assert_int_equal(store_list_replace(st, 6, NULL, 0, 10), 0);
	assert_int_equal(store_list_count(st, &count), 0);
	assert_int_equal(count, 0);
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 6);
}

static void test_list_failed_update_changes_nothing(void **state)
{
	store *st = *state;
	store_auth_entry e;
	int version, count;
	const store_auth_entry base[] = {
		{ .id_tag = "A", .status = "Accepted" },
		{ .id_tag = "B", .status = "Accepted" },
	};
	const store_auth_entry too_many[] = {
		{ .id_tag = "A", .remove = true },
		{ .id_tag = "C", .status = "Accepted" },
		{ .id_tag = "D", .status = "Accepted" },
	};
	const store_auth_entry bad_entry[] = {
		{ .id_tag = "A", .remove = true },
		{ .id_tag = "E", .status = "" },	/* no status and not a removal */
	};
	const store_auth_entry ok[] = {
		{ .id_tag = "A", .status = "Blocked" },
		{ .id_tag = "Z", .status = "Accepted" },
	};
	const store_auth_entry removal_in_full[] = { { .id_tag = "A", .remove = true } };

	assert_int_equal(store_list_replace(st, 1, base, 2, 2), 0);

	/* Would end with 3 entries, more than the 2 allowed. */
	assert_int_equal(store_list_update(st, 2, too_many, 3, 2), -E2BIG);
	assert_int_equal(store_list_update(st, 2, bad_entry, 2, 10), -EINVAL);
	assert_int_equal(store_list_replace(st, 2, too_many + 1, 2, 1), -E2BIG);
	assert_int_equal(store_list_replace(st, 2, removal_in_full, 1, 10), -EINVAL);

	/* A storage fault in the middle of the update: rolled back. */
	store_fault_arm(STORE_FAULT_IO, 0);
	assert_int_equal(store_list_update(st, 2, ok, 2, 10), -EIO);
	store_fault_arm(STORE_FAULT_NONE, 0);

	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 1);
	assert_int_equal(store_list_count(st, &count), 0);
	assert_int_equal(count, 2);
	assert_int_equal(store_list_lookup(st, "A", &e), 0);
	assert_string_equal(e.status, "Accepted");
	assert_int_equal(store_list_lookup(st, "Z", &e), -ENOENT);

	/* The same update goes through once the disk is healthy. */
	assert_int_equal(store_list_update(st, 2, ok, 2, 10), 0);
	assert_int_equal(store_list_lookup(st, "Z", &e), 0);
}

static void test_cache_put_lookup_evict_clear(void **state)
{
	store *st = *state;
	store_auth_entry e = { .status = "Accepted" };
	int count;

	assert_int_equal(store_cache_lookup(st, "X", &e), -ENOENT);
	/* Fill to the bound, then rewrite tag0: it becomes the most recent. */
	assert_int_equal(store_begin(st), 0);
	for (int i = 0; i < CP_MAX_AUTH_CACHE; i++) {
		snprintf(e.id_tag, sizeof(e.id_tag), "tag%d", i);
		assert_int_equal(store_cache_put(st, &e), 0);
	}
	snprintf(e.id_tag, sizeof(e.id_tag), "TAG0");
	snprintf(e.status, sizeof(e.status), "Blocked");
	assert_int_equal(store_cache_put(st, &e), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_cache_count(st, &count), 0);
	assert_int_equal(count, CP_MAX_AUTH_CACHE);

	/* Two new cards evict the two least recently written: tag1, tag2. */
	snprintf(e.status, sizeof(e.status), "Accepted");
	snprintf(e.id_tag, sizeof(e.id_tag), "new1");
	assert_int_equal(store_cache_put(st, &e), 0);
	snprintf(e.id_tag, sizeof(e.id_tag), "new2");
	assert_int_equal(store_cache_put(st, &e), 0);

	assert_int_equal(store_cache_count(st, &count), 0);
	assert_int_equal(count, CP_MAX_AUTH_CACHE);
	assert_int_equal(store_cache_lookup(st, "tag0", &e), 0);
	assert_string_equal(e.status, "Blocked");
	assert_string_equal(e.id_tag, "TAG0");
	assert_int_equal(store_cache_lookup(st, "tag1", &e), -ENOENT);
	assert_int_equal(store_cache_lookup(st, "tag2", &e), -ENOENT);
	assert_int_equal(store_cache_lookup(st, "tag3", &e), 0);
	assert_int_equal(store_cache_lookup(st, "new2", &e), 0);
	assert_int_equal(store_cache_lookup(st, "tag7", &e), 0);

	assert_int_equal(store_cache_delete(st, "tag7"), 0);
	assert_int_equal(store_cache_delete(st, "tag7"), -ENOENT);
	assert_int_equal(store_cache_clear(st), 0);
	assert_int_equal(store_cache_count(st, &count), 0);
	assert_int_equal(count, 0);
	e.id_tag[0] = '\0';
	assert_int_equal(store_cache_put(st, &e), -EINVAL);
}

/* ---- reservations ---------------------------------------------------- */

struct res_seen {
	int n;
	store_reservation r[4];
};

static int res_collect(void *ctx, const store_reservation *r)
{
	struct res_seen *s = ctx;
	s->r[s->n++] = *r;
	return 0;
}

static void test_reservations(void **state)
{
	store *st = *state;
	store_reservation r;
	struct res_seen seen = { 0 };
	const store_reservation r1 = { .id = 10, .connector = 1, .id_tag = "T1",
				       .parent_id_tag = "P", .expiry_utc = { 1000 } };
	const store_reservation r0 = { .id = 3, .connector = 0, .id_tag = "T0", .expiry_utc = { 2000 } };
	const store_reservation bad = { .id = 4, .connector = 0, .id_tag = "" };

	assert_int_equal(store_reservation_get(st, 10, &r), -ENOENT);
	assert_int_equal(store_reservation_put(st, &r1), 0);
	assert_int_equal(store_reservation_put(st, &r0), 0);
	assert_int_equal(store_reservation_put(st, &bad), -EINVAL);
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_reservation_get(st, 10, &r), 0);
	assert_int_equal(r.connector, 1);
	assert_string_equal(r.id_tag, "T1");
	assert_string_equal(r.parent_id_tag, "P");
	assert_int_equal(r.expiry_utc.s, 1000);

	/* Same id replaces (ReserveNow with a known reservationId). */
	store_reservation r1b = r1;
	r1b.expiry_utc.s = 5000;
	r1b.parent_id_tag[0] = '\0';
	assert_int_equal(store_reservation_put(st, &r1b), 0);
	assert_int_equal(store_reservation_foreach(st, res_collect, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.r[0].id, 3);
	assert_int_equal(seen.r[1].id, 10);
	assert_int_equal(seen.r[1].expiry_utc.s, 5000);
	assert_string_equal(seen.r[1].parent_id_tag, "");

	assert_int_equal(store_reservation_delete(st, 10), 0);
	assert_int_equal(store_reservation_delete(st, 10), -ENOENT);
}

/* ---- security log ----------------------------------------------------- */

struct sec_seen {
	int n;
	int64_t first_utc, last_utc;
	char last_type[STORE_SECLOG_TYPE_LEN];
	char last_info[STORE_SECLOG_INFO_LEN];
};

static int sec_collect(void *ctx, const store_seclog_event *ev)
{
	struct sec_seen *s = ctx;
	if (s->n++ == 0)
		s->first_utc = ev->utc.s;
	else
		assert_true(ev->utc.s >= s->last_utc);
	s->last_utc = ev->utc.s;
	snprintf(s->last_type, sizeof(s->last_type), "%s", ev->type);
	snprintf(s->last_info, sizeof(s->last_info), "%s", ev->tech_info);
	return 0;
}

static void test_seclog_rolls_and_filters_by_time(void **state)
{
	store *st = *state;
	struct sec_seen seen = { 0 };
	int count;
	char long_type[STORE_SECLOG_TYPE_LEN + 1];

	assert_int_equal(store_seclog_add(st, cp_utc(100), "FirmwareUpdated", "v1.2"), 0);
	assert_int_equal(store_seclog_add(st, cp_utc(200), "SettingSystemTime", NULL), 0);
	assert_int_equal(store_seclog_foreach(st, cp_utc(INT64_MIN), cp_utc(CP_UTC_NEVER), sec_collect, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.last_type, "SettingSystemTime");
	assert_string_equal(seen.last_info, "");
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_seclog_foreach(st, cp_utc(50), cp_utc(150), sec_collect, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.last_info, "v1.2");

	memset(long_type, 'x', sizeof(long_type) - 1);
	long_type[sizeof(long_type) - 1] = '\0';
	assert_int_equal(store_seclog_add(st, cp_utc(1), long_type, NULL), -EINVAL);
	assert_int_equal(store_seclog_add(st, cp_utc(1), "", NULL), -EINVAL);

	/* Past the bound the oldest events go. */
	assert_int_equal(store_begin(st), 0);
	for (int i = 0; i < CP_MAX_SECLOG; i++)
		assert_int_equal(store_seclog_add(st, cp_utc(1000 + i), "ResetOrReboot", NULL), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_seclog_count(st, &count), 0);
	assert_int_equal(count, CP_MAX_SECLOG);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_seclog_foreach(st, cp_utc(INT64_MIN), cp_utc(CP_UTC_NEVER), sec_collect, &seen), 0);
	assert_int_equal(seen.n, CP_MAX_SECLOG);
	assert_int_equal(seen.first_utc, 1000);
	assert_int_equal(seen.last_utc, 1000 + CP_MAX_SECLOG - 1);
}

/* ---- installed certificates ------------------------------------------ */

struct cert_seen {
	int n;
	int64_t ids[8];
	char types[8][STORE_CERT_TYPE_LEN];
};

static int cert_collect(void *ctx, int64_t id, const char *type, const char *pem)
{
	struct cert_seen *c = ctx;
	assert_true(pem[0] != '\0');
	if (c->n < 8) {
		c->ids[c->n] = id;
		snprintf(c->types[c->n], sizeof(c->types[0]), "%s", type);
	}
	c->n++;
	return 0;
}

static void test_certs_bounded_by_type_group(void **state)
{
	store *st = *state;
	static const char *const roots[] = { "CentralSystemRootCertificate", "ManufacturerRootCertificate", NULL };
	struct cert_seen seen = { 0 };
	int64_t a, b, again, c, d;
	int count;

	assert_int_equal(store_cert_add(st, roots[0], "PEM-A", roots, 2, &a), 0);
	assert_int_equal(store_cert_add(st, roots[1], "PEM-B", roots, 2, &b), 0);
	assert_true(b > a);
	/* The same text under the same type: not stored twice. */
	assert_int_equal(store_cert_add(st, roots[0], "PEM-A", roots, 2, &again), -EEXIST);
	assert_int_equal(again, a);
	/* Two roots of the group: full, whatever the type. */
	assert_int_equal(store_cert_add(st, roots[0], "PEM-C", roots, 2, &c), -E2BIG);
	assert_int_equal(store_cert_count(st, NULL, &count), 0);
	assert_int_equal(count, 2);
	/* The station's own certificate is outside the group and replaced whole. */
	assert_int_equal(store_cert_replace(st, "ChargePointCertificate", "CHAIN-1", &c), 0);
	assert_int_equal(store_cert_replace(st, "ChargePointCertificate", "CHAIN-2", &d), 0);
	assert_int_equal(store_cert_count(st, "ChargePointCertificate", &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(store_cert_foreach(st, NULL, cert_collect, &seen), 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.ids[2], d);
	assert_string_equal(seen.types[2], "ChargePointCertificate");
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_cert_foreach(st, roots[1], cert_collect, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.ids[0], b);
	/* Deleted ids are gone and never handed out again. */
	assert_int_equal(store_cert_delete(st, a), 0);
	assert_int_equal(store_cert_delete(st, a), -ENOENT);
	assert_int_equal(store_cert_add(st, roots[0], "PEM-A", roots, 2, &again), 0);
	assert_true(again > d);
	assert_int_equal(store_cert_add(st, "", "PEM", NULL, 0, NULL), -EINVAL);
	assert_int_equal(store_cert_add(st, roots[0], "", NULL, 0, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_profiles, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_full_and_differential, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_list_failed_update_changes_nothing, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cache_put_lookup_evict_clear, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reservations, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_seclog_rolls_and_filters_by_time, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_certs_bounded_by_type_group, store_fixture_setup, store_fixture_teardown),
	};

	return store_fixture_run("test_store_auth", tests, sizeof(tests) / sizeof(tests[0]));
}
