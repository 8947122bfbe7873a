/*
 * config.c - the configuration registry (see config.h for the contract).
 *
 * Every writable key keeps two copies of its value: the stored one, which
 * GetConfiguration shows and the store persists, and the effective one, which
 * the running daemon reads.  They differ only after a RebootRequired change
 * (SPEC 2a), until the next cfg_init.
 */
#include "station/config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cp_log.h"
#include "station/config_check.h"

#define TAG "config"

/* Text room of a scalar value: "10240.0", "255.255.255.255", the longest
 * enumeration value ("DSMR4.x/SMR5.0 (P1)"). */
#define SCALAR_CAP 32

/* No value: a key that is optional and empty. */
#define NUM_UNSET INT64_MIN

static bool is_persisted(const struct cfg_key *k)
{
	return k->access == CFG_RW || k->access == CFG_W ||
	       k->access == CFG_PROVISION;
}

static bool is_text_type(enum cfg_type t)
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

static int reason(struct cfg *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int reason(struct cfg *cfg, const char *fmt, ...)
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

/* ---- parsing: text -> canonical text + number ---- */

static int parse_bool(const char *in, int64_t *num)
{
	if (strcasecmp(in, "true") == 0 || strcasecmp(in, "on") == 0)
		*num = 1;
	else if (strcasecmp(in, "false") == 0 || strcasecmp(in, "off") == 0)
		*num = 0;
	else
		return -EINVAL;
	return 0;
}

/* Decimal digits only: no sign, no exponent, no "inf"/"nan", so what an
 * operator types is exactly what we store. */
static int parse_uint(const char *in, int64_t *num)
{
	int64_t v = 0;

	if (!*in)
		return -EINVAL;
	for (const char *p = in; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > INT64_MAX / 100)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	*num = v;
	return 0;
}

/* Amperes as milliamperes: "20", "20.0", "20.00"; more precision than
 * 0.1 A is refused rather than rounded, because a limit is read back with one
 * decimal (SPEC 2a, 3) and must mean what it says. */
static int parse_amps(const char *in, int64_t *ma, const char **why)
{
	int64_t whole = 0, frac = 0;
	const char *p = in;
	int digits = 0;

	*why = "not a non-negative decimal number of amperes";
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (++digits > 7)
			return -EINVAL;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		frac = *p++ - '0';
		for (; *p == '0'; p++)
			;
		if (isdigit((unsigned char)*p)) {
			*why = "at most one decimal (0.1 A)";
			return -EINVAL;
		}
	}
	if (*p)
		return -EINVAL;
	*ma = whole * 1000 + frac * 100;
	return 0;
}

/* Dotted decimal; each part 1-3 digits, read as decimal even when
 * zero-padded ("192.168.000.005" is 192.168.0.5, never octal). */
static int parse_ipv4(const char *in, int64_t *num)
{
	uint32_t addr = 0;
	const char *p = in;

	for (int part = 0; part < 4; part++) {
		int v = 0, digits = 0;

		for (; isdigit((unsigned char)*p); p++) {
			if (++digits > 3)
				return -EINVAL;
			v = v * 10 + (*p - '0');
		}
		if (digits == 0 || v > 255)
			return -EINVAL;
		addr = (addr << 8) | (uint32_t)v;
		if (part < 3 && *p++ != '.')
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	*num = addr;
	return 0;
}

static void format_amps(int64_t ma, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%lld", (long long)(ma / 1000),
		 (long long)(ma % 1000 / 100));
}

static void format_num(const struct cfg_key *k, int64_t num, char *buf, size_t n)
{
	switch (k->type) {
	case CFG_T_BOOL:
		snprintf(buf, n, "%s", num ? "True" : "False");
		break;
	case CFG_T_SWITCH:
		snprintf(buf, n, "%s", num ? "On" : "Off");
		break;
	case CFG_T_AMPS:
		format_amps(num, buf, n);
		break;
	case CFG_T_ENUM:
		snprintf(buf, n, "%s", k->values[num]);
		break;
	case CFG_T_IPV4:
		snprintf(buf, n, "%u.%u.%u.%u", (unsigned)(num >> 24) & 255,
			 (unsigned)(num >> 16) & 255, (unsigned)(num >> 8) & 255,
			 (unsigned)num & 255);
		break;
	case CFG_T_INT:
	default:
		snprintf(buf, n, "%lld", (long long)num);
		break;
	}
}

static int64_t item_limit(const struct cfg *cfg, const struct cfg_key *k)
{
	if (k->max_len_key)
		return cfg->slot[k->max_len_key].num;
	return k->max ? k->max : CP_MAX_CONFIG_VALUE;
}

/* Splits a comma separated list, trims blanks, maps vocabulary words to their
 * canonical spelling, refuses repeats and overlong lists. */
static int parse_csv(struct cfg *cfg, const struct cfg_key *k, const char *in,
		     char *canon, size_t cn)
{
	size_t out = 0;
	int64_t items = 0, limit = item_limit(cfg, k);
	const char *p = in;

	canon[0] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	for (;;) {
		const char *start, *end;
		char item[CFG_VALUE_MAX];
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		p += strcspn(p, ",");
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = (size_t)(end - start);
		if (len == 0)
			return reason(cfg, "empty item in list");
		memcpy(item, start, len);
		item[len] = '\0';
		if (k->values) {
			const char *word = NULL;

			for (int i = 0; k->values[i]; i++)
				if (strcasecmp(item, k->values[i]) == 0)
					word = k->values[i];
			if (!word)
				return reason(cfg, "unknown item '%s'", item);
			snprintf(item, sizeof(item), "%s", word);
		}
		if (++items > limit)
			return reason(cfg, "more than %lld items", (long long)limit);
		/* repeats: compare against what is already in canon */
		for (const char *q = canon; *q;) {
			size_t ql = strcspn(q, ",");

			if (ql == len && strncmp(q, item, len) == 0)
				return reason(cfg, "'%s' listed twice", item);
			q += ql;
			if (*q)
				q++;
		}
		if (out + len + 2 > cn)
			return reason(cfg, "list longer than %zu characters", cn - 1);
		if (out)
			canon[out++] = ',';
		memcpy(canon + out, item, len + 1);
		out += len;
		if (!*p)
			break;
		p++;
	}
	return 0;
}

/*
 * Type syntax and the key's own range.  Writes the canonical text (cn bytes)
 * and the number; *set is false for an optional key given "".
 */
static int parse_value(struct cfg *cfg, enum cfg_id id, const char *in,
		       char *canon, size_t cn, int64_t *num, bool *set)
{
	const struct cfg_key *k = &cfg_table[id];
	const char *why;
	int64_t v = 0;

	*set = true;
	*num = 0;
	if (strlen(in) > CP_MAX_CONFIG_VALUE)
		return reason(cfg, "longer than %d characters", CP_MAX_CONFIG_VALUE);
	if (!in[0] && k->optional && !is_text_type(k->type)) {
		canon[0] = '\0';
		*set = false;
		*num = NUM_UNSET;
		return 0;
	}
	switch (k->type) {
	case CFG_T_BOOL:
	case CFG_T_SWITCH:
		if (parse_bool(in, &v) < 0)
			return reason(cfg, "expected %s", k->type == CFG_T_BOOL ?
				      "True or False" : "On or Off");
		break;
	case CFG_T_INT:
		if (parse_uint(in, &v) < 0)
			return reason(cfg, "not a whole number");
		/* fixed values carry no range: they are what they are */
		if (k->access != CFG_R && (v < k->min || v > k->max))
			return reason(cfg, "out of range %lld-%lld",
				      (long long)k->min, (long long)k->max);
		break;
	case CFG_T_AMPS: {
		char lo[24], hi[24];

		if (parse_amps(in, &v, &why) < 0)
			return reason(cfg, "%s", why);
		format_amps(k->min, lo, sizeof(lo));
		format_amps(k->max, hi, sizeof(hi));
		if (v < k->min || v > k->max)
			return reason(cfg, "out of range %s-%s A", lo, hi);
		break;
	}
	case CFG_T_ENUM: {
		int found = -1;

		for (int i = 0; k->values[i]; i++)
			if (strcasecmp(in, k->values[i]) == 0)
				found = i;
		for (int i = 0; found < 0 && k->value_aliases && k->value_aliases[i]; i += 2)
			if (strcasecmp(in, k->value_aliases[i]) == 0)
				for (int j = 0; k->values[j]; j++)
					if (strcmp(k->value_aliases[i + 1], k->values[j]) == 0)
						found = j;
		if (found < 0)
			return reason(cfg, "not one of the allowed values");
		v = found;
		break;
	}
	case CFG_T_IPV4:
		if (parse_ipv4(in, &v) < 0)
			return reason(cfg, "not a dotted decimal IPv4 address");
		break;
	case CFG_T_CSV:
		*num = 0;
		return parse_csv(cfg, k, in, canon, cn);
	case CFG_T_STRING: {
		size_t len = strlen(in);

		if ((int64_t)len < k->min || (int64_t)len > k->max) {
			if (!(len == 0 && k->optional))
				return reason(cfg, "length must be %lld-%lld characters",
					      (long long)k->min, (long long)k->max);
		}
		if (len + 1 > cn)
			return reason(cfg, "too long");
		memcpy(canon, in, len + 1);
		return 0;
	}
	}
	*num = v;
	format_num(k, v, canon, cn);
	return 0;
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

/* Defaults that depend on the station (SPEC 2a, 4); NUM_UNSET = no value. */
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
		/* guide 3.1.2: two sockets on one cable always balance */
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
	/* A locked feature is off whatever was stored (guide 2.2). */
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
	if (is_text_type(k->type))
		return (eff ? s->eff_set : s->set) ? slot_ctext(cfg, id, eff) : "";
	v = num_of(cfg, id, eff);
	if (v == NUM_UNSET)
		return "";
	format_num(k, v, tmp, n);
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
		return reason(cfg, "feature %s is locked (see UnlockedFeatures)", f);
	}
	if (k->type == CFG_T_AMPS && k->bound != CFG_B_NONE) {
		int64_t lim = rating_ma(cfg, false);
		char a[24];

		if (k->bound == CFG_B_STATION)
			lim *= feeds(cfg, false);
		if (num > lim) {
			format_amps(lim, a, sizeof(a));
			return reason(cfg, "above the station's rating (%s A)", a);
		}
	}
	if (k->check && (canon[0] || !k->optional) &&
	    k->check(cfg, id, num, canon, why, sizeof(why)) < 0)
		return reason(cfg, "%s", why);
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

static void compute_license(struct cfg *cfg)
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

int cfg_init(struct cfg *cfg, const struct cfg_store_ops *ops, void *ctx,
	     int n_connectors, const char *charge_point_id)
{
	char canon[CFG_VALUE_MAX], buf[CFG_VALUE_MAX];
	size_t off = 0;

	if (!cfg)
		return -EINVAL;
	memset(cfg, 0, sizeof(*cfg));
	if (n_connectors < 1 || n_connectors > CP_MAX_CONNECTORS)
		return reason(cfg, "%d connectors: 1 to %d are possible", n_connectors,
			      CP_MAX_CONNECTORS);
	if (!charge_point_id || strlen(charge_point_id) >= sizeof(cfg->cp_id))
		return reason(cfg, "charge point identity missing or longer than %zu",
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
		    parse_value(cfg, (enum cfg_id)i, k->def, canon, sizeof(canon), &s->num, &set) < 0) {
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
		if (parse_value(cfg, (enum cfg_id)i, k->def, canon, sizeof(canon), &num, &set) < 0) {
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
				reason(cfg, "loading %s from the store failed: %s",
				       k->name, strerror(-rc));
				CP_ERR(TAG, "%s", cfg->err);
				return rc;
			}
			buf[sizeof(buf) - 1] = '\0';
			cfg->slot[i].stored = true;
			if (parse_value(cfg, (enum cfg_id)i, buf, canon, sizeof(canon), &num, &set) < 0) {
				CP_WARN(TAG, "ignoring stored %s='%s': %s", k->name, buf, cfg->err);
				continue;
			}
			put(cfg, (enum cfg_id)i, false, num, canon, set);
			put(cfg, (enum cfg_id)i, true, num, canon, set);
		}
	}
	compute_license(cfg);
	cfg->err[0] = '\0';
	return 0;
}

/* ---- ChangeConfiguration ---- */

enum apply_mode { APPLY_REMOTE, APPLY_PROVISION };

/* Validates and stores one value.  Returns the OCPP status; on Rejected the
 * reason is in cfg->err and nothing changed. */
static enum cfg_status apply(struct cfg *cfg, enum cfg_id id, const char *value,
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
		reason(cfg, "%s is readonly", k->name);
		return CFG_REJECTED;
	case CFG_DERIVED:
		reason(cfg, "%s is derived and cannot be set", k->name);
		return CFG_REJECTED;
	case CFG_PROVISION:
		if (mode != APPLY_PROVISION) {
			reason(cfg, "%s can only be set by local provisioning", k->name);
			return CFG_REJECTED;
		}
		break;
	default:
		break;
	}
	if (parse_value(cfg, id, value, canon, sizeof(canon), &num, &set) < 0 ||
	    check_value(cfg, id, num, canon, set) < 0)
		return CFG_REJECTED;
	if (cfg->ops && cfg->ops->save) {
		rc = cfg->ops->save(cfg->ops_ctx, k->name, canon);
		if (rc < 0) {
			reason(cfg, "storing %s failed (%d)", k->name, rc);
			return CFG_REJECTED;
		}
	}
	snprintf(eff_txt, sizeof(eff_txt), "%s",
		 s->eff_set ? slot_ctext(cfg, id, true) : "");
	same = s->eff_set == set && strcmp(eff_txt, canon) == 0;
	put(cfg, id, false, num, canon, set);
	cfg->err[0] = '\0';
	if (k->reboot && mode == APPLY_REMOTE)
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
		reason(cfg, "unknown key '%s'", key ? key : "");
		return CFG_NOT_SUPPORTED;
	}
	if (!value)
		value = "";
	st = apply(cfg, (enum cfg_id)id, value, APPLY_REMOTE);
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

static bool readonly_of(const struct cfg_key *k)
{
	return k->access != CFG_RW;
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
		*readonly = readonly_of(&cfg_table[id]);
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
			readonly_of(k));
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- typed getters (effective values) ---- */

bool cfg_is_set(const struct cfg *cfg, enum cfg_id id)
{
	const struct cfg_key *k = &cfg_table[id];

	if (is_text_type(k->type) && is_persisted(k))
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

	/* SPEC 2a: the rating bounds every current, also one stored before the
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
	if (!is_persisted(k) || !is_text_type(k->type) || !cfg->slot[id].eff_set)
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

				if (parse_value(cfg, l->id, l->value, canon, sizeof(canon), &num, &set) < 0)
					goto bad;
				continue;
			}
			if (apply(cfg, l->id, l->value, APPLY_PROVISION) == CFG_ACCEPTED) {
				if (l->id == CFG_LICENSE_PUBLIC_KEY ||
				    l->id == CFG_FEATURE_LICENSE_KEY)
					compute_license(cfg);
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
			reason(cfg, "%s:%d: expected Key=Value", name, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(line);
		id = cfg_lookup(key);
		if (id < 0) {
			reason(cfg, "%s:%d: unknown key '%s'", name, lineno, key);
			goto out;
		}
		if (cfg_table[id].access == CFG_R || cfg_table[id].access == CFG_DERIVED) {
			reason(cfg, "%s:%d: %s is %s and cannot be provisioned", name,
			       lineno, cfg_table[id].name,
			       cfg_table[id].access == CFG_R ? "fixed" : "derived");
			goto out;
		}
		for (int i = 0; i < n; i++) {
			if (lines[i].id == (enum cfg_id)id) {
				reason(cfg, "%s:%d: %s already set on line %d", name,
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
	if (provision_apply(scratch, lines, n, name) < 0) {
		memcpy(cfg->err, scratch->err, sizeof(cfg->err));
		goto out;
	}
	rc = provision_apply(cfg, lines, n, name);
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
		reason(cfg, "%s: cannot open: %s", path, strerror(-rc));
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
