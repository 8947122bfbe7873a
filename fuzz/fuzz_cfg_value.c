/*
 * fuzz_cfg_value.c - libFuzzer target: ChangeConfiguration values through
 * the configuration registry (station/config*.c: key lookup, the value
 * syntax of every type, ranges, cross-key checks, the license gate).
 *
 * Input: lines "Key=Value", applied in order to one registry on the unit
 * tests' in-memory store.  A line starting with '!' makes the store fail
 * that change's save (STYLE 12); one starting with '@' is put in the store
 * before cfg_init instead, as if an older run (or a hand edit) wrote it, so
 * the load path's checks are fuzzed too.  Checked after each change:
 *   - Rejected / NotSupported: nothing readable changed and nothing was
 *     stored (OCPP 1.6 §5.3: the value is not applied);
 *   - Accepted / RebootRequired: the store holds the canonical text that
 *     GetConfiguration shows, and setting that text again is accepted and
 *     changes nothing (the canonical form is a fixed point).
 */
#include <stdint.h>

#include "fuzz/fuzz_cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fake_store fs;
static struct cfg cfg;
static struct fz_cfg_view before, after;

static void one_change(const char *line)
{
	char buf[1024], *eq;
	const char *key, *value;
	bool fail = false;
	enum cfg_status st, st2;
	int id, saves;

	snprintf(buf, sizeof(buf), "%s", line);
	if (buf[0] == '!') {
		fail = true;
		memmove(buf, buf + 1, strlen(buf));
	}
	eq = strchr(buf, '=');
	if (!eq)
		return;
	*eq = '\0';
	key = buf;
	value = eq + 1;
	id = cfg_lookup(key);

	fz_cfg_view(&cfg, &before);
	saves = fs.saves;
	fs.fail_save = fail ? -EIO : 0;
	st = cfg_change(&cfg, key, value);
	fs.fail_save = 0;
	fz_cfg_view(&cfg, &after);

	if (st == CFG_REJECTED || st == CFG_NOT_SUPPORTED) {
		if (!cfg_error(&cfg)[0])
			fz_cfg_abort("refused without a reason", key, value);
		if (fs.saves != saves)
			fz_cfg_abort("a refused change was stored", key, value);
		fz_cfg_same(&before, &after, key, value);
		return;
	}
	if (id < 0)
		fz_cfg_abort("an unknown key was accepted", key, value);
	if (fail)
		fz_cfg_abort("accepted although the store failed", key, value);
	{
		const char *stored = fake_get(&fs, cfg_table[id].name);
		if (!stored || strcmp(stored, after.text[id]) != 0)
			fz_cfg_abort("the store does not hold the canonical value", key, value);
	}
	before = after;
	st2 = cfg_change(&cfg, cfg_table[id].name, before.text[id]);
	if (st2 != CFG_ACCEPTED && st2 != CFG_REBOOT_REQUIRED) {
		fprintf(stderr, "fuzz: canonical '%s' answered %s: %s\n", before.text[id],
		    cfg_status_name(st2), cfg_error(&cfg));
		fz_cfg_abort("the canonical value is refused", key, value);
	}
	fz_cfg_view(&cfg, &after);
	fz_cfg_same(&before, &after, key, value);
}

static void one_line(const char *line, size_t len, bool preload)
{
	char buf[1024], *eq;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (!preload) {
		if (buf[0] != '@')
			one_change(buf);
		return;
	}
	eq = strchr(buf, '=');
	if (buf[0] == '@' && eq) {
		*eq = '\0';
		fake_put(&fs, buf + 1, eq + 1);
	}
}

static void each_line(const uint8_t *data, size_t size, bool preload)
{
	const char *p = (const char *)data, *end = p + size;
	int n = 0;

	while (p < end && n++ < 32) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		one_line(p, len, preload);
		p += len + (nl ? 1 : 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cp_log_set_level(CP_LOG_ERROR);
	memset(&fs, 0, sizeof(fs));
	each_line(data, size, true);
	fs.saves = 0;
	/* A stored value that no longer validates is ignored, never fatal. */
	if (cfg_init(&cfg, &fake_ops, &fs, 2, "FUZZ-CP") < 0)
		fz_cfg_abort("cfg_init failed on a readable store", "(store)", "");
	each_line(data, size, false);
	return 0;
}
