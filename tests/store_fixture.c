/* store_fixture.c - see store_fixture.h. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_log.h"
#include "storage/store.h"
#include "tests/store_fault.h"
#include "tests/store_fixture.h"

char store_fixture_dir[64];
char store_fixture_db[96];
static int db_counter;

/* Every test gets its own fresh database file. */
int store_fixture_setup(void **state)
{
	snprintf(store_fixture_db, sizeof(store_fixture_db), "%s/t%d.db", store_fixture_dir, ++db_counter);
	store *st = NULL;
	int rc = store_open(&st, store_fixture_db);
	*state = st;
	return rc;
}

void store_fixture_unlink_db(const char *path)
{
	char p[PATH_MAX];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

int store_fixture_teardown(void **state)
{
	store_fault_arm(STORE_FAULT_NONE, 0);
	store_close(*state);
	store_fixture_unlink_db(store_fixture_db);
	return 0;
}

store *store_fixture_reopen(store *st)
{
	store_close(st);
	st = NULL;
	assert_int_equal(store_open(&st, store_fixture_db), 0);
	return st;
}

int store_fixture_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	int failed;

	/* The injected faults and refused files log errors: expected. */
	cp_log_set_level(CP_LOG_ERROR);
	if (store_fault_install() != 0)
		return 1;
	snprintf(store_fixture_dir, sizeof(store_fixture_dir), "%s/%s.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	if (!mkdtemp(store_fixture_dir))
		return 1;
	failed = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	rmdir(store_fixture_dir);
	return failed;
}
