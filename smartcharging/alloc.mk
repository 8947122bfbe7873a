# Balancing engine (pure): phase model, per-phase allocator, balancing state
# machine.  Appended to libsmartcharging.a defined in smartcharging/local.mk.
libsmartcharging_a_SOURCES += \
	smartcharging/sc_phase.h \
	smartcharging/phase.c \
	smartcharging/sc_alloc.h \
	smartcharging/alloc.c \
	smartcharging/sc_balance.h \
	smartcharging/balance.c

SC_ALLOC_TEST_LIBS = libsmartcharging.a libcommon.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/test_sc_phase tests/test_sc_alloc tests/test_sc_balance
TESTS += tests/test_sc_phase tests/test_sc_alloc tests/test_sc_balance
tests_test_sc_phase_SOURCES = tests/test_sc_phase.c
tests_test_sc_phase_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_phase_LDADD = $(SC_ALLOC_TEST_LIBS)
tests_test_sc_alloc_SOURCES = tests/test_sc_alloc.c
tests_test_sc_alloc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_alloc_LDADD = $(SC_ALLOC_TEST_LIBS)
tests_test_sc_balance_SOURCES = tests/test_sc_balance.c
tests_test_sc_balance_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_balance_LDADD = $(SC_ALLOC_TEST_LIBS)

# ns per allocation and per balancing step, 2..128 sockets (make bench).
EXTRA_PROGRAMS += bench/bench_alloc
BENCH_PROGS += bench/bench_alloc
bench_bench_alloc_SOURCES = bench/bench_alloc.c
bench_bench_alloc_LDADD = libsmartcharging.a libcommon.a
EXTRA_DIST += bench/bench_alloc.c
