/*
 * frame.c - OCPP-J 1.6 message frames (OCPP-J 1.6 section 4):
 *   [2,"id","Action",{payload}]  CALL
 *   [3,"id",{payload}]           CALLRESULT
 *   [4,"id","Code","desc",{}]    CALLERROR
 */
#include "ocpp/ocpp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int frame_fault(ocpp_frame *f, ocpp_error e, const char *fmt, ...)
{
	va_list ap;

	f->fault = e;
	va_start(ap, fmt);
	vsnprintf(f->fault_desc, sizeof(f->fault_desc), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Printable ASCII (0x20..0x7e), the only ids echoed when they break the
 * 36-character rule. */
static bool frame_is_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The depth check must come before cJSON's own limit does. */
_Static_assert(CP_MAX_JSON_DEPTH < CJSON_NESTING_LIMIT, "CP_MAX_JSON_DEPTH must be below cJSON's nesting limit");

/* How much of a frame is searched for its type and id: `[2,"` plus an id
 * of CP_MAX_ECHO_ID characters plus slack for whitespace. */
#define FRAME_PEEK_LEN (CP_MAX_ECHO_ID + 32)

static bool frame_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The message type and id from the first bytes of a frame, without a JSON
 * parser: `[<2|3|4>,"<id>"` with optional whitespace.  A bounded scan (at
 * most CP_MAX_ECHO_ID + a little), so it also serves frames that are too
 * large, too deep or not valid UTF-8 to be handed to cJSON.
 */
static int frame_peek(const char *prefix, size_t len, ocpp_msg_type *type,
    char id[CP_MAX_ECHO_ID + 1])
{
	const char *p = prefix, *end = prefix + len;
	size_t n = 0;
	char t;

	id[0] = '\0';
	*type = OCPP_MSG_NONE;
	while (p < end && frame_is_ws(*p))
		p++;
	if (p == end || *p++ != '[')
		return -EINVAL;
	while (p < end && frame_is_ws(*p))
		p++;
	if (p == end || (*p != '2' && *p != '3' && *p != '4'))
		return -EINVAL;
	t = *p++;
	while (p < end && frame_is_ws(*p))
		p++;
	if (p == end || *p++ != ',')
		return -EINVAL;
	while (p < end && frame_is_ws(*p))
		p++;
	if (p == end || *p++ != '"')
		return -EINVAL;
	/* Escapes would need a JSON decoder; real ids are plain ASCII.  So is
	 * what is recovered here: an id is echoed into a text frame, which
	 * must be valid UTF-8 (RFC 6455 section 8.1). */
	while (p + n < end && p[n] != '"') {
		if (p[n] == '\\' || (unsigned char)p[n] < 0x20 || (unsigned char)p[n] > 0x7e ||
		    n == CP_MAX_ECHO_ID)
			return -EINVAL;
		n++;
	}
	if (p + n == end || n == 0)
		return -EINVAL;
	memcpy(id, p, n);
	id[n] = '\0';
	*type = (ocpp_msg_type)(t - '0');
	return 0;
}

int ocpp_frame_peek_call_id(const char *prefix, size_t len, char id[CP_MAX_ECHO_ID + 1])
{
	ocpp_msg_type type;

	if (frame_peek(prefix, len, &type, id) < 0 || type != OCPP_MSG_CALL) {
		id[0] = '\0';
		return -EINVAL;
	}
	return 0;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 when s does
 * not start one.  s is NUL-terminated or has at least avail bytes; a NUL
 * is never a continuation byte, so the scan stops there. */
static size_t frame_utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Offset of the first byte that is not well-formed UTF-8, or len. */
static size_t frame_utf8_valid_len(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		n = frame_utf8_seq(s + i, len - i);
		if (n == 0)
			break;
		i += n;
	}
	return i;
}

size_t ocpp_utf8_prefix(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < max && u[i] != '\0') {
		n = frame_utf8_seq(u + i, SIZE_MAX);
		if (n == 0)
			n = 1;		/* not UTF-8: one byte is one unit */
		if (i + n > max)
			break;
		i += n;
	}
	return i;
}

size_t ocpp_utf8_scrub(char *s, size_t len)
{
	size_t i = 0, n, bad = 0;

	while (i < len) {
		n = frame_utf8_seq((const unsigned char *)s + i, len - i);
		if (n == 0) {
			s[i] = '?';
			bad++;
			n = 1;
		}
		i += n;
	}
	return bad;
}

void ocpp_utf8_trim(char *s)
{
	size_t len = strlen(s), i = len;

	/* Back over at most three continuation bytes to the lead byte. */
	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0xC0 &&
	    frame_utf8_seq((const unsigned char *)s + i - 1, len - i + 1) != len - i + 1)
		s[i - 1] = '\0';
}

/*
 * Nesting depth of the JSON text, by a bounded scan that knows strings
 * (brackets inside them do not count).  Returns true when it stays within
 * max.  cJSON recurses once per level when it parses, prints and frees a
 * tree: checking first keeps a hostile frame from costing more than max
 * stack frames anywhere.
 */
static bool frame_depth_ok(const char *text, size_t len, int max)
{
	bool in_string = false;
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (++depth > max)
				return false;
			break;
		case ']':
		case '}':
			depth--;
			break;
		default:
			break;
		}
	}
	return true;
}

int ocpp_frame_parse(const char *text, size_t len, ocpp_frame *f)
{
	const char *end = NULL;
	const cJSON *type, *id, *a, *b, *c;
	size_t bad, idlen;
	int n;

	memset(f, 0, sizeof(*f));
	if (text == NULL)
		return frame_fault(f, OCPP_ERR_FORMATION, "no text");
	if (len > CP_MAX_FRAME) {
		if (ocpp_frame_peek_call_id(text, len < FRAME_PEEK_LEN ? len : FRAME_PEEK_LEN, f->id) == 0)
			f->type = OCPP_MSG_CALL;
		frame_fault(f, OCPP_ERR_FORMATION, "frame of %zu bytes exceeds the %d-byte limit",
		    len, CP_MAX_FRAME);
		return -EMSGSIZE;
	}
	/* Checks cJSON does not make (or makes only after deep recursion);
	 * the type and id are recovered so that a CALL is still answered. */
	bad = frame_utf8_valid_len(text, len);
	if (bad != len) {
		frame_peek(text, len < FRAME_PEEK_LEN ? len : FRAME_PEEK_LEN, &f->type, f->id);
		return frame_fault(f, OCPP_ERR_FORMATION,
		    "not valid UTF-8 at byte %zu (RFC 8259 section 8.1)", bad);
	}
	if (!frame_depth_ok(text, len, CP_MAX_JSON_DEPTH)) {
		frame_peek(text, len < FRAME_PEEK_LEN ? len : FRAME_PEEK_LEN, &f->type, f->id);
		return frame_fault(f, OCPP_ERR_FORMATION, "JSON nested deeper than %d levels",
		    CP_MAX_JSON_DEPTH);
	}
	f->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (f->root == NULL)
		return frame_fault(f, OCPP_ERR_FORMATION, "not valid JSON");
	while (end != NULL && end < text + len && frame_is_ws(*end))
		end++;
	if (end != text + len)
		return frame_fault(f, OCPP_ERR_FORMATION, "data after the JSON value");
	if (!cJSON_IsArray(f->root))
		return frame_fault(f, OCPP_ERR_FORMATION, "not a JSON array");
	n = cJSON_GetArraySize(f->root);
	type = cJSON_GetArrayItem(f->root, 0);
	if (!cJSON_IsNumber(type))
		return frame_fault(f, OCPP_ERR_FORMATION, "message type is not a number");
	if (type->valuedouble != 2 && type->valuedouble != 3 && type->valuedouble != 4)
		return frame_fault(f, OCPP_ERR_FORMATION, "unknown message type %g", type->valuedouble);
	f->type = (ocpp_msg_type)type->valueint;

	id = type->next;
	if (!cJSON_IsString(id) || id->valuestring == NULL)
		return frame_fault(f, OCPP_ERR_FORMATION, "message id is not a string");
	idlen = strlen(id->valuestring);
	if (idlen == 0 || idlen > CP_MAX_MSG_ID) {
		/* OCPP-J 4.2.3: the CALLERROR carries the CALL's id, so that the
		 * peer can match it; an over-long one is kept for that while it is
		 * short printable ASCII.  (It counts bytes: an id that is not
		 * ASCII is not kept, so bytes are characters here.) */
		if (idlen <= CP_MAX_ECHO_ID && frame_is_printable(id->valuestring))
			strcpy(f->id, id->valuestring);
		return frame_fault(f, OCPP_ERR_FORMATION, "message id of %zu characters (1..%d allowed)",
		    idlen, CP_MAX_MSG_ID);
	}
	strcpy(f->id, id->valuestring);

	a = id->next;
	b = a ? a->next : NULL;
	c = b ? b->next : NULL;
	switch (f->type) {
	case OCPP_MSG_CALL:
		if (n != 4)
			return frame_fault(f, OCPP_ERR_PROTOCOL, "CALL has %d elements, 4 expected", n);
		if (!cJSON_IsString(a) || a->valuestring == NULL)
			return frame_fault(f, OCPP_ERR_PROTOCOL, "action is not a string");
		f->action = a->valuestring;
		if (!cJSON_IsObject(b))
			return frame_fault(f, OCPP_ERR_FORMATION, "payload is not a JSON object");
		f->payload = b;
		return 0;
	case OCPP_MSG_CALLRESULT:
		if (n != 3)
			return frame_fault(f, OCPP_ERR_PROTOCOL, "CALLRESULT has %d elements, 3 expected", n);
		if (!cJSON_IsObject(a))
			return frame_fault(f, OCPP_ERR_FORMATION, "payload is not a JSON object");
		f->payload = a;
		return 0;
	case OCPP_MSG_CALLERROR:
		/* Lenient about a missing description / details: the call failed
		 * either way, and the code is what the caller acts on. */
		if (n < 3 || n > 5)
			return frame_fault(f, OCPP_ERR_PROTOCOL, "CALLERROR has %d elements, 5 expected", n);
		if (!cJSON_IsString(a) || a->valuestring == NULL)
			return frame_fault(f, OCPP_ERR_PROTOCOL, "error code is not a string");
		if (b != NULL && (!cJSON_IsString(b) || b->valuestring == NULL))
			return frame_fault(f, OCPP_ERR_PROTOCOL, "error description is not a string");
		if (c != NULL && !cJSON_IsObject(c))
			return frame_fault(f, OCPP_ERR_FORMATION, "error details are not a JSON object");
		f->error_name = a->valuestring;
		f->error = ocpp_error_from_name(a->valuestring);
		f->error_desc = b ? b->valuestring : "";
		f->payload = c;
		return 0;
	default:
		return frame_fault(f, OCPP_ERR_FORMATION, "unknown message type");
	}
}

void ocpp_frame_free(ocpp_frame *f)
{
	cJSON_Delete(f->root);
	f->root = NULL;
	f->payload = NULL;
	f->action = NULL;
	f->error_name = NULL;
	f->error_desc = NULL;
}

/* Output cursor: writes stop at the first overflow, which is then reported. */
struct wbuf {
	char *buf;
	size_t size;
	size_t len;
	bool full;
};

static void frame_put(struct wbuf *w, const char *s, size_t n)
{
	if (w->full || w->size - w->len <= n) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/*
 * A JSON string of at most max bytes of s, cut on a character boundary.
 * Bytes that are not well-formed UTF-8 (a description cut by a %.Ns, a
 * stray byte from a peer) are written as \ufffd, the replacement character:
 * a text frame must be valid UTF-8 or the peer fails the connection
 * (RFC 6455 section 8.1).
 */
static void frame_put_string(struct wbuf *w, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	frame_put(w, "\"", 1);
	while (i < max && u[i] != '\0') {
		unsigned char ch = u[i];
		char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };

		n = frame_utf8_seq(u + i, SIZE_MAX);
		if (n == 0) {
			frame_put(w, "\\ufffd", 6);
			i++;
			continue;
		}
		if (i + n > max)
			break;
		if (ch == '"' || ch == '\\') {
			esc[1] = (char)ch;
			frame_put(w, esc, 2);
		} else if (ch < 0x20 || ch == 0x7f) {
			frame_put(w, esc, 6);
		} else {
			frame_put(w, s + i, n);
		}
		i += n;
	}
	frame_put(w, "\"", 1);
}

static void frame_put_json(struct wbuf *w, const cJSON *j)
{
	size_t room;

	if (j == NULL) {
		frame_put(w, "{}", 2);
		return;
	}
	if (w->full)
		return;
	room = w->size - w->len;
	if (room > (size_t)INT32_MAX)
		room = INT32_MAX;
	/* cJSON never writes past the length it is given; it only wants a few
	 * spare bytes, so a tight fit may report full (then: a bigger buffer). */
	if (!cJSON_PrintPreallocated((cJSON *)j, w->buf + w->len, (int)room, 0)) {
		w->full = true;
		w->buf[w->len] = '\0';
		return;
	}
	w->len += strlen(w->buf + w->len);
}

static int frame_done(struct wbuf *w)
{
	if (w->full) {
		if (w->size)
			w->buf[0] = '\0';
		return -ENOSPC;
	}
	return (int)w->len;
}

static bool frame_id_ok(const char *id, size_t max)
{
	return id != NULL && id[0] != '\0' && strlen(id) <= max;
}

int ocpp_frame_build_call(char *buf, size_t size, const char *id, const char *action,
    const cJSON *payload)
{
	struct wbuf w = { buf, size, 0, size == 0 };

	if (!frame_id_ok(id, CP_MAX_MSG_ID) || action == NULL || action[0] == '\0')
		return -EINVAL;
	frame_put(&w, "[2,", 3);
	frame_put_string(&w, id, CP_MAX_MSG_ID);
	frame_put(&w, ",", 1);
	frame_put_string(&w, action, SIZE_MAX);
	frame_put(&w, ",", 1);
	frame_put_json(&w, payload);
	frame_put(&w, "]", 1);
	return frame_done(&w);
}

int ocpp_frame_build_result(char *buf, size_t size, const char *id, const cJSON *payload)
{
	struct wbuf w = { buf, size, 0, size == 0 };

	if (!frame_id_ok(id, CP_MAX_MSG_ID))
		return -EINVAL;
	frame_put(&w, "[3,", 3);
	frame_put_string(&w, id, CP_MAX_MSG_ID);
	frame_put(&w, ",", 1);
	frame_put_json(&w, payload);
	frame_put(&w, "]", 1);
	return frame_done(&w);
}

int ocpp_frame_build_error(char *buf, size_t size, const char *id, ocpp_error code,
    const char *desc, const cJSON *details)
{
	struct wbuf w = { buf, size, 0, size == 0 };

	/* Echoes the id of the peer's CALL, which may be over-long. */
	if (!frame_id_ok(id, CP_MAX_ECHO_ID) || !ocpp_error_is_wire(code))
		return -EINVAL;
	frame_put(&w, "[4,", 3);
	frame_put_string(&w, id, CP_MAX_ECHO_ID);
	frame_put(&w, ",", 1);
	frame_put_string(&w, ocpp_error_name(code), 64);
	frame_put(&w, ",", 1);
	frame_put_string(&w, desc ? desc : "", CP_MAX_ERROR_DESC - 1);
	frame_put(&w, ",", 1);
	frame_put_json(&w, details);
	frame_put(&w, "]", 1);
	return frame_done(&w);
}
