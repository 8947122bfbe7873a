# The Smart Charging Network view and allocation input (pure): one member's
# view of the network, its epoch, and the rule that lets it raise its own
# sockets (docs/scn.md).  In libscn.a with the frame codec (both pure).
libscn_a_SOURCES += station/scn/view.c station/scn/view.h station/scn/alloc.c station/scn/alloc.h
check_PROGRAMS += tests/test_scn_view
TESTS += tests/test_scn_view
tests_test_scn_view_SOURCES = tests/test_scn_view.c \
	station/scn/view.c station/scn/view.h station/scn/scn.h
tests_test_scn_view_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_scn_view_LDADD = libsmartcharging.a libcommon.a $(CMOCKA_LIBS)

# 128 sockets on 64 simulated members: periods to converge after a plug,
# the allocator's CPU per period and frame size (make bench).
EXTRA_PROGRAMS += bench/bench_scn
BENCH_PROGS += bench/bench_scn
bench_bench_scn_LDADD = libscn.a libsmartcharging.a libcommon.a $(OPENSSL_LIBS)
EXTRA_DIST += bench/bench_scn.c

# The allocator's rule, with frames delayed at random (docs/scn.md).
check_PROGRAMS += tests/test_scn_alloc
TESTS += tests/test_scn_alloc
tests_test_scn_alloc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_scn_alloc_LDADD = libscn.a libsmartcharging.a libcommon.a $(OPENSSL_LIBS) $(CMOCKA_LIBS)
