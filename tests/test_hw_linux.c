/*
 * test_hw_linux.c - the sysfs backend against a fake sysfs tree in a
 * temporary folder: PWM period/duty per pilot output, GPIO contactor and
 * lock (with feedback), ADC pilot levels and proximity, the suspend input,
 * a whole charging sequence through hw_station, and clean errors for a
 * missing or garbled file.
 */
#include <errno.h>
#include <fcntl.h>
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

static char root[64];
static hw_linux_config cfg;
static hw_linux lx;

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

static long get_int(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	return strtol(buf, NULL, 10);
}

static long pwm_get(int sock, const char *attr)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", cfg.sock[sock - 1].pwm, attr);
	return get_int(p);
}

/* ADC raw value for a pilot voltage under the default scaling. */
static long cp_raw(int32_t mv)
{
	return ((long)mv - cfg.cp_offset_mv) * cfg.cp_den / cfg.cp_num;
}

/* ADC raw value for a proximity resistor (-1 = open). */
static long pp_raw(int32_t ohm)
{
	long mv = ohm < 0 ? cfg.pp_vref_mv :
		(long)cfg.pp_vref_mv * ohm / (ohm + cfg.pp_pullup_ohm);
	return (mv * cfg.pp_den + cfg.pp_num - 1) / cfg.pp_num;
}

static void rm_rf(const char *path)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_hw_linux.XXXXXX");
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
		put(s->contactor, "1\n");
		put(s->lock, "0\n");
		put(s->lock_feedback, "0\n");
		put_int(s->cp_adc, cp_raw(12000));
		put_int(s->pp_adc, pp_raw(220));
	}
	put(cfg.suspend, "0\n");
	assert_int_equal(hw_linux_init(&lx, &cfg, 2), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_rf(root);
	return 0;
}

static void test_init_drives_safe_outputs(void **state)
{
	(void)state;
	for (int s = 1; s <= 2; s++) {
		assert_int_equal(pwm_get(s, "period"), 1000000);	/* 1 kHz */
		assert_int_equal(pwm_get(s, "duty_cycle"), 1000000);	/* +12 V */
		assert_int_equal(pwm_get(s, "enable"), 1);
		assert_int_equal(get_int(cfg.sock[s - 1].contactor), 0);
	}
}

static void test_pilot_output(void **state)
{
	(void)state;
	static const struct {
		enum hw_pilot_out out;
		int duty;
		int rc;
		long ns;
	} cases[] = {
		{ .out = HW_OUT_PWM, .duty = 1000, .ns = 100000 },	/* 6 A: 10 % */
		{ .out = HW_OUT_PWM, .duty = 2667, .ns = 266700 },	/* 16 A */
		{ .out = HW_OUT_PWM, .duty = 9600, .ns = 960000 },
		{ .out = HW_OUT_F, .ns = 0 },				/* -12 V */
		{ .out = HW_OUT_STANDBY, .ns = 1000000 },		/* +12 V */
		{ .out = HW_OUT_PWM, .duty = 0, .rc = -EINVAL, .ns = 1000000 },
		{ .out = HW_OUT_PWM, .duty = 10000, .rc = -EINVAL, .ns = 1000000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(hw_linux_ops.set_pilot(&lx, 2, cases[i].out, cases[i].duty),
				 cases[i].rc);
		assert_int_equal(pwm_get(2, "duty_cycle"), cases[i].ns);
	}
	assert_int_equal(hw_linux_ops.set_pilot(&lx, 3, HW_OUT_F, 0), -ENODEV);
}

static void test_pilot_levels(void **state)
{
	(void)state;
	static const struct {
		int32_t mv;
		enum hw_cp_level l;
	} cases[] = {
		{ .mv = 12000, .l = HW_CP_12V }, { .mv = 9000, .l = HW_CP_9V },
		{ .mv = 6000, .l = HW_CP_6V }, { .mv = 3000, .l = HW_CP_3V },
		{ .mv = 0, .l = HW_CP_0V }, { .mv = -12000, .l = HW_CP_NEG12V },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum hw_cp_level l;
		bool diode = false;

		put_int(cfg.sock[0].cp_adc, cp_raw(cases[i].mv));
		assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), 0);
		assert_int_equal(l, cases[i].l);
		assert_true(diode);	/* no negative input: assumed passed */
	}
}

static void test_proximity(void **state)
{
	(void)state;
	static const int32_t ohms[] = { -1, 1500, 680, 220, 100 };
	for (size_t i = 0; i < sizeof(ohms) / sizeof(ohms[0]); i++) {
		int32_t ohm;

		put_int(cfg.sock[0].pp_adc, pp_raw(ohms[i]));
		assert_int_equal(hw_linux_ops.read_proximity(&lx, 1, &ohm), 0);
		assert_int_equal(hw_cable_ma_from_ohm(ohm), hw_cable_ma_from_ohm(ohms[i]));
	}
}

static void test_lock_and_suspend(void **state)
{
	(void)state;
	bool closed = true;

	/* the feedback input does not follow: the motor failed */
	assert_int_equal(hw_linux_ops.set_lock(&lx, 1, true), -EIO);
	assert_int_equal(get_int(cfg.sock[0].lock), 1);
	put(cfg.sock[0].lock_feedback, "1\n");
	assert_int_equal(hw_linux_ops.set_lock(&lx, 1, true), 0);

	assert_int_equal(hw_linux_ops.read_suspend(&lx, &closed), 0);
	assert_false(closed);
	put(cfg.suspend, "1\n");
	assert_int_equal(hw_linux_ops.read_suspend(&lx, &closed), 0);
	assert_true(closed);

	hw_meter_reading m;
	assert_int_equal(hw_linux_ops.read_meter(&lx, 1, &m), -ENOTSUP);
}

/* The whole station on the fake tree: plug, offer, charge, pause. */
static void test_station_sequence(void **state)
{
	(void)state;
	hw_station hw;
	int64_t now = 0;
	hw_linux_socket_config *s = &cfg.sock[0];

	assert_int_equal(hw_station_init(&hw, &hw_linux_ops, &lx, 2), 0);
	hw_station_set_suspend_mode(&hw, HW_SUSPEND_ON_CLOSE);
	put(s->lock_feedback, "1\n");	/* the motor works */
	put_int(s->pp_adc, pp_raw(680));	/* 20 A cable */
	put_int(s->cp_adc, cp_raw(9000));
	assert_int_equal(hw_station_poll(&hw, cp_mono(now += 100)), 0);
	const hw_socket_status *st = hw_station_status(&hw, 1);
	assert_int_equal(st->pilot, HW_PILOT_B1);
	assert_int_equal(st->cable_ma, 20000);
	assert_int_equal(get_int(s->lock), 1);

	assert_int_equal(hw_station_set_offer(&hw, 1, 32000, cp_mono(now)), 0);
	assert_int_equal(st->pilot, HW_PILOT_B2);
	assert_int_equal(st->offered_ma, 20000);
	assert_int_equal(pwm_get(1, "duty_cycle"), 333300);	/* 20 A: 33.33 % */

	put_int(s->cp_adc, cp_raw(6000));
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_int_equal(st->pilot, HW_PILOT_C2);
	assert_int_equal(get_int(s->contactor), 1);
	assert_int_equal(st->fault, HW_FAULT_NONE);

	/* suspend contact: read within the cycle; the daemon's control
	 * cycle answers with a 0 offer, and the PWM goes off at once */
	put(cfg.suspend, "1\n");
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_true(st->suspended);
	assert_int_equal(hw_station_set_offer(&hw, 1, 0, cp_mono(now)), 0);
	assert_int_equal(st->pilot, HW_PILOT_C1);
	assert_int_equal(pwm_get(1, "duty_cycle"), 1000000);
	/* no meter in this backend: nothing is known to flow, so it opens */
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_int_equal(get_int(s->contactor), 0);

	/* under F the ADC sees -12 V; the station keeps the EV as connected */
	put(cfg.suspend, "0\n");
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_false(st->suspended);
	assert_int_equal(hw_station_set_offer(&hw, 1, 32000, cp_mono(now)), 0);
	assert_int_equal(hw_station_set_enabled(&hw, 1, false, cp_mono(now)), 0);
	assert_int_equal(pwm_get(1, "duty_cycle"), 0);
	put_int(s->cp_adc, cp_raw(-12000));
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_int_equal(st->pilot, HW_PILOT_F);
	assert_true(st->ev_connected);
	put_int(s->cp_adc, cp_raw(6000));
	assert_int_equal(hw_station_set_enabled(&hw, 1, true, cp_mono(now)), 0);
	assert_int_equal(st->pilot, HW_PILOT_C2);
	/* coming from F there is no diode reading with the PWM on yet */
	assert_int_equal(get_int(s->contactor), 0);
	hw_station_poll(&hw, cp_mono(now += 100));
	assert_int_equal(get_int(s->contactor), 1);
}

static void test_diode_input(void **state)
{
	(void)state;
	hw_linux_socket_config *s = &cfg.sock[0];
	enum hw_cp_level l;
	bool diode;

	snprintf(s->cp_neg_adc, sizeof(s->cp_neg_adc), "%s/neg0_raw", root);
	put_int(s->cp_neg_adc, cp_raw(-12000));
	assert_int_equal(hw_linux_init(&lx, &cfg, 1), 0);
	assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), 0);
	assert_true(diode);
	put_int(s->cp_neg_adc, cp_raw(6000));	/* shorted diode */
	assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), 0);
	assert_false(diode);
}

static void test_errors(void **state)
{
	(void)state;
	enum hw_cp_level l;
	bool diode;
	char expect[512];

	/* garbage in an ADC file is an error, never a level */
	put(cfg.sock[0].cp_adc, "\n");
	assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), -EINVAL);
	put(cfg.sock[0].cp_adc, "abc\n");
	assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), -EINVAL);

	/* a missing contactor GPIO stops init with its path */
	unlink(cfg.sock[1].contactor);
	assert_int_equal(hw_linux_init(&lx, &cfg, 2), -ENOENT);
	snprintf(expect, sizeof(expect), "socket 2 contactor: %s: No such file or directory",
		 cfg.sock[1].contactor);
	assert_string_equal(hw_linux_last_error(&lx), expect);
	assert_int_equal(hw_linux_init(&lx, &cfg, 3), -EINVAL);
	assert_int_equal(hw_linux_init(&lx, &cfg, 1), 0);

	/* vanished at run time: the station logs and keeps going */
	unlink(cfg.sock[0].cp_adc);
	assert_int_equal(hw_linux_ops.read_pilot(&lx, 1, &l, &diode), -ENOENT);
}

int main(void)
{
	cp_log_set_level(CP_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_drives_safe_outputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pilot_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pilot_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proximity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_and_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_station_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diode_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
