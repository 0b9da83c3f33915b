// What-if benchmark (not a test): 31 units scored on a 100-leaf tree (10 fields x 10 leaves),
// then one value changes and everything is re-scored and re-ranked, as a slider does.
// Run after ./build.sh: node bench/whatif.mjs  (the package resolves to ./dist by self-reference)
import { Methodology, Assessments } from "par-index";

const fields = 10, leaves = 10, units = 31;
const criteria = [];
for (let f = 1; f <= fields; f++) {
  const children = [];
  for (let l = 1; l <= leaves; l++) children.push({ code: `${f}.${l}`, max_points: "1" });
  criteria.push({ code: String(f), max_points: String(leaves), children });
}
const m = Methodology.fromObject({
  id: "bench-100", title: { vi: "Thử", en: "Bench" }, source: "none", max_points: String(fields * leaves), criteria,
  tiers: { default: "t", schemes: [{ id: "t", label: { vi: "t", en: "t" }, bands: [
    { code: "A", label: { vi: "A", en: "A" }, min: "90" },
    { code: "B", label: { vi: "B", en: "B" }, min: "0", max: "90" },
  ] }] },
});
const records = [];
for (let u = 0; u < units; u++) {
  for (let f = 1; f <= fields; f++) {
    for (let l = 1; l <= leaves; l++) records.push({ unit: `unit-${u}`, group: "g", code: `${f}.${l}`, value: ((u * 7 + f * 3 + l) % 100) / 100 });
  }
}
const work = Assessments.fromRecords(records);

/** Times `f` over `n` runs after a warm-up: wall-clock durations (ms, sorted) and the process's
 * CPU time per run (ms; on a busy machine wall time includes waiting for a core, CPU time not). */
function time(f, n = 1000) {
  for (let i = 0; i < 100; i++) f(i);
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f(i);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { times: times.sort((a, b) => a - b), cpu: (cpu.user + cpu.system) / 1000 / n };
}
function report(name, { times, cpu }) {
  const n = times.length;
  const mean = times.reduce((a, b) => a + b, 0) / n;
  const q = (p) => times[Math.min(n - 1, Math.floor(p * n))];
  console.log(`  ${name}: wall mean ${mean.toFixed(3)} ms, median ${q(0.5).toFixed(3)} ms, p95 ${q(0.95).toFixed(3)} ms; CPU ${cpu.toFixed(3)} ms/run`);
}

const value = (i) => ((i % 100) / 100).toFixed(2);
console.log(`what-if: ${units} units x ${fields * leaves} leaves, one value changed, then every unit's row read`);
// The slider path: the core's apply recomputes the changed leaf's ancestors and re-ranks one group.
const card = m.score(work);
report("apply (incremental)", time((i) => m.apply(card, [{ unit: "unit-5", code: "3.4", value: value(i) }]).length));
report("units() (31 rows)", time(() => card.units().length));
report("apply (incremental) + units()", time((i) => {
  m.apply(card, [{ unit: "unit-5", code: "3.4", value: value(i) }]);
  return card.units().length;
}));
// The plain path: change the assessments and score every unit again.
report("setValue + score (all units) + units()", time((i) => {
  work.setValue("unit-5", "3.4", value(i));
  return m.score(work).units().length;
}, 200));
console.log(`  target: < 1 ms per change (load average now: ${(await import("node:os")).loadavg()[0].toFixed(1)})`);
