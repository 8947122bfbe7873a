/*
 * test_store_durability.c - SIGKILL at a random moment loses nothing.
 *
 * A child process works the store like the daemon does: it begins a
 * transaction, queues StartTransaction, MeterValues and StopTransaction
 * (numbered n = 1, 2, 3, ... in their payloads), ends the transaction, and
 * now and then deletes the head of the queue as if its CALLRESULT came.
 * After each call returns it reports it to the parent over a pipe.  The
 * parent kills it with SIGKILL after a random delay (fixed seed), reopens
 * the file and checks, round after round on the same file:
 *  - the file opens (its integrity check passes);
 *  - the queue holds a gap-free run of numbers in seq order, each once;
 *  - every push reported before the kill is there unless its deletion was
 *    reported too; at most one more push/delete than reported took effect
 *    (the one in flight when the kill came);
 *  - every queued message's transaction exists, at most one is still open,
 *    and ending it with PowerLoss works.
 */
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cp_log.h"
#include "storage/store.h"

#define ROUNDS 12
#define SEED 20261128u

enum report_kind { R_PUSH = 1, R_DELETE = 2 };

struct report {
	int32_t kind;
	int64_t n;
};

static char dir[64];
static char db[96];

static void report(int fd, enum report_kind kind, int64_t n)
{
	struct report r = { .kind = kind, .n = n };
	/* Smaller than PIPE_BUF: the write is atomic. */
	if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(3);
}

static int64_t push(store *st, int fd, const char *action, int64_t tx, int64_t n)
{
	char payload[64];
	snprintf(payload, sizeof(payload), "{\"n\":%lld}", (long long)n);
	int rc = store_queue_push(st, action, payload, tx, NULL);
	if (rc < 0)
		_exit(4);
	report(fd, R_PUSH, n);
	return n + 1;
}

/* The child: runs until killed. */
static void child_main(int fd, int64_t next_n, unsigned seed)
{
	static store_qmsg m;
	store *st = NULL;
	int64_t tx;

	if (store_open(&st, db) != 0)
		_exit(2);
	srand(seed);
	for (int64_t wh = 0;; wh += 100) {
		if (store_tx_begin(st, 1 + rand() % 2, "DURABLE", wh, cp_utc(wh), -1, &tx) != 0)
			_exit(5);
		next_n = push(st, fd, "StartTransaction", tx, next_n);
		for (int i = rand() % 4; i > 0; i--) {
			if (store_tx_update_meter(st, tx, wh + i, cp_utc(wh + i)) != 0)
				_exit(6);
			next_n = push(st, fd, "MeterValues", tx, next_n);
		}
		if (store_tx_end(st, tx, wh + 50, cp_utc(wh + 50), "Local", NULL) != 0)
			_exit(7);
		next_n = push(st, fd, "StopTransaction", tx, next_n);
		/* The central system confirms about two of every three messages. */
		for (int i = rand() % 5; i > 0; i--) {
			if (store_queue_peek(st, &m) != 0)
				break;
			int64_t n;
			if (sscanf(m.payload, "{\"n\":%lld}", (long long *)&n) != 1)
				_exit(8);
			if (store_queue_delete(st, m.seq) != 0)
				_exit(9);
			report(fd, R_DELETE, n);
		}
	}
}

/* What the file holds: the range of numbers in the queue. */
struct seen {
	int64_t first, last;	/* first > last: empty */
	int count;
};

static int end_open(void *ctx, const store_tx *tx)
{
	store *st = ctx;
	assert_int_equal(store_tx_end(st, tx->local_id, tx->meter_last_wh, tx->meter_last_utc,
				      "PowerLoss", NULL), 0);
	return 0;
}

static int count_open(void *ctx, const store_tx *tx)
{
	(*(int *)ctx)++;
	return 0;
}

/* Reads the queue in order and checks it is a gap-free run of numbers
 * whose transactions exist.  The queue is left as it is. */
static struct seen inspect(store *st)
{
	static store_qmsg m;
	struct seen s = { .first = 1, .last = 0 };
	int64_t last_seq = 0;
	int open = 0;

	/* Walk by deleting into a batch that is rolled back, so the walk
	 * itself changes nothing. */
	assert_int_equal(store_begin(st), 0);
	while (store_queue_peek(st, &m) == 0) {
		int64_t n;
		store_tx tx;
		assert_int_equal(sscanf(m.payload, "{\"n\":%lld}", (long long *)&n), 1);
		assert_true(m.seq > last_seq);
		if (s.count == 0)
			s.first = n;
		else
			assert_int_equal(n, s.last + 1);	/* in order, no gap, no duplicate */
		s.last = n;
		s.count++;
		last_seq = m.seq;
		assert_int_equal(store_tx_get(st, m.tx_local_id, &tx), 0);
		assert_int_equal(store_queue_delete(st, m.seq), 0);
	}
	assert_int_equal(store_rollback(st), 0);

	assert_int_equal(store_tx_open_foreach(st, count_open, &open), 0);
	assert_true(open <= 1);
	return s;
}

static void test_sigkill_loses_nothing(void **state)
{
	store *st = NULL;
	/* Highest n pushed / deleted so far; after each round set to what the
	 * file really holds, which may be one step past the reports. */
	int64_t pushed = 0, deleted = 0;

	srand(SEED);
	for (int round = 0; round < ROUNDS; round++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		unsigned child_seed = (unsigned)rand();
		/* 0..150 ms: from "killed while creating the file" to hundreds
		 * of commits. */
		int delay_ms = rand() % 151;
		int64_t rep_push = pushed, rep_delete = deleted;

		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child_main(fds[1], pushed + 1, child_seed);
			_exit(1);
		}
		close(fds[1]);

		/* Drain reports while waiting, so the child never blocks on a
		 * full pipe. */
		struct timespec t0, t;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		bool killed = false;
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			long elapsed = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
			if (!killed && elapsed >= delay_ms) {
				kill(pid, SIGKILL);
				killed = true;
			}
			struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
			poll(&pfd, 1, killed ? 1000 : 1);
			if (!(pfd.revents & (POLLIN | POLLHUP)))
				continue;
			struct report r;
			ssize_t got = read(fds[0], &r, sizeof(r));
			if (got == 0)
				break;	/* child gone, pipe drained */
			assert_int_equal(got, sizeof(r));
			if (r.kind == R_PUSH) {
				assert_int_equal(r.n, rep_push + 1);
				rep_push = r.n;
			} else {
				assert_int_equal(r.n, rep_delete + 1);
				rep_delete = r.n;
			}
		}
		close(fds[0]);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

		assert_int_equal(store_open(&st, db), 0);
		struct seen now = inspect(st);
		print_message("round %2d: killed after %3d ms; reported pushes to %lld, deletes to %lld; "
			      "queue holds %d (%lld..%lld)\n", round, delay_ms, (long long)rep_push,
			      (long long)rep_delete, now.count, (long long)now.first, (long long)now.last);

		if (now.count == 0) {
			/* A deletion follows only reported pushes, so an empty
			 * queue means the last push was reported and deleted. */
			assert_true(rep_delete == rep_push || rep_delete + 1 == rep_push);
			pushed = deleted = rep_push;
		} else {
			/* Everything reported and not deleted is there; at most
			 * the one call in flight at the kill went beyond. */
			assert_true(now.last == rep_push || now.last == rep_push + 1);
			assert_true(now.first == rep_delete + 1 || now.first == rep_delete + 2);
			pushed = now.last;
			deleted = now.first - 1;
		}

		/* What the daemon does next: stop the open transaction. */
		assert_int_equal(store_tx_open_foreach(st, end_open, st), 0);
		store_close(st);
		st = NULL;
	}
	assert_true(pushed > 100);	/* the rounds did real work */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_loses_nothing),
	};

	snprintf(dir, sizeof(dir), "%s/test_store_dur.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof(db), "%s/durable.db", dir);
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	char p[128];
	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	rmdir(dir);
	return failed;
}
