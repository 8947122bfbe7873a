/*
 * config_doc.c - the README's configuration key reference, written from the
 * key table so the two cannot drift (tests/test_config_readme checks it).
 */
#include "station/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Markdown table cells may not hold '|'; none of our texts do, but a future
 * enumeration value might. */
static void cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else
			fputc(*s, out);
	}
}

static void amps(FILE *out, int64_t ma)
{
	fprintf(out, "%lld.%lld", (long long)(ma / 1000), (long long)(ma % 1000 / 100));
}

static void write_type(FILE *out, const struct cfg_key *k)
{
	switch (k->type) {
	case CFG_T_INT:
		if (k->access == CFG_RW || k->access == CFG_W)
			fprintf(out, "int %lld–%lld", (long long)k->min, (long long)k->max);
		else
			fputs("int", out);
		break;
	case CFG_T_AMPS:
		fputs("float A ", out);
		amps(out, k->min);
		fputs("–", out);
		if (k->bound == CFG_B_RATING)
			fputs("rating", out);
		else if (k->bound == CFG_B_STATION)
			fputs("rating × feeds", out);
		else
			amps(out, k->max);
		break;
	case CFG_T_ENUM:
		for (int i = 0; k->values[i]; i++) {
			fputs(i ? ", `" : "`", out);
			cell(out, k->values[i]);
			fputs("`", out);
		}
		break;
	case CFG_T_CSV:
		fputs(k->values == NULL ? "CSV list" : "CSV of measurands", out);
		break;
	case CFG_T_STRING:
		if (k->max)
			fprintf(out, "string %lld–%lld chars", (long long)k->min, (long long)k->max);
		else
			fputs("string", out);
		break;
	default:
		fputs(cfg_type_name(k->type), out);
		break;
	}
}

int cfg_doc_write(FILE *out)
{
	fputs("| key | aliases | profile | type | default | access | reboot | meaning |\n"
	      "|---|---|---|---|---|---|---|---|\n", out);
	for (int i = 0; i < CFG__COUNT; i++) {
		const struct cfg_key *k = &cfg_table[i];

		fprintf(out, "| `%s` | ", k->name);
		for (int a = 0; a < 3 && k->aliases[a]; a++)
			fprintf(out, "%s`%s`", a ? ", " : "", k->aliases[a]);
		fprintf(out, " | %s", cfg_profile_name(k->profile));
		if (k->feature) {
			char f[16];

			license_format_features(k->feature, ',', f, sizeof(f));
			fprintf(out, " (%s)", f);
		}
		fputs(" | ", out);
		write_type(out, k);
		fputs(" | ", out);
		if (k->def_doc)
			cell(out, k->def_doc);
		else if (k->def && k->def[0]) {
			fputs("`", out);
			cell(out, k->def);
			fputs("`", out);
		} else
			fputs("–", out);
		fprintf(out, " | %s | %s | ", cfg_access_name(k->access),
			k->reboot ? "yes" : "");
		cell(out, k->doc ? k->doc : "");
		fputs(" |\n", out);
	}
	return ferror(out) ? -EIO : 0;
}
