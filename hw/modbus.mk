# fragment: see Makefile.am
# hw/: Modbus TCP for active load balancing and the EMS: the register codec
# and meter maps (mb_map), the meter master (mb_meter), the EMS register
# table (ems) and the EMS slave's sockets (ems_server).  A library of its
# own so that only it is built with libmodbus's headers.
noinst_LIBRARIES += libmb.a
libmb_a_SOURCES = hw/mb_map.h hw/mb_map.c hw/mb_meter.h hw/mb_meter.c \
	hw/ems.h hw/ems.c hw/ems_server.h hw/ems_server.c
libmb_a_CFLAGS = $(AM_CFLAGS) $(MODBUS_CFLAGS)

MB_TEST_LIBS = libmb.a libcommon.a $(CMOCKA_LIBS)
check_PROGRAMS += tests/test_mb_map tests/test_ems tests/test_mb_io
TESTS += tests/test_mb_map tests/test_ems tests/test_mb_io
tests_test_mb_map_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_mb_map_LDADD = $(MB_TEST_LIBS)
tests_test_ems_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_ems_LDADD = $(MB_TEST_LIBS)
# Real peers on loopback: libmodbus servers and clients in child processes.
tests_test_mb_io_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(MODBUS_CFLAGS)
tests_test_mb_io_LDADD = $(MB_TEST_LIBS) $(MODBUS_LIBS)
