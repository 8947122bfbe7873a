# Benchmarks: built with `make bench-build`, run with `make bench`; each prints its figures.
bench-build: $(BENCH_PROGS)
bench: bench-build
	@for b in $(BENCH_PROGS); do echo "== $$b"; ./$$b || exit 1; done
.PHONY: bench bench-build
