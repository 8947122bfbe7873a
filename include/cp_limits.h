/*
 * cp_limits.h - every fixed limit of the stack, declared once.
 *
 * Each limit is a compile-time option with a default (override with
 * -DCP_MAX_...=N at configure time).  Arrays are sized by these numbers; data
 * that exceeds them is rejected with a protocol answer, never truncated and
 * never a crash.
 */
#ifndef CP_LIMITS_H
#define CP_LIMITS_H

/* Sockets per station.  The product has one or two outlets (--connectors). */
#ifndef CP_MAX_CONNECTORS
#define CP_MAX_CONNECTORS 2
#endif

/* Installed charging profiles: advertised as MaxChargingProfilesInstalled
 * (docs/limits.md).  A 46th profile is Rejected. */
#ifndef CP_MAX_PROFILES
#define CP_MAX_PROFILES 45
#endif

/* Periods per charging schedule: ChargingScheduleMaxPeriods (docs/limits.md). */
#ifndef CP_MAX_PERIODS
#define CP_MAX_PERIODS 100
#endif

/* Periods in one composite schedule (GetCompositeSchedule.conf).  A 7-day
 * window over daily profiles of CP_MAX_PERIODS periods each has 700 boundaries
 * per profile; 4096 keeps such answers whole (about 40 bytes of JSON each).
 * A composite that needs more is answered Rejected, never truncated. */
#ifndef CP_MAX_COMPOSITE_PERIODS
#define CP_MAX_COMPOSITE_PERIODS 4096
#endif

/* Highest stackLevel accepted: ChargeProfileMaxStackLevel (docs/limits.md). */
#ifndef CP_MAX_STACK_LEVEL
#define CP_MAX_STACK_LEVEL 15
#endif

/* Sockets in one Smart Charging Network (docs/balancing.md). */
#ifndef CP_MAX_SCN_SOCKETS
#define CP_MAX_SCN_SOCKETS 128
#endif

/* Budget nodes the allocator shares current under (per grid phase): a grid
 * or meter budget, at most one per station and one per supply cable, and an
 * SCN of CP_MAX_SCN_SOCKETS sockets has at most that many of each (a cable
 * feeds at least one socket); a few spare for EMS levels. */
#ifndef CP_MAX_SC_BUDGETS
#define CP_MAX_SC_BUDGETS (2 * CP_MAX_SCN_SOCKETS + 4)
#endif

/* Levels from a socket up to its root budget: socket feed, station, SCN or
 * grid, meter/EMS; 8 leaves room and bounds the allocator's per-socket work. */
#ifndef CP_MAX_SC_DEPTH
#define CP_MAX_SC_DEPTH 8
#endif

/* Largest inbound websocket frame we buffer.  GetConfiguration of every key
 * and a SetChargingProfile of 100 periods fit with room to spare; anything
 * larger is answered with FormationViolation and dropped. */
#ifndef CP_MAX_FRAME
#define CP_MAX_FRAME (64 * 1024)
#endif

/* Nesting of an inbound frame's JSON.  The deepest OCPP 1.6 message is six
 * levels (the frame's array, the payload, csChargingProfiles,
 * chargingSchedule, chargingSchedulePeriod and one period), and every 1.6
 * schema forbids unknown properties, so nothing deeper can be valid (a
 * CALLRESULT's vendor properties are ignored, but only up to this depth).
 * Checked before parsing: cJSON recurses once per level when it parses,
 * prints and frees, and a 64 KB frame could otherwise nest 32 000 levels. */
#ifndef CP_MAX_JSON_DEPTH
#define CP_MAX_JSON_DEPTH 32
#endif

/* OCPP-J message ids are strings of at most 36 characters (OCPP-J 4.1.3). */
#define CP_MAX_MSG_ID 36

/* The longest id of a peer's CALL that is echoed in the CALLERROR refusing
 * it (OCPP-J 4.2.3: the CALLERROR carries the id of the CALL, so that the
 * peer can match it): a CALL whose id breaks the 36-character rule is still
 * answered when its id is at most this long and printable ASCII.  Longer
 * ids are not echoed (the answer would only grow with the peer's mistake). */
#ifndef CP_MAX_ECHO_ID
#define CP_MAX_ECHO_ID 128
#endif

/* Unknown properties of CALLRESULTs logged at debug, once per action and
 * property path: vendor fields repeat in every answer, so each distinct one
 * is logged the first time only; this many are remembered per connection
 * session, after which one line says that further ones are not logged. */
#ifndef CP_MAX_UNKNOWN_LOGGED
#define CP_MAX_UNKNOWN_LOGGED 32
#endif

/* Transaction-related messages waiting in the durable queue.  At one sample
 * per minute this is about two weeks offline for one socket; when full, the
 * oldest MeterValues (never Start/Stop) are dropped first. */
#ifndef CP_MAX_QUEUE
#define CP_MAX_QUEUE 20000
#endif

/* The charge point identity (--id): the last path segment of the URL.  OCPP-J
 * §3.1.1 does not bound it; OCPP 2.0.1 and the security whitepaper cap it at
 * 48 characters, which central systems use as their column width. */
#define CP_MAX_IDENTITY 48

/* chargePointSerialNumber / chargeBoxSerialNumber are CiString25 (OCPP 1.6
 * §6.2): --serial, or the identity when it fits. */
#define CP_MAX_SERIAL 25

/* The lowest current the control pilot's PWM can offer (IEC 61851-1 Table
 * A.8: 10 % duty = 6 A); below it a socket is paused, never offered 1-5 A.
 * The smart charging core, the balancing engine and the driver all use it. */
#define CP_MIN_CHARGE_MA 6000

/* Offered currents are whole tenths of an ampere (the duty cycle's
 * resolution: 0.1 % duty = 0.06 A, so 0.1 A is what every EV can resolve);
 * every limit is rounded down to this step. */
#define CP_CURRENT_STEP_MA 100

/* The hardware driver's tick (station time): fast enough for a ~100 ms
 * control cycle and for the simulated EV's ramp. */
#define CP_HW_TICK_MS 100

/* Configuration keys in a single GetConfiguration request (GetConfigurationMaxKeys). */
#ifndef CP_MAX_GETCONFIG_KEYS
#define CP_MAX_GETCONFIG_KEYS 128
#endif

/* Clients on the local control socket at once. */
#ifndef CP_MAX_CONTROL_CLIENTS
#define CP_MAX_CONTROL_CLIENTS 8
#endif

/* Log flood limiter (cp_log.h).  A line at error, warn or info level may
 * repeat CP_LOG_FLOOD_BURST times per CP_LOG_FLOOD_WINDOW_MS before the
 * rest of the window is only counted: ten in five minutes is more than any
 * honest cause repeats one line (a status change, a refused request), and
 * bounds a hostile central system to about 3000 lines (under 0.5 MB) a day
 * per line it can trigger.  CP_LOG_FLOOD_KEYS distinct lines are tracked at
 * once (the least recently seen is evicted with its summary): more than the
 * few that ever flood together. */
#ifndef CP_LOG_FLOOD_BURST
#define CP_LOG_FLOOD_BURST 10
#endif
#ifndef CP_LOG_FLOOD_WINDOW_MS
#define CP_LOG_FLOOD_WINDOW_MS (5 * 60 * 1000)
#endif
#ifndef CP_LOG_FLOOD_KEYS
#define CP_LOG_FLOOD_KEYS 32
#endif

/* Longest configuration value (OCPP 1.6 CiString500). */
#define CP_MAX_CONFIG_VALUE 500

/* idTag is CiString20 (OCPP 1.6 7.27). */
#define CP_MAX_ID_TAG 20

/* Authorization Cache entries (OCPP 1.6 3.5.1).  A station sees a few
 * hundred distinct cards in its life; past this the least recently written
 * entry is evicted, which the spec allows (the cache is an optimisation). */
#ifndef CP_MAX_AUTH_CACHE
#define CP_MAX_AUTH_CACHE 1024
#endif

/* Description text of a CALLERROR we send and of a validation failure: long
 * enough for the deepest schema path plus the reason, short enough to keep
 * on the stack in every handler. */
#ifndef CP_MAX_ERROR_DESC
#define CP_MAX_ERROR_DESC 256
#endif

/* Largest frame we send.  Replies are built in a CP_MAX_FRAME buffer; a
 * bigger one (GetConfiguration of every key with 500-character values is
 * about 80 KB) gets a heap buffer up to this size, else a CALLERROR. */
#ifndef CP_MAX_OUT_FRAME
#define CP_MAX_OUT_FRAME (256 * 1024)
#endif

/* Measurands in one MeterValues list key (MeterValuesSampledData and the
 * other ...MaxLength keys).  OCPP 1.6 defines 22 measurands; a dozen covers
 * every useful combination and bounds the sampled values per MeterValues. */
#ifndef CP_MAX_MEASURANDS
#define CP_MAX_MEASURANDS 12
#endif

/* idTags in the local authorization list (LocalAuthListMaxLength). */
#ifndef CP_MAX_LOCAL_LIST
#define CP_MAX_LOCAL_LIST 1000
#endif

/* idTags in one SendLocalList request (SendLocalListMaxLength): at about 120
 * bytes of JSON per entry, 250 entries stay well inside CP_MAX_FRAME. */
#ifndef CP_MAX_SEND_LOCAL_LIST
#define CP_MAX_SEND_LOCAL_LIST 250
#endif

/* Installed CA certificates (CertificateStoreMaxLength, security whitepaper):
 * a central-system root and a manufacturer root, each with a successor
 * during renewal, and spares. */
#ifndef CP_MAX_CERTIFICATES
#define CP_MAX_CERTIFICATES 10
#endif

/* Certificates in a firmware signingCertificate (SignedUpdateFirmware, OCPP
 * 1.6 Security Whitepaper): the signing certificate and the intermediates up
 * to, not counting, an installed ManufacturerRootCertificate.  Two levels of
 * sub-CA (as in the ISO 15118 PKI) plus the leaf is 3; 4 leaves one spare. */
#ifndef CP_MAX_SIGNING_CHAIN
#define CP_MAX_SIGNING_CHAIN 4
#endif

/* Base64 characters of a firmware signature: the maxLength of
 * SignedUpdateFirmware.req firmware.signature in the whitepaper's JSON
 * schema.  800 characters are 600 bytes: an RSA-4096 signature (512 bytes)
 * or any ECDSA P-384 one fits. */
#ifndef CP_MAX_FW_SIGNATURE
#define CP_MAX_FW_SIGNATURE 800
#endif

/* Security events kept for GetLog(SecurityLog) (OCPP 1.6 Security
 * Whitepaper): a rolling log; the oldest event goes when it is full.  A few
 * events a day leaves years of history in well under 200 kB. */
#ifndef CP_MAX_SECLOG
#define CP_MAX_SECLOG 1000
#endif

/* Firmware Management.  URLs of UpdateFirmware / GetDiagnostics
 * (anyURI, no length in OCPP 1.6): operator file servers use short paths; a
 * longer location fails the job with a log line instead of being cut. */
#ifndef CP_MAX_URL
#define CP_MAX_URL 512
#endif
/* Paths of the download directory and its files (<db>.fw/<name>). */
#ifndef CP_MAX_PATH
#define CP_MAX_PATH 512
#endif
/* GetDiagnostics.conf fileName is string[0..255]; ours are about 60. */
#ifndef CP_MAX_FILE_NAME
#define CP_MAX_FILE_NAME 255
#endif
/* Bytes of the daemon's log put in a diagnostics archive: the recent past
 * (about an hour at info level) uploads in seconds on a slow modem. */
#ifndef CP_MAX_DIAG_LOG
#define CP_MAX_DIAG_LOG (512 * 1024)
#endif

/* meterValue elements kept for StopTransaction.transactionData (the
 * Transaction.Begin sample, clock-aligned samples of StopTxnAlignedData and
 * the Transaction.End sample).  24 keeps the StopTransaction frame well under
 * CP_MAX_FRAME with every measurand on; beyond it the oldest clock-aligned
 * sample goes (a day at one per hour). */
#ifndef CP_MAX_TX_DATA
#define CP_MAX_TX_DATA 24
#endif

/* Largest magnitude of a transactionId the station keeps.  The OCPP 1.6 JSON
 * schema types StartTransaction.conf transactionId as "integer" with no
 * bounds; the station stores it as a 64-bit SQLite INTEGER and must send it
 * back digit for digit in MeterValues and StopTransaction.  cJSON holds it
 * as a double and prints numbers with 15 significant digits ("%1.15g"), so
 * 10^15 - 1 is the largest magnitude that is both exact and printed as plain
 * integer digits (10^15 would go out as 1e+15, 2^53 - 1 would lose its last
 * digit).  A StartTransaction.conf with a transactionId beyond it cannot be
 * referred to exactly and is handled as a reply that failed its schema. */
#ifndef CP_MAX_TRANSACTION_ID
#define CP_MAX_TRANSACTION_ID 999999999999999LL
#endif

/* Modbus TCP masters (EMS) connected to the station's EMS slave at once:
 * an EMS and a commissioning tool.  A further connection is accepted and
 * closed at once. */
#ifndef CP_MAX_EMS_MASTERS
#define CP_MAX_EMS_MASTERS 2
#endif

/* One DSMR P1 telegram, from "/" through "!" (DSMR 5.0.2 P1 Companion
 * Standard, representation of the P1 telegram).  A DSMR 5.0 telegram with
 * every standard object is about 1 kB; the longest text message
 * (0-0:96.13.0, 1024 characters sent as 2048 hex digits) and four M-Bus
 * channels still fit in 4 kB.  A longer one is not a meter we can read: it is
 * dropped (counted as oversize) and the reader waits for the next "/". */
#ifndef CP_MAX_P1_TELEGRAM
#define CP_MAX_P1_TELEGRAM 4096
#endif

/* Longest PEM certificate signing request the station sends: the maxLength
 * of SignCertificate.req csr in the JSON schema of the OCPP 1.6 Security
 * Whitepaper (edition 3).  A P-256 request with a short subject is about
 * 400 characters, an RSA-2048 one about 900 (tests/test_csr prints them); a
 * request that does not fit is an error, never truncated. */
#ifndef CP_MAX_CSR_PEM
#define CP_MAX_CSR_PEM 5500
#endif

/* Largest private key file csr_key_load reads.  A PKCS#8 PEM RSA-4096 key
 * is about 3.3 kB; anything much larger is not a key the station wrote. */
#ifndef CP_MAX_KEY_PEM
#define CP_MAX_KEY_PEM 16384
#endif

/* After the Central System raises SecurityProfile (OCPP 1.6 Security
 * Whitepaper edition 3, security profiles), the station reconnects with the
 * new profile; if no connection with it is up within this much real time it
 * falls back to the profile that worked before.  Two minutes covers a few
 * reconnect attempts with back-off and a slow TLS handshake on a cellular
 * link, yet keeps a station that cannot use the new profile (wrong root
 * certificate, client certificate refused) from staying offline for long. */
#ifndef SEC_PROFILE_FALLBACK_MS
#define SEC_PROFILE_FALLBACK_MS (2 * 60 * 1000)
#endif

#endif
