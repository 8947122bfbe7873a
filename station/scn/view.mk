# The Smart Charging Network view and allocation input (pure): one member's
# view of the network, its epoch, and the rule that lets it raise its own
# sockets (docs/scn.md).  The lead adds view.c to libstation.a.
check_PROGRAMS += tests/test_scn_view
TESTS += tests/test_scn_view
tests_test_scn_view_SOURCES = tests/test_scn_view.c \
	station/scn/view.c station/scn/view.h station/scn/scn.h
tests_test_scn_view_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_scn_view_LDADD = libsmartcharging.a libcommon.a $(CMOCKA_LIBS)

