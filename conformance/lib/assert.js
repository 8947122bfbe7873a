'use strict';
// Assertions for conformance cases.  Every assertion takes the rule it relies on
// (e.g. "meterStop >= meterStart (OCPP 1.6 §6.49)"), so a failure says which
// rule the daemon broke, what was expected and what came.

const util = require('util');

class AssertionFailure extends Error {}
class SkipCase extends Error {}

function show(v) {
    return util.inspect(v, { depth: 6, breakLength: 120, maxStringLength: 300 });
}

function fail(rule, expected, got) {
    const lines = [rule];
    if (expected !== undefined) lines.push(`    expected: ${expected}`);
    if (got !== undefined) lines.push(`    got:      ${got}`);
    throw new AssertionFailure(lines.join('\n'));
}

// Deep partial match: every property of `want` must equal the one in `have`
// (arrays element-wise, extra properties in `have` are allowed).
function partialMatch(have, want) {
    if (want === null || typeof want !== 'object') return have === want;
    if (have === null || typeof have !== 'object') return false;
    if (Array.isArray(want)) {
        return Array.isArray(have) && want.length === have.length && want.every((w, i) => partialMatch(have[i], w));
    }
    return Object.keys(want).every((k) => partialMatch(have[k], want[k]));
}

const asserts = {
    ok(cond, rule, got) {
        if (!cond) fail(rule, undefined, got === undefined ? undefined : show(got));
    },
    equal(actual, expected, rule) {
        if (!util.isDeepStrictEqual(actual, expected)) fail(rule, show(expected), show(actual));
    },
    oneOf(actual, choices, rule) {
        if (!choices.some((c) => util.isDeepStrictEqual(actual, c))) fail(rule, `one of ${show(choices)}`, show(actual));
    },
    match(actual, want, rule) {
        if (!partialMatch(actual, want)) fail(rule, `an object containing ${show(want)}`, show(actual));
    },
    near(actual, expected, tol, rule) {
        if (typeof actual !== 'number' || Math.abs(actual - expected) > tol) fail(rule, `${expected} ± ${tol}`, show(actual));
    },
    atLeast(actual, min, rule) {
        if (typeof actual !== 'number' || !(actual >= min)) fail(rule, `>= ${min}`, show(actual));
    },
    atMost(actual, max, rule) {
        if (typeof actual !== 'number' || !(actual <= max)) fail(rule, `<= ${max}`, show(actual));
    },
    between(actual, lo, hi, rule) {
        if (typeof actual !== 'number' || actual < lo || actual > hi) fail(rule, `between ${lo} and ${hi}`, show(actual));
    },
    fail(rule, detail) {
        fail(rule, undefined, detail === undefined ? undefined : show(detail));
    },
};

module.exports = { asserts, AssertionFailure, SkipCase, partialMatch, show };
