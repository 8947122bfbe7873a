/*
 * led.c - display message -> LED pattern -> channel outputs at a time
 * (hw/led.h has the table and the reasons).
 */
#include "hw/led.h"

#include <stdio.h>

static const hw_led_pattern patterns[HW_DISPLAY_COUNT] = {
	[HW_DISPLAY_AUTO] = { HW_LED_OFF, { HW_LED_NONE, HW_LED_NONE } },
	[HW_DISPLAY_IDLE] = { HW_LED_STEADY, { HW_LED_C_GREEN, HW_LED_NONE } },
	[HW_DISPLAY_CONNECTED] = { HW_LED_STEADY, { HW_LED_C_DARK_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_CHARGING] = { HW_LED_STEADY, { HW_LED_C_DARK_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_REDUCED] = { HW_LED_SLOW, { HW_LED_C_DARK_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_WAITING_POWER] = { HW_LED_SLOW, { HW_LED_C_LIGHT_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_ALTERNATING] = { HW_LED_SLOW, { HW_LED_C_LIGHT_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_SUSPENDED] = { HW_LED_FAST, { HW_LED_C_BLUE, HW_LED_NONE } },
	[HW_DISPLAY_OVERCURRENT] = { HW_LED_ALTERNATE, { HW_LED_C_RED, HW_LED_C_BLUE } },
	[HW_DISPLAY_FAULT] = { HW_LED_STEADY, { HW_LED_C_RED, HW_LED_NONE } },
	[HW_DISPLAY_UNAVAILABLE] = { HW_LED_STEADY, { HW_LED_C_RED, HW_LED_NONE } },
};

static const struct {
	const char *name;
	unsigned mask;
} colors[HW_LED_C_COUNT] = {
	[HW_LED_NONE] = { "", 0 },
	[HW_LED_C_GREEN] = { "green", 1u << HW_LED_GREEN },
	[HW_LED_C_RED] = { "red", 1u << HW_LED_RED },
	[HW_LED_C_BLUE] = { "blue", 1u << HW_LED_BLUE },
	[HW_LED_C_DARK_BLUE] = { "dark blue", 1u << HW_LED_BLUE },
	[HW_LED_C_LIGHT_BLUE] = { "light blue", 1u << HW_LED_GREEN | 1u << HW_LED_BLUE },
};

static const char *const blink_names[HW_LED_BLINK_COUNT] = {
	[HW_LED_OFF] = "off", [HW_LED_STEADY] = "steady",
	[HW_LED_SLOW] = "slow_blink", [HW_LED_FAST] = "fast_blink",
	[HW_LED_ALTERNATE] = "alternating",
};

hw_led_pattern hw_led_pattern_of(enum hw_display d)
{
	return patterns[(unsigned)d < HW_DISPLAY_COUNT ? d : HW_DISPLAY_AUTO];
}

const char *hw_led_blink_name(enum hw_led_blink b)
{
	return (unsigned)b < HW_LED_BLINK_COUNT ? blink_names[b] : "?";
}

const char *hw_led_color_name(enum hw_led_color c)
{
	return (unsigned)c < HW_LED_C_COUNT ? colors[c].name : "";
}

unsigned hw_led_color_mask(enum hw_led_color c)
{
	return (unsigned)c < HW_LED_C_COUNT ? colors[c].mask : 0;
}

unsigned hw_led_output(const hw_led_pattern *p, cp_mono_t since, cp_mono_t now,
		       int64_t *next_ms)
{
	int64_t half, phase, elapsed = now.ms > since.ms ? now.ms - since.ms : 0;
	int64_t next = HW_LED_NEVER;
	unsigned out;

	switch (p->blink) {
	case HW_LED_STEADY:
		out = hw_led_color_mask(p->color[0]);
		break;
	case HW_LED_SLOW:
	case HW_LED_FAST:
	case HW_LED_ALTERNATE:
		half = p->blink == HW_LED_SLOW ? HW_LED_SLOW_MS :
		       p->blink == HW_LED_FAST ? HW_LED_FAST_MS : HW_LED_ALT_MS;
		phase = elapsed / half;
		next = since.ms + (phase + 1) * half;
		if (p->blink == HW_LED_ALTERNATE)
			out = hw_led_color_mask(p->color[phase % 2]);
		else
			out = phase % 2 ? 0 : hw_led_color_mask(p->color[0]);
		break;
	case HW_LED_OFF:
	default:
		/* An unknown pattern shows nothing rather than a wrong
		 * colour. */
		out = 0;
		break;
	}
	if (next_ms)
		*next_ms = next;
	return out;
}

char *hw_led_json(enum hw_display d, char buf[HW_LED_JSON_LEN])
{
	hw_led_pattern p = hw_led_pattern_of(d);
	int n = snprintf(buf, HW_LED_JSON_LEN, "{\"pattern\":\"%s\",\"colors\":[",
			 hw_led_blink_name(p.blink));

	for (int i = 0; i < 2 && n > 0 && n < HW_LED_JSON_LEN; i++) {
		if (p.color[i] == HW_LED_NONE)
			continue;
		n += snprintf(buf + n, (size_t)(HW_LED_JSON_LEN - n), "%s\"%s\"",
			      i ? "," : "", hw_led_color_name(p.color[i]));
	}
	if (n > 0 && n < HW_LED_JSON_LEN)
		snprintf(buf + n, (size_t)(HW_LED_JSON_LEN - n), "]}");
	return buf;
}
