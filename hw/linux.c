/*
 * linux.c - the sysfs backend (hw_linux.h says what it drives and how it is
 * wired).  Every access opens, reads or writes, and closes: sysfs attribute
 * files are meant to be used that way, and a file that vanished (an
 * unexported PWM) shows up as an error at once.
 */
#include "hw/hw_linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp_log.h"

#define TAG "hw-linux"

/* 1 kHz pilot (IEC 61851-1): duty units of 0.01 % are 100 ns. */
#define PWM_PERIOD_NS 1000000
#define NS_PER_DUTY_UNIT (PWM_PERIOD_NS / 10000)

__attribute__((format(printf, 3, 4)))
static int fail(hw_linux *lx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lx->err, sizeof(lx->err), fmt, ap);
	va_end(ap);
	return err;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = strlen(s);
	ssize_t n = write(fd, s, len);
	int r = n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

static int write_int(const char *dir, const char *name, long v)
{
	char path[HW_LINUX_PATH_MAX + 16], buf[24];

	if (name)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", dir);
	snprintf(buf, sizeof(buf), "%ld\n", v);
	return write_str(path, buf);
}

static int read_int(const char *path, long *v)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	char *end;
	errno = 0;
	long x = strtol(buf, &end, 10);
	if (end == buf || errno)
		return -EINVAL;	/* empty or garbage: never guess a level */
	*v = x;
	return 0;
}

static hw_linux_socket_config *get(hw_linux *lx, int sock)
{
	if (!lx || sock < 1 || sock > lx->n_sockets)
		return NULL;
	return &lx->cfg.sock[sock - 1];
}

static const char *const led_channel_names[HW_LED_CHANNELS] = {
	[HW_LED_RED] = "red", [HW_LED_GREEN] = "green", [HW_LED_BLUE] = "blue",
};

void hw_linux_config_defaults(hw_linux_config *cfg, const char *root)
{
	const char *r = root ? root : "";

	memset(cfg, 0, sizeof(*cfg));
	for (int i = 0; i < CP_MAX_CONNECTORS; i++) {
		hw_linux_socket_config *s = &cfg->sock[i];
		snprintf(s->pwm, sizeof(s->pwm), "%s/sys/class/pwm/pwmchip0/pwm%d", r, i);
		snprintf(s->contactor, sizeof(s->contactor), "%s/sys/class/gpio/gpio%d/value", r, 20 + i);
		snprintf(s->lock, sizeof(s->lock), "%s/sys/class/gpio/gpio%d/value", r, 22 + i);
		snprintf(s->lock_feedback, sizeof(s->lock_feedback),
			 "%s/sys/class/gpio/gpio%d/value", r, 24 + i);
		snprintf(s->cp_adc, sizeof(s->cp_adc),
			 "%s/sys/bus/iio/devices/iio:device0/in_voltage%d_raw", r, 2 * i);
		snprintf(s->pp_adc, sizeof(s->pp_adc),
			 "%s/sys/bus/iio/devices/iio:device0/in_voltage%d_raw", r, 2 * i + 1);
		for (int c = 0; c < HW_LED_CHANNELS; c++)
			snprintf(s->led[c], sizeof(s->led[c]),
				 "%s/sys/class/leds/socket%d:%s/brightness", r, i + 1,
				 led_channel_names[c]);
	}
	snprintf(cfg->suspend, sizeof(cfg->suspend), "%s/sys/class/gpio/gpio26/value", r);
	/* 12-bit ADC over -12..+12 V for CP; 0..3.3 V for PP with a 1 kOhm
	 * pull-up to 3.3 V, which spreads 100 Ohm..4.5 kOhm over the range. */
	cfg->cp_num = 24000;
	cfg->cp_den = 4095;
	cfg->cp_offset_mv = -12000;
	cfg->pp_num = 3300;
	cfg->pp_den = 4095;
	cfg->pp_vref_mv = 3300;
	cfg->pp_pullup_ohm = 1000;
}

static int check_file(hw_linux *lx, const char *what, int sock, const char *path,
		      int mode)
{
	if (access(path, mode) < 0)
		return fail(lx, -errno, "socket %d %s: %s: %s", sock, what, path,
			    strerror(errno));
	return 0;
}

/* "on" value of an LED channel: a sysfs LED's max_brightness (next to its
 * brightness file), else 1 (a GPIO value file); -errno when the file cannot
 * be written. */
static long led_on_value(const char *path)
{
	char p[HW_LINUX_PATH_MAX + 16];
	const char *slash = strrchr(path, '/');
	long max;

	if (access(path, W_OK) < 0)
		return -errno;
	if (slash && strcmp(slash + 1, "brightness") == 0) {
		snprintf(p, sizeof(p), "%.*s/max_brightness", (int)(slash - path), path);
		if (read_int(p, &max) == 0 && max > 0)
			return max;
	}
	return 1;
}

/* Finds the LED channels of socket i and switches them off.  A board
 * without LEDs is a normal board: one log line per socket, no error. */
static void led_init(hw_linux *lx, int i)
{
	const hw_linux_socket_config *s = &lx->cfg.sock[i];
	hw_linux_led *l = &lx->led[i];
	const char *missing = NULL;
	long err = 0;
	int n_missing = 0, n_wired = 0;

	l->pattern = hw_led_pattern_of(HW_DISPLAY_AUTO);
	l->next_ms = HW_LED_NEVER;
	for (int c = 0; c < HW_LED_CHANNELS; c++) {
		long on;

		l->lit[c] = -1;
		if (!s->led[c][0])
			continue;
		n_wired++;
		on = led_on_value(s->led[c]);
		if (on < 0) {
			if (!n_missing++) {
				missing = s->led[c];
				err = on;
			}
			continue;
		}
		l->on[c] = on;
		if (write_int(s->led[c], NULL, 0) == 0)
			l->lit[c] = 0;
	}
	if (n_missing && n_missing == n_wired)
		CP_INFO(TAG, "socket %d: no status LED (%s: %s)", i + 1, missing,
			strerror((int)-err));
	else if (n_missing)
		CP_WARN(TAG, "socket %d: %d of %d LED channels missing (%s: %s)", i + 1,
			n_missing, n_wired, missing, strerror((int)-err));
}

/* Writes the channels of socket i whose output at lx->now differs from
 * what was written. */
static void led_refresh(hw_linux *lx, int i)
{
	const hw_linux_socket_config *s = &lx->cfg.sock[i];
	hw_linux_led *l = &lx->led[i];
	unsigned out = hw_led_output(&l->pattern, l->since, lx->now, &l->next_ms);

	for (int c = 0; c < HW_LED_CHANNELS; c++) {
		int want = (out >> c) & 1;
		int r;

		if (!l->on[c] || l->lit[c] == want)
			continue;
		r = write_int(s->led[c], NULL, want ? l->on[c] : 0);
		if (r == 0) {
			l->lit[c] = want;
			l->warned[c] = false;
			continue;
		}
		/* Unknown now: tried again at the next tick, logged once. */
		l->lit[c] = -1;
		if (l->next_ms > lx->now.ms + CP_HW_TICK_MS)
			l->next_ms = lx->now.ms + CP_HW_TICK_MS;
		if (!l->warned[c])
			CP_WARN(TAG, "socket %d LED %s: %s", i + 1, s->led[c], strerror(-r));
		l->warned[c] = true;
	}
}

int hw_linux_init(hw_linux *lx, const hw_linux_config *cfg, int n_sockets)
{
	int r;

	if (!lx || !cfg)
		return -EINVAL;
	memset(lx, 0, sizeof(*lx));
	if (n_sockets < 1 || n_sockets > CP_MAX_CONNECTORS)
		return fail(lx, -EINVAL, "%d sockets: 1..%d supported", n_sockets,
			    CP_MAX_CONNECTORS);
	if (cfg->cp_den == 0 || cfg->pp_den == 0 || cfg->pp_pullup_ohm <= 0 ||
	    cfg->pp_vref_mv <= 0)
		return fail(lx, -EINVAL, "bad ADC scaling");
	lx->cfg = *cfg;
	lx->n_sockets = n_sockets;

	for (int i = 0; i < n_sockets; i++) {
		const hw_linux_socket_config *s = &cfg->sock[i];
		char p[HW_LINUX_PATH_MAX + 16];

		snprintf(p, sizeof(p), "%s/duty_cycle", s->pwm);
		if ((r = check_file(lx, "pwm", i + 1, p, W_OK)) < 0 ||
		    (r = check_file(lx, "contactor", i + 1, s->contactor, W_OK)) < 0 ||
		    (r = check_file(lx, "cp adc", i + 1, s->cp_adc, R_OK)) < 0)
			return r;
		if ((s->lock[0] && (r = check_file(lx, "lock", i + 1, s->lock, W_OK)) < 0) ||
		    (s->lock_feedback[0] &&
		     (r = check_file(lx, "lock feedback", i + 1, s->lock_feedback, R_OK)) < 0) ||
		    (s->cp_neg_adc[0] &&
		     (r = check_file(lx, "cp negative adc", i + 1, s->cp_neg_adc, R_OK)) < 0) ||
		    (s->pp_adc[0] && (r = check_file(lx, "pp adc", i + 1, s->pp_adc, R_OK)) < 0))
			return r;
		/* duty first: the kernel refuses a period shorter than the
		 * duty already set. */
		if ((r = write_int(s->pwm, "duty_cycle", 0)) < 0 ||
		    (r = write_int(s->pwm, "period", PWM_PERIOD_NS)) < 0 ||
		    (r = write_int(s->pwm, "duty_cycle", PWM_PERIOD_NS)) < 0 ||
		    (r = write_int(s->pwm, "enable", 1)) < 0)
			return fail(lx, r, "socket %d pwm %s: %s", i + 1, s->pwm, strerror(-r));
		if ((r = write_int(s->contactor, NULL, 0)) < 0)
			return fail(lx, r, "socket %d contactor: %s", i + 1, strerror(-r));
		led_init(lx, i);
	}
	if (cfg->suspend[0] && (r = check_file(lx, "suspend", 0, cfg->suspend, R_OK)) < 0)
		return r;
	CP_INFO(TAG, "%d sockets on %s", n_sockets, cfg->sock[0].pwm);
	return 0;
}

const char *hw_linux_last_error(const hw_linux *lx)
{
	return lx ? lx->err : "";
}

static int lx_set_pilot(void *ctx, int sock, enum hw_pilot_out out, int duty)
{
	hw_linux_socket_config *s = get(ctx, sock);
	long ns;

	if (!s)
		return -ENODEV;
	switch (out) {
	case HW_OUT_STANDBY:
		ns = PWM_PERIOD_NS;
		break;
	case HW_OUT_PWM:
		if (duty <= 0 || duty > 9700)
			return -EINVAL;
		ns = (long)duty * NS_PER_DUTY_UNIT;
		break;
	case HW_OUT_F:
		ns = 0;
		break;
	default:
		return -EINVAL;
	}
	return write_int(s->pwm, "duty_cycle", ns);
}

static int lx_read_pilot(void *ctx, int sock, enum hw_cp_level *level, bool *diode_ok)
{
	hw_linux *lx = ctx;
	hw_linux_socket_config *s = get(lx, sock);
	long raw;
	int r;

	if (!s)
		return -ENODEV;
	if ((r = read_int(s->cp_adc, &raw)) < 0)
		return r;
	*level = hw_cp_level_from_mv((int32_t)(raw * lx->cfg.cp_num / lx->cfg.cp_den +
					       lx->cfg.cp_offset_mv));
	*diode_ok = true;
	if (s->cp_neg_adc[0]) {
		if ((r = read_int(s->cp_neg_adc, &raw)) < 0)
			return r;
		int32_t mv = (int32_t)(raw * lx->cfg.cp_num / lx->cfg.cp_den +
				       lx->cfg.cp_offset_mv);
		/* A shorted diode lets the negative half rise to the
		 * EV's resistor level; a healthy one keeps it at -12 V. */
		*diode_ok = hw_cp_level_from_mv(mv) == HW_CP_NEG12V;
	}
	return 0;
}

static int lx_read_proximity(void *ctx, int sock, int32_t *ohm)
{
	hw_linux *lx = ctx;
	hw_linux_socket_config *s = get(lx, sock);
	long raw;
	int r;

	if (!s)
		return -ENODEV;
	if (!s->pp_adc[0])
		return -ENOTSUP;
	if ((r = read_int(s->pp_adc, &raw)) < 0)
		return r;
	int64_t mv = (int64_t)raw * lx->cfg.pp_num / lx->cfg.pp_den;
	/* Within 2 % of the reference: open circuit, no cable. */
	if (mv >= (int64_t)lx->cfg.pp_vref_mv * 98 / 100) {
		*ohm = -1;
		return 0;
	}
	if (mv < 0)
		mv = 0;
	*ohm = (int32_t)((int64_t)lx->cfg.pp_pullup_ohm * mv / (lx->cfg.pp_vref_mv - mv));
	return 0;
}

static int lx_set_contactor(void *ctx, int sock, bool closed)
{
	hw_linux_socket_config *s = get(ctx, sock);

	if (!s)
		return -ENODEV;
	return write_int(s->contactor, NULL, closed);
}

static int lx_set_lock(void *ctx, int sock, bool locked)
{
	hw_linux_socket_config *s = get(ctx, sock);
	long fb;
	int r;

	if (!s)
		return -ENODEV;
	if (!s->lock[0])
		return -ENOTSUP;
	if ((r = write_int(s->lock, NULL, locked)) < 0)
		return r;
	if (!s->lock_feedback[0])
		return 0;
	if ((r = read_int(s->lock_feedback, &fb)) < 0)
		return r;
	return (fb != 0) == locked ? 0 : -EIO;
}

static int lx_read_meter(void *ctx, int sock, hw_meter_reading *m)
{
	(void)ctx;
	(void)sock;
	(void)m;
	return -ENOTSUP;
}

static int lx_read_suspend(void *ctx, bool *closed)
{
	hw_linux *lx = ctx;
	long v;
	int r;

	if (!lx->cfg.suspend[0])
		return -ENOTSUP;
	if ((r = read_int(lx->cfg.suspend, &v)) < 0)
		return r;
	*closed = v != 0;
	return 0;
}

/* Blinking: the driver tick is the LED's clock. */
static void lx_tick(void *ctx, cp_mono_t now)
{
	hw_linux *lx = ctx;

	lx->now = now;
	for (int i = 0; i < lx->n_sockets; i++)
		if (now.ms >= lx->led[i].next_ms)
			led_refresh(lx, i);
}

/* A new display message starts its pattern now (the tick just before, in
 * the same hw_station_poll, or the last one), with its first colour on. */
static void lx_show_display(void *ctx, int sock, enum hw_display d)
{
	hw_linux *lx = ctx;
	hw_linux_led *l;

	if (!get(lx, sock))
		return;
	l = &lx->led[sock - 1];
	l->pattern = hw_led_pattern_of(d);
	l->since = lx->now;
	led_refresh(lx, sock - 1);
}

const hw_backend_ops hw_linux_ops = {
	.name = "linux",
	.tick = lx_tick,
	.set_pilot = lx_set_pilot,
	.read_pilot = lx_read_pilot,
	.read_proximity = lx_read_proximity,
	.set_contactor = lx_set_contactor,
	.set_lock = lx_set_lock,
	.read_meter = lx_read_meter,
	.read_suspend = lx_read_suspend,
	.show_display = lx_show_display,
};
