# storage/: the SQLite store (the only code that speaks SQL).
noinst_LIBRARIES += libstorage.a
libstorage_a_SOURCES = storage/store.c storage/store_open.c storage/store_tx.c storage/store_auth.c \
	storage/store_cert.c storage/store.h storage/store_int.h storage/store_test.h
libstorage_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

# Tests: real SQLite files in a temp dir; faults injected by a VFS shim.
STORE_TEST_LIBS = libstorage.a libcommon.a $(SQLITE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/test_store
TESTS += tests/test_store
tests_test_store_SOURCES = tests/test_store.c tests/store_fixture.c tests/store_fixture.h \
	tests/store_fault.c tests/store_fault.h
tests_test_store_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_LDADD = $(STORE_TEST_LIBS)

check_PROGRAMS += tests/test_store_auth
TESTS += tests/test_store_auth
tests_test_store_auth_SOURCES = tests/test_store_auth.c tests/store_fixture.c tests/store_fixture.h \
	tests/store_fault.c tests/store_fault.h
tests_test_store_auth_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_auth_LDADD = $(STORE_TEST_LIBS)

# The queue bound policy, with the store compiled in at a bound of 8.
check_PROGRAMS += tests/test_store_queue
TESTS += tests/test_store_queue
tests_test_store_queue_SOURCES = tests/test_store_queue.c storage/store.c storage/store_open.c \
	storage/store_tx.c storage/store_auth.c storage/store_cert.c
tests_test_store_queue_CPPFLAGS = $(AM_CPPFLAGS) -DCP_MAX_QUEUE=8
tests_test_store_queue_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_queue_LDADD = libcommon.a $(SQLITE_LIBS) $(CMOCKA_LIBS)

# SIGKILL of a writing child at random moments (fixed seed).
check_PROGRAMS += tests/test_store_durability
TESTS += tests/test_store_durability
tests_test_store_durability_SOURCES = tests/test_store_durability.c
tests_test_store_durability_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_durability_LDADD = $(STORE_TEST_LIBS)

# Per-call cost of the store on a real file (make bench).
EXTRA_PROGRAMS += bench/bench_store
BENCH_PROGS += bench/bench_store
bench_bench_store_SOURCES = bench/bench_store.c
bench_bench_store_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_store_LDADD = libstorage.a libcommon.a $(SQLITE_LIBS)
EXTRA_DIST += bench/bench_store.c

# The database's files on disk: modes under any umask, a missing directory.
check_PROGRAMS += tests/test_store_files
TESTS += tests/test_store_files
tests_test_store_files_SOURCES = tests/test_store_files.c tests/store_fixture.c tests/store_fixture.h \
	tests/store_fault.c tests/store_fault.h
tests_test_store_files_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_store_files_LDADD = $(STORE_TEST_LIBS)
