# Firmware management and diagnostics
# UpdateFirmware / GetDiagnostics and the Security Whitepaper's
# SignedUpdateFirmware / GetLog: the pure job state machine (fw_core.c), the
# ustar writer (fw_tar.c), the transfers and installer hook run in a forked
# worker (fw_worker.c) and the daemon glue (firmware.c; the diagnostics
# archive and GetLog in fw_diag.c; SignedUpdateFirmware and the signature
# check in fw_signed.c).
libstation_a_SOURCES += \
	station/firmware/firmware.h \
	station/firmware/firmware_int.h \
	station/firmware/firmware.c \
	station/firmware/fw_diag.c \
	station/firmware/fw_signed.c \
	station/firmware/fw_core.c \
	station/firmware/fw_tar.c \
	station/firmware/fw_worker.c
# The worker runs the libcurl transfers in ocpp-cp-transfer, found next to
# ocpp-cp or else in bindir: libcurl (some 4 MB of RSS with its 27 shared
# libraries) stays out of the long-running daemon.
libstation_a_CFLAGS += -DFW_TRANSFER_PATH='"$(bindir)/ocpp-cp-transfer$(EXEEXT)"'
# fw_signed.c checks firmware signatures with station/security/cert.h.
libstation_a_CFLAGS += $(OPENSSL_CFLAGS)

bin_PROGRAMS += ocpp-cp-transfer
ocpp_cp_transfer_SOURCES = station/firmware/fw_transfer.c
ocpp_cp_transfer_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(CURL_CFLAGS)
ocpp_cp_transfer_LDADD = $(CURL_LIBS)
# Whatever builds the daemon (make ocpp-cp, make conformance) builds the
# program it runs.
EXTRA_ocpp_cp_DEPENDENCIES = ocpp-cp-transfer$(EXEEXT)

check_PROGRAMS += tests/test_firmware_core tests/test_firmware_tar tests/test_firmware_worker
TESTS += tests/test_firmware_core tests/test_firmware_tar tests/test_firmware_worker
tests_test_firmware_core_SOURCES = tests/test_firmware_core.c
tests_test_firmware_core_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_firmware_core_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
tests_test_firmware_tar_SOURCES = tests/test_firmware_tar.c
tests_test_firmware_tar_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_firmware_tar_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
# The test links its own fw_worker.o, pointed at the build tree's
# ocpp-cp-transfer (a test binary in tests/ has none next to it).
tests_test_firmware_worker_SOURCES = tests/test_firmware_worker.c station/firmware/fw_worker.c
tests_test_firmware_worker_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFW_TRANSFER_PATH='"$(abs_top_builddir)/ocpp-cp-transfer$(EXEEXT)"'
tests_test_firmware_worker_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_firmware_worker_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
tests_test_firmware_worker_DEPENDENCIES = libstation.a libcommon.a ocpp-cp-transfer$(EXEEXT)
# The Security Whitepaper's jobs (SignedUpdateFirmware, GetLog): the pure
# parts, fw_core.c and fw_url_check.
check_PROGRAMS += tests/test_fw_secure
TESTS += tests/test_fw_secure
tests_test_fw_secure_SOURCES = tests/test_fw_secure.c
tests_test_fw_secure_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_fw_secure_LDADD = libstation.a libcommon.a $(CMOCKA_LIBS)
