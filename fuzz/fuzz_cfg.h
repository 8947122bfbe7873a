/*
 * fuzz_cfg.h - shared by the configuration fuzz targets: a registry on the
 * failing in-memory store of the unit tests, and a check that a refused
 * change left everything a central system or the daemon can read as it was
 * ("bad input changes nothing").
 */
#ifndef FUZZ_CFG_H
#define FUZZ_CFG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "station/config/config.h"
#include "tests/config_fake.h"

static void fz_cfg_abort(const char *what, const char *key, const char *value)
{
	fprintf(stderr, "fuzz: %s (key '%.60s', value '%.200s')\n", what, key, value);
	abort();
}

/* Everything readable of a registry, in the order of the table. */
struct fz_cfg_view {
	char text[CFG__COUNT][CFG_VALUE_MAX];	/* cfg_format: the stored value */
	char eff[CFG__COUNT][CFG_VALUE_MAX];	/* cfg_str: the effective text */
	bool set[CFG__COUNT];
	int64_t num[CFG__COUNT], eff_num[CFG__COUNT];
	unsigned unlocked;
};

static void fz_cfg_view(const struct cfg *c, struct fz_cfg_view *v)
{
	memset(v, 0, sizeof(*v));
	for (int id = 0; id < CFG__COUNT; id++) {
		if (cfg_format(c, (enum cfg_id)id, v->text[id], sizeof(v->text[id])) < 0)
			fz_cfg_abort("cfg_format failed", cfg_table[id].name, "");
		snprintf(v->eff[id], sizeof(v->eff[id]), "%s", cfg_str(c, (enum cfg_id)id));
		v->set[id] = cfg_is_set(c, (enum cfg_id)id);
		v->num[id] = c->slot[id].num;
		v->eff_num[id] = c->slot[id].eff_num;
	}
	v->unlocked = c->unlocked;
}

static void fz_cfg_same(const struct fz_cfg_view *a, const struct fz_cfg_view *b,
    const char *key, const char *value)
{
	for (int id = 0; id < CFG__COUNT; id++) {
		if (strcmp(a->text[id], b->text[id]) != 0 || strcmp(a->eff[id], b->eff[id]) != 0 ||
		    a->set[id] != b->set[id] || a->num[id] != b->num[id] || a->eff_num[id] != b->eff_num[id]) {
			fprintf(stderr, "fuzz: %s changed: '%s' -> '%s'\n", cfg_table[id].name,
			    a->text[id], b->text[id]);
			fz_cfg_abort("a refused change changed the registry", key, value);
		}
	}
	if (a->unlocked != b->unlocked)
		fz_cfg_abort("a refused change changed the license", key, value);
}

#endif
