# "Speed and footprint": the daemon's GetConfiguration latency and RSS
# beside a canned libwebsockets responder (the floor), in one run against a
# Node.js central system.  Not in BENCH_PROGS: `make bench` runs those without
# arguments, this one needs both programs and node.
EXTRA_PROGRAMS += bench/canned_cp
bench_canned_cp_CFLAGS = $(AM_CFLAGS) $(LWS_CFLAGS)
bench_canned_cp_LDADD = $(LWS_LIBS)
EXTRA_DIST += bench/rpc_latency.js bench/run-foundation.sh
CLEANFILES += bench/canned_cp

bench-foundation: ocpp-cp bench/canned_cp
	$(SHELL) $(srcdir)/bench/run-foundation.sh ./ocpp-cp ./bench/canned_cp
bench: bench-foundation
.PHONY: bench-foundation
