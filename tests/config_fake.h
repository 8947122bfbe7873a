/*
 * config_fake.h - an in-memory configuration store for the registry tests,
 * failing on demand (STYLE 12).
 */
#ifndef TESTS_CONFIG_FAKE_H
#define TESTS_CONFIG_FAKE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "station/config/config.h"

#define FAKE_MAX 256

struct fake_store {
	int n;
	char key[FAKE_MAX][64];
	char val[FAKE_MAX][CFG_VALUE_MAX];
	int fail_save;		/* negative errno returned by save, 0 = works */
	int fail_load;		/* negative errno returned by load, 0 = works */
	int saves;
};

static int fake_find(struct fake_store *fs, const char *key)
{
	for (int i = 0; i < fs->n; i++)
		if (strcmp(fs->key[i], key) == 0)
			return i;
	return -1;
}

static int fake_load(void *ctx, const char *key, char *buf, size_t n)
{
	struct fake_store *fs = ctx;
	int i;

	if (fs->fail_load)
		return fs->fail_load;
	i = fake_find(fs, key);
	if (i < 0)
		return -ENOENT;
	snprintf(buf, n, "%s", fs->val[i]);
	return 0;
}

static int fake_save(void *ctx, const char *key, const char *value)
{
	struct fake_store *fs = ctx;
	int i;

	if (fs->fail_save)
		return fs->fail_save;
	i = fake_find(fs, key);
	if (i < 0) {
		if (fs->n == FAKE_MAX)
			return -ENOSPC;
		i = fs->n++;
		snprintf(fs->key[i], sizeof(fs->key[i]), "%s", key);
	}
	snprintf(fs->val[i], sizeof(fs->val[i]), "%s", value);
	fs->saves++;
	return 0;
}

/* The stored text of key, or NULL. */
static inline const char *fake_get(struct fake_store *fs, const char *key)
{
	int i = fake_find(fs, key);

	return i < 0 ? NULL : fs->val[i];
}

static inline void fake_put(struct fake_store *fs, const char *key, const char *value)
{
	int fail = fs->fail_save;

	fs->fail_save = 0;
	fake_save(fs, key, value);
	fs->fail_save = fail;
}

static const struct cfg_store_ops fake_ops = {
	.load = fake_load,
	.save = fake_save,
};

#endif
