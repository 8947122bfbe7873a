# storage/: the SQLite store (the only code that speaks SQL).
noinst_LIBRARIES += libstorage.a
libstorage_a_SOURCES = storage/store.c storage/store.h storage/store_test.h
libstorage_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

# Tests: real SQLite files in a temp dir; faults injected by a VFS shim.
STORE_TEST_LIBS = libstorage.a libcommon.a $(SQLITE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/test_store
TESTS += tests/test_store
tests_test_store_SOURCES = tests/test_store.c tests/store_fault.c tests/store_fault.h
tests_test_store_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_LDADD = $(STORE_TEST_LIBS)
