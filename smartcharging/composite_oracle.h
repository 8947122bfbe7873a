/*
 * composite_oracle.h - the reference for composite.c: the same rules as
 * sc_composite_build() (see sc.h), implemented the obvious way by evaluating
 * every profile at every second of the window.  O(seconds x profiles x
 * periods): for tests and the benchmark only, never linked into the daemon.
 */
#ifndef SC_COMPOSITE_ORACLE_H
#define SC_COMPOSITE_ORACLE_H

#include "smartcharging/sc.h"

/* Same contract and output as sc_composite_build(). */
int sc_oracle_composite(const struct sc_store *st, const struct sc_ctx *ctx, int connector,
			cp_utc_t start, int32_t duration, enum sc_unit unit,
			struct sc_composite *out);

/* The two values sc_profile_limit_now() reports, at instant t, for a query
 * made at `now` (idle Relative profiles pinned to their first period). */
void sc_oracle_values_at(const struct sc_store *st, const struct sc_ctx *ctx, int connector,
			 int64_t t, int32_t *conn_ma, int32_t *station_ma);

#endif
