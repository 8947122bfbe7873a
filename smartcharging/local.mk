# Smart charging engine (pure): profiles, composite schedules, limit stack.
# smartcharging/alloc.mk (included after this) appends the allocator.
noinst_LIBRARIES += libsmartcharging.a
libsmartcharging_a_SOURCES = \
	smartcharging/sc.h \
	smartcharging/profile.c \
	smartcharging/composite.c \
	smartcharging/limits.c \
	smartcharging/sc_evaluate.h \
	smartcharging/evaluate.c \
	smartcharging/sc_alb.h \
	smartcharging/alb.c \
	smartcharging/sc_json.h \
	smartcharging/sc_json.c

# The per-second reference: tests and the benchmark only.
SC_ORACLE = smartcharging/composite_oracle.c smartcharging/composite_oracle.h
EXTRA_DIST += $(SC_ORACLE)
SC_TEST_LIBS = libsmartcharging.a libcommon.a $(CMOCKA_LIBS) $(CJSON_LIBS) -lm

check_PROGRAMS += tests/test_sc_property
TESTS += tests/test_sc_property
tests_test_sc_property_SOURCES = tests/test_sc_property.c $(SC_ORACLE)
tests_test_sc_property_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_property_LDADD = $(SC_TEST_LIBS)

check_PROGRAMS += tests/test_sc_profile
TESTS += tests/test_sc_profile
tests_test_sc_profile_SOURCES = tests/test_sc_profile.c
tests_test_sc_profile_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_profile_LDADD = $(SC_TEST_LIBS)

check_PROGRAMS += tests/test_sc_composite
TESTS += tests/test_sc_composite
tests_test_sc_composite_SOURCES = tests/test_sc_composite.c
tests_test_sc_composite_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_composite_LDADD = $(SC_TEST_LIBS)

check_PROGRAMS += tests/test_sc_limits
TESTS += tests/test_sc_limits
tests_test_sc_limits_SOURCES = tests/test_sc_limits.c
tests_test_sc_limits_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_limits_LDADD = $(SC_TEST_LIBS)

check_PROGRAMS += tests/test_sc_evaluate
TESTS += tests/test_sc_evaluate
tests_test_sc_evaluate_SOURCES = tests/test_sc_evaluate.c
tests_test_sc_evaluate_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_evaluate_LDADD = $(SC_TEST_LIBS)

check_PROGRAMS += tests/test_sc_json
TESTS += tests/test_sc_json
tests_test_sc_json_SOURCES = tests/test_sc_json.c
tests_test_sc_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_json_LDADD = $(SC_TEST_LIBS)

# 7-day composite of 45 x 100-period profiles against the oracle (make bench).
EXTRA_PROGRAMS += bench/bench_composite
BENCH_PROGS += bench/bench_composite
bench_bench_composite_SOURCES = bench/bench_composite.c $(SC_ORACLE)
bench_bench_composite_LDADD = libsmartcharging.a libcommon.a $(CJSON_LIBS) -lm
EXTRA_DIST += bench/bench_composite.c

# The pure part of one control cycle, 2 and 128 sockets, against the
# previous path (make bench).
EXTRA_PROGRAMS += bench/bench_cycle
BENCH_PROGS += bench/bench_cycle
bench_bench_cycle_SOURCES = bench/bench_cycle.c
bench_bench_cycle_LDADD = libsmartcharging.a libcommon.a
EXTRA_DIST += bench/bench_cycle.c

check_PROGRAMS += tests/test_sc_alb
TESTS += tests/test_sc_alb
tests_test_sc_alb_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_sc_alb_LDADD = $(SC_TEST_LIBS)
