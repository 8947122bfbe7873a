/*
 * led.h - the status LED of a socket: which colours, and how they blink, for
 * each display message (enum hw_display, whose hw_display_led() strings
 * docs/mode3.md describes), and what the red, green and blue outputs are at
 * a given time.
 *
 * Pure: no clock, no files.  A backend keeps, per socket, the pattern and
 * the time it started, asks hw_led_output() at every driver tick and writes
 * only the channels that changed (hw/linux.c does so on sysfs).  Blinking
 * therefore needs no thread and no sleep; its timing is that of the driver
 * tick (CP_HW_TICK_MS), on the station clock (so --time-scale scales it).
 *
 * The mapping (docs/mode3.md, hw/README.md), for an LED whose red, green and
 * blue channels are each on or off:
 *
 *	display            hw_display_led()       pattern      channels
 *	idle               green steady           steady       G
 *	connected          dark blue steady       steady       B
 *	charging           dark blue steady       steady       B
 *	reduced            dark blue flashing     slow blink   B
 *	waiting_power      light blue flashing    slow blink   G+B
 *	alternating        light blue flashing    slow blink   G+B
 *	suspended          blue flashing          fast blink   B
 *	overcurrent        red/blue flashing      alternating  R, then B
 *	fault              red steady             steady       R
 *	unavailable        red steady             steady       R
 *	auto (none yet)    -                      off          -
 *
 * Light blue is green and blue together, the nearest an on/off RGB LED
 * comes.  Blue and dark blue are the same channel, so "blue flashing" (the
 * suspend signal) flashes fast to be told apart from "dark blue flashing"
 * (reduced by load balancing).
 */
#ifndef HW_LED_H
#define HW_LED_H

#include <stddef.h>
#include <stdint.h>

#include "cp_time.h"
#include "hw/hw.h"

/* Half periods of the blinking patterns, station milliseconds.  Both are
 * several driver ticks (CP_HW_TICK_MS, 100 ms) long, so a tick's lateness
 * shifts an edge by at most a third of the phase. */
#define HW_LED_SLOW_MS 1000	/* 0.5 Hz: "please wait" */
#define HW_LED_FAST_MS 300	/* ~1.7 Hz: the suspend signal */
#define HW_LED_ALT_MS 500	/* 1 Hz per colour: the overcurrent pause */

/* next_ms of a pattern that never changes by itself. */
#define HW_LED_NEVER INT64_MAX

/* Output channels: bit (1 << channel) in an output mask. */
enum hw_led_channel {
	HW_LED_RED = 0,
	HW_LED_GREEN,
	HW_LED_BLUE,
	HW_LED_CHANNELS
};

enum hw_led_color {
	HW_LED_NONE = 0,
	HW_LED_C_GREEN,
	HW_LED_C_RED,
	HW_LED_C_BLUE,
	HW_LED_C_DARK_BLUE,
	HW_LED_C_LIGHT_BLUE,
	HW_LED_C_COUNT
};

enum hw_led_blink {
	HW_LED_OFF = 0,     /* all channels off */
	HW_LED_STEADY,      /* color[0] on */
	HW_LED_SLOW,        /* color[0] HW_LED_SLOW_MS on, as long off */
	HW_LED_FAST,        /* color[0] HW_LED_FAST_MS on, as long off */
	HW_LED_ALTERNATE,   /* color[0], then color[1], HW_LED_ALT_MS each */
	HW_LED_BLINK_COUNT
};

typedef struct hw_led_pattern {
	enum hw_led_blink blink;
	enum hw_led_color color[2]; /* [1] only for HW_LED_ALTERNATE */
} hw_led_pattern;

/* The pattern of a display message; HW_LED_OFF for HW_DISPLAY_AUTO and an
 * out-of-range value. */
hw_led_pattern hw_led_pattern_of(enum hw_display d);

/* "off", "steady", "slow_blink", "fast_blink", "alternating"; "?" out of
 * range. */
const char *hw_led_blink_name(enum hw_led_blink b);
/* "green", "red", "blue", "dark blue", "light blue" (as in
 * hw_display_led()); "" for HW_LED_NONE and out of range. */
const char *hw_led_color_name(enum hw_led_color c);
/* Channel mask of a colour: light blue = green | blue; 0 for none. */
unsigned hw_led_color_mask(enum hw_led_color c);

/*
 * Channel mask lit at now by a pattern started at since (a blinking pattern
 * starts with its first colour on).  *next_ms (may be NULL) gets the station
 * time of the next change, HW_LED_NEVER for off and steady.  A now before
 * since is taken as since.
 */
unsigned hw_led_output(const hw_led_pattern *p, cp_mono_t since, cp_mono_t now,
		       int64_t *next_ms);

/* Longest hw_led_json() text, with its NUL. */
#define HW_LED_JSON_LEN 80

/* The control socket's "led" object of a display message, e.g.
 * {"pattern":"alternating","colors":["red","blue"]}, written into buf
 * (HW_LED_JSON_LEN bytes, owned by the caller); returns buf. */
char *hw_led_json(enum hw_display d, char buf[HW_LED_JSON_LEN]);

#endif
