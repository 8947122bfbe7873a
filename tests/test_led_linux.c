/*
 * test_led_linux.c - the status LED of the sysfs backend against a fake
 * sysfs tree in a temporary folder: sysfs LEDs written 0 / max_brightness,
 * GPIO LEDs 0 / 1, the pattern of each station state, blinking driven by
 * the driver tick, files written only on a change, a board without LEDs
 * (logged once, not an error) and a file that vanishes at run time.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cp_log.h"
#include "hw/hw.h"
#include "hw/hw_linux.h"
#include "hw/led.h"

static char root[64];
static hw_linux_config cfg;
static hw_linux lx;
static hw_station hw;
static int64_t now;
static FILE *logfile;

static void mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	mkdir(tmp, 0755);
}

static void put(const char *path, const char *content)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void put_int(const char *path, long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld\n", v);
	put(path, buf);
}

static const char *get_str(const char *path)
{
	static char buf[32];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	assert_non_null(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static long get_int(const char *path)
{
	return strtol(get_str(path), NULL, 10);
}

/* ADC raw value for a pilot voltage under the default scaling. */
static long cp_raw(int32_t mv)
{
	return ((long)mv - cfg.cp_offset_mv) * cfg.cp_den / cfg.cp_num;
}

static long pp_raw(int32_t ohm)
{
	long mv = (long)cfg.pp_vref_mv * ohm / (ohm + cfg.pp_pullup_ohm);
	return (mv * cfg.pp_den + cfg.pp_num - 1) / cfg.pp_num;
}

/* Lines of the captured log that contain s. */
static int log_count(const char *s)
{
	char line[512];
	int n = 0;

	fflush(logfile);
	rewind(logfile);
	while (fgets(line, sizeof(line), logfile))
		if (strstr(line, s))
			n++;
	fseek(logfile, 0, SEEK_END);
	return n;
}

/* led(sock, channel) as written: -1 if the file is gone. */
static long led(int sock, enum hw_led_channel c)
{
	if (access(cfg.sock[sock - 1].led[c], F_OK) < 0)
		return -1;
	return get_int(cfg.sock[sock - 1].led[c]);
}

static void tick(void)
{
	assert_int_equal(hw_station_poll(&hw, cp_mono(now += CP_HW_TICK_MS)), 0);
}

/* The reference board's tree; socket 1 has sysfs LEDs (max_brightness
 * 255), socket 2 GPIO LEDs (value files).  LED files start at 7 so that
 * the first write shows. */
static void make_tree(bool leds)
{
	snprintf(root, sizeof(root), "/tmp/test_led_linux.XXXXXX");
	assert_non_null(mkdtemp(root));
	hw_linux_config_defaults(&cfg, root);
	for (int i = 0; i < 2; i++) {
		char p[PATH_MAX];
		hw_linux_socket_config *s = &cfg.sock[i];
		static const char *const attrs[] = { "period", "duty_cycle", "enable" };
		for (int a = 0; a < 3; a++) {
			snprintf(p, sizeof(p), "%s/%s", s->pwm, attrs[a]);
			put(p, "0\n");
		}
		put(s->contactor, "0\n");
		put(s->lock, "0\n");
		put(s->lock_feedback, "1\n");	/* the motor works */
		put_int(s->cp_adc, cp_raw(12000));
		put_int(s->pp_adc, pp_raw(220));
	}
	put(cfg.suspend, "0\n");
	for (int c = 0; c < HW_LED_CHANNELS; c++) {
		char p[PATH_MAX];

		snprintf(cfg.sock[1].led[c], sizeof(cfg.sock[1].led[c]),
			 "%s/sys/class/gpio/gpio%d/value", root, 30 + c);
		if (!leds)
			continue;
		put(cfg.sock[0].led[c], "7\n");
		snprintf(p, sizeof(p), "%s", cfg.sock[0].led[c]);
		strcpy(strrchr(p, '/'), "/max_brightness");
		put(p, "255\n");
		put(cfg.sock[1].led[c], "7\n");
	}
}

static void start(void)
{
	assert_int_equal(hw_linux_init(&lx, &cfg, 2), 0);
	assert_int_equal(hw_station_init(&hw, &hw_linux_ops, &lx, 2), 0);
	hw_station_set_suspend_mode(&hw, HW_SUSPEND_ON_CLOSE);
	now = 1000;
}

static int setup(void **state)
{
	(void)state;
	logfile = tmpfile();
	assert_non_null(logfile);
	cp_log_set_output(logfile);
	make_tree(true);
	start();
	return 0;
}

static int setup_no_leds(void **state)
{
	(void)state;
	logfile = tmpfile();
	assert_non_null(logfile);
	cp_log_set_output(logfile);
	make_tree(false);
	start();
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	cp_log_set_output(NULL);
	fclose(logfile);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void expect_rgb(int sock, long r, long g, long b)
{
	assert_int_equal(led(sock, HW_LED_RED), r);
	assert_int_equal(led(sock, HW_LED_GREEN), g);
	assert_int_equal(led(sock, HW_LED_BLUE), b);
}

/* Off from start-up until the station has picked a message. */
static void test_init_switches_off(void **state)
{
	(void)state;
	expect_rgb(1, 0, 0, 0);
	expect_rgb(2, 0, 0, 0);
}

/* available -> EV connected -> charging -> EV error -> unplugged, on both
 * kinds of LED file. */
static void test_states(void **state)
{
	(void)state;
	hw_linux_socket_config *s = &cfg.sock[0];

	tick();
	expect_rgb(1, 0, 255, 0);	/* green steady */
	expect_rgb(2, 0, 1, 0);

	put_int(s->cp_adc, cp_raw(9000));
	tick();
	assert_int_equal(hw_station_status(&hw, 1)->display, HW_DISPLAY_CONNECTED);
	expect_rgb(1, 0, 0, 255);	/* dark blue steady */
	expect_rgb(2, 0, 1, 0);		/* socket 2 untouched */

	assert_int_equal(hw_station_set_offer(&hw, 1, 16000, cp_mono(now)), 0);
	put_int(s->cp_adc, cp_raw(6000));
	tick();
	assert_int_equal(hw_station_status(&hw, 1)->pilot, HW_PILOT_C2);
	expect_rgb(1, 0, 0, 255);

	put_int(s->cp_adc, cp_raw(0));	/* state E */
	tick();
	tick();
	assert_int_equal(hw_station_status(&hw, 1)->display, HW_DISPLAY_FAULT);
	expect_rgb(1, 255, 0, 0);	/* red steady */

	put_int(s->cp_adc, cp_raw(12000));
	tick();
	tick();
	assert_int_equal(hw_station_status(&hw, 1)->display, HW_DISPLAY_IDLE);
	expect_rgb(1, 0, 255, 0);

	/* disabled (Inoperative): red steady */
	assert_int_equal(hw_station_set_enabled(&hw, 2, false, cp_mono(now)), 0);
	tick();
	expect_rgb(2, 1, 0, 0);
}

/* The suspend signal: blue, 3 ticks on, 3 ticks off, from the tick that
 * saw it; the other channels stay off; back to green when it opens. */
static void test_blinks_with_the_tick(void **state)
{
	(void)state;
	static const long expect[] = { 255, 255, 255, 0, 0, 0, 255, 255, 255, 0 };

	assert_int_equal(HW_LED_FAST_MS, 3 * CP_HW_TICK_MS);
	tick();
	put(cfg.suspend, "1\n");
	for (size_t k = 0; k < sizeof(expect) / sizeof(expect[0]); k++) {
		tick();
		assert_int_equal(hw_station_status(&hw, 1)->display, HW_DISPLAY_SUSPENDED);
		assert_int_equal(led(1, HW_LED_BLUE), expect[k]);
		assert_int_equal(led(2, HW_LED_BLUE), expect[k] ? 1 : 0);
		assert_int_equal(led(1, HW_LED_RED), 0);
		assert_int_equal(led(1, HW_LED_GREEN), 0);
	}
	put(cfg.suspend, "0\n");
	tick();
	expect_rgb(1, 0, 255, 0);
}

/* A file is written only when its channel changes: a mark left in it
 * stays while the pattern is steady, or while a blink leaves that channel
 * alone. */
static void test_writes_only_on_change(void **state)
{
	(void)state;

	tick();
	put(cfg.sock[0].led[HW_LED_GREEN], "mark\n");
	put(cfg.sock[0].led[HW_LED_RED], "mark\n");
	for (int k = 0; k < 30; k++)
		tick();
	assert_string_equal(get_str(cfg.sock[0].led[HW_LED_GREEN]), "mark\n");

	/* blue blinks; red was off before and stays off: not rewritten */
	put(cfg.suspend, "1\n");
	for (int k = 0; k < 12; k++)
		tick();
	assert_string_equal(get_str(cfg.sock[0].led[HW_LED_RED]), "mark\n");
	assert_int_equal(led(1, HW_LED_GREEN), 0);	/* changed: written */
}

/* A board without LED files starts and runs; one line per socket says so. */
static void test_no_leds(void **state)
{
	(void)state;
	assert_int_equal(log_count("no status LED"), 2);
	tick();
	put_int(cfg.sock[0].cp_adc, cp_raw(9000));
	put(cfg.suspend, "1\n");
	for (int k = 0; k < 20; k++)
		tick();
	assert_int_equal(hw_station_status(&hw, 1)->display, HW_DISPLAY_SUSPENDED);
	for (int c = 0; c < HW_LED_CHANNELS; c++)
		assert_int_equal(access(cfg.sock[0].led[c], F_OK), -1);
	assert_int_equal(log_count("no status LED"), 2);
	assert_int_equal(log_count("LED"), 2);
}

/* Some channels present: the rest still work; an empty path is a channel
 * that is not wired, and not worth a line. */
static void test_partial(void **state)
{
	(void)state;
	unlink(cfg.sock[0].led[HW_LED_RED]);
	cfg.sock[1].led[HW_LED_RED][0] = '\0';
	fclose(logfile);
	logfile = tmpfile();
	assert_non_null(logfile);
	cp_log_set_output(logfile);
	start();
	assert_int_equal(log_count("socket 1: 1 of 3 LED channels missing"), 1);
	assert_int_equal(log_count("socket 2"), 0);
	tick();
	expect_rgb(1, -1, 255, 0);
	assert_int_equal(hw_station_set_enabled(&hw, 1, false, cp_mono(now)), 0);
	tick();
	expect_rgb(1, -1, 0, 0);	/* red steady, with no red: dark */
}

/* A file that vanishes while running: one warning however often it is
 * due, and written again once it is back. */
static void test_vanished_file(void **state)
{
	(void)state;
	const char *blue = cfg.sock[0].led[HW_LED_BLUE];

	tick();
	put(cfg.suspend, "1\n");
	tick();
	assert_int_equal(led(1, HW_LED_BLUE), 255);
	unlink(blue);
	for (int k = 0; k < 30; k++)
		tick();
	assert_int_equal(log_count("LED"), 1);
	assert_int_equal(log_count(blue), 1);
	/* back: the next tick writes the current value, whatever the phase */
	put(blue, "7\n");
	tick();
	assert_int_not_equal(led(1, HW_LED_BLUE), 7);
	put(cfg.suspend, "0\n");
	tick();
	expect_rgb(1, 0, 255, 0);
}

int main(void)
{
	cp_log_set_level(CP_LOG_INFO);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_switches_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blinks_with_the_tick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writes_only_on_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_leds, setup_no_leds, teardown),
		cmocka_unit_test_setup_teardown(test_partial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanished_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
