# fragment: see Makefile.am
# hw/: the socket energy meters on a Modbus RTU bus (--hw linux): frames
# and meter maps (rtu_map, pure), the bus master (rtu).  In libmb with the
# register codec they share (mb_map).
libmb_a_SOURCES += hw/rtu_map.h hw/rtu_map.c hw/rtu.h hw/rtu.c

# Frames, CRC, the presets decoded from register images.
check_PROGRAMS += tests/test_rtu_map
TESTS += tests/test_rtu_map
tests_test_rtu_map_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_rtu_map_LDADD = $(MB_TEST_LIBS)
# The bus master against a meter on a real pseudo-terminal (openpty,
# -lutil); the driver's meter fault (libhw).
check_PROGRAMS += tests/test_rtu_bus
TESTS += tests/test_rtu_bus
tests_test_rtu_bus_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_rtu_bus_LDADD = libhw.a $(MB_TEST_LIBS) -lutil
