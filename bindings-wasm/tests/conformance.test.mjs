// The shared conformance cases (conformance/cases/*.json) run through the public JS API of the
// installed package. Each case: {name, operation, input, expected (subset match) |
// expected_error {code, path}}. Prints "N passed, N failed" and writes each case's output to
// out/conformance/js/<name>.json (repo root) for byte comparison with the other bindings.
//
// Output form: the core's JSON shape (snake_case keys, decimals as strings). Rows of the JS API
// are mapped back mechanically (camelCase -> snake_case, the `…Number` chart twins dropped);
// errors are written as {"error": {"code", "path"}}. JSON.stringify with 2-space indent and a
// final newline.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Assessments, Methodology, ParIndexError, SurveyDesign, display, loadUncertainty, presets, proportionCi, sipas,
} from "par-index";

// The Monte Carlo analysis is a second module of the package, loaded through its public path.
const uncertainty = await loadUncertainty();

const root = process.env.PAR_INDEX_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const casesDir = process.env.PAR_INDEX_CONFORMANCE_DIR ?? join(root, "conformance", "cases");
const outDir = join(root, "out", "conformance", "js");

const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A JS API row in the core's shape: snake_case keys, chart twins dropped. */
function coreShape(v) {
  if (Array.isArray(v)) return v.map(coreShape);
  if (v === null || typeof v !== "object") return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.endsWith("Number") || k.endsWith("Display")) continue;
    out[snake(k)] = coreShape(x);
  }
  return out;
}

/** JSON given as text is passed as it is (so error columns agree across bindings). */
const text = (v) => (typeof v === "string" ? v : JSON.stringify(v));

function methodologyOf(input) {
  return Methodology.fromJson(text(input.methodology));
}

function assessmentsOf(input) {
  if (typeof input.assessments_csv === "string") {
    const options = {};
    for (const [k, v] of Object.entries(input.csv_options ?? {})) options[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = v;
    return Assessments.fromCsv(input.assessments_csv, options);
  }
  return Assessments.fromJson(text(input.assessments));
}

const designOf = (input) => (input.design !== undefined ? SurveyDesign.fromObject(input.design) : input.items);

/** A SIPAS result in the core's shape. */
function sipasOutput(r) {
  const whole = JSON.parse(r.toJson());
  return {
    items: coreShape(r.items()),
    elements: coreShape(r.elements()),
    overall: coreShape(r.overall()),
    all: whole.all,
    groups: whole.groups,
  };
}

/** Each operation the JS API supports, mapped to public calls; output in the core's shape. */
const operations = {
  validate: (input) => {
    methodologyOf(input);
    return { valid: true };
  },
  score: (input) => JSON.parse(methodologyOf(input).score(assessmentsOf(input)).toJson()),
  explain: (input) => {
    const audit = coreShape(methodologyOf(input).score(assessmentsOf(input)).explain(input.unit ?? ""));
    delete audit.text;
    return audit;
  },
  profile: (input) => coreShape(methodologyOf(input).score(assessmentsOf(input)).profile(input.unit ?? "")),
  gap: (input) => coreShape(methodologyOf(input).score(assessmentsOf(input)).gap(input.unit ?? "")),
  what_if: (input) => {
    const m = methodologyOf(input);
    const w = m.whatIf(m.score(assessmentsOf(input)), input.changes ?? [], input.weights);
    return { scorecard: JSON.parse(w.scorecard.toJson()), movements: coreShape(w.movements) };
  },
  uncertainty: (input) => {
    const assessments = typeof input.assessments_csv === "string" ? assessmentsOf(input) : text(input.assessments);
    return coreShape(uncertainty.run(text(input.methodology), assessments, text(input.spec)));
  },
  compare: (input) => {
    const now = methodologyOf(input).score(assessmentsOf(input));
    const before = Methodology.fromJson(text(input.previous_methodology)).score(Assessments.fromJson(text(input.previous_assessments)));
    return coreShape(now.compare(before, input.mapping ?? {}));
  },
  display: (input) => ({ display: display(input.value, { places: input.places ?? 2, mode: input.mode === "half_even" ? "half_even" : "half_up" }) }),
  proportion_ci: (input) => proportionCi(input.successes, input.n, { method: input.method ?? undefined, level: input.level ?? undefined }),
  sipas: (input) => {
    const o = input.options ?? {};
    return sipasOutput(sipas(input.responses, designOf(input), {
      ci: o.ci ?? undefined,
      level: o.level ?? undefined,
      weight: o.weight ?? undefined,
    }));
  },
  sipas_csv: (input) => {
    const o = input.options ?? {};
    const r = sipas(input.csv, designOf(input), {
      unit: o.unit_column, group: o.group_column, weight: o.weight_column, ci: o.ci ?? undefined, level: o.level ?? undefined,
    });
    // JavaScript lists rejected rows in the report instead of throwing; the first one fails the
    // case, as in the strict readers of Rust and Python (with the code the report gives it).
    const [rejected] = r.report().rejections;
    if (rejected !== undefined) throw new ParIndexError(rejected.reason, rejected.code, rejected.path, "survey");
    return sipasOutput(r);
  },
  preset: (input) => {
    (input.kind === "assessments" ? presets.assessments : presets.methodology)(input.name);
    return { valid: true };
  },
};

/** `expected` is contained in `actual`: objects by key, arrays element by element. */
function subset(expected, actual, tolerance, path = "$") {
  if (expected === null || typeof expected !== "object") {
    if (typeof expected === "number" && typeof actual === "number") {
      if (expected !== actual && !(Math.abs(expected - actual) <= tolerance)) {
        throw new Error(`${path}: expected ${expected}, got ${actual} (tolerance ${tolerance})`);
      }
      return;
    }
    if (expected !== actual) throw new Error(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Error(`${path}: expected an array, got ${JSON.stringify(actual)}`);
    if (expected.length !== actual.length) throw new Error(`${path}: expected ${expected.length} elements, got ${actual.length}`);
    expected.forEach((e, i) => subset(e, actual[i], tolerance, `${path}[${i}]`));
    return;
  }
  if (actual === null || typeof actual !== "object") throw new Error(`${path}: expected an object, got ${JSON.stringify(actual)}`);
  for (const [k, e] of Object.entries(expected)) {
    if (!(k in actual)) throw new Error(`${path}.${k}: missing`);
    subset(e, actual[k], tolerance, `${path}.${k}`);
  }
}

// The core's float figures (f64): JSON from Rust writes a whole-valued one as `1.0`, JavaScript
// as `1`; the cross-binding comparison parses with Python, which keeps int and float apart, so
// these keys are written the Rust way. Every other number is written as JavaScript writes it.
const FLOAT_KEYS = new Set([
  "low", "high", "se", "ci_low", "ci_high", "n_eff",
  "mean_absolute_rank_shift", "mean_index", "index_sd", "mean_rank", "probability", "first_order", "total", "variance",
]);
function stringify(value) {
  const marked = JSON.stringify(value, (k, v) => (FLOAT_KEYS.has(k) && Number.isInteger(v) ? `\u0000float:${v}` : v), 2);
  return marked.replace(/"\\u0000float:(-?\d+)"/g, "$1.0");
}

// Error codes of the cases that passed here, for the catalogue check below.
const passedErrorCodes = new Set();

const files = existsSync(casesDir) ? readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort() : [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const skipped = [];
mkdirSync(outDir, { recursive: true });

for (const file of files) {
  const c = JSON.parse(readFileSync(join(casesDir, file), "utf8"));
  const name = c.name ?? file.replace(/\.json$/, "");
  const run = operations[c.operation];
  if (run === undefined) {
    counts.skipped += 1;
    skipped.push(`${name} (${c.operation})`);
    test(`conformance ${name}`, { skip: `operation ${c.operation} is not in the JS API` }, () => {});
    continue;
  }
  test(`conformance ${name}`, () => {
    let output;
    let error = null;
    try {
      output = run(c.input ?? {});
    } catch (e) {
      if (!(e instanceof ParIndexError)) {
        counts.failed += 1;
        throw e;
      }
      error = { code: e.code, path: e.path };
      output = { error };
    }
    writeFileSync(join(outDir, `${name}.json`), `${stringify(output)}\n`);
    try {
      if (c.expected_error !== undefined) {
        assert.ok(error !== null, `expected error ${c.expected_error.code}, got a result`);
        subset(c.expected_error, error, 0);
      } else {
        assert.equal(error, null, `unexpected error ${JSON.stringify(error)}`);
        if (c.expected !== undefined) subset(c.expected, output, c.tolerance ?? 0);
      }
      counts.passed += 1;
      if (c.expected_error !== undefined) passedErrorCodes.add(c.expected_error.code);
    } catch (e) {
      counts.failed += 1;
      throw e;
    }
  });
}

after(() => {
  console.log(`conformance (${casesDir}): ${counts.passed} passed, ${counts.failed} failed` + (counts.skipped ? `, ${counts.skipped} skipped: ${skipped.join(", ")}` : ""));
});

if (files.length === 0) {
  test("conformance cases present", { skip: `no cases in ${casesDir}` }, () => {});
}

// Codes of docs/errors.md that no conformance case raises in JavaScript, each tested directly by
// the file named (bindings-wasm/tests/, which must mention the code). Keep it short: a code
// belongs here only when no shared operation can raise it in JavaScript.
const DIRECT = {
  panic: "errors.test.mjs", // a trap of the WebAssembly module; the core panics on no input
  not_built: "errors.test.mjs", // a copy of the package without its uncertainty/ module
  not_initialized: "browser.mjs", // the browser build before `await init()` (Node needs no init)
};

/**
 * Codes of the error catalogue (rows starting with "| `code`") that are neither the code of a
 * passing error case (`covered`), nor in `direct`, nor documented in a row of theirs as
 * "`binding`: cannot occur".
 */
function uncovered(catalogue, covered, direct, binding) {
  const exempt = new Map();
  for (const line of catalogue.split("\n")) {
    const m = /^\| `([^`]*)`/.exec(line);
    if (m) exempt.set(m[1], exempt.get(m[1]) === true || line.includes(`${binding}: cannot occur`));
  }
  return [...exempt].filter(([code, x]) => !x && !covered.has(code) && !Object.hasOwn(direct, code)).map(([code]) => code).sort();
}

test("every catalogued error code is tested", () => {
  const catalogue = readFileSync(join(root, "docs", "errors.md"), "utf8");
  for (const [code, file] of Object.entries(DIRECT)) {
    assert.ok(catalogue.includes(`| \`${code}\` |`), `${code} is not in docs/errors.md`);
    assert.ok(readFileSync(join(root, "bindings-wasm", "tests", file), "utf8").includes(`"${code}"`), `${file} does not test ${code}`);
  }
  const missing = uncovered(catalogue, passedErrorCodes, DIRECT, "JS");
  assert.deepEqual(missing, [], `error codes with no conformance case and no direct JS test: ${missing.join(", ")}`);
  // The check itself can fail: an uncovered code is named.
  const sample = "| `zz_new` | a |\n| `csv` | b |\n| `internal` | JS: cannot occur |\n";
  assert.deepEqual(uncovered(sample, new Set(["csv"]), {}, "JS"), ["zz_new"]);
});
