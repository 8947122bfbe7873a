/*
 * config_value.c - a configuration value's syntax: the text an operator or
 * the CSMS sends, checked against its key's type and range and turned into
 * the canonical text GetConfiguration shows and the number the registry
 * keeps (config.c; checks that need other keys are in config_check.c).
 */
#include "station/config/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "station/config/config_int.h"

/* ---- parsing: text -> canonical text + number ---- */

/* Booleans and switches as operators type them: True/False (OCPP 1.6 §9),
 * On/Off, and the Dutch Aan/Uit, in any letter case. */
static int parse_bool(const char *in, int64_t *num)
{
	static const char *const yes[] = { "true", "on", "aan", NULL };
	static const char *const no[] = { "false", "off", "uit", NULL };

	for (int i = 0; yes[i]; i++) {
		if (strcasecmp(in, yes[i]) == 0) {
			*num = 1;
			return 0;
		}
		if (strcasecmp(in, no[i]) == 0) {
			*num = 0;
			return 0;
		}
	}
	return -EINVAL;
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
 * decimal (docs/station-model.md, docs/limits.md) and must mean what it says. */
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

void cfg__format_amps(int64_t ma, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%lld", (long long)(ma / 1000),
		 (long long)(ma % 1000 / 100));
}

void cfg__format_num(const struct cfg_key *k, int64_t num, char *buf, size_t n)
{
	switch (k->type) {
	case CFG_T_BOOL:
		snprintf(buf, n, "%s", num ? "True" : "False");
		break;
	case CFG_T_SWITCH:
		snprintf(buf, n, "%s", num ? "On" : "Off");
		break;
	case CFG_T_AMPS:
		cfg__format_amps(num, buf, n);
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
			return cfg__reason(cfg, "empty item in list");
		memcpy(item, start, len);
		item[len] = '\0';
		if (k->values) {
			const char *word = NULL;

			for (int i = 0; k->values[i]; i++)
				if (strcasecmp(item, k->values[i]) == 0)
					word = k->values[i];
			if (!word)
				return cfg__reason(cfg, "unknown item '%s'", item);
			snprintf(item, sizeof(item), "%s", word);
		}
		if (++items > limit)
			return cfg__reason(cfg, "more than %lld items", (long long)limit);
		/* repeats: compare against what is already in canon */
		for (const char *q = canon; *q;) {
			size_t ql = strcspn(q, ",");

			if (ql == len && strncmp(q, item, len) == 0)
				return cfg__reason(cfg, "'%s' listed twice", item);
			q += ql;
			if (*q)
				q++;
		}
		if (out + len + 2 > cn)
			return cfg__reason(cfg, "list longer than %zu characters", cn - 1);
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
int cfg__parse_value(struct cfg *cfg, enum cfg_id id, const char *in,
		       char *canon, size_t cn, int64_t *num, bool *set)
{
	const struct cfg_key *k = &cfg_table[id];
	const char *why;
	int64_t v = 0;

	*set = true;
	*num = 0;
	if (strlen(in) > CP_MAX_CONFIG_VALUE)
		return cfg__reason(cfg, "longer than %d characters", CP_MAX_CONFIG_VALUE);
	if (!in[0] && k->optional && !cfg__is_text_type(k->type)) {
		canon[0] = '\0';
		*set = false;
		*num = NUM_UNSET;
		return 0;
	}
	switch (k->type) {
	case CFG_T_BOOL:
	case CFG_T_SWITCH:
		if (parse_bool(in, &v) < 0)
			return cfg__reason(cfg, "expected %s", k->type == CFG_T_BOOL ?
				      "true or false (or Aan/Uit)" : "On or Off (or Aan/Uit)");
		break;
	case CFG_T_INT:
		if (parse_uint(in, &v) < 0)
			return cfg__reason(cfg, "not a whole number");
		/* fixed values carry no range: they are what they are */
		if (k->access != CFG_R && (v < k->min || v > k->max))
			return cfg__reason(cfg, "out of range %lld-%lld",
				      (long long)k->min, (long long)k->max);
		break;
	case CFG_T_AMPS: {
		char lo[24], hi[24];

		if (parse_amps(in, &v, &why) < 0)
			return cfg__reason(cfg, "%s", why);
		cfg__format_amps(k->min, lo, sizeof(lo));
		cfg__format_amps(k->max, hi, sizeof(hi));
		if (v < k->min || v > k->max)
			return cfg__reason(cfg, "out of range %s-%s A", lo, hi);
		break;
	}
	case CFG_T_ENUM: {
		int found = -1;

		for (int i = 0; k->values[i]; i++)
			if (strcasecmp(in, k->values[i]) == 0 ||
			    (strcasecmp(in, "Geen") == 0 && strcmp(k->values[i], "None") == 0))
				found = i;	/* the vendor's Dutch "none" too */
		for (int i = 0; found < 0 && k->value_aliases && k->value_aliases[i]; i += 2)
			if (strcasecmp(in, k->value_aliases[i]) == 0)
				for (int j = 0; k->values[j]; j++)
					if (strcmp(k->value_aliases[i + 1], k->values[j]) == 0)
						found = j;
		if (found < 0)
			return cfg__reason(cfg, "not one of the allowed values");
		v = found;
		break;
	}
	case CFG_T_IPV4:
		if (parse_ipv4(in, &v) < 0)
			return cfg__reason(cfg, "not a dotted decimal IPv4 address");
		break;
	case CFG_T_CSV:
		*num = 0;
		return parse_csv(cfg, k, in, canon, cn);
	case CFG_T_STRING: {
		size_t len = strlen(in);

		if ((int64_t)len < k->min || (int64_t)len > k->max) {
			if (!(len == 0 && k->optional))
				return cfg__reason(cfg, "length must be %lld-%lld characters",
					      (long long)k->min, (long long)k->max);
		}
		if (len + 1 > cn)
			return cfg__reason(cfg, "too long");
		memcpy(canon, in, len + 1);
		return 0;
	}
	}
	*num = v;
	cfg__format_num(k, v, canon, cn);
	return 0;
}
