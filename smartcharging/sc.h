/*
 * sc.h - the pure smart charging engine: OCPP 1.6 charging profiles, their
 * store, composite schedules, the "limit now" query of the control cycle and
 * the per-socket limit stack of docs/limits.md.
 *
 * Nothing here reads a clock, allocates on the steady-state path or does I/O:
 * every function takes the time and the station's state as arguments, so the
 * station builds a snapshot, calls in, and applies the answer.
 *
 * Numbers.  Every limit is an integer in milli-units: mA for chargingRateUnit
 * A, mW for W (an OCPP limit of 16.1 A is 16100; 11000.0 W is 11000000).  OCPP
 * limits carry at most one decimal (schema multipleOf 0.1), so values are
 * always multiples of 100.
 *
 * Power <-> current (OCPP 1.6 7.8/7.9 leave the conversion to the charge
 * point): a W limit is the total over the period's numberPhases (3 when
 * absent), so per-phase current = W / (Station-NominalVoltage x phases).
 * Limits are compared exactly (cross-multiplied), never after rounding; the
 * only rounding is on output, always DOWN (to the mA, then to 0.1 A or
 * 0.1 W) so a converted answer never exceeds what the profile allows.
 */
#ifndef SC_H
#define SC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_limits.h"
#include "cp_time.h"

/* "No limit from this source" in every mA field of this API. */
#define SC_LIMIT_NONE ((int32_t)-1)

/* Largest accepted limit or minChargingRate, in milli-units: 2 MW or 2 kA
 * keeps every product of a limit with voltage x phases inside int64 and every
 * stored value inside int32; nothing a charge point meets comes close. */
#define SC_LIMIT_MAX ((int32_t)2000000000)

/* Recurrence periods of OCPP 1.6 RecurrencyKindType, in UTC seconds: no
 * daylight saving, a day is always 86400 s. */
#define SC_DAY_S  86400
#define SC_WEEK_S (7 * SC_DAY_S)

enum sc_purpose {
	SC_PURPOSE_CP_MAX = 0,	/* ChargePointMaxProfile */
	SC_PURPOSE_TX_DEFAULT,	/* TxDefaultProfile */
	SC_PURPOSE_TX,		/* TxProfile */
	SC_PURPOSE_COUNT
};

enum sc_kind { SC_KIND_ABSOLUTE = 0, SC_KIND_RECURRING, SC_KIND_RELATIVE, SC_KIND_COUNT };
enum sc_recurrency { SC_RECUR_NONE = 0, SC_RECUR_DAILY, SC_RECUR_WEEKLY, SC_RECUR_COUNT };
enum sc_unit { SC_UNIT_A = 0, SC_UNIT_W, SC_UNIT_COUNT };

struct sc_period {
	int32_t start;		/* seconds from the schedule's start */
	int32_t limit;		/* milli-units of the schedule's unit */
	int8_t phases;		/* numberPhases 1..3; 0 = absent (3 assumed) */
};

struct sc_schedule {
	int32_t duration;	/* seconds; 0 = absent (the schedule never ends) */
	bool has_start;
	cp_utc_t start;		/* startSchedule */
	enum sc_unit unit;
	int32_t min_rate;	/* minChargingRate, milli-units; SC_LIMIT_NONE = absent */
	int n;			/* periods in use */
	struct sc_period p[CP_MAX_PERIODS];
};

struct sc_profile {
	int32_t id;		/* chargingProfileId */
	int connector;		/* connectorId of SetChargingProfile */
	int stack_level;
	enum sc_purpose purpose;
	enum sc_kind kind;
	enum sc_recurrency recurrency;
	bool has_tx_id;
	int64_t tx_id;		/* transactionId (TxProfile only), |id| <= CP_MAX_TRANSACTION_ID */
	bool has_valid_from, has_valid_to;
	cp_utc_t valid_from, valid_to;
	struct sc_schedule sched;
};

/* The station's state as far as profiles care, one snapshot per call.
 * conn[1..connectors] are the sockets; conn[0] is unused. */
struct sc_conn_state {
	bool tx_active;		/* a transaction runs on this connector */
	int64_t tx_id;		/* its transactionId */
	cp_utc_t tx_start;	/* when it started: the origin of Relative profiles */
	int32_t max_ma;		/* Connector<N>-MaxCurrent */
};

struct sc_ctx {
	int connectors;		/* 1..CP_MAX_CONNECTORS */
	int32_t voltage_v;	/* Station-NominalVoltage, for A<->W (230) */
	int32_t station_max_ma;	/* Station-MaxCurrent */
	struct sc_conn_state conn[CP_MAX_CONNECTORS + 1];
};

/* ---- names (tables in profile.c; NULL / -1 for unknown) ---- */
const char *sc_purpose_name(enum sc_purpose p);
const char *sc_kind_name(enum sc_kind k);
const char *sc_recurrency_name(enum sc_recurrency r);
const char *sc_unit_name(enum sc_unit u);
int sc_purpose_parse(const char *s);
int sc_kind_parse(const char *s);
int sc_recurrency_parse(const char *s);
int sc_unit_parse(const char *s);

/* ---- the profile store (profile.c) ---- */

/* Fixed capacity (MaxChargingProfilesInstalled).  Invariant kept by
 * sc_store_set: at most one profile per id and at most one per (connector,
 * purpose, stackLevel), which is what makes "highest stack level wins" a
 * total order. */
struct sc_store {
	int n;
	struct sc_profile p[CP_MAX_PROFILES];
};

/* Ids a store operation removed, so the station can delete them from its
 * persistent copy. */
struct sc_removed {
	int n;
	int32_t id[CP_MAX_PROFILES];
};

void sc_store_init(struct sc_store *st);

/* Checks a profile against the rules of OCPP 1.6 3.13 / 5.16 / 7.8 and the
 * advertised limits (stack level, periods).  With ctx NULL only the checks
 * that do not depend on the station's state run (used when reloading
 * persisted profiles at boot, when no transaction is running yet).
 * Returns 0 or -EINVAL with a one-line reason in why (always terminated). */
int sc_profile_check(const struct sc_profile *p, const struct sc_ctx *ctx,
		     char *why, size_t why_len);

/* SetChargingProfile: check, then install, replacing a profile with the same
 * id and one with the same connector + purpose + stackLevel.  Returns 0
 * (Accepted), -EINVAL (Rejected: invalid, reason in why) or -ENOSPC (Rejected:
 * a 46th profile).  removed (nullable) gets the replaced ids.  On error the
 * store is unchanged. */
int sc_store_set(struct sc_store *st, const struct sc_profile *p,
		 const struct sc_ctx *ctx, struct sc_removed *removed,
		 char *why, size_t why_len);

/* ClearChargingProfile criteria.  OCPP 1.6 5.5: either a specific profile
 * (id) or a selection by connectorId / purpose / stackLevel; so when has_id
 * is set the other criteria are ignored, otherwise every given criterion must
 * match (none given = clear all).  connector 0 means the profiles installed
 * on connector 0, not "every connector" (that is an absent connector). */
struct sc_clear_filter {
	bool has_id;
	int32_t id;
	bool has_connector;
	int connector;
	bool has_purpose;
	enum sc_purpose purpose;
	bool has_stack_level;
	int stack_level;
};

/* Returns the number of profiles removed: 0 answers Unknown, more Accepted. */
int sc_store_clear(struct sc_store *st, const struct sc_clear_filter *f,
		   struct sc_removed *removed);

/* A transaction on connector ended: its TxProfiles go (OCPP 1.6 3.13.4). */
int sc_store_end_transaction(struct sc_store *st, int connector,
			     struct sc_removed *removed);

const struct sc_profile *sc_store_find(const struct sc_store *st, int32_t id);

/* ---- composite schedules (composite.c) ---- */

struct sc_comp_period {
	int32_t start;		/* seconds from the composite's start */
	int64_t limit;		/* milli-units of the composite's unit, multiple of 100 */
	int8_t phases;		/* numberPhases when known, else 0 */
};

struct sc_composite {
	int connector;
	cp_utc_t start;		/* scheduleStart */
	int32_t duration;
	enum sc_unit unit;
	int64_t min_rate;	/* minChargingRate, milli-units; -1 = absent */
	int n;
	struct sc_comp_period p[CP_MAX_COMPOSITE_PERIODS];
};

/*
 * GetCompositeSchedule for connector (0 = the whole station) over
 * [start, start + duration), in unit.  The rules, per instant:
 *
 *  - Each purpose contributes the profile with the highest stackLevel that
 *    is valid (validFrom <= t < validTo) and inside its schedule
 *    (startSchedule <= t < startSchedule + duration) at t; where a higher
 *    level has ended, the next lower one shows through.
 *  - Schedule origin: Absolute = startSchedule; Recurring = the latest
 *    startSchedule + k x day/week (k >= 0: nothing before the first
 *    occurrence); Relative, and Absolute without startSchedule (OCPP 1.6 7.9
 *    "relative to start of charging"), = the connector's transaction start.
 *    Without a transaction there is no start of charging, so such a profile
 *    is shown as it would run for a transaction starting at `start` (an idle
 *    connector's composite answers "what would a car plugged in now get").
 *    ChargePointMaxProfiles have no transaction and always use `start`.
 *  - Tx level of connector c: during a transaction with a matching TxProfile,
 *    TxProfiles only, for the whole transaction (after their schedules end
 *    nothing but ChargePointMax and the hardware limit apply); otherwise a
 *    TxDefaultProfile on c where one is in force at t, else one on
 *    connector 0.
 *  - connector c: min(Connector max, Station max, ChargePointMax, Tx level).
 *    connector 0: min(Station max, ChargePointMax, sum over the connectors of
 *    min(Connector max, Station max, Tx level)).  Gaps are the hardware limit.
 *  - numberPhases: the Tx level's period's when it gives one, else the
 *    ChargePointMax period's, else absent; W output uses it (3 when absent).
 *  - minChargingRate: that of the first Tx-level profile in force in the
 *    window that has one, converted like a limit (connector > 0 only).
 *  - Neighbouring periods equal after conversion are merged; the answer
 *    covers exactly duration seconds (duration 0: one period, the value at
 *    start).
 *
 * Cost: proportional to the number of period boundaries in the window (a
 * sweep over per-profile cursors), not to its length in seconds.
 * Returns 0, -EINVAL (no such connector, duration < 0, bad ctx) or -ENOSPC
 * (more than CP_MAX_COMPOSITE_PERIODS periods; answer Rejected).
 */
int sc_composite_build(const struct sc_store *st, const struct sc_ctx *ctx,
		       int connector, cp_utc_t start, int32_t duration,
		       enum sc_unit unit, struct sc_composite *out);

/*
 * The control cycle's query: the connector's Tx-level limit now (TxProfile or
 * TxDefaultProfile, converted to mA with the period's numberPhases and the
 * voltage; SC_LIMIT_NONE when no profile applies), the ChargePointMaxProfile
 * limit now (SC_LIMIT_NONE when none), and next_change: the first UTC second
 * after now at which either value changes, or CP_UTC_NEVER.  The daemon arms
 * one timer for it.  Relative profiles of an idle connector are pinned to
 * their first period (their origin would move with now), so they never cause
 * a wake-up.  The look-ahead stops after SC_LOOKAHEAD_EVENTS boundaries
 * without a change; next_change is then that boundary (a harmless early
 * re-evaluation, never a missed change).  connector 0: conn_ma is NONE.
 * Returns 0 or -EINVAL.
 */
#define SC_LOOKAHEAD_EVENTS 20000
int sc_profile_limit_now(const struct sc_store *st, const struct sc_ctx *ctx,
			 int connector, cp_utc_t now, int32_t *conn_ma,
			 int32_t *station_ma, cp_utc_t *next_change);

/* ---- the limit stack (limits.c), docs/limits.md ---- */

/* Every per-socket source.  The order is also the tie-break for "binding"
 * when two sources give the same value: the hard stops first (a fault or a
 * suspend explains a zero better than anything else), then the sources an
 * operator sets, then the physical ones. */
enum sc_source {
	SC_SRC_FAULT = 0,	/* fault present: 0 */
	SC_SRC_SUSPEND,		/* external suspend signal: 0 */
	SC_SRC_PROFILE,		/* Tx/TxDefault now, or a ChargePointMax share */
	SC_SRC_BALANCING,	/* allocator share (SLB/ALB/SCN/EMS) */
	SC_SRC_STATION,		/* Station-MaxCurrent share */
	SC_SRC_CONNECTOR,	/* Connector<N>-MaxCurrent */
	SC_SRC_CABLE,		/* cable capacity from PP */
	SC_SRC_EV,		/* what the EV draws or announces */
	SC_SRC_COUNT,
	SC_SRC_NONE = -1	/* nothing limits (no source given) */
};


struct sc_limit_inputs {
	int32_t ma[SC_SRC_COUNT];	/* SC_LIMIT_NONE = absent */
};

struct sc_limit_result {
	int32_t applied_ma;	/* 0 (paused) or 6000.. in steps of 100 */
	enum sc_source binding;	/* the lowest source; SC_SRC_NONE if none */
	int32_t lowest_ma;	/* the raw minimum before rounding and floor; NONE if none */
	bool paused;		/* applied is 0 */
};

const char *sc_source_name(enum sc_source s);	/* "profile", ..., "none" */
void sc_limit_inputs_init(struct sc_limit_inputs *in);
/* Adds a value for a source; several values for one source keep the lowest
 * (e.g. a Tx limit and a ChargePointMax share both under "profile").
 * Negative values other than SC_LIMIT_NONE count as 0. */
void sc_limit_set(struct sc_limit_inputs *in, enum sc_source s, int32_t ma);
/* Marks a hard stop (SC_SRC_FAULT / SC_SRC_SUSPEND): that source gives 0. */
void sc_limit_stop(struct sc_limit_inputs *in, enum sc_source s);
void sc_limit_apply(const struct sc_limit_inputs *in, struct sc_limit_result *out);
/* A limit as an offer: rounded down to 0.1 A (CP_CURRENT_STEP_MA), 0 below
 * CP_MIN_CHARGE_MA (IEC 61851-1 has no duty cycle for 1..5.9 A), 0 for
 * SC_LIMIT_NONE or a negative value. */
int32_t sc_limit_round(int32_t ma);

#endif
