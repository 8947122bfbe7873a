bin_PROGRAMS += ocpp-cp
ocpp_cp_SOURCES = station/main.c
