# Local authorization list and reservations
libstation_a_SOURCES += \
	station/auth/authresv.h \
	station/auth/resv_core.c \
	station/auth/localauth.c \
	station/auth/reservation.c

# The pure core alone: reservation decisions and SendLocalList reading.
check_PROGRAMS += tests/test_resv_core
TESTS += tests/test_resv_core
tests_test_resv_core_SOURCES = tests/test_resv_core.c station/auth/resv_core.c station/auth/authresv.h
tests_test_resv_core_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_resv_core_LDADD = libocpp.a libcommon.a $(CJSON_LIBS) $(CMOCKA_LIBS) -lm
