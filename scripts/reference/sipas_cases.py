#!/usr/bin/env python3
"""Generate the survey conformance cases (conformance/cases/ci-*.json, sipas-*.json).

Reference values come from statsmodels (`proportion_confint`) and from R's survey package
(`svyby(~y, ~unit, design, svymean)` and `svyciprop(method = "logit" | "beta")`, run by
sipas_reference.R). Exact counts, shares, means and indices are computed here with
fractions.Fraction and written as decimal strings only when they terminate (otherwise the key is
left out: decimal strings compare exactly).

Usage (run by generate.sh):
    python sipas_cases.py prepare WORKDIR     # writes WORKDIR/long.csv and WORKDIR/plan.json
    Rscript sipas_reference.R WORKDIR         # writes WORKDIR/r_out.json
    python sipas_cases.py assemble WORKDIR OUTDIR
"""
import json
import math
import os
import random
import sys
from fractions import Fraction

from statsmodels.stats.proportion import proportion_confint

SM_NAME = {
    "wilson": "wilson",
    "clopper_pearson": "beta",
    "jeffreys": "jeffreys",
    "agresti_coull": "agresti_coull",
    "normal": "normal",
}
DEFAULT_SCALE = [1, 2, 3, 4, 5]


def dec(fr):
    """Normalized decimal string of a Fraction, or None when it does not terminate."""
    fr = Fraction(fr)
    den = fr.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    scale = max(twos, fives)
    if scale > 28:
        return None
    n = fr * 10**scale
    assert n.denominator == 1
    v = n.numerator
    sign = "-" if v < 0 else ""
    digits = str(abs(v)).rjust(scale + 1, "0")
    if scale:
        s = digits[:-scale] + "." + digits[-scale:]
        s = s.rstrip("0").rstrip(".")
    else:
        s = digits
    return sign + s


def frac_of(x):
    return Fraction(str(x)) if not isinstance(x, Fraction) else x


# --------------------------------------------------------------------------- designs


def items_design(codes):
    return {
        "elements": [{"code": c} for c in codes],
        "items": [{"code": c, "element": c} for c in codes],
        "scale": DEFAULT_SCALE,
        "satisfied": [4, 5],
        "missing": [],
        "na": [],
        "filters": {},
        "element_rule": "mean_of_items",
        "overall_rule": "mean_of_elements",
    }


def full_design(d):
    """The case's design JSON -> the internal summary used here."""
    return {
        "elements": d["elements"],
        "items": d["items"],
        "scale": [lv["code"] for lv in d.get("scale", [{"code": c} for c in DEFAULT_SCALE])],
        "satisfied": d.get("satisfied", [4, 5]),
        "missing": d.get("missing_codes", []),
        "na": d.get("not_applicable_codes", []),
        "filters": {it["code"]: (it["filter"], it["filter_levels"]) for it in d["items"] if it.get("filter")},
        "element_rule": d.get("element_rule", "mean_of_items"),
        "overall_rule": d.get("overall_rule", "mean_of_elements"),
    }


ELEMENTS5 = [
    {"code": "access", "label": {"vi": "Tiếp cận dịch vụ", "en": "Access to services"}},
    {"code": "procedures", "label": {"vi": "Thủ tục hành chính", "en": "Administrative procedures"}},
    {"code": "civil_servants", "label": {"vi": "Công chức", "en": "Civil servants"}},
    {"code": "results", "label": {"vi": "Kết quả", "en": "Results"}},
    {"code": "feedback", "label": {"vi": "Góp ý, phản ánh, kiến nghị", "en": "Feedback"}},
]


def design5(element_rule="mean_of_items", overall_rule="mean_of_elements", extra=None):
    items = []
    per = {"access": 2, "procedures": 2, "civil_servants": 3, "results": 2, "feedback": 1}
    k = 1
    for e in ELEMENTS5:
        for _ in range(per[e["code"]]):
            items.append({"code": f"q{k}", "element": e["code"]})
            k += 1
    d = {"format": 1, "elements": ELEMENTS5, "items": items, "element_rule": element_rule, "overall_rule": overall_rule}
    if extra:
        d.update(extra)
    return d


# --------------------------------------------------------------------------- data


def gen_responses(rng, units, items, sizes, weighted, p_missing=0.05, skew=None):
    """Deterministic answers on the 1-5 scale, mostly satisfied, some missing; weights 0.5-4."""
    out = []
    for u, size in zip(units, sizes):
        bias = (skew or {}).get(u, 0.0)
        for _ in range(size):
            answers = {}
            for it in items:
                if rng.random() < p_missing:
                    answers[it] = None
                    continue
                r = rng.random() + bias
                answers[it] = 5 if r > 0.55 else 4 if r > 0.25 else 3 if r > 0.12 else 2 if r > 0.05 else 1
            resp = {"unit": u, "answers": answers}
            if weighted:
                resp["weight"] = round(rng.uniform(0.5, 4.0), 2)
            out.append(resp)
    return out


# --------------------------------------------------------------------------- exact aggregation


def classify(design, resp, item):
    """'level' code, 'missing' or 'na' for one respondent and item."""
    f = design["filters"].get(item)
    if f:
        fv = resp["answers"].get(f[0])
        if fv is None or fv not in f[1]:
            return "na", None
    v = resp["answers"].get(item)
    if v is None or v in design["missing"]:
        return "missing", None
    if v in design["na"]:
        return "na", None
    return "level", v


def aggregate(design, responses, weighted):
    units = sorted({r["unit"] for r in responses})
    item_codes = [it["code"] for it in design["items"]]
    cells = {}
    for u in units + ["*"]:
        for it in item_codes:
            cells[(u, it)] = {"levels": {c: 0 for c in design["scale"]}, "missing": 0, "na": 0, "w": [], "y": []}
    for r in responses:
        w = frac_of(r.get("weight", 1)) if weighted else Fraction(1)
        for it in item_codes:
            kind, v = classify(design, r, it)
            for u in (r["unit"], "*"):
                c = cells[(u, it)]
                if kind == "level":
                    c["levels"][v] += 1
                    c["w"].append((w, v))
                else:
                    c[kind] += 1
    return units, item_codes, cells


# --------------------------------------------------------------------------- prepare


def plan_cases():
    cases = []
    rng = random.Random(20261128)

    def add(name, desc, input_, **kw):
        cases.append({"name": name, "description": desc, "input": input_, **kw})

    codes6 = [f"q{i}" for i in range(1, 7)]
    units = ["so-noi-vu", "so-tu-phap", "so-xay-dung", "ubnd-huyen-a"]
    for method in ["wilson", "clopper_pearson", "jeffreys", "agresti_coull", "normal"]:
        rs = gen_responses(rng, units, codes6, [40, 25, 16, 33], False, skew={"so-tu-phap": 0.2})
        add(f"sipas-unweighted-{method.replace('_', '-')}",
            f"Unweighted shares of six items in four units, {method} intervals (statsmodels proportion_confint).",
            {"items": codes6, "responses": rs, "options": {"ci": method, "level": 0.95, "weight": False}})
    for method, level in [("logit", 0.95), ("korn_graubard", 0.95), ("logit", 0.9), ("korn_graubard", 0.99)]:
        rs = gen_responses(rng, units, codes6, [40, 25, 16, 33], True)
        add(f"sipas-weighted-{method.replace('_', '-')}-{int(level * 100)}",
            f"Weighted shares, Taylor SE and {method} intervals at {level}, equal to R survey svyby(svyciprop) with each unit a domain.",
            {"items": codes6, "responses": rs, "options": {"ci": method, "level": level, "weight": True}})
    for method in ["wilson", "clopper_pearson", "jeffreys", "agresti_coull", "normal"]:
        rs = gen_responses(rng, units[:3], codes6[:3], [30, 12, 21], True)
        add(f"sipas-weighted-kish-{method.replace('_', '-')}",
            f"Weighted share with the {method} interval on the Kish effective sample size (statsmodels with count = p n_eff, nobs = n_eff).",
            {"items": codes6[:3], "responses": rs, "options": {"ci": method, "level": 0.95, "weight": True}})
    for method in ["logit", "korn_graubard"]:
        rs = gen_responses(rng, units, codes6[:4], [20, 15, 30, 12], False)
        add(f"sipas-unweighted-{method.replace('_', '-')}",
            f"Unweighted data with the design-based {method} interval: R survey with all weights 1.",
            {"items": codes6[:4], "responses": rs, "options": {"ci": method, "level": 0.95, "weight": False}})
    # Design rules.
    items10 = [f"q{k}" for k in range(1, 11)]
    for er, orl, name in [("mean_of_items", "mean_of_elements", "mean-rules"), ("pooled", "pooled", "pooled-rules"),
                          ("mean_of_items", "item:q10", "overall-item")]:
        rs = gen_responses(rng, ["dept-a", "dept-b", "dept-c"], items10, [20, 40, 25], False, p_missing=0.1)
        add(f"sipas-design-{name}",
            f"Five-element design, element rule {er}, overall rule {orl}.",
            {"design": design5(er, orl), "responses": rs, "options": {"ci": "wilson", "level": 0.95, "weight": False}})
    rs = gen_responses(rng, ["dept-a", "dept-b"], items10, [30, 30], True, p_missing=0.1)
    add("sipas-design-pooled-weighted-logit", "Five-element design, pooled rules, weighted, logit intervals.",
        {"design": design5("pooled", "pooled"), "responses": rs, "options": {"ci": "logit", "level": 0.95, "weight": True}})
    # Missing / NA codes and filter.
    d = design5(extra={"missing_codes": [9], "not_applicable_codes": [8]})
    rs = gen_responses(rng, ["dept-a", "dept-b"], items10, [25, 20], False)
    r2 = random.Random(7)
    for r in rs:
        for it in items10:
            x = r2.random()
            if x < 0.08:
                r["answers"][it] = 9
            elif x < 0.15:
                r["answers"][it] = 8
    add("sipas-missing-and-na-codes", "Codes 9 (no answer) and 8 (not applicable) are left out of denominators and counted apart.",
        {"design": d, "responses": rs, "options": {"ci": "wilson", "level": 0.95, "weight": False}})
    d = {"format": 1, "elements": [{"code": "use"}, {"code": "service"}],
         "items": [{"code": "used", "element": "use"},
                   {"code": "s1", "element": "service", "filter": "used", "filter_levels": [4, 5]},
                   {"code": "s2", "element": "service", "filter": "used", "filter_levels": [4, 5]}],
         "overall_rule": "pooled"}
    rs = gen_responses(rng, ["x", "y"], ["used", "s1", "s2"], [30, 20], False, p_missing=0.0)
    add("sipas-filter-item", "Items s1, s2 count only respondents whose answer to 'used' is 4 or 5; others are not applicable.",
        {"design": d, "responses": rs, "options": {"ci": "clopper_pearson", "level": 0.95, "weight": False}})
    # Empty / all-missing units.
    rs = gen_responses(rng, ["full"], ["q1", "q2"], [10], False, p_missing=0.0)
    rs += [{"unit": "all-missing", "answers": {"q1": None, "q2": None}} for _ in range(3)]
    rs += [{"unit": "no-answers", "answers": {}}]
    add("sipas-unit-all-missing", "A unit whose answers are all null and a unit with no answers: n = 0, no share, no index, no rank.",
        {"items": ["q1", "q2"], "responses": rs, "options": {"ci": "wilson", "level": 0.95, "weight": False}})
    rs = [{"unit": "solo", "weight": 2.5, "answers": {"q1": 5}}, {"unit": "pair", "weight": 1, "answers": {"q1": 4}},
          {"unit": "pair", "weight": 3, "answers": {"q1": 2}}, {"unit": "pair", "weight": 1.5, "answers": {"q1": 5}}]
    add("sipas-single-respondent-unit", "A one-respondent unit: share 1, no logit interval (0 degrees of freedom).",
        {"items": ["q1"], "responses": rs, "options": {"ci": "logit", "level": 0.95, "weight": True}})
    # Groups and ties.
    rs = []
    for u, g, sat in [("d1", "departments", 9), ("d2", "departments", 9), ("d3", "departments", 7),
                      ("h1", "districts", 10), ("h2", "districts", 8)]:
        for k in range(10):
            rs.append({"unit": u, "group": g, "answers": {"q1": 5 if k < sat else 2, "q2": 4}})
    add("sipas-groups-and-ties", "Units in two groups; d1 and d2 tie (competition ranks 2, 2, then 4).",
        {"items": ["q1", "q2"], "responses": rs, "options": {"ci": "wilson", "level": 0.95, "weight": False}})
    # Errors.
    err = lambda name, desc, input_, code, path: add(name, desc, input_, error={"code": code, "path": path})
    base = {"items": ["q1", "q2"], "options": {"ci": "wilson", "level": 0.95, "weight": False}}
    err("sipas-error-answer-out-of-scale", "Answer 6 on a 1-5 scale is an error, not a guess.",
        {**base, "responses": [{"unit": "a", "answers": {"q1": 4}}, {"unit": "a", "answers": {"q2": 6}}]},
        "answer_out_of_scale", "responses[1].answers.q2")
    err("sipas-error-unknown-item", "An answer to an item the design does not have.",
        {**base, "responses": [{"unit": "a", "answers": {"q9": 4}}]}, "unknown_item", "responses[0].answers.q9")
    err("sipas-error-missing-weight", "Weighted aggregation needs a weight on every response.",
        {**base, "options": {"ci": "logit", "level": 0.95, "weight": True}, "responses": [{"unit": "a", "answers": {"q1": 4}}]},
        "bad_weight", "responses[0].weight")
    err("sipas-error-negative-weight", "Weights must be positive.",
        {**base, "options": {"ci": "logit", "level": 0.95, "weight": True},
         "responses": [{"unit": "a", "weight": -1, "answers": {"q1": 4}}]}, "bad_weight", "responses[0].weight")
    err("sipas-error-group-conflict", "A unit in two groups.",
        {**base, "responses": [{"unit": "a", "group": "g1", "answers": {}}, {"unit": "a", "group": "g2", "answers": {}}]},
        "group_conflict", "responses[1].group")
    err("sipas-error-bad-level", "Confidence level must be strictly between 0 and 1.",
        {**base, "options": {"ci": "wilson", "level": 1.5, "weight": False}, "responses": []}, "bad_option", "level")
    err("sipas-error-unknown-method", "Unknown interval method.",
        {**base, "options": {"ci": "bayes", "level": 0.95, "weight": False}, "responses": []}, "bad_option", "ci")
    err("sipas-error-duplicate-item", "Two items with one code.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e"}, {"code": "q1", "element": "e"}]},
         "responses": [], "options": {}}, "duplicate_code", "items[1].code")
    err("sipas-error-unknown-element", "An item in an element the design does not define.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e"}, {"code": "q2", "element": "f"}]},
         "responses": [], "options": {}}, "unknown_element", "items[1].element")
    err("sipas-error-satisfied-off-scale", "Satisfied levels must be on the scale.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e"}], "satisfied": [4, 6]},
         "responses": [], "options": {}}, "unknown_level", "satisfied[1]")
    err("sipas-error-unsupported-format", "Only design format 1 is read.",
        {"design": {"format": 2, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e"}]},
         "responses": [], "options": {}}, "unsupported_format", "format")
    err("sipas-error-filter-unknown-item", "A filter must name an earlier item.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e", "filter": "q0", "filter_levels": [1]}]},
         "responses": [], "options": {}}, "unknown_item", "items[0].filter")
    # One case per survey error code that no case above reaches.
    one = {"items": ["q1"], "options": {"ci": "wilson", "level": 0.95, "weight": False}}
    err("sipas-err-survey_json", "A response with a misspelt field is an error naming the response, not ignored.",
        {**one, "responses": [{"unit": "a", "answers": {"q1": 4}, "wieght": 2}]}, "survey_json", "responses[0]")
    err("sipas-err-missing_unit", "A response without a unit id.",
        {**one, "responses": [{"unit": "", "answers": {"q1": 4}}]}, "missing_unit", "responses[0].unit")
    err("sipas-err-decimal_overflow", "A weight whose square leaves the range of exact decimals.",
        {**one, "options": {"ci": "wilson", "level": 0.95, "weight": True},
         "responses": [{"unit": "a", "weight": 1000000000000000, "answers": {"q1": 4}}]}, "decimal_overflow", "responses[0].weight")
    err("sipas-err-empty", "A design without items.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": []}, "responses": [], "options": {}}, "empty", "items")
    err("sipas-err-invalid_design", "A missing-answer code that is also a level of the scale.",
        {"design": {"format": 1, "elements": [{"code": "e"}], "items": [{"code": "q1", "element": "e"}], "missing_codes": [5]},
         "responses": [], "options": {}}, "invalid_design", "missing_codes[0]")
    csv_err = lambda name, desc, input_, code, path: add(name, desc, input_, operation="sipas_csv", error={"code": code, "path": path})
    csv_err("sipas-err-csv_row", "A ragged CSV row: the strict read fails on it, naming the line.",
            {"items": ["q1"], "csv": "unit,q1\nA,5\nB,4,9\n", "options": {}}, "csv_row", "row 3")
    csv_err("sipas-err-missing_column", "A CSV header without the unit column.",
            {"items": ["q1"], "csv": "who,q1\nA,5\n", "options": {}}, "missing_column", "header, column unit")
    return cases


def prepare(work):
    os.makedirs(work, exist_ok=True)
    cases = plan_cases()
    rows = ["case,item,unit,w,y"]
    for ci, c in enumerate(cases):
        if "error" in c:
            continue
        inp = c["input"]
        opts = inp["options"]
        if opts["ci"] not in ("logit", "korn_graubard") and not opts["weight"]:
            continue
        design = full_design(inp["design"]) if "design" in inp else items_design(inp["items"])
        units, item_codes, cells = aggregate(design, inp["responses"], opts["weight"])
        sat = set(design["satisfied"])
        for u in units:
            for it in item_codes:
                for w, v in cells[(u, it)]["w"]:
                    rows.append(f"{ci},{it},{u},{float(w)!r},{1 if v in sat else 0}")
    with open(os.path.join(work, "long.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    plan = [{"case": i, "method": c["input"]["options"].get("ci"), "level": c["input"]["options"].get("level")}
            for i, c in enumerate(cases) if "error" not in c and (c["input"]["options"].get("ci") in ("logit", "korn_graubard") or c["input"]["options"].get("weight"))]
    with open(os.path.join(work, "plan.json"), "w") as f:
        json.dump(plan, f)


# --------------------------------------------------------------------------- assemble


def item_expected(design, cell, weighted, method, level, r_ref, n_design):
    levels = [cell["levels"][c] for c in design["scale"]]
    n = sum(levels)
    sat = set(design["satisfied"])
    W = sum((w for w, _ in cell["w"]), Fraction(0))
    W1 = sum((w for w, v in cell["w"] if v in sat), Fraction(0))
    S = sum((w * w for w, _ in cell["w"]), Fraction(0))
    e = {"n": n, "n_missing": cell["missing"], "n_not_applicable": cell["na"],
         "satisfied": sum(1 for _, v in cell["w"] if v in sat), "levels": levels, "weighted_n": dec(W)}
    if n == 0:
        e.update({"share": None, "mean": None, "se": None, "ci_low": None, "ci_high": None, "n_eff": None})
        return e
    p = W1 / W
    for key, val in (("share", p), ("mean", sum((w * v for w, v in cell["w"]), Fraction(0)) / W)):
        s = dec(val)
        if s is not None:
            e[key] = s
    neff = float(W * W / S) if weighted else float(n)
    e["n_eff"] = neff
    pf = float(p)
    if not weighted:
        e["se"] = math.sqrt(pf * (1 - pf) / n)
    elif r_ref is not None and r_ref.get("se") is not None:
        e["se"] = r_ref["se"]
    if method in SM_NAME:
        count, nobs = (float(e["satisfied"]), float(n)) if not weighted else (pf * neff, neff)
        lo, hi = proportion_confint(count, nobs, alpha=1 - level, method=SM_NAME[method])
        e["ci_low"], e["ci_high"] = float(lo), float(hi)
    elif r_ref is not None:
        if n == 1:
            e["ci_low"] = e["ci_high"] = None
        elif r_ref.get("ci_low") is not None and 0 < pf < 1:
            e["ci_low"], e["ci_high"] = r_ref["ci_low"], r_ref["ci_high"]
        if weighted and r_ref.get("share") is not None:
            assert abs(r_ref["share"] - pf) < 1e-12, (r_ref, pf)
    return e


def indices(design, units, item_codes, cells):
    sat = set(design["satisfied"])
    out = {}
    for u in units + ["*"]:
        shares, sums = {}, {}
        for it in item_codes:
            ws = cells[(u, it)]["w"]
            W = sum((w for w, _ in ws), Fraction(0))
            W1 = sum((w for w, v in ws if v in sat), Fraction(0))
            sums[it] = (W1, W)
            if W:
                shares[it] = 100 * W1 / W
        el = {}
        for e in design["elements"]:
            its = [it["code"] for it in design["items"] if it["element"] == e["code"]]
            if design["element_rule"] == "pooled":
                W1 = sum(sums[i][0] for i in its)
                W = sum(sums[i][1] for i in its)
                el[e["code"]] = 100 * W1 / W if W else None
            else:
                vals = [shares[i] for i in its if i in shares]
                el[e["code"]] = sum(vals) / len(vals) if vals else None
        rule = design["overall_rule"]
        if rule == "pooled":
            W1 = sum(s[0] for s in sums.values())
            W = sum(s[1] for s in sums.values())
            ov = 100 * W1 / W if W else None
        elif rule.startswith("item:"):
            ov = shares.get(rule[5:])
        else:
            vals = [v for v in el.values() if v is not None]
            ov = sum(vals) / len(vals) if vals else None
        out[u] = (el, ov)
    return out


def competition(values):
    ranks = {}
    ordered = sorted([(v, u) for u, v in values.items() if v is not None], key=lambda t: (-t[0], t[1]))
    for pos, (v, u) in enumerate(ordered):
        ranks[u] = pos + 1 if pos == 0 or ordered[pos - 1][0] != v else ranks[ordered[pos - 1][1]]
    return ranks


def dec_or_skip(d, key, value):
    if value is None:
        d[key] = None
    else:
        s = dec(value)
        if s is not None:
            d[key] = s


def assemble(work, outdir):
    cases = plan_cases()
    with open(os.path.join(work, "r_out.json")) as f:
        r_out = json.load(f, object_hook=lambda d: {k: float(v) if isinstance(v, str) else v for k, v in d.items()})
    written = 0
    for ci, c in enumerate(cases):
        case = {"name": c["name"], "description": c["description"], "operation": c.get("operation", "sipas"), "input": c["input"]}
        if "error" in c:
            case["expected_error"] = c["error"]
        else:
            inp = c["input"]
            opts = inp["options"]
            design = full_design(inp["design"]) if "design" in inp else items_design(inp["items"])
            units, item_codes, cells = aggregate(design, inp["responses"], opts["weight"])
            n_design = {it: sum(sum(cells[(u, it)]["levels"].values()) for u in units) for it in item_codes}
            ref = r_out.get(str(ci), {})
            rows = []
            for u in units:
                for it in item_codes:
                    e = {"unit": u, "item": it}
                    e.update(item_expected(design, cells[(u, it)], opts["weight"], opts["ci"], opts["level"],
                                          ref.get(f"{it}|{u}"), n_design[it]))
                    rows.append(e)
            idx = indices(design, units, item_codes, cells)
            elements = []
            for u in units:
                for e in design["elements"]:
                    row = {"unit": u, "element": e["code"]}
                    dec_or_skip(row, "index", idx[u][0][e["code"]])
                    elements.append(row)
            groups = {}
            for r in inp["responses"]:
                if r.get("group"):
                    groups[r["unit"]] = r["group"]
            ranks = competition({u: idx[u][1] for u in units})
            overall = []
            for u in units:
                row = {"unit": u, "rank": ranks.get(u)}
                dec_or_skip(row, "index", idx[u][1])
                if groups:
                    members = {v: idx[v][1] for v in units if groups.get(v) == groups.get(u)}
                    row["group"] = groups.get(u)
                    row["group_rank"] = competition(members).get(u)
                overall.append(row)
            all_items = []
            for it in item_codes:
                e = {"item": it}
                e.update(item_expected(design, cells[("*", it)], opts["weight"], opts["ci"], opts["level"],
                                      ref.get(f"{it}|*"), n_design[it]))
                all_items.append(e)
            all_ = {"unit": "*", "respondents": len(inp["responses"]), "items": all_items}
            dec_or_skip(all_, "overall", idx["*"][1])
            case["expected"] = {"items": rows, "elements": elements, "overall": overall, "all": all_}
            r_based = opts["ci"] in ("logit", "korn_graubard") or opts["weight"]
            case["tolerance"] = 1e-9 if r_based else 1e-12
        with open(os.path.join(outdir, c["name"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(case, f, ensure_ascii=False, indent=1)
            f.write("\n")
        written += 1
    print(f"wrote {written} sipas cases")


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(sys.argv[2])
    else:
        assemble(sys.argv[2], sys.argv[3])
