# fragment: see Makefile.am
# ocpp-cpctl: the operator's command line for a running ocpp-cp (status,
# configuration, the simulator) over its control socket; installed beside it.
bin_PROGRAMS += ocpp-cpctl
ocpp_cpctl_SOURCES = tools/cpctl.c
ocpp_cpctl_LDADD = libcommon.a $(CJSON_LIBS) -lm

# The conformance cases run it from beside the daemon.
conformance: ocpp-cpctl$(EXEEXT)
