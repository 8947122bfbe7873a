/*
 * test_led.c - the pure LED mapping (hw/led.h): the pattern of every display
 * message agrees with its hw_display_led() text (docs/mode3.md), the
 * messages an installer must tell apart look different, the blink timing
 * and next-change times, and the control socket's "led" object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hw/hw.h"
#include "hw/led.h"

#define R (1u << HW_LED_RED)
#define G (1u << HW_LED_GREEN)
#define B (1u << HW_LED_BLUE)

/* The whole table, written out: a change to it is a visible change. */
static void test_pattern_table(void **state)
{
	(void)state;
	static const struct {
		enum hw_display d;
		enum hw_led_blink blink;
		unsigned first, second;	/* masks of color[0], color[1] */
	} rows[] = {
		{ .d = HW_DISPLAY_AUTO, .blink = HW_LED_OFF },
		{ .d = HW_DISPLAY_IDLE, .blink = HW_LED_STEADY, .first = G },
		{ .d = HW_DISPLAY_CONNECTED, .blink = HW_LED_STEADY, .first = B },
		{ .d = HW_DISPLAY_CHARGING, .blink = HW_LED_STEADY, .first = B },
		{ .d = HW_DISPLAY_REDUCED, .blink = HW_LED_SLOW, .first = B },
		{ .d = HW_DISPLAY_WAITING_POWER, .blink = HW_LED_SLOW, .first = G | B },
		{ .d = HW_DISPLAY_ALTERNATING, .blink = HW_LED_SLOW, .first = G | B },
		{ .d = HW_DISPLAY_SUSPENDED, .blink = HW_LED_FAST, .first = B },
		{ .d = HW_DISPLAY_OVERCURRENT, .blink = HW_LED_ALTERNATE, .first = R, .second = B },
		{ .d = HW_DISPLAY_FAULT, .blink = HW_LED_STEADY, .first = R },
		{ .d = HW_DISPLAY_UNAVAILABLE, .blink = HW_LED_STEADY, .first = R },
	};

	assert_int_equal(sizeof(rows) / sizeof(rows[0]), HW_DISPLAY_COUNT);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		hw_led_pattern p = hw_led_pattern_of(rows[i].d);

		assert_int_equal(p.blink, rows[i].blink);
		assert_int_equal(hw_led_color_mask(p.color[0]), rows[i].first);
		assert_int_equal(hw_led_color_mask(p.color[1]), rows[i].second);
	}
	/* out of range: dark, never a colour that means something */
	assert_int_equal(hw_led_pattern_of(HW_DISPLAY_COUNT).blink, HW_LED_OFF);
	assert_int_equal(hw_led_pattern_of((enum hw_display)-1).blink, HW_LED_OFF);
}

/* Every pattern says what hw_display_led() says: its colours by name, in
 * order ("red/blue"), "steady" or "flashing". */
static void test_agrees_with_display_led(void **state)
{
	(void)state;
	for (int d = HW_DISPLAY_IDLE; d < HW_DISPLAY_COUNT; d++) {
		hw_led_pattern p = hw_led_pattern_of((enum hw_display)d);
		const char *text = hw_display_led((enum hw_display)d);
		char expect[64];

		if (p.blink == HW_LED_ALTERNATE)
			snprintf(expect, sizeof(expect), "%s/%s flashing",
				 hw_led_color_name(p.color[0]), hw_led_color_name(p.color[1]));
		else
			snprintf(expect, sizeof(expect), "%s %s", hw_led_color_name(p.color[0]),
				 p.blink == HW_LED_STEADY ? "steady" : "flashing");
		assert_string_equal(text, expect);
	}
}

/* Messages with a different LED text look different on the LED: same
 * colours with another blink, or other colours. */
static void test_distinct_texts_look_distinct(void **state)
{
	(void)state;
	for (int a = HW_DISPLAY_IDLE; a < HW_DISPLAY_COUNT; a++) {
		for (int b = a + 1; b < HW_DISPLAY_COUNT; b++) {
			hw_led_pattern pa = hw_led_pattern_of((enum hw_display)a);
			hw_led_pattern pb = hw_led_pattern_of((enum hw_display)b);
			bool same = pa.blink == pb.blink &&
				    hw_led_color_mask(pa.color[0]) == hw_led_color_mask(pb.color[0]) &&
				    hw_led_color_mask(pa.color[1]) == hw_led_color_mask(pb.color[1]);

			if (strcmp(hw_display_led((enum hw_display)a),
				   hw_display_led((enum hw_display)b)) != 0 && same)
				fail_msg("\"%s\" and \"%s\" look the same",
					 hw_display_led((enum hw_display)a),
					 hw_display_led((enum hw_display)b));
		}
	}
}

/* Output and next change at points around the edges, from a start at
 * 10 000 ms. */
static void test_timing(void **state)
{
	(void)state;
	const int64_t t0 = 10000;
	static const struct {
		enum hw_display d;
		int64_t at;		/* ms after the start */
		unsigned out;
		int64_t next;		/* ms after the start; -1 = never */
	} cases[] = {
		{ .d = HW_DISPLAY_IDLE, .at = 0, .out = G, .next = -1 },
		{ .d = HW_DISPLAY_IDLE, .at = 3600000, .out = G, .next = -1 },
		{ .d = HW_DISPLAY_FAULT, .at = 5, .out = R, .next = -1 },
		{ .d = HW_DISPLAY_AUTO, .at = 0, .out = 0, .next = -1 },
		/* slow: 1 s on, 1 s off, starting on */
		{ .d = HW_DISPLAY_REDUCED, .at = 0, .out = B, .next = HW_LED_SLOW_MS },
		{ .d = HW_DISPLAY_REDUCED, .at = HW_LED_SLOW_MS - 1, .out = B, .next = HW_LED_SLOW_MS },
		{ .d = HW_DISPLAY_REDUCED, .at = HW_LED_SLOW_MS, .out = 0, .next = 2 * HW_LED_SLOW_MS },
		{ .d = HW_DISPLAY_REDUCED, .at = 2 * HW_LED_SLOW_MS + 50, .out = B,
		  .next = 3 * HW_LED_SLOW_MS },
		{ .d = HW_DISPLAY_WAITING_POWER, .at = 0, .out = G | B, .next = HW_LED_SLOW_MS },
		{ .d = HW_DISPLAY_WAITING_POWER, .at = 1500, .out = 0, .next = 2 * HW_LED_SLOW_MS },
		/* fast */
		{ .d = HW_DISPLAY_SUSPENDED, .at = 0, .out = B, .next = HW_LED_FAST_MS },
		{ .d = HW_DISPLAY_SUSPENDED, .at = HW_LED_FAST_MS, .out = 0, .next = 2 * HW_LED_FAST_MS },
		{ .d = HW_DISPLAY_SUSPENDED, .at = 2 * HW_LED_FAST_MS, .out = B,
		  .next = 3 * HW_LED_FAST_MS },
		/* alternating: red, blue, red; never both, never dark */
		{ .d = HW_DISPLAY_OVERCURRENT, .at = 0, .out = R, .next = HW_LED_ALT_MS },
		{ .d = HW_DISPLAY_OVERCURRENT, .at = HW_LED_ALT_MS, .out = B, .next = 2 * HW_LED_ALT_MS },
		{ .d = HW_DISPLAY_OVERCURRENT, .at = 2 * HW_LED_ALT_MS + 99, .out = R,
		  .next = 3 * HW_LED_ALT_MS },
		/* a clock read before the start counts as the start */
		{ .d = HW_DISPLAY_OVERCURRENT, .at = -700, .out = R, .next = HW_LED_ALT_MS },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hw_led_pattern p = hw_led_pattern_of(cases[i].d);
		int64_t next = 0;
		unsigned out = hw_led_output(&p, cp_mono(t0), cp_mono(t0 + cases[i].at), &next);

		assert_int_equal(out, cases[i].out);
		assert_int_equal(next, cases[i].next < 0 ? HW_LED_NEVER : t0 + cases[i].next);
		/* next_ms is optional */
		assert_int_equal(hw_led_output(&p, cp_mono(t0), cp_mono(t0 + cases[i].at), NULL),
				 cases[i].out);
	}
}

/* Stepping a blinking pattern from one next-change time to the next
 * toggles it at every step: no change is reported that is not one. */
static void test_next_is_a_change(void **state)
{
	(void)state;
	static const enum hw_display blinking[] = {
		HW_DISPLAY_REDUCED, HW_DISPLAY_WAITING_POWER, HW_DISPLAY_SUSPENDED,
		HW_DISPLAY_OVERCURRENT,
	};

	for (size_t i = 0; i < sizeof(blinking) / sizeof(blinking[0]); i++) {
		hw_led_pattern p = hw_led_pattern_of(blinking[i]);
		int64_t now = 777, next;
		unsigned prev = hw_led_output(&p, cp_mono(777), cp_mono(now), &next);

		for (int k = 0; k < 20; k++) {
			unsigned out;

			assert_true(next > now);
			now = next;
			out = hw_led_output(&p, cp_mono(777), cp_mono(now), &next);
			assert_int_not_equal(out, prev);
			/* one tick before the change it still shows prev */
			assert_int_equal(hw_led_output(&p, cp_mono(777), cp_mono(now - 1), NULL),
					 prev);
			prev = out;
		}
	}
}

/* An unknown blink value is dark. */
static void test_bad_pattern_is_dark(void **state)
{
	(void)state;
	hw_led_pattern p = { .blink = HW_LED_BLINK_COUNT, .color = { HW_LED_C_RED, HW_LED_NONE } };
	int64_t next = 0;

	assert_int_equal(hw_led_output(&p, cp_mono(0), cp_mono(5), &next), 0);
	assert_int_equal(next, HW_LED_NEVER);
	assert_string_equal(hw_led_blink_name(HW_LED_BLINK_COUNT), "?");
	assert_string_equal(hw_led_color_name(HW_LED_C_COUNT), "");
	assert_int_equal(hw_led_color_mask(HW_LED_C_COUNT), 0);
}

static void test_json(void **state)
{
	(void)state;
	static const struct {
		enum hw_display d;
		const char *json;
	} cases[] = {
		{ HW_DISPLAY_AUTO, "{\"pattern\":\"off\",\"colors\":[]}" },
		{ HW_DISPLAY_IDLE, "{\"pattern\":\"steady\",\"colors\":[\"green\"]}" },
		{ HW_DISPLAY_CHARGING, "{\"pattern\":\"steady\",\"colors\":[\"dark blue\"]}" },
		{ HW_DISPLAY_WAITING_POWER,
		  "{\"pattern\":\"slow_blink\",\"colors\":[\"light blue\"]}" },
		{ HW_DISPLAY_SUSPENDED, "{\"pattern\":\"fast_blink\",\"colors\":[\"blue\"]}" },
		{ HW_DISPLAY_OVERCURRENT,
		  "{\"pattern\":\"alternating\",\"colors\":[\"red\",\"blue\"]}" },
		{ HW_DISPLAY_FAULT, "{\"pattern\":\"steady\",\"colors\":[\"red\"]}" },
		{ HW_DISPLAY_COUNT, "{\"pattern\":\"off\",\"colors\":[]}" },
	};
	char buf[HW_LED_JSON_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(hw_led_json(cases[i].d, buf), cases[i].json);
	/* every message fits, closed */
	for (int d = 0; d < HW_DISPLAY_COUNT; d++) {
		const char *j = hw_led_json((enum hw_display)d, buf);
		assert_true(strlen(j) < HW_LED_JSON_LEN - 1);
		assert_string_equal(j + strlen(j) - 2, "]}");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_table),
		cmocka_unit_test(test_agrees_with_display_led),
		cmocka_unit_test(test_distinct_texts_look_distinct),
		cmocka_unit_test(test_timing),
		cmocka_unit_test(test_next_is_a_change),
		cmocka_unit_test(test_bad_pattern_is_dark),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
