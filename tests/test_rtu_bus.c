/*
 * test_rtu_bus.c - the Modbus RTU master of the socket meters (hw/rtu.h)
 * against meters played by the test on a real pseudo-terminal: the bus
 * opens a symlink to the pty slave (as a udev name points at
 * /dev/ttyUSB0), the test reads each request from the master side, checks
 * it and writes the answer a meter would (or none, or a wrong one).  The
 * bus's clock is the `now` the test passes, so timeouts and the
 * inter-frame silence are exact; the test may wait for bytes with poll(),
 * the bus never does.  Last, the driver's side of a failed meter
 * (hw_station_set_meter_fault) on the simulator.
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
#include "hw/hw.h"
#include "hw/hw_sim.h"
#include "hw/rtu.h"

static char dir[64];
static char link_path[96];
static int master = -1;
static FILE *log_f;
static int64_t t;			/* the bus's clock, ms */
static uint16_t image[2][65536];	/* the registers of units 1 and 2 */
static struct rtu_bus bus;

static const struct rtu_line line9600 = { 9600, RTU_PARITY_NONE };

/* ---- the meter side ---- */

static void plug(void)
{
	char name[64];
	int slave;
	struct termios tio;

	assert_int_equal(openpty(&master, &slave, name, NULL, NULL), 0);
	/* Raw from the start: no echo of the answers back to the meter
	 * before the bus sets the line up. */
	assert_int_equal(tcgetattr(slave, &tio), 0);
	cfmakeraw(&tio);
	assert_int_equal(tcsetattr(slave, TCSANOW, &tio), 0);
	close(slave);	/* only the bus holds the slave */
	assert_int_equal(symlink(name, link_path), 0);
}

static void unplug(void)
{
	close(master);
	master = -1;
	unlink(link_path);
}

/* Bytes the bus wrote, waiting up to wait_ms for the first. */
static size_t take(uint8_t *buf, size_t cap, int wait_ms)
{
	size_t n = 0;
	struct pollfd pfd = { .fd = master, .events = POLLIN };

	while (n < cap && poll(&pfd, 1, n ? 20 : wait_ms) > 0) {
		ssize_t r = read(master, buf + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	return n;
}

static void put(const void *p, size_t n)
{
	assert_int_equal(write(master, p, n), (ssize_t)n);
}

struct req {
	uint8_t unit, fn;
	uint16_t addr, count;
};

/* Decodes the one request on the line (checked: 8 bytes, CRC). */
static struct req parse_req(const uint8_t *b, size_t n)
{
	struct req r;

	assert_int_equal(n, RTU_REQ_LEN);
	assert_int_equal(rtu_crc16(b, n), 0);
	r.unit = b[0];
	r.fn = b[1];
	r.addr = mb_get16(b + 2);
	r.count = mb_get16(b + 4);
	return r;
}

/* What a meter with image[unit - 1] answers to r. */
static size_t answer_for(const struct req *r, uint8_t *out)
{
	size_t len = 3;
	uint16_t crc;

	out[0] = r->unit;
	out[1] = r->fn;
	out[2] = (uint8_t)(2 * r->count);
	for (int i = 0; i < r->count; i++) {
		mb_put16(out + len, image[r->unit - 1][(uint16_t)(r->addr + i)]);
		len += 2;
	}
	crc = rtu_crc16(out, len);
	out[len++] = (uint8_t)crc;
	out[len++] = (uint8_t)(crc >> 8);
	return len;
}

static size_t exception_for(const struct req *r, uint8_t code, uint8_t *out)
{
	uint16_t crc;

	out[0] = r->unit;
	out[1] = r->fn | 0x80;
	out[2] = code;
	crc = rtu_crc16(out, 3);
	out[3] = (uint8_t)crc;
	out[4] = (uint8_t)(crc >> 8);
	return 5;
}

/* ---- the bus side ---- */

static cp_real_t now(void)
{
	return cp_real(t);
}

/* Advances the clock to the bus's next deadline (never back) and runs its
 * timer: what a loop does when poll() times out. */
static void tick(void)
{
	cp_real_t d = rtu_bus_next_deadline(&bus);

	assert_true(d.ms != INT64_MAX);
	if (d.ms > t)
		t = d.ms;
	rtu_bus_on_timer(&bus, now());
}

/* Runs the timer until a request is on the line; returns it. */
static struct req next_request(void)
{
	uint8_t b[64];

	for (int i = 0; i < 50; i++) {
		size_t n;

		tick();
		n = take(b, sizeof(b), 0);
		if (n)
			return parse_req(b, n);
	}
	fail_msg("no request within 50 deadlines");
	return (struct req){ 0 };
}

/* Lets the bus read what the meter wrote (waits for it up to 1 s). */
static void deliver(int64_t after_ms)
{
	struct pollfd pfd = { .fd = rtu_bus_fd(&bus), .events = POLLIN };

	assert_true(pfd.fd >= 0);
	assert_true(poll(&pfd, 1, 1000) > 0);
	t += after_ms;
	rtu_bus_on_readable(&bus, now());
}

static void serve(const struct req *r)
{
	uint8_t out[RTU_MAX_ADU];

	put(out, answer_for(r, out));
	deliver(1);
}

/* One whole poll of meter index i answered from its image. */
static void serve_poll(int unit, int reads)
{
	for (int k = 0; k < reads; k++) {
		struct req r = next_request();

		assert_int_equal(r.unit, unit);
		serve(&r);
	}
}

static int logged(const char *what)
{
	char l[512];
	int n = 0;

	fflush(log_f);
	rewind(log_f);
	while (fgets(l, sizeof(l), log_f))
		if (strstr(l, what))
			n++;
	fseek(log_f, 0, SEEK_END);
	return n;
}

static void put_f32(int unit, uint16_t reg, float f)
{
	mb_put_f32(&image[unit - 1][reg], f);
}

static void put_u32(int unit, uint16_t reg, uint32_t v)
{
	image[unit - 1][reg] = (uint16_t)(v >> 16);
	image[unit - 1][reg + 1] = (uint16_t)v;
}

static void put_u64(int unit, uint16_t reg, uint64_t v)
{
	for (int i = 0; i < 4; i++)
		image[unit - 1][reg + i] = (uint16_t)(v >> (48 - 16 * i));
}

static void sdm630_image(int unit, float amps, float kwh)
{
	for (int k = 0; k < 3; k++) {
		put_f32(unit, (uint16_t)(2 * k), 230.0f);
		put_f32(unit, (uint16_t)(6 + 2 * k), amps);
	}
	put_f32(unit, 0x34, 3 * 230.0f * amps);
	put_f32(unit, 0x48, kwh);
}

static void abb_image(int unit, uint32_t centiamps, uint64_t centikwh)
{
	for (int k = 0; k < 3; k++) {
		put_u32(unit, (uint16_t)(0x5B00 + 2 * k), 2300);
		put_u32(unit, (uint16_t)(0x5B0C + 2 * k), centiamps);
	}
	put_u32(unit, 0x5B14, 3 * 230 * centiamps);
	put_u64(unit, 0x5000, centikwh);
}

/* The answer deadline of a read of count registers at 9600 baud: the
 * request and the answer on the wire (11 bits a character), then
 * RTU_TIMEOUT_MS. */
static int64_t wire_timeout_ms(int count)
{
	int chars = RTU_REQ_LEN + 5 + 2 * count;

	return (chars * 1146 + 999) / 1000 + RTU_TIMEOUT_MS;
}

static struct rtu_map preset(enum rtu_model m)
{
	struct rtu_map map;

	assert_int_equal(rtu_map_preset(m, NULL, &map, NULL, 0), 0);
	return map;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_rtu_XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(link_path, sizeof(link_path), "%s/meter", dir);
	log_f = tmpfile();
	assert_non_null(log_f);
	cp_log_set_output(log_f);
	memset(image, 0, sizeof(image));
	t = 10000;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rtu_bus_close(&bus);
	if (master >= 0)
		unplug();
	unlink(link_path);
	rmdir(dir);
	cp_log_set_output(NULL);
	fclose(log_f);
	return 0;
}

/* ---- line settings ---- */

static void test_line_settings(void **state)
{
	struct termios tio;
	struct rtu_line l = { 19200, RTU_PARITY_EVEN };

	(void)state;
	memset(&tio, 0, sizeof(tio));
	tio.c_cflag = CRTSCTS | CS7;
	tio.c_iflag = IXON | ISTRIP;
	rtu_line_settings(&tio, &l);
	assert_int_equal(cfgetospeed(&tio), B19200);
	assert_int_equal(cfgetispeed(&tio), B19200);
	assert_int_equal(tio.c_cflag & CSIZE, CS8);
	assert_int_equal(tio.c_cflag & (PARENB | PARODD | CSTOPB | CRTSCTS), PARENB);
	assert_true(tio.c_iflag & INPCK);
	assert_int_equal(tio.c_iflag & (IXON | ISTRIP), 0);
	assert_int_equal(tio.c_cflag & (CLOCAL | CREAD), CLOCAL | CREAD);
	assert_int_equal(tio.c_lflag & (ICANON | ECHO | ISIG), 0);
	assert_int_equal(tio.c_cc[VMIN], 0);
	assert_int_equal(tio.c_cc[VTIME], 0);
	l.parity = RTU_PARITY_ODD;
	rtu_line_settings(&tio, &l);
	assert_int_equal(tio.c_cflag & (PARENB | PARODD | CSTOPB), PARENB | PARODD);
	/* No parity: two stop bits, every character 11 bits. */
	l.parity = RTU_PARITY_NONE;
	l.baud = 9600;
	rtu_line_settings(&tio, &l);
	assert_int_equal(tio.c_cflag & (PARENB | PARODD | CSTOPB), CSTOPB);
	assert_int_equal(cfgetospeed(&tio), B9600);

	l.baud = 1200;
	assert_false(rtu_line_ok(&l));
	assert_int_equal(rtu_bus_init(&bus, link_path, &l, now()), -EINVAL);
	assert_int_equal(rtu_bus_fd(&bus), -1);
	/* Closed for good: no reopen ever comes. */
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, INT64_MAX);
}

/* ---- polls ---- */

/* One SDM630: its three reads in order, each framed and timed as the
 * serial line wants, and the reading decoded. */
static void test_sdm630_poll(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_SDM630);
	const struct rtu_meter *m;
	uint8_t b[64];
	struct req r;
	int64_t t0 = t;

	(void)state;
	plug();
	sdm630_image(1, 16.0f, 1234.5f);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	assert_true(rtu_bus_fd(&bus) >= 0);
	/* A freshly opened line rests 3.5 characters first: 5 ms at 9600. */
	rtu_bus_on_timer(&bus, now());
	assert_int_equal(take(b, sizeof(b), 50), 0);
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, t0 + 5);

	r = next_request();
	assert_int_equal(t, t0 + 5);
	assert_int_equal(r.unit, 1);
	assert_int_equal(r.fn, RTU_FN_READ_INPUT);
	assert_int_equal(r.addr, 0x0000);
	assert_int_equal(r.count, 12);
	/* The answer is due 300 ms after the 8 + 29 characters take on the
	 * wire (37 x 11 bits at 9600 baud: 43 ms). */
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, t0 + 5 + 43 + RTU_TIMEOUT_MS);
	serve(&r);
	m = rtu_bus_meter(&bus, 0);
	assert_false(m->have_reading);
	/* After the answer the line rests again before the next read. */
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, t + 5);

	r = next_request();
	assert_int_equal(r.addr, 0x0034);
	assert_int_equal(r.count, 2);
	serve(&r);
	r = next_request();
	assert_int_equal(r.addr, 0x0048);
	assert_int_equal(r.count, 2);
	serve(&r);

	assert_true(m->have_reading);
	assert_false(m->failed);
	assert_int_equal(m->cnt.polls_ok, 1);
	assert_int_equal(m->seq, 1);
	assert_int_equal(m->reading.current_ma[0], 16000);
	assert_int_equal(m->reading.current_ma[2], 16000);
	assert_int_equal(m->reading.voltage_mv[1], 230000);
	assert_int_equal(m->reading.power_w, 11040);
	assert_int_equal(m->reading.energy_wh, 1234500);
	assert_int_equal(m->reading_at.ms, t);
	/* The next poll a second after the first was due (at the add). */
	tick();
	assert_int_equal(take(b, sizeof(b), 20), 0);
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, t0 + RTU_POLL_MS);
	sdm630_image(1, 10.0f, 1234.6f);
	serve_poll(1, 3);
	assert_int_equal(m->cnt.polls_ok, 2);
	assert_int_equal(m->reading.current_ma[0], 10000);
	assert_int_equal(m->reading.energy_wh, 1234600);
}

/* Two meters on one line: never two requests out, the poll in progress
 * goes first, then the other meter. */
static void test_one_request_at_a_time(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_ABB_B23);
	struct req seq[4];
	uint8_t b[64];

	(void)state;
	plug();
	abb_image(1, 1600, 100000);
	abb_image(2, 800, 200000);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 2, &map, now()), 1);
	for (int k = 0; k < 4; k++) {
		seq[k] = next_request();
		assert_int_equal(seq[k].fn, RTU_FN_READ_HOLDING);
		/* While it waits for the answer the bus sends nothing else,
		 * however often its timer runs before the deadline. */
		for (int i = 0; i < 5; i++) {
			t += 10;
			rtu_bus_on_timer(&bus, now());
		}
		assert_int_equal(take(b, sizeof(b), 20), 0);
		serve(&seq[k]);
	}
	assert_int_equal(seq[0].unit, 1);
	assert_int_equal(seq[0].addr, 0x5000);
	assert_int_equal(seq[1].unit, 1);
	assert_int_equal(seq[1].addr, 0x5B00);
	assert_int_equal(seq[1].count, 22);
	assert_int_equal(seq[2].unit, 2);
	assert_int_equal(seq[2].addr, 0x5000);
	assert_int_equal(seq[3].unit, 2);
	assert_int_equal(seq[3].addr, 0x5B00);
	assert_int_equal(rtu_bus_meter(&bus, 0)->reading.current_ma[0], 16000);
	assert_int_equal(rtu_bus_meter(&bus, 0)->reading.energy_wh, 1000000);
	assert_int_equal(rtu_bus_meter(&bus, 1)->reading.current_ma[0], 8000);
	assert_int_equal(rtu_bus_meter(&bus, 1)->reading.energy_wh, 2000000);
}

/* A meter that stops answering: each poll times out, the other meter
 * keeps being read, after three failed polls it is failed (logged once),
 * and one answered poll brings it back. */
static void test_silent_meter(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_ABB_B23);
	const struct rtu_meter *m1, *m2;
	uint32_t seq;

	(void)state;
	plug();
	abb_image(1, 1600, 100000);
	abb_image(2, 800, 200000);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 2, &map, now()), 1);
	m1 = rtu_bus_meter(&bus, 0);
	m2 = rtu_bus_meter(&bus, 1);
	serve_poll(1, 2);
	serve_poll(2, 2);
	seq = m1->seq;

	for (int p = 1; p <= RTU_FAIL_AFTER; p++) {
		struct req r = next_request();
		int64_t sent = t;

		assert_int_equal(r.unit, 1);
		/* no answer: the deadline passes */
		tick();
		assert_int_equal(t, sent + wire_timeout_ms(4));
		assert_int_equal(m1->cnt.timeouts, (unsigned)p);
		assert_int_equal(m1->misses, (unsigned)p);
		assert_int_equal(m1->failed, p == RTU_FAIL_AFTER);
		assert_int_equal(m1->last_error, RTU_ERR_TIMEOUT);
		/* the rest of meter 1's poll is skipped: meter 2 next */
		serve_poll(2, 2);
	}
	assert_int_equal(m1->seq, seq + 1);
	assert_int_equal(m2->cnt.polls_ok, (unsigned)RTU_FAIL_AFTER + 1);
	assert_false(m2->failed);
	assert_int_equal(logged("meter unit 1 on"), 1);
	assert_int_equal(logged("not answering, 3 polls in a row failed"), 1);
	/* The last good reading stays, marked by its time. */
	assert_true(m1->have_reading);

	/* It answers again. */
	abb_image(1, 1000, 100100);
	serve_poll(1, 2);
	assert_false(m1->failed);
	assert_int_equal(m1->misses, 0);
	assert_int_equal(m1->seq, seq + 2);
	assert_int_equal(m1->reading.energy_wh, 1001000);
	assert_int_equal(logged("meter unit 1 on"), 2);
	assert_int_equal(logged("readings again after 3 failed polls"), 1);
}

/* An answer that comes after the timeout is read and dropped, and the
 * line must be quiet for 3.5 characters after its last byte before the
 * next request. */
static void test_late_answer_dropped(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_ABB_B23);
	uint8_t out[RTU_MAX_ADU], b[64];
	size_t n;
	struct req r;

	(void)state;
	plug();
	abb_image(1, 1600, 100000);
	abb_image(2, 700, 5);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 2, &map, now()), 1);
	r = next_request();
	assert_int_equal(r.unit, 1);
	tick();			/* timed out */
	assert_int_equal(rtu_bus_meter(&bus, 0)->cnt.timeouts, 1);
	/* Meter 1 answers now, 2 ms later: the bytes nobody waits for. */
	n = answer_for(&r, out);
	put(out, n);
	deliver(2);
	assert_int_equal(bus.stray_bytes, n);
	/* The silence counts from those bytes: 5 ms after them, not after
	 * the timeout. */
	assert_int_equal(rtu_bus_next_deadline(&bus).ms, t + 5);
	t += 4;
	rtu_bus_on_timer(&bus, now());
	assert_int_equal(take(b, sizeof(b), 20), 0);
	/* Then meter 2's poll, whose answer is its own. */
	serve_poll(2, 2);
	assert_int_equal(rtu_bus_meter(&bus, 1)->reading.current_ma[0], 7000);
	assert_false(rtu_bus_meter(&bus, 0)->have_reading);
}

/* Exceptions and broken frames fail a poll without ending the bus; an
 * answer in pieces is put together. */
static void test_exception_bad_crc_pieces(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_SDM630);
	const struct rtu_meter *m;
	uint8_t out[RTU_MAX_ADU], b[64];
	struct req r;
	size_t n;

	(void)state;
	plug();
	sdm630_image(1, 6.0f, 10.0f);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	m = rtu_bus_meter(&bus, 0);

	/* Exception 02 (illegal data address): the meter refuses the map. */
	r = next_request();
	put(out, exception_for(&r, 0x02, out));
	deliver(1);
	assert_int_equal(m->cnt.exceptions, 1);
	assert_int_equal(m->last_exception, 0x02);
	assert_int_equal(m->last_error, RTU_ERR_EXCEPTION);
	assert_int_equal(m->misses, 1);
	/* the rest of that poll is skipped: nothing until the next one */
	tick();
	assert_int_equal(take(b, sizeof(b), 20), 0);

	/* A bit flipped on the line: the CRC catches it. */
	r = next_request();
	assert_int_equal(r.addr, 0);
	n = answer_for(&r, out);
	out[5] ^= 0x01;
	put(out, n);
	deliver(1);
	assert_int_equal(m->cnt.bad_frames, 1);
	assert_int_equal(m->misses, 2);
	assert_false(m->failed);

	/* The answer in three pieces, read as they come. */
	r = next_request();
	n = answer_for(&r, out);
	put(out, 2);
	deliver(1);
	put(out + 2, 10);
	deliver(1);
	assert_int_equal(m->cnt.polls_ok, 0);
	assert_int_equal(m->misses, 2);
	put(out + 12, n - 12);
	deliver(1);
	serve_poll(1, 2);
	assert_int_equal(m->cnt.polls_ok, 1);
	assert_int_equal(m->misses, 0);
	assert_int_equal(m->reading.current_ma[1], 6000);

	/* Three exceptions in a row: failed, saying why. */
	for (int p = 0; p < RTU_FAIL_AFTER; p++) {
		r = next_request();
		put(out, exception_for(&r, 0x02, out));
		deliver(1);
	}
	assert_true(m->failed);
	assert_int_equal(m->last_error, RTU_ERR_EXCEPTION);
	assert_int_equal(logged("exception 0x02, 3 polls in a row failed"), 1);
}

/* The adapter pulled and plugged back: the bus closes, every due poll
 * fails (the meter fails after three), the reopen backs off and logs
 * once, and readings come back once the device is there again. */
static void test_device_gone_and_back(void **state)
{
	struct rtu_map map = preset(RTU_MODEL_SDM630);
	const struct rtu_meter *m;
	struct pollfd pfd;

	(void)state;
	plug();
	sdm630_image(1, 16.0f, 50.0f);
	assert_int_equal(rtu_bus_init(&bus, link_path, &line9600, now()), 0);
	assert_int_equal(rtu_bus_add_meter(&bus, 1, &map, now()), 0);
	m = rtu_bus_meter(&bus, 0);
	serve_poll(1, 3);
	assert_int_equal(m->cnt.polls_ok, 1);

	unplug();
	pfd.fd = rtu_bus_fd(&bus);
	pfd.events = POLLIN;
	assert_true(poll(&pfd, 1, 1000) > 0);
	rtu_bus_on_readable(&bus, now());
	assert_int_equal(rtu_bus_fd(&bus), -1);
	assert_int_equal(logged("reopening"), 1);

	/* Polls fail while it is away; reopen attempts back off. */
	for (int i = 0; i < 8; i++)
		tick();
	assert_true(m->failed);
	assert_int_equal(m->last_error, RTU_ERR_DEVICE);
	assert_true(m->cnt.polls_failed >= RTU_FAIL_AFTER);
	assert_int_equal(logged("reopening"), 1);
	assert_int_equal(logged("device failed, 3 polls in a row failed"), 1);

	plug();
	for (int i = 0; i < 40 && rtu_bus_fd(&bus) < 0; i++)
		tick();
	assert_true(rtu_bus_fd(&bus) >= 0);
	assert_int_equal(bus.reopens, 1);
	assert_int_equal(logged("open again"), 1);
	sdm630_image(1, 12.0f, 51.0f);
	serve_poll(1, 3);
	assert_false(m->failed);
	assert_int_equal(m->reading.energy_wh, 51000);
}

/* ---- the driver's side ---- */

/* hw_station_set_meter_fault on the simulator: the socket shows the fault
 * with its info, offers nothing but keeps the pilot out of F (the EV sees
 * x1), and charges again by itself once the meter reads. */
static void test_meter_fault_in_driver(void **state)
{
	static hw_sim sim;
	static hw_station hw;
	int64_t ms = 1000;
	const hw_socket_status *st;

	(void)state;
	assert_int_equal(hw_sim_init(&sim, 1), 0);
	assert_int_equal(hw_station_init(&hw, &hw_sim_ops, &sim, 1), 0);
	assert_int_equal(hw_sim_plug(&sim, 1, 3, 6000, 32000), 0);
	st = hw_station_status(&hw, 1);
	for (int i = 0; i < 30; i++) {
		ms += 100;
		hw_station_set_offer(&hw, 1, 16000, cp_mono(ms));
		hw_station_poll(&hw, cp_mono(ms));
	}
	assert_int_equal(st->pilot, HW_PILOT_C2);
	assert_true(st->contactor);

	assert_int_equal(hw_station_set_meter_fault(&hw, 1, "meter unit 1 not answering",
						    cp_mono(ms)), 0);
	assert_int_equal(st->fault, HW_FAULT_METER);
	assert_string_equal(hw_fault_name(st->fault), "meter");
	assert_string_equal(st->fault_info, "meter unit 1 not answering");
	assert_int_equal(st->offered_ma, 0);
	assert_int_equal(st->binding, HW_BIND_FAULT);
	assert_int_equal(st->pilot, HW_PILOT_C1);
	assert_int_equal(st->display, HW_DISPLAY_FAULT);
	for (int i = 0; i < 80; i++) {
		ms += 100;
		hw_station_set_offer(&hw, 1, 16000, cp_mono(ms));
		hw_station_poll(&hw, cp_mono(ms));
	}
	/* the daemon's offer is not obeyed, the EV stopped, the contactor
	 * opened, and the fault stays */
	assert_int_equal(st->offered_ma, 0);
	assert_false(st->contactor);
	assert_int_equal(st->fault, HW_FAULT_METER);
	assert_true(st->pilot != HW_PILOT_F);

	/* Disabled and enabled again during the fault: F, then out of it. */
	hw_station_set_enabled(&hw, 1, false, cp_mono(ms));
	assert_int_equal(st->pilot, HW_PILOT_F);
	hw_station_set_enabled(&hw, 1, true, cp_mono(ms));
	assert_true(st->pilot != HW_PILOT_F);
	assert_int_equal(st->fault, HW_FAULT_METER);

	/* Readings again. */
	assert_int_equal(hw_station_set_meter_fault(&hw, 1, NULL, cp_mono(ms)), 0);
	assert_int_equal(st->fault, HW_FAULT_NONE);
	assert_string_equal(st->fault_info, "");
	for (int i = 0; i < 30; i++) {
		ms += 100;
		hw_station_set_offer(&hw, 1, 16000, cp_mono(ms));
		hw_station_poll(&hw, cp_mono(ms));
	}
	assert_int_equal(st->pilot, HW_PILOT_C2);
	assert_int_equal(st->offered_ma, 16000);
	assert_true(st->contactor);
	assert_int_equal(hw_station_set_meter_fault(&hw, 2, "x", cp_mono(ms)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_line_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sdm630_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_request_at_a_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_meter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_answer_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exception_bad_crc_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_gone_and_back, setup, teardown),
		cmocka_unit_test(test_meter_fault_in_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
