// A sample consumer, type-checked with `tsc --strict` against the installed package's
// declarations. Lines marked @ts-expect-error must fail to type-check: the types are exact.
import init, {
  loadUncertainty,
  Assessments,
  Methodology,
  ParIndexError,
  SurveyDesign,
  presets,
  proportionCi,
  sipas,
  type Audit,
  type Gap,
  type Movement,
  type WhatIf,
  type Decimal,
  type NodeRow,
  type SipasItemRow,
  type UnitRow,
  type UncertaintyReport,
  type UncertaintySpec,
} from "par-index";

await init();

const m: Methodology = presets.methodology("par2023-ministries");
const base: Assessments = presets.assessments("par2023-ministries");
const rows: UnitRow[] = m.score(base).units();
const first: UnitRow | undefined = rows[0];
if (first !== undefined) {
  const index: Decimal = first.index;
  const forChart: number = first.indexNumber;
  const tier: string | null = first.tier;
  const rank: number = first.rank;
  console.log(index, forChart, tier, rank, first.label?.vi.toUpperCase());
  // @ts-expect-error: the exact figure is a string, not a number
  const wrong: number = first.index;
  void wrong;
}

const work = base.clone().setValue("Ministry of Justice", "survey", 30).setValue("Ministry of Justice", "appraisal", "61.86");
const card = m.score(work);
const nodes: NodeRow[] = card.nodes("Ministry of Justice");
const audit: Audit = card.explain("Ministry of Justice");
console.log(nodes.length, audit.lines.map((l) => l.how).join("\n"), card.display("89.955"));
// @ts-expect-error: units() takes an order, not a unit
card.units("Ministry of Justice");

const moves: Movement[] = m.apply(card, [{ unit: "Ministry of Justice", code: "survey", value: 29 }]);
const w: WhatIf = m.whatIf(card, [{ unit: "Ministry of Justice", code: "survey", value: null }]);
const gap: Gap = w.scorecard.gap("Ministry of Justice");
console.log(moves[0]?.rankAfter, gap.nextTier?.pointsNeeded, card.profile("Ministry of Justice").nodes[0]?.groupMean);
console.log(card.compare(w.scorecard, { old: "new" }).units.map((u) => u.rankChange));

const own = Methodology.fromJson("{}");
own.score({ units: [{ unit: "u1", values: { "1": 4.5, "2": "yes", "3": true } }] });
// @ts-expect-error: values are numbers, text or booleans
own.score({ units: [{ unit: "u1", values: { "1": [1] } }] });

const design = SurveyDesign.fromJson("{}");
const result = sipas([{ unit: "A", q1: 5, q2: null }], ["q1", "q2"], { ci: "wilson", level: 0.95, weight: "w" });
const items: SipasItemRow[] = result.items();
for (const it of items) {
  const low: number | null = it.ciLow;
  const high: number | null = it.ciHigh;
  const missing: number = it.nMissing;
  const eff: number | null = it.nEff;
  console.log(low, high, missing, eff, it.share ?? "none");
}
const fromCsv = sipas("unit,q1\nA,5\n", design);
for (const r of fromCsv.report().rejections) console.log(r.line, r.column ?? "-", r.reason);
for (const o of result.overall()) console.log(o.unit, o.index, o.rank, o.groupRank);
for (const e of result.elements()) console.log(e.element, e.indexNumber);
// @ts-expect-error: not an interval method
sipas([], ["q1"], { ci: "bootstrap" });

const ci = proportionCi(8, 10, { method: "clopper_pearson" });
console.log(ci.low, ci.high);

try {
  Methodology.fromJson("{");
} catch (e) {
  if (e instanceof ParIndexError) {
    const code: string = e.code;
    const path: string = e.path;
    console.log(code, path, e.kind, e.message);
  }
}

// The Monte Carlo analysis: a second module, loaded on first use.
const uncertainty = await loadUncertainty();
const spec: UncertaintySpec = {
  replications: 1000,
  seed: 7,
  weights: { levels: [1, 2], distribution: { type: "uniform", relative: 0.25 } },
  policies: { ties: ["dense"], aggregation: ["arithmetic", "geometric"] },
  sensitivity: { per_unit: true },
};
const report: UncertaintyReport = uncertainty.run(m, base, spec);
for (const u of report.units) {
  const nominal: Decimal = u.nominalIndex;
  const p05: number = u.rankP05;
  console.log(u.unit, nominal, u.nominalIndexNumber, p05, u.medianRank, u.rankP95, u.tiers.map((t) => `${t.tier ?? "-"} ${t.probability}`));
}
console.log(report.sensitivity?.factors.map((f) => f.total ?? "constant"), uncertainty.run(m.toJson(), base.toJson(), "{}").runs);
// @ts-expect-error: a weight distribution needs its parameter
uncertainty.run(m, base, { replications: 10, weights: { distribution: { type: "uniform" } } });
// @ts-expect-error: replications are required
uncertainty.run(m, base, { seed: 1 });
