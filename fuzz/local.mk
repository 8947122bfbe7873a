# libFuzzer targets (README "Fuzzing").  `make fuzz` in a normal build tree
# configures fuzz-build/ with clang and --enable-fuzz and runs `make fuzz`
# there: every library instrumented, ASan + UBSan, each target run for
# FUZZ_SECONDS (default 60) from its seed corpus and dictionary.  The
# corpus a run grows stays in the build tree (fuzz-corpus/), never in the
# sources.  FUZZ_ONLY="fuzz_sc fuzz_ocpp" runs a subset.
FUZZ_TARGETS = fuzz/fuzz_ocpp fuzz/fuzz_control fuzz/fuzz_cfg_value fuzz/fuzz_provision fuzz/fuzz_sc fuzz/fuzz_time \
	fuzz/fuzz_p1 fuzz/fuzz_mb_map fuzz/fuzz_scn_frame fuzz/fuzz_cert fuzz/fuzz_csr fuzz/fuzz_rtu
EXTRA_PROGRAMS += $(FUZZ_TARGETS)

FUZZ_STATION_LIBS = $(CP_LIBS) $(LWS_LIBS) $(OPENSSL_LIBS) $(CJSON_LIBS) $(SQLITE_LIBS) \
	$(MODBUS_LIBS) -lm
FUZZ_STATION_SOURCES = fuzz/fuzz_station.c fuzz/fuzz_station.h

fuzz_fuzz_ocpp_SOURCES = fuzz/fuzz_ocpp.c $(FUZZ_STATION_SOURCES)
fuzz_fuzz_ocpp_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
fuzz_fuzz_ocpp_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_ocpp_LDADD = $(FUZZ_STATION_LIBS)

fuzz_fuzz_control_SOURCES = fuzz/fuzz_control.c $(FUZZ_STATION_SOURCES)
fuzz_fuzz_control_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
fuzz_fuzz_control_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_control_LDADD = $(FUZZ_STATION_LIBS)

fuzz_fuzz_cfg_value_SOURCES = fuzz/fuzz_cfg_value.c fuzz/fuzz_cfg.h tests/config_fake.h
fuzz_fuzz_cfg_value_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_cfg_value_LDADD = libconfig.a libmb.a libcommon.a $(OPENSSL_LIBS)

fuzz_fuzz_provision_SOURCES = fuzz/fuzz_provision.c fuzz/fuzz_cfg.h tests/config_fake.h
fuzz_fuzz_provision_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_provision_LDADD = libconfig.a libmb.a libcommon.a $(OPENSSL_LIBS)

fuzz_fuzz_sc_SOURCES = fuzz/fuzz_sc.c $(SC_ORACLE)
fuzz_fuzz_sc_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_sc_LDADD = libsmartcharging.a libocpp.a libcommon.a $(CJSON_LIBS) -lm

fuzz_fuzz_time_SOURCES = fuzz/fuzz_time.c
fuzz_fuzz_time_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_time_LDADD = libsmartcharging.a libocpp.a libcommon.a $(CJSON_LIBS) -lm

fuzz_fuzz_p1_SOURCES = fuzz/fuzz_p1.c
fuzz_fuzz_p1_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_p1_LDADD = libhw.a libcommon.a

fuzz_fuzz_mb_map_SOURCES = fuzz/fuzz_mb_map.c
fuzz_fuzz_mb_map_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_mb_map_LDADD = libmb.a libcommon.a -lm

fuzz_fuzz_rtu_SOURCES = fuzz/fuzz_rtu.c
fuzz_fuzz_rtu_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_rtu_LDADD = libmb.a libcommon.a -lm

fuzz_fuzz_scn_frame_SOURCES = fuzz/fuzz_scn_frame.c
fuzz_fuzz_scn_frame_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
fuzz_fuzz_scn_frame_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_scn_frame_LDADD = libscn.a libcommon.a $(OPENSSL_LIBS)

fuzz_fuzz_cert_SOURCES = fuzz/fuzz_cert.c
fuzz_fuzz_cert_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
fuzz_fuzz_cert_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_cert_LDADD = libsecurity.a $(OPENSSL_LIBS)

fuzz_fuzz_csr_SOURCES = fuzz/fuzz_csr.c
fuzz_fuzz_csr_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
fuzz_fuzz_csr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_csr_LDADD = libsecurity_csr.a $(OPENSSL_LIBS)

# Every input a fuzz target crashed on, replayed through the same station
# harness by a unit test (every build, and under the sanitizers).
check_PROGRAMS += tests/test_station_inputs
TESTS += tests/test_station_inputs
tests_test_station_inputs_SOURCES = tests/test_station_inputs.c $(FUZZ_STATION_SOURCES)
tests_test_station_inputs_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LWS_CFLAGS)
tests_test_station_inputs_LDADD = $(FUZZ_STATION_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += fuzz/run.sh fuzz/corpus fuzz/fuzz_ocpp.dict fuzz/fuzz_control.dict \
	fuzz/fuzz_cfg_value.dict fuzz/fuzz_provision.dict fuzz/fuzz_sc.dict fuzz/fuzz_p1.dict \
	fuzz/fuzz_mb_map.dict fuzz/fuzz_scn_frame.dict fuzz/fuzz_cert.dict fuzz/fuzz_csr.dict

if CP_FUZZ
# Without FUZZ_ONLY every target of FUZZ_TARGETS runs.
fuzz: $(FUZZ_TARGETS)
	only="$(FUZZ_ONLY)"; FUZZ_SECONDS="$(FUZZ_SECONDS)" $(SHELL) $(top_srcdir)/fuzz/run.sh \
	    "$(abs_top_srcdir)" "$(abs_top_builddir)" $${only:-$(FUZZ_TARGETS)}
else
# clang builds a tree of its own: the instrumented objects never mix with
# this tree's (gcc or clang, without libFuzzer).  Its prefix is a directory
# that is never installed to, so that an UpdateFirmware / GetDiagnostics the
# fuzzer makes up finds no ocpp-cp-transfer (not next to the targets either)
# and never reaches the network: the worker fails and the job reports it.
fuzz:
	@command -v clang >/dev/null || { echo "make fuzz needs clang and libFuzzer:" \
	    "apt-get install clang libclang-rt-14-dev (tools/deps.sh installs them)"; exit 1; }
	@mkdir -p fuzz-build
	@cd fuzz-build && { test -f Makefile || "$(abs_top_srcdir)/configure" -q CC=clang \
	    --enable-fuzz --prefix="$(abs_builddir)/fuzz-build/no-install"; } && $(MAKE) fuzz FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_ONLY="$(FUZZ_ONLY)"
endif
.PHONY: fuzz

clean-local:
	-rm -rf fuzz-build fuzz-corpus fuzz-crash
