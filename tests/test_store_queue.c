/*
 * test_store_queue.c - the queue bound policy, with the store built from
 * source at CP_MAX_QUEUE=8 (see storage/local.mk) so the bound is reached
 * in a handful of pushes: when full the oldest MeterValues is dropped,
 * never a StartTransaction or StopTransaction.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_log.h"
#include "storage/store.h"

_Static_assert(CP_MAX_QUEUE == 8, "this test is built with -DCP_MAX_QUEUE=8");

static char dir[64];
static char db[96];

static int setup(void **state)
{
	static int n;
	snprintf(db, sizeof(db), "%s/q%d.db", dir, ++n);
	store *st = NULL;
	int rc = store_open(&st, db);
	*state = st;
	return rc;
}

static int teardown(void **state)
{
	char p[128];
	store_close(*state);
	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	return 0;
}

/* One push and the result the policy must give. */
struct push {
	const char *action;
	const char *payload;
	int expect;
};

/* Drains the queue and compares it with the expected payloads, in order. */
static void expect_queue(store *st, const char *const *payloads, int n)
{
	static store_qmsg m;
	int count;

	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(store_queue_peek(st, &m), 0);
		assert_string_equal(m.payload, payloads[i]);
		assert_int_equal(store_queue_delete(st, m.seq), 0);
	}
	assert_int_equal(store_queue_peek(st, &m), -ENOENT);
}

static void run_pushes(store *st, const struct push *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t seq = -1;
		print_message("push %zu: %s %s\n", i, p[i].action, p[i].payload);
		assert_int_equal(store_queue_push(st, p[i].action, p[i].payload, 1, &seq), p[i].expect);
		if (p[i].expect >= 0)
			assert_true(seq > 0);
	}
}

static void test_full_queue_drops_oldest_meter_values(void **state)
{
	store *st = *state;
	static const struct push pushes[] = {
		{ "StartTransaction", "S1", 0 },
		{ "MeterValues", "M1", 0 },
		{ "MeterValues", "M2", 0 },
		{ "StopTransaction", "E1", 0 },
		{ "StartTransaction", "S2", 0 },
		{ "MeterValues", "M3", 0 },
		{ "MeterValues", "M4", 0 },
		{ "MeterValues", "M5", 0 },
		/* full (8): each push now drops the oldest MeterValues */
		{ "MeterValues", "M6", STORE_QUEUE_DROPPED },		/* drops M1 */
		{ "StopTransaction", "E2", STORE_QUEUE_DROPPED },	/* drops M2 */
		{ "StartTransaction", "S3", STORE_QUEUE_DROPPED },	/* drops M3 */
	};
	static const char *const after[] = { "S1", "E1", "S2", "M4", "M5", "M6", "E2", "S3" };

	run_pushes(st, pushes, sizeof(pushes) / sizeof(pushes[0]));
	expect_queue(st, after, 8);
}

static void test_full_of_start_stop_refuses_all_but_stop(void **state)
{
	store *st = *state;
	static const struct push pushes[] = {
		{ "StartTransaction", "S1", 0 },
		{ "StopTransaction", "E1", 0 },
		{ "StartTransaction", "S2", 0 },
		{ "StopTransaction", "E2", 0 },
		{ "StartTransaction", "S3", 0 },
		{ "StopTransaction", "E3", 0 },
		{ "StartTransaction", "S4", 0 },
		{ "MeterValues", "M1", 0 },
		/* full: M1 is the only one that may go */
		{ "MeterValues", "M2", STORE_QUEUE_DROPPED },	/* drops M1 */
		{ "MeterValues", "M3", STORE_QUEUE_DROPPED },	/* drops M2 */
		{ "StopTransaction", "E4", STORE_QUEUE_DROPPED },	/* drops M3 */
		/* only Start/Stop left: no new transaction, no meter values... */
		{ "MeterValues", "M4", -ENOBUFS },
		{ "StartTransaction", "S5", -ENOBUFS },
		/* ...but a Stop is never refused (bounded by the queued Starts) */
		{ "StopTransaction", "E5", 0 },
	};
	static const char *const after[] = { "S1", "E1", "S2", "E2", "S3", "E3", "S4", "E4", "E5" };

	run_pushes(st, pushes, sizeof(pushes) / sizeof(pushes[0]));
	expect_queue(st, after, 9);
}

static void test_drop_survives_reopen(void **state)
{
	store *st = *state;
	static const char *const after[] = { "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9" };

	for (int i = 1; i <= 9; i++) {
		char p[16];
		snprintf(p, sizeof(p), "M%d", i);
		assert_int_equal(store_queue_push(st, "MeterValues", p, -1, NULL),
				 i <= 8 ? 0 : STORE_QUEUE_DROPPED);
	}
	store_close(st);
	st = NULL;
	assert_int_equal(store_open(&st, db), 0);
	*state = st;
	expect_queue(st, after, 8);
}

/* Messages answered while their deletion could not be written are skipped by
 * peek_after and removed together later; a deferred attempt count is set
 * absolutely, so retrying it twice does not count twice. */
static void test_deferred_delete_and_attempts(void **state)
{
	store *st = *state;
	static store_qmsg m;
	int64_t seq[3];
	int count;

	assert_int_equal(store_queue_push(st, "StartTransaction", "{\"a\":1}", 1, &seq[0]), 0);
	assert_int_equal(store_queue_push(st, "MeterValues", "{\"a\":2}", 1, &seq[1]), 0);
	assert_int_equal(store_queue_push(st, "StopTransaction", "{\"a\":3}", 1, &seq[2]), 0);
	assert_int_equal(store_queue_peek_after(st, seq[1], &m), 0);
	assert_int_equal(m.seq, seq[2]);
	assert_string_equal(m.payload, "{\"a\":3}");
	assert_int_equal(store_queue_peek_after(st, seq[2], &m), -ENOENT);
	assert_int_equal(store_queue_delete_upto(st, seq[1]), 0);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(store_queue_peek(st, &m), 0);
	assert_int_equal(m.seq, seq[2]);
	assert_int_equal(store_queue_bump_to(st, seq[2], 2, cp_utc(1000)), 0);
	assert_int_equal(store_queue_bump_to(st, seq[2], 2, cp_utc(1000)), 0);
	assert_int_equal(store_queue_peek(st, &m), 0);
	assert_int_equal(m.attempts, 2);
	assert_int_equal(m.next_try_utc.s, 1000);
	assert_int_equal(store_queue_bump_to(st, seq[0], 1, cp_utc(5)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_queue_drops_oldest_meter_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_of_start_stop_refuses_all_but_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop_survives_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred_delete_and_attempts, setup, teardown),
	};

	snprintf(dir, sizeof(dir), "%s/test_store_queue.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return failed;
}
