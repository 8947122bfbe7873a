# fragment: see Makefile.am
# hw/: the Mode 3 driver (pilot state machine, overcurrent, suspend, lock,
# display) and its backends.
noinst_LIBRARIES += libhw.a
libhw_a_SOURCES = hw/hw.h hw/hw_oc.h hw/hw_sim.h \
	hw/hw_linux.h hw/duty.c hw/oc.c hw/mode3.c hw/sim.c hw/linux.c

HW_TEST_LIBS = libhw.a libcommon.a $(CMOCKA_LIBS)
check_PROGRAMS += tests/test_hw_sim
TESTS += tests/test_hw_sim
tests_test_hw_sim_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hw_sim_LDADD = $(HW_TEST_LIBS)
check_PROGRAMS += tests/test_hw_duty tests/test_hw_oc
TESTS += tests/test_hw_duty tests/test_hw_oc
tests_test_hw_duty_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hw_duty_LDADD = $(HW_TEST_LIBS)
tests_test_hw_oc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hw_oc_LDADD = $(HW_TEST_LIBS)
check_PROGRAMS += tests/test_hw_mode3
TESTS += tests/test_hw_mode3
tests_test_hw_mode3_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hw_mode3_LDADD = $(HW_TEST_LIBS)
check_PROGRAMS += tests/test_hw_linux
TESTS += tests/test_hw_linux
tests_test_hw_linux_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_hw_linux_LDADD = $(HW_TEST_LIBS)

EXTRA_PROGRAMS += bench/bench_hw
BENCH_PROGS += bench/bench_hw
bench_bench_hw_LDADD = libhw.a libcommon.a
EXTRA_DIST += hw/README.md
