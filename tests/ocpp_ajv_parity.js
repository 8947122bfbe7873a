#!/usr/bin/env node
/*
 * ocpp_ajv_parity.js - random payloads for all 78 OCPP 1.6 schemas, valid and
 * mutated, judged by ajv (through ocpp-rpc's own validator, as the
 * conformance central system does) and by our C validator
 * (tests/ocpp_validate_cli).  Valid / invalid must agree on every one.
 *
 * Usage: node tests/ocpp_ajv_parity.js <path to ocpp_validate_cli> [count]
 * Fixed seed: the same payloads on every run.
 */
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

const top = path.resolve(__dirname, '..');
const cli = process.argv[2];
const perSchema = Number(process.argv[3] || 60);
const schemas = require(path.join(top, 'node_modules/ocpp-rpc/lib/schemas/ocpp1_6.json'));
const { createValidator } = require(path.join(top, 'node_modules/ocpp-rpc/lib/validator.js'));
const validator = createValidator('ocpp1.6', schemas);

let seed = 0x2545f491;
function rnd() {		/* mulberry32 */
	seed = (seed + 0x6d2b79f5) | 0;
	let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = a => a[Math.floor(rnd() * a.length)];
const chance = p => rnd() < p;

function dateTime() {
	if (chance(0.5))
		return pick(['2026-11-28T15:00:00Z', '2026-11-28T15:00:00.123+01:00', '2024-02-29T00:00:00Z']);
	const d2 = n => String(n).padStart(2, '0');
	return String(pick([2026, 2024, 1900, 2100, 0])).padStart(4, '0') + '-' +
		d2(pick([1, 2, 4, 12, 0, 13])) + '-' + d2(pick([1, 28, 29, 30, 31, 0, 32])) +
		pick(['T', 't', ' ', '\t', 'x', '']) +
		d2(pick([0, 15, 23, 24])) + ':' + d2(pick([0, 59, 60])) + ':' + d2(pick([0, 59, 60])) +
		pick(['', '', '.', '.1', '.123456', ',5']) +
		pick(['Z', 'z', '+01:00', '+0100', '+01', '-23:59', '+01:', '', '+1:00', '+99:99', 'Z ']);
}

/* IP literals are left out: we check their characters only, ajv their form. */
function uri() {
	if (chance(0.3))
		return pick(['http://example.com/fw.bin', 'ftp://u:p@host:21/x', 'https://[::1]:8443/up']);
	return pick(['http', 'ftp', 'HTTPS', 'a+b.c-d', '1http', '', 'h_t']) + pick([':', ':', '']) +
		pick(['//', '//', '/', '']) + pick(['', 'u:p@', 'u%41@', 'u@@']) +
		pick(['host', 'h.example', 'ho st', '%41b', '%4', '', 'h:x']) +
		pick(['', ':21', ':', ':port']) + pick(['', '/a/b', '/a b', '/%zz', '/ok%20', '/a:@!$']) +
		pick(['', '?x=1', '?a/b?c', '?<']) + pick(['', '#f', '#a#b', '#/?']);
}

function str(node) {
	const max = node.maxLength !== undefined ? node.maxLength : 30;
	const len = pick([0, 1, 5, max, max + 1, Math.min(max, 40)]);
	const ch = pick(['a', '\u00e9', '\u{1F600}']);
	return ch.repeat(Math.max(0, len));
}

function gen(node, doc, depth) {
	if (node.$ref)
		return gen(doc.definitions[node.$ref.split('/').pop()], doc, depth);
	switch (node.type) {
	case 'object': {
		const o = {};
		const req = node.required || [];
		for (const [k, v] of Object.entries(node.properties || {}))
			if (req.includes(k) || chance(0.5))
				o[k] = depth > 6 ? {} : gen(v, doc, depth + 1);
		return o;
	}
	case 'array': {
		const n = pick([0, 1, 2, 3]);
		const a = [];
		for (let i = 0; i < n; i++)
			a.push(gen(node.items || {}, doc, depth + 1));
		return a;
	}
	case 'string':
		if (node.enum)
			return chance(0.9) ? pick(node.enum) : pick(node.enum).toLowerCase();
		if (node.format === 'date-time')
			return dateTime();
		if (node.format === 'uri')
			return uri();
		return str(node);
	case 'integer':
		return pick([0, 1, -1, 7, 2147483647, 1.5, 1e20, -0]);
	case 'number':
		return pick([0, 16, 17.2, 0.15, 32.05, 6.1, -3.3, 1e-7, 100.00000001, 230.4]);
	case 'boolean':
		return chance(0.5);
	default:
		return 'any';
	}
}

const WRONG = [null, 1, 1.5, 'x', true, [], {}, '2026-13-01T00:00:00Z', 'z'.repeat(600), -1, 0.1];

/* One random structural change anywhere in the tree. */
function mutate(v) {
	const spots = [];
	(function walk(x) {
		if (x && typeof x === 'object') {
			spots.push(x);
			for (const k of Object.keys(x))
				walk(x[k]);
		}
	})(v);
	const s = pick(spots);
	const keys = Object.keys(s);
	switch (pick(['del', 'add', 'swap', 'swap'])) {
	case 'del':
		if (keys.length)
			Array.isArray(s) ? s.splice(Number(pick(keys)), 1) : delete s[pick(keys)];
		break;
	case 'add':
		if (Array.isArray(s))
			s.push(pick(WRONG));
		else
			s[pick(['zz', 'Status', 'idtag'])] = 1;
		break;
	default:
		if (keys.length)
			s[pick(keys)] = pick(WRONG);
		break;
	}
	return v;
}

const cases = [];
for (const schema of schemas) {
	const m = /^urn:(\w+)\.(req|conf)$/.exec(schema.$id);
	for (let i = 0; i < perSchema; i++) {
		let p = gen(schema, schema, 0);
		if (chance(0.4))
			p = mutate(p);
		cases.push({ action: m[1], dir: m[2], schemaId: schema.$id, payload: p });
	}
}
cases.push({ action: 'Heartbeat', dir: 'req', schemaId: 'urn:Heartbeat.req', payload: [] });
cases.push({ action: 'Heartbeat', dir: 'req', schemaId: 'urn:Heartbeat.req', payload: null });

const input = cases.map(c => `${c.action}\t${c.dir}\t${JSON.stringify(c.payload)}\n`).join('');
const run = spawnSync(cli, [], { input, maxBuffer: 64 << 20 });
if (run.status !== 0) {
	console.error(`${cli} failed: ${run.stderr}`);
	process.exit(99);
}
const ours = run.stdout.toString().split('\n');
let bad = 0, valid = 0;
cases.forEach((c, i) => {
	let ajvValid = true, ajvErr = '';
	try {
		validator.validate(c.schemaId, c.payload);
	} catch (e) {
		ajvValid = false;
		ajvErr = e.message;
	}
	const oursValid = ours[i] === 'None';
	valid += ajvValid ? 1 : 0;
	if (ours[i] === 'BadInput' || ajvValid !== oursValid) {
		if (bad++ < 20)
			console.log(`MISMATCH ${c.schemaId} ${JSON.stringify(c.payload).slice(0, 300)}\n` +
				`  ajv: ${ajvValid ? 'valid' : ajvErr.slice(0, 200)}\n  ours: ${ours[i]}`);
	}
});
console.log(`${cases.length} payloads (${valid} valid per ajv), ${bad} disagreements`);
process.exit(bad ? 1 : 0);
