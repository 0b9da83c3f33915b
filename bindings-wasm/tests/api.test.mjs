// The public API of the installed package (run from a consumer folder that installed the
// packed tarball: `scripts/test-js.sh`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import init, {
  Assessments,
  Methodology,
  ParIndexError,
  SurveyDesign,
  loadUncertainty,
  presets,
  proportionCi,
  sipas,
  version,
} from "par-index";

const require = createRequire(import.meta.url);

/** Asserts that `f` throws a ParIndexError with this code (and path, when given). */
function throwsPar(f, code, path) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof ParIndexError, `not a ParIndexError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, "ParIndexError");
    assert.equal(e.code, code, e.message);
    if (path !== undefined) assert.equal(e.path, path, e.message);
    assert.equal(typeof e.message, "string");
    return true;
  });
}

const DEMO = JSON.stringify({
  id: "demo",
  title: { vi: "Thử", en: "Demo" },
  source: "none",
  max_points: "10",
  criteria: [
    { code: "1", max_points: "6" },
    { code: "2", max_points: "4", rule: { type: "yes_no" } },
  ],
});

test("init resolves in Node and the version is the core's", async () => {
  await init();
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("the CommonJS entry is the same instance as the ES module entry", () => {
  const cjs = require("par-index");
  assert.equal(cjs.ParIndexError, ParIndexError);
  assert.equal(cjs.presets, presets);
  assert.equal(typeof cjs.init, "function");
});

test("the shipped declarations contain no `any`", () => {
  const dts = readFileSync(require.resolve("par-index/package.json").replace(/package\.json$/, "dist/index.d.ts"), "utf8");
  const code = dts.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
  assert.doesNotMatch(code, /\bany\b/);
});

test("the doc example: demo methodology scores 85", () => {
  const m = Methodology.fromJson(DEMO);
  assert.equal(m.id, "demo");
  const card = m.score({ units: [{ unit: "u1", values: { 1: 4.5, 2: "yes" } }] });
  const [u] = card.units();
  assert.equal(u.index, "85");
  assert.equal(u.indexNumber, 85);
  assert.equal(u.rank, 1);
});

test("2023 ministries: 17 rows in the published order, decimals exact", () => {
  const m = presets.methodology("par2023-ministries");
  const card = m.score(presets.assessments("par2023-ministries"));
  const rows = card.units();
  const published = presets.par2023MinistriesTable();
  assert.equal(rows.length, 17);
  assert.deepEqual(rows.map((r) => r.unit), published.map((p) => p.unitEn));
  assert.equal(rows[0].unit, "Ministry of Justice");
  assert.equal(rows[16].unit, "Ministry of Industry and Trade");
  assert.equal(rows[0].points, "89.96");
  assert.equal(typeof rows[0].pointsNumber, "number");
  assert.equal(rows[0].indexDisplay, "89.96");
  assert.equal(rows[0].tier, "B");
  assert.equal(rows[0].tierColor, "#2f6fb3");
  assert.deepEqual(rows.map((r) => r.rank), published.map((p) => p.rank));
  for (const r of rows) {
    for (const k of ["treePoints", "bonus", "penalty", "points", "maxPoints", "index"]) {
      assert.equal(r[`${k}Number`], Number(r[k]), `${k}Number is the double nearest to ${k}`);
    }
  }
  assert.deepEqual(card.units({ order: "input" }).map((r) => r.unit), published.map((p) => p.unitEn));
  assert.deepEqual(presets.names().includes("par2023-ministries"), true);
});

test("nodes, tiers and explain", () => {
  const m = presets.methodology("par2023-ministries");
  assert.deepEqual(m.nodes().map((n) => [n.code, n.maxPoints, n.leaf]), [["appraisal", "68.5", true], ["survey", "31.5", true]]);
  assert.deepEqual(m.tiers().map((b) => b.code), ["A", "B", "C"]);
  const card = m.score(presets.assessments("par2023-ministries"));
  const nodes = card.nodes("Ministry of Justice");
  assert.deepEqual(nodes.map((n) => [n.code, n.points, n.status, n.input]), [["appraisal", "61.86", "scored", "61.86"], ["survey", "28.1", "scored", "28.1"]]);
  assert.equal(card.nodes().length, 34);
  const audit = card.explain("Ministry of Justice");
  assert.equal(audit.lines[0].how, "sum of appraisal + survey = 61.86 + 28.1 = 89.96 of 100");
  assert.match(audit.text, /89\.96/);
  assert.equal(card.display("89.955"), "89.96");
  throwsPar(() => card.explain("Nobody"), "unknown_unit", "unit");
  throwsPar(() => card.display("abc"), "invalid_input", "value");
});

test("what-if: one value changes index, group and rank; the original is untouched", () => {
  const m = presets.methodology("par2023-ministries");
  const base = presets.assessments("par2023-ministries");
  const work = base.clone();
  work.setValue("Ministry of Industry and Trade", "appraisal", "68.5").setValue("Ministry of Industry and Trade", "survey", 31.5);
  const after = m.score(work).units();
  assert.equal(after[0].unit, "Ministry of Industry and Trade");
  assert.equal(after[0].index, "100");
  assert.equal(after[0].tier, "A");
  const before = m.score(base).units();
  assert.equal(before[16].unit, "Ministry of Industry and Trade");
  throwsPar(() => work.setValue("Nobody", "survey", 1), "unknown_unit");
  throwsPar(() => work.setValue("Ministry of Justice", "survey", "abc"), "malformed_value");
  work.setValue("Ministry of Justice", "survey", "40");
  throwsPar(() => m.score(work), "above_maximum");
});

test("assessments from CSV, records and objects", () => {
  const m = presets.methodology("par2023-ministries");
  const long = Assessments.fromCsv("unit,code,value\nmoj,appraisal,61.86\nmoj,survey,28.10\n");
  const wide = Assessments.fromCsv("unit,appraisal,survey\nmoj,61.86,28.10\n", { layout: "wide" });
  const recs = Assessments.fromRecords([
    { unit: "moj", code: "appraisal", value: 61.86 },
    { unit: "moj", code: "survey", value: "28.10" },
  ]);
  for (const a of [long, wide, recs]) {
    assert.equal(m.score(a).units()[0].points, "89.96");
  }
  assert.deepEqual(long.units()[0].values, { appraisal: "61.86", survey: "28.1" });
  assert.equal(JSON.parse(long.toJson()).units[0].unit, "moj");
  throwsPar(() => Assessments.fromCsv("unit,code,value\nmoj,appraisal,abc\n"), "malformed_value");
  throwsPar(() => Assessments.fromCsv("unit,appraisal\n", { bogus: 1 }), "invalid_input", "options");
  throwsPar(() => Assessments.fromRecords([{ unit: "a", code: "x", value: {} }]), "invalid_input", "records[0].value");
});

test("errors: every path is a ParIndexError with code and path", () => {
  throwsPar(() => Methodology.fromJson("{"), "methodology_json", "line 1, column 1");
  throwsPar(() => presets.methodology("nope"), "unknown_preset", "methodology");
  throwsPar(() => presets.assessments("nope"), "unknown_preset", "assessments");
  const bad = JSON.parse(DEMO);
  bad.criteria[1].max_points = "5";
  throwsPar(() => Methodology.fromObject(bad), "children_maxima_mismatch");
  const m = Methodology.fromJson(DEMO);
  throwsPar(() => m.score({ units: [{ unit: "u1", values: { 1: 7, 2: "yes" } }] }), "above_maximum", "units[0].values.1");
  throwsPar(() => m.score({ units: [{ unit: "u1", values: { 9: 1 } }] }), "unknown_code", "units[0].values.9");
  throwsPar(() => m.score({ units: [{ unit: "u1", values: { 1: 1 } }] }), "missing_value");
  throwsPar(() => Assessments.fromJson("[]"), "input_json");
  throwsPar(() => Methodology.fromJson(42), "invalid_input", "text");
  assert.throws(() => new Methodology(), TypeError);
});

test("SIPAS over rows: items, elements, overall with camelCase columns", () => {
  const rows = [
    { unit: "A", q1: 5, q2: 4 },
    { unit: "A", q1: 4, q2: 2 },
    { unit: "B", q1: 3, q2: 5 },
    { unit: "B", q1: null, q2: "5" },
  ];
  const r = sipas(rows, ["q1", "q2"], { ci: "wilson", level: 0.95 });
  const items = r.items();
  assert.equal(items.length, 4);
  const a1 = items.find((i) => i.unit === "A" && i.item === "q1");
  assert.equal(a1.n, 2);
  assert.equal(a1.share, "1");
  assert.equal(a1.shareNumber, 1);
  for (const k of ["ciLow", "ciHigh", "nMissing", "nEff", "nNotApplicable", "weightedN", "levels"]) assert.ok(k in a1, k);
  assert.ok(a1.ciLow > 0.3 && a1.ciLow < 1 && a1.ciHigh === 1);
  assert.equal(items.find((i) => i.unit === "B" && i.item === "q1").nMissing, 1);
  const overall = r.overall();
  assert.deepEqual(overall.map((o) => [o.unit, o.index, o.rank]), [["A", "75", 1], ["B", "50", 2]]);
  assert.equal(r.elements().find((e) => e.unit === "A" && e.element === "q2").indexNumber, 50);
  assert.equal(JSON.parse(r.toJson()).all.unit, "*");
  assert.deepEqual(r.report().rejections, []);
});

test("SIPAS over rows: weights, designs, response objects", () => {
  const design = SurveyDesign.fromObject({
    format: 1,
    elements: [{ code: "access" }],
    items: [{ code: "q1", element: "access" }, { code: "q2", element: "access" }],
  });
  assert.deepEqual(design.items().map((i) => i.element), ["access", "access"]);
  assert.deepEqual(design.scale().filter((l) => l.satisfied).map((l) => l.code), [4, 5]);
  const weighted = sipas(
    [
      { unit: "A", w: "2", q1: 5, q2: 1 },
      { unit: "A", w: 1, q1: 1, q2: 1 },
    ],
    design,
    { weight: "w", ci: "logit" },
  );
  const q1 = weighted.items()[0];
  assert.equal(q1.weightedN, "3");
  assert.ok(Math.abs(q1.shareNumber - 2 / 3) < 1e-12);
  assert.ok(q1.nEff < 2);
  const objects = sipas([{ unit: "A", answers: { q1: 5, q2: null } }], design);
  assert.equal(objects.items()[1].nMissing, 1);
  throwsPar(() => sipas([{ unit: "A", q1: 7 }], design), "answer_out_of_scale", "responses[0].answers.q1");
  throwsPar(() => sipas([{ unit: "A", q1: "x" }], design), "invalid_input", "responses[0].q1");
  throwsPar(() => sipas([{ q1: 5 }], design), "invalid_input", "responses[0].unit");
  throwsPar(() => sipas([], design, { ci: "bogus" }), "bad_option");
  throwsPar(() => sipas([], design, { level: 2 }), "bad_option", "level");
  throwsPar(() => SurveyDesign.fromJson("{}"), "survey_json");
  throwsPar(() => SurveyDesign.fromObject({ format: 1, elements: [{ code: "e" }], items: [{ code: "q", element: "nope" }] }), "unknown_element");
  throwsPar(() => sipas(42, design), "invalid_input", "responses");
});

test("SIPAS over CSV text: every rejected row reported with its line", () => {
  const csv = "unit,q1,q2,extra\nA,5,4,x\nA,3,,x\nB,9,1,x\n,4,4,x\nB,4\n";
  const r = sipas(csv, ["q1", "q2"]);
  const rep = r.report();
  assert.equal(rep.rowsRead, 5);
  assert.equal(rep.rowsUsed + rep.rowsRejected, rep.rowsRead);
  assert.deepEqual(rep.rejections.map((x) => [x.line, x.column, x.code]), [
    [4, "q1", "answer_out_of_scale"],
    [5, "unit", "missing_unit"],
    [6, null, "csv_row"],
  ]);
  assert.equal(rep.rejections[0].path, "row 4, column q1");
  assert.deepEqual(rep.ignoredColumns, ["extra"]);
  throwsPar(() => sipas("who,q1\nA,5\n", ["q1"]), "missing_column", "header, column unit");
  const sample = sipas("respondent,unit,q1\nr1,A,5\n", ["q1"], { unit: "unit" });
  assert.equal(sample.items()[0].satisfied, 1);
});

test("proportionCi matches the Wilson interval", () => {
  const ci = proportionCi(8, 10, { method: "wilson", level: 0.95 });
  assert.ok(Math.abs(ci.low - 0.4901624) < 1e-6, String(ci.low));
  assert.ok(Math.abs(ci.high - 0.9433178) < 1e-6, String(ci.high));
  throwsPar(() => proportionCi(1, 2, { method: "nope" }), "bad_option");
});

test("analysis: whatIf on weights re-weighs a weighted node and returns the new methodology", () => {
  const m = Methodology.fromJson(JSON.stringify({
    format: 1, id: "pci-like", title: { vi: "Thử", en: "Example" }, source: "test", max_points: "100",
    criteria: [{ code: "all", max_points: "100", aggregation: "weighted_arithmetic", children: [
      { code: "a", max_points: "10", weight: "2" }, { code: "b", max_points: "5", weight: "1" },
      { code: "c", max_points: "20", weight: "1" }] }],
  }));
  const card = m.score(Assessments.fromJson(JSON.stringify({ units: [
    { unit: "u1", values: { a: "8", b: "2.5", c: "20" } }, { unit: "u2", values: { a: "10", b: "5", c: "10" } }] })));
  const w = card.whatIf([], [{ code: "c", weight: 3 }]);
  // (2 x 80 + 50 + 3 x 100) / 6 = 85 and (2 x 100 + 100 + 3 x 50) / 6 = 75: the ranks swap.
  assert.deepEqual(w.movements.map((x) => [x.unit, x.indexAfter, x.rankBefore, x.rankAfter]), [["u1", "85", 2, 1], ["u2", "75", 1, 2]]);
  assert.ok(w.methodology instanceof Methodology);
  const again = w.scorecard.whatIf([{ unit: "u2", code: "b", value: "1" }]);
  const both = m.whatIf(card, [{ unit: "u2", code: "b", value: "1" }], [{ code: "c", weight: "3" }]);
  assert.deepEqual(again.scorecard.units(), both.scorecard.units(), "later what-ifs keep the new weights");
  throwsPar(() => card.whatIf([], [{ code: "zz", weight: "1" }]), "unknown_code", "weights[0].code");
  throwsPar(() => card.whatIf([], [{ code: "c" }]), "input_json", "weights");
});

test("analysis: apply and whatIf move ranks; gap, profile and compare", () => {
  const m = presets.methodology("par2023-ministries");
  const card = m.score(presets.assessments("par2023-ministries"));
  const w = m.whatIf(card, [{ unit: "Ministry of Health", code: "survey", value: "31" }]);
  const health = w.movements.find((x) => x.unit === "Ministry of Health");
  // 55.81 + 31 = 86.81 lies between Natural Resources (87.00) and Agriculture (86.42): rank 6.
  assert.deepEqual([health.rankBefore, health.rankAfter, health.tierAfter], [15, 6, "B"]);
  const full = m.score(presets.assessments("par2023-ministries").setValue("Ministry of Health", "survey", "31")).units();
  assert.deepEqual(w.scorecard.units(), full, "apply agrees with scoring everything again");
  assert.equal(typeof health.indexAfterNumber, "number");
  assert.equal(card.units().find((u) => u.unit === "Ministry of Health").rank, 15, "whatIf leaves the original alone");
  assert.deepEqual(card.whatIf([{ unit: "Ministry of Health", code: "survey", value: "31" }]).movements, w.movements);
  const live = card.clone();
  const moves = m.apply(live, [{ unit: "Ministry of Health", code: "survey", value: 31 }]);
  assert.equal(moves.length, 17);
  assert.equal(live.units().find((u) => u.unit === "Ministry of Health").rank, 6);
  throwsPar(() => m.apply(live, [{ unit: "Nobody", code: "survey", value: 1 }]), "unknown_unit", "changes[0].unit");
  throwsPar(() => m.apply(live, [{ unit: "Ministry of Health", code: "survey", value: 99 }]), "above_maximum");
  assert.equal(live.units().find((u) => u.unit === "Ministry of Health").rank, 6, "a failed apply changes nothing");
  throwsPar(() => m.apply(live, [{ unit: "Ministry of Health" }]), "input_json", "changes");
  const gap = card.gap("Ministry of Health");
  assert.equal(gap.unit, "Ministry of Health");
  assert.ok(gap.nextTier === null || typeof gap.nextTier.pointsNeeded === "string");
  const profile = card.profile("Ministry of Health");
  assert.deepEqual(profile.nodes.map((n) => n.code), ["appraisal", "survey"]);
  assert.equal(typeof profile.nodes[0].groupMeanNumber, "number");
  const cmp = w.scorecard.compare(card);
  const change = cmp.units.find((u) => u.unit === "Ministry of Health");
  assert.deepEqual([change.rankBefore, change.rankAfter], [15, 6]);
  throwsPar(() => card.gap("Nobody"), "unknown_unit");
});

test("the README's example runs as it is", () => {
  const readme = readFileSync(require.resolve("par-index/package.json").replace(/package\.json$/, "README.md"), "utf8");
  const block = /```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "no js block in README.md");
  const file = join(dirname(fileURLToPath(import.meta.url)), "..", "readme-example.mjs");
  writeFileSync(file, block[1]);
  const run = spawnSync(process.execPath, [file], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Ministry of Justice/);
  assert.match(run.stdout, /above_maximum units\[0\]\.values\.survey/);
});

test("uncertainty: the second module loads once and gives a seeded Monte Carlo report", async () => {
  const u = await loadUncertainty();
  assert.equal(await loadUncertainty(), u, "loaded once");
  assert.equal(u.version(), version());
  const m = presets.methodology("par2023-ministries");
  const a = presets.assessments("par2023-ministries");
  const spec = { replications: 32, seed: 7, weights: { levels: [1], distribution: { type: "uniform", relative: 0.1 } } };
  const r = u.run(m, a, spec);
  assert.equal(r.runs, 32);
  assert.equal(r.replications, 32);
  assert.equal(r.units.length, 17);
  const card = m.score(a).units({ order: "input" });
  r.units.forEach((x, i) => {
    assert.equal(x.unit, card[i].unit);
    assert.equal(x.nominalIndex, card[i].index, "the nominal index is the main module's, exactly");
    assert.equal(x.nominalIndexNumber, card[i].indexNumber);
    assert.equal(x.nominalRank, card[i].rank);
    assert.equal(x.rankCounts.reduce((s, n) => s + n, 0), 32);
    assert.ok(x.rankP05 <= x.medianRank && x.medianRank <= x.rankP95);
    assert.ok(Math.abs(x.tiers.reduce((s, t) => s + t.probability, 0) - 1) < 1e-12);
  });
  assert.deepEqual(u.run(m.toJson(), JSON.parse(a.toJson()), JSON.stringify(spec)), r, "the same seed gives the same report, from JSON too");
  const s = u.run(m, a, { ...spec, sensitivity: { per_unit: true } });
  assert.deepEqual(s.factors, ["weights:level:1"]);
  assert.equal(typeof s.sensitivity?.factors[0].total, "number");
  assert.equal(s.sensitivity?.units?.length, 17);
});

test("uncertainty: errors are ParIndexErrors from the second module", async () => {
  const u = await loadUncertainty();
  const m = presets.methodology("par2023-ministries");
  const a = presets.assessments("par2023-ministries");
  throwsPar(() => u.run(m, a, "{"), "input_json");
  throwsPar(() => u.run(m, a, { replications: 10, sead: 1 }), "input_json");
  throwsPar(() => u.run(m, a, 7), "invalid_input", "spec");
  throwsPar(() => u.run(m, null, { replications: 1 }), "invalid_input", "assessments");
  throwsPar(() => u.run("{", a, { replications: 1 }), "methodology_json");
  // The second instance holds nothing after an error: the next run works.
  assert.equal(u.run(m, a, { replications: 2 }).runs, 2);
});
