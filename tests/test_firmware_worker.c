/*
 * test_firmware_worker.c - the worker side of Firmware Management: libcurl
 * downloads and uploads (file:// stands in for a server, a closed port for
 * one that is down) and the installer hook's exit status and timeout.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "station/firmware/firmware.h"

static char dir[64];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void put_file(const char *name, const char *text, mode_t mode)
{
	char p[256];
	FILE *f;

	path_in(p, sizeof(p), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(p, mode);
}

static char *read_file(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_fw_workerXXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_download(void **state)
{
	char url[320], dst[256], part[300], why[256];

	(void)state;
	put_file("image-1.2.bin", "FIRMWARE IMAGE 1.2\n", 0644);
	snprintf(url, sizeof(url), "file://%s/image-1.2.bin", dir);
	path_in(dst, sizeof(dst), "firmware.bin");
	snprintf(part, sizeof(part), "%s.part", dst);
	assert_int_equal(fw_worker_download(url, dst, "file", why, sizeof(why)), 0);
	assert_string_equal(read_file(dst), "FIRMWARE IMAGE 1.2\n");
	assert_false(exists(part));
	assert_non_null(strstr(why, "19 bytes"));
}

struct dl_fail {
	const char *what;
	bool in_dir;		/* url is a file name in the test dir */
	const char *url;
	const char *protocols;
	int rc;
};

static const struct dl_fail dl_fails[] = {
	{ .what = "missing file", .in_dir = true, .url = "nothing-here.bin", .protocols = "file", .rc = -EREMOTEIO },
	{ .what = "server down", .url = "http://127.0.0.1:1/fw.bin", .protocols = FW_PROTOCOLS, .rc = -ECONNREFUSED },
	{ .what = "scheme not allowed", .in_dir = true, .url = "image-1.2.bin", .protocols = FW_PROTOCOLS, .rc = -EPROTONOSUPPORT },
	{ .what = "not a URL", .url = "no scheme at all", .protocols = FW_PROTOCOLS, .rc = -EPROTONOSUPPORT },
};

/* A failed download leaves neither the file nor its partial copy and says
 * why in one line. */
static void test_download_failures(void **state)
{
	char url[320], dst[256], part[300], why[256];

	(void)state;
	put_file("image-1.2.bin", "x", 0644);
	path_in(dst, sizeof(dst), "failed.bin");
	snprintf(part, sizeof(part), "%s.part", dst);
	for (size_t i = 0; i < sizeof(dl_fails) / sizeof(dl_fails[0]); i++) {
		why[0] = '\0';
		if (dl_fails[i].in_dir)
			snprintf(url, sizeof(url), "file://%s/%s", dir, dl_fails[i].url);
		else
			snprintf(url, sizeof(url), "%s", dl_fails[i].url);
		int rc = fw_worker_download(url, dst, dl_fails[i].protocols, why, sizeof(why));
		if (rc != dl_fails[i].rc)
			fail_msg("%s: rc %d (%s), expected %d", dl_fails[i].what, rc, why, dl_fails[i].rc);
		assert_false(exists(dst));
		assert_false(exists(part));
		assert_true(why[0] != '\0');
		assert_null(strchr(why, '\n'));
	}
	/* The destination directory does not exist. */
	snprintf(url, sizeof(url), "file://%s/image-1.2.bin", dir);
	assert_int_equal(fw_worker_download(url, "/nonexistent-dir/fw.bin", "file", why, sizeof(why)), -ENOENT);
}

static void test_upload(void **state)
{
	char url[256], src[256], why[256], dst[256];

	(void)state;
	put_file("diag.tar", "ARCHIVE BYTES", 0644);
	path_in(src, sizeof(src), "diag.tar");
	mkdir(strcat(strcpy(dst, dir), "/server"), 0755);
	snprintf(url, sizeof(url), "file://%s/server/", dir);
	{
		char full[300];
		assert_int_equal(fw_upload_url(url, "diag.tar", full, sizeof(full)), 0);
		assert_int_equal(fw_worker_upload(full, src, "file", why, sizeof(why)), 0);
	}
	path_in(dst, sizeof(dst), "server/diag.tar");
	assert_string_equal(read_file(dst), "ARCHIVE BYTES");
	/* Server down; a file that is not there. */
	assert_int_equal(fw_worker_upload("http://127.0.0.1:1/up/", src, FW_PROTOCOLS, why, sizeof(why)), -ECONNREFUSED);
	assert_int_equal(fw_worker_upload(url, "/nonexistent/diag.tar", "file", why, sizeof(why)), -ENOENT);
}

static void test_upload_url(void **state)
{
	static const struct { const char *loc, *name, *want; int rc; } rows[] = {
		{ .loc = "ftp://h/diag/", .name = "d.tar", .want = "ftp://h/diag/d.tar" },
		{ .loc = "http://h/upload", .name = "d.tar", .want = "http://h/upload" },
		{ .loc = "", .name = "d.tar", .rc = -EINVAL },
	};
	char out[64], small[8];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(fw_upload_url(rows[i].loc, rows[i].name, out, sizeof(out)), rows[i].rc);
		if (rows[i].rc == 0)
			assert_string_equal(out, rows[i].want);
	}
	assert_int_equal(fw_upload_url("ftp://h/diag/", "d.tar", small, sizeof(small)), -ENAMETOOLONG);
}

struct inst {
	const char *what;
	const char *script;	/* NULL: the installer does not exist */
	int timeout_s;
	int rc;
	const char *why;	/* a substring of the reason */
};

static const struct inst insts[] = {
	{ .what = "exit 0", .script = "#!/bin/sh\necho \"$1\" > \"$(dirname \"$1\")/installed-from\"\nexit 0\n",
	  .timeout_s = 10, .rc = 0, .why = "exited 0" },
	{ .what = "exit 3", .script = "#!/bin/sh\nexit 3\n", .timeout_s = 10, .rc = -ECANCELED, .why = "exited 3" },
	{ .what = "killed", .script = "#!/bin/sh\nkill -9 $$\n", .timeout_s = 10, .rc = -ECANCELED, .why = "signal 9" },
	{ .what = "hangs", .script = "#!/bin/sh\nexec sleep 30\n", .timeout_s = 1, .rc = -ETIMEDOUT, .why = "killed" },
	{ .what = "missing", .script = NULL, .timeout_s = 10, .rc = -ECANCELED, .why = "exited 127" },
};

static void test_installer(void **state)
{
	char inst[256], image[256], why[320], marker[256];

	(void)state;
	put_file("firmware.bin", "IMG", 0644);
	path_in(image, sizeof(image), "firmware.bin");
	path_in(marker, sizeof(marker), "installed-from");
	for (size_t i = 0; i < sizeof(insts) / sizeof(insts[0]); i++) {
		int rc;
		if (insts[i].script) {
			put_file("installer.sh", insts[i].script, 0755);
			path_in(inst, sizeof(inst), "installer.sh");
		} else {
			path_in(inst, sizeof(inst), "no-such-installer");
		}
		why[0] = '\0';
		rc = fw_worker_install(inst, image, insts[i].timeout_s, why, sizeof(why));
		if (rc != insts[i].rc || !strstr(why, insts[i].why))
			fail_msg("%s: rc %d (%s), expected %d (%s)", insts[i].what, rc, why,
			    insts[i].rc, insts[i].why);
	}
	/* The installer was given the image's path. */
	snprintf(why, sizeof(why), "%s\n", image);
	assert_non_null(read_file(marker));
	assert_string_equal(read_file(marker), why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_download),
		cmocka_unit_test(test_download_failures),
		cmocka_unit_test(test_upload),
		cmocka_unit_test(test_upload_url),
		cmocka_unit_test(test_installer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
