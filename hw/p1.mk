# fragment: see Makefile.am
# hw/p1: the DSMR P1 smart-meter reader (telegram parser and serial port)
# for active load balancing.
libhw_a_SOURCES += hw/p1.h hw/p1.c hw/p1_serial.h hw/p1_serial.c

check_PROGRAMS += tests/test_p1 tests/test_p1_serial
TESTS += tests/test_p1 tests/test_p1_serial
tests_test_p1_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_p1_LDADD = libhw.a libcommon.a $(CMOCKA_LIBS)
# Real pseudo-terminals (openpty, -lutil) stand in for the meter.
tests_test_p1_serial_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_p1_serial_LDADD = libhw.a libcommon.a $(CMOCKA_LIBS) -lutil

EXTRA_PROGRAMS += bench/bench_p1
BENCH_PROGS += bench/bench_p1
bench_bench_p1_LDADD = libhw.a libcommon.a
EXTRA_DIST += tests/p1_samples.h
