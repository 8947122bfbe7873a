# The websocket client on libwebsockets (kept apart from the transport-agnostic libocpp.a).
noinst_LIBRARIES += libocppws.a
libocppws_a_SOURCES = ocpp/ws.c ocpp/ws.h
libocppws_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)

# The reconnect loop against real loopback sockets (a few seconds of real time).
check_PROGRAMS += tests/test_ocpp_ws
TESTS += tests/test_ocpp_ws
tests_test_ocpp_ws_SOURCES = tests/test_ocpp_ws.c
tests_test_ocpp_ws_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
tests_test_ocpp_ws_LDADD = libocppws.a libcommon.a $(CMOCKA_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS)
