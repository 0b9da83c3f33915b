#!/usr/bin/env python3
"""Writes the scoring conformance cases (conformance/cases/core-*.json).

Expected figures are worked out here independently of the Rust engine, by hand arithmetic with
Python's decimal module (sums, percentages) and by reading the published 2023 ministry table.
Run: python3 scripts/reference/core_cases.py
"""
import csv
import json
from decimal import Decimal as D, getcontext
from pathlib import Path

getcontext().prec = 28
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "conformance" / "cases"
CORE = ROOT / "core" / "data"


def norm(d):
    """Decimal as the engine prints it: normalized, no exponent."""
    d = D(d).normalize()
    s = format(d, "f")
    return s


def pct(points, mx):
    return norm(D(points) * 100 / D(mx))


def L(vi, en):
    return {"vi": vi, "en": en}


def methodology(criteria, max_points="100", **kw):
    m = {"format": 1, "id": kw.pop("id", "case"), "title": L("Thử", "Case"), "source": "conformance",
         "max_points": max_points, "criteria": criteria}
    m.update(kw)
    return m


def leaf(code, mx, rule=None, **kw):
    d = {"code": code, "max_points": mx}
    if rule:
        d["rule"] = rule
    d.update(kw)
    return d


def node(code, mx, children, **kw):
    d = {"code": code, "max_points": mx, "children": children}
    d.update(kw)
    return d


def units(*us):
    return {"units": [dict(unit=u, values=v, **({"group": g} if g else {})) for u, g, v in us]}


NATIONAL = json.loads((CORE / "tiers" / "national-groups-876.json").read_text())
DONG_THAP = json.loads((CORE / "tiers" / "dong-thap-2023.json").read_text())
cases = []


def case(name, description, operation, input, expected=None, error=None):
    c = {"name": name, "description": description, "operation": operation, "input": input}
    if error is not None:
        c["expected_error"] = error
    else:
        c["expected"] = expected
    cases.append(c)


# --- the published 2023 ministry table -------------------------------------------------------
rows = list(csv.DictReader((CORE / "assessments" / "par2023-ministries.csv").open(encoding="utf-8")))
m2023 = json.loads((CORE / "methodologies" / "par2023-ministries.json").read_text())
a2023 = {"units": [{"unit": r["unit_en"], "group": "ministry", "values": {"appraisal": r["appraisal_points"], "survey": r["survey_points"]}} for r in rows]}
exp = []
for r in rows:
    total = D(r["appraisal_points"]) + D(r["survey_points"])
    tier = "A" if total >= 90 else "B" if total >= 80 else "C" if total >= 70 else None
    exp.append({"unit": r["unit_en"], "points": norm(total), "max_points": "100", "index": norm(total), "tier": tier, "rank": int(r["rank"]), "group_size": 17})
case("core-ministries-2023", "The published 2023 ministry table: exact sums of the published parts, national groups, and the published order.",
     "score", {"methodology": m2023, "assessments": a2023}, {"units": exp})

# --- tier boundaries: exactly at the bound and 0.005 either side ------------------------------
one = methodology([leaf("x", "100")], tiers={"default": "national-groups-876", "schemes": [NATIONAL]})
vals = ["90", "89.995", "90.005", "80", "79.995", "80.005", "70", "69.995", "70.005", "100", "0"]
def national(v):
    v = D(v)
    return "A" if v >= 90 else "B" if v >= 80 else "C" if v >= 70 else None
for v in vals:
    case(f"core-tier-national-{v.replace('.', '_')}", f"National groups: an index of {v} % falls in {national(v)}.", "score",
         {"methodology": one, "assessments": units(("u", None, {"x": v}))},
         {"units": [{"unit": "u", "index": norm(v), "tier": national(v)}]})
dt = methodology([leaf("x", "100")], tiers={"default": "dong-thap-2023", "schemes": [DONG_THAP]})
for v, t in [("90", "xuat_sac"), ("89.995", "unnamed_85_90"), ("85", "unnamed_85_90"), ("84.995", "tot"), ("80", "tot"), ("79.995", None)]:
    case(f"core-tier-dong-thap-{v.replace('.', '_')}", f"Đồng Tháp 2023 bands: {v} % is {t}.", "score",
         {"methodology": dt, "assessments": units(("u", None, {"x": v}))}, {"units": [{"index": norm(v), "tier": t}]})
exclusive = json.loads(json.dumps(NATIONAL))
exclusive["bands"][0]["min_inclusive"] = False
exclusive["bands"][1]["max"] = "90"
exclusive["bands"][1]["max_inclusive"] = True
case("core-tier-exclusive-lower-bound", "A band whose lower bound is exclusive: exactly 90 falls to the band below.", "score",
     {"methodology": methodology([leaf("x", "100")], tiers={"default": "national-groups-876", "schemes": [exclusive]}),
      "assessments": units(("a", None, {"x": "90"}), ("b", None, {"x": "90.001"}))},
     {"units": [{"unit": "a", "tier": "B"}, {"unit": "b", "tier": "A"}]})

# --- ties -------------------------------------------------------------------------------------
tied = units(("d", None, {"1": "30", "2": "50"}), ("c", None, {"1": "40", "2": "40"}), ("b", None, {"1": "45", "2": "35"}), ("a", None, {"1": "30", "2": "40"}))
tree2 = [leaf("1", "50"), leaf("2", "50")]
# totals: d 80, c 80, b 80, a 70
for ties, ranks in [("competition", [1, 1, 1, 4]), ("dense", [1, 1, 1, 2])]:
    case(f"core-ties-{ties}", f"Three units tied at 80 under {ties} ranking.", "score",
         {"methodology": methodology(tree2, ranking={"ties": ties}), "assessments": tied},
         {"units": [{"unit": u, "rank": r} for u, r in zip("dcba", ranks)]})
case("core-ties-ordinal-id", "Ordinal ranking with no tie-breaker: ties go by unit id.", "score",
     {"methodology": methodology(tree2, ranking={"ties": "ordinal"}), "assessments": tied},
     {"units": [{"unit": "d", "rank": 3}, {"unit": "c", "rank": 2}, {"unit": "b", "rank": 1}, {"unit": "a", "rank": 4}]})
case("core-ties-ordinal-tie-breaker", "Ordinal ranking, tie-breaker node 2 (higher first): d (50) before c (40) before b (35).", "score",
     {"methodology": methodology(tree2, ranking={"ties": "ordinal", "tie_breakers": ["2"]}), "assessments": tied},
     {"units": [{"unit": "d", "rank": 1}, {"unit": "c", "rank": 2}, {"unit": "b", "rank": 3}, {"unit": "a", "rank": 4}]})
case("core-rank-displayed-basis", "Ranking on displayed values: 80.004 and 80.001 both show 80.00 and tie.", "score",
     {"methodology": methodology([leaf("x", "100")], ranking={"ties": "competition", "basis": "displayed"}),
      "assessments": units(("a", None, {"x": "80.001"}), ("b", None, {"x": "80.004"}), ("c", None, {"x": "80.006"}))},
     {"units": [{"unit": "a", "rank": 2}, {"unit": "b", "rank": 2}, {"unit": "c", "rank": 1}]})
case("core-rank-exact-basis", "Ranking on exact values (default): 64.561 and 64.559 both show 64.56 but rank apart.", "score",
     {"methodology": methodology([leaf("x", "100")]), "assessments": units(("dong-nai", None, {"x": "64.559"}), ("ha-tinh", None, {"x": "64.561"}))},
     {"units": [{"unit": "dong-nai", "rank": 2}, {"unit": "ha-tinh", "rank": 1}]})
case("core-rank-per-group", "Ranks are counted inside each group.", "score",
     {"methodology": methodology([leaf("x", "100")]),
      "assessments": units(("s1", "department", {"x": "91"}), ("h1", "district", {"x": "85"}), ("s2", "department", {"x": "95"}), ("h2", "district", {"x": "90.79"}))},
     {"units": [{"unit": "s1", "rank": 2, "group_size": 2}, {"unit": "h1", "rank": 2, "group_size": 2}, {"unit": "s2", "rank": 1}, {"unit": "h2", "rank": 1}]})

# --- not applicable ---------------------------------------------------------------------------
na_tree = [node("1", "60", [leaf("1.1", "20"), leaf("1.2", "40")]), leaf("2", "40")]
na_units = units(("u", None, {"1.1": "NA", "1.2": "30", "2": "30"}))
for policy, points, mx in [("rescale", "60", "80"), ("zero", "60", "100"), ("full", "80", "100")]:
    case(f"core-na-{policy}", f"A not-applicable leaf under the {policy} policy.", "score",
         {"methodology": methodology(na_tree, not_applicable=policy), "assessments": na_units},
         {"units": [{"points": points, "max_points": mx, "index": pct(points, mx)}]})
override = [node("1", "60", [leaf("1.1", "20", not_applicable="full"), leaf("1.2", "40")]), leaf("2", "40")]
case("core-na-node-override", "A node-level policy (full) overrides the methodology's (rescale).", "score",
     {"methodology": methodology(override), "assessments": na_units},
     {"units": [{"points": "80", "max_points": "100", "nodes": [{"code": "1", "points": "50", "max_points": "60"}, {"code": "1.1", "points": "20", "max_points": "20", "status": "not_applicable"}, {"code": "1.2", "points": "30"}, {"code": "2", "points": "30"}]}]})
case("core-na-whole-field", "Every leaf of a field not applicable: the field leaves the total (rescale).", "score",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1.1": "NA", "1.2": "KĐG", "2": "30"}))},
     {"units": [{"points": "30", "max_points": "40", "index": "75", "nodes": [{"code": "1", "status": "not_applicable", "max_points": "0", "percent": None}, {}, {}, {}]}]})
case("core-na-everything", "Every leaf not applicable: nothing to score.", "score",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1.1": "NA", "1.2": "NA", "2": "NA"}))},
     error={"code": "nothing_applicable", "path": "unit \"u\""})
case("core-missing-error", "A leaf with no value under the default missing policy is an error.", "score",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1.1": "10", "2": "30"}))},
     error={"code": "missing_value", "path": "unit \"u\""})
case("core-missing-zero", "Missing policy zero: a leaf with no value scores 0.", "score",
     {"methodology": methodology(na_tree, missing="zero"), "assessments": units(("u", None, {"1.1": "10", "2": "30"}))},
     {"units": [{"points": "40", "max_points": "100", "nodes": [{}, {}, {"code": "1.2", "status": "missing", "points": "0"}, {}]}]})
case("core-missing-not-applicable", "Missing policy not_applicable: a leaf with no value is rescaled away.", "score",
     {"methodology": methodology(na_tree, missing="not_applicable"), "assessments": units(("u", None, {"1.1": "10", "2": "30"}))},
     {"units": [{"points": "40", "max_points": "60", "index": pct(40, 60) if False else None}]} if False else
     {"units": [{"points": "40", "max_points": "60"}]})

# --- bonus and penalty ------------------------------------------------------------------------
adj = [{"code": "bonus", "kind": "bonus", "max_points": "2"}, {"code": "penalty", "kind": "penalty", "max_points": "5"}]
m_adj = methodology([leaf("x", "100")], adjustments=adj)
case("core-bonus-penalty", "Bonus added and penalty taken outside the tree.", "score",
     {"methodology": m_adj, "assessments": units(("u", None, {"x": "88.5", "bonus": "1.5", "penalty": "0.25"}))},
     {"units": [{"tree_points": "88.5", "bonus": "1.5", "penalty": "0.25", "points": "89.75", "index": "89.75"}]})
case("core-bonus-at-bound", "A bonus exactly at its bound is accepted; the index may pass 100.", "score",
     {"methodology": m_adj, "assessments": units(("u", None, {"x": "99", "bonus": "2"}))},
     {"units": [{"points": "101", "index": "101"}]})
case("core-bonus-above-bound", "A bonus above its bound is an error naming the value.", "score",
     {"methodology": m_adj, "assessments": units(("u", None, {"x": "99", "bonus": "2.01"}))},
     error={"code": "above_maximum", "path": "units[0].values.bonus"})
adj_clamp = [dict(adj[0], clamp=True), adj[1]]
case("core-bonus-clamped", "A clamped bonus above its bound counts as the bound.", "score",
     {"methodology": methodology([leaf("x", "100")], adjustments=adj_clamp), "assessments": units(("u", None, {"x": "90", "bonus": "3"}))},
     {"units": [{"bonus": "2", "points": "92"}]})
case("core-penalty-above-bound", "A penalty above its bound is an error.", "score",
     {"methodology": m_adj, "assessments": units(("u", None, {"x": "90", "penalty": "6"}))},
     error={"code": "above_maximum", "path": "units[0].values.penalty"})

# --- rules ------------------------------------------------------------------------------------
rules = [leaf("p", "10"), leaf("yn", "10", {"type": "yes_no"}), leaf("lin", "20", {"type": "linear", "from": "50", "to": "100"}),
         leaf("st", "20", {"type": "steps", "steps": [{"at_least": "100", "points": "20"}, {"at_least": "90", "points": "10"}], "otherwise": "0"}),
         leaf("sv", "10", {"type": "survey"}), leaf("cl", "10", {"type": "points", "clamp": True}),
         leaf("rev", "20", {"type": "linear", "from": "30", "to": "10"})]
r_units = units(("u", None, {"p": "7.25", "yn": "yes", "lin": "75%", "st": "95", "sv": "81.5", "cl": "12", "rev": "15"}))
case("core-rules", "Every leaf rule: points, yes/no, linear (75 % of 50-100 → half), steps, survey %, clamp, and a reversed linear rule (lower is better).",
     "score", {"methodology": methodology(rules), "assessments": r_units},
     {"units": [{"points": "70.4", "nodes": [{"code": "p", "points": "7.25"}, {"code": "yn", "points": "10"}, {"code": "lin", "points": "10"},
                                           {"code": "st", "points": "10"}, {"code": "sv", "points": "8.15"}, {"code": "cl", "points": "10"}, {"code": "rev", "points": "15"}]}]})
for v, pts in [("100", "20"), ("99.99", "10"), ("90", "10"), ("89.99", "0")]:
    case(f"core-steps-{v.replace('.', '_')}", f"Step table at {v} %: {pts} points.", "score",
         {"methodology": methodology([rules[3], leaf("rest", "80")]), "assessments": units(("u", None, {"st": v, "rest": "0"}))},
         {"units": [{"nodes": [{"code": "st", "points": pts}, {}]}]})
case("core-points-above-max", "Points above a leaf's maximum are an error naming where.", "score",
     {"methodology": methodology([leaf("a", "60"), leaf("b", "40")]), "assessments": units(("u", None, {"a": "60.01", "b": "1"}))},
     error={"code": "above_maximum", "path": "units[0].values.a"})
case("core-points-negative", "Negative points are an error.", "score",
     {"methodology": methodology([leaf("a", "60"), leaf("b", "40")]), "assessments": units(("u", None, {"a": "-1", "b": "1"}))},
     error={"code": "negative_value", "path": "units[0].values.a"})
case("core-wrong-kind", "Yes/no given to a points leaf is an error.", "score",
     {"methodology": methodology([leaf("a", "60"), leaf("b", "40")]), "assessments": units(("u", None, {"a": "yes", "b": "1"}))},
     error={"code": "wrong_value_kind", "path": "units[0].values.a"})
case("core-unknown-code", "A value for a code the methodology does not have is an error.", "score",
     {"methodology": methodology([leaf("a", "60"), leaf("b", "40")]), "assessments": units(("u", None, {"a": "1", "b": "1", "c": "1"}))},
     error={"code": "unknown_code", "path": "units[0].values.c"})
case("core-inner-code-value", "A value for an inner node (not a leaf) is an error.", "score",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1": "50", "1.1": "1", "1.2": "1", "2": "1"}))},
     error={"code": "unknown_code", "path": "units[0].values.1"})

# --- weighted and zero-point nodes ------------------------------------------------------------
w = [node("pci", "100", [leaf("a", "10", weight="2"), leaf("b", "5", weight="1"), leaf("c", "20", weight="1")], aggregation="weighted_arithmetic")]
# a 8/10 = 80 %, b 2.5/5 = 50 %, c 20/20 = 100 %: (160 + 50 + 100) / 4 = 77.5 %
case("core-weighted-arithmetic", "Weighted arithmetic mean of children's percentages, scaled to the node's maximum (PCI style).", "score",
     {"methodology": methodology(w), "assessments": units(("u", None, {"a": "8", "b": "2.5", "c": "20"}))},
     {"units": [{"points": "77.5", "index": "77.5"}]})
case("core-weighted-na-renormalised", "A not-applicable child of a weighted node: the other weights are renormalised.", "score",
     {"methodology": methodology(w), "assessments": units(("u", None, {"a": "8", "b": "NA", "c": "20"}))},
     {"units": [{"points": norm(D(100) * (2 * D(80) + D(100)) / 3 / 100)}]})
g = [node("g", "100", [leaf("a", "10", weight="1"), leaf("b", "10", weight="3")], aggregation="weighted_geometric")]
case("core-weighted-geometric-zero", "Weighted geometric mean: a child at 0 % makes the node 0.", "score",
     {"methodology": methodology(g), "assessments": units(("u", None, {"a": "0", "b": "10"}))}, {"units": [{"points": "0"}]})
case("core-weighted-geometric-full", "Weighted geometric mean of children all at 100 % is the node's maximum.", "score",
     {"methodology": methodology(g), "assessments": units(("u", None, {"a": "10", "b": "10"}))}, {"units": [{"points": "100"}]})
z = [leaf("a", "100"), leaf("dti-zero", "0")]
case("core-zero-point-node", "A node worth 0 points is reported with no percentage and counts for nothing (DTI 'không tính điểm').", "score",
     {"methodology": methodology(z), "assessments": units(("u", None, {"a": "91", "dti-zero": "0"}))},
     {"units": [{"points": "91", "index": "91", "nodes": [{"code": "a", "percent": "91"}, {"code": "dti-zero", "points": "0", "max_points": "0", "percent": None}]}]})
deep = leaf("L30", "1")
for i in range(29, 0, -1):
    deep = node(f"L{i}", "1", [deep])
case("core-deep-tree", "A chain 30 levels deep scores like a single leaf.", "score",
     {"methodology": methodology([deep], max_points="1"), "assessments": units(("u", None, {"L30": "0.5"}))},
     {"units": [{"points": "0.5", "index": "50"}]})
too_deep = leaf("L40", "1")
for i in range(39, 0, -1):
    too_deep = node(f"L{i}", "1", [too_deep])
case("core-too-deep", "A tree deeper than the documented limit (32) is rejected with a clear error.", "validate",
     {"methodology": methodology([too_deep], max_points="1")},
     error={"code": "limit_exceeded", "path": "criteria[0]" + ".children[0]" * 32})
wide = [leaf(str(i), "0.5") for i in range(200)]
case("core-wide-tree", "200 leaves of 0.5 points under one root.", "score",
     {"methodology": methodology(wide), "assessments": units(("u", None, {str(i): ("0.5" if i % 2 == 0 else "0.25") for i in range(200)}))},
     {"units": [{"points": "75", "index": "75"}]})

# --- rounding for display ---------------------------------------------------------------------
for v, up, even in [("89.945", "89.95", "89.94"), ("89.955", "89.96", "89.96"), ("0.005", "0.01", "0.00"), ("89.9", "89.90", "89.90"), ("89.9449", "89.94", "89.94")]:
    for mode, expected in [("half_up", up), ("half_even", even)]:
        case(f"core-display-{mode}-{v.replace('.', '_')}", f"{v} shown with 2 places, {mode}: {expected}.", "display",
             {"value": v, "places": 2, "mode": mode}, {"display": expected})

# --- methodology errors -----------------------------------------------------------------------
def verr(name, description, m, code, path):
    case(name, description, "validate", {"methodology": m}, error={"code": code, "path": path})
verr("core-err-duplicate-code", "Two nodes with the same code.", methodology([leaf("1", "50"), node("2", "50", [leaf("1", "50")])]), "duplicate_code", "criteria[1].children[0].code")
verr("core-err-children-maxima", "Children's maxima do not add up to the parent's.", methodology([node("1", "60", [leaf("1.1", "20"), leaf("1.2", "30")]), leaf("2", "40")]), "children_maxima_mismatch", "criteria[0].max_points")
verr("core-err-root-maxima", "Top-level maxima do not add up to the index's maximum.", methodology([leaf("1", "60"), leaf("2", "30")]), "children_maxima_mismatch", "max_points")
verr("core-err-negative-max", "A negative maximum.", methodology([leaf("1", "110"), leaf("2", "-10")]), "negative_maximum", "criteria[1].max_points")
verr("core-err-step-above-max", "A step worth more than its leaf.", methodology([leaf("1", "50", {"type": "steps", "steps": [{"at_least": "1", "points": "60"}]}), leaf("2", "50")]), "invalid_rule", "criteria[0].rule.steps[0].points")
verr("core-err-linear-flat", "A linear rule with from = to.", methodology([leaf("1", "50", {"type": "linear", "from": "5", "to": "5"}), leaf("2", "50")]), "invalid_rule", "criteria[0].rule")
verr("core-err-weight-missing", "A child of a weighted node without a weight.", methodology([node("1", "100", [leaf("a", "1", weight="1"), leaf("b", "1")], aggregation="weighted_arithmetic")]), "invalid_rule", "criteria[0].children[1].weight")
verr("core-err-rule-on-inner", "An inner node with a rule.", methodology([node("1", "100", [leaf("a", "100")], rule={"type": "yes_no"})]), "invalid_rule", "criteria[0].rule")
verr("core-err-empty-code", "An empty code.", methodology([leaf("", "100")]), "invalid_code", "criteria[0].code")
verr("core-err-format", "A format version this library does not read.", dict(methodology([leaf("1", "100")]), format=2), "unsupported_format", "format")
case("core-err-unknown-field", "A misspelt field is an error, not ignored (the methodology is given as JSON text, so the column is the same in every binding).", "validate",
     {"methodology": '{"id": "x", "title": {"vi": "", "en": ""}, "source": "s", "max_points": "1", "criteria": [{"code": "1", "maxpoints": "1"}]}'},
     error={"code": "methodology_json", "path": "line 1, column 115"})
overlap = json.loads(json.dumps(NATIONAL)); overlap["bands"][1]["max"] = "95"
verr("core-err-tier-overlap", "Tier bands that overlap.", methodology([leaf("1", "100")], tiers={"default": "national-groups-876", "schemes": [overlap]}), "invalid_tiers", "tiers.schemes[0].bands[1]")
gap = json.loads(json.dumps(NATIONAL)); gap["bands"][1]["max"] = "85"
verr("core-err-tier-gap", "Tier bands that leave a gap.", methodology([leaf("1", "100")], tiers={"default": "national-groups-876", "schemes": [gap]}), "invalid_tiers", "tiers.schemes[0].bands[1]")
verr("core-err-tier-unknown-scheme", "A group mapped to a scheme that does not exist.", methodology([leaf("1", "100")], tiers={"default": "national-groups-876", "by_group": {"district": "nope"}, "schemes": [NATIONAL]}), "invalid_tiers", "tiers.by_group.district")
verr("core-err-tie-breaker", "A tie-breaker naming no node.", methodology([leaf("1", "100")], ranking={"ties": "ordinal", "tie_breakers": ["9"]}), "unknown_reference", "ranking.tie_breakers[0]")
verr("core-err-adjustment-code", "An adjustment sharing a node's code.", methodology([leaf("1", "100")], adjustments=[{"code": "1", "kind": "bonus", "max_points": "1"}]), "duplicate_code", "adjustments[0].code")
case("core-valid-example-province", "The shipped example methodology is valid.", "validate",
     {"methodology": json.loads((CORE / "methodologies" / "example-province.json").read_text())}, {"valid": True})

# --- CSV input --------------------------------------------------------------------------------
two = methodology([leaf("appraisal", "68.5"), leaf("survey", "31.5")])
case("core-csv-long", "Long CSV (unit, code, value, group).", "score",
     {"methodology": two, "assessments_csv": "unit,group,code,value\nmoj,ministry,appraisal,61.86\nmoj,ministry,survey,28.10\nsbv,ministry,appraisal,62.67\nsbv,ministry,survey,27.21\n"},
     {"units": [{"unit": "moj", "group": "ministry", "points": "89.96", "rank": 1}, {"unit": "sbv", "points": "89.88", "rank": 2}]})
case("core-csv-wide", "Wide CSV with labels and a percentage sign.", "score",
     {"methodology": two, "assessments_csv": "unit,label_vi,label_en,appraisal,survey\nmoj,Bộ Tư pháp,Ministry of Justice,61.86,28.10\n"},
     {"units": [{"unit": "moj", "label": {"vi": "Bộ Tư pháp", "en": "Ministry of Justice"}, "points": "89.96"}]})
case("core-csv-malformed-number", "A Vietnamese decimal comma inside a CSV cell is rejected with its row and column.", "score",
     {"methodology": two, "assessments_csv": "unit,appraisal,survey\nmoj,61.86,28.10\nsbv,\"62,67\",27.21\n"},
     error={"code": "malformed_value", "path": "row 3, column appraisal"})
case("core-csv-not-finite", "NaN or infinity in a CSV cell is an error, not a number.", "score",
     {"methodology": two, "assessments_csv": "unit,appraisal,survey\nmoj,61.86,-inf\n"},
     error={"code": "not_finite", "path": "row 2, column survey"})
case("core-csv-duplicate", "The same unit and code twice in a long CSV.", "score",
     {"methodology": two, "assessments_csv": "unit,code,value\nmoj,appraisal,61.86\nmoj,appraisal,60\n"},
     error={"code": "duplicate_value", "path": "row 3, column value"})
case("core-csv-above-max-row", "A value above its maximum in a CSV names the row and column.", "score",
     {"methodology": two, "assessments_csv": "unit,code,value\nmoj,appraisal,61.86\nmoj,survey,31.6\n"},
     error={"code": "above_maximum", "path": "row 3, column value"})
case("core-csv-ragged", "A row with too many fields.", "score",
     {"methodology": two, "assessments_csv": "unit,code,value\nmoj,appraisal,61.86,9\n"},
     error={"code": "csv", "path": "row 2"})
case("core-csv-unknown-column", "An unknown column in long form is reported, not ignored.", "score",
     {"methodology": two, "assessments_csv": "unit,code,value,comment\nmoj,appraisal,61.86,ok\n"},
     error={"code": "csv", "path": "row 1, column comment"})
case("core-csv-conflicting-group", "A unit in two groups.", "score",
     {"methodology": two, "assessments_csv": "unit,group,code,value\nmoj,ministry,appraisal,61.86\nmoj,agency,survey,28.1\n"},
     error={"code": "conflicting_group", "path": "row 3, column unit"})
case("core-json-not-finite", "A JSON value that is not a number, yes/no or NA.", "score",
     {"methodology": two, "assessments": '{"units": [{"unit": "u", "values": {"appraisal": "abc", "survey": 1}}]}'},
     error={"code": "input_json", "path": "line 1, column 54"})

# --- explain ----------------------------------------------------------------------------------
case("core-explain", "The audit trail of a unit: inputs, rules, sums, rescaling and the summary.", "explain",
     {"methodology": methodology(na_tree), "assessments": na_units, "unit": "u"},
     {"unit": "u", "lines": [
         {"code": "total", "depth": 0, "points": "60", "max_points": "80", "percent": "75", "how": "sum of 1 + 2 = 30 + 30 = 60 of 80"},
         {"code": "1", "depth": 1, "points": "30", "max_points": "40", "how": "sum of 1.2 = 30 = 30 of 40 (1.1 not applicable, left out)"},
         {"code": "1.1", "depth": 2, "status": "not_applicable", "how": "not applicable: left out of the points and the maximum above it (rescale)"},
         {"code": "1.2", "depth": 2, "how": "value 30 → points rule → points as given"},
         {"code": "2", "depth": 1, "points": "30", "max_points": "40"}],
      "summary": "total = 60 + 0 − 0 = 60; index = 60 / 80 × 100 = 75 % (shown 75.00); tier none; rank 1 of 1"})
case("core-explain-unknown-unit", "Explaining a unit that was not scored.", "explain",
     {"methodology": methodology(na_tree), "assessments": na_units, "unit": "nobody"},
     error={"code": "unknown_unit", "path": "unit"})

# --- analysis ---------------------------------------------------------------------------------
def by_unit(name):
    return next(r for r in rows if r["unit_en"] == name)
health = by_unit("Ministry of Health")
h_total = D(health["appraisal_points"]) + D(health["survey_points"])
case("core-profile-health", "Strengths and weaknesses of the Ministry of Health against the ministries.", "profile",
     {"methodology": m2023, "assessments": a2023, "unit": "Ministry of Health"},
     {"unit": "Ministry of Health", "nodes": [
         {"code": "appraisal", "lost": norm(D("68.5") - D(health["appraisal_points"])), "group_rank": 1 + sum(1 for r in rows if D(r["appraisal_points"]) > D(health["appraisal_points"]))},
         {"code": "survey", "lost": norm(D("31.5") - D(health["survey_points"])), "group_rank": 1 + sum(1 for r in rows if D(r["survey_points"]) > D(health["survey_points"]))}]})
ahead = min((D(r["appraisal_points"]) + D(r["survey_points"]), r["unit_en"]) for r in rows if D(r["appraisal_points"]) + D(r["survey_points"]) > h_total)
case("core-gap-health", "Gap of the Ministry of Health to group B (80 %) and to the ministry ranked above it, exactly.", "gap",
     {"methodology": m2023, "assessments": a2023, "unit": "Ministry of Health"},
     {"unit": "Ministry of Health", "tier": "C",
      "next_tier": {"tier": "B", "min_index": "80", "inclusive": True, "points_needed": norm(D(80) - h_total), "index_needed": norm(D(80) - h_total)},
      "next_rank": {"unit": ahead[1], "rank": 14, "points_needed": norm(ahead[0] - h_total)},
      "headroom": [{"code": "appraisal", "available": norm(D("68.5") - D(health["appraisal_points"]))},
                   {"code": "survey", "available": norm(D("31.5") - D(health["survey_points"])), "cumulative": norm(D(100) - h_total)}]})
case("core-gap-leader-top-band", "A leader in the top band has no next tier and no next rank.", "gap",
     {"methodology": one, "assessments": units(("a", None, {"x": "95"}), ("b", None, {"x": "85"})), "unit": "a"},
     {"unit": "a", "tier": "A", "next_tier": None, "next_rank": None, "headroom": [{"code": "x", "available": "5", "cumulative": "5"}]})
moit_after = D("68.5") + D(by_unit("Ministry of Industry and Trade")["survey_points"])
case("core-what-if-full-appraisal", "What if the Ministry of Industry and Trade had full appraisal points: first place, group A.", "what_if",
     {"methodology": m2023, "assessments": a2023, "changes": [{"unit": "Ministry of Industry and Trade", "code": "appraisal", "value": "68.5"}]},
     {"movements": [dict({"unit": r["unit_en"]}, **({"rank_before": 17, "rank_after": 1, "tier_before": "C", "tier_after": "A", "index_after": norm(moit_after)} if r["unit_en"] == "Ministry of Industry and Trade" else {"rank_before": int(r["rank"]), "rank_after": int(r["rank"]) + 1})) for r in rows]})
case("core-what-if-not-applicable", "What if a leaf becomes not applicable: it leaves the maximum (rescale).", "what_if",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1.1": "10", "1.2": "30", "2": "30"})), "changes": [{"unit": "u", "code": "1.1", "value": "NA"}]},
     {"movements": [{"unit": "u", "index_before": "70", "index_after": "75"}]})
case("core-what-if-unknown-code", "A what-if change naming no leaf.", "what_if",
     {"methodology": methodology(na_tree), "assessments": units(("u", None, {"1.1": "10", "1.2": "30", "2": "30"})), "changes": [{"unit": "u", "code": "9", "value": "1"}]},
     error={"code": "unknown_code", "path": "changes[0].code"})
# What-if on weights: the PCI-style tree above, c re-weighted from 1 to 3, then u2's b set to 1.
def wmean(pcts, weights):
    return sum(p * q for p, q in zip(pcts, weights)) / sum(weights)


w_units = units(("u1", None, {"a": "8", "b": "2.5", "c": "20"}), ("u2", None, {"a": "10", "b": "5", "c": "10"}))
u1_before, u2_before = wmean([D(80), D(50), D(100)], [2, 1, 1]), wmean([D(100), D(100), D(50)], [2, 1, 1])
u1_after, u2_after = wmean([D(80), D(50), D(100)], [2, 1, 3]), wmean([D(100), D(20), D(50)], [2, 1, 3])
case("core-what-if-weights", "What if a child of a weighted node weighed 3 instead of 1, and a value changed too: both units move, ranks swap.", "what_if",
     {"methodology": methodology(w), "assessments": w_units, "weights": [{"code": "c", "weight": "3"}],
      "changes": [{"unit": "u2", "code": "b", "value": "1"}]},
     {"movements": [{"unit": "u1", "index_before": norm(u1_before), "index_after": norm(u1_after), "rank_before": 2, "rank_after": 1},
                    {"unit": "u2", "index_before": norm(u2_before), "index_after": norm(u2_after), "rank_before": 1, "rank_after": 2}]})
case("core-what-if-weights-under-sum", "A weight change for a node under a sum parent (there the weight is max_points): an error naming the change.", "what_if",
     {"methodology": m2023, "assessments": a2023, "weights": [{"code": "survey", "weight": "2"}]},
     error={"code": "invalid_rule", "path": "weights[0].code"})
prev = methodology([leaf("TD", "70"), leaf("survey", "30")], id="old")
case("core-compare-versions", "Year over year across versions: TD maps to appraisal; +/- changes, rank moves, unmapped codes, new and dropped units.", "compare",
     {"methodology": two, "assessments": units(("moj", None, {"appraisal": "61.86", "survey": "28.10"}), ("moh", None, {"appraisal": "55.81", "survey": "23.99"}), ("new", None, {"appraisal": "1", "survey": "1"})),
      "previous_methodology": prev, "previous_assessments": units(("moj", None, {"TD": "60", "survey": "25.66"}), ("moh", None, {"TD": "62", "survey": "26"}), ("old", None, {"TD": "1", "survey": "1"})),
      "mapping": {"TD": "appraisal"}},
     {"units": [{"unit": "moj", "index_before": "85.66", "index_after": "89.96", "index_change": "4.3", "rank_before": 2, "rank_after": 1, "rank_change": 1},
                {"unit": "moh", "index_change": norm(D("79.80") - 88), "rank_change": -1}],
      "new_units": ["new"], "dropped_units": ["old"], "unmapped_codes": [], "unmapped_previous_codes": []})

# --- one case per error code that no case above reaches ------------------------------------
case("core-err-decimal_overflow", "A value so large that exact arithmetic would leave the 96-bit decimal range: an error, never a wrap.", "score",
     {"methodology": methodology([leaf("x", "100", {"type": "linear", "from": "0", "to": "100"})]),
      "assessments": units(("u", None, {"x": "10000000000000000000000000000"}))},
     error={"code": "decimal_overflow", "path": "units[0].values.x"})
case("core-err-unknown_preset", "A preset name that does not ship.", "preset",
     {"kind": "methodology", "name": "par2099-nowhere"},
     error={"code": "unknown_preset", "path": "methodology"})

OUT.mkdir(parents=True, exist_ok=True)
for old in OUT.glob("core-*.json"):
    old.unlink()
for c in cases:
    (OUT / f"{c['name']}.json").write_text(json.dumps(c, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {len(cases)} core cases")
