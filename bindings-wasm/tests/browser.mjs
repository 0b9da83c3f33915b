// Browser test of examples/web with the packed package: a static server on 127.0.0.1 (bounded
// lifetime), Debian's chromium driven headless by playwright-core.
//
//   node tests/browser.mjs <site-dir> <screenshot.png>
// <site-dir> holds examples/web with the package's dist/web copied into <site-dir>/par-index/.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize, dirname, resolve } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const site = resolve(process.argv[2] ?? "");
const shot = resolve(process.argv[3] ?? "web.png");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(join(site, "index.html")) || !existsSync(join(site, "par-index", "index.js"))) {
  console.error(`usage: node tests/browser.mjs <site-dir> <screenshot.png> (no page or package in ${site})`);
  process.exit(2);
}

const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".csv": "text/csv; charset=utf-8",
  ".json": "application/json", ".png": "image/png", ".svg": "image/svg+xml",
};
const requested = [];
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  requested.push(path);
  let file = join(site, path);
  if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
// Bounded lifetime: whatever happens, nothing outlives two minutes.
const deadline = setTimeout(() => { console.error("browser test: timed out after 120 s"); process.exit(1); }, 120_000);

const profile = mkdtempSync(join(tmpdir(), "par-index-chromium-"));
const checks = [];
const ok = (what) => { checks.push(what); console.log(`ok - ${what}`); };
let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
      "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });

  await page.goto(base, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  ok("page loaded and the WebAssembly module initialised");

  // A second instance of the package (another URL), before its init(): every call is refused.
  const early = await page.evaluate(async () => {
    const fresh = await import("./par-index/index.js?before-init");
    try {
      fresh.version();
      return { thrown: false };
    } catch (e) {
      return { thrown: true, par: e instanceof fresh.ParIndexError, code: e.code, path: e.path };
    }
  });
  assert.deepEqual(early, { thrown: true, par: true, code: "not_initialized", path: "" });
  ok("a call before await init() is refused with a ParIndexError, code not_initialized");

  const order = await page.$$eval("#ministries tbody tr", (trs) => trs.map((tr) => tr.dataset.unit));
  const published = await page.evaluate(async () => {
    const m = await import("./par-index/index.js");
    return m.presets.par2023MinistriesTable().map((r) => r.unitEn);
  });
  assert.equal(order.length, 17);
  assert.deepEqual(order, published);
  assert.equal(order[0], "Ministry of Justice");
  assert.equal(order[16], "Ministry of Industry and Trade");
  ok("table has 17 rows in the published order (Ministry of Justice first, Ministry of Industry and Trade last)");
  const bars = await page.$$eval("#chart rect", (r) => r.length);
  assert.equal(bars, 17);
  const tiers = await page.$$eval("#ministries tbody tr td:last-child .tier", (b) => b.map((x) => x.textContent));
  assert.ok(tiers.includes("B") && tiers.includes("C"), tiers.join(","));
  ok("bar chart has 17 bars; tier badges shown");

  const unit = "Ministry of Industry and Trade";
  await page.selectOption("#whatif-unit", unit);
  await page.fill("#whatif-appraisal", "66.5");
  await page.waitForFunction(() => document.querySelector("#whatif-rank") !== null);
  const rank = Number(await page.textContent("#whatif-rank"));
  const tableOrder = await page.$$eval("#ministries tbody tr", (trs) => trs.map((tr) => tr.dataset.unit));
  assert.ok(rank < 17, `rank after the change: ${rank}`);
  assert.equal(tableOrder.indexOf(unit) + 1, rank);
  const changedRow = await page.$eval("#ministries tbody tr.changed", (tr) => tr.dataset.unit);
  assert.equal(changedRow, unit);
  ok(`what-if: ${unit} appraisal 66.5 -> rank 17 becomes ${rank}, index ${await page.textContent("#whatif-index")}, group ${await page.textContent("#whatif-tier")}`);
  await page.fill("#whatif-survey", "40");
  await page.waitForFunction(() => document.querySelector("#whatif-error").textContent.includes("above_maximum"));
  ok(`what-if: an impossible value is refused with a message: ${await page.textContent("#whatif-error")}`);
  await page.fill("#whatif-survey", "31.5");
  await page.waitForFunction(() => document.querySelector("#whatif-error").textContent === "");

  await page.setInputFiles("#csv-file", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("who,q1\nA,5\n") });
  await page.waitForSelector("#survey-error");
  const bad = await page.textContent("#survey-error");
  assert.match(bad, /missing_column/);
  ok(`bad file: ${bad}`);

  await page.setInputFiles("#csv-file", { name: "latin1.csv", mimeType: "text/csv", buffer: Buffer.from([0x75, 0x6e, 0x69, 0x74, 0x2c, 0x71, 0x31, 0x0a, 0x53, 0xf6, 0x2c, 0x35, 0x0a]) });
  await page.waitForFunction(() => (document.querySelector("#survey-error")?.textContent ?? "").includes("latin1.csv"));
  const notUtf8 = await page.textContent("#survey-error");
  assert.match(notUtf8, /not UTF-8/);
  ok(`bad encoding: ${notUtf8}`);

  await page.click("#load-sample");
  await page.waitForSelector("#survey-report");
  const report = await page.textContent("#survey-report");
  assert.match(report, /162 rows read, 160 used, 2 rejected/);
  const rejections = await page.$$eval("#survey-rejections li", (li) => li.map((x) => x.textContent));
  assert.equal(rejections.length, 2);
  assert.match(rejections[0], /^Line 27, column q3/);
  const elementRows = await page.$$eval("#survey-elements tbody tr", (trs) => trs.length);
  const itemRows = await page.$$eval("#survey-items tbody tr", (trs) => trs.length);
  assert.equal(elementRows, 4);
  assert.equal(itemRows, 32);
  ok(`sample CSV: ${report.trim()} ${rejections.join(" | ")}; 4 units x 4 elements, 32 item rows with intervals`);

  // The Monte Carlo module is not fetched with the page, only by loadUncertainty(); its report
  // is the one Node computes.
  const lazy = (p) => p.endsWith("uncertainty/par_index_wasm_bg.wasm");
  assert.ok(!requested.some(lazy), "the uncertainty module was fetched before it was asked for");
  const spec = { replications: 200, seed: 11, weights: { levels: [1], distribution: { type: "uniform", relative: 0.25 } }, sensitivity: { per_unit: false } };
  const inBrowser = await page.evaluate(async (s) => {
    const m = await import("./par-index/index.js");
    const u = await m.loadUncertainty();
    return u.run(m.presets.methodology("par2023-ministries"), m.presets.assessments("par2023-ministries"), s);
  }, spec);
  assert.ok(requested.some(lazy), "loadUncertainty() fetched no module");
  const node = await import("par-index");
  const inNode = (await node.loadUncertainty()).run(node.presets.methodology("par2023-ministries"), node.presets.assessments("par2023-ministries"), spec);
  assert.deepEqual(inBrowser, inNode);
  const j = inBrowser.units.find((u) => u.unit === "Ministry of Justice");
  ok(`uncertainty: the second module fetched on first use; 200 replications, Ministry of Justice rank ${j.nominalRank} (5-95 %: ${j.rankP05}-${j.rankP95}), the same report as in Node`);

  assert.deepEqual(problems, []);
  ok("no page or console errors");
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  ok(`screenshot saved to ${shot}`);
} catch (e) {
  failed = true;
  console.error(`not ok - ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  server.close();
  clearTimeout(deadline);
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser test: ${checks.length} passed, ${failed ? 1 : 0} failed`);
process.exit(failed ? 1 : 0);
