/*
 * cfg-doc - prints the README's configuration key reference from the key
 * table, or updates / checks the section of a README between its markers.
 *
 *   cfg-doc                    the section body on stdout
 *   cfg-doc --update README.md rewrite the section in place
 *   cfg-doc --check README.md  exit 1 when the section is out of date
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station/config/config.h"

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
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, r, m);
	fclose(m);
	fclose(f);
	return text;
}

int main(int argc, char **argv)
{
	char *readme, *updated = NULL;
	int rc;

	if (argc == 1)
		return cfg_doc_write(stdout) == 0 ? 0 : 1;
	if (argc != 3 || (strcmp(argv[1], "--update") && strcmp(argv[1], "--check"))) {
		fprintf(stderr, "usage: cfg-doc [--update|--check README.md]\n");
		return 2;
	}
	readme = slurp(argv[2]);
	if (!readme) {
		fprintf(stderr, "cfg-doc: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	rc = cfg_doc_replace(readme, &updated);
	if (rc < 0) {
		fprintf(stderr, "cfg-doc: %s: %s\n", argv[2],
			rc == -ENOENT ? "markers " CFG_DOC_BEGIN " / " CFG_DOC_END " not found"
				      : strerror(-rc));
		free(readme);
		return 2;
	}
	if (strcmp(argv[1], "--check") == 0) {
		rc = strcmp(readme, updated) != 0;
		if (rc)
			fprintf(stderr, "cfg-doc: the key reference in %s is out of date: "
				"run tools/cfg-doc --update %s\n", argv[2], argv[2]);
	} else if (strcmp(readme, updated) != 0) {
		FILE *f = fopen(argv[2], "w");

		rc = !f || fputs(updated, f) < 0;
		if (f && fclose(f) != 0)
			rc = 1;
		if (rc)
			fprintf(stderr, "cfg-doc: writing %s: %s\n", argv[2], strerror(errno));
	}
	free(readme);
	free(updated);
	return rc;
}
