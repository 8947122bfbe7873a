/*
 * store_test.h - hooks for the store's own tests; not for the daemon.
 */
#ifndef STORE_TEST_H
#define STORE_TEST_H

#include "storage/store.h"

/* Opens like store_open but migrates only up to schema version `version`
 * (to build old files for the migration tests).  Only the functions whose
 * tables exist at that version may be called on the handle. */
int store_test_open_at(store **out, const char *path, int version);
/* Overwrites the file's schema version (to fake a file from a newer build). */
int store_test_set_schema_version(store *st, int version);

#endif
