/*
 * config_provision.c - --config provisioning: a Key=Value file applied at
 * start-up, checked whole on a scratch copy first so a bad line changes
 * nothing; a key already in the store keeps its stored value.
 */
#include "station/config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "station/config/config_int.h"

#define TAG "config"

/* ---- --config provisioning ---- */

struct prov_line {
	int line;
	enum cfg_id id;
	char *value;
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Order of application, whatever the order of the file: the topology and
 * the vendor key first, then the license checked against that key (it may
 * unlock a switch set further down), then everything else, checked against
 * the station they describe. */
static int provision_tier(enum cfg_id id)
{
	switch (id) {
	case CFG_STATION_PHASES:
	case CFG_STATION_FEEDS:
	case CFG_STATION_NOMINAL_VOLTAGE:
	case CFG_STATION_RATED_CURRENT:
	case CFG_LICENSE_PUBLIC_KEY:
		return 0;
	case CFG_FEATURE_LICENSE_KEY:
		return 1;
	default:
		return 2;
	}
}

/* Whether value is, canonically, the value a fixed key is fixed at; a
 * factory file naming it (MaxEnergyOnInvalidId=0) promises nothing more. */
static bool fixed_value_matches(struct cfg *cfg, enum cfg_id id, const char *value)
{
	char canon[CFG_VALUE_MAX], fixed[CFG_VALUE_MAX];
	int64_t num;
	bool set;

	if (cfg__parse_value(cfg, id, value, canon, sizeof(canon), &num, &set) < 0 ||
	    cfg_format(cfg, id, fixed, sizeof(fixed)) < 0)
		return false;
	return strcmp(canon, fixed) == 0;
}

static int provision_apply(struct cfg *cfg, struct prov_line *lines, int n,
			   const char *name)
{
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < n; i++) {
			struct prov_line *l = &lines[i];
			char msg[sizeof(cfg->err)];

			if (provision_tier(l->id) != pass)
				continue;
			if (cfg->slot[l->id].stored) {
				/* The store wins: a reboot must not undo a remote
				 * change.  The value is still checked for syntax. */
				int64_t num;
				bool set;
				char canon[CFG_VALUE_MAX];

				if (cfg__parse_value(cfg, l->id, l->value, canon, sizeof(canon), &num, &set) < 0)
					goto bad;
				continue;
			}
			if (cfg__apply(cfg, l->id, l->value, APPLY_PROVISION) == CFG_ACCEPTED) {
				if (l->id == CFG_LICENSE_PUBLIC_KEY ||
				    l->id == CFG_FEATURE_LICENSE_KEY)
					cfg__compute_license(cfg);
				continue;
			}
bad:
			snprintf(msg, sizeof(msg), "%s", cfg->err);
			snprintf(cfg->err, sizeof(cfg->err), "%.40s:%d: %.50s: %.60s", name,
				 l->line, cfg_table[l->id].name, msg);
			return -EINVAL;
		}
	}
	return 0;
}

int cfg_provision_text(struct cfg *cfg, const char *text, const char *name)
{
	struct prov_line *lines = NULL;
	struct cfg *scratch = NULL;
	char *copy = strdup(text), *p;
	int n = 0, cap = 0, lineno = 0, rc = -EINVAL;

	if (!copy)
		return -ENOMEM;
	/* Startup only: the heap is fine here (STYLE 7 is about steady state). */
	for (p = copy; p; ) {
		char *nl = strchr(p, '\n'), *line, *eq, *key;
		int id;

		if (nl)
			*nl = '\0';
		line = trim(p);
		p = nl ? nl + 1 : NULL;
		lineno++;
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			cfg__reason(cfg, "%s:%d: expected Key=Value", name, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(line);
		id = cfg_lookup(key);
		if (id < 0) {
			cfg__reason(cfg, "%s:%d: unknown key '%s'", name, lineno, key);
			goto out;
		}
		if (cfg_table[id].access == CFG_R && fixed_value_matches(cfg, (enum cfg_id)id,
									 trim(eq + 1)))
			continue;	/* the value it is fixed at: nothing to do */
		if (cfg_table[id].access == CFG_R || cfg_table[id].access == CFG_DERIVED) {
			cfg__reason(cfg, "%s:%d: %s is %s and cannot be provisioned", name,
			       lineno, cfg_table[id].name,
			       cfg_table[id].access == CFG_R ? "fixed" : "derived");
			goto out;
		}
		for (int i = 0; i < n; i++) {
			if (lines[i].id == (enum cfg_id)id) {
				cfg__reason(cfg, "%s:%d: %s already set on line %d", name,
				       lineno, cfg_table[id].name, lines[i].line);
				goto out;
			}
		}
		if (n == cap) {
			struct prov_line *nl2;

			cap = cap ? 2 * cap : 32;
			nl2 = realloc(lines, (size_t)cap * sizeof(*lines));
			if (!nl2) {
				rc = -ENOMEM;
				goto out;
			}
			lines = nl2;
		}
		lines[n].line = lineno;
		lines[n].id = (enum cfg_id)id;
		lines[n].value = trim(eq + 1);
		n++;
	}

	/* Dry run on a copy without a store, so a bad line changes nothing. */
	scratch = malloc(sizeof(*scratch));
	if (!scratch) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(scratch, cfg, sizeof(*scratch));
	scratch->ops = NULL;
	scratch->listener = NULL;
	scratch->provisioning = true;
	if (provision_apply(scratch, lines, n, name) < 0) {
		memcpy(cfg->err, scratch->err, sizeof(cfg->err));
		goto out;
	}
	cfg->provisioning = true;
	rc = provision_apply(cfg, lines, n, name);
	cfg->provisioning = false;
	if (rc == 0)
		cfg->err[0] = '\0';
out:
	free(scratch);
	free(lines);
	free(copy);
	if (rc < 0)
		CP_ERR(TAG, "%s", cfg->err);
	return rc;
}

int cfg_provision_file(struct cfg *cfg, const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!f) {
		rc = -errno;
		cfg__reason(cfg, "%s: cannot open: %s", path, strerror(-rc));
		return rc;
	}
	/* Provisioning files are a few kilobytes; read it whole. */
	{
		FILE *m = open_memstream(&text, &len);
		char buf[4096];
		size_t r;

		if (!m) {
			fclose(f);
			return -ENOMEM;
		}
		while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, r, m);
		rc = ferror(f) ? -EIO : 0;
		fclose(m);
	}
	fclose(f);
	if (rc == 0)
		rc = cfg_provision_text(cfg, text, path);
	free(text);
	return rc;
}
