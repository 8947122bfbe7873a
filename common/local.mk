noinst_LIBRARIES += libcommon.a
libcommon_a_SOURCES = common/log.c include/cp_log.h common/testhook.c include/cp_testhook.h \
	common/json.c include/cp_json.h \
	common/time.c include/cp_time.h

# The logger's flood limiter, with an injected clock and output.
check_PROGRAMS += tests/test_cp_log
TESTS += tests/test_cp_log
tests_test_cp_log_SOURCES = tests/test_cp_log.c
tests_test_cp_log_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_cp_log_LDADD = libcommon.a $(CMOCKA_LIBS)

check_PROGRAMS += tests/test_json_int
TESTS += tests/test_json_int
tests_test_json_int_SOURCES = tests/test_json_int.c
tests_test_json_int_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_json_int_LDADD = libcommon.a $(CMOCKA_LIBS) $(CJSON_LIBS) -lm

# The one date-time grammar, read through every call path (OCPP layer and
# the smart charging engine) with the same answers.
check_PROGRAMS += tests/test_cp_time
TESTS += tests/test_cp_time
tests_test_cp_time_SOURCES = tests/test_cp_time.c
tests_test_cp_time_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_cp_time_LDADD = libocpp.a libsmartcharging.a libcommon.a $(CMOCKA_LIBS) $(CJSON_LIBS) -lm
