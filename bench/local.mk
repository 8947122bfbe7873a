# Benchmarks: built with `make bench-build`, run with `make bench`; each prints its figures.
bench-build: $(BENCH_PROGS)
bench: bench-build
	@for b in $(BENCH_PROGS); do echo "== $$b"; ./$$b || exit 1; done
.PHONY: bench bench-build

#: how fast a limit change reaches the simulated pilot, measured from
# the central system's side (ChangeConfiguration / SetChargingProfile answer ->
# control socket status).
EXTRA_DIST += bench/offer_latency.js bench/meter_latency.js
bench-offer-latency: ocpp-cp
	NODE_PATH=$(abs_top_srcdir)/node_modules $(NODE) $(srcdir)/bench/offer_latency.js --bin ./ocpp-cp
bench: bench-offer-latency
.PHONY: bench-offer-latency
# Grid meter change -> offer, ALB with a Modbus TCP meter (docs/balancing.md).
bench-meter-latency: ocpp-cp
	NODE_PATH=$(abs_top_srcdir)/node_modules $(NODE) $(srcdir)/bench/meter_latency.js --bin ./ocpp-cp
bench: bench-meter-latency
.PHONY: bench-meter-latency
