/*
 * store_fixture.h - shared fixture of the store tests: a private temp
 * directory, a fresh database file per test, reopen, and the group runner
 * (fault VFS installed, errors-only logging).
 */
#ifndef TESTS_STORE_FIXTURE_H
#define TESTS_STORE_FIXTURE_H

#include <stddef.h>

#include <cmocka.h>

#include "storage/store.h"

extern char store_fixture_dir[64];	/* this group's temp directory */
extern char store_fixture_db[96];	/* the current test's database file */

/* Removes a database file with its -wal and -shm files. */
void store_fixture_unlink_db(const char *path);

int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);
/* Closes and reopens the current test's database (asserts on failure). */
store *store_fixture_reopen(store *st);
/* Runs a cmocka group in a fresh temp directory; returns failures. */
int store_fixture_run(const char *name, const struct CMUnitTest *tests, size_t n);

#endif
