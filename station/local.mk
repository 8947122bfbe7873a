# The daemon: libstation.a (everything but main) + ocpp-cp.
noinst_LIBRARIES += libstation.a
libstation_a_SOURCES = \
	station/station.h \
	station/clock.c station/clock.h \
	station/loop.c \
	station/sender.c \
	station/conn_fsm.c station/conn_fsm.h station/tx_fsm.c station/tx_fsm.h \
	station/connector.c \
	station/cycle.c \
	station/meter.c \
	station/grid.c station/grid.h \
	station/meters.c station/meters.h \
	station/handlers.c \
	station/profiles.c \
	station/ctl_cmds.c \
	station/control.c station/control.h \
	station/http.c station/http.h \
	station/security/sec.c station/security/sec.h
libstation_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(SQLITE_CFLAGS) $(OPENSSL_CFLAGS)

bin_PROGRAMS += ocpp-cp
ocpp_cp_SOURCES = station/main.c
ocpp_cp_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
# The installer page's files (web/, installed by web/web.mk).
ocpp_cp_CPPFLAGS = $(AM_CPPFLAGS) -DCP_WEB_DIR='"$(pkgdatadir)/web"'
ocpp_cp_LDADD = $(CP_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) $(MODBUS_LIBS) -lm

# The connector status machine (OCPP 1.6 §4.9), pure: tested alone.
check_PROGRAMS += tests/test_conn_fsm
TESTS += tests/test_conn_fsm
tests_test_conn_fsm_SOURCES = tests/test_conn_fsm.c station/conn_fsm.c station/conn_fsm.h
tests_test_conn_fsm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_conn_fsm_LDADD = $(CMOCKA_LIBS)
check_PROGRAMS += tests/test_tx_fsm
TESTS += tests/test_tx_fsm
tests_test_tx_fsm_SOURCES = tests/test_tx_fsm.c station/tx_fsm.c station/tx_fsm.h
tests_test_tx_fsm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_tx_fsm_LDADD = $(CMOCKA_LIBS)

# The scaled station clock and its correction from the central system's
# currentTime, on an injected host clock.
check_PROGRAMS += tests/test_clock
TESTS += tests/test_clock
tests_test_clock_SOURCES = tests/test_clock.c station/clock.c station/clock.h
tests_test_clock_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_test_clock_LDADD = $(CMOCKA_LIBS)
