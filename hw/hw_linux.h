/*
 * hw_linux.h - the real-hardware backend (--hw linux): the pilot generator
 * on a sysfs PWM channel, contactor / lock motor / suspend contact on sysfs
 * GPIO value files, pilot and proximity voltages from IIO ADC raw files.
 * Every path comes from hw_linux_config; tests point them into a fake tree.
 *
 * Wiring it assumes (one set per socket; see hw/README for the schematic
 * notes):
 *  - PWM (pwmchipN/pwmM, exported by the init system before start): period
 *    1 ms (1 kHz, IEC 61851-1).  The output stage maps high to +12 V and low
 *    to -12 V, so duty 100 % = +12 V DC (A, B1, C1), duty 0 = -12 V DC (F),
 *    anything between is the PWM offer.
 *  - CP ADC: a peak detector on the positive half of the pilot, scaled into
 *    the ADC: mv = raw * cp_num / cp_den + cp_offset_mv (default 12-bit ADC
 *    spanning -12..+12 V).
 *  - CP negative ADC (optional): the negative peak, for the diode check;
 *    without it the check is assumed passed.
 *  - PP ADC: the proximity resistor against pp_pullup_ohm to pp_vref_mv;
 *    without it the socket must be configured as a tethered cable.
 *  - GPIO value files: contactor (1 = closed), lock motor (1 = locked) with
 *    an optional feedback input (1 = locked), suspend contact (1 = closed).
 *  - Status LED (optional): one on/off output per colour channel, red,
 *    green and blue (hw/led.h), each a sysfs LED brightness file (written 0
 *    or its max_brightness) or a GPIO value file (written 0 or 1).  Written
 *    only when the pattern's output changes; a channel whose file is missing
 *    at start is left out (logged once), so a board without LEDs runs.
 *  - No meter here: the daemon feeds hw_station_set_meter from its meter.
 */
#ifndef HW_HW_LINUX_H
#define HW_HW_LINUX_H

#include "hw/hw.h"
#include "hw/led.h"

/* Longest sysfs path we accept: real ones are under 80 characters; a test
 * tree in /tmp adds about 30. */
#define HW_LINUX_PATH_MAX 160

typedef struct hw_linux_socket_config {
	char pwm[HW_LINUX_PATH_MAX];       /* directory of period, duty_cycle, enable */
	char contactor[HW_LINUX_PATH_MAX]; /* GPIO value file */
	char lock[HW_LINUX_PATH_MAX];      /* GPIO value file; "" = no lock */
	char lock_feedback[HW_LINUX_PATH_MAX]; /* "" = trust the motor */
	char cp_adc[HW_LINUX_PATH_MAX];    /* IIO in_voltageN_raw */
	char cp_neg_adc[HW_LINUX_PATH_MAX];/* "" = no diode check input */
	char pp_adc[HW_LINUX_PATH_MAX];    /* "" = tethered cable */
	/* per enum hw_led_channel: LED brightness or GPIO value file; "" =
	 * no such channel */
	char led[HW_LED_CHANNELS][HW_LINUX_PATH_MAX];
} hw_linux_socket_config;

typedef struct hw_linux_config {
	hw_linux_socket_config sock[CP_MAX_CONNECTORS];
	char suspend[HW_LINUX_PATH_MAX];   /* GPIO value file; "" = none */
	int32_t cp_num, cp_den, cp_offset_mv;
	int32_t pp_num, pp_den, pp_vref_mv, pp_pullup_ohm;
} hw_linux_config;

/* A socket's LED as last written. */
typedef struct hw_linux_led {
	hw_led_pattern pattern;
	cp_mono_t since;               /* the pattern's start */
	int64_t next_ms;               /* its next change, HW_LED_NEVER */
	long on[HW_LED_CHANNELS];      /* value for "on"; 0 = channel absent */
	int lit[HW_LED_CHANNELS];      /* last written 0 / 1; -1 = unknown */
	bool warned[HW_LED_CHANNELS];  /* a write error was logged */
} hw_linux_led;

typedef struct hw_linux {
	hw_linux_config cfg;
	int n_sockets;
	cp_mono_t now;                 /* of the last tick */
	hw_linux_led led[CP_MAX_CONNECTORS];
	char err[HW_LINUX_PATH_MAX + 64];
} hw_linux;

extern const hw_backend_ops hw_linux_ops;

/* The reference board's layout under root ("" for the real system, a
 * temporary folder in tests): pwmchip0/pwm<i>, gpio 20+i contactor,
 * 22+i lock, 24+i lock feedback, 26 suspend, iio:device0 in_voltage<2i>_raw
 * CP, <2i+1> PP; 12-bit ADC scaling; LEDs
 * /sys/class/leds/socket<i+1>:{red,green,blue}/brightness. */
void hw_linux_config_defaults(hw_linux_config *cfg, const char *root);
/* Checks every configured file, sets the PWM period and drives every pilot
 * to +12 V standby, every contactor open and every LED channel off.  -ENOENT / -EACCES / -EINVAL
 * with the reason in hw_linux_last_error(). */
int hw_linux_init(hw_linux *lx, const hw_linux_config *cfg, int n_sockets);
const char *hw_linux_last_error(const hw_linux *lx);

#endif
