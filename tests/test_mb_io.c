/*
 * test_mb_io.c - the Modbus TCP sockets against real peers on loopback.
 *
 * The meter master (hw/mb_meter.h) reads a libmodbus server in a child
 * process that serves the Socomec Countis registers; the test drives the
 * master's fds with poll() like the station's loop, on a station clock that
 * follows real time and jumps to the master's next deadline when nothing
 * is left to wait for (so back-offs of many seconds take none).  The server
 * is stopped (timeouts, reconnects), killed (refused connections) and
 * started again (readings again); every call into the master is timed and
 * must return within 10 ms.  Raw servers check an answer split over two
 * TCP segments, a Modbus exception and an answer to another transaction.
 *
 * The EMS slave (hw/ems_server.h) is driven the same way while libmodbus
 * clients in a child process write and read setpoints, get the exception
 * codes, and find a third connection closed.  In-process clients check
 * partial and pipelined requests, broken framing, the 60 s idle close and
 * a port in use.
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <modbus.h>

#include "cp_log.h"
#include "hw/ems_server.h"
#include "hw/mb_meter.h"

/* No call into the I/O code may take longer (the station's loop).  Under
 * valgrind everything runs some 50 times slower: TEST_MAX_CALL_US raises
 * the bound there. */
static int64_t MAX_CALL_US = 10000;

static int64_t real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t max_call_us;

#define TIMED(call) do {						\
	int64_t t0_ = real_us();					\
	call;								\
	int64_t dt_ = real_us() - t0_;					\
	if (dt_ > max_call_us)						\
		max_call_us = dt_;					\
	if (dt_ >= MAX_CALL_US)						\
		fail_msg("%s took %lld us", #call, (long long)dt_);	\
} while (0)

/* ------------------------------------------------------- meter servers */

/* Socomec Countis E2x registers 0xC550..0xC57F as a libmodbus mapping
 * holds them: V1 230.12 V, V2 229.00 V, V3 231.50 V, f 50.00 Hz, I1
 * 16.001 A, I2 70.000 A (needs the high word), I3 0.005 A. */
#define SOCO_BASE 0xC550
#define SOCO_N 0x30

static void socomec_regs(uint16_t r[SOCO_N])
{
	memset(r, 0, SOCO_N * sizeof(r[0]));
	r[0x09] = 23012;
	r[0x0B] = 22900;
	r[0x0D] = 23150;
	r[0x0F] = 5000;
	r[0x11] = 16001;
	r[0x12] = 0x0001;
	r[0x13] = 0x1170;
	r[0x15] = 5;
}

/* A listening socket on 127.0.0.1:port (0: any) made by libmodbus;
 * *port gets the port. */
static int listen_on(uint16_t *port)
{
	modbus_t *ctx = modbus_new_tcp("127.0.0.1", *port);
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd;

	assert_non_null(ctx);
	fd = modbus_tcp_listen(ctx, 8);
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	modbus_free(ctx);
	return fd;
}

/* fork() for a peer: the child must not run cmocka's handlers (a crash
 * there would continue the test suite in the child) nor outlive us. */
static pid_t fork_peer(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	}
	return pid;
}

/* A libmodbus server in a child process: serves the Socomec registers on
 * lfd, one connection at a time, until killed.  The parent's copy of lfd
 * is closed, so killing the child closes the port. */
static pid_t start_libmodbus_meter(int lfd)
{
	pid_t pid = fork_peer();

	if (pid > 0) {
		close(lfd);
		return pid;
	}
	modbus_t *ctx = modbus_new_tcp("127.0.0.1", 0);
	modbus_mapping_t *map = modbus_mapping_new_start_address(0, 0, 0, 0,
								 SOCO_BASE, SOCO_N, 0, 0);
	if (!ctx || !map)
		_exit(2);
	socomec_regs(map->tab_registers);
	for (;;) {
		int s = lfd;
		uint8_t q[MODBUS_TCP_MAX_ADU_LENGTH];

		if (modbus_tcp_accept(ctx, &s) < 0)
			continue;
		for (;;) {
			int rc = modbus_receive(ctx, q);

			if (rc > 0)
				modbus_reply(ctx, q, rc, map);
			else if (rc < 0)
				break;
		}
		modbus_close(ctx);
	}
}

enum raw_mode { RAW_SPLIT, RAW_WRONG_TID };

/* A hand-made server (no libmodbus) for what libmodbus servers never do:
 * RAW_SPLIT answers every request in two segments 100 ms apart;
 * RAW_WRONG_TID answers with the transaction id plus one. */
static pid_t start_raw_meter(int lfd, enum raw_mode mode)
{
	pid_t pid = fork_peer();
	uint16_t regs[SOCO_N];

	if (pid > 0) {
		close(lfd);
		return pid;
	}
	socomec_regs(regs);
	for (;;) {
		int s = accept(lfd, NULL, NULL);
		uint8_t q[12], a[MB_MAX_ADU];

		if (s < 0)
			continue;
		while (recv(s, q, sizeof(q), MSG_WAITALL) == (ssize_t)sizeof(q)) {
			uint16_t addr = mb_get16(q + 8), count = mb_get16(q + 10);
			int n = 9 + 2 * count;

			if (q[7] != 3 || addr < SOCO_BASE || addr + count > SOCO_BASE + SOCO_N)
				break;
			memcpy(a, q, 7);
			mb_put16(a + 4, (uint16_t)(3 + 2 * count));
			a[7] = 3;
			a[8] = (uint8_t)(2 * count);
			for (int i = 0; i < count; i++)
				mb_put16(a + 9 + 2 * i, regs[addr - SOCO_BASE + i]);
			if (mode == RAW_WRONG_TID) {
				mb_put16(a, (uint16_t)(mb_get16(q) + 1));
				send(s, a, (size_t)n, MSG_NOSIGNAL);
				continue;
			}
			send(s, a, 5, MSG_NOSIGNAL);
			usleep(100 * 1000);
			send(s, a + 5, (size_t)n - 5, MSG_NOSIGNAL);
		}
		close(s);
	}
}

static void stop_child(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* --------------------------------------------------------- meter driver */

struct drive {
	struct mb_meter *m;
	int64_t now;		/* station time, ms */
};

/* One turn of the loop.  In the states that wait for the peer (connect,
 * answer) poll waits up to 500 ms of real time -- a peer on loopback that
 * is running answers in far less, even on a busy machine; in the others
 * nothing can come.  When poll has nothing the clock jumps to the next
 * deadline. */
static void step(struct drive *d)
{
	struct mb_meter *m = d->m;
	int64_t dl = mb_meter_next_deadline(m).ms;
	int64_t t0 = real_us(), wait = dl - d->now;
	struct pollfd p = { .fd = mb_meter_fd(m), .events = POLLIN };
	bool io_wait = m->state == MB_METER_CONNECTING || m->state == MB_METER_WAITING;
	int n = 0;

	if (mb_meter_wants_write(m))
		p.events |= POLLOUT;
	if (wait < 0)
		wait = 0;
	if (p.fd >= 0)
		n = poll(&p, 1, io_wait ? (int)(wait < 500 ? wait : 500) : 0);
	d->now += (real_us() - t0) / 1000;
	if (n == 0 && d->now < dl)
		d->now = dl;
	if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
		TIMED(mb_meter_on_readable(m, cp_mono(d->now)));
	if (n > 0 && (p.revents & POLLOUT))
		TIMED(mb_meter_on_writable(m, cp_mono(d->now)));
	TIMED(mb_meter_on_timer(m, cp_mono(d->now)));
}

#define RUN_UNTIL(d, cond) do {						\
	int steps_ = 0;							\
	while (!(cond)) {						\
		step(d);						\
		if (++steps_ > 2000)					\
			fail_msg("never: %s", #cond);			\
	}								\
} while (0)

static int count_lines(FILE *f, const char *needle)
{
	char line[512];
	int n = 0;

	fflush(f);
	rewind(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fseek(f, 0, SEEK_END);
	return n;
}

static void test_meter_socomec_stop_kill_restart(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map;
	struct mb_reading rd;
	const struct mb_meter_counters *c = &m.cnt;
	struct drive d = { .m = &m, .now = 100000 };
	uint16_t port = 0;
	cp_mono_t at, first_at;
	FILE *log = tmpfile();
	pid_t srv;

	assert_non_null(log);
	cp_log_set_output(log);
	cp_log_set_level(CP_LOG_DEBUG);	/* every log line's path taken too */
	srv = start_libmodbus_meter(listen_on(&port));
	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	assert_int_equal(mb_meter_init(&m, "127.0.0.1", port, 5, &map), 0);
	assert_int_equal(mb_meter_fd(&m), -1);
	assert_false(mb_meter_reading(&m, &rd, &at));

	/* Readings, once a second of station time. */
	RUN_UNTIL(&d, c->polls_ok >= 1);
	assert_true(mb_meter_reading(&m, &rd, &first_at));
	RUN_UNTIL(&d, c->polls_ok >= 4);
	assert_true(mb_meter_reading(&m, &rd, &at));
	/* Three polls apart (each reading's time includes its answer's
	 * latency). */
	assert_in_range(at.ms - first_at.ms, 2700, 3500);
	assert_int_equal(rd.current_ma[0], 16001);
	assert_int_equal(rd.current_ma[1], 70000);
	assert_int_equal(rd.current_ma[2], 5);
	assert_true(rd.has_voltage);
	assert_int_equal(rd.voltage_mv[0], 230120);
	assert_int_equal(rd.voltage_mv[2], 231500);
	assert_int_equal(c->polls_failed, 0);
	assert_int_equal(c->timeouts, 0);
	assert_int_equal(c->reconnects, 0);
	assert_int_equal(c->exceptions, 0);

	/* Stopped: the kernel still accepts connections, nobody answers. */
	kill(srv, SIGSTOP);
	RUN_UNTIL(&d, c->timeouts >= 2);
	assert_true(c->reconnects >= 1);
	assert_true(c->polls_failed >= 2);
	/* The last good reading stays, with its time. */
	cp_mono_t at2;
	assert_true(mb_meter_reading(&m, &rd, &at2));
	assert_int_equal(at2.ms, at.ms);

	/* Killed: connections refused. */
	stop_child(srv);
	uint32_t r0 = c->reconnects, f0 = c->polls_failed, ok0 = c->polls_ok;
	RUN_UNTIL(&d, c->polls_failed >= f0 + 3);
	assert_true(c->reconnects >= r0 + 3);
	assert_int_equal(c->polls_ok, ok0);
	assert_int_equal(mb_meter_fd(&m) >= 0, m.state != MB_METER_IDLE);
	/* The back-off grows (1, 2, 4, 8 s ...) up to 30 s. */
	assert_true(m.backoff_ms >= 8000);
	RUN_UNTIL(&d, m.backoff_ms == MB_METER_BACKOFF_MAX_MS && m.state == MB_METER_IDLE);
	assert_int_equal(mb_meter_next_deadline(&m).ms - d.now <= MB_METER_BACKOFF_MAX_MS, 1);

	/* Started again on the same port: readings again. */
	srv = start_libmodbus_meter(listen_on(&port));
	RUN_UNTIL(&d, c->polls_ok >= ok0 + 2);
	assert_true(mb_meter_reading(&m, &rd, &at));
	assert_true(at.ms > at2.ms);
	assert_int_equal(rd.current_ma[1], 70000);
	assert_int_equal(m.backoff_ms, MB_METER_BACKOFF_MIN_MS);
	/* One episode: one warning, one line when it ended. */
	assert_int_equal(count_lines(log, "no reading"), 1);
	assert_int_equal(count_lines(log, "readings again"), 1);
	print_message("meter: %u ok, %u failed, %u timeouts, %u reconnects; longest call %lld us\n",
		      c->polls_ok, c->polls_failed, c->timeouts, c->reconnects,
		      (long long)max_call_us);

	mb_meter_close(&m);
	assert_int_equal(mb_meter_fd(&m), -1);
	assert_true(count_lines(log, "connecting -> ready") >= 2);
	stop_child(srv);
	cp_log_set_level(CP_LOG_INFO);
	cp_log_set_output(NULL);
	fclose(log);
}

static void test_meter_exception(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map;
	struct mb_reg_spec s[3];
	const struct mb_meter_counters *c = &m.cnt;
	struct drive d = { .m = &m, .now = 0 };
	uint16_t port = 0;
	pid_t srv = start_libmodbus_meter(listen_on(&port));

	/* L3 is outside what the server maps: exception 0x02 every poll. */
	assert_int_equal(mb_map_parse("0xC560,u32,0.001", &s[0], NULL, 0), 0);
	assert_int_equal(mb_map_parse("0xC562,u32,0.001", &s[1], NULL, 0), 0);
	assert_int_equal(mb_map_parse("100,u32,0.001", &s[2], NULL, 0), 0);
	assert_int_equal(mb_map_preset(MB_MODEL_CUSTOM, s, &map), 0);
	assert_int_equal(mb_meter_init(&m, "127.0.0.1", port, 1, &map), 0);
	RUN_UNTIL(&d, c->exceptions >= 3);
	/* Counted, not applied, the connection kept. */
	assert_int_equal(c->polls_ok, 0);
	assert_int_equal(c->polls_failed, c->exceptions);
	assert_int_equal(c->reconnects, 0);
	assert_int_equal(c->timeouts, 0);
	assert_false(mb_meter_reading(&m, NULL, NULL));
	mb_meter_close(&m);
	stop_child(srv);
}

static void test_meter_split_answer(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map;
	struct mb_reading rd;
	const struct mb_meter_counters *c = &m.cnt;
	struct drive d = { .m = &m, .now = 0 };
	uint16_t port = 0;
	pid_t srv = start_raw_meter(listen_on(&port), RAW_SPLIT);

	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	assert_int_equal(mb_meter_init(&m, "127.0.0.1", port, 5, &map), 0);
	max_call_us = 0;
	RUN_UNTIL(&d, c->polls_ok >= 2);
	assert_true(mb_meter_reading(&m, &rd, NULL));
	assert_int_equal(rd.current_ma[0], 16001);
	assert_int_equal(c->polls_failed, 0);
	/* The 100 ms between the halves were never spent inside a call. */
	assert_true(max_call_us < MAX_CALL_US);
	mb_meter_close(&m);
	stop_child(srv);
}

static void test_meter_wrong_transaction(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map;
	const struct mb_meter_counters *c = &m.cnt;
	struct drive d = { .m = &m, .now = 0 };
	uint16_t port = 0;
	pid_t srv = start_raw_meter(listen_on(&port), RAW_WRONG_TID);

	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	assert_int_equal(mb_meter_init(&m, "127.0.0.1", port, 5, &map), 0);
	RUN_UNTIL(&d, c->reconnects >= 2);
	assert_int_equal(c->polls_ok, 0);
	assert_true(c->polls_failed >= 2);
	assert_int_equal(c->timeouts, 0);
	mb_meter_close(&m);
	stop_child(srv);
}

static void test_meter_init_refuses(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map, empty;

	memset(&empty, 0, sizeof(empty));
	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	assert_int_equal(mb_meter_init(&m, "localhost", 502, 1, &map), -EINVAL);
	assert_int_equal(mb_meter_init(&m, "192.168.0.256", 502, 1, &map), -EINVAL);
	assert_int_equal(mb_meter_init(&m, NULL, 502, 1, &map), -EINVAL);
	assert_int_equal(mb_meter_init(&m, "192.168.0.5", 0, 1, &map), -EINVAL);
	assert_int_equal(mb_meter_init(&m, "192.168.0.5", 502, 1, &empty), -EINVAL);
	assert_int_equal(mb_meter_fd(&m), -1);
	assert_int_equal(mb_meter_init(&m, "192.168.0.5", 502, 1, &map), 0);
	assert_string_equal(m.name, "192.168.0.5:502/1");
}

/* A connect nobody answers (a blackholed address) times out; whether the
 * network here routes it or refuses it, no call blocks. */
static void test_meter_connect_unanswered(void **state)
{
	(void)state;
	struct mb_meter m;
	struct mb_map map;
	const struct mb_meter_counters *c = &m.cnt;
	struct drive d = { .m = &m, .now = 0 };

	assert_int_equal(mb_map_preset(MB_MODEL_SOCOMEC, NULL, &map), 0);
	/* TEST-NET-1 (RFC 5737): never a host. */
	assert_int_equal(mb_meter_init(&m, "192.0.2.1", 502, 1, &map), 0);
	max_call_us = 0;
	RUN_UNTIL(&d, c->polls_failed >= 2);
	assert_int_equal(c->polls_ok, 0);
	assert_true(max_call_us < MAX_CALL_US);
	mb_meter_close(&m);
}

/* ------------------------------------------------------------ EMS slave */

static void ems_fixture(struct ems_snapshot *snap, struct ems_state *st)
{
	ems_snapshot_init(snap);
	snap->station.n_sockets = 2;
	snap->station.mode = EMS_MODE_SOCKET;
	for (int k = 0; k < 2; k++) {
		snap->sock[k].max_ma = 32000;
		snap->sock[k].applied_ma = 13000;
		snap->sock[k].current_ma[0] = 12500;
	}
	ems_state_init(st, 60000);
}

/* Serves until the child exits; returns its exit status. */
static int serve_until_exit(struct ems_server *srv, pid_t pid, int64_t *now,
			    const struct ems_snapshot *snap, struct ems_state *st)
{
	for (int turns = 0; turns < 2000; turns++) {
		int fds[1 + CP_MAX_EMS_MASTERS], status;
		struct pollfd p[1 + CP_MAX_EMS_MASTERS];
		int n = ems_server_fds(srv, fds);
		int64_t t0 = real_us();

		for (int i = 0; i < n; i++) {
			p[i].fd = fds[i];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		poll(p, (nfds_t)n, 20);
		*now += (real_us() - t0) / 1000;
		for (int i = 0; i < n; i++)
			if (p[i].revents)
				TIMED(ems_server_on_readable(srv, p[i].fd, cp_mono(*now), snap, st));
		TIMED(ems_server_on_timer(srv, cp_mono(*now)));
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static modbus_t *client(uint16_t port, int unit)
{
	modbus_t *c = modbus_new_tcp("127.0.0.1", port);

	if (!c)
		return NULL;
	modbus_set_response_timeout(c, 2, 0);
	if (modbus_connect(c) < 0) {
		modbus_free(c);
		return NULL;
	}
	modbus_set_slave(c, unit);
	return c;
}

/* IEEE 754 words, high word first, made here rather than with libmodbus:
 * modbus_set_float_abcd of libmodbus 3.1.6 swaps the bytes of each word on
 * a little-endian host. */
static void put_f32(float f, uint16_t r[2])
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	r[0] = (uint16_t)(u >> 16);
	r[1] = (uint16_t)u;
}

static float get_f32(const uint16_t r[2])
{
	uint32_t u = (uint32_t)r[0] << 16 | r[1];
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/* The EMS: libmodbus clients; each check that fails exits with its
 * number. */
/* A failed check in the client: says which and why on stderr. */
static int bad(int step)
{
	fprintf(stderr, "ems client: check %d failed: %s\n", step, modbus_strerror(errno));
	return step;
}

static int ems_client(uint16_t port)
{
	uint16_t r[8];
	modbus_t *c1, *c2, *c3;

	if (!(c1 = client(port, 1)))
		return bad(1);
	put_f32(16.0f, r);
	if (modbus_write_registers(c1, 1210, 2, r) != 2)
		return bad(2);
	/* 1206 applied, 1208 validity, 1210 setpoint. */
	if (modbus_read_registers(c1, 1206, 6, r) != 6)
		return bad(3);
	if (get_f32(r) != 13.0f)
		return bad(4);
	if (r[2] != 0 || r[3] != 60)
		return bad(5);
	if (get_f32(r + 4) != 16.0f)
		return bad(6);
	/* NaN: illegal data value, the setpoint stays. */
	put_f32(NAN, r);
	if (modbus_write_registers(c1, 1210, 2, r) != -1 || errno != EMBXILVAL)
		return bad(7);
	/* Too high, negative. */
	put_f32(40.0f, r);
	if (modbus_write_registers(c1, 1210, 2, r) != -1 || errno != EMBXILVAL)
		return bad(8);
	put_f32(-1.0f, r);
	if (modbus_write_registers(c1, 1210, 2, r) != -1 || errno != EMBXILVAL)
		return bad(9);
	if (modbus_read_registers(c1, 1210, 2, r) != 2 || get_f32(r) != 16.0f)
		return bad(10);
	/* Half a float with function 0x06; a read-only register. */
	if (modbus_write_register(c1, 1210, 0x4180) != -1 || errno != EMBXILADD)
		return bad(11);
	put_f32(10.0f, r);
	if (modbus_write_registers(c1, 1206, 2, r) != -1 || errno != EMBXILADD)
		return bad(12);
	/* Outside the map; an unknown function. */
	if (modbus_read_registers(c1, 5000, 2, r) != -1 || errno != EMBXILADD)
		return bad(13);
	if (modbus_read_input_registers(c1, 320, 2, r) != -1 || errno != EMBXILFUN)
		return bad(14);
	/* A unit that is not ours. */
	modbus_set_slave(c1, 7);
	if (modbus_read_registers(c1, 320, 2, r) != -1 || errno != EMBXGTAR)
		return bad(15);
	modbus_set_slave(c1, 200);
	if (modbus_read_registers(c1, 1105, 1, r) != 1 || r[0] != 2)
		return bad(16);
	modbus_set_slave(c1, 1);
	/* A second master is served. */
	if (!(c2 = client(port, 2)))
		return bad(17);
	if (modbus_read_registers(c2, 320, 2, r) != 2 || get_f32(r) != 12.5f)
		return bad(18);
	/* A third is closed at once: its request fails. */
	c3 = client(port, 1);
	if (c3 && modbus_read_registers(c3, 320, 2, r) != -1)
		return bad(19);
	/* The first two still work. */
	if (modbus_read_registers(c1, 1210, 2, r) != 2 || get_f32(r) != 16.0f)
		return bad(20);
	if (modbus_read_registers(c2, 1206, 2, r) != 2)
		return bad(21);
	if (c3) {
		modbus_close(c3);
		modbus_free(c3);
	}
	modbus_close(c1);
	modbus_free(c1);
	modbus_close(c2);
	modbus_free(c2);
	return 0;
}

static void test_ems_server_libmodbus_masters(void **state)
{
	(void)state;
	struct ems_server srv;
	struct ems_snapshot snap;
	struct ems_state st;
	int64_t now = 1000;
	int32_t ma;
	pid_t pid;

	ems_fixture(&snap, &st);
	assert_int_equal(ems_server_open(&srv, "127.0.0.1", 0), 0);
	assert_true(ems_server_port(&srv) > 0);
	pid = fork_peer();
	if (pid == 0)
		_exit(ems_client(ems_server_port(&srv)));
	max_call_us = 0;
	assert_int_equal(serve_until_exit(&srv, pid, &now, &snap, &st), 0);
	assert_true(ems_setpoint(&st, 1, cp_mono(now), &ma));
	assert_int_equal(ma, 16000);
	assert_false(ems_setpoint(&st, 2, cp_mono(now), NULL));
	assert_int_equal(srv.cnt.refused, 1);
	/* 15 requests answered, 8 with exceptions; the third master's never. */
	assert_int_equal(srv.cnt.requests, 15);
	assert_int_equal(srv.cnt.exceptions, 8);
	print_message("ems: %u requests, %u exceptions, %u refused; longest call %lld us\n",
		      srv.cnt.requests, srv.cnt.exceptions, srv.cnt.refused,
		      (long long)max_call_us);
	ems_server_close(&srv);
}

/* An in-process master: a blocking socket connected to the server, which
 * is then made to accept it. */
static int connect_master(struct ems_server *srv, cp_mono_t now, const struct ems_snapshot *snap,
			  struct ems_state *st)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(srv->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct pollfd p = { .fd = srv->listen_fd, .events = POLLIN };

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(poll(&p, 1, 1000), 1);
	TIMED(ems_server_on_readable(srv, srv->listen_fd, now, snap, st));
	return fd;
}

/* Feeds what arrived on the master's fd to the server. */
static void pump(struct ems_server *srv, int64_t now, const struct ems_snapshot *snap,
		 struct ems_state *st)
{
	for (int i = 0; i < CP_MAX_EMS_MASTERS; i++) {
		struct pollfd p = { .fd = srv->m[i].fd, .events = POLLIN };

		if (p.fd >= 0 && poll(&p, 1, 200) == 1)
			TIMED(ems_server_on_readable(srv, p.fd, cp_mono(now), snap, st));
	}
}

static ssize_t recv_some(int fd, uint8_t *b, size_t n, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) != 1)
		return -2;
	return recv(fd, b, n, MSG_DONTWAIT);
}

static void test_ems_server_frames_and_idle(void **state)
{
	(void)state;
	struct ems_server srv;
	struct ems_snapshot snap;
	struct ems_state st;
	uint8_t b[600];
	static const uint8_t rd320[] = { 0, 1, 0, 0, 0, 6, 1, 3, 0x01, 0x40, 0, 2 };
	static const uint8_t rd1105[] = { 0, 2, 0, 0, 0, 6, 200, 3, 0x04, 0x51, 0, 1 };
	static const uint8_t bad[] = { 0, 3, 0, 9, 0, 6, 1, 3, 0x01, 0x40, 0, 2 };
	int fd;

	ems_fixture(&snap, &st);
	assert_int_equal(ems_server_open(&srv, NULL, 0), 0);
	assert_int_equal(ems_server_next_deadline(&srv).ms, INT64_MAX);
	fd = connect_master(&srv, cp_mono(0), &snap, &st);
	assert_int_equal(ems_server_masters(&srv), 1);
	assert_int_equal(ems_server_next_deadline(&srv).ms, EMS_IDLE_MS);

	/* A request in two pieces: nothing until it is whole. */
	assert_int_equal(send(fd, rd320, 5, 0), 5);
	pump(&srv, 1000, &snap, &st);
	assert_int_equal(recv_some(fd, b, sizeof(b), 50), -2);
	assert_int_equal(send(fd, rd320 + 5, sizeof(rd320) - 5, 0), (ssize_t)sizeof(rd320) - 5);
	pump(&srv, 1000, &snap, &st);
	assert_int_equal(recv_some(fd, b, sizeof(b), 1000), 13);
	assert_int_equal(b[1], 1);
	assert_int_equal(b[8], 4);

	/* Two requests in one segment: two answers, in order. */
	uint8_t two[24];
	memcpy(two, rd320, 12);
	memcpy(two + 12, rd1105, 12);
	assert_int_equal(send(fd, two, sizeof(two), 0), (ssize_t)sizeof(two));
	pump(&srv, 30000, &snap, &st);
	ssize_t got = 0;
	while (got < 13 + 11) {
		ssize_t n = recv_some(fd, b + got, sizeof(b) - (size_t)got, 1000);
		assert_true(n > 0);
		got += n;
	}
	assert_int_equal(got, 24);
	assert_int_equal(b[1], 1);
	assert_int_equal(b[13 + 1], 2);
	assert_int_equal(mb_get16(b + 13 + 9), 2);	/* 1105: two sockets */
	/* The last request at 30 s: idle from there. */
	assert_int_equal(ems_server_next_deadline(&srv).ms, 30000 + EMS_IDLE_MS);
	TIMED(ems_server_on_timer(&srv, cp_mono(30000 + EMS_IDLE_MS - 1)));
	assert_int_equal(ems_server_masters(&srv), 1);
	TIMED(ems_server_on_timer(&srv, cp_mono(30000 + EMS_IDLE_MS)));
	assert_int_equal(ems_server_masters(&srv), 0);
	assert_int_equal(recv_some(fd, b, sizeof(b), 1000), 0);	/* closed */
	close(fd);

	/* Broken framing: the master is dropped. */
	fd = connect_master(&srv, cp_mono(100000), &snap, &st);
	assert_int_equal(send(fd, bad, sizeof(bad), 0), (ssize_t)sizeof(bad));
	pump(&srv, 100000, &snap, &st);
	assert_int_equal(ems_server_masters(&srv), 0);
	assert_int_equal(srv.cnt.dropped, 2);
	close(fd);

	/* A master that leaves is forgotten. */
	fd = connect_master(&srv, cp_mono(200000), &snap, &st);
	assert_int_equal(ems_server_masters(&srv), 1);
	close(fd);
	pump(&srv, 200000, &snap, &st);
	assert_int_equal(ems_server_masters(&srv), 0);
	assert_int_equal(srv.cnt.dropped, 2);
	ems_server_close(&srv);
	int fds[1 + CP_MAX_EMS_MASTERS];
	assert_int_equal(ems_server_fds(&srv, fds), 0);
}

static void test_ems_server_open_errors(void **state)
{
	(void)state;
	struct ems_server a, b;

	assert_int_equal(ems_server_open(&a, "127.0.0.1", 0), 0);
	assert_int_equal(ems_server_open(&b, "127.0.0.1", ems_server_port(&a)), -EADDRINUSE);
	assert_int_equal(ems_server_open(&b, "1.2.3", 0), -EINVAL);
	assert_int_equal(ems_server_open(&b, "localhost", 0), -EINVAL);
	/* An address this host does not have. */
	assert_int_equal(ems_server_open(&b, "192.0.2.1", 0), -EADDRNOTAVAIL);
	assert_int_equal(ems_server_open(&b, "0.0.0.0", 0), 0);
	ems_server_close(&b);
	ems_server_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meter_init_refuses),
		cmocka_unit_test(test_meter_socomec_stop_kill_restart),
		cmocka_unit_test(test_meter_exception),
		cmocka_unit_test(test_meter_split_answer),
		cmocka_unit_test(test_meter_wrong_transaction),
		cmocka_unit_test(test_meter_connect_unanswered),
		cmocka_unit_test(test_ems_server_libmodbus_masters),
		cmocka_unit_test(test_ems_server_frames_and_idle),
		cmocka_unit_test(test_ems_server_open_errors),
	};
	signal(SIGPIPE, SIG_IGN);
	if (getenv("TEST_MAX_CALL_US"))
		MAX_CALL_US = atoll(getenv("TEST_MAX_CALL_US"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
