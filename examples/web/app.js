// The example page: everything computed by the par-index package (copied into ./par-index/
// from bindings-wasm/dist/web). This file only renders.
import init, { presets, sipas, SurveyDesign, ParIndexError } from "./par-index/index.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

/** A SIPAS design for the sample file: 8 items in 4 elements, scale 1–5, 4 and 5 satisfied. */
const SAMPLE_DESIGN = {
  format: 1,
  label: { vi: "Khảo sát mẫu", en: "Sample survey" },
  elements: [
    { code: "access", label: { vi: "Tiếp cận dịch vụ", en: "Access to the service" } },
    { code: "procedure", label: { vi: "Thủ tục hành chính", en: "Administrative procedure" } },
    { code: "staff", label: { vi: "Công chức giải quyết", en: "Civil servants" } },
    { code: "result", label: { vi: "Kết quả giải quyết", en: "Result" } },
  ],
  items: [
    { code: "q1", element: "access" }, { code: "q2", element: "access" },
    { code: "q3", element: "procedure" }, { code: "q4", element: "procedure" },
    { code: "q5", element: "staff" }, { code: "q6", element: "staff" },
    { code: "q7", element: "result" }, { code: "q8", element: "result" },
  ],
};

const state = {
  methodology: null,
  base: null, // the published assessments
  baseCard: null, // their scorecard
  work: null, // the what-if scorecard, changed in place by methodology.apply
  baseRows: new Map(), // unit -> UnitRow scored from the published points
  published: new Map(), // unit -> index as printed in the 2023 table
  bands: [],
};

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "style") e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function tierBadge(row) {
  const b = el("span", { class: row.tier ? "tier" : "tier none" }, row.tier ?? "–");
  if (row.tierColor) b.style.background = row.tierColor;
  if (row.tierLabel) b.title = `${row.tierLabel.en} / ${row.tierLabel.vi}`;
  return b;
}

function describe(e) {
  if (e instanceof ParIndexError) return `${e.message} [${e.code}${e.path ? ` at ${e.path}` : ""}]`;
  return String(e && e.message ? e.message : e);
}

function shortName(label) {
  const s = label.en.replace(/^Ministry of /, "").replace(/^Office of the /, "");
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

// ---------------------------------------------------------------------------------------------
// Ranking table and chart

function render(card, changedUnit) {
  const rows = card.units();
  const inputs = new Map();
  for (const n of card.nodes()) {
    if (!inputs.has(n.unit)) inputs.set(n.unit, {});
    inputs.get(n.unit)[n.code] = n;
  }
  const tbody = $("ministries").tBodies[0];
  tbody.replaceChildren(
    ...rows.map((r) => {
      const v = inputs.get(r.unit);
      const tr = el(
        "tr",
        { "data-unit": r.unit },
        el("td", { class: "num" }, r.rank),
        el("td", { title: r.label ? r.label.vi : r.unit }, r.label ? r.label.en : r.unit),
        el("td", { class: "num" }, card.display(v.appraisal.points)),
        el("td", { class: "num" }, card.display(v.survey.points)),
        el("td", { class: "num index" }, r.indexDisplay),
        el("td", { class: "num published" }, state.published.get(r.unit) ?? "–"),
        el("td", {}, tierBadge(r)),
      );
      if (r.unit === changedUnit) tr.className = "changed";
      return tr;
    }),
  );
  drawChart(rows, changedUnit);
  return rows;
}

function drawChart(rows, changedUnit) {
  const svg = $("chart");
  const width = 720, left = 250, right = 50, top = 22, bar = 20, gap = 4;
  const height = top + rows.length * (bar + gap) + 8;
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const x = (v) => left + ((width - left - right) * v) / 100;
  const parts = [];
  for (const t of [0, 25, 50, 70, 80, 90, 100]) {
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", x(t)); line.setAttribute("x2", x(t));
    line.setAttribute("y1", top - 4); line.setAttribute("y2", height - 6);
    line.setAttribute("stroke", t >= 70 && t < 100 ? "#d0d7de" : "#eaeef2");
    parts.push(line);
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", x(t)); label.setAttribute("y", top - 8);
    label.setAttribute("font-size", "10"); label.setAttribute("text-anchor", "middle");
    label.setAttribute("fill", "#59636e");
    label.textContent = String(t);
    parts.push(label);
  }
  rows.forEach((r, i) => {
    const y = top + i * (bar + gap);
    const name = document.createElementNS(SVG, "text");
    name.setAttribute("x", left - 6); name.setAttribute("y", y + bar / 2 + 4);
    name.setAttribute("font-size", "11"); name.setAttribute("text-anchor", "end");
    name.textContent = r.label ? shortName(r.label) : r.unit;
    const rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", x(0)); rect.setAttribute("y", y);
    rect.setAttribute("width", Math.max(0, x(r.indexNumber) - x(0)));
    rect.setAttribute("height", bar);
    rect.setAttribute("fill", r.tierColor ?? "#8c959f");
    if (r.unit === changedUnit) { rect.setAttribute("stroke", "#1f2328"); rect.setAttribute("stroke-width", "2"); }
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${r.unit}: ${r.indexDisplay} (${r.tier ?? "no group"})`;
    rect.append(title);
    const value = document.createElementNS(SVG, "text");
    value.setAttribute("x", x(r.indexNumber) + 4); value.setAttribute("y", y + bar / 2 + 4);
    value.setAttribute("font-size", "11");
    value.textContent = r.indexDisplay;
    parts.push(name, rect, value);
  });
  svg.replaceChildren(...parts);
}

function renderLegend() {
  const seen = state.bands.filter((b) => b.isDefault);
  $("legend").replaceChildren(
    ...seen.map((b) => {
      const badge = el("span", { class: "tier" }, b.code);
      if (b.color) badge.style.background = b.color;
      const range = b.max === null ? `≥ ${b.min}` : `${b.min} – ${b.max}`;
      return el("span", { class: "item" }, badge, `${b.label.en} (${range})`);
    }),
    el("span", { class: "item" }, el("span", { class: "tier none" }, "–"), "below 70: no group"),
  );
}

// ---------------------------------------------------------------------------------------------
// What-if

function currentValues(unit) {
  const values = {};
  for (const n of state.work.nodes(unit)) values[n.code] = n.input;
  return values;
}

function fillWhatIf(unit) {
  const v = currentValues(unit);
  for (const code of ["appraisal", "survey"]) {
    $(`whatif-${code}`).value = v[code] ?? "";
    $(`whatif-${code}-range`).value = v[code] ?? "0";
  }
}

function whatIf(unit) {
  $("whatif-error").textContent = "";
  try {
    // Only this ministry's figures are recomputed and its group re-ranked (the core's apply).
    const changes = ["appraisal", "survey"].map((code) => ({ unit, code, value: $(`whatif-${code}`).value || null }));
    state.methodology.apply(state.work, changes);
    const rows = render(state.work, unit);
    const now = rows.find((r) => r.unit === unit);
    const before = state.baseRows.get(unit);
    const tier = (r) => r.tier ?? "none";
    $("whatif-result").replaceChildren(
      el("span", {}, `${now.label ? now.label.en : unit}: index `),
      el("strong", { id: "whatif-index" }, now.indexDisplay),
      ` (before: ${before.indexDisplay}), group `,
      el("strong", { id: "whatif-tier" }, tier(now)),
      ` (was ${tier(before)}), rank `,
      el("strong", { id: "whatif-rank" }, String(now.rank)),
      ` of ${now.groupSize} (was ${before.rank}).`,
    );
  } catch (e) {
    // Name the field rather than the position in the list of changes.
    const fields = ["appraisal points", "survey points"];
    $("whatif-error").textContent = describe(e).replace(/changes\[(\d+)\]\.value/g, (_, i) => `${unit}, ${fields[Number(i)]}`);
  }
}

function setupWhatIf(rows) {
  const select = $("whatif-unit");
  select.replaceChildren(...rows.map((r) => el("option", { value: r.unit }, r.label ? r.label.en : r.unit)));
  const nodes = state.methodology.nodes();
  for (const code of ["appraisal", "survey"]) {
    const node = nodes.find((n) => n.code === code);
    for (const id of [`whatif-${code}`, `whatif-${code}-range`]) $(id).max = node.maxPoints;
    $(`whatif-${code}-range`).addEventListener("input", (ev) => {
      $(`whatif-${code}`).value = ev.target.value;
      whatIf(select.value);
    });
    $(`whatif-${code}`).addEventListener("input", (ev) => {
      $(`whatif-${code}-range`).value = ev.target.value;
      whatIf(select.value);
    });
  }
  select.addEventListener("change", () => {
    fillWhatIf(select.value);
    whatIf(select.value);
  });
  $("whatif-reset").addEventListener("click", () => {
    state.work = state.baseCard.clone();
    fillWhatIf(select.value);
    whatIf(select.value);
  });
  fillWhatIf(select.value);
}

// ---------------------------------------------------------------------------------------------
// Survey CSV

function pct(x) {
  return x === null ? "–" : `${(x * 100).toFixed(1)} %`;
}

function headerColumns(text) {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
  return first.split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
}

function runSurvey(text, fileName) {
  const messages = $("survey-messages");
  const results = $("survey-results");
  messages.replaceChildren();
  results.replaceChildren();
  let design = SurveyDesign.fromObject(SAMPLE_DESIGN);
  let result;
  try {
    try {
      result = sipas(text, design, { unit: "unit", ci: "wilson", level: 0.95 });
    } catch (e) {
      // A file with other item columns: take each non-unit column as an item of its own.
      if (!(e instanceof ParIndexError && e.code === "missing_column" && e.path !== "header, column unit")) throw e;
      const items = headerColumns(text).filter((c) => c !== "unit" && c !== "respondent");
      design = SurveyDesign.fromItems(items);
      messages.append(el("p", { class: "report" }, `The columns of ${fileName} are not the sample design's; each column is read as an item of its own: ${items.join(", ")}.`));
      result = sipas(text, design, { unit: "unit", ci: "wilson", level: 0.95 });
    }
  } catch (e) {
    messages.append(el("p", { class: "error", id: "survey-error" }, `${fileName} cannot be read: ${describe(e)}`));
    return;
  }
  const report = result.report();
  const summary = el(
    "p",
    { class: report.rowsRejected === 0 ? "report ok" : "report", id: "survey-report" },
    `${fileName}: ${report.rowsRead} rows read, ${report.rowsUsed} used, ${report.rowsRejected} rejected.`,
    report.ignoredColumns.length ? ` Columns not used: ${report.ignoredColumns.join(", ")}.` : "",
  );
  messages.append(summary);
  if (report.rejections.length) {
    messages.append(
      el("ul", { class: "report error", id: "survey-rejections" },
        ...report.rejections.map((r) => el("li", {}, `Line ${r.line}${r.column ? `, column ${r.column}` : ""}: ${r.reason} (${r.code})`))),
    );
  }

  const elementLabels = new Map(design.elements().map((e) => [e.code, e.label.en || e.code]));
  const overall = result.overall();
  const elements = result.elements();
  const items = result.items();
  const units = overall.map((o) => o.unit);

  // Elements: one row per unit, one column per element.
  const elementCodes = design.elements().map((e) => e.code);
  const byUnitElement = new Map(elements.map((e) => [`${e.unit}\u0000${e.element}`, e]));
  const itemsByUnitElement = new Map();
  const itemElement = new Map(design.items().map((i) => [i.code, i.element]));
  for (const it of items) {
    const key = `${it.unit}\u0000${itemElement.get(it.item)}`;
    if (!itemsByUnitElement.has(key)) itemsByUnitElement.set(key, []);
    itemsByUnitElement.get(key).push(it);
  }
  const elementTable = el(
    "table", { class: "data", id: "survey-elements" },
    el("caption", {}, "Index per unit and element (%: the mean of its items' shares satisfied; hover for each item's share and 95 % interval)"),
    el("thead", {}, el("tr", {}, el("th", {}, "Unit"), el("th", { class: "num" }, "Overall"), el("th", { class: "num" }, "Rank"),
      ...elementCodes.map((c) => el("th", { class: "num" }, elementLabels.get(c))))),
    el("tbody", {}, ...units.map((u) => {
      const o = overall.find((x) => x.unit === u);
      return el("tr", {},
        el("td", {}, u),
        el("td", { class: "num" }, o.index === null ? "–" : `${Number(o.indexNumber).toFixed(1)}`),
        el("td", { class: "num" }, o.rank ?? "–"),
        ...elementCodes.map((c) => {
          const e = byUnitElement.get(`${u}\u0000${c}`);
          const its = itemsByUnitElement.get(`${u}\u0000${c}`) ?? [];
          const cis = its.map((it) => `${it.item} ${pct(it.shareNumber)} [${pct(it.ciLow)}–${pct(it.ciHigh)}]`).join("; ");
          return el("td", { class: "num", title: cis },
            e && e.index !== null ? Number(e.indexNumber).toFixed(1) : "–",
            its.length === 1 ? el("span", { class: "ci" }, ` [${pct(its[0].ciLow)}–${pct(its[0].ciHigh)}]`) : "");
        }));
    })),
  );

  const itemTable = el(
    "table", { class: "data", id: "survey-items" },
    el("caption", {}, "Per item: share satisfied and 95 % Wilson interval"),
    el("thead", {}, el("tr", {}, el("th", {}, "Unit"), el("th", {}, "Item"), el("th", { class: "num" }, "n"),
      el("th", { class: "num" }, "missing"), el("th", { class: "num" }, "satisfied"), el("th", { class: "num" }, "share"),
      el("th", { class: "num" }, "interval"))),
    el("tbody", {}, ...items.map((it) => el("tr", {},
      el("td", {}, it.unit), el("td", {}, it.item), el("td", { class: "num" }, it.n),
      el("td", { class: "num" }, it.nMissing), el("td", { class: "num" }, it.satisfied),
      el("td", { class: "num" }, pct(it.shareNumber)),
      el("td", { class: "num ci" }, `${pct(it.ciLow)} – ${pct(it.ciHigh)}`)))),
  );
  results.append(el("div", { class: "survey-grid" }, elementTable, itemTable));
}

function setupSurvey() {
  const zone = $("dropzone");
  const readFile = (file) => {
    // Strict UTF-8: a file in another encoding is refused, not read with replaced characters.
    file.arrayBuffer()
      .then((bytes) => runSurvey(new TextDecoder("utf-8", { fatal: true }).decode(bytes), file.name))
      .catch((e) => {
        const why = e instanceof TypeError ? "it is not UTF-8 text (save it as CSV UTF-8)" : describe(e);
        $("survey-messages").replaceChildren(el("p", { class: "error", id: "survey-error" }, `${file.name} cannot be read: ${why}`));
        $("survey-results").replaceChildren();
      });
  };
  zone.addEventListener("dragover", (ev) => { ev.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("over");
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (file) readFile(file);
  });
  $("csv-file").addEventListener("change", (ev) => {
    const file = ev.target.files[0];
    if (file) readFile(file);
  });
  $("load-sample").addEventListener("click", async () => {
    const res = await fetch("sample-responses.csv");
    runSurvey(await res.text(), "sample-responses.csv");
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  await init();
  state.methodology = presets.methodology("par2023-ministries");
  state.base = presets.assessments("par2023-ministries");
  state.bands = state.methodology.tiers();
  for (const p of presets.par2023MinistriesTable()) state.published.set(p.unitEn, p.index);
  $("source").textContent = state.methodology.source;
  const card = state.methodology.score(state.base);
  state.baseCard = card;
  state.work = card.clone();
  const rows = render(card, null);
  for (const r of rows) state.baseRows.set(r.unit, r);
  renderLegend();
  setupWhatIf(rows);
  setupSurvey();
  $("status").textContent = `Ready: ${rows.length} ministries scored with ${state.methodology.id}.`;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("status").textContent = `The page could not start: ${describe(e)}`;
  $("status").classList.add("bad");
});
