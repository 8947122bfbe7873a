/*
 * test_firmware_tar.c - the diagnostics archive writer: what it writes is a
 * ustar archive that tar(1) lists and extracts byte for byte, and bad input
 * is refused without writing anything.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "station/firmware/firmware.h"

struct member {
	const char *name;
	size_t len;		/* bytes of generated content */
};

/* Sizes around the 512-byte block: empty, short, exact, one over. */
static const struct member members[] = {
	{ .name = "summary.txt", .len = 300 },
	{ .name = "empty.txt", .len = 0 },
	{ .name = "exact.bin", .len = 512 },
	{ .name = "over.bin", .len = 513 },
	{ .name = "ocpp-cp.log", .len = 70000 },
};

static unsigned char *content(const struct member *m)
{
	unsigned char *b = malloc(m->len + 1);

	for (size_t i = 0; i < m->len; i++)
		b[i] = (unsigned char)('a' + (i * 7 + strlen(m->name)) % 26);
	return b;
}

static unsigned long octal_field(const char *p, size_t n)
{
	char buf[16];

	memcpy(buf, p, n);
	buf[n] = '\0';
	return strtoul(buf, NULL, 8);
}

static void write_archive(const char *path)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		unsigned char *b = content(&members[i]);
		assert_int_equal(fw_tar_add(f, members[i].name, b, members[i].len, cp_utc(1700000000)), 0);
		free(b);
	}
	assert_int_equal(fw_tar_finish(f), 0);
	assert_int_equal(fclose(f), 0);
}

/* Walks the archive as a reader would: header checksum, size, padding, and
 * the two zero blocks at the end. */
static void test_structure(void **state)
{
	char path[] = "/tmp/test_fw_tarXXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	unsigned char h[512], zero[512] = { 0 };

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_archive(path);
	f = fopen(path, "rb");
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		unsigned long sum = 0, stored, size;
		unsigned char *want = content(&members[i]), *got;
		size_t padded;

		assert_int_equal(fread(h, 1, 512, f), 512);
		assert_string_equal((char *)h, members[i].name);
		assert_memory_equal(h + 257, "ustar", 6);
		assert_int_equal(h[156], '0');
		stored = octal_field((char *)h + 148, 7);
		for (int k = 0; k < 512; k++)
			sum += (k >= 148 && k < 156) ? ' ' : h[k];
		assert_int_equal(stored, sum);
		size = octal_field((char *)h + 124, 11);
		assert_int_equal(size, members[i].len);
		assert_int_equal(octal_field((char *)h + 136, 11), 1700000000UL);
		padded = (members[i].len + 511) / 512 * 512;
		got = malloc(padded + 1);
		assert_int_equal(fread(got, 1, padded, f), padded);
		if (members[i].len)
			assert_memory_equal(got, want, members[i].len);
		for (size_t k = members[i].len; k < padded; k++)
			assert_int_equal(got[k], 0);
		free(got);
		free(want);
	}
	assert_int_equal(fread(h, 1, 512, f), 512);
	assert_memory_equal(h, zero, 512);
	assert_int_equal(fread(h, 1, 512, f), 512);
	assert_memory_equal(h, zero, 512);
	assert_int_equal(fread(h, 1, 1, f), 0);
	fclose(f);
	unlink(path);
}

/* The operator opens it with the tar they have: GNU tar lists the members
 * and gives back each one's exact bytes. */
static void test_gnu_tar_reads_it(void **state)
{
	char path[] = "/tmp/test_fw_tarXXXXXX", cmd[256], line[128];
	int fd = mkstemp(path);
	FILE *p;
	size_t i = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	if (system("tar --version >/dev/null 2>&1") != 0) {
		unlink(path);
		skip();
	}
	write_archive(path);
	snprintf(cmd, sizeof(cmd), "tar -tf %s", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		assert_true(i < sizeof(members) / sizeof(members[0]));
		assert_string_equal(line, members[i].name);
		i++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(i, sizeof(members) / sizeof(members[0]));
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		unsigned char *want = content(&members[i]), *got = malloc(members[i].len + 16);
		size_t n;
		snprintf(cmd, sizeof(cmd), "tar -xOf %s %s", path, members[i].name);
		p = popen(cmd, "r");
		assert_non_null(p);
		n = fread(got, 1, members[i].len + 16, p);
		assert_int_equal(pclose(p), 0);
		assert_int_equal(n, members[i].len);
		if (n)
			assert_memory_equal(got, want, n);
		free(got);
		free(want);
	}
	unlink(path);
}

static void test_bad_input(void **state)
{
	char longname[120];
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(fw_tar_add(f, longname, "a", 1, cp_utc(0)), -ENAMETOOLONG);
	assert_int_equal(fw_tar_add(f, "", "a", 1, cp_utc(0)), -EINVAL);
	assert_int_equal(fw_tar_add(f, NULL, "a", 1, cp_utc(0)), -EINVAL);
	assert_int_equal(fw_tar_add(f, "x", NULL, 5, cp_utc(0)), -EINVAL);
	assert_int_equal(fw_tar_add(NULL, "x", "a", 1, cp_utc(0)), -EINVAL);
	assert_int_equal(fw_tar_finish(NULL), -EINVAL);
	/* Nothing was written by the refused calls. */
	assert_int_equal(ftell(f), 0);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_gnu_tar_reads_it),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
