/*
 * validate.c - checks a payload against the generated OCPP 1.6 schema tables
 * (ocpp/schemas_gen.c) and maps the first violation to an OCPP-J error code.
 *
 * The walk follows the schema, not the data, so its recursion depth is the
 * schema's (a handful of levels) whatever the payload nests.  No allocation.
 */
#include "ocpp/ocpp.h"
#include "ocpp/schemas_gen.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ocpp-rpc's multipleOf tolerance: 17.2 / 0.1 = 171.99999999999997 is fine. */
#define MULTIPLE_OF_EPSILON 1e-6

/* Bytes of a bad value quoted in an error description, cut on a character
 * boundary (a cut inside one would make the CALLERROR invalid UTF-8). */
#define VALIDATE_QUOTE_MAX 40
#define VALIDATE_QUOTE(s) (int)ocpp_utf8_prefix((s), VALIDATE_QUOTE_MAX), (s)

/* Path segments kept for an error's description.  The deepest OCPP 1.6
 * path has five (csChargingProfiles.chargingSchedule.chargingSchedulePeriod
 * [0].limit); deeper ones, which no 1.6 schema has, are shown as "...". */
#define VALIDATE_MAX_DEPTH 16

/* One step of the path to the value being checked: a property name (a
 * schema string or, for an unknown property, the payload's own key; both
 * outlive the walk) or, when name is NULL, an array index. */
struct vseg {
	const char *name;
	int index;
};

/* The path is kept as segments and formatted only when a check fails:
 * a valid payload, the common case, pays no formatting at all. */
struct vctx {
	char *desc;
	size_t desclen;
	ocpp_unknown_fn on_unknown;	/* NULL: an unknown property is a violation */
	void *user;
	struct vseg seg[VALIDATE_MAX_DEPTH];
	unsigned depth;		/* may exceed VALIDATE_MAX_DEPTH */
};

static int validate_cmp_action(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ocpp_schema_action *)elem)->name);
}

static const struct ocpp_schema_action *validate_find_action(const char *action)
{
	if (action == NULL)
		return NULL;
	return bsearch(action, ocpp_schema_actions, OCPP_SCHEMA_ACTION_COUNT,
	    sizeof(ocpp_schema_actions[0]), validate_cmp_action);
}

const char *ocpp_action_name(const char *action)
{
	const struct ocpp_schema_action *a = validate_find_action(action);

	return a ? a->name : NULL;
}

bool ocpp_action_known(const char *action)
{
	return validate_find_action(action) != NULL;
}

static unsigned validate_push(struct vctx *v, const char *name, int index)
{
	unsigned old = v->depth;

	if (v->depth < VALIDATE_MAX_DEPTH)
		v->seg[v->depth] = (struct vseg){ .name = name, .index = index };
	v->depth++;
	return old;
}

static unsigned validate_push_name(struct vctx *v, const char *name)
{
	return validate_push(v, name, 0);
}

static unsigned validate_push_index(struct vctx *v, int index)
{
	return validate_push(v, NULL, index);
}

static void validate_pop(struct vctx *v, unsigned old)
{
	v->depth = old;
}

/* "a.b[2].c" into buf, or "payload" for the root.  A path that does not
 * fit ends in "..." (the desc stays readable; a payload with 200-character
 * keys is bad anyway). */
static const char *validate_path(const struct vctx *v, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < v->depth; i++) {
		const struct vseg *g = &v->seg[i];
		int n;

		if (i >= VALIDATE_MAX_DEPTH)
			n = snprintf(buf + len, size - len, "...");
		else if (g->name != NULL)
			n = snprintf(buf + len, size - len, len ? ".%s" : "%s", g->name);
		else
			n = snprintf(buf + len, size - len, "[%d]", g->index);
		if (n < 0 || (size_t)n >= size - len) {
			/* Cut on a character boundary: a key is the peer's text. */
			buf[size - 4] = '\0';
			ocpp_utf8_trim(buf);
			strcat(buf, "...");
			return buf;
		}
		len += (size_t)n;
		if (i >= VALIDATE_MAX_DEPTH)
			break;
	}
	return len ? buf : "payload";
}

__attribute__((format(printf, 3, 4)))
static ocpp_error validate_fail(struct vctx *v, ocpp_error e, const char *fmt, ...)
{
	char path[CP_MAX_ERROR_DESC];
	va_list ap;
	int n;

	if (v->desc == NULL || v->desclen == 0)
		return e;
	n = snprintf(v->desc, v->desclen, "%s: ", validate_path(v, path, sizeof(path)));
	if (n >= 0 && (size_t)n < v->desclen) {
		va_start(ap, fmt);
		vsnprintf(v->desc + n, v->desclen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* snprintf cuts bytes, not characters. */
	ocpp_utf8_trim(v->desc);
	return e;
}

static const char *validate_json_type(const cJSON *j)
{
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsBool(j))
		return "boolean";
	if (cJSON_IsNumber(j))
		return "number";
	if (cJSON_IsString(j))
		return "string";
	if (cJSON_IsArray(j))
		return "array";
	if (cJSON_IsObject(j))
		return "object";
	return "invalid";
}

static const char *const type_names[] = {
	[OCPP_ST_ANY] = "any", [OCPP_ST_OBJECT] = "object", [OCPP_ST_STRING] = "string",
	[OCPP_ST_INTEGER] = "integer", [OCPP_ST_NUMBER] = "number",
	[OCPP_ST_BOOLEAN] = "boolean", [OCPP_ST_ARRAY] = "array",
};

/* maxLength counts code points, as ajv does (ucs2length). */
static size_t validate_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool validate_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool validate_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 3986 pchar minus pct-encoded: unreserved, sub-delims, ':' '@'. */
static bool validate_is_pchar(char c)
{
	return validate_is_alpha(c) || (c >= '0' && c <= '9') || (c != '\0' && strchr("-._~!$&'()*+,;=:@", c));
}

/* Consumes chars accepted by ok (plus %XX escapes) and any in extra. */
static bool validate_uri_run(const char **p, bool (*ok)(char), const char *extra)
{
	while (**p) {
		char c = **p;
		if (c == '%') {
			if (!validate_is_hex((*p)[1]) || !validate_is_hex((*p)[2]))
				return false;
			*p += 3;
		} else if (ok(c) || (extra && strchr(extra, c))) {
			(*p)++;
		} else {
			break;
		}
	}
	return true;
}

static bool validate_is_userinfo(char c)
{
	return validate_is_alpha(c) || (c >= '0' && c <= '9') || (c != '\0' && strchr("-._~!$&'()*+,;=:", c));
}

static bool validate_is_ipchar(char c)
{
	return validate_is_hex(c) || c == ':' || c == '.' || c == 'v' || c == 'V';
}

/*
 * An absolute URI as ajv-formats' "uri" accepts it: scheme ':' then
 * RFC 3986 path characters, '?' query, '#' fragment.  Its pattern lets
 * "scheme://" be read as an empty authority plus a path, so a host, user
 * info or port made of path characters always passes; only an IP literal
 * ("[...]", checked here for its characters, not its form) needs the
 * authority branch.  Used by GetDiagnostics / UpdateFirmware "location".
 */
static bool validate_uri(const char *s)
{
	const char *p = s;

	if (!validate_is_alpha(*p))
		return false;
	while (validate_is_alpha(*p) || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p++ != ':')
		return false;
	if (p[0] == '/' && p[1] == '/') {
		const char *end = p + 2 + strcspn(p + 2, "/?#");
		const char *lit = memchr(p + 2, '[', (size_t)(end - p - 2));

		if (lit != NULL) {
			p += 2;
			if (!validate_uri_run(&p, validate_is_userinfo, NULL))
				return false;
			if (p != lit) {
				if (*p != '@' || p + 1 != lit)
					return false;
			}
			p = lit + 1;
			while (validate_is_ipchar(*p))
				p++;
			if (*p++ != ']')
				return false;
			if (*p == ':') {
				p++;
				while (*p >= '0' && *p <= '9')
					p++;
			}
			if (p != end)
				return false;
		}
	}
	if (!validate_uri_run(&p, validate_is_pchar, "/"))
		return false;
	if (*p == '?') {
		p++;
		if (!validate_uri_run(&p, validate_is_pchar, "/?"))
			return false;
	}
	if (*p == '#') {
		p++;
		if (!validate_uri_run(&p, validate_is_pchar, "/?"))
			return false;
	}
	return *p == '\0';
}

static ocpp_error validate_node(struct vctx *v, unsigned idx, const cJSON *j);

static ocpp_error validate_object(struct vctx *v, const struct ocpp_schema_node *n, const cJSON *j)
{
	const struct ocpp_schema_prop *props = &ocpp_schema_props[n->a];
	const cJSON *c;
	unsigned old;

	/* Same order as ajv: required, then unknown names, then each value. */
	for (unsigned i = 0; i < n->b; i++) {
		if (props[i].required && !cJSON_GetObjectItemCaseSensitive(j, props[i].name)) {
			validate_push_name(v, props[i].name);
			return validate_fail(v, OCPP_ERR_OCCURENCE_CONSTRAINT, "missing");
		}
	}
	if (!(n->flags & OCPP_SF_OPEN)) {
		cJSON_ArrayForEach(c, j) {
			unsigned i;
			for (i = 0; i < n->b; i++)
				if (c->string && strcmp(c->string, props[i].name) == 0)
					break;
			if (i == n->b) {
				char path[CP_MAX_ERROR_DESC];

				old = validate_push_name(v, c->string ? c->string : "?");
				if (v->on_unknown == NULL)
					return validate_fail(v, OCPP_ERR_FORMATION, "unknown property");
				/* Lenient, except for a name that differs from a schema
				 * name only in case: a reader that looks names up
				 * without regard to case (cJSON_GetObjectItem) could
				 * take its unchecked value for the checked one. */
				for (unsigned k = 0; c->string && k < n->b; k++)
					if (strcasecmp(c->string, props[k].name) == 0)
						return validate_fail(v, OCPP_ERR_FORMATION,
						    "unknown property (differs from \"%s\" only in case)",
						    props[k].name);
				/* Lenient: reported, then neither checked nor refused. */
				v->on_unknown(v->user, validate_path(v, path, sizeof(path)));
				validate_pop(v, old);
			}
		}
	}
	for (unsigned i = 0; i < n->b; i++) {
		ocpp_error e;

		c = cJSON_GetObjectItemCaseSensitive(j, props[i].name);
		if (c == NULL || props[i].node == 0)
			continue;
		old = validate_push_name(v, props[i].name);
		e = validate_node(v, props[i].node, c);
		if (e != OCPP_ERR_NONE)
			return e;
		validate_pop(v, old);
	}
	return OCPP_ERR_NONE;
}

static ocpp_error validate_string(struct vctx *v, const struct ocpp_schema_node *n, const cJSON *j)
{
	const char *s = j->valuestring;

	if (n->range) {
		const struct ocpp_schema_range *r = &ocpp_schema_ranges[n->range];
		size_t len = validate_utf8_len(s);
		if (r->has_max && (double)len > r->max)
			return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT,
			    "length %zu exceeds maxLength %.0f", len, r->max);
		if (r->has_min && (double)len < r->min)
			return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT,
			    "length %zu below minLength %.0f", len, r->min);
	}
	if (n->b) {
		const char *const *values = &ocpp_schema_enums[n->a];
		char list[160];
		size_t off = 0;
		unsigned i;

		for (i = 0; i < n->b; i++)
			if (strcmp(s, values[i]) == 0)
				break;
		if (i == n->b) {
			list[0] = '\0';
			for (i = 0; i < n->b && off < sizeof(list); i++) {
				int k = snprintf(list + off, sizeof(list) - off, "%s%s", i ? "|" : "", values[i]);
				if (k < 0)
					break;
				off += (size_t)k;
			}
			return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT,
			    "\"%.*s\" is not one of %s", VALIDATE_QUOTE(s), list);
		}
	}
	if (n->format == OCPP_SFMT_DATE_TIME && ocpp_time_parse(s, NULL) != 0)
		return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT,
		    "\"%.*s\" is not an RFC 3339 date-time", VALIDATE_QUOTE(s));
	if (n->format == OCPP_SFMT_URI && !validate_uri(s))
		return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT, "\"%.*s\" is not a URI",
		    VALIDATE_QUOTE(s));
	return OCPP_ERR_NONE;
}

static ocpp_error validate_number(struct vctx *v, const struct ocpp_schema_node *n, double x)
{
	const struct ocpp_schema_range *r = &ocpp_schema_ranges[n->range];

	if (n->range == 0)
		return OCPP_ERR_NONE;
	if (r->has_min && x < r->min)
		return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT, "%g below minimum %g", x, r->min);
	if (r->has_max && x > r->max)
		return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT, "%g above maximum %g", x, r->max);
	if (r->has_mult) {
		double q = x / r->mult;
		if (!(fabs(round(q) - q) < MULTIPLE_OF_EPSILON))
			return validate_fail(v, OCPP_ERR_PROPERTY_CONSTRAINT,
			    "%g is not a multiple of %g", x, r->mult);
	}
	return OCPP_ERR_NONE;
}

static ocpp_error validate_array(struct vctx *v, const struct ocpp_schema_node *n, const cJSON *j)
{
	int count = cJSON_GetArraySize(j), i = 0;
	const cJSON *c;

	if (n->range) {
		const struct ocpp_schema_range *r = &ocpp_schema_ranges[n->range];
		if (r->has_min && count < r->min)
			return validate_fail(v, OCPP_ERR_OCCURENCE_CONSTRAINT,
			    "%d items, at least %.0f required", count, r->min);
		if (r->has_max && count > r->max)
			return validate_fail(v, OCPP_ERR_OCCURENCE_CONSTRAINT,
			    "%d items, at most %.0f allowed", count, r->max);
	}
	if (n->a == 0)
		return OCPP_ERR_NONE;
	cJSON_ArrayForEach(c, j) {
		unsigned old = validate_push_index(v, i++);
		ocpp_error e = validate_node(v, n->a, c);
		if (e != OCPP_ERR_NONE)
			return e;
		validate_pop(v, old);
	}
	return OCPP_ERR_NONE;
}

static ocpp_error validate_node(struct vctx *v, unsigned idx, const cJSON *j)
{
	const struct ocpp_schema_node *n = &ocpp_schema_nodes[idx];
	bool ok;

	switch (n->type) {
	case OCPP_ST_ANY:
		return OCPP_ERR_NONE;
	case OCPP_ST_OBJECT:
		ok = cJSON_IsObject(j);
		break;
	case OCPP_ST_STRING:
		ok = cJSON_IsString(j) && j->valuestring != NULL;
		break;
	case OCPP_ST_INTEGER:
		/* JSON has one number type: an integer is one with no fraction. */
		ok = cJSON_IsNumber(j) && isfinite(j->valuedouble) &&
		    j->valuedouble == trunc(j->valuedouble);
		break;
	case OCPP_ST_NUMBER:
		ok = cJSON_IsNumber(j) && isfinite(j->valuedouble);
		break;
	case OCPP_ST_BOOLEAN:
		ok = cJSON_IsBool(j);
		break;
	case OCPP_ST_ARRAY:
		ok = cJSON_IsArray(j);
		break;
	default:
		return validate_fail(v, OCPP_ERR_INTERNAL, "schema table corrupt (type %u)", n->type);
	}
	if (!ok) {
		if (cJSON_IsNumber(j) && (n->type == OCPP_ST_INTEGER || n->type == OCPP_ST_NUMBER))
			return validate_fail(v, OCPP_ERR_TYPE_CONSTRAINT, "expected %s, got %g",
			    type_names[n->type], j->valuedouble);
		return validate_fail(v, OCPP_ERR_TYPE_CONSTRAINT, "expected %s, got %s",
		    type_names[n->type], validate_json_type(j));
	}
	switch (n->type) {
	case OCPP_ST_OBJECT:
		return validate_object(v, n, j);
	case OCPP_ST_STRING:
		return validate_string(v, n, j);
	case OCPP_ST_INTEGER:
	case OCPP_ST_NUMBER:
		return validate_number(v, n, j->valuedouble);
	case OCPP_ST_ARRAY:
		return validate_array(v, n, j);
	default:
		return OCPP_ERR_NONE;
	}
}

ocpp_error ocpp_validate(const char *action, ocpp_dir dir, const cJSON *payload,
    char *desc, size_t desclen)
{
	return ocpp_validate_lenient(action, dir, payload, desc, desclen, NULL, NULL);
}

ocpp_error ocpp_validate_lenient(const char *action, ocpp_dir dir, const cJSON *payload,
    char *desc, size_t desclen, ocpp_unknown_fn on_unknown, void *user)
{
	const struct ocpp_schema_action *a = validate_find_action(action);
	struct vctx v;

	/* Not an initializer: that would zero all of seg[] on every call. */
	v.desc = desc;
	v.desclen = desclen;
	v.on_unknown = on_unknown;
	v.user = user;
	v.depth = 0;

	if (desc != NULL && desclen > 0)
		desc[0] = '\0';
	if (a == NULL)
		return validate_fail(&v, OCPP_ERR_NOT_IMPLEMENTED, "unknown action \"%.*s\"",
		    VALIDATE_QUOTE(action ? action : "(null)"));
	/* OCPP-J: a payload is always an object ({} when empty), never null. */
	if (payload == NULL || !cJSON_IsObject(payload))
		return validate_fail(&v, OCPP_ERR_FORMATION, "not a JSON object (got %s)",
		    payload ? validate_json_type(payload) : "nothing");
	return validate_node(&v, dir == OCPP_REQ ? a->req : a->conf, payload);
}
