/*
 * ocpp.h - OCPP-J 1.6 RPC: frames, error codes, schema validation, the
 * per-connection RPC session and ISO 8601 time helpers.
 *
 * Transport-agnostic: the websocket client (ocpp/ws.h) hands complete text
 * messages to ocpp_rpc_on_text() and sends what the session gives to its
 * transport ops.  No globals, no clock reads: time comes in as a cp_real_t
 * (real time: call timeouts do not follow --time-scale).
 *
 * Ownership, in one place:
 *  - const cJSON * arguments are borrowed for the duration of the call.
 *  - cJSON * arguments named "payload" of ocpp_rpc_call() are taken: the
 *    session frees them on every path, success or failure.
 *  - A handler's *resp passes to the session, which frees it after sending.
 *  - Text given to the transport's send() is valid only during that call.
 *  - ocpp_frame fields point into frame->root; ocpp_frame_free() releases all.
 */
#ifndef OCPP_OCPP_H
#define OCPP_OCPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "cp_limits.h"
#include "cp_time.h"

/* ------------------------------------------------------------------ errors */

/*
 * The OCPP-J 1.6 CALLERROR codes (OCPP-J 1.6 section 4.2.3), plus two local
 * outcomes of an outbound call that never appear on the wire.
 */
typedef enum ocpp_error {
	OCPP_ERR_NONE = 0,
	OCPP_ERR_NOT_IMPLEMENTED,	/* action unknown to the receiver */
	OCPP_ERR_NOT_SUPPORTED,		/* action known, not offered */
	OCPP_ERR_INTERNAL,
	OCPP_ERR_PROTOCOL,		/* payload incomplete / frame shape wrong */
	OCPP_ERR_SECURITY,
	OCPP_ERR_FORMATION,		/* not valid OCPP-J / unknown property */
	OCPP_ERR_PROPERTY_CONSTRAINT,	/* enum, length, range, multipleOf, format */
	OCPP_ERR_OCCURENCE_CONSTRAINT,	/* required field missing (1.6 spelling) */
	OCPP_ERR_TYPE_CONSTRAINT,	/* wrong JSON type */
	OCPP_ERR_GENERIC,
	/* Local outcomes passed to an ocpp_call_cb; never sent. */
	OCPP_ERR_TIMEOUT,		/* no reply within the call timeout */
	OCPP_ERR_DISCONNECTED,		/* ocpp_rpc_reset(): connection lost */
} ocpp_error;

/* 1.6 spelling ("OccurenceConstraintViolation"); "Timeout" / "Disconnected"
 * for the local outcomes; "Unknown" for anything else.  Never NULL. */
const char *ocpp_error_name(ocpp_error e);
/* Error code of a received CALLERROR.  Also accepts the spellings of other
 * stacks (FormatViolation, OccurrenceConstraintViolation); anything else,
 * or a local name, is OCPP_ERR_GENERIC. */
ocpp_error ocpp_error_from_name(const char *name);
/* True for the codes that may be sent in a CALLERROR. */
bool ocpp_error_is_wire(ocpp_error e);

/* ------------------------------------------------------------- validation */

typedef enum ocpp_dir { OCPP_REQ, OCPP_CONF } ocpp_dir;

/*
 * The canonical (static) spelling of an OCPP 1.6 action, including the
 * security whitepaper's, or NULL when the schema set has no such action.
 * Case-sensitive, as OCPP-J action names are.
 */
const char *ocpp_action_name(const char *action);
bool ocpp_action_known(const char *action);

/*
 * Validates payload against the generated Action.req / Action.conf schema.
 * Returns OCPP_ERR_NONE, or the first violation mapped to the
 * OCPP-J 1.6 §4.2.3 error codes: missing required -> OCCURENCE_CONSTRAINT; wrong JSON type ->
 * TYPE_CONSTRAINT; enum / length / range / multipleOf (tolerance 1e-6) /
 * date-time / uri format -> PROPERTY_CONSTRAINT; unknown property or payload
 * not an object -> FORMATION; unknown action -> NOT_IMPLEMENTED.
 * desc (may be NULL) gets "<path>: <what>", e.g.
 * "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[3].limit: missing";
 * the path of the payload itself is "payload".  Integers are JSON numbers
 * without a fractional part; lengths count Unicode code points.
 */
ocpp_error ocpp_validate(const char *action, ocpp_dir dir, const cJSON *payload,
    char *desc, size_t desclen);

/*
 * Called by ocpp_validate_lenient for each property the schema does not
 * name, with its path ("idTagInfo.vendorField"; the property name is the
 * peer's text, cut to fit CP_MAX_ERROR_DESC).  path is borrowed.
 */
typedef void (*ocpp_unknown_fn)(void *user, const char *path);

/*
 * ocpp_validate, except that with a non-NULL on_unknown a property the
 * schema does not name is reported to on_unknown and then ignored (its
 * value is not checked) instead of being a FormationViolation.  Everything
 * the schema does name is checked as strictly as ever (required, types,
 * enums, lengths, ranges, formats).  A property whose name differs from a
 * schema name only in case stays a FormationViolation: a reader that looks
 * names up regardless of case must not find an unchecked value.  For CALLRESULTs: central systems add
 * vendor fields to their answers, and a station that refused them would
 * never boot; inbound CALLs stay strict (ocpp_validate), as OCPP-J asks.
 * With on_unknown NULL it is ocpp_validate.
 */
ocpp_error ocpp_validate_lenient(const char *action, ocpp_dir dir, const cJSON *payload,
    char *desc, size_t desclen, ocpp_unknown_fn on_unknown, void *user);

/* ----------------------------------------------------------------- frames */

typedef enum ocpp_msg_type {
	OCPP_MSG_NONE = 0,		/* not recovered from a malformed frame */
	OCPP_MSG_CALL = 2,
	OCPP_MSG_CALLRESULT = 3,
	OCPP_MSG_CALLERROR = 4,
} ocpp_msg_type;

typedef struct ocpp_frame {
	ocpp_msg_type type;
	/* "" when not recovered.  At most CP_MAX_MSG_ID in a well-formed
	 * frame; a CALL refused for its over-long id keeps it up to
	 * CP_MAX_ECHO_ID printable ASCII characters, for the CALLERROR. */
	char id[CP_MAX_ECHO_ID + 1];
	const char *action;		/* CALL: as received; else NULL */
	const cJSON *payload;		/* CALL / CALLRESULT payload, CALLERROR details */
	ocpp_error error;		/* CALLERROR: the code, via ocpp_error_from_name */
	const char *error_name;		/* CALLERROR: the code as received */
	const char *error_desc;		/* CALLERROR: description ("" if absent) */
	/* On a parse failure: what to answer and why. */
	ocpp_error fault;
	char fault_desc[CP_MAX_ERROR_DESC];
	cJSON *root;			/* owns the tree; NULL when not JSON */
} ocpp_frame;

/*
 * Parses one text message of len bytes (text need not be NUL-terminated).
 * Returns 0, or on malformed input -EMSGSIZE (len > CP_MAX_FRAME) or -EINVAL,
 * with f->fault / f->fault_desc saying why and f->type / f->id filled in as
 * far as they could be recovered.  Only a malformed CALL (type 2) with an id
 * deserves a CALLERROR answer; a CALLRESULT / CALLERROR is never answered.
 *
 * Fault codes: not JSON, not an array, an empty array, a message type that
 * is not 2/3/4 or an id that is not a string of 1..36 characters: FORMATION.
 * Of these only a CALL whose id is a string of 37..CP_MAX_ECHO_ID printable
 * ASCII characters can be answered (f->id holds it: OCPP-J 4.2.3, a
 * CALLERROR carries the CALL's id); the others have no id to answer with
 * (OCPP-J 1.6 defines none for an unreadable one) and are not answered.  A CALL / CALLRESULT / CALLERROR with the
 * wrong number of elements or a non-string action / error code: PROTOCOL
 * (the frame is JSON but not the RPC shape).  A payload that is not an
 * object: FORMATION.  For a lenient CALLERROR reader, missing description or
 * details are accepted ("" and NULL).  Text that is not valid UTF-8 (RFC 8259
 * section 8.1) or nests deeper than CP_MAX_JSON_DEPTH is FORMATION before any
 * JSON parsing, with the type and id recovered from the frame's first bytes
 * (so that such a CALL is answered and such a reply ends its CALL).
 *
 * Always call ocpp_frame_free(f) afterwards, whatever the result.
 */
int ocpp_frame_parse(const char *text, size_t len, ocpp_frame *f);
void ocpp_frame_free(ocpp_frame *f);

/*
 * UTF-8 text for frames (a text frame must be valid UTF-8, RFC 6455 section
 * 8.1).  ocpp_utf8_prefix: the byte length of the longest prefix of the
 * NUL-terminated s that has at most max bytes and does not end inside a
 * multi-byte character; use it as "%.*s" instead of "%.Ns".
 * ocpp_utf8_trim: drops an incomplete character at the end of s, as
 * snprintf leaves one when it cuts.
 */
size_t ocpp_utf8_prefix(const char *s, size_t max);
void ocpp_utf8_trim(char *s);
/* Replaces each byte of s[0..len) that is not part of well-formed UTF-8 with
 * '?' (one byte for one: JSON structure and lengths stay as they are).
 * Returns how many were replaced. */
size_t ocpp_utf8_scrub(char *s, size_t len);

/*
 * Recovers the message id from the first bytes of a message too large to
 * parse: succeeds only for a prefix shaped `[2,"<id>"` (a CALL) whose id is
 * 1..CP_MAX_ECHO_ID characters of printable ASCII without escapes (it is
 * echoed into a text frame).  Returns 0 with id filled, or -EINVAL.
 */
int ocpp_frame_peek_call_id(const char *prefix, size_t len, char id[CP_MAX_ECHO_ID + 1]);

/*
 * Builders write compact JSON text into buf (size bytes, NUL-terminated) and
 * return its length, or -ENOSPC when it does not fit, or -EINVAL for an
 * empty id, an id longer than CP_MAX_MSG_ID (CP_MAX_ECHO_ID for a CALLERROR,
 * which echoes the peer's id), an empty action or a code that is not a wire
 * code.  A NULL payload / details is written as {} (never null).  Strings are
 * JSON-escaped, bytes that are not well-formed UTF-8 written as \ufffd; desc
 * is cut at CP_MAX_ERROR_DESC - 1 bytes on a character boundary.
 */
int ocpp_frame_build_call(char *buf, size_t size, const char *id, const char *action,
    const cJSON *payload);
int ocpp_frame_build_result(char *buf, size_t size, const char *id, const cJSON *payload);
int ocpp_frame_build_error(char *buf, size_t size, const char *id, ocpp_error code,
    const char *desc, const cJSON *details);

/* -------------------------------------------------------------------- rpc */

/*
 * An inbound action.  The session has already validated req against
 * Action.req when the handler runs.  Return 0 and set *resp (ownership
 * passes to the session; NULL means {}), or return <0 and set *err to a wire
 * code (left NONE or set to a local code: InternalError) and desc to the
 * CALLERROR description.  A *resp set on the error path is freed.
 * A handler must not call ocpp_rpc_call() (-EAGAIN): the CALLRESULT has to
 * go out first.  Send follow-up CALLs (TriggerMessage) from the replied hook.
 */
typedef int (*ocpp_handler_fn)(void *ctx, const cJSON *req, cJSON **resp,
    ocpp_error *err, char *desc, size_t desclen);

/*
 * Admission: the rules a row states and the session checks once, after the
 * schema check and before the handler runs, so that no handler repeats them
 * (ocpp_rpc_on_text).  A CALL a rule refuses is answered with the row's
 * refusal, {"status": <refusal>}, and its handler does not run.
 */

/* Which values of the request's connectorId exist (OCPP 1.6 §3.3: 0 is the
 * charge point as a whole, 1..n its connectors).  A value outside is
 * answered with conn_refusal.  Presence is the schema's rule; conn_required
 * restates it and ocpp_rpc_init checks that both agree. */
typedef enum ocpp_conn_rule {
	OCPP_CONN_NONE = 0,	/* no connectorId, or one the handler reads as a
				 * filter (a value that names no connector matches
				 * nothing: nothing to refuse) */
	OCPP_CONN_ANY,		/* 0..n */
	OCPP_CONN_SOCKET,	/* 1..n: 0 is refused too */
} ocpp_conn_rule;

/* Registration status of the charge point (OCPP 1.6 §4.2, BootNotification):
 * what the central system answered last. */
typedef enum ocpp_reg {
	OCPP_REG_NONE = 0,	/* no answer yet */
	OCPP_REG_PENDING,
	OCPP_REG_REJECTED,
	OCPP_REG_ACCEPTED,
} ocpp_reg;

/* What admission needs to know of the charge point, asked for each CALL. */
typedef struct ocpp_admit_state {
	int n_connectors;	/* >= 0 */
	ocpp_reg reg;
} ocpp_admit_state;

typedef struct ocpp_action_row {
	const char *action;
	ocpp_handler_fn handler;
	ocpp_conn_rule conn;
	bool conn_required;		/* with conn: the schema requires connectorId */
	const char *conn_refusal;	/* with conn: status for a connector outside */
	/* OCPP 1.6 §4.2: "While in pending state, the following Central System
	 * initiated messages are not allowed".  Non-NULL: this action is one of
	 * them and is answered with this status while the registration is
	 * Pending. */
	const char *pending_refusal;
} ocpp_action_row;

typedef struct ocpp_transport_ops {
	/* Send one text message; text is valid only during the call.
	 * Returns 0 or a negative errno (e.g. -ENOTCONN). */
	int (*send)(void *tctx, const char *text, size_t len);
} ocpp_transport_ops;

/*
 * Outcome of an outbound CALL, called exactly once for each ocpp_rpc_call()
 * that returned 0.  err:
 *   OCPP_ERR_NONE          CALLRESULT, valid against Action.conf except for
 *                          properties the schema does not name (vendor
 *                          fields: ignored, logged once at debug; they stay
 *                          in payload); payload is it.
 *   a wire code            the peer sent CALLERROR (payload = its details), or
 *                          its CALLRESULT failed Action.conf / was malformed
 *                          (payload = the offending result or NULL).
 *   OCPP_ERR_TIMEOUT       no answer within the call timeout; payload NULL.
 *   OCPP_ERR_DISCONNECTED  ocpp_rpc_reset() while waiting; payload NULL.
 * payload and desc are borrowed for the duration of the callback; desc is
 * never NULL ("" on success).  The session is idle again when cb runs, so cb
 * may call ocpp_rpc_call() to send the next message.
 */
typedef void (*ocpp_call_cb)(void *user, ocpp_error err, const cJSON *payload,
    const char *desc);

/* OCPP leaves the call timeout to the implementation; 30 s real time is what
 * most central systems answer well within, and what ocpp-rpc uses. */
#define OCPP_DEFAULT_CALL_TIMEOUT_MS 30000

typedef struct ocpp_rpc_config {
	const ocpp_transport_ops *ops;		/* required */
	void *tctx;				/* first argument of ops->send */
	const ocpp_action_row *actions;		/* inbound table, caller-owned, static */
	size_t nactions;
	void *ctx;				/* first argument of handlers / replied */
	/* Optional: called after the answer to an inbound CALL went out (err =
	 * NONE for a CALLRESULT).  ocpp_rpc_call() is allowed here. */
	void (*replied)(void *ctx, const char *action, ocpp_error err);
	/* Required when a row has an admission rule: fills the state the
	 * rules are checked against.  Without it (a table with no rules) the
	 * registration counts as Accepted. */
	void (*admit_state)(void *ctx, ocpp_admit_state *st);
	int64_t call_timeout_ms;		/* 0: OCPP_DEFAULT_CALL_TIMEOUT_MS */
	uint32_t id_seed;			/* random bits: message-id prefix */
	/* Optional, NULL-terminated: configuration keys whose value is a
	 * secret (AuthorizationKey): in the debug frame log the value of a
	 * ChangeConfiguration.req for one of them is shown as "***". */
	const char *const *secret_keys;
	/* Optional: every frame in (in = true) and out, whole, after the
	 * secrets above were masked; text is valid during the call only. */
	void (*frame)(void *ctx, bool in, const char *text, size_t len);
} ocpp_rpc_config;

/* One per connection (reused across reconnects).  Caller-owned storage,
 * about 2 x CP_MAX_FRAME bytes: keep it static or in a long-lived struct.
 * Fields are private. */
typedef struct ocpp_rpc {
	ocpp_rpc_config cfg;
	struct {
		bool active;
		char id[CP_MAX_MSG_ID + 1];
		const char *action;	/* static spelling from ocpp_action_name */
		ocpp_call_cb cb;
		void *user;
		cp_real_t deadline;
	} out;
	uint64_t next_id;
	bool dispatching;
	/* Unknown CALLRESULT properties logged so far (FNV-1a hashes of the
	 * action and the property's path), so each is logged once. */
	uint32_t unknown_seen[CP_MAX_UNKNOWN_LOGGED];
	unsigned nunknown_seen;
	char rx[CP_MAX_FRAME + 1];
	char tx[CP_MAX_FRAME];
} ocpp_rpc;

/* Returns 0, or -EINVAL when ops/send is missing or a table row names an
 * action outside the OCPP 1.6 schema set or has no handler. */
int ocpp_rpc_init(ocpp_rpc *rpc, const ocpp_rpc_config *cfg);

/*
 * One complete received text message (buf need not be NUL-terminated).
 * Answers CALLs (CALLERROR for anything it rejects, see ocpp_frame_parse for
 * the codes; NotImplemented for an action outside the 1.6 schema set,
 * NotSupported for a 1.6 action without a table row; then the schema, then
 * the row's admission rules, whose refusal is a CALLRESULT {"status": ...}
 * and runs no handler; while admit_state reports OCPP_REG_REJECTED no CALL
 * is answered at all, OCPP 1.6 §4.2), matches replies to the
 * outstanding CALL, ignores unknown ids with a log line.  A message longer
 * than CP_MAX_FRAME is answered FormationViolation if it starts like a CALL.
 * Returns 0 for a well-formed frame, a negative errno for a dropped one.
 */
int ocpp_rpc_on_text(ocpp_rpc *rpc, const char *buf, size_t len, cp_real_t now);

/* The websocket layer's on_oversize: the first bytes of a dropped message. */
void ocpp_rpc_on_oversize(ocpp_rpc *rpc, const char *prefix, size_t len);

/*
 * Sends a CALL.  payload is taken (NULL means {}).  Returns 0 (cb will be
 * called exactly once), -EBUSY while a CALL is outstanding (OCPP-J allows
 * one; queue it yourself), -EAGAIN from inside a handler, -EINVAL for an
 * unknown action or a payload that fails Action.req (a bug: logged as an
 * error, nothing sent), -ENOSPC for a frame too large, or the transport's
 * error.  cb may be NULL (fire and forget).
 */
int ocpp_rpc_call(ocpp_rpc *rpc, const char *action, cJSON *payload,
    ocpp_call_cb cb, void *user, cp_real_t now);

bool ocpp_rpc_busy(const ocpp_rpc *rpc);
/* Fails the outstanding CALL with OCPP_ERR_TIMEOUT once now >= deadline. */
void ocpp_rpc_tick(ocpp_rpc *rpc, cp_real_t now);
/* The outstanding CALL's deadline, for the event loop's next wake-up. */
bool ocpp_rpc_next_deadline(const ocpp_rpc *rpc, cp_real_t *when);
/* Connection lost: fails the outstanding CALL with OCPP_ERR_DISCONNECTED. */
void ocpp_rpc_reset(ocpp_rpc *rpc);

/* ------------------------------------------------------------------- time */

/* Longest text ocpp_time_format writes, with its NUL. */
#define OCPP_TIME_LEN CP_TIME_LEN

/* cp_time_format and cp_time_parse (cp_time.h: the grammar, the one date-time
 * parser of the binary) under the OCPP layer's names. */
int ocpp_time_format(cp_utc_t t, char buf[OCPP_TIME_LEN]);
int ocpp_time_parse(const char *s, cp_utc_t *out);

#endif
