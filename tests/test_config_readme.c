/*
 * test_config_readme.c - the README's key reference is what tools/cfg-doc
 * writes from the key table (a test fails if they drift).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "station/config/config.h"

#ifndef README_PATH
#error "README_PATH must name the README.md of the source tree"
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	char buf[4096];
	size_t r;

	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	assert_non_null(m);
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, r, m);
	fclose(m);
	fclose(f);
	return text;
}

static void test_readme_section_matches_the_table(void **state)
{
	char *readme = slurp(README_PATH), *updated = NULL;

	(void)state;
	if (!readme)
		fail_msg("cannot read %s", README_PATH);
	assert_int_equal(cfg_doc_replace(readme, &updated), 0);
	if (strcmp(readme, updated) != 0)
		fail_msg("the key reference in %s is out of date: run `make readme-config`",
			 README_PATH);
	free(readme);
	free(updated);
}

/* Every key of the table is in the generated text, once, as a row. */
static void test_every_key_has_a_row(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	(void)state;
	assert_int_equal(cfg_doc_write(m), 0);
	fclose(m);
	for (int i = 0; i < CFG__COUNT; i++) {
		char row[80];
		const char *hit;

		snprintf(row, sizeof(row), "\n| `%s` |", cfg_table[i].name);
		hit = strstr(text, row);
		if (!hit)
			fail_msg("no row for %s", cfg_table[i].name);
		assert_null(strstr(hit + 1, row));
	}
	free(text);
}

static void test_replace_needs_markers(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(cfg_doc_replace("# no markers here\n", &out), -ENOENT);
	assert_int_equal(cfg_doc_replace(CFG_DOC_BEGIN "\nno end\n", &out), -ENOENT);
	assert_int_equal(cfg_doc_replace("a\n" CFG_DOC_BEGIN "\nOLD-SECTION-TEXT\n" CFG_DOC_END "\nb\n", &out), 0);
	assert_non_null(strstr(out, "| `HeartbeatInterval` |"));
	assert_null(strstr(out, "OLD-SECTION-TEXT"));
	assert_memory_equal(out, "a\n" CFG_DOC_BEGIN "\n", strlen("a\n" CFG_DOC_BEGIN "\n"));
	assert_string_equal(out + strlen(out) - strlen(CFG_DOC_END "\nb\n"), CFG_DOC_END "\nb\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readme_section_matches_the_table),
		cmocka_unit_test(test_every_key_has_a_row),
		cmocka_unit_test(test_replace_needs_markers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
