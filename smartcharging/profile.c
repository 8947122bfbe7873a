/*
 * profile.c - the charging profile store: validation of SetChargingProfile,
 * replacement, ClearChargingProfile and the end of a transaction.
 *
 * Rules (OCPP 1.6 3.13, 5.5, 5.16, 7.7-7.10, docs/limits.md):
 *  - ChargePointMaxProfile only on connector 0; TxProfile never on connector 0
 *    and only while a transaction runs on that connector, with a matching
 *    transactionId when one is given; transactionId only on a TxProfile.
 *  - Recurring needs startSchedule and recurrencyKind.
 *  - 1..ChargingScheduleMaxPeriods periods, the first at 0, strictly
 *    ascending; limits >= 0; numberPhases 1..3.
 *  - stackLevel 0..ChargeProfileMaxStackLevel.
 *  - Same id replaces; same connector + purpose + stackLevel replaces; a 46th
 *    profile is Rejected, replacing one is fine.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smartcharging/sc.h"

static const char *const purpose_names[SC_PURPOSE_COUNT] = {
	[SC_PURPOSE_CP_MAX] = "ChargePointMaxProfile",
	[SC_PURPOSE_TX_DEFAULT] = "TxDefaultProfile",
	[SC_PURPOSE_TX] = "TxProfile",
};
static const char *const kind_names[SC_KIND_COUNT] = {
	[SC_KIND_ABSOLUTE] = "Absolute",
	[SC_KIND_RECURRING] = "Recurring",
	[SC_KIND_RELATIVE] = "Relative",
};
static const char *const recur_names[SC_RECUR_COUNT] = {
	[SC_RECUR_NONE] = NULL,
	[SC_RECUR_DAILY] = "Daily",
	[SC_RECUR_WEEKLY] = "Weekly",
};
static const char *const unit_names[SC_UNIT_COUNT] = {
	[SC_UNIT_A] = "A",
	[SC_UNIT_W] = "W",
};

static const char *name_of(const char *const *names, int n, int v)
{
	return (v >= 0 && v < n) ? names[v] : NULL;
}

static int parse_of(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *sc_purpose_name(enum sc_purpose p) { return name_of(purpose_names, SC_PURPOSE_COUNT, (int)p); }
const char *sc_kind_name(enum sc_kind k) { return name_of(kind_names, SC_KIND_COUNT, (int)k); }
const char *sc_recurrency_name(enum sc_recurrency r) { return name_of(recur_names, SC_RECUR_COUNT, (int)r); }
const char *sc_unit_name(enum sc_unit u) { return name_of(unit_names, SC_UNIT_COUNT, (int)u); }
int sc_purpose_parse(const char *s) { return parse_of(purpose_names, SC_PURPOSE_COUNT, s); }
int sc_kind_parse(const char *s) { return parse_of(kind_names, SC_KIND_COUNT, s); }
int sc_recurrency_parse(const char *s) { return parse_of(recur_names, SC_RECUR_COUNT, s); }
int sc_unit_parse(const char *s) { return parse_of(unit_names, SC_UNIT_COUNT, s); }

__attribute__((format(printf, 3, 4)))
static int reject(char *why, size_t len, const char *fmt, ...)
{
	if (why && len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int check_schedule(const struct sc_profile *p, char *why, size_t len)
{
	const struct sc_schedule *s = &p->sched;

	if ((unsigned)s->unit >= SC_UNIT_COUNT)
		return reject(why, len, "chargingRateUnit invalid");
	if (s->duration < 0)
		return reject(why, len, "duration %d is negative", (int)s->duration);
	if (s->min_rate != SC_LIMIT_NONE && (s->min_rate < 0 || s->min_rate > SC_LIMIT_MAX))
		return reject(why, len, "minChargingRate out of range");
	if (s->n < 1)
		return reject(why, len, "chargingSchedulePeriod is empty");
	if (s->n > CP_MAX_PERIODS)
		return reject(why, len, "%d periods exceed ChargingScheduleMaxPeriods %d",
			      s->n, CP_MAX_PERIODS);
	if (s->p[0].start != 0)
		return reject(why, len, "first startPeriod is %d, must be 0", (int)s->p[0].start);
	for (int i = 0; i < s->n; i++) {
		const struct sc_period *q = &s->p[i];
		if (i > 0 && q->start <= s->p[i - 1].start)
			return reject(why, len, "startPeriod %d of period %d not after %d",
				      (int)q->start, i, (int)s->p[i - 1].start);
		if (q->limit < 0 || q->limit > SC_LIMIT_MAX)
			return reject(why, len, "limit of period %d out of range", i);
		if (q->phases < 0 || q->phases > 3)
			return reject(why, len, "numberPhases %d of period %d not 1..3", q->phases, i);
	}
	return 0;
}

int sc_profile_check(const struct sc_profile *p, const struct sc_ctx *ctx,
		     char *why, size_t len)
{
	if (why && len)
		why[0] = '\0';
	if (p->stack_level < 0 || p->stack_level > CP_MAX_STACK_LEVEL)
		return reject(why, len, "stackLevel %d outside 0..%d", p->stack_level,
			      CP_MAX_STACK_LEVEL);
	if ((unsigned)p->purpose >= SC_PURPOSE_COUNT)
		return reject(why, len, "chargingProfilePurpose invalid");
	if ((unsigned)p->kind >= SC_KIND_COUNT)
		return reject(why, len, "chargingProfileKind invalid");
	if ((unsigned)p->recurrency >= SC_RECUR_COUNT)
		return reject(why, len, "recurrencyKind invalid");
	if (p->connector < 0 || p->connector > CP_MAX_CONNECTORS)
		return reject(why, len, "connector %d does not exist", p->connector);
	if (p->purpose == SC_PURPOSE_CP_MAX && p->connector != 0)
		return reject(why, len, "ChargePointMaxProfile only on connector 0, not %d",
			      p->connector);
	if (p->purpose == SC_PURPOSE_TX && p->connector == 0)
		return reject(why, len, "TxProfile needs a connector > 0");
	if (p->has_tx_id && p->purpose != SC_PURPOSE_TX)
		return reject(why, len, "transactionId only allowed on a TxProfile");
	if (p->kind == SC_KIND_RECURRING) {
		if (!p->sched.has_start)
			return reject(why, len, "Recurring profile needs startSchedule");
		if (p->recurrency == SC_RECUR_NONE)
			return reject(why, len, "Recurring profile needs recurrencyKind");
	}
	if (p->has_valid_from && p->has_valid_to && p->valid_to.s <= p->valid_from.s)
		return reject(why, len, "validTo not after validFrom");
	int rc = check_schedule(p, why, len);
	if (rc)
		return rc;
	if (!ctx)
		return 0;

	/* State-dependent rules. */
	if (p->connector > ctx->connectors)
		return reject(why, len, "connector %d does not exist (%d connectors)",
			      p->connector, ctx->connectors);
	if (p->purpose == SC_PURPOSE_TX) {
		const struct sc_conn_state *c = &ctx->conn[p->connector];
		if (!c->tx_active)
			return reject(why, len, "TxProfile without a transaction on connector %d",
				      p->connector);
		if (p->has_tx_id && p->tx_id != c->tx_id)
			return reject(why, len, "TxProfile for transaction %lld, connector %d runs %lld",
				      (long long)p->tx_id, p->connector, (long long)c->tx_id);
	}
	return 0;
}

void sc_store_init(struct sc_store *st)
{
	st->n = 0;
}

static void removed_add(struct sc_removed *r, int32_t id)
{
	if (r && r->n < CP_MAX_PROFILES)
		r->id[r->n++] = id;
}

/* Removes entry i keeping the order (insertion order is only cosmetic, but a
 * stable order makes the persisted copy and the tests deterministic). */
static void store_remove_at(struct sc_store *st, int i)
{
	memmove(&st->p[i], &st->p[i + 1], (size_t)(st->n - i - 1) * sizeof(st->p[0]));
	st->n--;
}

static bool replaces(const struct sc_profile *old, const struct sc_profile *p)
{
	return old->id == p->id ||
	       (old->connector == p->connector && old->purpose == p->purpose &&
		old->stack_level == p->stack_level);
}

int sc_store_set(struct sc_store *st, const struct sc_profile *p,
		 const struct sc_ctx *ctx, struct sc_removed *removed,
		 char *why, size_t len)
{
	int rc = sc_profile_check(p, ctx, why, len);
	if (rc)
		return rc;

	int victims = 0;
	for (int i = 0; i < st->n; i++)
		victims += replaces(&st->p[i], p);
	if (st->n - victims >= CP_MAX_PROFILES) {
		if (why && len)
			snprintf(why, len, "%d profiles installed, MaxChargingProfilesInstalled",
				 st->n);
		return -ENOSPC;
	}
	if (removed)
		removed->n = 0;
	for (int i = 0; i < st->n;) {
		if (replaces(&st->p[i], p)) {
			removed_add(removed, st->p[i].id);
			store_remove_at(st, i);
		} else {
			i++;
		}
	}
	st->p[st->n++] = *p;
	return 0;
}

static bool clear_matches(const struct sc_profile *p, const struct sc_clear_filter *f)
{
	if (f->has_id)
		return p->id == f->id;
	if (f->has_connector && p->connector != f->connector)
		return false;
	if (f->has_purpose && p->purpose != f->purpose)
		return false;
	if (f->has_stack_level && p->stack_level != f->stack_level)
		return false;
	return true;
}

int sc_store_clear(struct sc_store *st, const struct sc_clear_filter *f,
		   struct sc_removed *removed)
{
	int count = 0;

	if (removed)
		removed->n = 0;
	for (int i = 0; i < st->n;) {
		if (clear_matches(&st->p[i], f)) {
			removed_add(removed, st->p[i].id);
			store_remove_at(st, i);
			count++;
		} else {
			i++;
		}
	}
	return count;
}

int sc_store_end_transaction(struct sc_store *st, int connector, struct sc_removed *removed)
{
	struct sc_clear_filter f = {
		.has_connector = true, .connector = connector,
		.has_purpose = true, .purpose = SC_PURPOSE_TX,
	};
	return sc_store_clear(st, &f, removed);
}

const struct sc_profile *sc_store_find(const struct sc_store *st, int32_t id)
{
	for (int i = 0; i < st->n; i++)
		if (st->p[i].id == id)
			return &st->p[i];
	return NULL;
}
