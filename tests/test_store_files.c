/*
 * test_store_files.c - the database's files on disk: the store holds the
 * AuthorizationKey (the Basic auth password of security profiles 1 and 2),
 * so the database and the -wal and -shm files SQLite keeps beside it are
 * readable by the daemon's user only (0600) whatever the umask, an existing
 * looser file is tightened at open, and a --db in a missing directory is
 * reported as such (-ENOENT), with nothing created.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "storage/store.h"
#include "tests/store_fixture.h"

static const char *const suffixes[] = { "", "-wal", "-shm" };

static int file_mode(const char *db, const char *suffix)
{
	char p[PATH_MAX];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", db, suffix);
	if (stat(p, &sb) < 0)
		return -errno;
	return (int)(sb.st_mode & 07777);
}

static void db_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", store_fixture_dir, name);
}

/* Opens a new database under `mask`, writes (so the WAL exists) and checks
 * the modes of all three files while the handle is open. */
static void check_new_db_under_umask(mode_t mask, const char *name)
{
	char db[PATH_MAX], v[64];
	store *st = NULL;
	mode_t old = umask(mask);

	db_path(db, sizeof(db), name);
	assert_int_equal(store_open(&st, db), 0);
	umask(old);
	assert_int_equal(store_config_set(st, "AuthorizationKey", "00112233445566778899"), 0);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		int m = file_mode(db, suffixes[i]);
		if (m != 0600)
			fail_msg("umask %03o: %s%s has mode %04o (errno %d), want 0600", (unsigned)mask, name,
				 suffixes[i], m < 0 ? 0 : m, m < 0 ? -m : 0);
	}
	assert_int_equal(store_config_get(st, "AuthorizationKey", v, sizeof(v)), 0);
	store_close(st);
	store_fixture_unlink_db(db);
}

static void test_new_database_is_0600_under_umask_000(void **state)
{
	(void)state;
	check_new_db_under_umask(0, "umask000.db");
}

static void test_new_database_is_0600_under_umask_022(void **state)
{
	(void)state;
	check_new_db_under_umask(022, "umask022.db");
}

/* A database made by an older build (or copied in by hand) with 0644, and
 * -wal/-shm files left by a power cut with 0644: all tightened at open, the
 * content kept. */
static void test_existing_loose_database_is_tightened(void **state)
{
	char db[PATH_MAX], p[PATH_MAX], v[64];
	store *st = NULL;

	(void)state;
	db_path(db, sizeof(db), "loose.db");
	assert_int_equal(store_open(&st, db), 0);
	assert_int_equal(store_config_set(st, "AuthorizationKey", "0011223344556677"), 0);
	store_close(st);
	st = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, suffixes[i]);
		int fd = open(p, O_WRONLY | O_CREAT, 0644);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(chmod(p, 0644), 0);
	}
	assert_int_equal(file_mode(db, ""), 0644);

	assert_int_equal(store_open(&st, db), 0);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		int m = file_mode(db, suffixes[i]);
		if (m != 0600)
			fail_msg("existing loose.db%s has mode %04o after open, want 0600", suffixes[i], m < 0 ? 0 : m);
	}
	assert_int_equal(store_config_get(st, "AuthorizationKey", v, sizeof(v)), 0);
	assert_string_equal(v, "0011223344556677");
	store_close(st);
	store_fixture_unlink_db(db);
}

static void test_missing_directory_is_enoent_and_creates_nothing(void **state)
{
	char dir[PATH_MAX - 16], db[PATH_MAX];
	struct stat sb;
	store *st = NULL;

	(void)state;
	db_path(dir, sizeof(dir), "no/such");
	snprintf(db, sizeof(db), "%s/cp.db", dir);
	assert_int_equal(store_open(&st, db), -ENOENT);
	assert_null(st);
	assert_int_equal(stat(dir, &sb), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_database_is_0600_under_umask_000),
		cmocka_unit_test(test_new_database_is_0600_under_umask_022),
		cmocka_unit_test(test_existing_loose_database_is_tightened),
		cmocka_unit_test(test_missing_directory_is_enoent_and_creates_nothing),
	};
	return store_fixture_run("test_store_files", tests, sizeof(tests) / sizeof(tests[0]));
}
