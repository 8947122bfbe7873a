# Firmware management and diagnostics (issue 7)
# UpdateFirmware / GetDiagnostics: the pure job state machine (fw_core.c), the
# ustar writer (fw_tar.c), the libcurl transfers and installer hook run in a
# forked worker (fw_worker.c) and the daemon glue (firmware.c).
libstation_a_SOURCES += \
	station/firmware.h \
	station/firmware.c \
	station/fw_core.c \
	station/fw_tar.c \
	station/fw_worker.c
libstation_a_CFLAGS += $(CURL_CFLAGS)

check_PROGRAMS += tests/test_firmware_core tests/test_firmware_tar tests/test_firmware_worker
TESTS += tests/test_firmware_core tests/test_firmware_tar tests/test_firmware_worker
tests_test_firmware_core_SOURCES = tests/test_firmware_core.c
tests_test_firmware_core_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_firmware_core_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
tests_test_firmware_tar_SOURCES = tests/test_firmware_tar.c
tests_test_firmware_tar_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_firmware_tar_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
tests_test_firmware_worker_SOURCES = tests/test_firmware_worker.c
tests_test_firmware_worker_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS) $(CURL_CFLAGS)
tests_test_firmware_worker_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS) $(CURL_LIBS)
