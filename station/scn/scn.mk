# fragment: see Makefile.am
# station/scn: the Smart Charging Network (docs/scn.md).  libscn.a holds the
# pure frame codec; it needs only OpenSSL (HMAC-SHA256), so its tests link
# it alone, without the daemon.
noinst_LIBRARIES += libscn.a
libscn_a_SOURCES = station/scn/scn.h station/scn/frame.h station/scn/frame.c
libscn_a_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)

check_PROGRAMS += tests/test_scn_frame
TESTS += tests/test_scn_frame
tests_test_scn_frame_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_scn_frame_LDADD = libscn.a libcommon.a $(OPENSSL_LIBS) $(CMOCKA_LIBS)

EXTRA_PROGRAMS += bench/bench_scn_frame
BENCH_PROGS += bench/bench_scn_frame
bench_bench_scn_frame_LDADD = libscn.a libcommon.a $(OPENSSL_LIBS)

# The UDP multicast socket and this station as a member: the daemon side
# (in libstation).
libstation_a_SOURCES += station/scn/net.c station/scn/net.h station/scn/member.c station/scn/member.h
check_PROGRAMS += tests/test_scn_net
TESTS += tests/test_scn_net
tests_test_scn_net_SOURCES = tests/test_scn_net.c station/scn/net.c station/scn/net.h
tests_test_scn_net_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_scn_net_LDADD = $(CMOCKA_LIBS)
