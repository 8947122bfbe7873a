/*
 * config_fixture.h - the registry under test for the configuration test
 * programs: one registry over the fake store (config_fake.h), set up fresh
 * for each test, and the checks they share.  Included by one source per
 * program.
 */
#ifndef TESTS_CONFIG_FIXTURE_H
#define TESTS_CONFIG_FIXTURE_H

#include "station/config/config.h"
#include "tests/config_fake.h"

static struct fake_store fs;
static struct cfg cfg;

static inline int setup(void **state)
{
	(void)state;
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, 2, "CP-TEST"), 0);
	return 0;
}

/* Restart: a new registry over the same store. */
static inline void reboot(int connectors)
{
	assert_int_equal(cfg_init(&cfg, &fake_ops, &fs, connectors, "CP-TEST"), 0);
}

static inline const char *get(const char *name)
{
	static char buf[CFG_VALUE_MAX];
	bool ro;

	assert_true(cfg_get_by_name(&cfg, name, buf, sizeof(buf), &ro) >= 0);
	return buf;
}

static inline bool is_writable(const struct cfg_key *k)
{
	return k->access == CFG_RW || k->access == CFG_W;
}

/* One ChangeConfiguration that must be Accepted and read back as `out`, both
 * from the registry and from what it stored (under the canonical name). */
static inline void expect_canonical(void **state, const char *key, const char *in, const char *out)
{
	enum cfg_status st;

	setup(state);
	st = cfg_change(&cfg, key, in);
	if (st != CFG_ACCEPTED)
		fail_msg("%s='%s': %s (%s)", key, in, cfg_status_name(st), cfg_error(&cfg));
	assert_string_equal(get(key), out);
	assert_string_equal(fake_get(&fs, cfg_table[cfg_lookup(key)].name), out);
}

/* A change that must be Rejected with a reason, leaving the value and the
 * store as they were. */
static inline void assert_rejected(const struct cfg_key *k, const char *value)
{
	char before[CFG_VALUE_MAX], after[CFG_VALUE_MAX];
	int id = cfg_lookup(k->name), saves = fs.saves;
	enum cfg_status st;

	cfg_format(&cfg, (enum cfg_id)id, before, sizeof(before));
	st = cfg_change(&cfg, k->name, value);
	if (st != CFG_REJECTED)
		fail_msg("%s='%s' was %s", k->name, value, cfg_status_name(st));
	assert_true(cfg_error(&cfg)[0] != '\0');
	cfg_format(&cfg, (enum cfg_id)id, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(fs.saves, saves);
}

/* Counts what the registry tells the daemon (cfg_set_listener). */
struct heard { int n; enum cfg_id last; };

static inline void listener(void *ctx, enum cfg_id id)
{
	struct heard *h = ctx;

	h->n++;
	h->last = id;
}

#endif
