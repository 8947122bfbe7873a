/*
 * fuzz_provision.c - libFuzzer target: the --config provisioning file
 * (station/config/config_provision.c, cfg_provision_text, the parser behind
 * cfg_provision_file).
 *
 * Input: the file's text.  Checked: a file that is refused names a reason
 * and changes nothing, neither in the registry nor in the store (the whole
 * file is checked before anything is applied); a file that is accepted can
 * be applied a second time (a reboot with the same --config) without error.
 */
#include <stdint.h>

#include "fuzz/fuzz_cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fake_store fs;
static struct cfg cfg;
static struct fz_cfg_view before, after;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	int rc, saves;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cp_log_set_level(CP_LOG_ERROR);
	memset(&fs, 0, sizeof(fs));
	if (cfg_init(&cfg, &fake_ops, &fs, 2, "FUZZ-CP") < 0)
		abort();
	fz_cfg_view(&cfg, &before);
	saves = fs.saves;
	rc = cfg_provision_text(&cfg, text, "fuzz.conf");
	if (rc < 0) {
		fz_cfg_view(&cfg, &after);
		if (!cfg_error(&cfg)[0])
			fz_cfg_abort("file refused without a reason", "(file)", text);
		if (fs.saves != saves)
			fz_cfg_abort("a refused file stored values", "(file)", text);
		fz_cfg_same(&before, &after, "(file)", text);
	} else {
		/* The next start: every key now stored, the same file again. */
		static struct cfg again;
		if (cfg_init(&again, &fake_ops, &fs, 2, "FUZZ-CP") < 0)
			fz_cfg_abort("the provisioned store does not load", "(file)", text);
		if (cfg_provision_text(&again, text, "fuzz.conf") < 0) {
			fprintf(stderr, "fuzz: %s\n", cfg_error(&again));
			fz_cfg_abort("an accepted file is refused on the next start", "(file)", text);
		}
	}
	free(text);
	return 0;
}
