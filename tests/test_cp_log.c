/*
 * test_cp_log.c - the logger's flood limiter (cp_log.h), against an
 * injected clock and an in-memory output: a flood of one line is bounded
 * and summed up with the exact number suppressed; distinct lines, lines
 * after the window and debug logging are not suppressed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cp_limits.h"
#include "cp_log.h"

static uint64_t now_ms;
static char *out_buf;
static size_t out_len;
static FILE *out;

static uint64_t fake_clock(void)
{
	return now_ms;
}

static int setup(void **state)
{
	(void)state;
	now_ms = 1000;
	out = open_memstream(&out_buf, &out_len);
	if (!out)
		return -1;
	cp_log_set_output(out);
	cp_log_set_clock(fake_clock);
	cp_log_set_level(CP_LOG_INFO);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cp_log_set_output(NULL);
	cp_log_set_clock(NULL);
	fclose(out);
	free(out_buf);
	out_buf = NULL;
	return 0;
}

/* Lines written so far containing `needle` (all lines for ""). */
static int count_lines(const char *needle)
{
	int n = 0;

	fflush(out);
	for (const char *p = out_buf; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (strstr(line, needle))
			n++;
		p += len + (nl ? 1 : 0);
	}
	return n;
}

static void test_flood_of_identical_warnings_is_bounded_and_counted(void **state)
{
	char want[64];

	(void)state;
	for (int i = 0; i < 10000; i++)
		CP_WARN("ocpp", "refusing CALL from the central system: %s", "FormationViolation");
	assert_int_equal(count_lines("refusing CALL"), CP_LOG_FLOOD_BURST);
	assert_int_equal(count_lines(""), CP_LOG_FLOOD_BURST);

	/* The window passes; the next line of any kind brings the summary. */
	now_ms += CP_LOG_FLOOD_WINDOW_MS;
	CP_INFO("main", "something else");
	snprintf(want, sizeof(want), "[ocpp] %d similar lines suppressed", 10000 - CP_LOG_FLOOD_BURST);
	assert_int_equal(count_lines(want), 1);
	assert_int_equal(count_lines("refusing CALL from the central system: %s"), 1);	/* names the line */
	assert_int_equal(count_lines("something else"), 1);
	assert_int_equal(count_lines(""), CP_LOG_FLOOD_BURST + 2);
}

/* A hostile central system varies the arguments: the format is the line. */
static void test_same_format_other_arguments_is_the_same_line(void **state)
{
	(void)state;
	for (int i = 0; i < 10000; i++)
		CP_WARN("ocpp", "unknown message id %d", i);
	assert_int_equal(count_lines("unknown message id"), CP_LOG_FLOOD_BURST);
	cp_log_flush();
	assert_int_equal(count_lines("9990 similar lines suppressed"), 1);
	assert_int_equal(count_lines(""), CP_LOG_FLOOD_BURST + 1);
}

static void test_distinct_lines_are_not_suppressed(void **state)
{
	static const char *const tags[] = { "ocpp", "store", "hw", "sc", "station" };

	(void)state;
	for (int r = 0; r < CP_LOG_FLOOD_BURST; r++) {
		for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
			CP_WARN(tags[t], "same text, other tag %d", r);
		CP_ERR("ocpp", "first kind %d", r);
		CP_ERR("ocpp", "second kind %d", r);
		CP_WARN("ocpp", "first kind %d", r);	/* other level: another line */
	}
	cp_log_flush();
	assert_int_equal(count_lines("same text, other tag"), 5 * CP_LOG_FLOOD_BURST);
	assert_int_equal(count_lines("first kind"), 2 * CP_LOG_FLOOD_BURST);
	assert_int_equal(count_lines("second kind"), CP_LOG_FLOOD_BURST);
	assert_int_equal(count_lines("suppressed"), 0);
}

static void test_line_comes_back_after_the_window(void **state)
{
	(void)state;
	for (int i = 0; i < CP_LOG_FLOOD_BURST + 5; i++)
		CP_WARN("hw", "contactor feedback missing on socket %d", 1);
	assert_int_equal(count_lines("contactor feedback"), CP_LOG_FLOOD_BURST);
	now_ms += CP_LOG_FLOOD_WINDOW_MS - 1;
	CP_WARN("hw", "contactor feedback missing on socket %d", 1);
	assert_int_equal(count_lines("contactor feedback"), CP_LOG_FLOOD_BURST);
	now_ms += 1;
	CP_WARN("hw", "contactor feedback missing on socket %d", 1);
	assert_int_equal(count_lines("[hw] 6 similar lines suppressed"), 1);
	assert_int_equal(count_lines("contactor feedback missing on socket 1"), CP_LOG_FLOOD_BURST + 1);
	/* Nothing left to report: flush adds nothing. */
	cp_log_flush();
	assert_int_equal(count_lines("suppressed"), 1);
}

/* More flooding lines than tracked keys: each evicted key reports what it
 * suppressed, so no count is ever lost and the output stays bounded. */
static void test_evicted_key_reports_its_count(void **state)
{
	(void)state;
	for (int i = 0; i < CP_LOG_FLOOD_BURST + 7; i++)
		CP_WARN("victim", "flooding line %d", i);
	for (int k = 0; k < CP_LOG_FLOOD_KEYS; k++) {
		char tag[16];
		snprintf(tag, sizeof(tag), "t%d", k);
		CP_WARN(tag, "other line %d", k);
	}
	assert_int_equal(count_lines("[victim] 7 similar lines suppressed"), 1);
}

static void test_debug_level_suppresses_nothing(void **state)
{
	(void)state;
	cp_log_set_level(CP_LOG_DEBUG);
	for (int i = 0; i < 1000; i++) {
		CP_DEBUG("ocpp", ">> frame %d", i);
		CP_WARN("ocpp", "warning %d", i);
	}
	cp_log_flush();
	assert_int_equal(count_lines(">> frame"), 1000);
	assert_int_equal(count_lines("warning"), 1000);
	assert_int_equal(count_lines("suppressed"), 0);
}

/* Lines below the level are not written and do not use up the burst. */
static void test_filtered_lines_do_not_count(void **state)
{
	(void)state;
	cp_log_set_level(CP_LOG_ERROR);
	for (int i = 0; i < 100; i++)
		CP_WARN("ocpp", "quiet %d", i);
	cp_log_set_level(CP_LOG_WARN);
	CP_WARN("ocpp", "quiet %d", 100);
	cp_log_flush();
	assert_int_equal(count_lines("quiet 100"), 1);
	assert_int_equal(count_lines(""), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flood_of_identical_warnings_is_bounded_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_format_other_arguments_is_the_same_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_distinct_lines_are_not_suppressed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_comes_back_after_the_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evicted_key_reports_its_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debug_level_suppresses_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filtered_lines_do_not_count, setup, teardown),
	};
	return cmocka_run_group_tests_name("cp_log", tests, NULL, NULL);
}
