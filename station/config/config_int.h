/*
 * config_int.h - what the registry's own files share: config.c (the
 * registry: slots, defaults, ChangeConfiguration, GetConfiguration, typed
 * getters), config_value.c (value syntax and canonical text) and
 * config_provision.c (--config files).  Nothing outside the registry
 * includes it.
 */
#ifndef STATION_CONFIG_INT_H
#define STATION_CONFIG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "station/config/config.h"

/* No value: a key that is optional and empty. */
#define NUM_UNSET INT64_MIN

/* How a value arrives: a remote change honours RebootRequired and notifies
 * the listener; provisioning may set CFG_PROVISION keys. */
enum apply_mode { APPLY_REMOTE, APPLY_PROVISION };

/* ---- config.c ------------------------------------------------------------ */

/* Writes the reason for a refusal into cfg->err; returns -EINVAL. */
int cfg__reason(struct cfg *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool cfg__is_text_type(enum cfg_type t);
enum cfg_status cfg__apply(struct cfg *cfg, enum cfg_id id, const char *value,
			   enum apply_mode mode);
void cfg__compute_license(struct cfg *cfg);

/* ---- config_value.c ------------------------------------------------------ */

int cfg__parse_value(struct cfg *cfg, enum cfg_id id, const char *in,
		     char *canon, size_t cn, int64_t *num, bool *set);
void cfg__format_num(const struct cfg_key *k, int64_t num, char *buf, size_t n);
void cfg__format_amps(int64_t ma, char *buf, size_t n);

#endif /* STATION_CONFIG_INT_H */
