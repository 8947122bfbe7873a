/*
 * test_p1_serial.c - the P1 port on real pseudo-terminals standing in for
 * the meter's serial line.  The port opens a symlink to the pty slave (as a
 * udev name would point at /dev/ttyUSB0); the test writes telegrams in
 * pieces to the master and waits with poll() (the test may wait; the port
 * never does).  Closing the master and removing the symlink is an unplugged
 * adapter: the port closes and backs off 1, 2, 4 ... 30 s, logging once; a
 * new pty behind the symlink is the adapter back.  Line settings are read
 * back with tcgetattr on the descriptor the port opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "cp_log.h"
#include "hw/p1_serial.h"
#include "tests/p1_samples.h"

/* DSMR 5.0, 3-phase, export on L3 (the parser's tests have the details). */
#define T50 P1_SAMPLE_DSMR50

/* DSMR 3.0 (no CRC), 1-phase. */
#define T30 \
	"/KMP5 KA6U001585575011\r\n\r\n" \
	"1-0:1.7.0(0000.92*kW)\r\n" \
	"1-0:2.7.0(0000.00*kW)\r\n" \
	"1-0:31.7.0(004*A)\r\n" \
	"!\r\n"

static char dir[64];
static char link_path[96];
static int master = -1;
static FILE *log_f;
static struct p1_reading got[8];
static int n_got;

static uint16_t crc_ref(const char *s, size_t n)
{
	uint16_t crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= (uint8_t)s[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

static size_t with_crc(char *out, size_t cap, const char *text)
{
	int w = snprintf(out, cap, "%s%04X\r\n", text, crc_ref(text, strlen(text)));

	assert_true(w > 0 && (size_t)w < cap);
	return (size_t)w;
}

/* A new meter: a pty whose slave the symlink names. */
static void plug(void)
{
	char name[64];
	int slave;

	assert_int_equal(openpty(&master, &slave, name, NULL, NULL), 0);
	close(slave);	/* only the port holds the slave */
	assert_int_equal(symlink(name, link_path), 0);
}

static void unplug(void)
{
	close(master);
	master = -1;
	unlink(link_path);
}

static void on_reading(void *ctx, const struct p1_reading *r, cp_mono_t now)
{
	(void)now;
	assert_ptr_equal(ctx, &n_got);
	if (n_got < (int)(sizeof(got) / sizeof(got[0])))
		got[n_got] = *r;
	n_got++;
}

static void put(const void *data, size_t n)
{
	assert_int_equal(write(master, data, n), (ssize_t)n);
}

/* Waits (up to 2 s) for the port's descriptor and lets the port read, until
 * `want` readings came in total or the port failed; returns the last
 * p1_port_on_readable result. */
static int pump(struct p1_port *port, cp_mono_t now, int want)
{
	int rc = 0;

	for (int tries = 0; tries < 200 && n_got < want; tries++) {
		struct pollfd pfd = { .fd = p1_port_fd(port), .events = POLLIN };

		if (pfd.fd < 0)
			break;
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		rc = p1_port_on_readable(port, now, on_reading, &n_got);
		if (rc < 0)
			break;
	}
	return rc;
}

/* Waits (up to 1 s) for input and lets the port read it once. */
static int pump_once(struct p1_port *port, cp_mono_t now)
{
	struct pollfd pfd = { .fd = p1_port_fd(port), .events = POLLIN };

	if (pfd.fd < 0 || poll(&pfd, 1, 1000) <= 0)
		return 0;
	return p1_port_on_readable(port, now, on_reading, &n_got);
}

/* Times a line containing `what` was logged. */
static int logged(const char *what)
{
	char line[512];
	int n = 0;

	fflush(log_f);
	rewind(log_f);
	while (fgets(line, sizeof(line), log_f))
		if (strstr(line, what))
			n++;
	fseek(log_f, 0, SEEK_END);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_p1_XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(link_path, sizeof(link_path), "%s/p1", dir);
	log_f = tmpfile();
	assert_non_null(log_f);
	cp_log_set_output(log_f);
	n_got = 0;
	memset(got, 0, sizeof(got));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (master >= 0)
		unplug();
	unlink(link_path);
	rmdir(dir);
	cp_log_set_output(NULL);
	fclose(log_f);
	return 0;
}

static void test_line_settings_dsmr45(void **state)
{
	(void)state;
	static struct p1_port port;
	struct termios t;

	plug();
	assert_int_equal(p1_port_init(&port, link_path, P1_DSMR45, cp_mono(0)), 0);
	int fd = p1_port_fd(&port);
	assert_true(fd >= 0);
	assert_int_equal(tcgetattr(fd, &t), 0);
	assert_int_equal(cfgetispeed(&t), B115200);
	assert_int_equal(cfgetospeed(&t), B115200);
	assert_int_equal(t.c_cflag & CSIZE, CS8);
	assert_int_equal(t.c_cflag & (PARENB | CSTOPB | CRTSCTS), 0);
	assert_int_equal(t.c_cflag & (CLOCAL | CREAD), CLOCAL | CREAD);
	/* raw: no line editing, echo, signals or CR/LF mapping */
	assert_int_equal(t.c_lflag & (ICANON | ECHO | ISIG | IEXTEN), 0);
	assert_int_equal(t.c_iflag & (ICRNL | INLCR | IGNCR | IXON | ISTRIP), 0);
	assert_int_equal(t.c_oflag & OPOST, 0);
	assert_int_equal(t.c_cc[VMIN], 0);
	assert_int_equal(t.c_cc[VTIME], 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(p1_port_next_deadline(&port).ms, P1_PORT_NEVER);
	p1_port_close(&port);
	assert_int_equal(p1_port_fd(&port), -1);
	assert_int_equal(p1_port_next_deadline(&port).ms, P1_PORT_NEVER);
}

static void test_line_settings_dsmr23(void **state)
{
	(void)state;
	static struct p1_port port;
	struct termios t;

	plug();
	assert_int_equal(p1_port_init(&port, link_path, P1_DSMR23, cp_mono(0)), 0);
	assert_int_equal(tcgetattr(p1_port_fd(&port), &t), 0);
	assert_int_equal(cfgetispeed(&t), B9600);
	assert_int_equal(cfgetospeed(&t), B9600);
	assert_true(t.c_iflag & INPCK);
	assert_int_equal(t.c_lflag & (ICANON | ECHO), 0);
	/* A pty forces 8 bits without parity (the kernel's pty driver), so
	 * 7E1 is checked on the settings themselves. */
	memset(&t, 0xff, sizeof(t));
	p1_line_settings(&t, P1_DSMR23);
	assert_int_equal(t.c_cflag & CSIZE, CS7);
	assert_int_equal(t.c_cflag & (PARENB | PARODD | CSTOPB | CRTSCTS), PARENB);
	assert_int_equal(t.c_cflag & (CLOCAL | CREAD), CLOCAL | CREAD);
	assert_int_equal(t.c_iflag & (INPCK | ISTRIP | IXON | IXOFF | ICRNL | IUCLC | IGNPAR),
			 INPCK | ISTRIP);
	assert_int_equal(t.c_lflag & (ICANON | ECHO | ISIG), 0);
	assert_int_equal(t.c_cc[VMIN], 0);
	assert_int_equal(t.c_cc[VTIME], 0);
	assert_int_equal(cfgetispeed(&t), B9600);
	memset(&t, 0xff, sizeof(t));
	p1_line_settings(&t, P1_DSMR45);
	assert_int_equal(t.c_cflag & CSIZE, CS8);
	assert_int_equal(t.c_cflag & (PARENB | PARODD | CSTOPB | CRTSCTS), 0);
	assert_int_equal(t.c_iflag & (INPCK | ISTRIP | IXON | IXOFF | ICRNL | IUCLC), 0);
	assert_int_equal(cfgetispeed(&t), B115200);

	put(T30 T30, strlen(T30 T30));
	assert_int_equal(pump(&port, cp_mono(5), 2), 2);
	assert_int_equal(n_got, 2);
	assert_int_equal(got[0].current_ma[0], 4000);
	assert_int_equal(port.last_reading.ms, 5);
	p1_port_close(&port);
}

static void test_reads_telegrams_in_pieces(void **state)
{
	(void)state;
	static struct p1_port port;
	static char t[4096];
	size_t n = with_crc(t, sizeof(t), T50);

	plug();
	assert_int_equal(p1_port_init(&port, link_path, P1_DSMR45, cp_mono(0)), 0);

	/* Nothing there yet: a wake-up without input is not a failure. */
	assert_int_equal(p1_port_on_readable(&port, cp_mono(1), on_reading, &n_got), 0);
	assert_true(p1_port_fd(&port) >= 0);

	/* in 37-byte pieces, the port reading between them */
	for (size_t off = 0; off < n; off += 37) {
		put(t + off, n - off < 37 ? n - off : 37);
		assert_true(pump_once(&port, cp_mono(10)) >= 0);
		assert_int_equal(n_got, off + 37 >= n - 2 ? 1 : 0);
	}
	assert_int_equal(n_got, 1);
	assert_int_equal(got[0].phases, 3);
	assert_int_equal(got[0].current_ma[0], 14000);
	assert_int_equal(got[0].current_ma[2], -9000);
	assert_int_equal(port.last_reading.ms, 10);

	/* two telegrams and noise in one write: both come */
	char two[8192];
	size_t m = 0;
	memcpy(two, "noise\r\n", 7);
	m = 7;
	m += with_crc(two + m, sizeof(two) - m, T50);
	m += with_crc(two + m, sizeof(two) - m, T50);
	put(two, m);
	assert_true(pump(&port, cp_mono(20), 3) >= 0);
	assert_int_equal(n_got, 3);
	assert_memory_equal(&got[1], &got[0], sizeof(got[0]));
	assert_memory_equal(&got[2], &got[0], sizeof(got[0]));

	/* a corrupt one is counted, not delivered */
	t[40] ^= 0x01;
	put(t, n);
	t[40] ^= 0x01;
	put(t, n);
	pump(&port, cp_mono(30), 4);
	assert_int_equal(n_got, 4);
	assert_int_equal(port.parser.crc_errors, 1);
	assert_int_equal(port.parser.telegrams_ok, 4);
	assert_int_equal(port.failures, 0);
	assert_int_equal(logged("P1 Device failure"), 0);
	p1_port_close(&port);
}

static void test_unplugged_backs_off_and_comes_back(void **state)
{
	(void)state;
	static struct p1_port port;
	static char t[4096];
	size_t n = with_crc(t, sizeof(t), T50);
	int64_t now = 1000;

	plug();
	assert_int_equal(p1_port_init(&port, link_path, P1_DSMR45, cp_mono(now)), 0);
	put(t, n);
	assert_int_equal(pump(&port, cp_mono(now), 1), 1);

	/* Unplugged, with half a telegram on the way. */
	put(t, n / 2);
	unplug();
	now = 5000;
	int rc = 0;
	for (int i = 0; i < 100 && p1_port_fd(&port) >= 0; i++) {
		struct pollfd pfd = { .fd = p1_port_fd(&port), .events = POLLIN };
		if (poll(&pfd, 1, 20) > 0)
			rc = p1_port_on_readable(&port, cp_mono(now), on_reading, &n_got);
	}
	assert_true(rc < 0);
	assert_int_equal(p1_port_fd(&port), -1);
	assert_int_equal(port.failures, 1);
	assert_true(port.last_error != 0);
	assert_int_equal(p1_port_next_deadline(&port).ms, now + 1000);
	assert_int_equal(logged("P1 Device failure"), 1);

	/* Not yet due; then each attempt fails (the symlink is gone) and
	 * the wait doubles up to 30 s. */
	assert_int_equal(p1_port_on_timer(&port, cp_mono(now + 999)), 0);
	static const int64_t waits[] = { 2000, 4000, 8000, 16000, 30000, 30000 };
	now += 1000;
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		assert_int_equal(p1_port_on_timer(&port, cp_mono(now)), -ENOENT);
		assert_int_equal(p1_port_fd(&port), -1);
		assert_int_equal(p1_port_next_deadline(&port).ms, now + waits[i]);
		now += waits[i];
	}
	assert_int_equal(port.last_error, ENOENT);
	assert_int_equal(port.failures, 1);
	assert_int_equal(logged("P1 Device failure"), 1);	/* once, not per retry */

	/* Plugged in again: the due attempt opens it and readings flow;
	 * the half telegram from before is gone. */
	plug();
	assert_int_equal(p1_port_on_timer(&port, cp_mono(now)), 1);
	assert_true(p1_port_fd(&port) >= 0);
	assert_int_equal(port.reopens, 1);
	assert_int_equal(p1_port_next_deadline(&port).ms, P1_PORT_NEVER);
	assert_int_equal(p1_port_on_timer(&port, cp_mono(now + 60000)), 0);
	put(t + n / 2, n - n / 2);
	put(t, n);
	pump(&port, cp_mono(now), 2);
	assert_int_equal(n_got, 2);
	assert_int_equal(got[1].current_ma[2], -9000);
	assert_int_equal(port.parser.crc_errors, 0);
	assert_int_equal(logged("telegrams again"), 1);

	/* A telegram came: the next failure waits 1 s again, and logs. */
	unplug();
	for (int i = 0; i < 100 && p1_port_fd(&port) >= 0; i++) {
		struct pollfd pfd = { .fd = p1_port_fd(&port), .events = POLLIN };
		if (poll(&pfd, 1, 20) > 0)
			p1_port_on_readable(&port, cp_mono(now), on_reading, &n_got);
	}
	assert_int_equal(p1_port_fd(&port), -1);
	assert_int_equal(p1_port_next_deadline(&port).ms, now + 1000);
	assert_int_equal(port.failures, 2);
	assert_int_equal(logged("P1 Device failure"), 2);
	p1_port_close(&port);
	assert_int_equal(p1_port_next_deadline(&port).ms, P1_PORT_NEVER);
}

static void test_missing_at_start(void **state)
{
	(void)state;
	static struct p1_port port;
	static char t[4096];
	size_t n = with_crc(t, sizeof(t), T50);

	assert_int_equal(p1_port_init(&port, link_path, P1_DSMR45, cp_mono(100)), -ENOENT);
	assert_int_equal(p1_port_fd(&port), -1);
	assert_int_equal(p1_port_next_deadline(&port).ms, 1100);
	assert_int_equal(logged("P1 Device failure: No such file or directory"), 1);
	assert_int_equal(p1_port_on_readable(&port, cp_mono(200), on_reading, &n_got), 0);

	plug();
	assert_int_equal(p1_port_on_timer(&port, cp_mono(1100)), 1);
	put(t, n);
	assert_int_equal(pump(&port, cp_mono(1200), 1), 1);
	p1_port_close(&port);
}

static void test_not_a_tty_or_bad_path(void **state)
{
	(void)state;
	static struct p1_port port;
	char file[128], longpath[CP_MAX_PATH + 8];

	/* A regular file has no line settings: a failure, retried. */
	snprintf(file, sizeof(file), "%s/file", dir);
	int fd = open(file, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(p1_port_init(&port, file, P1_DSMR45, cp_mono(0)), -ENOTTY);
	assert_int_equal(p1_port_fd(&port), -1);
	assert_int_equal(p1_port_next_deadline(&port).ms, 1000);
	unlink(file);

	/* A path that does not fit: closed for good. */
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(p1_port_init(&port, longpath, P1_DSMR45, cp_mono(0)), -ENAMETOOLONG);
	assert_int_equal(p1_port_next_deadline(&port).ms, P1_PORT_NEVER);
	assert_int_equal(p1_port_on_timer(&port, cp_mono(INT64_MAX - 1)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_line_settings_dsmr45, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_settings_dsmr23, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_telegrams_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplugged_backs_off_and_comes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_tty_or_bad_path, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
