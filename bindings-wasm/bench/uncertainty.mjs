// Monte Carlo benchmark (not a test) against COINr's figure, the problem of
// benches/uncertainty.rs: 51 units x 49 indicators (7 pillars of 7, weighted arithmetic means,
// unequal weights), weights perturbed uniformly by 25 % at both levels, ranks per replication.
// COINr took 0.127 s per replication on this machine (7.87 replications/s).
// Run after ./build.sh: node bench/uncertainty.mjs [replications]  (the package resolves to
// ./dist by self-reference). WebAssembly runs on one thread.
import { loadUncertainty, Methodology, Assessments, version } from "par-index";

const COINR_REPLICATIONS_PER_SECOND = 1 / 0.127;
const replications = Number(process.argv[2] ?? 10_000);

// The methodology of benches/uncertainty.rs: pillar p weighs 1 + p % 3, indicator i of pillar p
// weighs 1 + (p·i) % 4, every node out of 100.
const criteria = [];
for (let p = 1; p <= 7; p++) {
  const children = [];
  for (let i = 1; i <= 7; i++) children.push({ code: `P${p}.${i}`, max_points: "100", weight: String(1 + ((p * i) % 4)) });
  criteria.push({ code: `P${p}`, max_points: "100", weight: String(1 + (p % 3)), aggregation: "weighted_arithmetic", children });
}
const methodology = Methodology.fromObject({
  id: "coinr-size", title: { vi: "", en: "" }, source: "bench", max_points: "100",
  aggregation: "weighted_arithmetic", criteria,
});
// Unit u, indicator k = 7(p − 1) + i: ((37u + 11k + 7uk) mod 1001) / 10, exact to one place.
const units = [];
for (let u = 0; u < 51; u++) {
  const values = {};
  for (let p = 1; p <= 7; p++) {
    for (let i = 1; i <= 7; i++) {
      const k = (p - 1) * 7 + i;
      const tenths = (u * 37 + k * 11 + u * k * 7) % 1001;
      values[`P${p}.${i}`] = `${Math.floor(tenths / 10)}.${tenths % 10}`;
    }
  }
  units.push({ unit: `unit-${String(u).padStart(2, "0")}`, values });
}
const assessments = Assessments.fromObject({ units });
const spec = (n) => ({
  replications: n, seed: 2024,
  weights: { levels: [1, 2], distribution: { type: "uniform", relative: 0.25 } },
});

const t0 = performance.now();
const uncertainty = await loadUncertainty();
const loadMs = performance.now() - t0;
uncertainty.run(methodology, assessments, spec(500)); // warm up

// Best of 5 (wall clock and the process's CPU time: on a busy machine wall time includes
// waiting for a core, CPU time does not).
let best = Infinity, bestCpu = Infinity, report;
for (let k = 0; k < 5; k++) {
  const c = process.cpuUsage();
  const t = performance.now();
  report = uncertainty.run(methodology, assessments, spec(replications));
  best = Math.min(best, (performance.now() - t) / 1e3);
  const used = process.cpuUsage(c);
  bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
}
const perSecond = replications / best;
console.log(`par-index ${version()} (WebAssembly, Node ${process.version}, one thread); second module loaded in ${loadMs.toFixed(1)} ms`);
console.log(
  `uncertainty 51 units x 49 indicators, ${replications.toLocaleString("en")} replications: ` +
  `${(best * 1e3).toFixed(1)} ms (CPU ${(bestCpu * 1e3).toFixed(1)} ms), ${perSecond.toFixed(0)} replications/s, ` +
  `${(perSecond / COINR_REPLICATIONS_PER_SECOND).toFixed(0)}x COINr (${COINR_REPLICATIONS_PER_SECOND.toFixed(2)}/s)`,
);
console.log(`mean absolute rank shift ${report.meanAbsoluteRankShift.toFixed(4)}; ${report.units[0].unit}: nominal rank ${report.units[0].nominalRank}, 5-95 % ${report.units[0].rankP05}-${report.units[0].rankP95}`);
