/*
 * config.h - the configuration registry: every OCPP 1.6 and vendor key,
 * described once in a table (config_table.c), validated, persisted through a
 * store ops table, and read by the daemon through typed getters by key id.
 *
 * GetConfiguration, ChangeConfiguration, `--config` provisioning, the README's
 * key reference (tools/cfg-doc) and the unit tests all read the same table.
 *
 * Semantics (docs/station-model.md, the README key reference):
 *   - cfg_change() answers like ChangeConfiguration: Accepted (stored, applies
 *     now, the listener runs), RebootRequired (stored, the running daemon keeps
 *     the old "effective" value until restart; GetConfiguration already shows
 *     the new one), Rejected (bad value, readonly, a key no code applies
 *     yet, locked feature, or the store failed: nothing changed),
 *     NotSupported (unknown key).
 *   - Values are read back canonically: amperes with one decimal ("20.0"),
 *     switches On/Off, booleans True/False, "None" for an enumeration's
 *     none (input "Geen" too), IPv4 plain dotted decimal, "" for a key
 *     without a value.
 *   - Key names are CiString50 in OCPP, so lookups ignore case.
 *
 * Threading: none; the registry belongs to the event loop.
 * Memory: struct cfg is caller-owned and self-contained (no heap, no
 * pointers into itself), so it may be copied.
 */
#ifndef STATION_CONFIG_H
#define STATION_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cp_limits.h"
#include "station/config/license.h"

/* Key ids, in table order (the order of GetConfiguration without a key list). */
enum cfg_id {
	/* Core profile (OCPP 1.6 9.1) */
	CFG_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID,
	CFG_AUTHORIZATION_CACHE_ENABLED,
	CFG_AUTHORIZE_REMOTE_TX_REQUESTS,
	CFG_BLINK_REPEAT,
	CFG_CLOCK_ALIGNED_DATA_INTERVAL,
	CFG_CONNECTION_TIMEOUT,
	CFG_CONNECTOR_PHASE_ROTATION,
	CFG_CONNECTOR_PHASE_ROTATION_MAX_LENGTH,
	CFG_GET_CONFIGURATION_MAX_KEYS,
	CFG_HEARTBEAT_INTERVAL,
	CFG_LIGHT_INTENSITY,
	CFG_LOCAL_AUTHORIZE_OFFLINE,
	CFG_LOCAL_PRE_AUTHORIZE,
	CFG_MAX_ENERGY_ON_INVALID_ID,
	CFG_METER_VALUES_ALIGNED_DATA,
	CFG_METER_VALUES_ALIGNED_DATA_MAX_LENGTH,
	CFG_METER_VALUES_SAMPLED_DATA,
	CFG_METER_VALUES_SAMPLED_DATA_MAX_LENGTH,
	CFG_METER_VALUE_SAMPLE_INTERVAL,
	CFG_MINIMUM_STATUS_DURATION,
	CFG_NUMBER_OF_CONNECTORS,
	CFG_RESET_RETRIES,
	CFG_STOP_TRANSACTION_ON_EV_SIDE_DISCONNECT,
	CFG_STOP_TRANSACTION_ON_INVALID_ID,
	CFG_STOP_TXN_ALIGNED_DATA,
	CFG_STOP_TXN_ALIGNED_DATA_MAX_LENGTH,
	CFG_STOP_TXN_SAMPLED_DATA,
	CFG_STOP_TXN_SAMPLED_DATA_MAX_LENGTH,
	CFG_SUPPORTED_FEATURE_PROFILES,
	CFG_SUPPORTED_FEATURE_PROFILES_MAX_LENGTH,
	CFG_TRANSACTION_MESSAGE_ATTEMPTS,
	CFG_TRANSACTION_MESSAGE_RETRY_INTERVAL,
	CFG_UNLOCK_CONNECTOR_ON_EV_SIDE_DISCONNECT,
	CFG_WEB_SOCKET_PING_INTERVAL,
	/* LocalAuthListManagement (9.2) */
	CFG_LOCAL_AUTH_LIST_ENABLED,
	CFG_LOCAL_AUTH_LIST_MAX_LENGTH,
	CFG_SEND_LOCAL_LIST_MAX_LENGTH,
	/* Reservation (9.3) */
	CFG_RESERVE_CONNECTOR_ZERO_SUPPORTED,
	/* SmartCharging (9.4) */
	CFG_CHARGE_PROFILE_MAX_STACK_LEVEL,
	CFG_CHARGING_SCHEDULE_ALLOWED_CHARGING_RATE_UNIT,
	CFG_CHARGING_SCHEDULE_MAX_PERIODS,
	CFG_CONNECTOR_SWITCH_3_TO_1_PHASE_SUPPORTED,
	CFG_MAX_CHARGING_PROFILES_INSTALLED,
	/* FirmwareManagement */
	CFG_SUPPORTED_FILE_TRANSFER_PROTOCOLS,
	/* Security whitepaper */
	CFG_ADDITIONAL_ROOT_CERTIFICATE_CHECK,
	CFG_AUTHORIZATION_KEY,
	CFG_CERTIFICATE_SIGNED_MAX_CHAIN_SIZE,
	CFG_CERTIFICATE_STORE_MAX_LENGTH,
	CFG_CPO_NAME,
	CFG_SECURITY_PROFILE,
	/* Vendor keys (the README key reference, docs/balancing.md) */
	CFG_FEATURE_LICENSE_KEY,
	CFG_UNLOCKED_FEATURES,
	CFG_STATION_MAX_CURRENT,
	CFG_CONNECTOR1_MAX_CURRENT,
	CFG_CONNECTOR2_MAX_CURRENT,
	CFG_CONNECTOR1_2_MAX_CURRENT,
	CFG_CONNECTOR2_2_MAX_CURRENT,
	CFG_CHAMELEON_MIN_CURRENT,
	CFG_PHASE_CONNECTED,
	CFG_STATIC_LOAD_BALANCING,
	CFG_ACTIVE_LOAD_BALANCING,
	CFG_ALB_PROTOCOL_SELECTION,
	CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL,
	CFG_MBTCPSMART_IS_ENABLED,
	CFG_MBTCPSMART_SLAVE_METER_MODEL,
	CFG_MBTCPSMART_CONNECTION_TYPE,
	CFG_MBTCPSMART_IP_ADDRESS,
	CFG_MBTCPSMART_SLAVE_UNIT_ID,
	CFG_MBS_SLAVE_TCPIP,
	CFG_MBS_SLAVE_TCPIP_VALIDITY_TIME,
	CFG_MBS_SLAVE_TCPIP_MODE,
	CFG_SAFE_MAX_CURRENT,
	CFG_SMART_METER_MAX_CURRENT,
	CFG_SMART_METER_INCLUDES_CHARGER,
	CFG_SMART_CHARGING_MODE,
	CFG_SCN_IS_ENABLED,
	CFG_SCN_NETWORK_NAME,
	CFG_SCN_SOCKET_ID,
	CFG_SCN_SOCKET_COUNT,
	CFG_SCN_TOTAL_STATIC_CURRENT,
	CFG_SCN_TOTAL_SAFE_CURRENT,
	CFG_SCN_SOCKET_SAFE_CURRENT,
	CFG_SCN_ALTERNATING_PERIOD,
	CFG_SCN_PHASE_MAPPING_1,
	CFG_SCN_PHASE_MAPPING_2,
	/* Our extension keys (docs/station-model.md, the README key reference) */
	CFG_STATION_PHASES,
	CFG_STATION_FEEDS,
	CFG_STATION_NOMINAL_VOLTAGE,
	CFG_STATION_RATED_CURRENT,
	CFG_MBTCPSMART_PORT,
	CFG_MBTCPSMART_CUSTOM_MAP_L1,
	CFG_MBTCPSMART_CUSTOM_MAP_L2,
	CFG_MBTCPSMART_CUSTOM_MAP_L3,
	CFG_MBS_SLAVE_TCPIP_PORT,
	CFG_ALB_P1_DEVICE,
	CFG_ALB_P1_MODE,
	CFG_SCN_PORT,
	CFG_SCN_MULTICAST_GROUP,
	CFG_SCN_PEER_TIMEOUT,
	CFG_SCN_AUTH_KEY,
	CFG_SCN_INTERFACE,
	CFG_METER_DEVICE,
	CFG_METER_BAUD,
	CFG_METER_PARITY,
	CFG_METER_MODEL,
	CFG_METER_UNIT_ID_1,
	CFG_METER_UNIT_ID_2,
	CFG_METER_CUSTOM_FUNCTION,
	CFG_METER_CUSTOM_CURRENT_L1,
	CFG_METER_CUSTOM_CURRENT_L2,
	CFG_METER_CUSTOM_CURRENT_L3,
	CFG_METER_CUSTOM_VOLTAGE_L1,
	CFG_METER_CUSTOM_VOLTAGE_L2,
	CFG_METER_CUSTOM_VOLTAGE_L3,
	CFG_METER_CUSTOM_POWER,
	CFG_METER_CUSTOM_ENERGY,
	CFG_INSTALLER_PASSWORD,
	CFG_LICENSE_PUBLIC_KEY,
	CFG_OCPP_STACK_VERSION,
	CFG__COUNT
};

/* Value types.  BOOL reads back True/False, SWITCH On/Off; both accept
 * True/False, On/Off and the Dutch Aan/Uit that installers type, in any
 * letter case (OCPP 1.6 §9 keys are compared case-insensitively by central
 * systems, so True is read as true everywhere). */
enum cfg_type {
	CFG_T_BOOL,
	CFG_T_SWITCH,
	CFG_T_INT,
	CFG_T_AMPS,	/* float amperes, one decimal; held as milliamperes */
	CFG_T_STRING,
	CFG_T_CSV,	/* comma separated list */
	CFG_T_ENUM,
	CFG_T_IPV4,
};

enum cfg_access {
	CFG_RW,		/* read and write over OCPP, provisionable */
	CFG_R,		/* a value the stack fixes; never written */
	CFG_DERIVED,	/* computed from elsewhere (--connectors, the license) */
	CFG_W,		/* write-only: never returned by GetConfiguration */
	CFG_PROVISION,	/* readonly over OCPP, settable only by --config */
};

enum cfg_profile {
	CFG_P_CORE, CFG_P_LOCAL_AUTH, CFG_P_RESERVATION, CFG_P_SMART_CHARGING,
	CFG_P_FIRMWARE, CFG_P_REMOTE_TRIGGER, CFG_P_SECURITY, CFG_P_VENDOR,
	CFG_P_STATION,
};

/*
 * How a writable key takes effect: its binding to the code that applies it.
 * Every writable row names one (the table test fails on CFG_APPLY_UNBOUND),
 * so no key answers Accepted without doing something.
 *   LIVE     the running daemon uses the new value at once (read on every
 *            use, or re-armed by the change listener): Accepted.
 *   RESTART  used from the next start only (the wiring, the connection's
 *            security): RebootRequired until then.
 *   STORED   the value itself is the effect: information for the central
 *            system (ConnectorPhaseRotation, OCPP 1.6 §9.1.7).
 *   NONE     no code applies it yet (a feature still to come): read-only,
 *            ChangeConfiguration answers Rejected and says why; the value is
 *            still validated first, so a bad one gets its precise reason.
 */
enum cfg_apply {
	CFG_APPLY_UNBOUND,
	CFG_APPLY_LIVE,
	CFG_APPLY_RESTART,
	CFG_APPLY_STORED,
	CFG_APPLY_NONE,
};

/* Upper bounds of current keys that depend on the hardware (docs/station-model.md).  The
 * stored (not yet effective) topology is used, so a pending change of the
 * rating is honoured by the values set for after the restart. */
enum cfg_bound {
	CFG_B_NONE,
	CFG_B_RATING,		/* <= Station-RatedCurrent */
	CFG_B_STATION,		/* <= Station-RatedCurrent x Station-Feeds */
};

/* Licensed features (docs/balancing.md), same bits as license.h. */
enum cfg_feature {
	CFG_FEATURE_SLB = LICENSE_SLB,
	CFG_FEATURE_ALB = LICENSE_ALB,
	CFG_FEATURE_SCN = LICENSE_SCN,
};

/* Enumeration values, in the order of the table's value lists; cfg_enum()
 * returns them. */
enum cfg_phase_connected {	/* the same order as SCN-PhaseMapping 1..9 */
	CFG_PHASE_L1, CFG_PHASE_L2, CFG_PHASE_L3, CFG_PHASE_L1L2L3,
	CFG_PHASE_L1L3L2, CFG_PHASE_L2L1L3, CFG_PHASE_L2L3L1, CFG_PHASE_L3L1L2,
	CFG_PHASE_L3L2L1,
};
enum cfg_alb_protocol { CFG_ALB_DSMR_P1, CFG_ALB_MODBUS_TCP };
enum cfg_p1_mode { CFG_P1_DSMR45, CFG_P1_DSMR23 };
enum cfg_suspend_signal {
	CFG_SUSPEND_DSMR_P1, CFG_SUSPEND_ON_CLOSE, CFG_SUSPEND_ON_OPEN,
};
enum cfg_meter_model { CFG_METER_NONE, CFG_METER_SOCOMEC };
/* Measurands the station samples (station/meter.c); the measurand lists
 * accept only these (OCPP 1.6 §9.1: a measurand the station cannot sample is
 * Rejected, not silently left out). */
extern const char *const cfg_samplable_measurands[];
enum cfg_modbus_conn { CFG_MODBUS_TCP, CFG_MODBUS_RTU, CFG_MODBUS_UDP };
enum cfg_ems_mode { CFG_EMS_OFF, CFG_EMS_SOCKET, CFG_EMS_SCN };
enum cfg_sc_mode { CFG_SC_NONE, CFG_SC_OCPP15 };
/* The socket meters on the Modbus RTU bus (Meter-*, hw/rtu.h). */
enum cfg_meter_parity { CFG_PARITY_NONE, CFG_PARITY_EVEN, CFG_PARITY_ODD };
enum cfg_socket_meter { CFG_SMETER_SDM630, CFG_SMETER_ABB_B23, CFG_SMETER_CUSTOM };
enum cfg_meter_function { CFG_MFN_INPUT, CFG_MFN_HOLDING };

/* ChangeConfiguration.conf status values. */
enum cfg_status {
	CFG_ACCEPTED,
	CFG_REJECTED,
	CFG_REBOOT_REQUIRED,
	CFG_NOT_SUPPORTED,
};

/* Longest value text, NUL included (CiString500). */
#define CFG_VALUE_MAX (CP_MAX_CONFIG_VALUE + 1)

/* Bytes of value text held by one registry: stored and effective copies of
 * every writable key.  cfg_init() asserts the table fits. */
#ifndef CFG_POOL_SIZE
#define CFG_POOL_SIZE 24576
#endif

struct cfg;

/*
 * Persistence.  The daemon wires it to SQLite; tests to a fake that can fail.
 * Keys are passed by canonical name, values as canonical text.
 *   load: copy the stored value into buf (n bytes, NUL-terminated);
 *         0 = found, -ENOENT = never stored, other negative errno = I/O error.
 *   save: 0 or a negative errno; a failure leaves the registry unchanged.
 */
struct cfg_store_ops {
	int (*load)(void *ctx, const char *key, char *buf, size_t n);
	int (*save)(void *ctx, const char *key, const char *value);
};

/* Called after a live change is stored (never for RebootRequired ones). */
typedef void (*cfg_listener_fn)(void *ctx, enum cfg_id id);

/* One row of the table.  Public so tools/ and tests/ can walk it. */
struct cfg_key {
	const char *name;
	const char *aliases[3];		/* accepted on input, NULL-terminated */
	enum cfg_type type;
	enum cfg_access access;
	enum cfg_profile profile;
	unsigned feature;		/* licensed feature the key belongs to (doc) */
	unsigned gate;			/* feature that must be unlocked to switch On */
	enum cfg_apply apply;		/* writable keys: how a change takes effect */
	const char *applied_by;		/* the code that applies it (LIVE, RESTART),
					 * what the value is for (STORED), or what it
					 * waits for (NONE); shown in the README */
	bool optional;			/* may hold no value; "" clears it */
	bool hashed;			/* a password: stored as its salted hash (secret.h) */
	int64_t min, max;		/* INT: value range; AMPS: mA range;
					 * STRING: length range; CSV: max items
					 * when no max_len_key */
	enum cfg_id max_len_key;	/* CSV: key holding the item limit; 0 (never
					 * a length key) = use max */
	const char *const *values;	/* ENUM values / CSV vocabulary, NULL-terminated */
	const char *const *value_aliases; /* ENUM: pairs "input", "canonical", NULL */
	enum cfg_bound bound;		/* AMPS: upper bound from the topology */
	/* Extra validation of a parsed value (cross-key, formats).  Returns 0 or
	 * writes a reason into why (n bytes) and returns -EINVAL. */
	int (*check)(const struct cfg *cfg, enum cfg_id id, int64_t num,
		     const char *text, char *why, size_t n);
	const char *def;		/* default text; NULL = no value */
	const char *def_doc;		/* README text for a dynamic default */
	const char *example;		/* a valid value other than the default */
	const char *doc;		/* one sentence for the README */
};

/* The table, indexed by enum cfg_id. */
extern const struct cfg_key cfg_table[CFG__COUNT];

struct cfg_slot {
	int64_t num;		/* canonical number: bool 0/1, int, mA, enum index, IPv4 */
	int64_t eff_num;	/* what the running daemon uses (differs after RebootRequired) */
	uint16_t off, eff_off;	/* text offsets into pool */
	uint16_t cap;		/* bytes reserved for each text copy */
	bool set, eff_set;	/* holds an explicit value (stored or provisioned) */
	bool stored;		/* the store had a value at init (for --config) */
};

struct cfg {
	const struct cfg_store_ops *ops;
	void *ops_ctx;
	cfg_listener_fn listener;
	void *listener_ctx;
	int n_connectors;
	char cp_id[64];
	unsigned unlocked;		/* effective license mask, fixed until restart */
	char unlocked_text[16];		/* the same as UnlockedFeatures shows it */
	char err[160];			/* reason of the last refusal */
	/* The transport of --url, for SecurityProfile: 0 not known yet
	 * (unit tests), 1 ws://, 2 wss://. */
	int transport;
	/* What the station has that a higher SecurityProfile needs
	 * (cfg_set_security_assets). */
	bool sec_trusted_root, sec_client_cert;
	bool provisioning;		/* inside cfg_provision_text */
	struct cfg_slot slot[CFG__COUNT];
	char pool[CFG_POOL_SIZE];
};

/*
 * Set up the registry: defaults, then every stored value through ops->load,
 * then the license check.  n_connectors is --connectors (1..CP_MAX_CONNECTORS),
 * charge_point_id the identity the license is bound to.  ops may be NULL (no
 * persistence).  Returns 0, -EINVAL for bad arguments, or the load error.
 * A stored value that no longer validates is logged and ignored.
 */
int cfg_init(struct cfg *cfg, const struct cfg_store_ops *ops, void *ctx,
	     int n_connectors, const char *charge_point_id);

/* Tells the registry whether the central system is reached over TLS, so that
 * a SecurityProfile the connection cannot honour is Rejected (security
 * profiles 2 and 3 are TLS only). */
#define CFG_TRANSPORT_PLAIN 1
#define CFG_TRANSPORT_TLS 2
void cfg_set_transport(struct cfg *cfg, int transport);
/* What the station holds for SecurityProfile's prerequisites (security
 * whitepaper: profile 2 needs a trusted Central System root, profile 3 a
 * client certificate); station/security keeps it current. */
void cfg_set_security_assets(struct cfg *cfg, bool trusted_root, bool client_cert);
/* The station's own fall-back after a raised SecurityProfile could not
 * connect: stores profile although it is lower (the one rule a Central
 * System cannot break), without calling the listener.  0 or the store's
 * error. */
int cfg_security_fallback(struct cfg *cfg, int profile);

/*
 * --config FILE: `Key=Value` lines (blank lines and `#` comments ignored,
 * blanks around key and value trimmed).  A key is set only when the store had
 * no value for it at cfg_init, so a reboot never undoes a remote change;
 * provisioning-only keys (LicensePublicKey) are allowed, derived and fixed keys
 * are not.  Values set here take effect at once (this is first boot).  The
 * whole file is checked before anything is stored: on error nothing is
 * applied, cfg_error() names the line, and -EINVAL (or fopen's negative
 * errno) is returned.  The listener is not called (nothing runs yet).
 */
int cfg_provision_file(struct cfg *cfg, const char *path);
/* The same for text already in memory (name is used in messages). */
int cfg_provision_text(struct cfg *cfg, const char *text, const char *name);

/* ChangeConfiguration.  key may be an alias; cfg_error() tells why a change
 * was Rejected. */
enum cfg_status cfg_change(struct cfg *cfg, const char *key, const char *value);
const char *cfg_status_name(enum cfg_status st);	/* "Accepted", ... */
const char *cfg_error(const struct cfg *cfg);

/*
 * GetConfiguration for one requested key (name or alias, any case).  Writes
 * the canonical value text to buf (n >= CFG_VALUE_MAX always fits), *readonly
 * as OCPP reports it, and returns the row's id, or -ENOENT for an unknown or
 * write-only key (both go to unknownKey).  Answer under the name the operator
 * used.
 */
int cfg_get_by_name(const struct cfg *cfg, const char *name, char *buf,
		    size_t n, bool *readonly);

/* GetConfiguration without a key list: every readable key in table order.
 * value is valid during the call only.  A non-zero return stops the walk and
 * is returned. */
typedef int (*cfg_visit_fn)(void *ctx, const char *name, const char *value,
			    bool readonly);
int cfg_foreach_readable(const struct cfg *cfg, cfg_visit_fn fn, void *ctx);

/* Canonical text of a key by id (stored value, as GetConfiguration shows it,
 * whatever the key's access).  Returns the length or a negative errno. */
int cfg_format(const struct cfg *cfg, enum cfg_id id, char *buf, size_t n);

/* Looks up a name or alias (any case); -ENOENT if unknown. */
int cfg_lookup(const char *name);

/*
 * Typed reads of the effective value (what the running daemon must use).
 * A key without a value reads as 0 / false / "" (check cfg_is_set()).
 * cfg_ma() of a connector or station current is clamped to the effective
 * rating (docs/station-model.md), so a lowered Station-RatedCurrent wins after restart.
 * cfg_str() points into cfg; valid until that key's next change.
 */
bool cfg_is_set(const struct cfg *cfg, enum cfg_id id);
int32_t cfg_int(const struct cfg *cfg, enum cfg_id id);
bool cfg_bool(const struct cfg *cfg, enum cfg_id id);
int32_t cfg_ma(const struct cfg *cfg, enum cfg_id id);
int cfg_enum(const struct cfg *cfg, enum cfg_id id);
uint32_t cfg_ipv4(const struct cfg *cfg, enum cfg_id id);	/* host order */
const char *cfg_str(const struct cfg *cfg, enum cfg_id id);

/* Effective license (fixed from cfg_init until restart).  With no
 * LicensePublicKey provisioned every feature is unlocked. */
bool cfg_feature_unlocked(const struct cfg *cfg, enum cfg_feature f);

void cfg_set_listener(struct cfg *cfg, cfg_listener_fn fn, void *ctx);

/* Names for the README generator and logs. */
const char *cfg_type_name(enum cfg_type t);
const char *cfg_access_name(enum cfg_access a);
const char *cfg_apply_name(enum cfg_apply a);
/* Whether GetConfiguration reports the key readonly (not RW, or not applied). */
bool cfg_key_readonly(const struct cfg_key *k);
const char *cfg_profile_name(enum cfg_profile p);

/* The README's key reference, generated from the table (tools/cfg-doc).
 * cfg_doc_write writes the section body; cfg_doc_replace returns in *out
 * (malloc'd, caller frees) readme with the text between the markers
 * replaced, or -ENOENT when the markers are missing. */
#define CFG_DOC_BEGIN "<!-- config-keys:begin -->"
#define CFG_DOC_END "<!-- config-keys:end -->"
int cfg_doc_write(FILE *out);
int cfg_doc_replace(const char *readme, char **out);

#endif
