# The websocket client on libwebsockets (kept apart from the transport-agnostic libocpp.a).
noinst_LIBRARIES += libocppws.a
libocppws_a_SOURCES = ocpp/ws.c ocpp/ws.h
libocppws_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
