/*
 * test_store.c - the SQLite store against real files in a temp directory:
 * opening, migrations, refusal of newer and corrupt files, configuration
 * and state, transactions, queue order, batches and storage faults injected
 * below SQLite (tests/store_fault.c).  Profiles, the Local List, the cache,
 * reservations and the security log are in test_store_auth.c.
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

static size_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, len);
	close(fd);
	assert_true(n > 0 && (size_t)n < len);
	return (size_t)n;
}

/* ---- open ------------------------------------------------------------ */

static void test_open_new_file_is_latest_version_in_wal_mode(void **state)
{
	store *st = *state;
	char wal[160];
	struct stat sb;

	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_config_set(st, "k", "v"), 0);
	snprintf(wal, sizeof(wal), "%s-wal", store_fixture_db);
	/* WAL mode: a committed write lives in the -wal file until checkpoint. */
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
}

static void test_open_rejects_bad_arguments(void **state)
{
	store *st = (store *)1;
	assert_int_equal(store_open(&st, ""), -EINVAL);
	assert_null(st);
	assert_int_equal(store_open(NULL, store_fixture_db), -EINVAL);
	/* A missing directory is named as such, not a permission problem. */
	assert_int_equal(store_open(&st, "/nonexistent-dir/x/y.db"), -ENOENT);
}

static void test_open_refuses_newer_schema_and_leaves_file(void **state)
{
	store *st = *state;
	assert_int_equal(store_config_set(st, "keep", "me"), 0);
	assert_int_equal(store_test_set_schema_version(st, STORE_SCHEMA_VERSION + 1), 0);
	store_close(st);
	*state = NULL;

	static char before[1 << 20], after[1 << 20];
	size_t n = read_file(store_fixture_db, before, sizeof(before));
	assert_int_equal(store_open(&st, store_fixture_db), -EPROTO);
	assert_null(st);
	assert_int_equal(read_file(store_fixture_db, after, sizeof(after)), n);
	assert_memory_equal(before, after, n);

	/* Still refused (not rewritten) on a second attempt; once the version
	 * is back, the data is intact. */
	assert_int_equal(store_open(&st, store_fixture_db), -EPROTO);
	assert_int_equal(store_test_open_at(&st, store_fixture_db, 1), -EPROTO);
}

static void write_file(const char *path, const void *data, size_t len, off_t at)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, at), (ssize_t)len);
	close(fd);
}

static void test_open_refuses_garbage_file_untouched(void **state)
{
	static const char junk[] = "this is not a database, it is a text file of 64 bytes or so.....";
	char p[160], back[sizeof(junk)];
	store *st = NULL;

	snprintf(p, sizeof(p), "%s/garbage.db", store_fixture_dir);
	write_file(p, junk, sizeof(junk), 0);
	assert_int_equal(store_open(&st, p), -EBADMSG);
	assert_null(st);
	int fd = open(p, O_RDONLY);
	assert_int_equal(read(fd, back, sizeof(back)), (ssize_t)sizeof(junk));
	close(fd);
	assert_memory_equal(back, junk, sizeof(junk));
	store_fixture_unlink_db(p);
}

/* Files that are SQLite but not ours are refused, not adopted: the test
 * writes them with SQLite directly. */
static void test_open_refuses_foreign_database(void **state)
{
	static const struct {
		const char *name;
		const char *sql;
	} cases[] = {
		{ .name = "other application", .sql = "CREATE TABLE photos(id INTEGER, jpeg BLOB)" },
		{ .name = "bad version", .sql = "CREATE TABLE schema_version(version);"
						"INSERT INTO schema_version VALUES('two')" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char p[128];
		sqlite3 *raw;
		store *st = NULL;

		print_message("foreign: %s\n", cases[i].name);
		snprintf(p, sizeof(p), "%s/foreign%zu.db", store_fixture_dir, i);
		assert_int_equal(sqlite3_open(p, &raw), SQLITE_OK);
		assert_int_equal(sqlite3_exec(raw, cases[i].sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(raw);
		static char before[1 << 16], after[1 << 16];
		size_t n_before = read_file(p, before, sizeof(before));
		assert_int_equal(store_open(&st, p), -EBADMSG);
		assert_null(st);
		/* Not even the journal mode in the header was changed. */
		assert_int_equal(read_file(p, after, sizeof(after)), n_before);
		assert_memory_equal(before, after, n_before);
		store_fixture_unlink_db(p);
	}
}

static void test_open_reports_corrupt_page(void **state)
{
	store *st = *state;
	char big[400];
	struct stat sb;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 200; i++) {
		char key[16];
		snprintf(key, sizeof(key), "k%03d", i);
		assert_int_equal(store_config_set(st, key, big), 0);
	}
	/* Closing the last connection checkpoints the WAL into the file. */
	store_close(st);
	*state = NULL;
	assert_int_equal(stat(store_fixture_db, &sb), 0);
	assert_true(sb.st_size > 8 * 4096);

	/* Scribble over a page in the middle of the config table. */
	char noise[4096];
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (char)(i * 7 + 3);
	write_file(store_fixture_db, noise, sizeof(noise), (sb.st_size / 4096 / 2) * 4096);
	stat(store_fixture_db, &sb);
	off_t size_before = sb.st_size;

	assert_int_equal(store_open(&st, store_fixture_db), -EBADMSG);
	assert_null(st);
	stat(store_fixture_db, &sb);
	assert_int_equal(sb.st_size, size_before);
}

/* ---- migrations ------------------------------------------------------ */

static void test_migrates_version_1_file_keeping_data(void **state)
{
	store *st = *state, *old = NULL;
	char buf[64];
	int64_t local_id, seq;
	store_qmsg *m = malloc(sizeof(*m));

	store_close(st);
	*state = NULL;
	store_fixture_unlink_db(store_fixture_db);

	assert_int_equal(store_test_open_at(&old, store_fixture_db, 1), 0);
	assert_int_equal(store_schema_version(old), 1);
	assert_int_equal(store_config_set(old, "HeartbeatInterval", "300"), 0);
	assert_int_equal(store_tx_begin(old, 1, "TAG1", 1000, cp_utc(1700000000), -1, &local_id), 0);
	assert_int_equal(store_queue_push(old, "StartTransaction", "{\"connectorId\":1}", local_id, &seq), 0);
	assert_int_equal(store_profile_put(old, 7, 0, "{\"chargingProfileId\":7}"), 0);
	store_close(old);

	assert_int_equal(store_open(&st, store_fixture_db), 0);
	*state = st;
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_config_get(st, "HeartbeatInterval", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "300");
	assert_int_equal(store_queue_peek(st, m), 0);
	assert_int_equal(m->seq, seq);
	assert_int_equal(m->tx_local_id, local_id);
	store_tx tx;
	assert_int_equal(store_tx_get(st, local_id, &tx), 0);
	assert_string_equal(tx.id_tag, "TAG1");
	/* The version 2 tables exist and work. */
	int version = -1;
	assert_int_equal(store_list_version(st, &version), 0);
	assert_int_equal(version, 0);
	store_reservation r = { .id = 1, .connector = 1, .id_tag = "X", .expiry_utc = { 5 } };
	assert_int_equal(store_reservation_put(st, &r), 0);
	/* ...and those of version 3. */
	assert_int_equal(store_seclog_add(st, cp_utc(1), "StartupOfTheDevice", NULL), 0);
	free(m);

	/* Reopening a current file migrates nothing and keeps everything. */
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_reservation_get(st, 1, &r), 0);
}

/* Every older version migrates to the latest, keeping what it held. */
static void test_migrates_from_every_old_version(void **state)
{
	store *st = *state;
	char buf[16];

	store_close(st);
	*state = NULL;
	for (int v = 1; v < STORE_SCHEMA_VERSION; v++) {
		store *old = NULL;
		char path[128];
		snprintf(path, sizeof(path), "%s/from%d.db", store_fixture_dir, v);
		assert_int_equal(store_test_open_at(&old, path, v), 0);
		assert_int_equal(store_schema_version(old), v);
		assert_int_equal(store_config_set(old, "from", "old"), 0);
		store_close(old);

		assert_int_equal(store_open(&st, path), 0);
		assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
		assert_int_equal(store_config_get(st, "from", buf, sizeof(buf)), 0);
		assert_string_equal(buf, "old");
		store_close(st);
		st = NULL;
		store_fixture_unlink_db(path);
	}
}

static void test_memory_database_for_tests(void **state)
{
	store *st = NULL;
	char buf[16];

	assert_int_equal(store_open(&st, ":memory:"), 0);
	assert_int_equal(store_config_set(st, "k", "v"), 0);
	assert_int_equal(store_config_get(st, "k", buf, sizeof(buf)), 0);
	assert_int_equal(store_queue_push(st, "MeterValues", "{}", -1, NULL), 0);
	store_close(st);
}

/* ---- config and state ------------------------------------------------ */

struct kv_seen {
	int n;
	char keys[8][STORE_MAX_KEY + 1];
	char values[8][32];
	int stop_after;
	store *delete_from;
};

static int kv_collect(void *ctx, const char *key, const char *value)
{
	struct kv_seen *s = ctx;
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	snprintf(s->values[s->n], sizeof(s->values[0]), "%s", value);
	s->n++;
	/* Deleting the current row during iteration must not disturb it. */
	if (s->delete_from)
		assert_int_equal(store_config_delete(s->delete_from, key), 0);
	return s->stop_after && s->n == s->stop_after ? 42 : 0;
}

static void test_config_set_get_delete(void **state)
{
	store *st = *state;
	char buf[CP_MAX_CONFIG_VALUE + 1], small[3];
	char long_value[CP_MAX_CONFIG_VALUE + 2];

	assert_int_equal(store_config_get(st, "MeterValueSampleInterval", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_config_set(st, "MeterValueSampleInterval", "60"), 0);
	assert_int_equal(store_config_get(st, "MeterValueSampleInterval", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "60");
	assert_int_equal(store_config_set(st, "MeterValueSampleInterval", "900"), 0);
	assert_int_equal(store_config_get(st, "MeterValueSampleInterval", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "900");
	/* Keys are exact: the registry canonicalises aliases. */
	assert_int_equal(store_config_get(st, "metervaluesampleinterval", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_config_get(st, "MeterValueSampleInterval", small, sizeof(small)), -ENOBUFS);
	assert_int_equal(store_config_set(st, "Empty", ""), 0);
	assert_int_equal(store_config_get(st, "Empty", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");

	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	assert_int_equal(store_config_set(st, "Long", long_value), -EINVAL);
	long_value[CP_MAX_CONFIG_VALUE] = '\0';
	assert_int_equal(store_config_set(st, "Long", long_value), 0);
	assert_int_equal(store_config_get(st, "Long", buf, sizeof(buf)), 0);
	assert_int_equal(strlen(buf), CP_MAX_CONFIG_VALUE);

	assert_int_equal(store_config_set(st, "", "x"), -EINVAL);
	assert_int_equal(store_config_set(st, NULL, "x"), -EINVAL);
	assert_int_equal(store_config_set(st, "k", NULL), -EINVAL);

	assert_int_equal(store_config_delete(st, "MeterValueSampleInterval"), 0);
	assert_int_equal(store_config_delete(st, "MeterValueSampleInterval"), -ENOENT);
	assert_int_equal(store_config_get(st, "MeterValueSampleInterval", buf, sizeof(buf)), -ENOENT);

	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_config_get(st, "Long", buf, sizeof(buf)), 0);
	assert_int_equal(strlen(buf), CP_MAX_CONFIG_VALUE);
}

static void test_config_foreach_in_key_order_and_stops(void **state)
{
	store *st = *state;
	struct kv_seen seen = { 0 };

	assert_int_equal(store_config_foreach(st, kv_collect, &seen), 0);
	assert_int_equal(seen.n, 0);

	assert_int_equal(store_config_set(st, "b", "2"), 0);
	assert_int_equal(store_config_set(st, "a", "1"), 0);
	assert_int_equal(store_config_set(st, "c", "3"), 0);
	assert_int_equal(store_config_foreach(st, kv_collect, &seen), 0);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.keys[0], "a");
	assert_string_equal(seen.values[0], "1");
	assert_string_equal(seen.keys[2], "c");
	assert_string_equal(seen.values[2], "3");

	memset(&seen, 0, sizeof(seen));
	seen.stop_after = 2;
	assert_int_equal(store_config_foreach(st, kv_collect, &seen), 42);
	assert_int_equal(seen.n, 2);

	memset(&seen, 0, sizeof(seen));
	seen.delete_from = st;
	assert_int_equal(store_config_foreach(st, kv_collect, &seen), 0);
	assert_int_equal(seen.n, 3);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_config_foreach(st, kv_collect, &seen), 0);
	assert_int_equal(seen.n, 0);
}

static void test_state_text_and_int(void **state)
{
	store *st = *state;
	char buf[64];
	int64_t v = 0;

	assert_int_equal(store_state_get_int(st, "boot_count", &v), -ENOENT);
	assert_int_equal(store_state_set_int(st, "boot_count", 41), 0);
	assert_int_equal(store_state_get_int(st, "boot_count", &v), 0);
	assert_int_equal(v, 41);
	assert_int_equal(store_state_set_int(st, "big", INT64_MIN), 0);
	assert_int_equal(store_state_get_int(st, "big", &v), 0);
	assert_true(v == INT64_MIN);

	assert_int_equal(store_state_set(st, "avail.1", "Inoperative"), 0);
	assert_int_equal(store_state_get(st, "avail.1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Inoperative");
	assert_int_equal(store_state_get_int(st, "avail.1", &v), -EINVAL);
	/* State and config are separate namespaces. */
	assert_int_equal(store_config_get(st, "avail.1", buf, sizeof(buf)), -ENOENT);

	assert_int_equal(store_state_delete(st, "avail.1"), 0);
	assert_int_equal(store_state_delete(st, "avail.1"), -ENOENT);

	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_state_get_int(st, "boot_count", &v), 0);
	assert_int_equal(v, 41);
}

/* ---- transactions ---------------------------------------------------- */

static void test_tx_lifecycle(void **state)
{
	store *st = *state;
	store_tx tx;
	int64_t id;

	assert_int_equal(store_tx_begin(st, 2, "CARD-1", 12345, cp_utc(1000), 77, &id), 0);
	assert_int_equal(store_tx_get(st, id, &tx), 0);
	assert_int_equal(tx.local_id, id);
	assert_int_equal(tx.connector, 2);
	assert_string_equal(tx.id_tag, "CARD-1");
	assert_int_equal(tx.meter_start_wh, 12345);
	assert_int_equal(tx.start_utc.s, 1000);
	assert_int_equal(tx.reservation_id, 77);
	assert_false(tx.has_transaction_id);
	assert_false(tx.ended);
	assert_int_equal(tx.meter_last_wh, 12345);

	assert_int_equal(store_tx_find_remote(st, 9001, &tx), -ENOENT);
	assert_int_equal(store_tx_set_remote_id(st, id, 9001), 0);
	assert_int_equal(store_tx_find_remote(st, 9001, &tx), 0);
	assert_int_equal(tx.local_id, id);
	assert_true(tx.has_transaction_id);
	assert_int_equal(tx.transaction_id, 9001);

	assert_int_equal(store_tx_update_meter(st, id, 13000, cp_utc(1060)), 0);
	assert_int_equal(store_tx_get_open_by_connector(st, 2, &tx), 0);
	assert_int_equal(tx.meter_last_wh, 13000);
	assert_int_equal(tx.meter_last_utc.s, 1060);
	assert_int_equal(store_tx_get_open_by_connector(st, 1, &tx), -ENOENT);

	assert_int_equal(store_tx_end(st, id, 14000, cp_utc(1200), "EVDisconnected", "CARD-1"), 0);
	assert_int_equal(store_tx_end(st, id, 14001, cp_utc(1201), "Local", NULL), -EALREADY);
	assert_int_equal(store_tx_get(st, id, &tx), 0);
	assert_true(tx.ended);
	assert_int_equal(tx.meter_stop_wh, 14000);
	assert_int_equal(tx.stop_utc.s, 1200);
	assert_string_equal(tx.reason, "EVDisconnected");
	assert_string_equal(tx.stop_id_tag, "CARD-1");
	assert_int_equal(store_tx_get_open_by_connector(st, 2, &tx), -ENOENT);

	assert_int_equal(store_tx_delete(st, id), 0);
	assert_int_equal(store_tx_get(st, id, &tx), -ENOENT);
	assert_int_equal(store_tx_delete(st, id), -ENOENT);
	assert_int_equal(store_tx_end(st, id, 1, cp_utc(1), NULL, NULL), -ENOENT);
	assert_int_equal(store_tx_set_remote_id(st, id, 1), -ENOENT);
	assert_int_equal(store_tx_update_meter(st, id, 1, cp_utc(1)), -ENOENT);

	/* A local id is never reused, even after the newest was deleted,
	 * because queued messages may still name it. */
	int64_t id2;
	assert_int_equal(store_tx_begin(st, 1, "CARD-2", 0, cp_utc(2000), -1, &id2), 0);
	assert_true(id2 > id);
	assert_int_equal(store_tx_get(st, id2, &tx), 0);
	assert_int_equal(tx.reservation_id, -1);
	assert_string_equal(tx.reason, "");
	assert_string_equal(tx.stop_id_tag, "");

	char long_tag[CP_MAX_ID_TAG + 2];
	memset(long_tag, 'T', sizeof(long_tag) - 1);
	long_tag[sizeof(long_tag) - 1] = '\0';
	assert_int_equal(store_tx_begin(st, 1, long_tag, 0, cp_utc(0), -1, &id2), -EINVAL);
	assert_int_equal(store_tx_begin(st, 1, NULL, 0, cp_utc(0), -1, &id2), -EINVAL);
}

struct tx_seen {
	int n;
	int64_t ids[8];
	store *end_in;
};

static int tx_collect(void *ctx, const store_tx *tx)
{
	struct tx_seen *s = ctx;
	s->ids[s->n++] = tx->local_id;
	/* What the daemon does after a crash: stop it with PowerLoss at the
	 * last persisted reading, from inside the iteration. */
	if (s->end_in)
		assert_int_equal(store_tx_end(s->end_in, tx->local_id, tx->meter_last_wh,
					      tx->meter_last_utc, "PowerLoss", NULL), 0);
	return 0;
}

/* The OCPP 1.6 schema bounds transactionId only as "integer": an id beyond
 * 32 bits is stored, found and read back exactly, also after a reopen. */
static void test_tx_remote_id_64bit(void **state)
{
	store *st = *state;
	const int64_t big = INT64_C(3000000000), neg = -INT64_C(3000000000);
	store_tx tx;
	int64_t id, id2;

	assert_int_equal(store_tx_begin(st, 1, "CARD-64", 0, cp_utc(1000), -1, &id), 0);
	assert_int_equal(store_tx_begin(st, 2, "CARD-NEG", 0, cp_utc(1000), -1, &id2), 0);
	assert_int_equal(store_tx_set_remote_id(st, id, big), 0);
	assert_int_equal(store_tx_set_remote_id(st, id2, neg), 0);
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_tx_get(st, id, &tx), 0);
	assert_true(tx.has_transaction_id);
	assert_true(tx.transaction_id == big);
	assert_int_equal(store_tx_find_remote(st, big, &tx), 0);
	assert_true(tx.local_id == id);
	assert_int_equal(store_tx_find_remote(st, neg, &tx), 0);
	assert_true(tx.local_id == id2);
	assert_true(tx.transaction_id == neg);
	/* Its 32-bit wrap is another id. */
	assert_int_equal(store_tx_find_remote(st, (int64_t)INT32_MIN, &tx), -ENOENT);
	assert_int_equal(store_tx_find_remote(st, big - (INT64_C(1) << 32), &tx), -ENOENT);
}

static void test_tx_open_foreach_after_restart_and_prune(void **state)
{
	store *st = *state;
	int64_t a, b, c;
	struct tx_seen seen = { 0 };
	store_tx tx;
	int deleted = -1;

	assert_int_equal(store_tx_begin(st, 1, "A", 100, cp_utc(10), -1, &a), 0);
	assert_int_equal(store_tx_begin(st, 2, "B", 200, cp_utc(20), -1, &b), 0);
	assert_int_equal(store_tx_end(st, a, 150, cp_utc(30), NULL, NULL), 0);
	assert_int_equal(store_tx_begin(st, 1, "C", 150, cp_utc(40), -1, &c), 0);
	assert_int_equal(store_tx_update_meter(st, b, 260, cp_utc(50)), 0);
	assert_int_equal(store_queue_push(st, "StopTransaction", "{}", a, NULL), 0);

	st = store_fixture_reopen(st);
	*state = st;
	seen.end_in = st;
	assert_int_equal(store_tx_open_foreach(st, tx_collect, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.ids[0], b);
	assert_int_equal(seen.ids[1], c);
	assert_int_equal(store_tx_get(st, b, &tx), 0);
	assert_string_equal(tx.reason, "PowerLoss");
	assert_int_equal(tx.meter_stop_wh, 260);
	assert_int_equal(tx.stop_utc.s, 50);

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_tx_open_foreach(st, tx_collect, &seen), 0);
	assert_int_equal(seen.n, 0);

	/* a is still referenced by a queued StopTransaction: kept. */
	assert_int_equal(store_tx_prune(st, &deleted), 0);
	assert_int_equal(deleted, 2);
	assert_int_equal(store_tx_get(st, a, &tx), 0);
	assert_int_equal(store_tx_get(st, b, &tx), -ENOENT);
}

/* ---- queue ----------------------------------------------------------- */

static void test_queue_fifo_across_reopen(void **state)
{
	store *st = *state;
	static store_qmsg m;
	int64_t seq[5];
	int count = -1;
	static const char *const actions[5] = {
		"StartTransaction", "MeterValues", "MeterValues", "StopTransaction", "StartTransaction",
	};

	assert_int_equal(store_queue_peek(st, &m), -ENOENT);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 0);
	for (int i = 0; i < 5; i++) {
		char payload[64];
		snprintf(payload, sizeof(payload), "{\"n\":%d}", i);
		assert_int_equal(store_queue_push(st, actions[i], payload, i == 4 ? -1 : 3, &seq[i]), 0);
		if (i)
			assert_true(seq[i] > seq[i - 1]);
	}
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 5);

	/* A failed attempt does not reorder: the head stays the head. */
	assert_int_equal(store_queue_bump_attempt(st, seq[0], cp_utc(5000)), 0);
	assert_int_equal(store_queue_bump_attempt(st, seq[0], cp_utc(6000)), 0);
	assert_int_equal(store_queue_peek(st, &m), 0);
	assert_int_equal(m.seq, seq[0]);
	assert_int_equal(m.attempts, 2);
	assert_int_equal(m.next_try_utc.s, 6000);

	for (int i = 0; i < 5; i++) {
		char payload[64];
		snprintf(payload, sizeof(payload), "{\"n\":%d}", i);
		assert_int_equal(store_queue_peek(st, &m), 0);
		assert_int_equal(m.seq, seq[i]);
		assert_string_equal(m.action, actions[i]);
		assert_string_equal(m.payload, payload);
		assert_int_equal(m.payload_len, strlen(payload));
		assert_int_equal(m.tx_local_id, i == 4 ? -1 : 3);
		assert_int_equal(store_queue_delete(st, m.seq), 0);
	}
	assert_int_equal(store_queue_peek(st, &m), -ENOENT);
	assert_int_equal(store_queue_delete(st, seq[0]), -ENOENT);
	assert_int_equal(store_queue_bump_attempt(st, seq[0], cp_utc(1)), -ENOENT);

	/* Sequence numbers keep growing after the queue drained. */
	int64_t next;
	assert_int_equal(store_queue_push(st, "MeterValues", "{}", -1, &next), 0);
	assert_true(next > seq[4]);
}

static void test_queue_rejects_bad_messages(void **state)
{
	store *st = *state;
	char *big = malloc(STORE_MAX_PAYLOAD + 2);
	int count;

	memset(big, ' ', STORE_MAX_PAYLOAD + 1);
	big[0] = '{';
	big[STORE_MAX_PAYLOAD] = '}';
	big[STORE_MAX_PAYLOAD + 1] = '\0';
	assert_int_equal(store_queue_push(st, "MeterValues", big, -1, NULL), -EINVAL);
	big[STORE_MAX_PAYLOAD - 1] = '}';
	big[STORE_MAX_PAYLOAD] = '\0';
	assert_int_equal(store_queue_push(st, "MeterValues", big, -1, NULL), 0);
	assert_int_equal(store_queue_push(st, "", "{}", -1, NULL), -EINVAL);
	assert_int_equal(store_queue_push(st, NULL, "{}", -1, NULL), -EINVAL);
	assert_int_equal(store_queue_push(st, "MeterValues", NULL, -1, NULL), -EINVAL);
	assert_int_equal(store_queue_push(st, "AnActionNameLongerThanThirtyTwoCharacters", "{}", -1, NULL), -EINVAL);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 1);

	store_qmsg *m = malloc(sizeof(*m));
	assert_int_equal(store_queue_peek(st, m), 0);
	assert_int_equal(m->payload_len, STORE_MAX_PAYLOAD);
	free(m);
	free(big);
}

/* ---- queue per transaction ------------------------------------------ */

static void test_queue_delete_tx(void **state)
{
	store *st = *state;
	static store_qmsg m;
	int deleted = -1;

	assert_int_equal(store_queue_push(st, "StartTransaction", "{\"a\":1}", 1, NULL), 0);
	assert_int_equal(store_queue_push(st, "StartTransaction", "{\"b\":1}", 2, NULL), 0);
	assert_int_equal(store_queue_push(st, "MeterValues", "{\"a\":2}", 1, NULL), 0);
	assert_int_equal(store_queue_push(st, "StopTransaction", "{\"a\":3}", 1, NULL), 0);
	assert_int_equal(store_queue_delete_tx(st, 1, &deleted), 0);
	assert_int_equal(deleted, 3);
	assert_int_equal(store_queue_peek(st, &m), 0);
	assert_string_equal(m.payload, "{\"b\":1}");
	assert_int_equal(store_queue_delete_tx(st, 1, &deleted), 0);
	assert_int_equal(deleted, 0);
}

/* ---- batches and faults ---------------------------------------------- */

static void test_batch_commit_and_rollback(void **state)
{
	store *st = *state;
	char buf[16];
	int count;

	assert_int_equal(store_commit(st), -EINVAL);
	assert_int_equal(store_rollback(st), -EINVAL);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), -EBUSY);
	assert_int_equal(store_config_set(st, "a", "1"), 0);
	assert_int_equal(store_queue_push(st, "MeterValues", "{}", -1, NULL), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(store_config_get(st, "a", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 0);

	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_config_set(st, "a", "1"), 0);
	assert_int_equal(store_queue_push(st, "MeterValues", "{}", -1, NULL), 0);
	assert_int_equal(store_commit(st), 0);
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_config_get(st, "a", buf, sizeof(buf)), 0);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 1);
}

struct fault_case {
	const char *name;
	enum store_fault fault;
	int expect;
};

static void test_faults_come_back_as_errors(void **state)
{
	store *st = *state;
	static const struct fault_case cases[] = {
		{ .name = "disk full", .fault = STORE_FAULT_FULL, .expect = -ENOSPC },
		{ .name = "I/O error", .fault = STORE_FAULT_IO, .expect = -EIO },
	};
	char buf[16];
	int count;
	int64_t id;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fault_case *c = &cases[i];
		print_message("fault: %s\n", c->name);
		store_fault_arm(c->fault, 0);
		assert_int_equal(store_queue_push(st, "StartTransaction", "{}", -1, NULL), c->expect);
		/* A new value each round: rewriting an identical row writes nothing. */
		assert_int_equal(store_config_set(st, "k", c->name), c->expect);
		assert_int_equal(store_tx_begin(st, 1, "T", 0, cp_utc(0), -1, &id), c->expect);
		store_fault_arm(STORE_FAULT_NONE, 0);

		/* Nothing half-written, and the store works again afterwards. */
		assert_int_equal(store_queue_count(st, &count), 0);
		assert_int_equal(count, (int)i);
		assert_int_equal(store_config_get(st, "k", buf, sizeof(buf)), i ? 0 : -ENOENT);
		assert_int_equal(store_queue_push(st, "StartTransaction", "{}", -1, NULL), 0);
		assert_int_equal(store_config_set(st, "k", c->name), 0);
	}

	/* A fault inside a batch: the commit fails and nothing of it stays. */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_config_set(st, "batch", "1"), 0);
	store_fault_arm(STORE_FAULT_IO, 0);
	assert_true(store_commit(st) < 0);
	store_fault_arm(STORE_FAULT_NONE, 0);
	st = store_fixture_reopen(st);
	*state = st;
	assert_int_equal(store_config_get(st, "batch", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(store_queue_count(st, &count), 0);
	assert_int_equal(count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_new_file_is_latest_version_in_wal_mode, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_rejects_bad_arguments, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_newer_schema_and_leaves_file, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_garbage_file_untouched, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_foreign_database, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_reports_corrupt_page, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_migrates_version_1_file_keeping_data, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_migrates_from_every_old_version, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_memory_database_for_tests, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_config_set_get_delete, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_config_foreach_in_key_order_and_stops, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_state_text_and_int, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tx_lifecycle, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tx_remote_id_64bit, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_tx_open_foreach_after_restart_and_prune, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_queue_fifo_across_reopen, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_queue_rejects_bad_messages, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_queue_delete_tx, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_batch_commit_and_rollback, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_faults_come_back_as_errors, store_fixture_setup, store_fixture_teardown),
	};

	return store_fixture_run("test_store", tests, sizeof(tests) / sizeof(tests[0]));
}
