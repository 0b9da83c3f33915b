// The JavaScript layer of the npm package `par-index`, shared by the browser (ES module) and
// Node (CommonJS) builds: `build.sh` wraps this body with the imports and exports of each.
//
// It only converts: it parses the JSON text the native module returns, turns thrown error
// values into `ParIndexError` objects, and checks argument types. Every figure is computed by
// the Rust core.

/* eslint-disable no-unused-vars */
function createApi(native, isReady) {
  const MARKER = "par-index-error:";

  /** An error of the par-index core (or of an argument), with a stable `code` and a `path`. */
  class ParIndexError extends Error {
    constructor(message, code, path, kind) {
      super(message);
      this.name = "ParIndexError";
      this.code = code;
      this.path = path;
      this.kind = kind;
    }
  }

  function convertError(e) {
    if (typeof e === "string" && e.startsWith(MARKER)) {
      const b = JSON.parse(e.slice(MARKER.length));
      return new ParIndexError(b.message, b.code, b.path, b.kind);
    }
    if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) {
      return new ParIndexError(`internal error in par-index (please report it): ${e.message}`, "panic", "", "internal");
    }
    return e;
  }

  function argumentError(path, message) {
    return new ParIndexError(`${path}: ${message}`, "invalid_input", path, "input");
  }

  function call(f) {
    if (!isReady()) {
      throw new ParIndexError(
        "par-index is not initialised: await init() (the default export) before using it",
        "not_initialized",
        "",
        "internal",
      );
    }
    try {
      return f();
    } catch (e) {
      throw convertError(e);
    }
  }

  const parse = (text) => JSON.parse(text);

  function requireString(value, path) {
    if (typeof value !== "string") throw argumentError(path, `a string is required (got ${typeof value})`);
    return value;
  }

  function requireObject(value, path) {
    if (value === null || typeof value !== "object") throw argumentError(path, "an object is required");
    return value;
  }

  // The native handle of each public object; kept off the objects themselves.
  const handles = new WeakMap();
  const handle = (o) => handles.get(o);
  // The methodology each scorecard was scored with (for scorecard.whatIf).
  const scoredWith = new WeakMap();
  function wrap(Cls, h) {
    const o = Object.create(Cls.prototype);
    handles.set(o, h);
    return o;
  }
  function noConstructor(name, how) {
    throw new TypeError(`${name} has no public constructor: use ${how}`);
  }

  /** A set of assessments: the values each unit received. */
  class Assessments {
    constructor() {
      noConstructor("Assessments", "Assessments.fromJson, fromObject, fromCsv or fromRecords");
    }
    static fromJson(text) {
      requireString(text, "text");
      return wrap(Assessments, call(() => native.WasmAssessments.fromJson(text)));
    }
    static fromObject(value) {
      requireObject(value, "assessments");
      return Assessments.fromJson(JSON.stringify(value));
    }
    static fromCsv(text, options = {}) {
      requireString(text, "text");
      requireObject(options, "options");
      return wrap(Assessments, call(() => native.WasmAssessments.fromCsv(text, JSON.stringify(options))));
    }
    static fromRecords(records) {
      if (!Array.isArray(records)) throw argumentError("records", "an array is required");
      return wrap(Assessments, call(() => native.WasmAssessments.fromRecords(JSON.stringify(records))));
    }
    units() {
      return parse(call(() => handle(this).units()));
    }
    setValue(unit, code, value) {
      requireString(unit, "unit");
      requireString(code, "code");
      let text;
      if (value === null || value === undefined) text = undefined;
      else if (typeof value === "boolean") text = value ? "yes" : "no";
      else if (typeof value === "number" || typeof value === "string") text = String(value);
      else throw argumentError("value", "a string, number, boolean or null is required");
      call(() => handle(this).setValue(unit, code, text));
      return this;
    }
    clone() {
      return wrap(Assessments, call(() => handle(this).clone()));
    }
    toJson() {
      return call(() => handle(this).toJson());
    }
  }

  /** A scored set of units. */
  class Scorecard {
    constructor() {
      noConstructor("Scorecard", "methodology.score(assessments)");
    }
    get methodology() {
      return call(() => handle(this).methodology);
    }
    units(options = {}) {
      requireObject(options, "options");
      const order = options.order === undefined ? "ranked" : options.order;
      if (order !== "ranked" && order !== "input") throw argumentError("options.order", 'must be "ranked" or "input"');
      return parse(call(() => handle(this).units(order === "ranked")));
    }
    nodes(unit) {
      if (unit !== undefined) requireString(unit, "unit");
      return parse(call(() => handle(this).nodes(unit)));
    }
    explain(unit) {
      requireString(unit, "unit");
      return parse(call(() => handle(this).explain(unit)));
    }
    display(value) {
      if (typeof value === "number") value = String(value);
      requireString(value, "value");
      return call(() => handle(this).display(value));
    }
    clone() {
      const copy = wrap(Scorecard, call(() => handle(this).clone()));
      if (scoredWith.has(this)) scoredWith.set(copy, scoredWith.get(this));
      return copy;
    }
    whatIf(changes, weights) {
      const m = scoredWith.get(this);
      if (m === undefined) throw argumentError("scorecard", "whatIf needs the methodology this scorecard was scored with");
      return m.whatIf(this, changes, weights);
    }
    gap(unit) {
      requireString(unit, "unit");
      return parse(call(() => handle(this).gap(unit)));
    }
    profile(unit) {
      requireString(unit, "unit");
      return parse(call(() => handle(this).profile(unit)));
    }
    compare(previous, mapping = {}) {
      if (!(previous instanceof Scorecard)) throw argumentError("previous", "a Scorecard is required");
      requireObject(mapping, "mapping");
      return parse(call(() => handle(this).compare(handle(previous), JSON.stringify(mapping))));
    }
    toJson() {
      return call(() => handle(this).toJson());
    }
  }

  function changesText(changes) {
    if (!Array.isArray(changes)) throw argumentError("changes", "an array of {unit, code, value} is required");
    return JSON.stringify(changes.map((c) => (c !== null && typeof c === "object" && c.value === undefined ? { ...c, value: null } : c)));
  }

  /** A validated methodology, compiled once: score many assessment sets with it. */
  class Methodology {
    constructor() {
      noConstructor("Methodology", "Methodology.fromJson(text) or presets.methodology(name)");
    }
    static fromJson(text) {
      requireString(text, "text");
      return wrap(Methodology, call(() => native.WasmMethodology.fromJson(text)));
    }
    static fromObject(value) {
      requireObject(value, "methodology");
      return Methodology.fromJson(JSON.stringify(value));
    }
    info() {
      return parse(call(() => handle(this).info()));
    }
    get id() {
      return this.info().id;
    }
    get title() {
      return this.info().title;
    }
    get source() {
      return this.info().source;
    }
    nodes() {
      return parse(call(() => handle(this).nodes()));
    }
    tiers() {
      return parse(call(() => handle(this).tiers()));
    }
    score(assessments) {
      const a = assessments instanceof Assessments ? assessments : Assessments.fromObject(assessments);
      const card = wrap(Scorecard, call(() => handle(this).score(handle(a))));
      scoredWith.set(card, this);
      return card;
    }
    apply(scorecard, changes) {
      if (!(scorecard instanceof Scorecard)) throw argumentError("scorecard", "a Scorecard is required");
      const text = changesText(changes);
      return parse(call(() => handle(this).apply(handle(scorecard), text)));
    }
    whatIf(scorecard, changes, weights) {
      if (!(scorecard instanceof Scorecard)) throw argumentError("scorecard", "a Scorecard is required");
      if (weights === undefined || weights === null) {
        const copy = scorecard.clone();
        const movements = this.apply(copy, changes);
        return { scorecard: copy, movements };
      }
      if (!Array.isArray(weights)) throw argumentError("weights", "an array of {code, weight} is required");
      const weightsText = JSON.stringify(weights.map((w) => (w !== null && typeof w === "object" && typeof w.weight === "number" ? { ...w, weight: String(w.weight) } : w)));
      const changeText = changesText(changes ?? []);
      const r = call(() => handle(this).whatIfWeights(handle(scorecard), weightsText, changeText));
      try {
        const methodology = wrap(Methodology, r.takeMethodology());
        const card = wrap(Scorecard, r.takeScorecard());
        scoredWith.set(card, methodology);
        return { scorecard: card, movements: parse(r.movements()), methodology };
      } finally {
        r.free();
      }
    }
    toJson() {
      return call(() => handle(this).toJson());
    }
  }

  /** The data that ships with the library. */
  const presets = Object.freeze({
    names() {
      return parse(call(() => native.presetNames()));
    },
    methodology(name) {
      requireString(name, "name");
      return wrap(Methodology, call(() => native.presetMethodology(name)));
    },
    assessments(name) {
      requireString(name, "name");
      return wrap(Assessments, call(() => native.presetAssessments(name)));
    },
    par2023MinistriesTable() {
      return parse(call(() => native.par2023MinistriesTable()));
    },
  });

  /** A validated survey design: items in elements, the scale, the satisfied levels. */
  class SurveyDesign {
    constructor() {
      noConstructor("SurveyDesign", "SurveyDesign.fromJson(text) or SurveyDesign.fromItems(codes)");
    }
    static fromJson(text) {
      requireString(text, "text");
      return wrap(SurveyDesign, call(() => native.WasmSurveyDesign.fromJson(text)));
    }
    static fromObject(value) {
      requireObject(value, "design");
      return wrap(SurveyDesign, call(() => native.WasmSurveyDesign.fromValue(JSON.stringify(value))));
    }
    static fromItems(codes) {
      if (!Array.isArray(codes)) throw argumentError("design", "an array of item codes is required");
      return wrap(SurveyDesign, call(() => native.WasmSurveyDesign.fromItems(JSON.stringify(codes))));
    }
    items() {
      return parse(call(() => handle(this).items()));
    }
    elements() {
      return parse(call(() => handle(this).elements()));
    }
    scale() {
      return parse(call(() => handle(this).scale()));
    }
    toJson() {
      return call(() => handle(this).toJson());
    }
  }

  /** The results of a SIPAS aggregation. */
  class SipasResult {
    constructor() {
      noConstructor("SipasResult", "sipas(responses, design, options)");
    }
    items() {
      return parse(call(() => handle(this).items()));
    }
    elements() {
      return parse(call(() => handle(this).elements()));
    }
    overall() {
      return parse(call(() => handle(this).overall()));
    }
    report() {
      return parse(call(() => handle(this).report()));
    }
    toJson() {
      return call(() => handle(this).toJson());
    }
  }

  function sipas(responses, design, options = {}) {
    requireObject(options, "options");
    const d = Array.isArray(design) ? SurveyDesign.fromItems(design) : design;
    if (!(d instanceof SurveyDesign)) throw argumentError("design", "a SurveyDesign or an array of item codes is required");
    const opts = JSON.stringify(options);
    if (typeof responses === "string") {
      return wrap(SipasResult, call(() => native.sipasCsv(responses, handle(d), opts)));
    }
    if (!Array.isArray(responses)) throw argumentError("responses", "an array of rows or CSV text is required");
    return wrap(SipasResult, call(() => native.sipasRows(JSON.stringify(responses), handle(d), opts)));
  }

  function proportionCi(successes, n, options = {}) {
    requireObject(options, "options");
    if (typeof successes !== "number") throw argumentError("successes", "a number is required");
    if (typeof n !== "number") throw argumentError("n", "a number is required");
    const method = options.method === undefined ? undefined : requireString(options.method, "options.method");
    const level = options.level === undefined ? undefined : options.level;
    if (level !== undefined && typeof level !== "number") throw argumentError("options.level", "a number is required");
    return parse(call(() => native.proportionCi(successes, n, method, level)));
  }

  function display(value, options = {}) {
    if (typeof value === "number") value = String(value);
    requireString(value, "value");
    requireObject(options, "options");
    const places = options.places === undefined ? 2 : options.places;
    if (!Number.isInteger(places) || places < 0 || places > 28) throw argumentError("options.places", "a whole number from 0 to 28 is required");
    const mode = options.mode === undefined ? "half_up" : requireString(options.mode, "options.mode");
    return call(() => native.displayDecimal(value, places, mode));
  }

  function version() {
    return call(() => native.coreVersion());
  }

  /**
   * The Monte Carlo analysis over a second WebAssembly instance (`uncertainty/`, the crate
   * built with its `uncertainty` feature): it has its own memory, so the methodology and the
   * assessments cross to it as JSON text and are scored there again. Errors are converted by
   * the same `ParIndexError` class as the rest of the package.
   */
  function createUncertainty(second) {
    function callSecond(f) {
      try {
        return f();
      } catch (e) {
        throw convertError(e);
      }
    }
    function methodologyText(m) {
      if (m instanceof Methodology) return m.toJson();
      if (typeof m === "string") return m;
      return JSON.stringify(requireObject(m, "methodology"));
    }
    function assessmentsText(a) {
      if (a instanceof Assessments) return a.toJson();
      if (typeof a === "string") return a;
      return JSON.stringify(requireObject(a, "assessments"));
    }
    function run(methodology, assessments, spec) {
      const mText = methodologyText(methodology);
      const aText = assessmentsText(assessments);
      const sText = typeof spec === "string" ? spec : JSON.stringify(requireObject(spec, "spec"));
      const owned = [];
      const keep = (h) => {
        owned.push(h);
        return h;
      };
      try {
        return parse(callSecond(() => {
          const m = keep(second.WasmMethodology.fromJson(mText));
          const a = keep(second.WasmAssessments.fromJson(aText));
          const card = keep(m.score(a));
          return m.uncertainty(card, sText);
        }));
      } finally {
        // The second instance's objects are freed at once: nothing of it outlives the call.
        for (const h of owned) h.free();
      }
    }
    return Object.freeze({ run, version: () => callSecond(() => second.coreVersion()) });
  }

  return {
    ParIndexError,
    Methodology,
    Assessments,
    Scorecard,
    SurveyDesign,
    SipasResult,
    presets,
    sipas,
    proportionCi,
    display,
    version,
    createUncertainty,
  };
}
