#!/usr/bin/env node
/*
 * gen_schemas.js - turns the official OCPP 1.6 JSON schemas into compact C
 * validation tables (ocpp/schemas_gen.c + ocpp/schemas_gen.h).
 *
 * Usage: node ocpp/gen/gen_schemas.js [schemas.json [out.c [out.h]]]
 * Defaults: node_modules/ocpp-rpc/lib/schemas/ocpp1_6.json (the file the
 * conformance central system validates with), ocpp/schemas_gen.{c,h}.
 *
 * The output is deterministic (same input, same bytes): tests/check_schemas_gen.sh
 * regenerates it and diffs against the committed copy.
 *
 * Table shape: every schema node (after resolving $ref into definitions) is
 * one row of ocpp_schema_nodes[]; identical nodes are stored once.  An object
 * node points to a run of rows in ocpp_schema_props[], a string node to a run
 * of ocpp_schema_enums[], an array node to its items node, and a node with a
 * range (min/max length, items, value, multipleOf) to a row of
 * ocpp_schema_ranges[].  Index 0 of nodes and ranges means "none".
 *
 * Keywords outside the supported set make the generator fail loudly, so a new
 * schema release cannot silently lose a constraint.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const inFile = process.argv[2] || path.join(root, 'node_modules/ocpp-rpc/lib/schemas/ocpp1_6.json');
const outC = process.argv[3] || path.join(root, 'ocpp/schemas_gen.c');
const outH = process.argv[4] || path.join(root, 'ocpp/schemas_gen.h');

const SUPPORTED = new Set(['$id', '$schema', 'type', 'properties', 'required',
	'additionalProperties', 'maxLength', 'minLength', 'format', 'enum',
	'definitions', '$ref', 'items', 'multipleOf', 'minItems', 'maxItems',
	'minimum', 'maximum', 'description', 'title', 'javaType', 'comment']);
const TYPES = { object: 'OCPP_ST_OBJECT', string: 'OCPP_ST_STRING', integer: 'OCPP_ST_INTEGER',
	number: 'OCPP_ST_NUMBER', boolean: 'OCPP_ST_BOOLEAN', array: 'OCPP_ST_ARRAY' };
const FORMATS = { 'date-time': 'OCPP_SFMT_DATE_TIME', uri: 'OCPP_SFMT_URI' };

const schemas = JSON.parse(fs.readFileSync(inFile, 'utf8'));
if (!Array.isArray(schemas))
	throw new Error(`${inFile}: expected an array of schemas`);

/* Row tables; index 0 is the "none" row of nodes and ranges. */
const nodes = [{ key: 'none', text: null, where: '' }];
const nodeIndex = new Map();
const ranges = [{ key: 'none' }];
const rangeIndex = new Map();
const props = [];
const enums = [];
const enumIndex = new Map();

function fail(where, msg) {
	throw new Error(`${where}: ${msg}`);
}

/* C string literal; the schemas are ASCII but escape defensively. */
function cstr(s) {
	return '"' + s.replace(/[\\"]/g, c => '\\' + c)
		.replace(/[^\x20-\x7e]/g, c => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0') + '""') + '"';
}

/* Shortest text that reads back as the same double. */
function cdouble(x) {
	let s = String(x);
	if (!/[.eE]/.test(s))
		s += '.0';
	return s;
}

function enumRun(values, where) {
	for (const v of values)
		if (typeof v !== 'string')
			fail(where, 'only string enums are supported');
	const key = JSON.stringify(values);
	if (enumIndex.has(key))
		return enumIndex.get(key);
	const first = enums.length;
	enums.push(...values);
	enumIndex.set(key, first);
	return first;
}

function rangeRow(r) {
	const key = JSON.stringify(r);
	if (rangeIndex.has(key))
		return rangeIndex.get(key);
	ranges.push(Object.assign({ key }, r));
	rangeIndex.set(key, ranges.length - 1);
	return ranges.length - 1;
}

function resolveRef(ref, doc, where) {
	const m = /^#\/definitions\/([A-Za-z0-9_]+)$/.exec(ref);
	if (!m || !doc.definitions || !doc.definitions[m[1]])
		fail(where, `unresolvable $ref ${ref}`);
	return doc.definitions[m[1]];
}

/* Returns the node index of schema s (post-order: children first). */
function emitNode(s, doc, where, depth) {
	if (depth > 32)
		fail(where, '$ref cycle or nesting too deep');
	if (typeof s !== 'object' || s === null)
		fail(where, 'schema node is not an object');
	for (const k of Object.keys(s))
		if (!SUPPORTED.has(k))
			fail(where, `unsupported keyword ${k}`);
	if (s.$ref) {
		const extra = Object.keys(s).filter(k => !['$ref', 'description', 'title'].includes(k));
		if (extra.length)
			fail(where, `$ref with sibling keywords ${extra}`);
		return emitNode(resolveRef(s.$ref, doc, where), doc, where, depth + 1);
	}

	const type = s.type === undefined ? 'OCPP_ST_ANY' : TYPES[s.type];
	if (!type)
		fail(where, `unsupported type ${JSON.stringify(s.type)}`);
	const flags = [];
	let format = 'OCPP_SFMT_NONE';
	let a = 0, b = 0, range = 0;

	if (s.format !== undefined) {
		if (!FORMATS[s.format])
			fail(where, `unsupported format ${s.format}`);
		format = FORMATS[s.format];
	}
	if (s.type === 'object') {
		const p = s.properties || {};
		const req = s.required || [];
		for (const r of req)
			if (typeof r !== 'string')
				fail(where, 'required entries must be strings');
		const rows = [];
		for (const name of Object.keys(p))
			rows.push({ name, node: emitNode(p[name], doc, `${where}.${name}`, depth + 1),
				required: req.includes(name) });
		/* A required name without a schema: present is enough. */
		for (const name of req)
			if (!(name in p))
				rows.push({ name, node: 0, required: true });
		if (rows.length > 255)
			fail(where, 'too many properties');
		/* Identical runs are shared like nodes are. */
		const key = JSON.stringify(rows);
		let first = -1;
		for (let i = 0; i + rows.length <= props.length && rows.length; i++) {
			if (JSON.stringify(props.slice(i, i + rows.length)) === key) {
				first = i;
				break;
			}
		}
		if (first < 0) {
			first = props.length;
			props.push(...rows);
		}
		a = rows.length ? first : 0;
		b = rows.length;
		if (s.additionalProperties !== false)
			flags.push('OCPP_SF_OPEN');
	} else if (s.properties || s.required || s.additionalProperties !== undefined) {
		fail(where, 'object keywords on a non-object node');
	}
	if (s.type === 'array') {
		a = s.items ? emitNode(s.items, doc, `${where}[]`, depth + 1) : 0;
		if (s.minItems !== undefined || s.maxItems !== undefined)
			range = rangeRow({ min: s.minItems, max: s.maxItems });
	} else if (s.items || s.minItems !== undefined || s.maxItems !== undefined) {
		fail(where, 'array keywords on a non-array node');
	}
	if (s.type === 'string') {
		if (s.enum) {
			if (s.enum.length === 0 || s.enum.length > 255)
				fail(where, 'enum size out of range');
			a = enumRun(s.enum, where);
			b = s.enum.length;
		}
		if (s.minLength !== undefined || s.maxLength !== undefined)
			range = rangeRow({ min: s.minLength, max: s.maxLength });
	} else if (s.enum || s.minLength !== undefined || s.maxLength !== undefined || s.format) {
		fail(where, 'string keywords on a non-string node');
	}
	if (s.type === 'integer' || s.type === 'number') {
		if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) {
			if (s.multipleOf !== undefined && !(s.multipleOf > 0))
				fail(where, 'multipleOf must be positive');
			range = rangeRow({ min: s.minimum, max: s.maximum, mult: s.multipleOf });
		}
	} else if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) {
		fail(where, 'numeric keywords on a non-numeric node');
	}
	if (a > 65535 || b > 65535)
		fail(where, 'table grew past 16-bit indices');

	const text = `{ ${type}, ${format}, ${flags.length ? flags.join(' | ') : '0'}, ${range}, ${a}, ${b} }`;
	if (nodeIndex.has(text))
		return nodeIndex.get(text);
	nodes.push({ key: text, text, where });
	nodeIndex.set(text, nodes.length - 1);
	if (nodes.length > 65535)
		fail(where, 'too many nodes');
	return nodes.length - 1;
}

/* Actions, sorted by name so the validator can binary-search them. */
const actions = new Map();
for (const s of schemas) {
	const m = /^urn:([A-Za-z0-9]+)\.(req|conf)$/.exec(s.$id || '');
	if (!m)
		fail(String(s.$id), 'unexpected $id (want urn:Action.req / urn:Action.conf)');
	if (!actions.has(m[1]))
		actions.set(m[1], { req: 0, conf: 0 });
	const slot = actions.get(m[1]);
	if (slot[m[2]])
		fail(s.$id, 'duplicate schema');
	slot[m[2]] = emitNode(s, s, `${m[1]}.${m[2]}`, 0);
}
const names = [...actions.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
for (const n of names)
	if (!actions.get(n).req || !actions.get(n).conf)
		fail(n, 'needs both a .req and a .conf schema');

const rel = path.relative(root, inFile).split(path.sep).join('/');
const banner = `/* Generated by ocpp/gen/gen_schemas.js from ${rel.startsWith('..') ? path.basename(inFile) : rel}.
 * Do not edit: change the generator and run it again (make check diffs it). */
`;

let h = banner + `#ifndef OCPP_SCHEMAS_GEN_H
#define OCPP_SCHEMAS_GEN_H

#include <stddef.h>
#include <stdint.h>

/* JSON type a node accepts.  ANY: a required name without a schema. */
enum ocpp_schema_type {
	OCPP_ST_ANY = 0,
	OCPP_ST_OBJECT,
	OCPP_ST_STRING,
	OCPP_ST_INTEGER,
	OCPP_ST_NUMBER,
	OCPP_ST_BOOLEAN,
	OCPP_ST_ARRAY,
};

/* String formats, checked as ajv-formats checks them. */
enum ocpp_schema_format {
	OCPP_SFMT_NONE = 0,
	OCPP_SFMT_DATE_TIME,
	OCPP_SFMT_URI,
};

/* Object accepts properties it does not list (additionalProperties not false). */
#define OCPP_SF_OPEN 0x01

/*
 * One schema node.  a/b by type: object = first row / count in
 * ocpp_schema_props; string = first row / count in ocpp_schema_enums (count 0:
 * no enum); array = items node in a (0: items unconstrained).
 */
struct ocpp_schema_node {
	uint8_t type;		/* enum ocpp_schema_type */
	uint8_t format;		/* enum ocpp_schema_format */
	uint8_t flags;		/* OCPP_SF_* */
	uint8_t range;		/* row of ocpp_schema_ranges, 0 = none */
	uint16_t a;
	uint16_t b;
};

/* Bounds: string length (code points), array items, or numeric value. */
struct ocpp_schema_range {
	uint8_t has_min, has_max, has_mult;
	double min, max, mult;
};

struct ocpp_schema_prop {
	const char *name;
	uint16_t node;		/* 0 = any value */
	uint8_t required;
};

struct ocpp_schema_action {
	const char *name;
	uint16_t req;		/* node of Action.req */
	uint16_t conf;		/* node of Action.conf */
};

extern const struct ocpp_schema_node ocpp_schema_nodes[];
extern const struct ocpp_schema_range ocpp_schema_ranges[];
extern const struct ocpp_schema_prop ocpp_schema_props[];
extern const char *const ocpp_schema_enums[];
/* Sorted by name (strcmp order). */
extern const struct ocpp_schema_action ocpp_schema_actions[];

#define OCPP_SCHEMA_NODE_COUNT ${nodes.length}
#define OCPP_SCHEMA_RANGE_COUNT ${ranges.length}
#define OCPP_SCHEMA_PROP_COUNT ${props.length}
#define OCPP_SCHEMA_ENUM_COUNT ${enums.length}
#define OCPP_SCHEMA_ACTION_COUNT ${names.length}

#endif
`;

if (ranges.length > 255)
	fail('ranges', 'too many range rows for uint8_t');

let c = banner + `#include "ocpp/schemas_gen.h"

const struct ocpp_schema_range ocpp_schema_ranges[OCPP_SCHEMA_RANGE_COUNT] = {
`;
for (const r of ranges) {
	if (r.key === 'none') {
		c += '\t{ 0, 0, 0, 0.0, 0.0, 0.0 },\n';
		continue;
	}
	c += `\t{ ${r.min !== undefined ? 1 : 0}, ${r.max !== undefined ? 1 : 0}, ${r.mult !== undefined ? 1 : 0}, ` +
		`${cdouble(r.min !== undefined ? r.min : 0)}, ${cdouble(r.max !== undefined ? r.max : 0)}, ` +
		`${cdouble(r.mult !== undefined ? r.mult : 0)} },\n`;
}
c += '};\n\nconst char *const ocpp_schema_enums[OCPP_SCHEMA_ENUM_COUNT] = {\n';
for (let i = 0; i < enums.length; i++)
	c += `\t/* ${String(i).padStart(3)} */ ${cstr(enums[i])},\n`;
c += '};\n\nconst struct ocpp_schema_prop ocpp_schema_props[OCPP_SCHEMA_PROP_COUNT] = {\n';
for (let i = 0; i < props.length; i++)
	c += `\t/* ${String(i).padStart(3)} */ { ${cstr(props[i].name)}, ${props[i].node}, ${props[i].required ? 1 : 0} },\n`;
c += '};\n\n/* { type, format, flags, range, a, b }, first use in a comment. */\n';
c += 'const struct ocpp_schema_node ocpp_schema_nodes[OCPP_SCHEMA_NODE_COUNT] = {\n';
for (let i = 0; i < nodes.length; i++) {
	const n = nodes[i];
	if (i === 0)
		c += '\t/*   0 */ { OCPP_ST_ANY, OCPP_SFMT_NONE, 0, 0, 0, 0 },\t/* none */\n';
	else
		c += `\t/* ${String(i).padStart(3)} */ ${n.text},\t/* ${n.where} */\n`;
}
c += '};\n\nconst struct ocpp_schema_action ocpp_schema_actions[OCPP_SCHEMA_ACTION_COUNT] = {\n';
for (const n of names)
	c += `\t{ ${cstr(n)}, ${actions.get(n).req}, ${actions.get(n).conf} },\n`;
c += '};\n';

fs.writeFileSync(outC, c);
fs.writeFileSync(outH, h);
