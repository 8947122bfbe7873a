# The daemon: libstation.a (everything but main) + ocpp-cp.
noinst_LIBRARIES += libstation.a
libstation_a_SOURCES = \
	station/station.h \
	station/clock.c station/clock.h \
	station/loop.c \
	station/sender.c \
	station/connector.c \
	station/cycle.c \
	station/meter.c \
	station/handlers.c \
	station/ctl_cmds.c \
	station/control.c station/control.h
libstation_a_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(SQLITE_CFLAGS)

bin_PROGRAMS += ocpp-cp
ocpp_cp_SOURCES = station/main.c
ocpp_cp_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS) $(OPENSSL_CFLAGS)
ocpp_cp_LDADD = $(CP_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) $(MODBUS_LIBS) -lm
