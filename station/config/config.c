/*
 * config.c - the configuration registry (see config.h for the contract).
 *
 * Every writable key keeps two copies of its value: the stored one, which
 * GetConfiguration shows and the store persists, and the effective one, which
 * the running daemon reads.  They differ only after a RebootRequired change
 * (docs/station-model.md), until the next cfg_init.  A value's syntax and canonical text
 * are config_value.c's, --config files config_provision.c's.
 */
#include "station/config/config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cp_log.h"
#include "station/config/config_check.h"
#include "station/config/config_int.h"
#include "station/config/secret.h"

#define TAG "config"

/* Text room of a scalar value: "10240.0", "255.255.255.255", the longest
 * enumeration value ("DSMR4.x/SMR5.0 (P1)"). */
#define SCALAR_CAP 32

static bool is_persisted(const struct cfg_key *k)
{
	return k->access == CFG_RW || k->access == CFG_W ||
	       k->access == CFG_PROVISION;
}

bool cfg__is_text_type(enum cfg_type t)
{
	return t == CFG_T_STRING || t == CFG_T_CSV;
}

static char *slot_text(struct cfg *cfg, enum cfg_id id, bool eff)
{
	return cfg->pool + (eff ? cfg->slot[id].eff_off : cfg->slot[id].off);
}

static const char *slot_ctext(const struct cfg *cfg, enum cfg_id id, bool eff)
{
	return cfg->pool + (eff ? cfg->slot[id].eff_off : cfg->slot[id].off);
}

int cfg__reason(struct cfg *cfg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cfg->err, sizeof(cfg->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- lookup ---- */

/*
 * Every spelling (name and aliases) sorted by strcasecmp, built on the
 * first lookup: GetConfiguration and ChangeConfiguration look keys up by
 * name on every call, and a linear strcasecmp scan over ~100 rows and
 * their aliases cost up to 400 ns a key (an unknown one: all of them); the
 * binary search takes about 8 comparisons, 30-40 ns whatever the key.  Built lazily rather
 * than in cfg_init because cfg_lookup needs no struct cfg (tools and tests
 * call it alone); the daemon is single-threaded.  Equal spellings keep the
 * table's order (pos), so the first row wins as in a scan (the table test
 * makes sure there are none).
 */
#define CFG_SPELLINGS_PER_KEY 4	/* name + aliases[3] */

struct cfg_spelling {
	const char *text;
	int16_t id;
	int16_t pos;	/* order of a scan of the table */
};

_Static_assert(CFG__COUNT * CFG_SPELLINGS_PER_KEY <= INT16_MAX, "cfg_spelling: id/pos are int16_t");

static struct cfg_spelling spellings[CFG__COUNT * CFG_SPELLINGS_PER_KEY];
static size_t n_spellings;

static int spelling_cmp(const void *pa, const void *pb)
{
	const struct cfg_spelling *a = pa, *b = pb;
	int c = strcasecmp(a->text, b->text);

	return c ? c : a->pos - b->pos;
}

static void spellings_build(void)
{
	size_t n = 0;

	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];

		const char *texts[CFG_SPELLINGS_PER_KEY] = { k->name, k->aliases[0], k->aliases[1], k->aliases[2] };

		for (int a = 0; a < CFG_SPELLINGS_PER_KEY && texts[a]; a++) {
			spellings[n] = (struct cfg_spelling){ .text = texts[a], .id = (int16_t)i, .pos = (int16_t)n };
			n++;
		}
	}
	qsort(spellings, n, sizeof(spellings[0]), spelling_cmp);
	n_spellings = n;
}

int cfg_lookup(const char *name)
{
	size_t lo = 0, hi;

	if (!name)
		return -ENOENT;
	if (!n_spellings)
		spellings_build();
	/* The first spelling not below name. */
	hi = n_spellings;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(spellings[mid].text, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n_spellings && strcasecmp(spellings[lo].text, name) == 0)
		return spellings[lo].id;
	return -ENOENT;
}

/* ---- reading values ---- */

int64_t cfg_stored_num(const struct cfg *cfg, enum cfg_id id);

static int64_t num_of(const struct cfg *cfg, enum cfg_id id, bool eff);

static int64_t rating_ma(const struct cfg *cfg, bool eff)
{
	return num_of(cfg, CFG_STATION_RATED_CURRENT, eff);
}

static int64_t feeds(const struct cfg *cfg, bool eff)
{
	return num_of(cfg, CFG_STATION_FEEDS, eff);
}

/* Defaults that depend on the station (docs/station-model.md, the README key reference); NUM_UNSET = no value. */
static int64_t dynamic_default(const struct cfg *cfg, enum cfg_id id, bool eff)
{
	switch (id) {
	case CFG_STATION_MAX_CURRENT:
		return rating_ma(cfg, eff) * feeds(cfg, eff);
	case CFG_CONNECTOR1_MAX_CURRENT:
	case CFG_CONNECTOR2_MAX_CURRENT:
	case CFG_CONNECTOR1_2_MAX_CURRENT:
	case CFG_CONNECTOR2_2_MAX_CURRENT:
		return rating_ma(cfg, eff);
	case CFG_STATIC_LOAD_BALANCING:
		/* docs/balancing.md: two sockets on one cable always balance */
		return cfg->n_connectors == 2 && feeds(cfg, eff) == 1;
	case CFG_SCN_PHASE_MAPPING_2:
		return cfg->n_connectors == 2 ? 4 : 0;
	case CFG_SCN_TOTAL_SAFE_CURRENT:
		return num_of(cfg, CFG_SCN_TOTAL_STATIC_CURRENT, eff);
	default:
		return NUM_UNSET;
	}
}

static bool has_dynamic_default(const struct cfg_key *k)
{
	return k->def_doc && k->access != CFG_DERIVED;
}

static bool gated_off(const struct cfg *cfg, const struct cfg_key *k)
{
	return k->gate && !(cfg->unlocked & k->gate);
}

static int64_t num_of(const struct cfg *cfg, enum cfg_id id, bool eff)
{
	const struct cfg_key *k = &cfg_table[id];
	const struct cfg_slot *s = &cfg->slot[id];
	int64_t v;

	switch (k->access) {
	case CFG_DERIVED:
		if (id == CFG_NUMBER_OF_CONNECTORS)
			return cfg->n_connectors;
		return 0;
	case CFG_R:
		return s->num;
	default:
		break;
	}
	if (eff ? s->eff_set : s->set)
		v = eff ? s->eff_num : s->num;
	else if (has_dynamic_default(k))
		v = dynamic_default(cfg, id, eff);
	else
		v = NUM_UNSET;
	/* A locked feature is off whatever was stored (docs/balancing.md). */
	if (v != NUM_UNSET && gated_off(cfg, k))
		v = 0;
	return v;
}

/* Canonical text of a value; tmp (CFG_VALUE_MAX) holds computed ones. */
static const char *text_of(const struct cfg *cfg, enum cfg_id id, bool eff,
			   char *tmp, size_t n)
{
	const struct cfg_key *k = &cfg_table[id];
	const struct cfg_slot *s = &cfg->slot[id];
	int64_t v;

	switch (k->access) {
	case CFG_DERIVED:
		if (id == CFG_UNLOCKED_FEATURES)
			return cfg->unlocked_text;
		snprintf(tmp, n, "%d", cfg->n_connectors);
		return tmp;
	case CFG_R:
		return k->def;
	default:
		break;
	}
	if (cfg__is_text_type(k->type))
		return (eff ? s->eff_set : s->set) ? slot_ctext(cfg, id, eff) : "";
	v = num_of(cfg, id, eff);
	if (v == NUM_UNSET)
		return "";
	cfg__format_num(k, v, tmp, n);
	return tmp;
}

int64_t cfg_stored_num(const struct cfg *cfg, enum cfg_id id)
{
	return num_of(cfg, id, false);
}

const char *cfg_stored_str(const struct cfg *cfg, enum cfg_id id)
{
	const struct cfg_slot *s = &cfg->slot[id];

	return s->set ? slot_ctext(cfg, id, false) : "";
}

/* ---- validation beyond syntax ---- */

static int check_value(struct cfg *cfg, enum cfg_id id, int64_t num,
		       const char *canon, bool set)
{
	const struct cfg_key *k = &cfg_table[id];
	char why[128];

	if (!set)
		return 0;
	if (k->gate && num && !(cfg->unlocked & k->gate)) {
		char f[16];

		license_format_features(k->gate, ',', f, sizeof(f));
		return cfg__reason(cfg, "feature %s is locked (see UnlockedFeatures)", f);
	}
	if (k->type == CFG_T_AMPS && k->bound != CFG_B_NONE) {
		int64_t lim = rating_ma(cfg, false);
		char a[24];

		if (k->bound == CFG_B_STATION)
			lim *= feeds(cfg, false);
		if (num > lim) {
			cfg__format_amps(lim, a, sizeof(a));
			return cfg__reason(cfg, "above the station's rating (%s A)", a);
		}
	}
	if (k->check && (canon[0] || !k->optional) &&
	    k->check(cfg, id, num, canon, why, sizeof(why)) < 0)
		return cfg__reason(cfg, "%s", why);
	return 0;
}

/* ---- storing ---- */

static void put(struct cfg *cfg, enum cfg_id id, bool eff, int64_t num,
		const char *canon, bool set)
{
	struct cfg_slot *s = &cfg->slot[id];

	snprintf(slot_text(cfg, id, eff), s->cap, "%s", canon);
	if (eff) {
		s->eff_num = num;
		s->eff_set = set;
	} else {
		s->num = num;
		s->set = set;
	}
}

void cfg__compute_license(struct cfg *cfg)
{
	const char *pub = slot_ctext(cfg, CFG_LICENSE_PUBLIC_KEY, true);
	const char *key = slot_ctext(cfg, CFG_FEATURE_LICENSE_KEY, true);
	unsigned mask = 0;

	if (!cfg->slot[CFG_LICENSE_PUBLIC_KEY].eff_set || !pub[0]) {
		/* Licensing is the integrator's choice: no vendor key, no lock. */
		cfg->unlocked = LICENSE_ALL;
	} else if (cfg->slot[CFG_FEATURE_LICENSE_KEY].eff_set && key[0]) {
		int rc = license_verify(pub, cfg->cp_id, key, &mask);

		if (rc < 0) {
			CP_WARN(TAG, "FeatureLicenseKey is not valid for '%s' (%d): features stay locked",
				cfg->cp_id, rc);
			mask = 0;
		}
		cfg->unlocked = license_imply(mask);
	} else {
		cfg->unlocked = 0;
	}
	license_format_features(cfg->unlocked, ',', cfg->unlocked_text,
				sizeof(cfg->unlocked_text));
}

static uint16_t text_cap(const struct cfg_key *k)
{
	if (k->type == CFG_T_CSV)
		return CFG_VALUE_MAX;
	if (k->type == CFG_T_STRING)
		return (uint16_t)(k->max + 1);
	return SCALAR_CAP;
}

void cfg_set_transport(struct cfg *cfg, int transport)
{
	cfg->transport = transport;
}

void cfg_set_security_assets(struct cfg *cfg, bool trusted_root, bool client_cert)
{
	cfg->sec_trusted_root = trusted_root;
	cfg->sec_client_cert = client_cert;
}

int cfg_security_fallback(struct cfg *cfg, int profile)
{
	char canon[8];
	int rc;

	snprintf(canon, sizeof(canon), "%d", profile);
	if (cfg->ops && cfg->ops->save) {
		rc = cfg->ops->save(cfg->ops_ctx, cfg_table[CFG_SECURITY_PROFILE].name, canon);
		if (rc < 0)
			return rc;
	}
	put(cfg, CFG_SECURITY_PROFILE, false, profile, canon, true);
	put(cfg, CFG_SECURITY_PROFILE, true, profile, canon, true);
	return 0;
}

int cfg_init(struct cfg *cfg, const struct cfg_store_ops *ops, void *ctx,
	     int n_connectors, const char *charge_point_id)
{
	char canon[CFG_VALUE_MAX], buf[CFG_VALUE_MAX];
	size_t off = 0;

	if (!cfg)
		return -EINVAL;
	memset(cfg, 0, sizeof(*cfg));
	if (n_connectors < 1 || n_connectors > CP_MAX_CONNECTORS)
		return cfg__reason(cfg, "%d connectors: 1 to %d are possible", n_connectors,
			      CP_MAX_CONNECTORS);
	if (!charge_point_id || strlen(charge_point_id) >= sizeof(cfg->cp_id))
		return cfg__reason(cfg, "charge point identity missing or longer than %zu",
			      sizeof(cfg->cp_id) - 1);
	cfg->ops = ops;
	cfg->ops_ctx = ctx;
	cfg->n_connectors = n_connectors;
	snprintf(cfg->cp_id, sizeof(cfg->cp_id), "%s", charge_point_id);
	cfg->unlocked = LICENSE_ALL;	/* defaults of gated keys parse freely */

	/* Fixed values first: the list keys' defaults are counted against them. */
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		struct cfg_slot *s = &cfg->slot[i];
		bool set;

		assert(k->name);
		if (k->access != CFG_R)
			continue;
		if (k->type != CFG_T_CSV &&
		    cfg__parse_value(cfg, (enum cfg_id)i, k->def, canon, sizeof(canon), &s->num, &set) < 0) {
			CP_ERR(TAG, "%s: bad fixed value '%s': %s", k->name, k->def, cfg->err);
			abort();	/* a table bug: start-up invariant */
		}
		s->eff_num = s->num;
		s->set = s->eff_set = true;
	}
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		struct cfg_slot *s = &cfg->slot[i];
		int64_t num;
		bool set;

		if (!is_persisted(k))
			continue;
		s->cap = text_cap(k);
		s->off = (uint16_t)off;
		s->eff_off = (uint16_t)(off + s->cap);
		off += 2u * s->cap;
		assert(off <= CFG_POOL_SIZE);
		if (!k->def)
			continue;
		if (cfg__parse_value(cfg, (enum cfg_id)i, k->def, canon, sizeof(canon), &num, &set) < 0) {
			CP_ERR(TAG, "%s: bad default '%s': %s", k->name, k->def, cfg->err);
			abort();
		}
		put(cfg, (enum cfg_id)i, false, num, canon, set);
		put(cfg, (enum cfg_id)i, true, num, canon, set);
	}
	if (ops && ops->load) {
		for (int i = 0; i < CFG__COUNT; i++) {
			const struct cfg_key *k = &cfg_table[i];
			int64_t num;
			bool set;
			int rc;

			if (!is_persisted(k))
				continue;
			rc = ops->load(ctx, k->name, buf, sizeof(buf));
			if (rc == -ENOENT)
				continue;
			if (rc < 0) {
				cfg__reason(cfg, "loading %s from the store failed: %s",
				       k->name, strerror(-rc));
				CP_ERR(TAG, "%s", cfg->err);
				return rc;
			}
			buf[sizeof(buf) - 1] = '\0';
			cfg->slot[i].stored = true;
			if (cfg__parse_value(cfg, (enum cfg_id)i, buf, canon, sizeof(canon), &num, &set) < 0) {
				CP_WARN(TAG, "ignoring stored %s='%s': %s", k->name, buf, cfg->err);
				continue;
			}
			put(cfg, (enum cfg_id)i, false, num, canon, set);
			put(cfg, (enum cfg_id)i, true, num, canon, set);
		}
	}
	cfg__compute_license(cfg);
	cfg->err[0] = '\0';
	return 0;
}

/* ---- ChangeConfiguration ---- */

/* Validates and stores one value.  Returns the OCPP status; on Rejected the
 * reason is in cfg->err and nothing changed. */
enum cfg_status cfg__apply(struct cfg *cfg, enum cfg_id id, const char *value,
			     enum apply_mode mode)
{
	const struct cfg_key *k = &cfg_table[id];
	struct cfg_slot *s = &cfg->slot[id];
	char canon[CFG_VALUE_MAX], eff_txt[CFG_VALUE_MAX];
	int64_t num;
	bool set, same;
	int rc;

	switch (k->access) {
	case CFG_R:
		cfg__reason(cfg, "%s is readonly", k->name);
		return CFG_REJECTED;
	case CFG_DERIVED:
		cfg__reason(cfg, "%s is derived and cannot be set", k->name);
		return CFG_REJECTED;
	case CFG_PROVISION:
		if (mode != APPLY_PROVISION) {
			cfg__reason(cfg, "%s can only be set by local provisioning", k->name);
			return CFG_REJECTED;
		}
		break;
	default:
		break;
	}
	if (cfg__parse_value(cfg, id, value, canon, sizeof(canon), &num, &set) < 0 ||
	    check_value(cfg, id, num, canon, set) < 0)
		return CFG_REJECTED;
	/* A password is kept as its salted hash only (secret.h). */
	if (k->hashed && set && canon[0] && !secret_is_hash(canon)) {
		char h[SECRET_TEXT_MAX + 1];

		if (secret_hash(canon, SECRET_ITERATIONS, h, sizeof(h)) < 0) {
			cfg__reason(cfg, "%s: the password could not be hashed", k->name);
			return CFG_REJECTED;
		}
		snprintf(canon, sizeof(canon), "%s", h);
	}
	/* Validated first, so a bad value gets its own reason; a good one is
	 * still refused while no code would apply it (not even provisioned:
	 * the station would claim a setting it does not honour). */
	if (k->apply == CFG_APPLY_NONE) {
		/* A factory file may name the value the key already has: that
		 * promises nothing, so it is no error (and nothing is stored). */
		if (mode == APPLY_PROVISION && s->set == set &&
		    strcmp(s->set ? slot_ctext(cfg, id, false) : "", canon) == 0)
			return CFG_ACCEPTED;
		cfg__reason(cfg, "%s is read-only: not supported yet (needs %s)",
			    k->name, k->applied_by);
		return CFG_REJECTED;
	}
	if (cfg->ops && cfg->ops->save) {
		rc = cfg->ops->save(cfg->ops_ctx, k->name, canon);
		if (rc < 0) {
			cfg__reason(cfg, "storing %s failed (%d)", k->name, rc);
			return CFG_REJECTED;
		}
	}
	snprintf(eff_txt, sizeof(eff_txt), "%s",
		 s->eff_set ? slot_ctext(cfg, id, true) : "");
	same = s->eff_set == set && strcmp(eff_txt, canon) == 0;
	put(cfg, id, false, num, canon, set);
	cfg->err[0] = '\0';
	if (k->apply == CFG_APPLY_RESTART && mode == APPLY_REMOTE)
		return same ? CFG_ACCEPTED : CFG_REBOOT_REQUIRED;
	put(cfg, id, true, num, canon, set);
	if (mode == APPLY_REMOTE && cfg->listener)
		cfg->listener(cfg->listener_ctx, id);
	return CFG_ACCEPTED;
}

enum cfg_status cfg_change(struct cfg *cfg, const char *key, const char *value)
{
	int id = cfg_lookup(key);
	enum cfg_status st;

	if (id < 0) {
		cfg__reason(cfg, "unknown key '%s'", key ? key : "");
		return CFG_NOT_SUPPORTED;
	}
	if (!value)
		value = "";
	st = cfg__apply(cfg, (enum cfg_id)id, value, APPLY_REMOTE);
	if (st == CFG_REJECTED)
		CP_INFO(TAG, "ChangeConfiguration %s rejected: %s",
			cfg_table[id].name, cfg->err);
	return st;
}

const char *cfg_status_name(enum cfg_status st)
{
	switch (st) {
	case CFG_ACCEPTED:
		return "Accepted";
	case CFG_REJECTED:
		return "Rejected";
	case CFG_REBOOT_REQUIRED:
		return "RebootRequired";
	case CFG_NOT_SUPPORTED:
		return "NotSupported";
	}
	return "Rejected";
}

const char *cfg_error(const struct cfg *cfg)
{
	return cfg->err;
}

/* ---- GetConfiguration ---- */

int cfg_format(const struct cfg *cfg, enum cfg_id id, char *buf, size_t n)
{
	char tmp[CFG_VALUE_MAX];
	const char *t;
	int w;

	if ((int)id < 0 || id >= CFG__COUNT || n == 0)
		return -EINVAL;
	t = text_of(cfg, id, false, tmp, sizeof(tmp));
	w = snprintf(buf, n, "%s", t);
	return (size_t)w >= n ? -ENOSPC : w;
}

bool cfg_key_readonly(const struct cfg_key *k)
{
	return k->access != CFG_RW || k->apply == CFG_APPLY_NONE;
}

int cfg_get_by_name(const struct cfg *cfg, const char *name, char *buf,
		    size_t n, bool *readonly)
{
	int id = cfg_lookup(name);
	int rc;

	if (id < 0 || cfg_table[id].access == CFG_W)
		return -ENOENT;
	rc = cfg_format(cfg, (enum cfg_id)id, buf, n);
	if (rc < 0)
		return rc;
	if (readonly)
		*readonly = cfg_key_readonly(&cfg_table[id]);
	return id;
}

int cfg_foreach_readable(const struct cfg *cfg, cfg_visit_fn fn, void *ctx)
{
	char tmp[CFG_VALUE_MAX];

	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];
		int rc;

		if (k->access == CFG_W)
			continue;
		rc = fn(ctx, k->name, text_of(cfg, (enum cfg_id)i, false, tmp, sizeof(tmp)),
			cfg_key_readonly(k));
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- typed getters (effective values) ---- */

bool cfg_is_set(const struct cfg *cfg, enum cfg_id id)
{
	const struct cfg_key *k = &cfg_table[id];

	if (cfg__is_text_type(k->type) && is_persisted(k))
		return cfg->slot[id].eff_set && slot_ctext(cfg, id, true)[0];
	return num_of(cfg, id, true) != NUM_UNSET;
}

static int64_t eff_or_zero(const struct cfg *cfg, enum cfg_id id)
{
	int64_t v = num_of(cfg, id, true);

	return v == NUM_UNSET ? 0 : v;
}

int32_t cfg_int(const struct cfg *cfg, enum cfg_id id)
{
	return (int32_t)eff_or_zero(cfg, id);
}

bool cfg_bool(const struct cfg *cfg, enum cfg_id id)
{
	return eff_or_zero(cfg, id) != 0;
}

int32_t cfg_ma(const struct cfg *cfg, enum cfg_id id)
{
	const struct cfg_key *k = &cfg_table[id];
	int64_t v = eff_or_zero(cfg, id);

	/* docs/station-model.md: the rating bounds every current, also one stored before the
	 * rating was lowered. */
	if (k->bound != CFG_B_NONE) {
		int64_t lim = rating_ma(cfg, true);

		if (k->bound == CFG_B_STATION)
			lim *= feeds(cfg, true);
		if (v > lim)
			v = lim;
	}
	return (int32_t)v;
}

int cfg_enum(const struct cfg *cfg, enum cfg_id id)
{
	return (int)eff_or_zero(cfg, id);
}

uint32_t cfg_ipv4(const struct cfg *cfg, enum cfg_id id)
{
	return (uint32_t)eff_or_zero(cfg, id);
}

const char *cfg_str(const struct cfg *cfg, enum cfg_id id)
{
	const struct cfg_key *k = &cfg_table[id];

	if (id == CFG_UNLOCKED_FEATURES)
		return cfg->unlocked_text;
	if (k->access == CFG_R)
		return k->def;
	if (!is_persisted(k) || !cfg__is_text_type(k->type) || !cfg->slot[id].eff_set)
		return "";
	return slot_ctext(cfg, id, true);
}

bool cfg_feature_unlocked(const struct cfg *cfg, enum cfg_feature f)
{
	return (cfg->unlocked & (unsigned)f) == (unsigned)f;
}

void cfg_set_listener(struct cfg *cfg, cfg_listener_fn fn, void *ctx)
{
	cfg->listener = fn;
	cfg->listener_ctx = ctx;
}

/* ---- names ---- */

const char *cfg_type_name(enum cfg_type t)
{
	static const char *const names[] = {
		[CFG_T_BOOL] = "bool", [CFG_T_SWITCH] = "On/Off",
		[CFG_T_INT] = "int", [CFG_T_AMPS] = "float A",
		[CFG_T_STRING] = "string", [CFG_T_CSV] = "CSV list",
		[CFG_T_ENUM] = "enum", [CFG_T_IPV4] = "IPv4",
	};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

const char *cfg_access_name(enum cfg_access a)
{
	static const char *const names[] = {
		[CFG_RW] = "RW", [CFG_R] = "R", [CFG_DERIVED] = "R (derived)",
		[CFG_W] = "W only", [CFG_PROVISION] = "R (--config only)",
	};
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *cfg_apply_name(enum cfg_apply a)
{
	static const char *const names[] = {
		[CFG_APPLY_UNBOUND] = "", [CFG_APPLY_LIVE] = "live",
		[CFG_APPLY_RESTART] = "after restart",
		[CFG_APPLY_STORED] = "stored", [CFG_APPLY_NONE] = "not supported yet",
	};
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *cfg_profile_name(enum cfg_profile p)
{
	static const char *const names[] = {
		[CFG_P_CORE] = "Core", [CFG_P_LOCAL_AUTH] = "LocalAuthListManagement",
		[CFG_P_RESERVATION] = "Reservation",
		[CFG_P_SMART_CHARGING] = "SmartCharging",
		[CFG_P_FIRMWARE] = "FirmwareManagement",
		[CFG_P_REMOTE_TRIGGER] = "RemoteTrigger",
		[CFG_P_SECURITY] = "Security", [CFG_P_VENDOR] = "Vendor",
		[CFG_P_STATION] = "Ours",
	};
	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}
