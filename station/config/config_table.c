/*
 * config_table.c - every configuration key, described once.
 *
 * Read by the registry (config.c), the README generator (tools/cfg-doc) and
 * the table-driven tests.  Adding a key is adding an enum cfg_id and a row.
 * Every writable row says how it takes effect (.apply) and which code
 * applies it (.applied_by); a key no code applies yet is CFG_APPLY_NONE and
 * therefore read-only, so nothing answers Accepted and then does nothing.
 *
 * Defaults we picked where OCPP 1.6 leaves them to the vendor follow common
 * practice of deployed stations: HeartbeatInterval 300 s (the central system
 * usually overrides it in BootNotification.conf), MeterValueSampleInterval
 * 60 s, TransactionMessageAttempts 3 / RetryInterval 60 s (the worked example
 * of OCPP 1.6 4.7), ConnectionTimeOut 60 s, WebSocketPingInterval 60 s.
 */
#include "station/config/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "station/config/config_check.h"
#include "station/config/secret.h"

#define A(x) ((int64_t)((x) * 1000))	/* amperes -> mA for ranges */

/* OCPPStackVersion names the release; configure defines it. */
#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION must be defined (configure does)"
#endif

/* OCPP 1.6 7.31 Measurand, the vocabulary of the measurand CSV keys. */
static const char *const measurands[] = {
	"Current.Export", "Current.Import", "Current.Offered",
	"Energy.Active.Export.Register", "Energy.Active.Import.Register",
	"Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register",
	"Energy.Active.Export.Interval", "Energy.Active.Import.Interval",
	"Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval",
	"Frequency", "Power.Active.Export", "Power.Active.Import", "Power.Factor",
	"Power.Offered", "Power.Reactive.Export", "Power.Reactive.Import", "RPM",
	"SoC", "Temperature", "Voltage", NULL
};
/* What st_meter_sample() (station/meter.c) puts in a sampledValue; the
 * measurand lists accept no other. */
const char *const cfg_samplable_measurands[] = {
	"Energy.Active.Import.Register", "Current.Import", "Current.Offered",
	"Power.Active.Import", "Voltage", NULL
};
static const char *const phase_orders[] = {	/* SCN-PhaseMapping order 1..9 */
	"L1", "L2", "L3", "L1L2L3", "L1L3L2", "L2L1L3", "L2L3L1", "L3L1L2",
	"L3L2L1", NULL
};
static const char *const alb_protocols[] = {
	"DSMR4.x/SMR5.0 (P1)", "Modbus TCP/IP", NULL
};
static const char *const p1_modes[] = { "DSMR4.x/5.x", "DSMR2.2/3", NULL };
static const char *const suspend_modes[] = {
	"DSMR P1", "SuspendOnClose", "SuspendOnOpen", NULL
};
/* The vendor's long spellings map to the short canonical ones. */
static const char *const suspend_aliases[] = {
	"Suspend on closing external circuit", "SuspendOnClose",
	"Suspend on opening external circuit", "SuspendOnOpen",
	NULL
};
static const char *const meter_models[] = { "None", "Socomec", NULL };
static const char *const modbus_conns[] = {
	"TCP-master", "RTU-master", "UDP-master", NULL
};
static const char *const ems_modes[] = { "Off", "socket", "SCN", NULL };
static const char *const sc_modes[] = { "None", "OCPP1.5+", NULL };
static const char *const meter_parities[] = { "N", "E", "O", NULL };
static const char *const meter_parity_aliases[] = {
	"None", "N", "Even", "E", "Odd", "O", NULL
};
static const char *const socket_meters[] = { "SDM630", "ABB-B23", "Custom", NULL };
static const char *const meter_functions[] = { "Input", "Holding", NULL };

/* String length ranges. */
#define STR(lo, hi) .min = (lo), .max = (hi)

const struct cfg_key cfg_table[CFG__COUNT] = {
	/* ---- Core ---- */
	[CFG_ALLOW_OFFLINE_TX_FOR_UNKNOWN_ID] = {
		.name = "AllowOfflineTxForUnknownId", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "False",
		.example = "True",
		.doc = "Start a transaction offline for an idTag that is not known locally.",
		.apply = CFG_APPLY_LIVE, .applied_by = "offline authorization",
	},
	[CFG_AUTHORIZATION_CACHE_ENABLED] = {
		.name = "AuthorizationCacheEnabled", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "True",
		.example = "False",
		.doc = "Remember the result of Authorize and transaction answers.",
		.apply = CFG_APPLY_LIVE, .applied_by = "authorization",
	},
	[CFG_AUTHORIZE_REMOTE_TX_REQUESTS] = {
		.name = "AuthorizeRemoteTxRequests", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "False",
		.example = "True",
		.doc = "Send Authorize before a RemoteStartTransaction is started.",
		.apply = CFG_APPLY_LIVE, .applied_by = "remote start",
	},
	[CFG_BLINK_REPEAT] = {
		.name = "BlinkRepeat", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_CORE, .min = 0, .max = 100, .def = "3",
		.example = "5",
		.doc = "Times the lights blink when they signal something.",
		.apply = CFG_APPLY_NONE, .applied_by = "lights, which this station does not have",
	},
	[CFG_CLOCK_ALIGNED_DATA_INTERVAL] = {
		.name = "ClockAlignedDataInterval", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0, .max = 86400,
		.def = "0", .example = "900",
		.doc = "Seconds between clock-aligned meter values (0 = off).",
		.apply = CFG_APPLY_LIVE, .applied_by = "clock-aligned meter values (timer re-armed)",
	},
	[CFG_CONNECTION_TIMEOUT] = {
		.name = "ConnectionTimeOut", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_CORE, .min = 1, .max = 3600, .def = "60",
		.example = "120",
		.doc = "Seconds after authorization within which the cable must be plugged in.",
		.apply = CFG_APPLY_LIVE, .applied_by = "authorization (the next plug-in wait)",
	},
	[CFG_CONNECTOR_PHASE_ROTATION] = {
		.name = "ConnectorPhaseRotation", .type = CFG_T_CSV,
		.access = CFG_RW, .profile = CFG_P_CORE,
		.max_len_key = CFG_CONNECTOR_PHASE_ROTATION_MAX_LENGTH,
		.check = cfg_check_phase_rotation, .def = "0.RST",
		.example = "0.RST,1.TSR",
		.doc = "Phase rotation per connector (`<connector>.<RST|RTS|SRT|STR|TRS|TSR|Unknown|NotApplicable>`).",
		.apply = CFG_APPLY_STORED, .applied_by = "information for the central system",
	},
	[CFG_CONNECTOR_PHASE_ROTATION_MAX_LENGTH] = {
		.name = "ConnectorPhaseRotationMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CFG_PHASE_ROTATION_ITEMS),
		.doc = "Most items in ConnectorPhaseRotation (connector 0 and each socket).",
	},
	[CFG_GET_CONFIGURATION_MAX_KEYS] = {
		.name = "GetConfigurationMaxKeys", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CP_MAX_GETCONFIG_KEYS),
		.doc = "Most keys one GetConfiguration request may name.",
	},
	[CFG_HEARTBEAT_INTERVAL] = {
		.name = "HeartbeatInterval", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_CORE, .min = 0, .max = 86400, .def = "300",
		.example = "60",
		.doc = "Seconds between Heartbeats when idle (0 = none); BootNotification.conf sets it too. Applies at once.",
		.apply = CFG_APPLY_LIVE, .applied_by = "heartbeat timer (re-armed)",
	},
	[CFG_LIGHT_INTENSITY] = {
		.name = "LightIntensity", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_CORE, .min = 0, .max = 100, .def = "100",
		.example = "50",
		.doc = "Brightness of the lights in percent.",
		.apply = CFG_APPLY_NONE, .applied_by = "lights, which this station does not have",
	},
	[CFG_LOCAL_AUTHORIZE_OFFLINE] = {
		.name = "LocalAuthorizeOffline", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "True",
		.example = "False",
		.doc = "Offline, accept idTags valid in the local list or cache.",
		.apply = CFG_APPLY_LIVE, .applied_by = "offline authorization",
	},
	[CFG_LOCAL_PRE_AUTHORIZE] = {
		.name = "LocalPreAuthorize", .type = CFG_T_BOOL, .access = CFG_RW,
		.profile = CFG_P_CORE, .def = "False", .example = "True",
		.doc = "Online, start at once for idTags valid in the local list or cache.",
		.apply = CFG_APPLY_LIVE, .applied_by = "authorization",
	},
	[CFG_MAX_ENERGY_ON_INVALID_ID] = {
		.name = "MaxEnergyOnInvalidId", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0,
		.max = 2147483647, .def = "0", .example = "1000",
		.doc = "Wh a transaction may still draw, counted from its meterStart, once StartTransaction.conf refuses its idTag and StopTransactionOnInvalidId is false; then energy delivery stops (SuspendedEVSE). 0 = none.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle (a transaction whose idTag was refused)",
	},
	[CFG_METER_VALUES_ALIGNED_DATA] = {
		.name = "MeterValuesAlignedData", .type = CFG_T_CSV,
		.access = CFG_RW, .profile = CFG_P_CORE, .values = measurands,
		.check = cfg_check_measurands,
		.max_len_key = CFG_METER_VALUES_ALIGNED_DATA_MAX_LENGTH,
		.def = "Energy.Active.Import.Register",
		.example = "Energy.Active.Import.Register,Voltage",
		.doc = "Measurands of clock-aligned MeterValues.",
		.apply = CFG_APPLY_LIVE, .applied_by = "clock-aligned meter values",
	},
	[CFG_METER_VALUES_ALIGNED_DATA_MAX_LENGTH] = {
		.name = "MeterValuesAlignedDataMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CP_MAX_MEASURANDS),
		.doc = "Most measurands in MeterValuesAlignedData.",
	},
	[CFG_METER_VALUES_SAMPLED_DATA] = {
		.name = "MeterValuesSampledData", .type = CFG_T_CSV,
		.access = CFG_RW, .profile = CFG_P_CORE, .values = measurands,
		.check = cfg_check_measurands,
		.max_len_key = CFG_METER_VALUES_SAMPLED_DATA_MAX_LENGTH,
		.def = "Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage",
		.example = "Energy.Active.Import.Register,Voltage",
		.doc = "Measurands of periodic transaction MeterValues.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transaction meter values",
	},
	[CFG_METER_VALUES_SAMPLED_DATA_MAX_LENGTH] = {
		.name = "MeterValuesSampledDataMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CP_MAX_MEASURANDS),
		.doc = "Most measurands in MeterValuesSampledData.",
	},
	[CFG_METER_VALUE_SAMPLE_INTERVAL] = {
		.name = "MeterValueSampleInterval", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0, .max = 86400,
		.def = "60", .example = "10",
		.doc = "Seconds between transaction MeterValues (0 = none). Applies at once.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transaction meter values (timer re-armed)",
	},
	[CFG_MINIMUM_STATUS_DURATION] = {
		.name = "MinimumStatusDuration", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0, .max = 3600,
		.def = "0", .example = "5",
		.doc = "Seconds a status must last before StatusNotification is sent.",
		.apply = CFG_APPLY_LIVE, .applied_by = "StatusNotification",
	},
	[CFG_NUMBER_OF_CONNECTORS] = {
		.name = "NumberOfConnectors", .type = CFG_T_INT,
		.access = CFG_DERIVED, .profile = CFG_P_CORE,
		.def_doc = "`--connectors`",
		.doc = "Sockets of this station, from the command line.",
	},
	[CFG_RESET_RETRIES] = {
		.name = "ResetRetries", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_CORE, .min = 0, .max = 0, .def = "0",
		.doc = "Times a failed reset is retried: 0, the only value taken, because a reset restarts the daemon in place and there is nothing to retry (RW as OCPP 1.6 §9.1 requires).",
		.apply = CFG_APPLY_STORED, .applied_by = "describes the station: a reset is not retried",
	},
	[CFG_STOP_TRANSACTION_ON_EV_SIDE_DISCONNECT] = {
		.name = "StopTransactionOnEVSideDisconnect", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "True",
		.example = "False",
		.doc = "Unplugging at the EV stops the transaction.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transactions",
	},
	[CFG_STOP_TRANSACTION_ON_INVALID_ID] = {
		.name = "StopTransactionOnInvalidId", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "True",
		.example = "False",
		.doc = "Stop a transaction whose idTag StartTransaction.conf did not accept.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transactions",
	},
	[CFG_STOP_TXN_ALIGNED_DATA] = {
		.name = "StopTxnAlignedData", .type = CFG_T_CSV, .access = CFG_RW,
		.profile = CFG_P_CORE, .values = measurands,
		.check = cfg_check_measurands,
		.max_len_key = CFG_STOP_TXN_ALIGNED_DATA_MAX_LENGTH, .def = "",
		.example = "Energy.Active.Import.Register",
		.doc = "Clock-aligned measurands in StopTransaction.transactionData.",
		.apply = CFG_APPLY_LIVE, .applied_by = "StopTransaction",
	},
	[CFG_STOP_TXN_ALIGNED_DATA_MAX_LENGTH] = {
		.name = "StopTxnAlignedDataMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CP_MAX_MEASURANDS),
		.doc = "Most measurands in StopTxnAlignedData.",
	},
	[CFG_STOP_TXN_SAMPLED_DATA] = {
		.name = "StopTxnSampledData", .type = CFG_T_CSV, .access = CFG_RW,
		.profile = CFG_P_CORE, .values = measurands,
		.check = cfg_check_measurands,
		.max_len_key = CFG_STOP_TXN_SAMPLED_DATA_MAX_LENGTH, .def = "",
		.example = "Energy.Active.Import.Register",
		.doc = "Sampled measurands in StopTransaction.transactionData.",
		.apply = CFG_APPLY_LIVE, .applied_by = "StopTransaction",
	},
	[CFG_STOP_TXN_SAMPLED_DATA_MAX_LENGTH] = {
		.name = "StopTxnSampledDataMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = CFG_STR_OF(CP_MAX_MEASURANDS),
		.doc = "Most measurands in StopTxnSampledData.",
	},
	[CFG_SUPPORTED_FEATURE_PROFILES] = {
		.name = "SupportedFeatureProfiles", .type = CFG_T_CSV,
		.access = CFG_R, .profile = CFG_P_CORE,
		.def = "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger",
		.doc = "The OCPP 1.6 feature profiles this station offers.",
	},
	[CFG_SUPPORTED_FEATURE_PROFILES_MAX_LENGTH] = {
		.name = "SupportedFeatureProfilesMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_CORE, .def = "6",
		.doc = "Items in SupportedFeatureProfiles at most.",
	},
	[CFG_TRANSACTION_MESSAGE_ATTEMPTS] = {
		.name = "TransactionMessageAttempts", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 1, .max = 10,
		.def = "3", .example = "5",
		.doc = "Times a transaction message is sent when the central system fails to process it.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transaction message retries",
	},
	[CFG_TRANSACTION_MESSAGE_RETRY_INTERVAL] = {
		.name = "TransactionMessageRetryInterval", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0, .max = 86400,
		.def = "60", .example = "30",
		.doc = "Seconds before the first retry; the n-th retry waits n times as long.",
		.apply = CFG_APPLY_LIVE, .applied_by = "transaction message retries",
	},
	[CFG_UNLOCK_CONNECTOR_ON_EV_SIDE_DISCONNECT] = {
		.name = "UnlockConnectorOnEVSideDisconnect", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_CORE, .def = "True",
		.example = "False",
		.doc = "Unlock the cable at the station when it is unplugged at the EV.",
		.apply = CFG_APPLY_LIVE, .applied_by = "connector lock",
	},
	[CFG_WEB_SOCKET_PING_INTERVAL] = {
		.name = "WebSocketPingInterval", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_CORE, .min = 0, .max = 3600,
		.def = "60", .example = "30",
		.doc = "Seconds between websocket pings (0 = none); real time, not scaled.",
		.apply = CFG_APPLY_LIVE, .applied_by = "websocket pings",
	},

	/* ---- LocalAuthListManagement ---- */
	[CFG_LOCAL_AUTH_LIST_ENABLED] = {
		.name = "LocalAuthListEnabled", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_LOCAL_AUTH, .def = "True",
		.example = "False",
		.doc = "Use the local authorization list.",
		.apply = CFG_APPLY_LIVE, .applied_by = "authorization",
	},
	[CFG_LOCAL_AUTH_LIST_MAX_LENGTH] = {
		.name = "LocalAuthListMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_LOCAL_AUTH,
		.def = CFG_STR_OF(CP_MAX_LOCAL_LIST),
		.doc = "Most idTags in the local authorization list.",
	},
	[CFG_SEND_LOCAL_LIST_MAX_LENGTH] = {
		.name = "SendLocalListMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_LOCAL_AUTH,
		.def = CFG_STR_OF(CP_MAX_SEND_LOCAL_LIST),
		.doc = "Most idTags in one SendLocalList request.",
	},

	/* ---- Reservation ---- */
	[CFG_RESERVE_CONNECTOR_ZERO_SUPPORTED] = {
		.name = "ReserveConnectorZeroSupported", .type = CFG_T_BOOL,
		.access = CFG_R, .profile = CFG_P_RESERVATION, .def = "True",
		.doc = "A reservation for connector 0 (any socket) is possible.",
	},

	/* ---- SmartCharging (docs/limits.md) ---- */
	[CFG_CHARGE_PROFILE_MAX_STACK_LEVEL] = {
		.name = "ChargeProfileMaxStackLevel", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_SMART_CHARGING,
		.def = CFG_STR_OF(CP_MAX_STACK_LEVEL),
		.doc = "Highest stackLevel of a charging profile.",
	},
	[CFG_CHARGING_SCHEDULE_ALLOWED_CHARGING_RATE_UNIT] = {
		.name = "ChargingScheduleAllowedChargingRateUnit",
		.type = CFG_T_CSV, .access = CFG_R,
		.profile = CFG_P_SMART_CHARGING, .def = "Current,Power",
		.doc = "Units a charging schedule may use.",
	},
	[CFG_CHARGING_SCHEDULE_MAX_PERIODS] = {
		.name = "ChargingScheduleMaxPeriods", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_SMART_CHARGING,
		.def = CFG_STR_OF(CP_MAX_PERIODS),
		.doc = "Most periods in one charging schedule.",
	},
	[CFG_CONNECTOR_SWITCH_3_TO_1_PHASE_SUPPORTED] = {
		.name = "ConnectorSwitch3to1PhaseSupported", .type = CFG_T_BOOL,
		.access = CFG_R, .profile = CFG_P_SMART_CHARGING, .def = "False",
		.doc = "Switching a session from three phases to one is not offered.",
	},
	[CFG_MAX_CHARGING_PROFILES_INSTALLED] = {
		.name = "MaxChargingProfilesInstalled", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_SMART_CHARGING,
		.def = CFG_STR_OF(CP_MAX_PROFILES),
		.doc = "Most charging profiles installed at once.",
	},

	/* ---- FirmwareManagement ---- */
	[CFG_SUPPORTED_FILE_TRANSFER_PROTOCOLS] = {
		.name = "SupportedFileTransferProtocols", .type = CFG_T_CSV,
		.access = CFG_R, .profile = CFG_P_FIRMWARE,
		.def = "FTP,FTPS,HTTP,HTTPS",
		.doc = "URL schemes for firmware and diagnostics transfers.",
	},

	/* ---- Security whitepaper ---- */
	[CFG_ADDITIONAL_ROOT_CERTIFICATE_CHECK] = {
		.name = "AdditionalRootCertificateCheck", .type = CFG_T_BOOL,
		.access = CFG_R, .profile = CFG_P_SECURITY, .def = "False",
		.doc = "A new central system root certificate need not be signed by the old one.",
	},
	[CFG_AUTHORIZATION_KEY] = {
		.name = "AuthorizationKey", .type = CFG_T_STRING,
		.access = CFG_W, .profile = CFG_P_SECURITY, STR(16, 40),
		.check = cfg_check_authorization_key, .optional = true,
		.example = "0123456789abcdef0123456789abcdef",
		.doc = "HTTP Basic password for security profiles 1 and 2, as 16 to 40 hex digits (8 to 20 bytes). Write-only.",
		.apply = CFG_APPLY_LIVE, .applied_by = "websocket Basic auth (reconnects)",
	},
	[CFG_CERTIFICATE_SIGNED_MAX_CHAIN_SIZE] = {
		.name = "CertificateSignedMaxChainSize", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_SECURITY, .def = "10000",
		.doc = "Largest certificate chain in CertificateSigned, in bytes.",
	},
	[CFG_CERTIFICATE_STORE_MAX_LENGTH] = {
		.name = "CertificateStoreMaxLength", .type = CFG_T_INT,
		.access = CFG_R, .profile = CFG_P_SECURITY,
		.def = CFG_STR_OF(CP_MAX_CERTIFICATES),
		.doc = "Most installed root certificates.",
	},
	[CFG_CPO_NAME] = {
		.name = "CpoName", .type = CFG_T_STRING, .access = CFG_RW,
		.profile = CFG_P_SECURITY, STR(0, 64), .optional = true,
		.check = cfg_check_printable, .example = "ExampleCPO",
		.doc = "Organisation name put in certificate signing requests.",
		.apply = CFG_APPLY_LIVE, .applied_by = "certificate signing requests",
	},
	[CFG_SECURITY_PROFILE] = {
		.name = "SecurityProfile", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_SECURITY, .min = 0, .max = 3, .check = cfg_check_security_profile, .def = "0", .example = "1",
		.doc = "0 none, 1 ws + Basic, 2 wss + Basic, 3 wss + client certificate; may only be raised, 1 and 2 need an AuthorizationKey, 2 and 3 a wss:// URL and a trusted root (--ca-file or an installed CentralSystemRootCertificate), 3 a ChargePointCertificate. The station reconnects with the new profile and goes back to the previous one if it cannot connect within --security-fallback (docs/security.md).",
		.apply = CFG_APPLY_LIVE, .applied_by = "connection security (reconnects)",
	},

	/* ---- Vendor keys (the README key reference, docs/balancing.md) ---- */
	[CFG_FEATURE_LICENSE_KEY] = {
		.name = "FeatureLicenseKey", .type = CFG_T_STRING,
		.access = CFG_W, .profile = CFG_P_VENDOR, STR(1, LICENSE_KEY_MAX - 1), .optional = true,
		.check = cfg_check_license_key,
		.doc = "License key that unlocks SLB/ALB/SCN (see Feature licensing); write-only.",
		.apply = CFG_APPLY_RESTART, .applied_by = "feature licensing",
	},
	[CFG_UNLOCKED_FEATURES] = {
		.name = "UnlockedFeatures", .type = CFG_T_CSV,
		.access = CFG_DERIVED, .profile = CFG_P_VENDOR,
		.def_doc = "all without LicensePublicKey",
		.doc = "Features the license unlocks, e.g. `SLB,ALB,SCN`; ALB implies SLB, SCN implies both.",
	},
	[CFG_STATION_MAX_CURRENT] = {
		.name = "Station-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SLB, .min = 0, .max = A(160),
		.bound = CFG_B_STATION,
		.def_doc = "Station-RatedCurrent × Station-Feeds",
		.example = "20.0",
		.doc = "Per-phase limit of the whole station; also the SLB budget.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_CONNECTOR1_MAX_CURRENT] = {
		.name = "Connector1-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = 0,
		.max = A(80), .bound = CFG_B_RATING,
		.def_doc = "Station-RatedCurrent", .example = "16.0",
		.doc = "Limit of socket 1.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_CONNECTOR2_MAX_CURRENT] = {
		.name = "Connector2-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = 0,
		.max = A(80), .bound = CFG_B_RATING,
		.def_doc = "Station-RatedCurrent", .example = "16.0",
		.doc = "Limit of socket 2.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_CONNECTOR1_2_MAX_CURRENT] = {
		.name = "Connector1.2-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = 0,
		.max = A(80), .bound = CFG_B_RATING,
		.def_doc = "Station-RatedCurrent", .example = "25.0",
		.doc = "Second limit of socket 1, for the second feed of a dual-cable station; socket 1 takes the lower of this and Connector1-MaxCurrent.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_CONNECTOR2_2_MAX_CURRENT] = {
		.name = "Connector2.2-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = 0,
		.max = A(80), .bound = CFG_B_RATING,
		.def_doc = "Station-RatedCurrent", .example = "25.0",
		.doc = "Second limit of socket 2, for the second feed of a dual-cable station; socket 2 takes the lower of this and Connector2-MaxCurrent.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_CHAMELEON_MIN_CURRENT] = {
		.name = "Chameleon-MinCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = A(6),
		.max = A(80), .bound = CFG_B_RATING, .def = "14.0",
		.example = "6.0",
		.doc = "Probing current (docs/balancing.md); below 14 A an EV that needs 14 A is neither detected nor charged.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle (the next probing)",
	},
	[CFG_PHASE_CONNECTED] = {
		.name = "Phase-Connected", .type = CFG_T_ENUM, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .values = phase_orders, .def = "L1L2L3",
		.example = "L2L3L1",
		.doc = "Grid phases of supply-cable conductors 1, 2, 3 (docs/balancing.md).",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_STATIC_LOAD_BALANCING] = {
		.name = "Static-LoadBalancing", .type = CFG_T_SWITCH,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SLB, .gate = CFG_FEATURE_SLB,
		.def_doc = "On when 2 sockets share one feed, else Off",
		.example = "Off",
		.doc = "Standard load balancing: share Station-MaxCurrent over the sockets in use. Needs SLB.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_ACTIVE_LOAD_BALANCING] = {
		.name = "Active-LoadBalancing", .type = CFG_T_SWITCH,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .gate = CFG_FEATURE_ALB,
		.def = "Off", .example = "On",
		.doc = "Active load balancing from a meter or EMS. Needs ALB.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_ALB_PROTOCOL_SELECTION] = {
		.name = "ALB-ProtocolSelection", .type = CFG_T_ENUM,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .values = alb_protocols,
		.check = cfg_check_rj11, .optional = true, .example = "Modbus TCP/IP",
		.doc = "Meter protocol for ALB.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_DIRECT_EXTERNAL_SUSPEND_SIGNAL] = {
		.name = "DirectExternalSuspendSignal", .aliases = { "RJ11-Mode" },
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_VENDOR,
		.values = suspend_modes, .value_aliases = suspend_aliases,
		.check = cfg_check_rj11,
		.def = "DSMR P1", .example = "SuspendOnClose",
		.doc = "Use of the RJ11 port: DSMR P1 meter, or an external contact that suspends charging when closed / open (long forms `Suspend on closing external circuit` / `Suspend on opening external circuit` accepted). A contact is Rejected while ALB-ProtocolSelection is the P1 meter on the same port, and the other way round.",
		.apply = CFG_APPLY_LIVE, .applied_by = "suspend input",
	},
	[CFG_MBTCPSMART_IS_ENABLED] = {
		.name = "MBTCPSmart-IsEnabled",
		.aliases = { "MBTCPSSmart-IsEnabled" }, .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .def = "False", .example = "True",
		.doc = "Read the grid meter over Modbus TCP.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_SLAVE_METER_MODEL] = {
		.name = "MBTCPSmart-SlaveMeterModel",
		.aliases = { "MBTCP-Smart-SlaveMeter-Model",
			     "MBTCPSSmart-SlaveMeterModel" },
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .values = meter_models,
		.def = "Socomec", .example = "None",
		.doc = "Register map preset; None uses MBTCPSmart-CustomMap-L1..L3.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_CONNECTION_TYPE] = {
		.name = "MBTCPSmart-ConnectionType",
		.aliases = { "MBTCPSmart-Connection-Type",
			     "MBTCPSSmart-ConnectionType" },
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .values = modbus_conns,
		.check = cfg_check_modbus_conn, .def = "TCP-master",
		.doc = "Modbus transport; this build speaks TCP-master only, the others are Rejected.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_IP_ADDRESS] = {
		.name = "MBTCPSmart-IPAddress",
		.aliases = { "MBTCPSSmart-IPAddress" }, .type = CFG_T_IPV4,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .def = "192.168.0.5",
		.example = "10.0.0.20",
		.doc = "Address of the Modbus TCP meter (zero-padded input is decimal).",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_SLAVE_UNIT_ID] = {
		.name = "MBTCPSmart-SlaveUnitID",
		.aliases = { "MBTCPSSmart-SlaveUnitID" }, .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .min = 0, .max = 255,
		.check = cfg_check_unit_id, .def = "5", .example = "1",
		.doc = "Modbus unit id of the meter: 0-247 or 255 (one byte; the vendor's 0-65535 cannot be sent).",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBS_SLAVE_TCPIP] = {
		.name = "MbsSlaveTCPIP", .aliases = { "MbsSlaveTCP/IP" },
		.type = CFG_T_SWITCH, .access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .def = "Off", .example = "On",
		.doc = "EMS mode: the station is a Modbus TCP slave that takes setpoints.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the EMS Modbus TCP slave (restarted)",
	},
	[CFG_MBS_SLAVE_TCPIP_VALIDITY_TIME] = {
		.name = "MbsSlaveTCPIPValidityTime",
		.aliases = { "MbsSlaveTCP/IPValidity-Time" }, .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .min = 1, .max = 86400, .def = "60",
		.example = "120",
		.doc = "Seconds an EMS setpoint stays valid.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the EMS Modbus TCP slave (restarted)",
	},
	[CFG_MBS_SLAVE_TCPIP_MODE] = {
		.name = "MbsSlaveTCPIPMode", .type = CFG_T_ENUM,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .values = ems_modes, .def = "Off",
		.check = cfg_check_ems_mode, .example = "socket",
		.doc = "What EMS setpoints control: `socket` = each socket's maximum current (registers 1210 of units 1/2); `SCN` = the Smart Charging Network's budget per phase (registers 1417/1419/1421 of unit 200); `Off` = the EMS only reads.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the EMS Modbus TCP slave (restarted)",
	},
	[CFG_SAFE_MAX_CURRENT] = {
		.name = "Safe-MaxCurrent", .type = CFG_T_AMPS, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .feature = CFG_FEATURE_ALB, .min = 0,
		.max = A(160), .bound = CFG_B_STATION, .optional = true,
		.example = "10.0",
		.doc = "Station limit while meter or EMS data is lost.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_SMART_METER_MAX_CURRENT] = {
		.name = "SmartMeter-MaxCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .min = 0, .max = A(4000),
		.optional = true, .example = "40.0",
		.doc = "Grid connection limit per phase that ALB keeps the installation under.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_SMART_METER_INCLUDES_CHARGER] = {
		.name = "SmartMeterIncludesCharger", .type = CFG_T_BOOL,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_ALB, .def = "True", .example = "False",
		.doc = "The meter reading includes this station's own current.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_SMART_CHARGING_MODE] = {
		.name = "SmartChargingMode", .aliases = { "SmartCharging-Mode" },
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_VENDOR,
		.values = sc_modes, .def = "None", .example = "OCPP1.5+",
		.doc = "OCPP 1.5 smart charging compatibility (None for OCPP 1.6).",
		.apply = CFG_APPLY_NONE, .applied_by = "OCPP 1.5 smart charging",
	},
	[CFG_SCN_IS_ENABLED] = {
		.name = "SCN-IsEnabled", .type = CFG_T_BOOL, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .feature = CFG_FEATURE_SCN,
		.gate = CFG_FEATURE_SCN, .def = "False",
		.example = "True",
		.doc = "Join a Smart Charging Network. Needs SCN.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_NETWORK_NAME] = {
		.name = "SCN-NetworkName", .type = CFG_T_STRING,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SCN, STR(1, 7),
		.optional = true, .check = cfg_check_network_name,
		.example = "HOME01",
		.doc = "1-7 characters A-Z 0-9, identical on every member.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_SOCKET_ID] = {
		.name = "SCN-SocketID", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .feature = CFG_FEATURE_SCN,
		.min = 0, .max = CP_MAX_SCN_SOCKETS, .def = "0",
		.example = "4",
		.doc = "ID of socket 1 (socket 2 is ID + 1), unique in the SCN; lower IDs come first under SCN-TotalSafeCurrent.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_SOCKET_COUNT] = {
		.name = "SCN-SocketCount", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .feature = CFG_FEATURE_SCN,
		.min = 1, .max = CP_MAX_SCN_SOCKETS,
		.optional = true, .example = "6",
		.doc = "Sockets in the whole SCN.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_TOTAL_STATIC_CURRENT] = {
		.name = "SCN-TotalStaticCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SCN, .min = 0,
		.max = A(80) * CP_MAX_SCN_SOCKETS, .optional = true,
		.example = "40.0",
		.doc = "Static per-phase budget of the whole SCN.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_TOTAL_SAFE_CURRENT] = {
		.name = "SCN-TotalSafeCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SCN, .min = 0,
		.max = A(80) * CP_MAX_SCN_SOCKETS, .optional = true,
		.def_doc = "SCN-TotalStaticCurrent", .example = "24.0",
		.doc = "SCN budget while the meter or EMS data is lost.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_SOCKET_SAFE_CURRENT] = {
		.name = "SCN-SocketSafeCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_VENDOR,
		.feature = CFG_FEATURE_SCN, .min = 0, .max = A(80),
		.bound = CFG_B_RATING, .def = "6.0", .example = "8.0",
		.doc = "Per-socket limit while the station has lost its SCN peers.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_ALTERNATING_PERIOD] = {
		.name = "SCN-AlternatingPeriod", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_VENDOR, .min = 60,
		.max = 36000, .def = "900", .example = "600",
		.doc = "Seconds a paused socket waits when not every socket can charge (docs/balancing.md); also outside an SCN.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_SCN_PHASE_MAPPING_1] = {
		.name = "SCN-PhaseMapping-1", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .min = 1, .max = 9, .def = "4",
		.example = "7",
		.doc = "Feed of socket 1: 1=L1 2=L2 3=L3 4=L1L2L3 5=L1L3L2 6=L2L1L3 7=L2L3L1 8=L3L1L2 9=L3L2L1.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},
	[CFG_SCN_PHASE_MAPPING_2] = {
		.name = "SCN-PhaseMapping-2", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_VENDOR, .min = 0, .max = 9,
		.def_doc = "4 with two sockets, 0 with one", .example = "7",
		.doc = "Feed of socket 2, as SCN-PhaseMapping-1; 0 = no socket 2.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle",
	},

	/* ---- Our extension keys (docs/station-model.md, the README key reference) ---- */
	[CFG_STATION_PHASES] = {
		.name = "Station-Phases", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_STATION, .min = 1, .max = 3, .check = cfg_check_phases, .def = "3", .example = "1",
		.doc = "Phases of the supply: 1 or 3.",
		.apply = CFG_APPLY_RESTART, .applied_by = "station wiring (bounds every current for a whole run)",
	},
	[CFG_STATION_FEEDS] = {
		.name = "Station-Feeds", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_STATION, .min = 1, .max = 2, .def = "1", .example = "2",
		.doc = "Supply cables: 1 shared by the sockets, 2 one per socket.",
		.apply = CFG_APPLY_RESTART, .applied_by = "station wiring (bounds every current for a whole run)",
	},
	[CFG_STATION_NOMINAL_VOLTAGE] = {
		.name = "Station-NominalVoltage", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_STATION, .min = 100,
		.max = 500, .def = "230", .example = "240",
		.doc = "Phase voltage in V for conversions between W and A.",
		.apply = CFG_APPLY_LIVE, .applied_by = "control cycle (W to A)",
	},
	[CFG_STATION_RATED_CURRENT] = {
		.name = "Station-RatedCurrent", .type = CFG_T_AMPS,
		.access = CFG_RW, .profile = CFG_P_STATION, .min = A(6),
		.max = A(80), .def = "32.0", .example = "16.0",
		.doc = "Hardware rating per socket; bounds the connector and station currents.",
		.apply = CFG_APPLY_RESTART, .applied_by = "station wiring (bounds every current for a whole run)",
	},
	[CFG_MBTCPSMART_PORT] = {
		.name = "MBTCPSmart-Port", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_ALB, .min = 1,
		.max = 65535, .def = "502", .example = "1502",
		.doc = "TCP port of the Modbus meter.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_CUSTOM_MAP_L1] = {
		.name = "MBTCPSmart-CustomMap-L1", .type = CFG_T_STRING,
		.access = CFG_RW, .profile = CFG_P_STATION,
		.feature = CFG_FEATURE_ALB, STR(0, 40), .optional = true,
		.check = cfg_check_custom_map, .example = "50528,u32,0.001",
		.doc = "Current register of L1 when the model is None: `register,type,scale` with type u16/s16/u32/s32/u64/s64/f32.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_CUSTOM_MAP_L2] = {
		.name = "MBTCPSmart-CustomMap-L2", .type = CFG_T_STRING,
		.access = CFG_RW, .profile = CFG_P_STATION,
		.feature = CFG_FEATURE_ALB, STR(0, 40), .optional = true,
		.check = cfg_check_custom_map, .example = "50530,u32,0.001",
		.doc = "As -L1, for L2.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBTCPSMART_CUSTOM_MAP_L3] = {
		.name = "MBTCPSmart-CustomMap-L3", .type = CFG_T_STRING,
		.access = CFG_RW, .profile = CFG_P_STATION,
		.feature = CFG_FEATURE_ALB, STR(0, 40), .optional = true,
		.check = cfg_check_custom_map, .example = "50532,u32,0.001",
		.doc = "As -L1, for L3.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_MBS_SLAVE_TCPIP_PORT] = {
		.name = "MbsSlaveTCPIP-Port", .type = CFG_T_INT,
		.access = CFG_RW, .profile = CFG_P_STATION,
		.feature = CFG_FEATURE_ALB, .min = 1, .max = 65535,
		.def = "502", .example = "1502",
		.doc = "TCP port the EMS Modbus slave listens on.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the EMS Modbus TCP slave (restarted)",
	},
	[CFG_ALB_P1_DEVICE] = {
		.name = "ALB-P1Device", .type = CFG_T_STRING, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_ALB,
		STR(0, 255), .optional = true,
		.check = cfg_check_device_path, .example = "/dev/ttyUSB0",
		.doc = "Serial device of the DSMR P1 port.",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_ALB_P1_MODE] = {
		.name = "ALB-P1Mode", .type = CFG_T_ENUM, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_ALB, .values = p1_modes,
		.def = "DSMR4.x/5.x", .example = "DSMR2.2/3",
		.doc = "P1 line and telegram format: `DSMR4.x/5.x` = 115200 baud 8N1, CRC-16 checked; `DSMR2.2/3` = 9600 baud 7E1, no CRC (the telegram ends at `!`).",
		.apply = CFG_APPLY_LIVE, .applied_by = "active load balancing (meter restarted)",
	},
	[CFG_SCN_PORT] = {
		.name = "SCN-Port", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_SCN, .min = 1,
		.max = 65535, .def = "36549", .example = "36550",
		.doc = "UDP port of the SCN.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_MULTICAST_GROUP] = {
		.name = "SCN-MulticastGroup", .type = CFG_T_IPV4,
		.access = CFG_RW, .profile = CFG_P_STATION,
		.feature = CFG_FEATURE_SCN, .check = cfg_check_multicast, .def = "239.255.54.49",
		.example = "239.1.2.3",
		.doc = "IPv4 multicast group the SCN members talk on.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_PEER_TIMEOUT] = {
		.name = "SCN-PeerTimeout", .type = CFG_T_INT, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_SCN, .min = 1,
		.max = 3600, .def = "5", .example = "30",
		.doc = "Seconds of silence after which an SCN member counts as lost.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_AUTH_KEY] = {
		.name = "SCN-AuthKey", .type = CFG_T_STRING, .access = CFG_W,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_SCN,
		STR(0, 64), .optional = true, .check = cfg_check_secret,
		.example = "correct-horse-battery",
		.doc = "HMAC key of SCN frames, 16 to 64 printable characters; empty = frames unsigned. Write-only.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_SCN_INTERFACE] = {
		.name = "SCN-Interface", .type = CFG_T_STRING, .access = CFG_RW,
		.profile = CFG_P_STATION, .feature = CFG_FEATURE_SCN,
		STR(0, 31), .optional = true, .check = cfg_check_printable,
		.example = "127.0.0.1",
		.doc = "Interface the SCN talks on: its name or IPv4 address; empty = the interface of the default route.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the Smart Charging Network (membership restarted)",
	},
	[CFG_METER_DEVICE] = {
		.name = "Meter-Device",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 255), .optional = true, .check = cfg_check_device_path,
		.example = "/dev/ttyUSB0",
		.doc = "Serial device of the RS-485 bus of the socket energy meters (Modbus RTU, hw/README.md); `--hw linux` only; empty = no socket meters.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_BAUD] = {
		.name = "Meter-Baud",
		.type = CFG_T_INT, .access = CFG_RW, .profile = CFG_P_STATION,
		.min = 2400, .max = 115200, .check = cfg_check_meter_baud,
		.def = "9600", .example = "19200",
		.doc = "Speed of the meter bus: 2400, 4800, 9600, 19200, 38400, 57600 or 115200 baud; the default is the SDM630's factory setting.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_PARITY] = {
		.name = "Meter-Parity",
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_STATION,
		.values = meter_parities, .value_aliases = meter_parity_aliases,
		.def = "N", .example = "E",
		.doc = "Parity of the meter bus: `N` (none, sent with 2 stop bits, which a meter set to 1 reads as well), `E` (even) or `O` (odd), 8 data bits; the default is the SDM630's factory setting. Set it and Meter-Baud to what the meters are set to.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_MODEL] = {
		.name = "Meter-Model",
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_STATION,
		.values = socket_meters, .def = "SDM630", .example = "ABB-B23",
		.doc = "Register map of the socket meters: `SDM630` (Eastron, input registers, floats), `ABB-B23` (holding registers, integers) or `Custom` (Meter-CustomMap-*).",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_UNIT_ID_1] = {
		.name = "Meter-UnitID-1",
		.type = CFG_T_INT, .access = CFG_RW, .profile = CFG_P_STATION,
		.min = 1, .max = 247, .check = cfg_check_meter_unit,
		.def = "1", .example = "11",
		.doc = "Modbus address (1-247) of socket 1's meter; the two meters need different ones.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_UNIT_ID_2] = {
		.name = "Meter-UnitID-2",
		.type = CFG_T_INT, .access = CFG_RW, .profile = CFG_P_STATION,
		.min = 1, .max = 247, .check = cfg_check_meter_unit,
		.def = "2", .example = "12",
		.doc = "Modbus address (1-247) of socket 2's meter.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_FUNCTION] = {
		.name = "Meter-CustomMap-Function",
		.type = CFG_T_ENUM, .access = CFG_RW, .profile = CFG_P_STATION,
		.values = meter_functions, .def = "Input", .example = "Holding",
		.doc = "With Meter-Model Custom: read `Input` registers (function 04) or `Holding` registers (function 03).",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_CURRENT_L1] = {
		.name = "Meter-CustomMap-Current-L1",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "6,f32,1",
		.doc = "With Meter-Model Custom: `register,type,scale` of the current of L1, scale to amperes (the grammar of MBTCPSmart-CustomMap-L1); needed.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_CURRENT_L2] = {
		.name = "Meter-CustomMap-Current-L2",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "8,f32,1",
		.doc = "As -L1, for L2; empty = not read (a one-phase meter).",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_CURRENT_L3] = {
		.name = "Meter-CustomMap-Current-L3",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "10,f32,1",
		.doc = "As -L1, for L3; empty = not read (a one-phase meter).",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_VOLTAGE_L1] = {
		.name = "Meter-CustomMap-Voltage-L1",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "0,f32,1",
		.doc = "With Meter-Model Custom: the voltage of L1 to neutral, scale to volts; empty = not read.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_VOLTAGE_L2] = {
		.name = "Meter-CustomMap-Voltage-L2",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "2,f32,1",
		.doc = "As -L1, for L2.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_VOLTAGE_L3] = {
		.name = "Meter-CustomMap-Voltage-L3",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "4,f32,1",
		.doc = "As -L1, for L3.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_POWER] = {
		.name = "Meter-CustomMap-Power",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "52,f32,1",
		.doc = "With Meter-Model Custom: the total active power, scale to watts; empty = not read.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_METER_CUSTOM_ENERGY] = {
		.name = "Meter-CustomMap-Energy",
		.type = CFG_T_STRING, .access = CFG_RW, .profile = CFG_P_STATION,
		STR(0, 40), .optional = true, .check = cfg_check_custom_map,
		.example = "72,f32,1",
		.doc = "With Meter-Model Custom: the active import energy register, scale to kWh (read into Wh); needed.",
		.apply = CFG_APPLY_LIVE, .applied_by = "the socket meters (bus restarted)",
	},
	[CFG_INSTALLER_PASSWORD] = {
		.name = "Installer-Password", .type = CFG_T_STRING, .access = CFG_W,
		.profile = CFG_P_VENDOR, STR(0, SECRET_TEXT_MAX), .optional = true, .hashed = true,
		.check = cfg_check_installer_password, .example = "installer-pw-1",
		.doc = "Password of the installer page and its HTTP API (user `installer`, docs/http.md), 8 to 64 printable characters; stored as a salted PBKDF2 hash, write-only; empty = no password (`--http` then refuses to start).",
		.apply = CFG_APPLY_LIVE, .applied_by = "the installer page's Basic authentication",
	},
	[CFG_LICENSE_PUBLIC_KEY] = {
		.name = "LicensePublicKey", .type = CFG_T_STRING,
		.access = CFG_PROVISION, .profile = CFG_P_STATION,
		STR(0, LICENSE_B64KEY_MAX - 1), .optional = true,
		.check = cfg_check_public_key,
		.doc = "Vendor Ed25519 public key that license keys are checked against; only `--config` sets it; empty = every feature unlocked.",
		.apply = CFG_APPLY_RESTART, .applied_by = "feature licensing",
	},
	[CFG_OCPP_STACK_VERSION] = {
		.name = "OCPPStackVersion", .type = CFG_T_STRING,
		.access = CFG_R, .profile = CFG_P_STATION, STR(0, 64),
		.def = "1.6J ocpp-cp " PACKAGE_VERSION,
		.def_doc = "`1.6J ocpp-cp <version>`",
		.doc = "The OCPP version spoken (1.6 over JSON) and this stack's name and version.",
	},
};
