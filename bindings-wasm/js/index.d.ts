// Type declarations of the npm package `par-index` (hand-written and checked: no `any`).
//
// Decimals cross as exact strings (`Decimal`); each decimal field `x` has a twin `xNumber`
// (the nearest double) for charts. Never compute published figures from the `…Number` twins.

/** An exact decimal number as text, such as `"89.95"`. */
export type Decimal = string;

/** A name in Vietnamese and English. */
export interface Label {
  vi: string;
  en: string;
}

/** The concern an error belongs to. */
export type ErrorKind = "methodology" | "input" | "arithmetic" | "survey" | "internal";

/** Every error thrown by this package: a stable `code` and the `path` of the offending node, field or row. */
export class ParIndexError extends Error {
  private constructor();
  readonly name: "ParIndexError";
  /** Stable snake_case code, the same in Rust, Python and JavaScript (e.g. `"above_maximum"`). */
  readonly code: string;
  /** Where the problem is: a node path, a field, or `row 17, column q5`; empty for the whole input. */
  readonly path: string;
  readonly kind: ErrorKind;
}

/** What `init` accepts: where to fetch the `.wasm` from, or its bytes or compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module. In browsers await it once before anything else; in Node the
 * module loads on import and this resolves at once.
 */
export default function init(input?: InitInput | Promise<Response>): Promise<void>;

export type RoundingMode = "half_up" | "half_even";

/** A decimal as displayed: rounded to `places` (default 2) by `mode` (default `"half_up"`), e.g. `"89.96"`. */
export function display(value: Decimal | number, options?: { places?: number; mode?: RoundingMode }): string;

/** The version of the Rust core wrapped. */
export function version(): string;

// ---------------------------------------------------------------------------------------------
// Methodologies and scoring

/** A value given for a leaf: a number, a decimal or percentage text (`"61.86"`, `"95%"`), yes/no, or `"NA"`. */
export type AssessedValue = string | number | boolean;

/** One unit in the assessments JSON format. */
export interface AssessmentJson {
  unit: string;
  group?: string;
  label?: Label;
  values?: Record<string, AssessedValue>;
}

/** The assessments JSON format. */
export interface AssessmentsJson {
  format?: number;
  units: AssessmentJson[];
}

/** One long record: a unit's value for one code (null or `""` is no value). */
export interface AssessmentRecord {
  unit: string;
  group?: string | null;
  code: string;
  value: AssessedValue | null;
}

/** How an assessment CSV is read. */
export interface AssessmentCsvOptions {
  /** Long (`unit,code,value`), wide (a column per code), or decided from the header (default). */
  layout?: "auto" | "long" | "wide";
  unitColumn?: string;
  groupColumn?: string;
  /** Columns read and deliberately not used. */
  ignoreColumns?: string[];
  delimiter?: string;
}

/** One unit of an assessment set, values as text. */
export interface AssessmentRow {
  unit: string;
  group: string | null;
  label: Label | null;
  values: Record<string, string>;
}

/** The values each unit received. */
export class Assessments {
  private constructor();
  static fromJson(text: string): Assessments;
  static fromObject(value: AssessmentsJson): Assessments;
  static fromCsv(text: string, options?: AssessmentCsvOptions): Assessments;
  static fromRecords(records: AssessmentRecord[]): Assessments;
  units(): AssessmentRow[];
  /** Sets one value in place (null removes it), for what-if scoring; returns this. */
  setValue(unit: string, code: string, value: AssessedValue | null): this;
  clone(): Assessments;
  /** The core's JSON format. */
  toJson(): string;
}

/** A node of the methodology's tree, in pre-order. */
export interface MethodologyNode {
  code: string;
  label: Label;
  /** 1 for top-level criteria. */
  depth: number;
  parent: string | null;
  leaf: boolean;
  maxPoints: Decimal;
  maxPointsNumber: number;
  weight: Decimal | null;
  weightNumber: number | null;
}

/** A tier band of a tier scheme. */
export interface TierBand {
  scheme: string;
  isDefault: boolean;
  code: string;
  label: Label;
  min: Decimal;
  minNumber: number;
  minInclusive: boolean;
  max: Decimal | null;
  maxNumber: number | null;
  maxInclusive: boolean;
  color: string | null;
}

export interface MethodologyInfo {
  id: string;
  title: Label;
  source: string;
  notes: string | null;
  maxPoints: Decimal;
  maxPointsNumber: number;
}

/** A validated methodology, compiled once: score many assessment sets with it. */
export class Methodology {
  private constructor();
  static fromJson(text: string): Methodology;
  static fromObject(value: object): Methodology;
  readonly id: string;
  readonly title: Label;
  readonly source: string;
  info(): MethodologyInfo;
  nodes(): MethodologyNode[];
  tiers(): TierBand[];
  score(assessments: Assessments | AssessmentsJson): Scorecard;
  /**
   * Changes inputs of a scorecard made with this methodology in place, recomputing only what
   * changed (the fast path of a what-if slider); returns every unit's movement. On error the
   * scorecard is left as it was.
   */
  apply(scorecard: Scorecard, changes: Change[]): Movement[];
  /** As `apply`, on a copy: the scorecard given is not changed. */
  /**
   * A what-if on a copy of `scorecard`: changed values, and with `weights` re-weighted children
   * of weighted nodes (then the result carries the re-weighted `methodology`).
   */
  whatIf(scorecard: Scorecard, changes: Change[], weights?: WeightChange[]): WhatIf;
  /** The core's JSON format (reads back with `fromJson`). */
  toJson(): string;
}

/** One unit's result. */
export interface UnitRow {
  unit: string;
  group: string | null;
  label: Label | null;
  treePoints: Decimal;
  treePointsNumber: number;
  bonus: Decimal;
  bonusNumber: number;
  penalty: Decimal;
  penaltyNumber: number;
  points: Decimal;
  pointsNumber: number;
  maxPoints: Decimal;
  maxPointsNumber: number;
  /** Total points / maximum × 100, exact. */
  index: Decimal;
  indexNumber: number;
  /** The index as published: rounded by the methodology's rounding (`"89.95"`). */
  indexDisplay: string;
  tier: string | null;
  tierLabel: Label | null;
  tierColor: string | null;
  /** Rank inside the group, 1 = best. */
  rank: number;
  groupSize: number;
}

export type NodeStatus = "scored" | "not_applicable" | "missing";

/** One node's result for one unit. */
export interface NodeRow {
  unit: string;
  code: string;
  label: Label;
  points: Decimal;
  pointsNumber: number;
  maxPoints: Decimal;
  maxPointsNumber: number;
  percent: Decimal | null;
  percentNumber: number | null;
  status: NodeStatus;
  /** The value given (leaves): a number as text (`"61.86"`, `"NA"`), or true/false for yes/no. */
  input: string | boolean | null;
}

/** One line of an audit trail. */
export interface AuditLine {
  /** The node's code; `total` for the whole tree. */
  code: string;
  label: Label;
  depth: number;
  points: Decimal;
  pointsNumber: number;
  maxPoints: Decimal;
  maxPointsNumber: number;
  percent: Decimal | null;
  percentNumber: number | null;
  status: NodeStatus;
  input: string | boolean | null;
  /** The computation in words and numbers. */
  how: string;
}

/** How every figure of one unit came about. */
export interface Audit {
  unit: string;
  lines: AuditLine[];
  summary: string;
  /** The whole trail as printable text. */
  text: string;
}

export interface UnitsOptions {
  /** `"ranked"` (default): by group, then rank; `"input"`: as given. */
  order?: "ranked" | "input";
}

/** The results of scoring a set of units. */
export class Scorecard {
  private constructor();
  readonly methodology: string;
  units(options?: UnitsOptions): UnitRow[];
  /** Every node of one unit, or of every unit. */
  nodes(unit?: string): NodeRow[];
  explain(unit: string): Audit;
  /** A figure as displayed, rounded by the methodology's rounding. */
  display(value: Decimal | number): string;
  clone(): Scorecard;
  /** `methodology.whatIf(this, changes, weights)` with the methodology this scorecard was scored with. */
  whatIf(changes: Change[], weights?: WeightChange[]): WhatIf;
  /** What a unit needs for the next tier and the next rank, and where it can still gain points. */
  gap(unit: string): Gap;
  /** A unit's strengths and weaknesses, node by node, against its group. */
  profile(unit: string): Profile;
  /** This scorecard against an earlier one; `mapping` maps earlier node codes to current ones. */
  compare(previous: Scorecard, mapping?: Record<string, string>): Comparison;
  /** The core's JSON format (snake_case, decimals as strings). */
  toJson(): string;
}

/** One changed input for what-if scoring; a null or absent value removes it. */
export interface Change {
  unit: string;
  code: string;
  value?: AssessedValue | null;
}

/** How one unit moved. */
export interface Movement {
  unit: string;
  group: string | null;
  indexBefore: Decimal;
  indexBeforeNumber: number;
  indexAfter: Decimal;
  indexAfterNumber: number;
  rankBefore: number;
  rankAfter: number;
  tierBefore: string | null;
  tierAfter: string | null;
}

/** A new weight for a child of a weighted node (a decimal string or a number). */
export interface WeightChange {
  code: string;
  weight: Decimal | number;
}

export interface WhatIf {
  scorecard: Scorecard;
  movements: Movement[];
  /** The re-weighted methodology, after a what-if on weights. */
  methodology?: Methodology;
}

export interface TierRequirement {
  code: string;
  minPercent: Decimal;
  minPercentNumber: number;
}

export interface TierGap {
  tier: string;
  label: Label;
  minIndex: Decimal;
  minIndexNumber: number;
  inclusive: boolean;
  pointsNeeded: Decimal;
  pointsNeededNumber: number;
  indexNeeded: Decimal;
  indexNeededNumber: number;
  requires: TierRequirement[];
}

export interface RankGap {
  unit: string;
  rank: number;
  pointsNeeded: Decimal;
  pointsNeededNumber: number;
  indexNeeded: Decimal;
  indexNeededNumber: number;
}

export interface Headroom {
  code: string;
  label: Label;
  available: Decimal;
  availableNumber: number;
  cumulative: Decimal;
  cumulativeNumber: number;
}

export interface Gap {
  unit: string;
  index: Decimal;
  indexNumber: number;
  tier: string | null;
  nextTier: TierGap | null;
  nextRank: RankGap | null;
  headroom: Headroom[];
}

export interface NodeProfile {
  code: string;
  label: Label;
  depth: number;
  points: Decimal;
  pointsNumber: number;
  maxPoints: Decimal;
  maxPointsNumber: number;
  lost: Decimal;
  lostNumber: number;
  percent: Decimal;
  percentNumber: number;
  groupBest: Decimal;
  groupBestNumber: number;
  groupMean: Decimal;
  groupMeanNumber: number;
  versusMean: Decimal;
  versusMeanNumber: number;
  /** Points lost at the group's mean percentage on this unit's maximum. */
  groupMeanLost: Decimal;
  groupMeanLostNumber: number;
  groupRank: number;
}

export interface Profile {
  unit: string;
  nodes: NodeProfile[];
}

export interface UnitChange {
  unit: string;
  group: string | null;
  indexBefore: Decimal;
  indexBeforeNumber: number;
  indexAfter: Decimal;
  indexAfterNumber: number;
  indexChange: Decimal;
  indexChangeNumber: number;
  pointsBefore: Decimal;
  pointsBeforeNumber: number;
  pointsAfter: Decimal;
  pointsAfterNumber: number;
  pointsChange: Decimal;
  pointsChangeNumber: number;
  rankBefore: number;
  rankAfter: number;
  rankChange: number;
  tierBefore: string | null;
  tierAfter: string | null;
  tierMove: number | null;
}

export interface NodeChange {
  unit: string;
  code: string;
  previousCode: string;
  pointsBefore: Decimal;
  pointsBeforeNumber: number;
  pointsAfter: Decimal;
  pointsAfterNumber: number;
  pointsChange: Decimal;
  pointsChangeNumber: number;
  percentBefore: Decimal | null;
  percentBeforeNumber: number | null;
  percentAfter: Decimal | null;
  percentAfterNumber: number | null;
  percentChange: Decimal | null;
  percentChangeNumber: number | null;
}

export interface Comparison {
  units: UnitChange[];
  nodes: NodeChange[];
  newUnits: string[];
  droppedUnits: string[];
  unmappedCodes: string[];
  unmappedPreviousCodes: string[];
}

// ---------------------------------------------------------------------------------------------
// Monte Carlo uncertainty and sensitivity (a second module, loaded by `loadUncertainty`)

/**
 * How weights move: each weight uniform in `[w(1 − r), w(1 + r)]` (`relative: 0.25` is "25 %"),
 * or a node's children's weights drawn together from a Dirichlet distribution around the
 * nominal shares (larger `concentration` is tighter).
 */
export type WeightDistribution =
  | { type: "uniform"; relative: number }
  | { type: "dirichlet"; concentration: number };

/** One unit's share on one survey leaf, with its sampling error (`se`, or the sample size `n`). */
export interface ShareUncertainty {
  unit: string;
  code: string;
  /** The share satisfied as a fraction (0.965). */
  share: number;
  se?: number;
  n?: number;
}

/** Policies to switch between, one drawn per replication (each list is one input factor). */
export interface PolicySwitches {
  ties?: Array<"competition" | "dense" | "ordinal">;
  not_applicable?: Array<"methodology" | "rescale" | "zero" | "full">;
  aggregation?: Array<"methodology" | "arithmetic" | "sum" | "weighted_arithmetic" | "geometric" | "weighted_geometric">;
}

/**
 * The core's uncertainty spec, in the core's JSON form (snake_case keys, as in Rust and
 * Python). Results depend only on it: the same seed gives the same report in every binding.
 */
export interface UncertaintySpec {
  /** Replications (rows of the Saltelli `A` matrix); at least 1. */
  replications: number;
  /** The seed (exact up to 2^53). */
  seed?: number;
  /** Weights perturbed at these depths (1 = top-level criteria; empty = every level). */
  weights?: { levels?: number[]; distribution: WeightDistribution };
  /** Survey shares drawn from their sampling distributions. */
  survey?: { distribution?: "normal" | "beta"; shares: ShareUncertainty[] };
  policies?: PolicySwitches;
  /** Variance-based sensitivity indices (Saltelli design); `per_unit` adds them per unit's rank. */
  sensitivity?: { per_unit?: boolean };
  /** Ignored in WebAssembly, which runs on one thread; results do not depend on it. */
  threads?: number;
}

/** The Monte Carlo analysis, once its module is loaded (`await loadUncertainty()`). */
export interface Uncertainty {
  /**
   * Runs the analysis: the methodology and the assessments (objects of this package, their
   * JSON text, or JSON objects) are scored again inside the second module, then perturbed as
   * `spec` says (an object or JSON text). Single-threaded; the same seed gives the same report
   * as Rust and Python. Errors are `ParIndexError`s (`input_json` for a malformed spec, the
   * core's codes for a spec that does not fit the methodology).
   */
  run(
    methodology: Methodology | string | object,
    assessments: Assessments | AssessmentsJson | string,
    spec: UncertaintySpec | string,
  ): UncertaintyReport;
  /** The version of the core inside the second module. */
  version(): string;
}

/**
 * Loads the Monte Carlo analysis, a second WebAssembly module (`uncertainty/`, about 426 KB
 * gzipped) kept out of the main one for size. Browser: fetches it on the first call (`input`
 * as for `init`; by default `uncertainty/par_index_wasm_bg.wasm` next to the package's
 * module); Node: loads it synchronously on the first call. Later calls return the same promise.
 */
export function loadUncertainty(input?: InitInput | Promise<Response>): Promise<Uncertainty>;

export interface TierChance {
  tier: string | null;
  count: number;
  probability: number;
}

export interface UnitUncertainty {
  unit: string;
  group: string | null;
  nominalIndex: Decimal;
  nominalIndexNumber: number;
  nominalRank: number;
  nominalTier: string | null;
  meanIndex: number;
  indexSd: number;
  meanRank: number;
  medianRank: number;
  rankP05: number;
  rankP95: number;
  /** Runs at each rank, from rank 1. */
  rankCounts: number[];
  tiers: TierChance[];
}

export interface FactorSensitivity {
  factor: string;
  firstOrder: number | null;
  total: number | null;
}

export interface UnitSensitivity {
  unit: string;
  variance: number;
  factors: FactorSensitivity[];
}

export interface Sensitivity {
  output: string;
  variance: number;
  factors: FactorSensitivity[];
  units?: UnitSensitivity[];
}

export interface UncertaintyReport {
  seed: number;
  replications: number;
  runs: number;
  factors: string[];
  meanAbsoluteRankShift: number;
  units: UnitUncertainty[];
  sensitivity?: Sensitivity;
}

/** One row of the published 2023 ministry table, as printed. */
export interface PublishedMinistryRow {
  rank: number;
  unitVi: string;
  unitEn: string;
  appraisal: Decimal;
  appraisalNumber: number;
  survey: Decimal;
  surveyNumber: number;
  total: Decimal;
  totalNumber: number;
  index: Decimal;
  indexNumber: number;
}

/** The data that ships with the library. */
export declare const presets: {
  /** Names of the shipped methodologies. */
  names(): string[];
  methodology(name: string): Methodology;
  /** Example assessments of the methodology of the same name. */
  assessments(name: string): Assessments;
  par2023MinistriesTable(): PublishedMinistryRow[];
};

// ---------------------------------------------------------------------------------------------
// SIPAS survey aggregation

export interface SurveyItem {
  code: string;
  label: Label;
  element: string;
  part: string | null;
}

export interface SurveyElement {
  code: string;
  label: Label;
}

export interface ScaleLevel {
  code: number;
  label: Label;
  satisfied: boolean;
}

/** A validated survey design. */
export class SurveyDesign {
  private constructor();
  static fromJson(text: string): SurveyDesign;
  static fromObject(value: object): SurveyDesign;
  /** One item (and element) per code, scale 1–5, levels 4 and 5 satisfied. */
  static fromItems(codes: string[]): SurveyDesign;
  items(): SurveyItem[];
  elements(): SurveyElement[];
  scale(): ScaleLevel[];
  toJson(): string;
}

export type CiMethod =
  | "wilson"
  | "clopper_pearson"
  | "jeffreys"
  | "agresti_coull"
  | "normal"
  | "logit"
  | "korn_graubard";

/** One respondent in the core's form. */
export interface SurveyResponse {
  unit: string;
  group?: string;
  weight?: Decimal | number;
  answers: Record<string, number | null>;
}

/** One respondent as a flat row: the unit column, item columns, optional group and weight. */
export type ResponseRow = Record<string, string | number | null>;

export interface SipasOptions {
  /** The column of unit ids (default `"unit"`). */
  unit?: string;
  /** The column of group names. */
  group?: string;
  /** The column of design weights (`true`: the column `weight`); weighted when given. */
  weight?: string | boolean;
  /** Interval method (default `"wilson"`). */
  ci?: CiMethod;
  /** Confidence level (default 0.95). */
  level?: number;
  /** CSV field delimiter (default `","`). */
  delimiter?: string;
}

export interface SipasItemRow {
  unit: string;
  item: string;
  n: number;
  nMissing: number;
  nNotApplicable: number;
  satisfied: number;
  /** Share satisfied, a fraction (0.965). */
  share: Decimal | null;
  shareNumber: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  mean: Decimal | null;
  meanNumber: number | null;
  nEff: number | null;
  weightedN: Decimal;
  weightedNNumber: number;
  /** Respondents at each level of the scale, in scale order. */
  levels: number[];
}

export interface SipasElementRow {
  unit: string;
  element: string;
  /** Index in percent (96.5). */
  index: Decimal | null;
  indexNumber: number | null;
}

export interface SipasOverallRow {
  unit: string;
  group: string | null;
  index: Decimal | null;
  indexNumber: number | null;
  rank: number | null;
  groupRank: number | null;
}

export interface RowRejection {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  column: string | null;
  code: string;
  reason: string;
  /** `row L, column C`, as error paths name rows. */
  path: string;
}

/** What happened to the input rows: read = used + rejected, always. */
export interface RowReport {
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  rejections: RowRejection[];
  ignoredColumns: string[];
}

export class SipasResult {
  private constructor();
  items(): SipasItemRow[];
  elements(): SipasElementRow[];
  overall(): SipasOverallRow[];
  report(): RowReport;
  /** The core's JSON format (units, groups and all units). */
  toJson(): string;
}

/**
 * Aggregates survey responses: CSV text (bad rows are rejected and listed in `report()`), or an
 * array of rows (a bad row throws). `design` may be an array of item codes.
 */
export function sipas(
  responses: string | ReadonlyArray<ResponseRow | SurveyResponse>,
  design: SurveyDesign | string[],
  options?: SipasOptions,
): SipasResult;

export interface Interval {
  low: number;
  high: number;
}

/** A confidence interval for a share `successes / n`. */
export function proportionCi(successes: number, n: number, options?: { method?: CiMethod; level?: number }): Interval;
