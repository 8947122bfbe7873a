/*
 * bench_store.c - what the store costs per call, on a real file with the
 * durable settings (WAL, synchronous=FULL).  A durable write is one fsync
 * of the WAL, so its figure is the disk's, not the code's; reads never
 * touch the disk once cached.  Prints one line per operation:
 * p50 / p99 / mean in microseconds.
 *
 * Usage: bench_store [DIR]   (default $TMPDIR or /tmp; use the disk the
 * station will run on for figures that mean something).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cp_log.h"
#include "storage/store.h"

#define SAMPLES 2000

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t samples[SAMPLES];

static void report(const char *what, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += samples[i];
	qsort(samples, (size_t)n, sizeof(samples[0]), cmp_i64);
	printf("%-44s p50 %8.1f us  p99 %8.1f us  mean %8.1f us  (n=%d)\n", what,
	       samples[n / 2] / 1e3, samples[n * 99 / 100] / 1e3, (double)sum / n / 1e3, n);
}

static void check(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "bench_store: %s failed: %s\n", what, strerror(-rc));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512], p2[600];
	static store_qmsg m;
	static store_auth_entry list[1000];
	store *st;
	char buf[CP_MAX_CONFIG_VALUE + 1];
	const char *mv = "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-28T12:00:00Z\","
			 "\"sampledValue\":[{\"value\":\"12345\",\"measurand\":\"Energy.Active.Import.Register\","
			 "\"unit\":\"Wh\"},{\"value\":\"16.0\",\"measurand\":\"Current.Import\",\"phase\":\"L1\","
			 "\"unit\":\"A\"}]}]}";

	cp_log_set_level(CP_LOG_ERROR);
	snprintf(path, sizeof(path), "%s/bench_store.%d.db", dir, (int)getpid());
	check(store_open(&st, path), "open");
	printf("store at %s (WAL, synchronous=FULL)\n", path);

	/* Reads. */
	for (int i = 0; i < 200; i++) {
		char key[32];
		snprintf(key, sizeof(key), "Key%03d", i);
		check(store_config_set(st, key, "some value of moderate length"), "config set");
	}
	for (int i = 0; i < SAMPLES; i++) {
		int64_t t = now_ns();
		check(store_config_get(st, "Key123", buf, sizeof(buf)), "config get");
		samples[i] = now_ns() - t;
	}
	report("config_get (200 keys)", SAMPLES);

	for (int i = 0; i < 1000; i++) {
		snprintf(list[i].id_tag, sizeof(list[i].id_tag), "CARD%06d", i);
		strcpy(list[i].status, "Accepted");
	}
	check(store_list_replace(st, 1, list, 1000, 1000), "list replace");
	for (int i = 0; i < SAMPLES; i++) {
		store_auth_entry e;
		int64_t t = now_ns();
		check(store_list_lookup(st, list[(i * 37) % 1000].id_tag, &e), "list lookup");
		samples[i] = now_ns() - t;
	}
	report("list_lookup (1000 entries)", SAMPLES);

	/* Durable writes: each is a commit with an fsync. */
	for (int i = 0; i < 500; i++) {
		int64_t t = now_ns();
		check(store_config_set(st, "Key007", i & 1 ? "a" : "b"), "config set");
		samples[i] = now_ns() - t;
	}
	report("config_set (durable commit)", 500);

	int64_t tx;
	check(store_tx_begin(st, 1, "BENCH", 0, cp_utc(0), -1, &tx), "tx begin");
	for (int i = 0; i < 500; i++) {
		int64_t t = now_ns();
		check(store_tx_update_meter(st, tx, i, cp_utc(i)), "tx update meter");
		samples[i] = now_ns() - t;
	}
	report("tx_update_meter (durable commit)", 500);

	for (int i = 0; i < 500; i++) {
		int64_t t = now_ns();
		check(store_queue_push(st, "MeterValues", mv, tx, NULL), "queue push");
		samples[i] = now_ns() - t;
	}
	report("queue_push, short queue (durable commit)", 500);

	for (int i = 0; i < 500; i++) {
		int64_t t = now_ns();
		check(store_queue_peek(st, &m), "queue peek");
		check(store_queue_delete(st, m.seq), "queue delete");
		samples[i] = now_ns() - t;
	}
	report("queue_peek + delete (durable commit)", 500);

	/* A queue near its bound: two weeks offline.  Filled in one batch. */
	check(store_begin(st), "begin");
	for (int i = 0; i < CP_MAX_QUEUE; i++)
		check(store_queue_push(st, "MeterValues", mv, tx, NULL), "queue fill");
	check(store_commit(st), "commit");
	check(store_begin(st), "begin");
	for (int i = 0; i < SAMPLES; i++) {
		int64_t t = now_ns();
		check(store_queue_push(st, "MeterValues", mv, tx, NULL), "queue push full");
		samples[i] = now_ns() - t;
	}
	check(store_commit(st), "commit");
	report("queue_push at the bound (in a batch, no fsync)", SAMPLES);
	for (int i = 0; i < SAMPLES; i++) {
		int64_t t = now_ns();
		check(store_queue_peek(st, &m), "queue peek");
		samples[i] = now_ns() - t;
	}
	report("queue_peek, full queue", SAMPLES);

	store_close(st);
	unlink(path);
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	return 0;
}
