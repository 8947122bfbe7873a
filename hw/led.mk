# fragment: see Makefile.am
# hw/led: the status LED of each socket (pattern per display message,
# blinking on the driver tick), shown by the linux backend.
libhw_a_SOURCES += hw/led.h hw/led.c

check_PROGRAMS += tests/test_led tests/test_led_linux
TESTS += tests/test_led tests/test_led_linux
tests_test_led_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_led_LDADD = libhw.a libcommon.a $(CMOCKA_LIBS)
tests_test_led_linux_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_led_linux_LDADD = libhw.a libcommon.a $(CMOCKA_LIBS)
